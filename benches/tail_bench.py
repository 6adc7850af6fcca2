#!/usr/bin/env python3
"""Benchmarks of `logx tail` against GNU `tail -F`, in the same run.

    benches/tail_bench.py [--lines 10000] [--idle 30] [--burst 1000000]

- latency: a writer appends LINES lines (one every ~0.5 ms); each line carries its write time
  (monotonic ns); the reader timestamps each line as it comes out of the follower's stdout.
  Median and p99 of (arrival - write), for logx and tail -F.
- idle CPU: the follower watches a file that does not change for IDLE seconds; CPU time used
  (utime + stime from /proc).
- throughput: a writer appends BURST lines as fast as it can; lines per second the follower
  delivers (time until the last line is out).
"""
import argparse, os, statistics, subprocess, sys, tempfile, threading, time

LOGX = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "target", "release", "logx")


def follower(tool, path):
    if tool == "logx":
        cmd = [LOGX, "tail", "-n", "0", "-o", "raw", path]
    else:
        cmd = ["tail", "-n", "0", "-F", path]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, bufsize=0)


def latency(tool, n):
    d = tempfile.mkdtemp()
    path = os.path.join(d, "lat.log")
    open(path, "w").close()
    p = follower(tool, path)
    time.sleep(0.5)
    arrivals = {}
    done = threading.Event()

    def read():
        buf = b""
        while len(arrivals) < n:
            chunk = p.stdout.read1(65536) if hasattr(p.stdout, "read1") else os.read(p.stdout.fileno(), 65536)
            if not chunk:
                break
            now = time.monotonic_ns()
            buf += chunk
            *lines, buf = buf.split(b"\n")
            for l in lines:
                parts = l.split(b" ")
                if len(parts) > 4 and parts[3] == b"seq":
                    arrivals[int(parts[4])] = now
        done.set()

    t = threading.Thread(target=read, daemon=True)
    t.start()
    sent = {}
    with open(path, "a", buffering=1) as f:
        for i in range(n):
            sent[i] = time.monotonic_ns()
            f.write("2026-11-21 10:00:00 INFO seq %d written %d\n" % (i, sent[i]))
            f.flush()
            time.sleep(0.0005)
    done.wait(30)
    p.kill()
    lat = sorted((arrivals[i] - sent[i]) / 1e6 for i in arrivals)
    got = len(lat)
    return statistics.median(lat), lat[int(len(lat) * 0.99) - 1], got


def idle_cpu(tool, seconds):
    d = tempfile.mkdtemp()
    path = os.path.join(d, "idle.log")
    with open(path, "w") as f:
        f.write("2026-11-21 10:00:00 INFO only line\n")
    p = follower(tool, path)
    time.sleep(1)

    def cpu():
        with open("/proc/%d/stat" % p.pid) as s:
            fields = s.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    before = cpu()
    time.sleep(seconds)
    used = cpu() - before
    p.kill()
    return used


def throughput(tool, n):
    d = tempfile.mkdtemp()
    path = os.path.join(d, "burst.log")
    open(path, "w").close()
    p = follower(tool, path)
    time.sleep(0.5)
    last = ("2026-11-21 10:00:00 INFO burst last %d\n" % n).encode()
    start = time.monotonic()
    with open(path, "ab") as f:
        block = b"".join(b"2026-11-21 10:00:00 INFO burst line %d padding padding\n" % i for i in range(10000))
        for _ in range(n // 10000):
            f.write(block)
        f.write(last)
    tail = b""
    while True:
        chunk = os.read(p.stdout.fileno(), 1 << 20)
        if not chunk:
            break
        tail = (tail + chunk)[-200:]
        if last.strip() in tail:
            break
    elapsed = time.monotonic() - start
    p.kill()
    return n / elapsed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, default=10000)
    ap.add_argument("--idle", type=int, default=30)
    ap.add_argument("--burst", type=int, default=1000000)
    a = ap.parse_args()
    print("| measure | logx tail | tail -F | note |")
    print("|---|---|---|---|")
    lx = latency("logx", a.lines)
    tf = latency("tail", a.lines)
    print("| latency, median | %.2f ms | %.2f ms | %d lines, write to stdout |" % (lx[0], tf[0], a.lines))
    print("| latency, p99 | %.2f ms | %.2f ms | lines seen: logx %d, tail %d |" % (lx[1], tf[1], lx[2], tf[2]))
    ic = idle_cpu("logx", a.idle)
    it = idle_cpu("tail", a.idle)
    print("| CPU over %d s idle | %.3f s | %.3f s | utime+stime |" % (a.idle, ic, it))
    bl = throughput("logx", a.burst)
    bt = throughput("tail", a.burst)
    print("| throughput (writer as fast as it can) | %.0f lines/s | %.0f lines/s | %d lines |" % (bl, bt, a.burst))


if __name__ == "__main__":
    main()
