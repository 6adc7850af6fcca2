//! `logx cat` on the project's fixtures: the NDJSON contract, rotated sets with gzip read
//! oldest first, directories and globs, stdin, chronological merge, outputs, colours, counts
//! and exit codes.

use std::io::{BufRead, BufReader, Read};
use std::process::Stdio;

use crate::util::{entries, fixture, json_lines, logx, run, run_stdin, tempdir};

#[test]
fn contract_keys_and_values() {
    let r = crate::util::run(&["cat", "-o", "json", fixture("cells").to_str().unwrap()]);
    let line = r.stdout.lines().next().unwrap();
    let pos: Vec<usize> =
        ["\"ts\":", "\"level\":", "\"msg\":", "\"source\":", "\"line\":", "\"format\":", "\"service\":", "\"fields\":"]
            .iter()
            .map(|k| line.find(k).unwrap_or_else(|| panic!("{k} in {line}")))
            .collect();
    assert!(pos.windows(2).all(|w| w[0] < w[1]), "contract key order: {line}");
    let es = entries(&[&fixture("cells")]);
    let first = &es[0];
    assert_eq!(first["format"], "zap");
    assert_eq!(first["line"], 1);
    assert!(first["source"].as_str().unwrap().ends_with("cells/pydio.log.2.gz"));
    // Pydio Cells' fields lifted to the well-known keys, the rest under `fields`.
    for e in &es {
        if e["msg"] == "scheduler tick" {
            continue;
        }
        assert!(
            e["request_id"].is_string() && e["user"].is_string() && e["ip"].is_string() && e["service"].is_string(),
            "{e}"
        );
        assert!(e["fields"]["SpanUuid"].is_string(), "{e}");
        assert!(e["fields"].get("SpanRootUuid").is_none() && e["fields"].get("UserName").is_none());
        let ts = e["ts"].as_str().unwrap();
        assert!(ts.ends_with('Z') && ts.len() == "2026-11-20T10:00:00.301Z".len(), "{ts}");
    }
}

#[test]
fn rotated_set_is_one_stream_oldest_first() {
    let es = entries(&[&fixture("cells")]);
    let lines: usize = ["pydio.log", "pydio.log.1"]
        .iter()
        .map(|f| std::fs::read_to_string(fixture("cells").join(f)).unwrap().lines().count())
        .sum::<usize>()
        + {
            let mut s = String::new();
            flate2::read::GzDecoder::new(std::fs::File::open(fixture("cells/pydio.log.2.gz")).unwrap())
                .read_to_string(&mut s)
                .unwrap();
            s.lines().count()
        };
    assert_eq!(es.len(), lines);
    let sources: Vec<String> =
        es.iter().map(|e| e["source"].as_str().unwrap().rsplit('/').next().unwrap().to_string()).collect();
    let mut order = sources.clone();
    order.dedup();
    assert_eq!(order, ["pydio.log.2.gz", "pydio.log.1", "pydio.log"]);
    // Oldest first: timestamps never go back across the rotation boundaries.
    let ts: Vec<&str> = es.iter().map(|e| e["ts"].as_str().unwrap()).collect();
    assert!(ts.windows(2).all(|w| w[0] <= w[1]), "time goes back");
    // Line numbers restart per file.
    let firsts: Vec<i64> = es
        .iter()
        .zip(sources.iter())
        .enumerate()
        .filter(|(i, (_, s))| *i == 0 || sources[i - 1] != **s)
        .map(|(_, (e, _))| e["line"].as_i64().unwrap())
        .collect();
    assert_eq!(firsts, [1, 1, 1]);
}

#[test]
fn directory_merges_chronologically() {
    let es = entries(&[&crate::util::root().join("fixtures")]);
    let total: usize = ["app.log", "directus.json", "access.log", "syslog", "app.logfmt", "cells", "audit"]
        .iter()
        .map(|f| entries(&[&fixture(f)]).len())
        .sum();
    assert_eq!(es.len(), total, "every file under the directory, nothing twice");
    let mut prev = i64::MIN;
    // The audit fixture has an instance that wrote two lines out of order (as services do):
    // a merge keeps each file's order, so only the other files must come out sorted.
    for e in es.iter().filter(|e| !e["source"].as_str().unwrap().contains("/audit/")) {
        if let Some(ts) = e["ts"].as_str() {
            let t = chrono::DateTime::parse_from_rfc3339(ts).unwrap().timestamp_nanos_opt().unwrap();
            assert!(t >= prev, "merge out of order at {e}");
            prev = t;
        }
    }
}

#[test]
fn counts_and_exit_codes() {
    let r = run(&["cat", "-c", fixture("app.log").to_str().unwrap()]);
    // 200 timestamped entries (stack traces joined) and the start-up banner.
    assert_eq!((r.code, r.stdout.trim()), (0, "201"));
    let r = run(&["cat", "-c", "--level", "fatal", fixture("app.log").to_str().unwrap()]);
    assert_eq!((r.code, r.stdout.trim()), (1, "0"));
    let r = run(&["cat", "-c", "--level", "error", fixture("app.log").to_str().unwrap()]);
    assert_eq!((r.code, r.stdout.trim()), (0, "25"));
}

#[test]
fn stack_traces_are_one_entry() {
    let es = entries(&[&fixture("app.log")]);
    let with_trace: Vec<_> = es.iter().filter(|e| e["msg"].as_str().unwrap().contains("\n\tat java.base")).collect();
    assert!(!with_trace.is_empty());
    for e in with_trace {
        assert_eq!(e["level"], "error");
        assert!(e["msg"].as_str().unwrap().ends_with("\t... 12 more"), "{e}");
    }
}

#[test]
fn stdin_is_read_like_a_file() {
    let data = std::fs::read(fixture("directus.json")).unwrap();
    let from_file = entries(&[&fixture("directus.json")]);
    let r = run_stdin(&["cat", "-o", "json", "-"], &data);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let from_stdin = json_lines(&r.stdout);
    assert_eq!(from_stdin.len(), from_file.len());
    for (a, b) in from_stdin.iter().zip(&from_file) {
        assert_eq!(a["source"], "-");
        assert_eq!((&a["ts"], &a["msg"], &a["line"], &a["fields"]), (&b["ts"], &b["msg"], &b["line"], &b["fields"]));
    }
    // Without paths, piped stdin is the input.
    let r = run_stdin(&["cat", "-c"], &data);
    assert_eq!(r.stdout.trim(), "150");
}

#[test]
fn raw_output_is_byte_exact_when_piped() {
    for f in ["app.log", "access.log", "directus.json"] {
        let r = run(&["cat", "-o", "raw", fixture(f).to_str().unwrap()]);
        assert_eq!(r.raw, std::fs::read(fixture(f)).unwrap(), "{f}");
    }
}

#[test]
fn logfmt_and_pretty_outputs() {
    let r = run(&["cat", "-o", "logfmt", fixture("directus.json").to_str().unwrap()]);
    let first = r.stdout.lines().next().unwrap();
    assert!(first.starts_with("ts=2026-11-20T11:00:01.932Z level=info msg=\"request completed\" source="), "{first}");
    assert!(first.contains(" host=directus-1 ") && first.contains(" request_id=req-0 "), "{first}");
    let r = run(&["cat", "-o", "pretty", "--color", "never", fixture("directus.json").to_str().unwrap()]);
    let first = r.stdout.lines().next().unwrap();
    // The host column is as wide as the longest source name, so columns align.
    assert_eq!(first, "2026-11-20 11:00:01.932 INFO  directus-1    request completed");
    assert!(!r.stdout.contains('\x1b'));
    let r = run(&["cat", "-o", "pretty", "--color", "always", fixture("directus.json").to_str().unwrap()]);
    assert!(r.stdout.contains("\x1b[32mINFO"), "level colours");
    let r = logx()
        .env("NO_COLOR", "1")
        .args(["cat", "-o", "pretty", fixture("directus.json").to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&r.stdout).contains('\x1b'), "NO_COLOR");
    // Display zone.
    let r =
        run(&["cat", "-o", "pretty", "--color", "never", "--tz", "+02:00", fixture("directus.json").to_str().unwrap()]);
    assert!(r.stdout.starts_with("2026-11-20 13:00:01.932 INFO"), "{}", r.stdout.lines().next().unwrap());
}

#[test]
fn search_matches_are_highlighted() {
    let r =
        run(&["cat", "-o", "pretty", "--color", "always", "-F", "reset by peer", fixture("app.log").to_str().unwrap()]);
    assert_eq!(r.code, 0);
    let line = r.stdout.lines().next().unwrap();
    assert!(line.contains("\x1b[1;30;43mreset by peer\x1b[0m"), "{line:?}");
}

#[test]
fn broken_pipe_is_quiet() {
    let dir = tempdir();
    let path = dir.path().join("big.log");
    let mut s = String::new();
    for i in 0..200_000 {
        s.push_str(&format!("2026-11-21 10:00:00.{:03} INFO svc: line {i}\n", i % 1000));
    }
    std::fs::write(&path, s).unwrap();
    let mut child =
        logx().args(["cat", "-o", "json"]).arg(&path).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    out.read_line(&mut line).unwrap();
    drop(out);
    let status = child.wait().unwrap();
    let mut err = String::new();
    child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
    assert!(status.success(), "exit {status:?}");
    assert_eq!(err, "", "nothing on stderr");
}

#[test]
fn globs_and_help() {
    let pattern = format!("{}/*.log", crate::util::root().join("fixtures").display());
    let r = run(&["cat", "-c", &pattern]);
    let expect = entries(&[&fixture("app.log")]).len() + entries(&[&fixture("access.log")]).len();
    assert_eq!(r.stdout.trim(), expect.to_string());
    for verb in [&["--help"][..], &["cat", "--help"], &["stats", "--help"], &["formats", "--help"]] {
        let r = run(verb);
        assert_eq!(r.code, 0);
        assert!(r.stdout.contains("Examples:"), "{verb:?} help has examples");
    }
}

#[test]
fn formats_list_and_detect() {
    let r = run(&["formats"]);
    for name in
        ["json", "logfmt", "syslog", "access", "cri", "compose", "apache_error", "nginx_error", "glog", "text", "raw"]
    {
        assert!(r.stdout.lines().any(|l| l.starts_with(name)), "{name} listed");
    }
    let r = run(&["formats", "detect", fixture("syslog").to_str().unwrap(), fixture("app.log").to_str().unwrap()]);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert!(lines[0].contains(": syslog — 80 of 80 sampled lines (100%)"), "{}", lines[0]);
    assert!(lines[1].contains(": text (timestamp Iso at token 0, level at token 0 after it)"), "{}", lines[1]);
    let r = run(&["cat", "--format", "jsn", fixture("app.log").to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("did you mean 'json'"), "{}", r.stderr);
}

#[test]
fn forced_format() {
    // Read JSON lines as raw text: one raw entry per line, no levels.
    let r = run(&["cat", "-o", "json", "--format", "raw", fixture("directus.json").to_str().unwrap()]);
    let es = json_lines(&r.stdout);
    assert_eq!(es.len(), 150);
    assert!(es.iter().all(|e| e["format"] == "raw" && e["level"].is_null()), "a forced format does not fall back");
}

/// A large file is read a window at a time: the pages read are let go chunk by chunk, so the
/// process's peak resident memory (mapped pages included) stays far below the file's size.
#[cfg(target_os = "linux")]
#[test]
fn resident_memory_stays_a_window_of_a_large_file() {
    use std::io::Write;
    let dir = tempdir();
    let path = dir.path().join("big.log");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    let mut i = 0u64;
    let mut written = 0usize;
    while written < 256 << 20 {
        let line = format!(
            "2026-11-21 10:{:02}:{:02}.{:03} [INFO] svc-{}: request {i} served in {} ms from the cache of node {}\n",
            (i / 60_000) % 60,
            (i / 1000) % 60,
            i % 1000,
            i % 7,
            i % 500,
            i % 13
        );
        f.write_all(line.as_bytes()).unwrap();
        written += line.len();
        i += 1;
    }
    drop(f);
    let mut child = logx()
        .args(["--no-index", "cat", "-o", "json"])
        .arg(&path)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let status_path = format!("/proc/{}/status", child.id());
    let (mut peak_kib, mut samples) = (0u64, 0);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if let Ok(st) = std::fs::read_to_string(&status_path) {
            if let Some(kib) = st
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            {
                peak_kib = peak_kib.max(kib);
                samples += 1;
            }
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    };
    assert!(status.success());
    assert!(samples >= 5, "the run was too short to watch ({samples} samples)");
    let file_kib = std::fs::metadata(&path).unwrap().len() / 1024;
    assert!(peak_kib < 128 * 1024, "peak resident {peak_kib} KiB while reading a {file_kib} KiB file");
}
