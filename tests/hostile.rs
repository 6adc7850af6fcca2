//! Log text is untrusted: a line carrying an escape sequence must be shown, visibly, and never
//! reach the terminal, in `cat`, in `tail` and in the TUI; raw output stays byte-exact when
//! piped and is sanitised on a terminal unless `--unsafe-raw`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::tui_pty::Tui;
use crate::util::{logx, tempdir, Run};

/// Each attack: its name, the bytes in the log, and what the user sees instead.
const ATTACKS: &[(&str, &[u8], &str)] = &[
    ("window title", b"\x1b]0;pwned\x07", "\\x1b]0;pwned\\x07"),
    ("clear the screen", b"\x1b[2J\x1b[3J", "\\x1b[2J\\x1b[3J"),
    ("move the cursor", b"\x1b[1;1H\x1b[5A", "\\x1b[1;1H\\x1b[5A"),
    ("hide text", b"\x1b[8mhidden\x1b[0m", "\\x1b[8mhidden\\x1b[0m"),
    (
        "hyperlink",
        b"\x1b]8;;http://evil.example/\x1b\\click\x1b]8;;\x1b\\",
        "\\x1b]8;;http://evil.example/\\x1b\\click",
    ),
    ("bell", b"\x07\x07", "\\x07\\x07"),
    ("backspace", b"abc\x08\x08\x08xyz", "abc\\x08\\x08\\x08xyz"),
    ("carriage return", b"shown\rforged", "shown\\rforged"),
    ("C1 CSI as a character", "\u{9b}2J".as_bytes(), "\\x9b2J"),
    ("C1 CSI as a byte", b"\x9b2J", "\u{fffd}2J"),
    ("next line (C1)", "a\u{85}b".as_bytes(), "a\\x85b"),
    ("bidi override", "\u{202e}gnp.exe".as_bytes(), "\\u{202e}gnp.exe"),
    ("bidi isolate", "\u{2066}x\u{2069}".as_bytes(), "\\u{2066}x\\u{2069}"),
    ("delete", b"a\x7fb", "a\\x7fb"),
    ("device status query", b"\x1b[6n", "\\x1b[6n"),
    ("DCS", b"\x1bP+q544e\x1b\\", "\\x1bP+q544e"),
];

/// A text log with one attack per line, a JSON line carrying them in its message and user,
/// and a clean last line.
fn attack_log(dir: &Path) -> PathBuf {
    let p = dir.join("evil.log");
    let mut b = Vec::new();
    for (i, (name, bytes, _)) in ATTACKS.iter().enumerate() {
        b.extend_from_slice(format!("2026-11-21 10:00:{i:02} INFO attack {name}: ").as_bytes());
        b.extend_from_slice(bytes);
        b.push(b'\n');
    }
    b.extend_from_slice(
        br#"{"ts":"2026-11-21T10:01:00Z","level":"warn","msg":"json \u001b]0;pwned\u0007 \u009b2J","user":"\u001b[2Jmallory"}"#,
    );
    b.extend_from_slice(b"\n2026-11-21 10:02:00 INFO the end\n");
    std::fs::write(&p, b).unwrap();
    p
}

/// No control character of the log text in `out`: only `\n` (and `\t`), and the colour
/// sequences logx writes itself (`ESC [ digits ; m`) when `sgr` allows them.
fn assert_inert(what: &str, out: &[u8], sgr: bool) {
    let mut i = 0;
    while i < out.len() {
        let c = out[i];
        if c == 0x1b && sgr && out.get(i + 1) == Some(&b'[') {
            let n = out[i + 2..].iter().take_while(|c| c.is_ascii_digit() || **c == b';').count();
            assert_eq!(out.get(i + 2 + n), Some(&b'm'), "{what}: an escape that is not a colour at byte {i}");
            i += n + 3;
            continue;
        }
        assert!(c >= 0x20 && c != 0x7f || c == b'\n' || c == b'\t', "{what}: control byte {c:#04x} at {i}");
        i += 1;
    }
    let text = String::from_utf8_lossy(out);
    for ch in text.chars() {
        assert!(
            !('\u{80}'..='\u{9f}').contains(&ch)
                && !('\u{202a}'..='\u{202e}').contains(&ch)
                && !('\u{2066}'..='\u{2069}').contains(&ch),
            "{what}: {ch:?} reaches the output"
        );
    }
}

fn run_on(args: &[&str], file: &Path) -> Run {
    logx().args(args).arg(file).output().unwrap().into()
}

#[test]
fn cat_shows_every_attack_and_passes_none() {
    let dir = tempdir();
    let log = attack_log(dir.path());
    for (args, sgr) in [
        (&["cat", "-o", "pretty"][..], false),
        (&["cat", "-o", "pretty", "--color", "always"][..], true),
        (&["cat", "-o", "logfmt"][..], false),
        (&["cat", "-o", "json"][..], false),
        (&["cat", "-o", "pretty", "-e", "attack"][..], false),
        (&["--color", "always", "cat", "-o", "pretty", "-e", "attack"][..], true),
    ] {
        let r = run_on(args, &log);
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
        assert_inert(&format!("{args:?}"), &r.raw, sgr);
        let want = if args.contains(&"-e") { ATTACKS.len() } else { ATTACKS.len() + 2 };
        assert_eq!(r.stdout.lines().count(), want, "{args:?}: every line is shown");
    }
    // What each attack looks like: visible, in place.
    let r = run_on(&["cat", "-o", "pretty"], &log);
    for (name, _, shown) in ATTACKS {
        let line = r.stdout.lines().find(|l| l.contains(&format!("attack {name}:"))).unwrap();
        assert!(line.contains(shown), "{name}: {line:?} does not show {shown:?}");
    }
    // JSON stays valid and keeps the exact text.
    let r = run_on(&["cat", "-o", "json"], &log);
    let es = crate::util::json_lines(&r.stdout);
    assert_eq!(es[0]["msg"], "attack window title: \u{1b}]0;pwned\u{7}");
    assert_eq!(es[ATTACKS.len()]["user"], "\u{1b}[2Jmallory");
}

#[test]
fn tail_shows_every_attack_and_passes_none() {
    let dir = tempdir();
    let log = attack_log(dir.path());
    for args in [&["tail", "-n", "all", "--no-follow", "-o", "pretty"][..], &["tail", "-n", "all", "--no-follow"][..]] {
        let r = run_on(args, &log);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert_inert(&format!("{args:?}"), &r.raw, false);
        assert!(r.stdout.contains("the end"));
    }
    let r = run_on(&["--color", "always", "tail", "-n", "all", "--no-follow", "-o", "pretty"], &log);
    assert_inert("tail --color always", &r.raw, true);
}

#[test]
fn raw_is_byte_exact_when_piped() {
    let dir = tempdir();
    let log = attack_log(dir.path());
    let r = run_on(&["cat", "-o", "raw"], &log);
    assert_eq!(r.raw, std::fs::read(&log).unwrap());
}

/// What a terminal received from a command run in a pseudo-terminal until it ended.
fn on_a_terminal(args: &[&str]) -> (Vec<u8>, String, String) {
    let t = Tui::start(args, 40, 200);
    t.wait_for("the end");
    std::thread::sleep(Duration::from_millis(200));
    let out = (t.raw(), t.title(), t.screen());
    t.kill();
    out
}

/// Sequences that must not reach the terminal (`\r\n` is the terminal's own line ending).
fn assert_terminal_safe(what: &str, raw: &[u8], title: &str) {
    assert_ne!(title, "pwned", "{what}: the window title was set");
    let mut plain = Vec::with_capacity(raw.len());
    for (i, &b) in raw.iter().enumerate() {
        if !(b == b'\r' && raw.get(i + 1) == Some(&b'\n')) {
            plain.push(b);
        }
    }
    let raw = plain;
    for (name, bytes, _) in ATTACKS {
        assert!(raw.windows(bytes.len()).all(|w| w != *bytes), "{what}: {name} reached the terminal");
    }
}

#[test]
fn on_a_terminal_cat_tail_and_raw_are_sanitised() {
    let dir = tempdir();
    let log = attack_log(dir.path());
    let log = log.to_str().unwrap();
    for args in [
        &["cat", log][..],
        &["cat", "-o", "raw", log][..],
        &["cat", "-o", "logfmt", log][..],
        &["tail", "-n", "all", log][..],
        &["tail", "-n", "all", "-o", "raw", log][..],
    ] {
        let (raw, title, screen) = on_a_terminal(args);
        assert_terminal_safe(&format!("{args:?}"), &raw, &title);
        let shown = screen.contains("\\x1b]0;pwned\\x07") || screen.contains("\\u001b]0;pwned\\u0007");
        assert!(shown, "{args:?}: the attack is shown: {screen}");
    }
    // --unsafe-raw passes the bytes through: the harness does see an attack when one gets in.
    let (_, title, _) = on_a_terminal(&["cat", "-o", "raw", "--unsafe-raw", log]);
    assert_eq!(title, "pwned", "the harness detects a title change");
}

#[test]
fn the_tui_shows_every_attack_and_passes_none() {
    let dir = tempdir();
    let log = attack_log(dir.path());
    let n = ATTACKS.len() + 2;
    let mut t = Tui::start(&["tui", log.to_str().unwrap()], 40, 200);
    t.wait_for(&format!("{n} of {n}"));
    t.wait_for("attack window title: \\x1b]0;pwned\\x07");
    t.wait_for("attack bidi override: \\u{202e}gnp.exe");
    // The detail view of the JSON entry: the user field and the message.
    t.send("G");
    t.send("k");
    t.send("\r");
    t.wait_for("entry (Esc to close)");
    t.wait_for("\\x1b[2Jmallory");
    t.send("\x1b");
    t.wait_gone("entry (Esc to close)");
    // A search for the attack text highlights it, still escaped.
    t.send("/pwned\r");
    t.wait_for("pwned");
    let raw = t.raw();
    let title = t.title();
    t.quit();
    assert_ne!(title, "pwned");
    // The TUI draws with its own cursor moves and clears; the log's OSC, BEL, BS, C1 and bidi
    // bytes must not be among them.
    for bad in [
        &b"\x1b]0;pwned"[..],
        b"\x1b]8;;http",
        b"\x07",
        b"\x08",
        b"\xc2\x9b",
        b"\x9b2J",
        b"\xe2\x80\xae",
        b"\xe2\x81\xa6",
        b"\x1bP+q",
        b"\x1b[6n",
        b"\x7f",
    ] {
        assert!(raw.windows(bad.len()).all(|w| w != bad), "{bad:?} reached the terminal");
    }
}

/// Nested JSON values are written as JSON text, not as strings: raw C1 controls, bidi marks
/// and DEL inside their strings are escaped there too, and an object written over several
/// lines comes out on one line (NDJSON stays one entry per line), with the same value.
#[test]
fn nested_json_values_stay_on_one_line_and_pass_nothing() {
    let dir = tempdir();
    let p = dir.path().join("nested.json");
    let nested = "{\"a\":\"x\u{9b}31m\u{202e}abc\u{7f}\u{61c}\",\"q\":\"say \\\"hi\\\"\\n\"}";
    let text = format!(
        "{{\"level\":\"info\",\"msg\":\"one\",\"obj\":{nested}}}\n{{\"level\":\"warn\",\"msg\":\"two\",\n  \"obj\": {{\n    \"a\": [1,\n\t2]\n  }}\n}}\n{{\"level\":\"info\",\"msg\":\"the end\"}}\n"
    );
    std::fs::write(&p, &text).unwrap();
    for args in [&["cat", "-o", "json"][..], &["cat"][..], &["tail", "-n", "all", "--no-follow", "-o", "json"][..]] {
        let r = run_on(args, &p);
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
        assert_inert(&format!("{args:?}"), &r.raw, false);
        let es = crate::util::json_lines(&r.stdout);
        assert_eq!(es.len(), 3, "{args:?}: one line per entry: {}", r.stdout);
        let want: serde_json::Value = serde_json::from_str(nested).unwrap();
        assert_eq!(es[0]["fields"]["obj"], want, "{args:?}");
        assert_eq!(es[1]["fields"]["obj"], serde_json::json!({"a": [1, 2]}), "{args:?}");
        assert_eq!(es[2]["msg"], "the end");
    }
}
