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
