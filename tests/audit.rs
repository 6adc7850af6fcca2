//! `logx audit`: groups against what a test counts itself from the NDJSON, on generated logs
//! (whose truth files give the number of distinct request ids) and on a hand-written audit
//! fixture (two instances, a rotation in the middle of a request, entries without an id, a
//! failed request).

use std::collections::HashMap;

use calamine::Reader;
use serde_json::Value;

use crate::util::{entries, fixture, json_lines, run, tempdir};

#[derive(Debug, Default, PartialEq)]
struct Expect {
    count: u64,
    first: Option<String>,
    last: Option<String>,
    worst: Option<usize>,
}

const LEVELS: [&str; 6] = ["trace", "debug", "info", "warn", "error", "fatal"];

/// Groups computed by the test from `cat -o json`.
fn expected(es: &[Value]) -> (HashMap<String, Expect>, u64) {
    let mut m: HashMap<String, Expect> = HashMap::new();
    let mut without = 0;
    for e in es {
        let Some(k) = e["request_id"].as_str() else {
            without += 1;
            continue;
        };
        let g = m.entry(k.to_string()).or_default();
        g.count += 1;
        if let Some(ts) = e["ts"].as_str() {
            let t = chrono::DateTime::parse_from_rfc3339(ts).unwrap().timestamp_millis();
            let f = |s: &Option<String>| {
                s.as_ref().map(|x| chrono::DateTime::parse_from_rfc3339(x).unwrap().timestamp_millis())
            };
            if f(&g.first).is_none_or(|x| t < x) {
                g.first = Some(ts.to_string());
            }
            if f(&g.last).is_none_or(|x| t > x) {
                g.last = Some(ts.to_string());
            }
        }
        let l = e["level"].as_str().and_then(|l| LEVELS.iter().position(|x| *x == l));
        g.worst = g.worst.max(l);
    }
    (m, without)
}

fn millis(s: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(s).unwrap().timestamp_millis()
}

fn check(path: &std::path::Path, truth_ids: Option<u64>) {
    let es = entries(&[path]);
    let (want, without) = expected(&es);
    if let Some(n) = truth_ids {
        assert_eq!(want.len() as u64, n, "the truth file's distinct request ids");
    }
    let r = run(&["audit", "-o", "json", path.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let groups = json_lines(&r.stdout);
    assert_eq!(groups.len(), want.len(), "{}: groups", path.display());
    for g in &groups {
        let key = g["key"].as_str().unwrap();
        let w = &want[key];
        assert_eq!(g["entries"].as_u64().unwrap(), w.count, "{key}: entries");
        assert_eq!(g["entries_at"].as_array().unwrap().len() as u64, w.count, "{key}: references");
        assert_eq!(g["first_ts"].as_str().map(millis), w.first.as_deref().map(millis), "{key}: first");
        assert_eq!(g["last_ts"].as_str().map(millis), w.last.as_deref().map(millis), "{key}: last");
        assert_eq!(
            g["worst_level"].as_str().and_then(|l| LEVELS.iter().position(|x| *x == l)),
            w.worst,
            "{key}: worst level"
        );
    }
    if without > 0 {
        assert!(r.stderr.contains(&format!("{without} entries without request_id")), "{}", r.stderr);
    }
    let text = run(&["audit", "--color", "never", path.to_str().unwrap()]).stdout;
    assert!(text.contains(&format!("{} groups by request_id", want.len())), "{}", text.lines().last().unwrap_or(""));
    assert!(text.contains(&format!("{without} entries without request_id")));
}

#[test]
fn long_actions_and_late_lines_stay_one_group_past_the_idle_time() {
    // 12,000 requests, one a second for over three hours, each in both instances' files, so
    // that groups idle for ten minutes are closed while the scan goes on. One request comes
    // back every 50 minutes (a long job) and one line is written two hours late: each must
    // still be one group, read back after it was closed.
    let d = tempdir();
    let t0 = chrono::DateTime::parse_from_rfc3339("2026-11-20T08:00:00Z").unwrap().timestamp_millis();
    let ts =
        |ms: i64| chrono::DateTime::from_timestamp_millis(ms).unwrap().format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string();
    let line = |t: i64, lvl: &str, svc: &str, id: &str, msg: &str| {
        format!(
            "{{\"level\":\"{lvl}\",\"ts\":\"{}\",\"logger\":\"pydio.grpc.{svc}\",\"msg\":\"{msg}\",\"SpanRootUuid\":\"{id}\"}}\n",
            ts(t)
        )
    };
    let (mut a, mut b) = (String::new(), String::new());
    for i in 0..12_000i64 {
        let t = t0 + i * 1000;
        a.push_str(&line(t, "info", "tree", &format!("req-{i}"), "request"));
        b.push_str(&line(t + 300, if i % 101 == 0 { "error" } else { "info" }, "meta", &format!("req-{i}"), "done"));
        if i % 3000 == 0 {
            a.push_str(&line(t + 1, "warn", "jobs", "req-long", "still running"));
        }
        if i == 7200 {
            b.push_str(&line(t0 + 5 * 1000 + 700, "error", "audit", "req-5", "written late"));
        }
    }
    std::fs::write(d.path().join("cells-a.json"), a).unwrap();
    std::fs::write(d.path().join("cells-b.json"), b).unwrap();
    check(d.path(), Some(12_001));
    let groups = json_lines(&run(&["audit", "-o", "json", d.path().to_str().unwrap()]).stdout);
    let by_key = |k: &str| groups.iter().find(|g| g["key"] == k).unwrap_or_else(|| panic!("{k}")).clone();
    let long = by_key("req-long");
    assert_eq!(long["entries"], 4);
    assert_eq!(long["duration_ms"].as_f64().unwrap(), 9000.0 * 1000.0);
    let late = by_key("req-5");
    assert_eq!((late["entries"].as_u64(), late["worst_level"].as_str()), (Some(3), Some("error")));
    assert_eq!(late["services"], serde_json::json!(["pydio.grpc.tree", "pydio.grpc.meta", "pydio.grpc.audit"]));
}

#[test]
fn generated_logs_group_by_their_request_ids() {
    let tool = crate::util::root().join("../shared/tools/gen_corpus.py");
    if !tool.is_file() {
        eprintln!("skipped: ../shared/tools/gen_corpus.py is absent");
        return;
    }
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("gen-audit-1M");
    if !dir.join("app.logfmt.truth.json").is_file() {
        let ok = std::process::Command::new("python3")
            .arg(&tool)
            .arg(&dir)
            .args(["--size", "1M", "--only", "cells.json,directus.json,app.log,app.logfmt"])
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok);
    }
    for f in ["cells.json", "directus.json", "app.log", "app.logfmt"] {
        let p = dir.join(f);
        let truth: Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join(format!("{f}.truth.json"))).unwrap()).unwrap();
        check(&p, truth["distinct_request_ids"].as_u64());
    }
}

#[test]
fn audit_fixture_across_instances_and_rotation() {
    let d = fixture("audit");
    check(&d, None);
    let r = run(&["audit", "-o", "json", d.to_str().unwrap()]);
    let groups = json_lines(&r.stdout);
    let upload = groups.iter().find(|g| g["key"] == "req-upload-1").unwrap();
    // Started on cells-1 before the rotation, continued after it, and on cells-2.
    assert_eq!(upload["entries"], 6);
    assert_eq!(upload["hosts"], serde_json::json!(["cells-1", "cells-2"]));
    let files: Vec<&str> = upload["entries_at"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["source"].as_str().unwrap().rsplit('/').next().unwrap())
        .collect();
    assert!(
        files.contains(&"cells-1.log.1") && files.contains(&"cells-1.log") && files.contains(&"cells-2.log"),
        "{files:?}"
    );
    assert_eq!(upload["services"].as_array().unwrap().len(), 5);
    assert_eq!(upload["user"], "alice");
    assert_eq!(upload["ip"], "192.168.1.20");
    assert_eq!(upload["duration_ms"], 1250.0);
    assert_eq!(upload["resource"], "pydio/personal/alice/report.pdf");
    assert_eq!(upload["first_msg"], "PUT /io/personal-files/report.pdf");
    // The references point at lines that hold the key.
    for r in upload["entries_at"].as_array().unwrap() {
        let text = std::fs::read_to_string(crate::util::root().join(r["source"].as_str().unwrap()))
            .unwrap_or_else(|_| std::fs::read_to_string(r["source"].as_str().unwrap()).unwrap());
        let line = text.lines().nth(r["line"].as_u64().unwrap() as usize - 1).unwrap();
        assert!(line.contains("req-upload-1"), "{line}");
    }
    let failed = json_lines(&run(&["audit", "--failed", "-o", "json", d.to_str().unwrap()]).stdout);
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0]["key"], "req-share-3");
    assert_eq!(failed[0]["worst_level"], "error");
    let slow = json_lines(
        &run(&["audit", "--min-duration", "400ms", "--sort", "duration", "-o", "json", d.to_str().unwrap()]).stdout,
    );
    let keys: Vec<&str> = slow.iter().map(|g| g["key"].as_str().unwrap()).collect();
    assert_eq!(keys, ["req-upload-1", "req-share-3"]);
    // Grouping by another field.
    let by_user = json_lines(&run(&["audit", "--by", "user", "-o", "json", d.to_str().unwrap()]).stdout);
    assert_eq!(by_user.len(), 3);
}

#[test]
fn timeline_of_one_request() {
    let r = run(&["audit", "--color", "never", "--id", "req-upload-1", fixture("audit").to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert!(lines[0].starts_with("req-upload-1 · 6 entries · 1.2s · 5 services"), "{}", lines[0]);
    let offsets: Vec<&str> = lines[1..].iter().map(|l| l.split('|').next().unwrap().trim()).collect();
    assert_eq!(offsets, ["+     0ms", "+   120ms", "+   200ms", "+   410ms", "+   700ms", "+    1.2s"]);
    assert!(lines[3].contains("pydio.grpc.meta") && lines[3].contains("cells-2"), "{}", lines[3]);
    assert!(lines[6].contains("(cells-1.log:3)"), "{}", lines[6]);
    let r = run(&["audit", "--id", "nope", fixture("audit").to_str().unwrap()]);
    assert_eq!(r.code, 1);
}

#[test]
fn resource_and_user_activity() {
    let d = fixture("audit");
    let r = run(&[
        "audit",
        "--color",
        "never",
        "--resource-field",
        "path",
        "--resource",
        "pydio/common/*",
        d.to_str().unwrap(),
    ]);
    let out = r.stdout;
    assert!(
        out.contains(
            "pydio/common/projects/plan.odt\n  last update 2026-11-21 10:00:02.450  ·  1 actions  ·  1 users: bob"
        ),
        "{out}"
    );
    assert!(
        out.contains("pydio/common/projects\n  last update 2026-11-21 10:00:00.350  ·  1 actions  ·  1 users: bob"),
        "{out}"
    );
    assert!(!out.contains("alice"));
    let r = run(&["audit", "--color", "never", "--by-user", d.to_str().unwrap()]);
    assert!(
        r.stdout.contains("bob\n  last update 2026-11-21 10:00:02.450  ·  2 actions  ·  2 resources"),
        "{}",
        r.stdout
    );
}

#[test]
fn export_of_groups() {
    let d = fixture("audit");
    let r = run(&["export", "--audit", "--all", "--csv", d.to_str().unwrap()]);
    let mut rdr = csv::Reader::from_reader(r.stdout.as_bytes());
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 4);
    assert_eq!(&rows[0][0], "req-upload-1");
    assert_eq!(&rows[0][4], "6");
    let dir = tempdir();
    let out = dir.path().join("audit.xlsx");
    let r = run(&["export", "--audit", "--level", "info", "-o", out.to_str().unwrap(), d.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&out).unwrap();
    assert_eq!(wb.sheet_names(), ["groups", "entries"]);
    assert_eq!(wb.worksheet_range("groups").unwrap().height(), 5);
    // The entries of the exported groups (13 with an id), each with its group.
    let entries_sheet = wb.worksheet_range("entries").unwrap();
    assert_eq!(entries_sheet.height(), 14);
    let r = run(&["export", "--audit", "--all", "--ndjson", d.to_str().unwrap()]);
    assert_eq!(json_lines(&r.stdout).len(), 4);
}
