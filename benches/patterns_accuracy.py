#!/usr/bin/env python3
"""Grouping accuracy and speed of `logx patterns` on loghub's 2k samples, next to drain3.

    benches/patterns_accuracy.py [--logx target/release/logx] [--corpus ../shared/corpus]

For every dataset with a ground truth in ../shared/corpus/loghub/ground-truth/, runs
`logx cat -o json --templates` on the raw log (logx finds the message itself) and compares
each entry's template id with loghub's EventId: grouping accuracy (an entry is right when
the entries sharing its template are exactly those sharing its event). drain3 (pip install
drain3), when installed, gets loghub's own Content column (the message already cut out of
the line, which favours it) with its default settings and with Drain's usual masking of
numbers; both are timed in the same run. Prints a Markdown table.
"""
import argparse
import csv
import json
import os
import subprocess
import sys
import time
from collections import defaultdict

DRAIN_PUBLISHED = {"HDFS": 0.998, "Hadoop": 0.948, "Spark": 0.920, "BGL": 0.963, "Linux": 0.690,
                   "Android": 0.911, "Apache": 1.0, "OpenSSH": 0.788}


def grouping_accuracy(pred, truth):
    by_pred, by_truth = defaultdict(list), defaultdict(list)
    for i, (p, t) in enumerate(zip(pred, truth)):
        by_pred[p].append(i)
        by_truth[t].append(i)
    right = 0
    for members in by_pred.values():
        t = truth[members[0]]
        if all(truth[i] == t for i in members) and len(by_truth[t]) == len(members):
            right += len(members)
    return right / len(truth)


def run_drain3(contents, masked):
    from drain3 import TemplateMiner
    from drain3.template_miner_config import TemplateMinerConfig
    from drain3.masking import MaskingInstruction
    cfg = TemplateMinerConfig()
    cfg.profiling_enabled = False
    if masked:
        cfg.masking_instructions = [
            MaskingInstruction(r"((?<=[^A-Za-z0-9])|^)(\d+\.\d+\.\d+\.\d+)((?=[^A-Za-z0-9])|$)", "IP"),
            MaskingInstruction(r"((?<=[^A-Za-z0-9])|^)([\-\+]?\d+)((?=[^A-Za-z0-9])|$)", "NUM"),
        ]
    miner = TemplateMiner(config=cfg)
    t0 = time.perf_counter()
    ids = [miner.add_log_message(c)["cluster_id"] for c in contents]
    return ids, time.perf_counter() - t0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--logx", default="target/release/logx")
    ap.add_argument("--corpus", default="../shared/corpus")
    a = ap.parse_args()
    gt_dir = os.path.join(a.corpus, "loghub", "ground-truth")
    names = sorted(f.split("_2k")[0] for f in os.listdir(gt_dir) if f.endswith("_structured.csv"))
    try:
        import drain3  # noqa: F401
        have_drain3 = True
    except ImportError:
        have_drain3 = False
        print("drain3 is not installed (pip install drain3): its columns are empty", file=sys.stderr)
    print("| dataset | logx | Drain (published) | drain3 default | drain3 masked | logx time | drain3 time |")
    print("|---|---|---|---|---|---|---|")
    sums = defaultdict(float)
    for name in names:
        with open(os.path.join(gt_dir, f"{name}_2k.log_structured.csv"), newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        truth = [r["EventId"] for r in rows]
        contents = [r["Content"] for r in rows]
        log = os.path.join(a.corpus, "loghub", f"{name}_2k.log")
        t0 = time.perf_counter()
        out = subprocess.run([a.logx, "cat", "-o", "json", "--templates", log], capture_output=True, check=True,
                             env=dict(os.environ, TZ="UTC")).stdout
        t_logx = time.perf_counter() - t0
        entries = [json.loads(l) for l in out.splitlines()]
        assert len(entries) == len(truth), f"{name}: {len(entries)} entries for {len(truth)} lines"
        ga = grouping_accuracy([e["template_id"] for e in entries], truth)
        sums["logx"] += ga
        sums["drain"] += DRAIN_PUBLISHED.get(name, 0)
        d_def = d_mask = ""
        t_d = ""
        if have_drain3:
            ids, t = run_drain3(contents, False)
            g = grouping_accuracy(ids, truth)
            sums["d3"] += g
            d_def = f"{g:.3f}"
            ids, t = run_drain3(contents, True)
            g = grouping_accuracy(ids, truth)
            sums["d3m"] += g
            d_mask = f"{g:.3f}"
            t_d = f"{t * 1000:.0f} ms"
        print(f"| {name} | {ga:.3f} | {DRAIN_PUBLISHED.get(name, float('nan')):.3f} | {d_def} | {d_mask} "
              f"| {t_logx * 1000:.0f} ms (whole process) | {t_d} |")
    n = len(names)
    avg = lambda k: f"{sums[k] / n:.3f}" if sums[k] else ""
    print(f"| **average** | **{sums['logx'] / n:.3f}** | {sums['drain'] / n:.3f} | {avg('d3')} | {avg('d3m')} | | |")


if __name__ == "__main__":
    main()
