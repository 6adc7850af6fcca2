//! The query engine against exact counts: the truth files that `../shared/tools/gen_corpus.py`
//! writes beside each generated log (levels, the phrase, the one-hour window, first and last
//! times), combinations on real logs with loghub's ground truth, time seeks against full
//! scans, and the persisted index.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde_json::Value;

use crate::util::{fixture, json_lines, logx, root, run};

/// A generated corpus (4 MiB per file), made once per test run.
pub(crate) fn generated() -> Option<&'static Path> {
    static DIR: OnceLock<Option<PathBuf>> = OnceLock::new();
    DIR.get_or_init(|| {
        let tool = root().join("../shared/tools/gen_corpus.py");
        if !tool.is_file() {
            return None;
        }
        // Deterministic (fixed seed): made once and kept under Cargo's test scratch directory.
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("gen-4M-seed7");
        if dir.join("rotated-json.truth.json").is_file() {
            return Some(dir);
        }
        let ok = std::process::Command::new("python3")
            .arg(&tool)
            .arg(&dir)
            .args(["--size", "4M", "--seed", "7"])
            .status()
            .is_ok_and(|s| s.success());
        ok.then_some(dir)
    })
    .as_deref()
}

macro_rules! need_generated {
    () => {
        match generated() {
            Some(d) => d,
            None => {
                eprintln!("skipped: ../shared/tools/gen_corpus.py is absent (or python3 is)");
                return;
            }
        }
    };
}

fn truth(path: &Path) -> Value {
    let t = PathBuf::from(format!("{}.truth.json", path.display()));
    serde_json::from_str(&std::fs::read_to_string(t).expect("truth file")).expect("truth json")
}

fn count(args: &[&str]) -> u64 {
    let r = run(args);
    assert!(r.code == 0 || r.code == 1, "{args:?}: {}", r.stderr);
    r.stdout.trim().parse().unwrap_or_else(|_| panic!("{args:?} printed {:?}", r.stdout))
}

fn instant(s: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(s).unwrap_or_else(|e| panic!("{s}: {e}")).timestamp_nanos_opt().unwrap()
}

/// Every truth the generator writes, for one file or rotated set.
fn check_truth(path: &Path, truth_path: &Path, levels: bool, phrase: bool, regex: bool) {
    let t = truth(truth_path);
    let p = path.to_str().unwrap();
    let name = path.file_name().unwrap().to_string_lossy();
    assert_eq!(count(&["cat", "-c", p]), t["entries"].as_u64().unwrap(), "{name}: entries");
    assert_eq!(
        count(&["cat", "-c", "--level", "trace", p]) + count(&["cat", "-c", "--levels", "none", p]),
        t["entries"].as_u64().unwrap()
    );
    if levels {
        for (lv, n) in t["levels"].as_object().unwrap() {
            assert_eq!(count(&["cat", "-c", "--levels", lv, p]), n.as_u64().unwrap(), "{name}: level {lv}");
        }
        // A minimum level is the sum of the levels above it.
        let warn_up: u64 = ["warn", "error", "fatal"].iter().map(|l| t["levels"][l].as_u64().unwrap()).sum();
        assert_eq!(count(&["cat", "-c", "--level", "warn", p]), warn_up, "{name}: --level warn");
        assert_eq!(count(&["cat", "-c", "--levels", "warn,error,fatal", p]), warn_up, "{name}: --levels");
    }
    let w = &t["window"];
    assert_eq!(
        count(&["cat", "-c", "--from", w["since"].as_str().unwrap(), "--to", w["until"].as_str().unwrap(), p]),
        w["entries"].as_u64().unwrap(),
        "{name}: one-hour window"
    );
    if phrase {
        let ph = t["phrase"]["text"].as_str().unwrap();
        assert_eq!(count(&["cat", "-c", "-F", ph, p]), t["phrase"]["entries"].as_u64().unwrap(), "{name}: phrase");
        // Inverted: everything else.
        assert_eq!(
            count(&["cat", "-c", "-v", "-F", ph, p]),
            t["entries"].as_u64().unwrap() - t["phrase"]["entries"].as_u64().unwrap(),
            "{name}: -v phrase"
        );
    }
    if regex {
        let re = t["regex"]["pattern"].as_str().unwrap();
        assert_eq!(
            count(&["cat", "-c", "-i", "-e", re, p]),
            t["regex"]["matching_lines"].as_u64().unwrap(),
            "{name}: regex"
        );
    }
    let r = run(&["stats", "-o", "json", p]);
    let s: Value = serde_json::from_str(&r.stdout).expect("stats json");
    assert_eq!(s["entries"], t["entries"], "{name}: stats entries");
    assert_eq!(instant(s["first_ts"].as_str().unwrap()), instant(t["first_ts"].as_str().unwrap()), "{name}: first");
    assert_eq!(instant(s["last_ts"].as_str().unwrap()), instant(t["last_ts"].as_str().unwrap()), "{name}: last");
    let hist: u64 = s["histogram"].as_array().unwrap().iter().map(|b| b["count"].as_u64().unwrap()).sum();
    assert_eq!(hist, t["entries"].as_u64().unwrap(), "{name}: histogram adds up");
}

#[test]
fn zap_json_as_pydio_cells_writes_it() {
    let d = need_generated!();
    check_truth(&d.join("cells.json"), &d.join("cells.json"), true, true, true);
}

#[test]
fn pino_json_as_directus_writes_it() {
    let d = need_generated!();
    check_truth(&d.join("directus.json"), &d.join("directus.json"), true, true, true);
}

#[test]
fn text_with_stack_traces() {
    let d = need_generated!();
    // The regex truth counts lines; entries join stack-trace lines, so it is not comparable.
    check_truth(&d.join("app.log"), &d.join("app.log"), true, true, false);
}

#[test]
fn logfmt() {
    let d = need_generated!();
    check_truth(&d.join("app.logfmt"), &d.join("app.logfmt"), true, true, true);
}

#[test]
fn access_log() {
    let d = need_generated!();
    check_truth(&d.join("access.log"), &d.join("access.log"), true, true, true);
}

#[test]
fn syslog() {
    let d = need_generated!();
    // RFC 3164 carries no level: the generator's levels follow the wording of its templates,
    // which no reader can know, so levels are not compared.
    check_truth(&d.join("syslog"), &d.join("syslog"), false, true, true);
}

#[test]
fn rotated_sets_with_gzip() {
    let d = need_generated!();
    check_truth(&d.join("rotated"), &d.join("rotated"), true, true, false);
    check_truth(&d.join("rotated-json"), &d.join("rotated-json"), true, true, true);
}

#[test]
fn request_ids_and_field_filters() {
    let d = need_generated!();
    let p = d.join("cells.json");
    let es = json_lines(&run(&["cat", "-o", "json", p.to_str().unwrap()]).stdout);
    let mut ids = std::collections::HashSet::new();
    for e in &es {
        if let Some(r) = e["request_id"].as_str() {
            ids.insert(r.to_string());
        }
    }
    assert_eq!(ids.len() as u64, truth(&p)["distinct_request_ids"].as_u64().unwrap(), "distinct request ids");
    // Field filters agree with counting the JSON ourselves.
    let want = |f: &dyn Fn(&Value) -> bool| es.iter().filter(|e| f(e)).count() as u64;
    let ps = p.to_str().unwrap();
    let any_id = ids.iter().next().unwrap().clone();
    assert_eq!(count(&["cat", "-c", "--request-id", &any_id, ps]), want(&|e| e["request_id"] == any_id.as_str()));
    assert_eq!(
        count(&["cat", "-c", "--user", "alice", "--user", "bob", ps]),
        want(&|e| e["user"] == "alice" || e["user"] == "bob")
    );
    assert_eq!(
        count(&["cat", "-c", "--service", "pydio.grpc.*", ps]),
        want(&|e| e["service"].as_str().unwrap().starts_with("pydio.grpc."))
    );
    assert_eq!(
        count(&["cat", "-c", "--service", "pydio.rest.*", "--level", "error", ps]),
        want(&|e| e["service"].as_str().unwrap().starts_with("pydio.rest.")
            && matches!(e["level"].as_str(), Some("error" | "fatal")))
    );
    assert_eq!(count(&["cat", "-c", "--ip", "10.1.*", ps]), want(&|e| e["ip"].as_str().unwrap().starts_with("10.1.")));
    assert_eq!(count(&["cat", "-c", "--where", "UserName=carol", ps]), want(&|e| e["user"] == "carol"));
    assert_eq!(
        count(&["cat", "-c", "--where", "SpanUuid~=^0", ps]),
        want(&|e| e["fields"]["SpanUuid"].as_str().unwrap().starts_with('0'))
    );
    assert_eq!(count(&["cat", "-c", "--where", "request_id?", ps]), want(&|e| e.get("request_id").is_some()));
    assert_eq!(count(&["cat", "-c", "--where", "!request_id?", ps]), want(&|e| e.get("request_id").is_none()));
    let d2 = d.join("directus.json");
    let es2 = json_lines(&run(&["cat", "-o", "json", d2.to_str().unwrap()]).stdout);
    let want2 = |f: &dyn Fn(&Value) -> bool| es2.iter().filter(|e| f(e)).count() as u64;
    let p2 = d2.to_str().unwrap();
    assert_eq!(
        count(&["cat", "-c", "--where", "req.method=POST", p2]),
        want2(&|e| e["fields"]["req"]["method"] == "POST")
    );
    assert_eq!(
        count(&["cat", "-c", "--where", "responseTime>450", p2]),
        want2(&|e| e["fields"]["responseTime"].as_f64().unwrap() > 450.0)
    );
    assert_eq!(
        count(&["cat", "-c", "--where", "res.statusCode>=500", "--host", "directus-2", p2]),
        want2(&|e| e["fields"]["res"]["statusCode"].as_i64().unwrap() >= 500 && e["host"] == "directus-2")
    );
    assert_eq!(
        count(&["cat", "-c", "--in", "req.url", "-e", "^/items/", p2]),
        want2(&|e| e["fields"]["req"]["url"].as_str().unwrap().starts_with("/items/"))
    );
    assert_eq!(
        count(&["cat", "-c", "--all-fields", "-F", "/users/me", p2]),
        want2(&|e| e.to_string().contains("/users/me"))
    );
}

#[test]
fn combinations_on_real_logs() {
    let corpus = need_corpus!();
    // HDFS with loghub's ground truth: warnings of DataNode components.
    let mut rdr = csv::Reader::from_path(corpus.join("loghub/ground-truth/HDFS_2k.log_structured.csv")).unwrap();
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    let want = rows.iter().filter(|r| &r[4] == "WARN" && r[5].starts_with("dfs.DataNode")).count() as u64;
    let hdfs = corpus.join("loghub/HDFS_2k.log");
    let h = hdfs.to_str().unwrap();
    assert_eq!(count(&["cat", "-c", "--level", "warn", "--service", "dfs.DataNode*", h]), want);
    let want = rows.iter().filter(|r| r[6].contains("Receiving block")).count() as u64;
    assert_eq!(count(&["cat", "-c", "-F", "Receiving block", h]), want);
    let want = rows.iter().filter(|r| &r[0] == "081109" || r[1].as_bytes()[0] == b'2').count();
    let _ = want;
    // One day of HDFS: 2008-11-10 (UTC).
    let want = rows.iter().filter(|r| &r[1] == "081110").count() as u64;
    assert_eq!(count(&["cat", "-c", "--day", "2008-11-10", h]), want);
    // Apache error log: errors mentioning "child".
    let mut rdr = csv::Reader::from_path(corpus.join("loghub/ground-truth/Apache_2k.log_structured.csv")).unwrap();
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    let want = rows.iter().filter(|r| &r[2] == "error" && r[3].to_lowercase().contains("child")).count() as u64;
    assert_eq!(
        count(&[
            "cat",
            "-c",
            "--levels",
            "error",
            "-i",
            "-F",
            "CHILD",
            corpus.join("loghub/Apache_2k.log").to_str().unwrap()
        ]),
        want
    );
}

/// A sorted text log big enough for seeks (8 MiB), with some out-of-order lines when `jitter`.
fn write_log(path: &Path, jitter: bool, shuffled: bool) {
    use std::fmt::Write;
    let mut s = String::new();
    let start = 1_794_614_400i64; // 2026-11-14T00:00:00Z
    let n = 110_000i64;
    let mut x: u64 = 99;
    for i in 0..n {
        x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let mut t = start + i * 4; // five days
        if jitter && i % 500 == 7 {
            t -= 3; // a few seconds back
        }
        if shuffled {
            t = start + (x >> 33) as i64 % (n * 4);
        }
        let dt = chrono::DateTime::from_timestamp(t, 0).unwrap();
        let lvl = ["INFO", "DEBUG", "WARN", "ERROR"][(x >> 20) as usize % 4];
        writeln!(
            s,
            "{} {} svc-{}: message number {i} with some padding to make lines longer",
            dt.format("%Y-%m-%d %H:%M:%S"),
            lvl,
            i % 7
        )
        .unwrap();
    }
    std::fs::write(path, s).unwrap();
}

fn same_entries(path: &Path, extra: &[&str], cache: &Path) {
    let p = path.to_str().unwrap();
    let mut seek = vec!["cat", "-o", "json"];
    seek.extend_from_slice(extra);
    seek.push(p);
    let a = logx().env("LOGX_CACHE_DIR", cache).args(&seek).output().unwrap();
    let mut scan = vec!["--no-index", "cat", "-o", "json"];
    scan.extend_from_slice(extra);
    scan.push(p);
    let b = logx().args(&scan).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&a.stderr), "");
    let (a, b) = (String::from_utf8(a.stdout).unwrap(), String::from_utf8(b.stdout).unwrap());
    assert_eq!(a.lines().count(), b.lines().count(), "{extra:?} on {}", path.display());
    assert!(a == b, "seek and scan differ for {extra:?} on {}", path.display());
    assert!(!b.is_empty() || extra.contains(&"2030-01-01"), "the window is not empty");
}

#[test]
fn seeks_return_what_scans_return() {
    let dir = crate::util::tempdir();
    let cache = dir.path().join("cache");
    for (name, jitter, shuffled) in
        [("sorted.log", false, false), ("jitter.log", true, false), ("shuffled.log", false, true)]
    {
        let p = dir.path().join(name);
        write_log(&p, jitter, shuffled);
        for w in [
            ["--from", "2026-11-16 10:00", "--to", "2026-11-16 11:00"],
            ["--from", "2026-11-14 00:00:02", "--to", "2026-11-14 00:01:00"],
            ["--from", "2026-11-18 23:00", "--to", "2026-11-19 03:00"],
            ["--from", "2026-11-15 12:00:01", "--to", "2026-11-15 12:00:09"],
        ] {
            same_entries(&p, &w, &cache);
        }
        same_entries(&p, &["--day", "2026-11-17", "--level", "warn"], &cache);
    }
}

#[test]
fn seeks_across_a_rotated_set() {
    let dir = crate::util::tempdir();
    let set = dir.path().join("set");
    std::fs::create_dir(&set).unwrap();
    let whole = dir.path().join("whole.log");
    write_log(&whole, true, false);
    // Split into x.log.2, x.log.1, x.log (oldest first) at line boundaries.
    let text = std::fs::read_to_string(&whole).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let third = lines.len() / 3;
    for (name, part) in
        [("x.log.2", &lines[..third]), ("x.log.1", &lines[third..2 * third]), ("x.log", &lines[2 * third..])]
    {
        std::fs::write(set.join(name), part.join("\n") + "\n").unwrap();
    }
    let cache = dir.path().join("cache");
    for w in [
        ["--from", "2026-11-15 11:00", "--to", "2026-11-16 13:00"],
        ["--from", "2026-11-14 23:59", "--to", "2026-11-15 00:01"],
    ] {
        same_entries(&set, &w, &cache);
        // And the set gives what the single file gives.
        let a = run(&[&["cat", "-c"][..], &w[..], &[set.to_str().unwrap()]].concat());
        let b = run(&[&["cat", "-c"][..], &w[..], &[whole.to_str().unwrap()]].concat());
        assert_eq!(a.stdout, b.stdout);
    }
}

#[test]
fn persisted_index_is_used_validated_and_rebuilt() {
    let dir = crate::util::tempdir();
    let cache = dir.path().join("cache");
    let p = dir.path().join("big.log");
    // Over the 16 MiB threshold.
    write_log(&p, true, false);
    let one = std::fs::read(&p).unwrap();
    let mut big = one.clone();
    big.extend_from_slice(&one);
    std::fs::write(&p, &big).unwrap();
    let ps = p.to_str().unwrap();
    let stats = |extra: &[&str]| {
        let mut args = vec!["stats", "-o", "json"];
        args.extend_from_slice(extra);
        args.push(ps);
        let out = logx().env("LOGX_CACHE_DIR", &cache).args(&args).output().unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let cached_files = || std::fs::read_dir(cache.join("index")).map(|d| d.count()).unwrap_or(0);
    let first = stats(&[]);
    assert_eq!(cached_files(), 1, "the first full read stores an index");
    let second = stats(&[]);
    assert_eq!(first, second, "the index gives the same statistics");
    let scanned =
        String::from_utf8(logx().args(["--no-index", "stats", "-o", "json", ps]).output().unwrap().stdout).unwrap();
    assert_eq!(first, scanned, "and the same as a scan");
    let cnt = |args: &[&str]| -> u64 {
        let out = logx().env("LOGX_CACHE_DIR", &cache).args(args).output().unwrap();
        String::from_utf8(out.stdout).unwrap().trim().parse().unwrap()
    };
    let warn_scan: u64 = run(&["--no-index", "cat", "-c", "--level", "warn", ps]).stdout.trim().parse().unwrap();
    assert_eq!(cnt(&["cat", "-c", "--level", "warn", ps]), warn_scan);
    // Corrupt the stored index: it is ignored and rebuilt.
    let idx = std::fs::read_dir(cache.join("index")).unwrap().next().unwrap().unwrap().path();
    let mut bytes = std::fs::read(&idx).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x55;
    std::fs::write(&idx, bytes).unwrap();
    assert_eq!(stats(&[]), scanned, "a corrupt index is not trusted");
    // The file grows: the index is reused for the old part, and counts include the new part.
    let mut f = std::fs::OpenOptions::new().append(true).open(&p).unwrap();
    use std::io::Write;
    f.write_all(b"2026-11-19 00:00:00 ERROR svc-1: appended later\n").unwrap();
    drop(f);
    assert_eq!(
        cnt(&["cat", "-c", "--level", "error", ps]),
        run(&["--no-index", "cat", "-c", "--level", "error", ps]).stdout.trim().parse::<u64>().unwrap()
    );
    let grown = stats(&[]);
    let grown_scan =
        String::from_utf8(logx().args(["--no-index", "stats", "-o", "json", ps]).output().unwrap().stdout).unwrap();
    assert_eq!(grown, grown_scan, "a grown file is indexed from where it grew");
    // Replaced by another file of the same size: stale, rebuilt.
    let mut other = big.clone();
    other[0] = b'1';
    other[1] = b'9';
    std::fs::write(&p, &other).unwrap();
    let after = stats(&[]);
    let after_scan =
        String::from_utf8(logx().args(["--no-index", "stats", "-o", "json", ps]).output().unwrap().stdout).unwrap();
    assert_eq!(after, after_scan);
}

#[test]
fn query_errors_before_reading() {
    let r = run(&["cat", "--from", "2026-13-01", "/nonexistent.log"]);
    assert_eq!(
        (r.code, r.stderr.as_str()),
        (2, "logx: --from 2026-13-01: month 13 is out of range\n"),
        "the query is checked before any path"
    );
    let r = run(&["cat", "--level", "wran", "/nonexistent.log"]);
    assert_eq!(r.stderr, "logx: --level wran: unknown level (did you mean 'warn'?)\n");
    let r = run(&["stats", "--where", "a>b", "/nonexistent.log"]);
    assert_eq!(r.stderr, "logx: --where a>b: 'b' is not a number\n");
}

#[test]
fn stats_output() {
    let f = crate::util::fixture("cells");
    let r = run(&["stats", "-o", "json", "--top", "service", "--top", "user", "--bucket", "1m", f.to_str().unwrap()]);
    let s: Value = serde_json::from_str(&r.stdout).unwrap();
    let es = crate::util::entries(&[&f]);
    assert_eq!(s["entries"].as_u64().unwrap(), es.len() as u64);
    assert_eq!(s["bucket_seconds"], 60);
    assert_eq!(s["raw_fallback"], 0);
    let top_service = &s["top"]["service"][0];
    let want = es.iter().filter(|e| e["service"] == top_service["value"]).count() as u64;
    assert_eq!(top_service["count"].as_u64().unwrap(), want);
    let text = run(&["stats", "--color", "never", f.to_str().unwrap()]).stdout;
    assert!(text.starts_with(&format!("entries   {}\n", es.len())), "{text}");
    assert!(text.contains("levels    debug 12 info 680 warn 27 error 13"), "{text}");
    assert!(text.contains("█"), "a histogram");
}

#[test]
fn a_time_window_over_merged_inputs_seeks_each_file_and_keeps_line_numbers() {
    // Two inputs are merged by time; each file is entered at its window (binary search) and
    // the line numbers still count from the file's start: the same output as a full read.
    let (a, b) = (fixture("app.log"), fixture("access.log"));
    let args = |extra: &[&str]| {
        let mut v: Vec<String> = vec!["cat".into(), "-o".into(), "json".into()];
        v.extend(extra.iter().map(|s| s.to_string()));
        v.extend(["--from", "2026-11-20T12:03:00Z", "--to", "2026-11-20T12:05:00Z"].map(String::from));
        v.push(a.display().to_string());
        v.push(b.display().to_string());
        v
    };
    let seek = run(&args(&[]));
    let full = run(&args(&["--no-index"]));
    assert_eq!(seek.code, 0, "{}", seek.stderr);
    let entries = json_lines(&seek.stdout);
    assert!(entries.len() > 10, "the window holds entries of the fixtures");
    assert!(entries.iter().any(|e| e["line"].as_u64().unwrap() > 50), "line numbers from the file's start");
    assert_eq!(seek.stdout, full.stdout);
}

#[test]
fn a_search_finds_messages_that_differ_from_their_bytes() {
    // In a pino file: a message with an escaped letter, one with `\/`, one rendered from a
    // template naming a well-known field, and a Serilog file: a literal search must find them
    // as it finds the plain ones, though the phrase is not in their bytes.
    let d = crate::util::tempdir();
    let plain = |from: u64, to: u64| {
        let mut out = String::new();
        for i in from..to {
            let msg = if i % 10 == 3 { "connection reset by peer" } else { "request completed" };
            out.push_str(&format!(
                "{{\"level\":30,\"time\":{},\"pid\":1,\"hostname\":\"d-1\",\"msg\":\"{msg}\"}}\n",
                1_794_614_400_000u64 + i * 1000
            ));
        }
        out
    };
    let mut pino = plain(0, 40);
    pino.push_str("{\"level\":50,\"time\":1794614500000,\"pid\":1,\"hostname\":\"d-1\",\"msg\":\"conn\\u0065ction reset by peer\"}\n");
    pino.push_str("{\"level\":50,\"time\":1794614500001,\"pid\":1,\"hostname\":\"d-1\",\"msg\":\"a\\/b: connection reset by peer\"}\n");
    pino.push_str("{\"level\":50,\"time\":1794614500002,\"pid\":1,\"hostname\":\"d-1\",\"@mt\":\"{What} reset by peer\",\"What\":\"connection\"}\n");
    pino.push_str("{\"level\":50,\"time\":1794614500003,\"pid\":1,\"hostname\":\"connection\",\"@mt\":\"{hostname} reset by peer\"}\n");
    // (plain hits after them too: the search for escapes goes on past the hits)
    pino.push_str(&plain(200, 240));
    let p = d.path().join("directus.json");
    std::fs::write(&p, pino).unwrap();
    let mut serilog = String::new();
    for i in 0..20 {
        serilog.push_str(&format!(
            "{{\"@t\":\"2026-11-21T10:00:{i:02}Z\",\"@mt\":\"{{Peer}} reset by peer\",\"Peer\":\"{}\"}}\n",
            if i % 4 == 0 { "connection" } else { "socket" }
        ));
    }
    let s = d.path().join("app-serilog.json");
    std::fs::write(&s, serilog).unwrap();
    for (path, want) in [(&p, 8 + 4), (&s, 5)] {
        let path = path.to_str().unwrap();
        // What the messages say, read by the test from the NDJSON.
        let es = json_lines(&run(&["cat", "-o", "json", path]).stdout);
        let in_msgs = es.iter().filter(|e| e["msg"].as_str().unwrap().contains("connection reset by peer")).count();
        assert_eq!(in_msgs, want, "{path}: messages holding the phrase");
        for args in [
            &["-F", "connection reset by peer"][..],
            &["-e", "connection reset by peer"],
            &["-i", "-F", "Connection Reset"],
        ] {
            let mut a = vec!["cat", "-c"];
            a.extend_from_slice(args);
            a.push(path);
            assert_eq!(count(&a), want as u64, "{a:?}");
        }
    }
}
