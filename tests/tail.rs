//! `logx tail` on files rotated for real while it follows: every number written must come
//! out exactly once, in order per source. Plus the cases around it: files that do not exist
//! yet, directories that gain files, truncation, deletion, permission loss, FIFOs, stdin.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::util::{logx, tempdir};

/// A running `logx tail -o json`, its output collected on a thread.
struct Tail {
    child: Child,
    lines: Arc<Mutex<Vec<String>>>,
    stderr: Arc<Mutex<String>>,
}

impl Tail {
    fn start(args: &[&str]) -> Tail {
        let mut child = logx()
            .args(["tail", "-o", "json"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        let lines = Arc::new(Mutex::new(Vec::new()));
        let stderr = Arc::new(Mutex::new(String::new()));
        let out = child.stdout.take().unwrap();
        let err = child.stderr.take().unwrap();
        let l2 = lines.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                l2.lock().unwrap().push(line);
            }
        });
        let e2 = stderr.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                let mut s = e2.lock().unwrap();
                s.push_str(&line);
                s.push('\n');
            }
        });
        // Let it start watching.
        std::thread::sleep(Duration::from_millis(400));
        Tail { child, lines, stderr }
    }

    fn msgs(&self) -> Vec<String> {
        self.lines
            .lock()
            .unwrap()
            .iter()
            .map(|l| {
                serde_json::from_str::<serde_json::Value>(l).unwrap_or_else(|e| panic!("{l}: {e}"))["msg"]
                    .as_str()
                    .unwrap_or("")
                    .to_string()
            })
            .collect()
    }

    /// Waits until a message containing `text` is out.
    fn wait_for(&self, text: &str, within: Duration) {
        let start = Instant::now();
        while !self.msgs().iter().any(|m| m.contains(text)) {
            if start.elapsed() > within {
                panic!(
                    "no {text:?} after {within:?}; stderr: {}; got {} lines",
                    self.stderr.lock().unwrap(),
                    self.msgs().len()
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn stop(mut self) -> (Vec<String>, String) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        std::thread::sleep(Duration::from_millis(100));
        let m = self.msgs();
        let e = self.stderr.lock().unwrap().clone();
        (m, e)
    }
}

#[derive(Clone, Copy, Debug)]
enum Rotation {
    RenameCreate,
    CopyTruncate,
    DeleteRecreate,
    RenameGzip,
    DateStamped,
    TruncateInPlace,
}

fn line(tag: &str, n: u64) -> String {
    format!("2026-11-21 10:{:02}:{:02}.{:03} INFO {tag} number {n}\n", (n / 60_000) % 60, (n / 1000) % 60, n % 1000)
}

/// Writes `total` numbered lines to `dir`, rotating every `every` lines.
fn writer(dir: &Path, base: &str, tag: &str, total: u64, every: u64, mode: Rotation) {
    let name = |day: u64| -> PathBuf {
        match mode {
            Rotation::DateStamped => dir.join(format!("{base}-2026-11-{:02}.log", 10 + day)),
            _ => dir.join(format!("{base}.log")),
        }
    };
    let mut day = 0u64;
    let mut gen = 0u64;
    let mut f = std::fs::OpenOptions::new().create(true).append(true).open(name(day)).unwrap();
    for n in 0..total {
        f.write_all(line(tag, n).as_bytes()).unwrap();
        if n % 25 == 0 {
            f.flush().unwrap();
            std::thread::sleep(Duration::from_millis(2));
        }
        if n > 0 && n % every == 0 {
            f.flush().unwrap();
            let live = name(day);
            gen += 1;
            match mode {
                Rotation::RenameCreate => {
                    std::fs::rename(&live, dir.join(format!("{base}.log.{gen}"))).unwrap();
                    f = std::fs::File::create(&live).unwrap();
                }
                Rotation::CopyTruncate => {
                    // logrotate's copytruncate: copy, then truncate the file the writer keeps.
                    std::fs::copy(&live, dir.join(format!("{base}.log.{gen}"))).unwrap();
                    f.set_len(0).unwrap();
                }
                Rotation::DeleteRecreate => {
                    // The follower must have read the old file: deleted bytes are gone.
                    std::thread::sleep(Duration::from_millis(300));
                    std::fs::remove_file(&live).unwrap();
                    f = std::fs::File::create(&live).unwrap();
                }
                Rotation::RenameGzip => {
                    let old = dir.join(format!("{base}.log.{gen}"));
                    std::fs::rename(&live, &old).unwrap();
                    f = std::fs::File::create(&live).unwrap();
                    let data = std::fs::read(&old).unwrap();
                    let gz = std::fs::File::create(dir.join(format!("{base}.log.{gen}.gz"))).unwrap();
                    let mut enc = flate2::write::GzEncoder::new(gz, flate2::Compression::fast());
                    enc.write_all(&data).unwrap();
                    enc.finish().unwrap();
                    std::fs::remove_file(&old).unwrap();
                }
                Rotation::DateStamped => {
                    day += 1;
                    f = std::fs::File::create(name(day)).unwrap();
                }
                Rotation::TruncateInPlace => {
                    // Truncation throws bytes away: the follower must have read them first.
                    std::thread::sleep(Duration::from_millis(300));
                    f.set_len(0).unwrap();
                }
            }
            f = std::fs::OpenOptions::new().append(true).open(name(day)).unwrap_or(f);
        }
    }
    f.flush().unwrap();
}

/// Each number once, in order.
fn check_numbers(msgs: &[String], tag: &str, total: u64) {
    let got: Vec<u64> = msgs
        .iter()
        .filter_map(|m| m.strip_prefix(&format!("{tag} number ")))
        .map(|n| n.trim().parse().unwrap_or_else(|_| panic!("{n}")))
        .collect();
    let missing: Vec<u64> = (0..total).filter(|n| !got.contains(n)).take(10).collect();
    let mut seen = std::collections::HashSet::new();
    let dups: Vec<u64> = got.iter().copied().filter(|n| !seen.insert(*n)).take(10).collect();
    assert!(
        missing.is_empty() && dups.is_empty(),
        "{tag}: missing {missing:?}, duplicated {dups:?} ({} lines)",
        got.len()
    );
    assert!(got.windows(2).all(|w| w[0] < w[1]), "{tag}: out of order");
    eprintln!("{tag}: {total} numbers, each exactly once, in order");
}

fn stress(mode: Rotation) {
    let dir = tempdir();
    let d = dir.path();
    let arg = match mode {
        Rotation::DateStamped => d.to_str().unwrap().to_string(),
        _ => d.join("app.log").to_str().unwrap().to_string(),
    };
    if !matches!(mode, Rotation::DateStamped) {
        std::fs::write(d.join("app.log"), "").unwrap();
    } else {
        std::fs::write(d.join("app-2026-11-10.log"), "").unwrap();
    }
    let t = Tail::start(&["-n", "all", &arg]);
    let total = 3000;
    writer(d, "app", "w1", total, 300, mode);
    t.wait_for(&format!("w1 number {}", total - 1), Duration::from_secs(20));
    let (msgs, _err) = t.stop();
    check_numbers(&msgs, "w1", total);
}

#[test]
fn rotation_rename_and_create() {
    stress(Rotation::RenameCreate);
}

#[test]
fn rotation_copytruncate() {
    stress(Rotation::CopyTruncate);
}

#[test]
fn rotation_delete_and_recreate() {
    stress(Rotation::DeleteRecreate);
}

#[test]
fn rotation_rename_then_gzip() {
    stress(Rotation::RenameGzip);
}

#[test]
fn rotation_date_stamped() {
    stress(Rotation::DateStamped);
}

#[test]
fn rotation_truncate_in_place() {
    stress(Rotation::TruncateInPlace);
}

#[test]
fn two_writers_two_files_at_once() {
    let dir = tempdir();
    let d = dir.path().to_path_buf();
    std::fs::write(d.join("one.log"), "").unwrap();
    std::fs::write(d.join("two.log"), "").unwrap();
    let t = Tail::start(&["-n", "all", d.join("one.log").to_str().unwrap(), d.join("two.log").to_str().unwrap()]);
    let (d1, d2) = (d.clone(), d.clone());
    let a = std::thread::spawn(move || writer(&d1, "one", "w1", 2000, 250, Rotation::RenameCreate));
    let b = std::thread::spawn(move || writer(&d2, "two", "w2", 2000, 333, Rotation::CopyTruncate));
    a.join().unwrap();
    b.join().unwrap();
    t.wait_for("w1 number 1999", Duration::from_secs(20));
    t.wait_for("w2 number 1999", Duration::from_secs(20));
    let (msgs, _) = t.stop();
    check_numbers(&msgs, "w1", 2000);
    check_numbers(&msgs, "w2", 2000);
}

#[test]
fn merge_orders_by_time() {
    let dir = tempdir();
    let d = dir.path();
    std::fs::write(d.join("a.log"), "").unwrap();
    std::fs::write(d.join("b.log"), "").unwrap();
    let t = Tail::start(&[
        "--merge",
        "--merge-delay",
        "300ms",
        d.join("a.log").to_str().unwrap(),
        d.join("b.log").to_str().unwrap(),
    ]);
    // b's entries are written first but are later in time.
    std::fs::write(d.join("b.log"), "2026-11-21 10:00:02 INFO b-late\n").unwrap();
    std::fs::write(d.join("a.log"), "2026-11-21 10:00:01 INFO a-early\n").unwrap();
    t.wait_for("b-late", Duration::from_secs(5));
    let (msgs, _) = t.stop();
    assert_eq!(msgs, ["a-early", "b-late"]);
}

#[test]
fn waits_for_a_file_and_picks_up_new_files() {
    let dir = tempdir();
    let d = dir.path();
    let later = d.join("later.log");
    let t = Tail::start(&[later.to_str().unwrap()]);
    std::fs::write(&later, "2026-11-21 10:00:00 INFO it exists now\n").unwrap();
    t.wait_for("it exists now", Duration::from_secs(5));
    let (_, err) = t.stop();
    assert!(err.contains("does not exist yet, waiting for it"), "{err}");
    // A directory that gains a file.
    let t = Tail::start(&[d.to_str().unwrap()]);
    std::fs::write(d.join("new.log"), "2026-11-21 10:00:01 WARN a new file\n").unwrap();
    t.wait_for("a new file", Duration::from_secs(5));
    t.stop();
}

#[test]
fn truncation_and_deletion() {
    let dir = tempdir();
    let p = dir.path().join("t.log");
    std::fs::write(&p, "2026-11-21 10:00:00 INFO before\n").unwrap();
    let t = Tail::start(&[p.to_str().unwrap()]);
    std::fs::write(&p, "").unwrap();
    std::thread::sleep(Duration::from_millis(300));
    std::fs::write(&p, "2026-11-21 10:00:01 INFO after truncation\n").unwrap();
    t.wait_for("after truncation", Duration::from_secs(5));
    std::fs::remove_file(&p).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    std::fs::write(&p, "2026-11-21 10:00:02 INFO recreated\n").unwrap();
    t.wait_for("recreated", Duration::from_secs(5));
    let (msgs, err) = t.stop();
    assert_eq!(msgs, ["before", "after truncation", "recreated"]);
    assert!(err.contains("truncated"), "{err}");
}

#[test]
fn permission_lost_mid_run_others_go_on() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempdir();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let a = dir.path().join("a.log");
    let b = dir.path().join("b.log");
    std::fs::write(&a, "").unwrap();
    std::fs::write(&b, "").unwrap();
    for p in [&a, &b] {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o666)).unwrap();
    }
    // As an unprivileged user when the tests run as root.
    let euid = unsafe { libc::geteuid() };
    let mut cmd = if euid == 0 {
        if std::process::Command::new("setpriv").arg("--version").output().is_err() {
            eprintln!("skipped: root without setpriv");
            return;
        }
        let mut c = std::process::Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups", env!("CARGO_BIN_EXE_logx")]);
        c
    } else {
        std::process::Command::new(env!("CARGO_BIN_EXE_logx"))
    };
    let mut child = cmd
        .env("TZ", "UTC")
        .env("XDG_CACHE_HOME", "/tmp/logx-unpriv-cache")
        .args(["tail", "-o", "json", a.to_str().unwrap(), b.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(400));
    // a is replaced by a file the user may not read; b keeps going.
    std::fs::remove_file(&a).unwrap();
    {
        use std::os::unix::fs::OpenOptionsExt;
        let mut f = std::fs::OpenOptions::new().create_new(true).write(true).mode(0o600).open(&a).unwrap();
        writeln!(f, "2026-11-21 10:00:00 INFO secret").unwrap();
    }
    std::thread::sleep(Duration::from_millis(400));
    let mut f = std::fs::OpenOptions::new().append(true).open(&b).unwrap();
    writeln!(f, "2026-11-21 10:00:01 INFO b still followed").unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    let _ = child.kill();
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stdout.contains("b still followed"), "{stdout}");
    assert!(!stdout.contains("secret"));
    assert_eq!(stderr.matches("permission denied").count(), 1, "one clear message: {stderr}");
    assert!(stderr.contains(&format!("logx: {}: permission denied", a.display())), "{stderr}");
}

#[test]
fn fifo_and_stdin() {
    let dir = tempdir();
    let fifo = dir.path().join("pipe.log");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
    let t = Tail::start(&[fifo.to_str().unwrap()]);
    let mut w = std::fs::OpenOptions::new().write(true).open(&fifo).unwrap();
    writeln!(w, "2026-11-21 10:00:00 INFO through a fifo").unwrap();
    t.wait_for("through a fifo", Duration::from_secs(5));
    drop(w);
    t.stop();
    // producer | logx tail
    let mut child = logx().args(["tail", "-o", "json"]).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    writeln!(stdin, "2026-11-21 10:00:00 INFO from a producer").unwrap();
    writeln!(stdin, "2026-11-21 10:00:01 INFO second").unwrap();
    stdin.flush().unwrap();
    let mut first = String::new();
    out.read_line(&mut first).unwrap();
    assert!(first.contains("from a producer"), "{first}");
    drop(stdin);
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn headless_exit_on_timeout_and_alerts() {
    let dir = tempdir();
    let p = dir.path().join("ci.log");
    std::fs::write(&p, "2026-11-21 10:00:00 INFO starting\n").unwrap();
    let ps = p.to_str().unwrap().to_string();
    let child = logx()
        .args(["tail", "-n", "0", "-o", "json", "--exit-on", "level>=error", "--timeout", "10s", &ps])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(400));
    let mut f = std::fs::OpenOptions::new().append(true).open(&p).unwrap();
    writeln!(f, "2026-11-21 10:00:01 WARN not yet").unwrap();
    writeln!(f, "2026-11-21 10:00:02 ERROR there it is").unwrap();
    drop(f);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("there it is"));
    // Nothing matches in time: status 1.
    let out =
        logx().args(["tail", "-n", "0", "--exit-on", "level>=fatal", "--timeout", "700ms", &ps]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    // More than 3 matches within a minute: one alert line.
    let mut child = logx()
        .args(["tail", "-n", "0", "-o", "json", "--count-alert", "3/1m", "-F", "refused", &ps])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(400));
    let mut f = std::fs::OpenOptions::new().append(true).open(&p).unwrap();
    for i in 0..5 {
        writeln!(f, "2026-11-21 10:00:1{i} ERROR connection refused").unwrap();
    }
    drop(f);
    std::thread::sleep(Duration::from_millis(1200));
    let _ = child.kill();
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.matches("alert:").count(), 1, "{err}");
    assert!(err.contains("4 matching entries in the last 1m (more than 3)"), "{err}");
}

#[test]
fn initial_lines_and_no_follow() {
    let dir = tempdir();
    let p = dir.path().join("n.log");
    let mut s = String::new();
    for i in 0..30 {
        s.push_str(&line("n", i));
        if i % 7 == 0 {
            s.push_str("\tat a.stack.Frame(F.java:1)\n");
        }
    }
    std::fs::write(&p, s).unwrap();
    let out = logx().args(["tail", "--no-follow", "-o", "json", p.to_str().unwrap()]).output().unwrap();
    let es = crate::util::json_lines(&String::from_utf8_lossy(&out.stdout));
    assert_eq!(es.len(), 10);
    assert!(es[0]["msg"].as_str().unwrap().starts_with("n number 20"));
    assert_eq!(es[1]["msg"], "n number 21\n\tat a.stack.Frame(F.java:1)", "multi-line entries whole");
    let out = logx()
        .args(["tail", "--no-follow", "-n", "all", "--level", "info", "-o", "json", p.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(crate::util::json_lines(&String::from_utf8_lossy(&out.stdout)).len(), 30);
    // The entries are a millisecond apart: the last five.
    let out = logx()
        .args(["tail", "--no-follow", "--since", "2026-11-21 10:00:00.025", "-o", "json", p.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(crate::util::json_lines(&String::from_utf8_lossy(&out.stdout)).len(), 5);
}
