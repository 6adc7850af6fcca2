//! The README cannot rot: every command in its `sh` blocks runs against the fixtures (TUI
//! commands in a real pseudo-terminal), its generated tables match the binary, and its first
//! two commands are what CI runs.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::tui_pty::Tui;
use crate::util::{root, tempdir};

fn readme() -> String {
    std::fs::read_to_string(root().join("README.md")).unwrap()
}

/// The commands of the README's `sh` blocks (continuation lines joined, comments dropped).
fn commands() -> Vec<String> {
    let text = readme();
    let mut out = Vec::new();
    let mut in_sh = false;
    let mut pending = String::new();
    for line in text.lines() {
        if line.starts_with("```") {
            in_sh = line == "```sh";
            continue;
        }
        if !in_sh || line.trim_start().starts_with('#') || line.trim().is_empty() {
            continue;
        }
        if let Some(head) = line.strip_suffix('\\') {
            pending.push_str(head);
            continue;
        }
        pending.push_str(line);
        out.push(std::mem::take(&mut pending));
    }
    out
}

#[test]
fn the_first_two_commands_build_run_and_test() {
    let cmds = commands();
    assert!(cmds[0].starts_with("cargo run --release -- tui fixtures/"), "{}", cmds[0]);
    assert!(cmds[1].starts_with("cargo test --release"), "{}", cmds[1]);
    let ci = std::fs::read_to_string(root().join(".ci/run")).unwrap();
    assert!(ci.lines().any(|l| l.trim() == "cargo test --release"), ".ci/run runs the README's test command");
    // The first command's TUI, on the fixtures.
    let t = Tui::start(&["tui", "fixtures/"], 30, 120);
    t.wait_for(" of ");
    t.wait_for("pydio");
    t.quit();
}

fn have(cmd: &str) -> bool {
    Command::new("sh").args(["-c", &format!("command -v {cmd}")]).output().is_ok_and(|o| o.status.success())
}

#[test]
fn every_command_of_the_readme_runs() {
    let dir = tempdir();
    // Outputs (-o day.csv) land in a scratch directory that sees the fixtures.
    std::os::unix::fs::symlink(root().join("fixtures"), dir.path().join("fixtures")).unwrap();
    let bin = std::path::Path::new(env!("CARGO_BIN_EXE_logx")).parent().unwrap().to_path_buf();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    let mut ran = 0;
    for cmd in commands() {
        if cmd.starts_with("cargo ") {
            continue;
        }
        if cmd.contains("jq") && !have("jq") {
            eprintln!("skipped (no jq): {cmd}");
            continue;
        }
        if cmd.starts_with("logx tui") || cmd.contains(" tui ") {
            // A terminal UI: in a pseudo-terminal, from the project root.
            let args: Vec<&str> = cmd.split('#').next().unwrap().split_whitespace().skip(1).collect();
            assert!(!cmd.contains('\''), "keep TUI examples unquoted: {cmd}");
            let t = Tui::start(&args, 30, 120);
            t.wait_for(" of ");
            t.quit();
            ran += 1;
            continue;
        }
        let forever = cmd.contains("runs until stopped");
        let mut child = {
            use std::os::unix::process::CommandExt;
            Command::new("bash")
                .args(["-c", &format!("set -o pipefail; {cmd}")])
                .current_dir(dir.path())
                .env("PATH", &path)
                .env("TZ", "UTC")
                .env_remove("NO_COLOR")
                .env_remove("LOGX_CONFIG")
                .env("XDG_CONFIG_HOME", dir.path().join("config"))
                .env("XDG_CACHE_HOME", dir.path().join("cache"))
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .process_group(0)
                .spawn()
                .unwrap()
        };
        let deadline = Instant::now() + if forever { Duration::from_secs(2) } else { Duration::from_secs(60) };
        let status = loop {
            if let Some(s) = child.try_wait().unwrap() {
                break Some(s);
            }
            if Instant::now() > deadline {
                break None;
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        if status.is_none() {
            unsafe { libc::kill(-(child.id() as i32), libc::SIGTERM) };
        }
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        match status {
            None => assert!(forever, "`{cmd}` did not finish within a minute"),
            Some(s) => {
                assert!(!forever, "`{cmd}` should run until stopped but ended with {s}: {stderr}");
                let code = s.code().unwrap_or(-1);
                assert!(code == 0 || code == 1, "`{cmd}` exited with {s}: {stderr}");
                assert!(
                    !out.stdout.is_empty() || cmd.contains(" -o ") || cmd.contains("> "),
                    "`{cmd}` printed nothing"
                );
            }
        }
        for l in stderr.lines() {
            assert!(l.starts_with("logx: note:") || l.starts_with("logx: warning:"), "`{cmd}`: {l}");
        }
        ran += 1;
    }
    assert!(ran >= 40, "{ran} commands ran");
    // What the exports wrote is really there.
    for f in ["day.csv", "errors.xlsx", "share.csv", "actions.xlsx"] {
        let len = std::fs::metadata(dir.path().join(f)).map(|m| m.len()).unwrap_or(0);
        assert!(len > 100, "{f}: {len} bytes");
    }
}

/// The text between `<!-- NAME:begin -->` and `<!-- NAME:end -->`.
fn block(name: &str) -> String {
    let text = readme();
    let b = text.find(&format!("<!-- {name}:begin -->\n")).unwrap_or_else(|| panic!("no {name} block"));
    let e = text.find(&format!("<!-- {name}:end -->")).unwrap();
    text[b + format!("<!-- {name}:begin -->\n").len()..e].to_string()
}

#[test]
fn generated_tables_match_the_binary() {
    let r = crate::util::run(&["formats", "aliases"]);
    assert_eq!(block("aliases"), r.stdout, "the README's alias table is stale: paste `logx formats aliases`");
    let r = crate::util::run(&["formats"]);
    assert_eq!(
        block("formats"),
        format!("```text\n{}```\n", r.stdout),
        "the README's formats list is stale: paste `logx formats`"
    );
}
