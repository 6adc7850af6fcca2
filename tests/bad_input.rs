//! Bad input: one clear error line naming what and where, the rest of the work goes on.

use std::io::Write;

use crate::util::{fixture, json_lines, run, tempdir};

#[test]
fn missing_path_is_one_line_and_the_rest_goes_on() {
    let good = fixture("access.log");
    let r = run(&["cat", "-o", "json", "/nonexistent/nope.log", good.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert_eq!(r.stderr, "logx: /nonexistent/nope.log: no such file or directory\n");
    assert_eq!(json_lines(&r.stdout).len(), 120, "the other input is fully processed");
}

/// Runs a command as an unprivileged user when the tests run as root (root reads anything).
fn unprivileged(args: &[&str]) -> Option<crate::util::Run> {
    // SAFETY: geteuid has no preconditions.
    let euid = unsafe { libc::geteuid() };
    let mut cmd = if euid == 0 {
        if std::process::Command::new("setpriv").arg("--version").output().is_err() {
            return None;
        }
        let mut c = std::process::Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups", env!("CARGO_BIN_EXE_logx")]);
        c
    } else {
        std::process::Command::new(env!("CARGO_BIN_EXE_logx"))
    };
    cmd.env("TZ", "UTC")
        .env("XDG_CONFIG_HOME", "/nonexistent")
        .env("XDG_CACHE_HOME", "/tmp/logx-test-unpriv-cache")
        .args(args);
    Some(cmd.output().expect("run").into())
}

#[test]
fn unreadable_path_is_one_line_and_the_rest_goes_on() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempdir();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let secret = dir.path().join("secret.log");
    let open = dir.path().join("open.log");
    std::fs::write(&secret, "2026-11-21 10:00:00 INFO hidden\n").unwrap();
    std::fs::write(&open, "2026-11-21 10:00:01 INFO visible\n").unwrap();
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o000)).unwrap();
    std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o644)).unwrap();
    let Some(r) = unprivileged(&["cat", "-o", "json", secret.to_str().unwrap(), open.to_str().unwrap()]) else {
        eprintln!("skipped: running as root without setpriv");
        return;
    };
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(r.stderr, format!("logx: {}: permission denied\n", secret.display()));
    let es = json_lines(&r.stdout);
    assert_eq!(es.len(), 1);
    assert_eq!(es[0]["msg"], "visible");
}

#[test]
fn binary_file_is_skipped_with_a_warning() {
    let dir = tempdir();
    let bin = dir.path().join("core.log");
    let mut x: u32 = 12345;
    let data: Vec<u8> = (0..65536)
        .map(|_| {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            (x >> 16) as u8
        })
        .collect();
    std::fs::write(&bin, data).unwrap();
    let r = run(&["cat", "-c", bin.to_str().unwrap(), fixture("syslog").to_str().unwrap()]);
    assert_eq!(r.stderr, format!("logx: warning: {}: binary data, not a log, skipped\n", bin.display()));
    assert_eq!((r.code, r.stdout.trim()), (0, "80"));
    // Under a directory, binary files are skipped the same way.
    std::fs::write(dir.path().join("ok.log"), "2026-11-21 10:00:00 INFO fine\n").unwrap();
    let r = run(&["cat", "-c", dir.path().to_str().unwrap()]);
    assert_eq!((r.code, r.stdout.trim()), (0, "1"));
    assert!(r.stderr.contains("binary data, not a log, skipped"));
}

#[test]
fn invalid_utf8_is_lossy_for_people_and_exact_in_raw() {
    let dir = tempdir();
    let path = dir.path().join("latin1.log");
    let bytes = b"2026-11-21 10:00:00 INFO caf\xe9 cr\xe8me user=ren\xe9\n2026-11-21 10:00:01 WARN ok\n";
    std::fs::write(&path, bytes).unwrap();
    let r = run(&["cat", "-o", "json", path.to_str().unwrap()]);
    let es = json_lines(&r.stdout);
    assert_eq!(es.len(), 2);
    assert_eq!(es[0]["msg"], "caf\u{fffd} cr\u{fffd}me user=ren\u{fffd}");
    assert_eq!(es[0]["user"], "ren\u{fffd}");
    assert_eq!(es[0]["level"], "info");
    let r = run(&["cat", "-o", "pretty", "--color", "never", path.to_str().unwrap()]);
    assert!(r.stdout.contains("caf\u{fffd} cr\u{fffd}me"), "{}", r.stdout);
    let r = run(&["cat", "-o", "raw", path.to_str().unwrap()]);
    assert_eq!(r.raw, bytes);
}

#[test]
fn empty_file() {
    let dir = tempdir();
    let path = dir.path().join("empty.log");
    std::fs::write(&path, "").unwrap();
    let r = run(&["cat", "-c", path.to_str().unwrap()]);
    assert_eq!((r.code, r.stdout.trim(), r.stderr.as_str()), (1, "0", ""));
    let r = run(&["cat", "-o", "json", path.to_str().unwrap()]);
    assert_eq!((r.code, r.stdout.as_str()), (1, ""));
}

#[test]
fn fifty_megabyte_single_line() {
    let dir = tempdir();
    let path = dir.path().join("huge.log");
    let mut f = std::fs::File::create(&path).unwrap();
    f.write_all(b"2026-11-21 10:00:00 ERROR big: ").unwrap();
    let chunk = vec![b'x'; 1 << 20];
    for _ in 0..50 {
        f.write_all(&chunk).unwrap();
    }
    f.write_all(b"\n2026-11-21 10:00:01 INFO after\n").unwrap();
    drop(f);
    let r = run(&["cat", "-c", path.to_str().unwrap()]);
    assert_eq!(r.stdout.trim(), "2");
    let r = run(&["cat", "-o", "json", "--level", "error", path.to_str().unwrap()]);
    let es = json_lines(&r.stdout);
    assert_eq!(es.len(), 1);
    assert_eq!(es[0]["msg"].as_str().unwrap().len(), 50 << 20);
}

#[test]
fn crlf_line_endings() {
    let dir = tempdir();
    let path = dir.path().join("win.log");
    let bytes = b"2026-11-21 10:00:00 INFO first\r\n2026-11-21 10:00:01 ERROR second\r\n  detail line\r\n";
    std::fs::write(&path, bytes).unwrap();
    let es = json_lines(&run(&["cat", "-o", "json", path.to_str().unwrap()]).stdout);
    assert_eq!(es.len(), 2);
    assert_eq!(es[0]["msg"], "first");
    assert_eq!(es[1]["msg"], "second\n  detail line");
    assert_eq!(run(&["cat", "-o", "raw", path.to_str().unwrap()]).raw, bytes);
}

#[test]
fn nul_bytes() {
    let dir = tempdir();
    let path = dir.path().join("nul.log");
    let bytes = b"2026-11-21 10:00:00 INFO before\n2026-11-21 10:00:01 WARN with \0\0 nul\n\0\0\0\0\n2026-11-21 10:00:02 INFO after\n";
    std::fs::write(&path, bytes).unwrap();
    let es = json_lines(&run(&["cat", "-o", "json", path.to_str().unwrap()]).stdout);
    assert_eq!(es.len(), 3, "the NUL-only line continues the entry before it");
    assert_eq!(es[1]["msg"], "with \u{0}\u{0} nul\n\u{0}\u{0}\u{0}\u{0}");
    let r = run(&["cat", "-o", "pretty", "--color", "never", path.to_str().unwrap()]);
    assert!(!r.raw.contains(&0u8), "no NUL reaches the terminal");
    assert!(r.stdout.contains("with \\x00\\x00 nul"));
    assert_eq!(run(&["cat", "-o", "raw", path.to_str().unwrap()]).raw, bytes);
}

/// A small clean log beside the bad input: it must come out whole.
fn good_log(dir: &std::path::Path) -> std::path::PathBuf {
    let p = dir.join("good.log");
    let mut s = String::new();
    for i in 0..50 {
        s.push_str(&format!("2026-11-21 10:{i:02}:00 INFO good {i}\n"));
    }
    std::fs::write(&p, s).unwrap();
    p
}

fn good_count(stdout: &str) -> usize {
    json_lines(stdout).iter().filter(|e| e["msg"].as_str().is_some_and(|m| m.starts_with("good "))).count()
}

/// Runs logx with a deadline: bad input must never hang it.
fn run_within(args: &[&str], secs: u64) -> crate::util::Run {
    let child = crate::util::logx()
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id() as i32;
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(std::time::Duration::from_secs(secs)) {
        Ok(out) => out.unwrap().into(),
        Err(_) => {
            // SAFETY: kill has no memory-safety preconditions.
            unsafe { libc::kill(pid, libc::SIGKILL) };
            panic!("logx {args:?} hangs");
        }
    }
}

#[test]
fn a_one_gibibyte_line() {
    let dir = tempdir();
    let path = dir.path().join("giant.log");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    f.write_all(b"2026-11-21 10:00:00 INFO before\n2026-11-21 10:00:01 ERROR giant: ").unwrap();
    let chunk: Vec<u8> = b"0123456789abcdef".iter().copied().cycle().take(1 << 20).collect();
    for _ in 0..1024 {
        f.write_all(&chunk).unwrap();
    }
    f.write_all(b"\n2026-11-21 10:00:02 INFO after\n").unwrap();
    drop(f);
    let size = std::fs::metadata(&path).unwrap().len();
    assert!(size > 1 << 30);
    let p = path.to_str().unwrap();
    assert_eq!(run_within(&["cat", "-c", p], 120).stdout.trim(), "3");
    // The entry after the giant one is found by a search that scans the giant one.
    let es = json_lines(&run_within(&["cat", "-o", "json", "-F", "after", p], 120).stdout);
    assert_eq!((es.len(), es[0]["line"].as_u64()), (1, Some(3)));
    let r = run_within(&["cat", "-c", "--level", "error", p], 120);
    assert_eq!(r.stdout.trim(), "1");
    // Raw output is every byte, piped to a file.
    let copy = dir.path().join("copy");
    let st = crate::util::logx()
        .args(["cat", "-o", "raw", p])
        .stdout(std::fs::File::create(&copy).unwrap())
        .status()
        .unwrap();
    assert!(st.success());
    assert_eq!(std::fs::metadata(&copy).unwrap().len(), size);
}

#[test]
fn json_nested_beyond_any_recursion_limit_falls_back_to_raw() {
    let dir = tempdir();
    let path = dir.path().join("deep.json");
    let depth = 200_000;
    let mut s = String::from(r#"{"level":"info","msg":"before","time":"2026-11-21T10:00:00Z"}"#);
    s.push('\n');
    s.push_str(&"{\"a\":".repeat(depth));
    s.push('1');
    s.push_str(&"}".repeat(depth));
    s.push_str("\n[");
    s.push_str(&"[".repeat(depth));
    s.push_str(&"]".repeat(depth + 1));
    s.push_str("\n{\"level\":\"warn\",\"msg\":\"after\",\"time\":\"2026-11-21T10:00:01Z\"}\n");
    std::fs::write(&path, &s).unwrap();
    let good = good_log(dir.path());
    let r = run_within(&["cat", "-o", "json", path.to_str().unwrap(), good.to_str().unwrap()], 60);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let es = json_lines(&r.stdout);
    let deep: Vec<_> = es.iter().filter(|e| e["format"] == "raw").collect();
    assert_eq!(deep.len(), 2, "both deep lines are raw entries");
    assert!(deep.iter().all(|e| e["level"].is_null()));
    assert_eq!(deep[0]["msg"].as_str().unwrap().len(), depth * 6 + 1);
    assert!(es.iter().any(|e| e["msg"] == "after" && e["level"] == "warn"));
    assert_eq!(good_count(&r.stdout), 50);
    // stats says how many entries each format parsed and how many fell back to raw.
    let r = run(&["stats", path.to_str().unwrap()]);
    let formats = r.stdout.lines().find(|l| l.starts_with("formats")).unwrap();
    assert!(formats.contains("raw fallback: 2"), "{formats}");
}

#[test]
fn a_hundred_thousand_files_in_a_directory() {
    let dir = tempdir();
    let many = dir.path().join("many");
    std::fs::create_dir(&many).unwrap();
    for i in 0..100_000 {
        std::fs::write(many.join(format!("svc-{i:06}.log")), format!("2026-11-21 10:00:00 INFO file {i}\n")).unwrap();
    }
    let r = run_within(&["cat", "-c", many.to_str().unwrap(), "/nonexistent/x.log"], 300);
    assert_eq!(r.code, 2);
    assert_eq!(r.stdout.trim(), "100000");
    assert_eq!(r.stderr, "logx: /nonexistent/x.log: no such file or directory\n");
}

#[test]
fn symlink_loops_are_skipped_with_a_warning() {
    let dir = tempdir();
    let d = dir.path();
    good_log(d);
    std::os::unix::fs::symlink(d, d.join("self")).unwrap();
    std::os::unix::fs::symlink(d.join("b.log"), d.join("a.log")).unwrap();
    std::os::unix::fs::symlink(d.join("a.log"), d.join("b.log")).unwrap();
    std::fs::create_dir(d.join("sub")).unwrap();
    std::os::unix::fs::symlink("..", d.join("sub/up")).unwrap();
    let r = run_within(&["cat", "-o", "json", d.to_str().unwrap()], 30);
    assert_eq!(r.code, 0, "warnings are not errors: {}", r.stderr);
    assert_eq!(good_count(&r.stdout), 50, "the log is read once");
    for name in ["a.log", "b.log"] {
        assert!(
            r.stderr.contains(&format!("warning: {}: symlink loop, skipped", d.join(name).display())),
            "{name}: {}",
            r.stderr
        );
    }
    // An explicit path that loops: one error line.
    let r = run_within(&["cat", "-c", d.join("a.log").to_str().unwrap(), d.join("good.log").to_str().unwrap()], 30);
    assert_eq!(r.stdout.trim(), "50");
    assert!(r.stderr.contains("a.log") && r.stderr.lines().count() == 1, "{}", r.stderr);
}

#[test]
fn dev_zero_and_dev_urandom_are_not_logs() {
    let dir = tempdir();
    let good = good_log(dir.path());
    for dev in ["/dev/zero", "/dev/urandom"] {
        if !std::path::Path::new(dev).exists() {
            continue;
        }
        let r = run_within(&["cat", "-o", "json", dev, good.to_str().unwrap()], 20);
        assert_eq!(r.code, 0, "{dev}: {}", r.stderr);
        assert_eq!(good_count(&r.stdout), 50, "{dev}");
        assert!(
            r.stderr.contains(&format!("warning: {dev}:")) && r.stderr.contains("not a log"),
            "{dev}: {}",
            r.stderr
        );
        // As stdin too.
        let r = run_within(&["stats", dev], 20);
        assert!(r.stderr.contains("not a log"), "{dev}: {}", r.stderr);
        // tail does not hang on it either.
        let r = run_within(&["tail", "--no-follow", dev, good.to_str().unwrap()], 20);
        assert!(r.stderr.contains("not a log"), "{dev}: {}", r.stderr);
        assert!(r.stdout.contains("good 49"), "{dev}: {}", r.stdout);
    }
}

#[test]
fn a_full_disk_while_exporting_or_printing() {
    if !std::path::Path::new("/dev/full").exists() {
        eprintln!("skipped: no /dev/full");
        return;
    }
    let good = fixture("app.log");
    for args in [
        &["export", "--all", "--csv"][..],
        &["export", "--all", "--ndjson"][..],
        &["cat", "-o", "json"][..],
        &["cat"][..],
    ] {
        let out = crate::util::logx()
            .args(args)
            .arg(&good)
            .stdout(std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{args:?}: one line: {stderr}");
        assert!(stderr.contains("No space left on device"), "{args:?}: {stderr}");
    }
}

/// A log big enough that logx is still reading it when the test changes it underneath.
fn big_log(path: &std::path::Path) -> u64 {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    for i in 0..2_000_000u32 {
        writeln!(f, "2026-11-21 10:00:00.{:03} INFO request {i} served in {}ms", i % 1000, i % 97).unwrap();
    }
    drop(f);
    std::fs::metadata(path).unwrap().len()
}

#[test]
fn a_file_truncated_or_deleted_while_mapped() {
    use std::io::Read;
    use std::os::unix::process::ExitStatusExt;
    let dir = tempdir();
    for case in ["truncated", "deleted"] {
        let path = dir.path().join(format!("{case}.log"));
        let size = big_log(&path);
        let good = good_log(dir.path());
        // Raw output blocks on the pipe: logx is mid-file when the file changes.
        let mut child = crate::util::logx()
            .args(["cat", "-o", "raw", path.to_str().unwrap(), good.to_str().unwrap()])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut out = child.stdout.take().unwrap();
        let mut first = vec![0u8; 1 << 20];
        out.read_exact(&mut first).unwrap();
        match case {
            "truncated" => std::fs::OpenOptions::new().write(true).open(&path).unwrap().set_len(4096).unwrap(),
            _ => std::fs::remove_file(&path).unwrap(),
        }
        let mut rest = Vec::new();
        out.read_to_end(&mut rest).unwrap();
        let st = child.wait().unwrap();
        let mut err = String::new();
        child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
        assert_eq!(st.signal(), None, "{case}: killed by a signal (SIGBUS?)");
        let all = [first, rest].concat();
        let text = String::from_utf8_lossy(&all);
        assert!(text.contains("good 49"), "{case}: the other input is fully processed");
        match case {
            "truncated" => {
                assert_eq!(st.code(), Some(2), "{err}");
                assert!(err.contains("truncated while being read"), "{err}");
                assert!((all.len() as u64) < size, "{case}");
                assert!(!all.contains(&0), "no NUL from the vanished pages reaches the output");
            }
            _ => {
                assert_eq!(st.code(), Some(0), "{err}");
                assert_eq!(
                    all.len() as u64,
                    size + std::fs::metadata(&good).unwrap().len(),
                    "a deleted file is read whole"
                );
            }
        }
    }
}

#[test]
fn lines_no_format_understands_are_entries_not_losses() {
    let dir = tempdir();
    let path = dir.path().join("mixed.log");
    let text = "2026-11-21 10:00:00 INFO one\n\
                garbage line without anything\n\
                {\"level\":\"warn\",\"msg\":\"json in text\",\"time\":\"2026-11-21T10:00:01Z\"}\n\
                %%%% ###\n\
                2026-11-21 10:00:02 ERROR two\n\
                \u{1}\u{2}\u{3}\n";
    std::fs::write(&path, text).unwrap();
    let r = run(&["cat", "-o", "json", "--no-index", path.to_str().unwrap()]);
    let es = json_lines(&r.stdout);
    let joined: Vec<String> = es.iter().map(|e| e["msg"].as_str().unwrap().to_string()).collect();
    for needle in ["garbage line without anything", "%%%% ###", "\u{1}\u{2}\u{3}", "json in text"] {
        assert!(joined.iter().any(|m| m.contains(needle)), "{needle} is lost: {joined:?}");
    }
    // Every line is in exactly one entry.
    let lines: usize = joined.iter().map(|m| m.lines().count().max(1)).sum();
    assert_eq!(lines, text.lines().count());
    // Exported too.
    let r = run(&["export", "--all", "--csv", path.to_str().unwrap()]);
    assert!(r.stdout.contains("garbage line without anything") && r.stdout.contains("%%%% ###"), "{}", r.stdout);
    let r = run(&["stats", path.to_str().unwrap()]);
    let formats = r.stdout.lines().find(|l| l.starts_with("formats")).unwrap();
    assert!(formats.contains("raw fallback"), "{formats}");
}

#[test]
fn a_tai64n_like_line_with_multibyte_characters_is_not_a_crash() {
    // Found by fuzzing: `@` and 24 bytes of multi-byte characters panicked the TAI64N reader.
    let r =
        crate::util::run_stdin(&["cat", "-o", "json"], "@téééééééééWéé rest\n2026-11-21 10:00:00 INFO ok\n".as_bytes());
    assert_eq!(r.code, 0, "{}", r.stderr);
    let es = json_lines(&r.stdout);
    assert_eq!(es.len(), 2);
    assert_eq!(es[0]["format"], "raw");
}

#[test]
fn a_damaged_year_is_not_taken_for_a_time() {
    // Years that nanoseconds in an i64 do not hold (past 2262, before 1678): the time is not
    // read (kept as a field in JSON, the whole line kept as raw text), never wrapped around
    // into another century, and the other entries' times are untouched.
    let d = tempdir();
    let json = d.path().join("app.json");
    std::fs::write(
        &json,
        concat!(
            "{\"level\":\"info\",\"ts\":\"2026-11-14T00:00:00.015Z\",\"msg\":\"now\"}\n",
            "{\"level\":\"warn\",\"ts\":\"9026-11-14T00:00:00.015Z\",\"msg\":\"far future\"}\n",
            "{\"level\":\"error\",\"ts\":\"1000-01-01T00:00:00Z\",\"msg\":\"far past\"}\n",
            "{\"level\":\"info\",\"ts\":\"2026-11-14T00:00:01Z\",\"msg\":\"later\"}\n",
        ),
    )
    .unwrap();
    let text = d.path().join("app.log");
    std::fs::write(&text, "9026-11-14 00:00:00.763 [ERROR] svc: far\n2026-11-14 00:00:00.763 [INFO] svc: now\n")
        .unwrap();
    let r = run(&["cat", "-o", "json", json.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let es = json_lines(&r.stdout);
    assert_eq!(es.len(), 4);
    assert_eq!(es[1]["ts"], serde_json::Value::Null);
    assert_eq!(es[1]["fields"]["ts"], "9026-11-14T00:00:00.015Z");
    assert_eq!(es[2]["ts"], serde_json::Value::Null);
    assert_eq!(es[2]["fields"]["ts"], "1000-01-01T00:00:00Z");
    assert_eq!(es[3]["ts"], "2026-11-14T00:00:01Z");
    let r = run(&["cat", "-o", "json", text.to_str().unwrap()]);
    let es = json_lines(&r.stdout);
    assert_eq!(
        (es[0]["ts"].clone(), es[0]["msg"].as_str()),
        (serde_json::Value::Null, Some("9026-11-14 00:00:00.763 [ERROR] svc: far"))
    );
    assert_eq!(es[1]["ts"], "2026-11-14T00:00:00.763Z");
    // Statistics see the ordinary times only (they were 2012 and 2169 when the years wrapped).
    let r = run(&["stats", "-o", "json", json.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let s: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        (s["first_ts"].as_str(), s["last_ts"].as_str(), s["untimed"].as_u64()),
        (Some("2026-11-14T00:00:00.015Z"), Some("2026-11-14T00:00:01Z"), Some(2))
    );
}
