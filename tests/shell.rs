//! A good shell citizen: committed completions and man pages match the CLI, the shells load
//! them, the configuration file and custom formats work, and errors point at line and column.

use std::path::Path;

use crate::util::{fixture, json_lines, logx, root, tempdir, Run};

const REGEN: &str = "cargo run --release -- generate --out .";

/// Every file under `dir` (relative names), sorted.
fn files_under(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for sub in ["completions", "man"] {
        if let Ok(rd) = std::fs::read_dir(dir.join(sub)) {
            for e in rd.flatten() {
                out.push(format!("{sub}/{}", e.file_name().to_string_lossy()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn committed_completions_and_man_pages_match_the_cli() {
    let tmp = tempdir();
    let r: Run = logx().args(["generate", "--out"]).arg(tmp.path()).output().unwrap().into();
    assert_eq!(r.code, 0, "{}", r.stderr);
    let generated = files_under(tmp.path());
    assert!(generated.len() >= 5 + 2, "{generated:?}");
    let committed = files_under(&root());
    assert_eq!(
        committed, generated,
        "the files in completions/ and man/ differ from what the CLI generates: run `{REGEN}` and commit them"
    );
    for f in &generated {
        let want = std::fs::read(tmp.path().join(f)).unwrap();
        let have = std::fs::read(root().join(f)).unwrap();
        assert!(have == want, "{f} no longer matches the CLI: run `{REGEN}` and commit it");
    }
    // A page per verb.
    for verb in ["cat", "tail", "tui", "export", "audit", "stats", "patterns", "formats", "config", "completions"] {
        assert!(generated.contains(&format!("man/logx-{verb}.1")), "no man page for {verb}: {generated:?}");
    }
}

#[test]
fn completions_command_prints_the_committed_script() {
    for (shell, file) in [
        ("bash", "logx.bash"),
        ("zsh", "_logx"),
        ("fish", "logx.fish"),
        ("elvish", "logx.elv"),
        ("powershell", "_logx.ps1"),
    ] {
        let r = crate::util::run(&["completions", shell]);
        assert_eq!(r.code, 0, "{shell}: {}", r.stderr);
        let committed = std::fs::read_to_string(root().join("completions").join(file)).unwrap();
        assert_eq!(r.stdout, committed, "completions/{file} is stale: run `{REGEN}`");
    }
    let r = crate::util::run(&["completions", "tcsh"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("bash") && r.stderr.contains("zsh"), "{}", r.stderr);
}

fn have(cmd: &str) -> bool {
    std::process::Command::new("sh")
        .args(["-c", &format!("command -v {cmd}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// What bash completes after `words` (the last one being completed).
fn bash_complete(words: &str) -> Vec<String> {
    let script = format!(
        "source completions/logx.bash; COMP_WORDS=({words}); COMP_CWORD=$((${{#COMP_WORDS[@]}}-1)); \
         COMP_LINE=\"${{COMP_WORDS[*]}}\"; COMP_POINT=${{#COMP_LINE}}; \
         _logx logx \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"; printf '%s\\n' \"${{COMPREPLY[@]}}\""
    );
    let o = std::process::Command::new("bash").arg("-c").arg(script).current_dir(root()).output().unwrap();
    assert!(o.status.success(), "bash: {}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).lines().map(str::to_string).collect()
}

#[test]
fn bash_completes_verbs_options_and_values() {
    if !have("bash") {
        eprintln!("skipped: bash is absent");
        return;
    }
    let verbs = bash_complete("logx ''");
    for v in ["cat", "tail", "tui", "export", "audit", "patterns", "config", "completions"] {
        assert!(verbs.iter().any(|w| w == v), "{v} not in {verbs:?}");
    }
    let opts = bash_complete("logx tail --");
    for o in ["--level", "--merge", "--poll", "--grep", "--from"] {
        assert!(opts.iter().any(|w| w == o), "{o} not in {opts:?}");
    }
    let levels = bash_complete("logx cat --level ''");
    for l in ["trace", "debug", "info", "warn", "error", "fatal"] {
        assert!(levels.iter().any(|w| w == l), "{l} not in {levels:?}");
    }
    let outputs = bash_complete("logx cat -o ''");
    assert!(outputs.iter().any(|w| w == "json"), "{outputs:?}");
    let formats = bash_complete("logx cat --format ''");
    for f in ["json", "logfmt", "syslog", "pino", "zap"] {
        assert!(formats.iter().any(|w| w == f), "{f} not in {formats:?}");
    }
    let shells = bash_complete("logx completions ''");
    assert!(shells.iter().any(|w| w == "fish"), "{shells:?}");
}

#[test]
fn other_shells_parse_their_scripts() {
    let mut checked = 0;
    for (shell, args, file) in [("zsh", "-n", "_logx"), ("fish", "--no-execute", "logx.fish")] {
        if !have(shell) {
            eprintln!("skipped: {shell} is absent");
            continue;
        }
        let o =
            std::process::Command::new(shell).arg(args).arg(root().join("completions").join(file)).output().unwrap();
        assert!(o.status.success(), "{shell} rejects {file}: {}", String::from_utf8_lossy(&o.stderr));
        checked += 1;
    }
    eprintln!("{checked} other shells checked");
}

#[test]
fn man_pages_have_examples_environment_and_files() {
    for page in ["logx.1", "logx-tail.1", "logx-export.1", "logx-config.1"] {
        let text = std::fs::read_to_string(root().join("man").join(page)).unwrap();
        for section in [".SH NAME", ".SH SYNOPSIS", ".SH OPTIONS", ".SH EXAMPLES", ".SH ENVIRONMENT", ".SH FILES"] {
            assert!(text.contains(section), "{page} lacks {section}");
        }
        assert!(text.contains("LOGX_CONFIG") && text.contains("config.toml"), "{page}");
    }
    let tail = std::fs::read_to_string(root().join("man/logx-tail.1")).unwrap();
    assert!(tail.contains("\\-\\-merge"), "logx-tail.1 documents --merge");
    assert!(tail.contains("logx tail"), "logx-tail.1 has examples");
    let top = std::fs::read_to_string(root().join("man/logx.1")).unwrap();
    assert!(top.contains("logx\\-tail(1)"), "logx.1 refers to the verb pages");
    if have("man") && have("groff") {
        let o = std::process::Command::new("man")
            .args(["-l", "man/logx-tail.1"])
            .env("MANWIDTH", "100")
            .env("MANPAGER", "cat")
            .current_dir(root())
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&o.stdout);
        assert!(o.status.success() && text.contains("EXAMPLES") && text.contains("--merge"), "man -l: {text}");
    } else {
        eprintln!("skipped rendering: man or groff is absent");
    }
}

/// `logx --config fixtures/custom/config.toml ARGS`.
fn with_config(args: &[&str]) -> Run {
    logx().arg("--config").arg(fixture("custom/config.toml")).args(args).output().unwrap().into()
}

#[test]
fn a_custom_format_from_the_configuration_reads_a_named_source() {
    // @billing: the configuration's source, read with its custom format; the configuration's
    // default level (info) hides the debug line.
    let r = with_config(&["cat", "-o", "json", "@billing"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let es = json_lines(&r.stdout);
    let levels: Vec<&str> = es.iter().map(|e| e["level"].as_str().unwrap_or("null")).collect();
    assert!(!levels.contains(&"debug"), "the default level hides debug: {levels:?}");
    let failed = es.iter().find(|e| e["msg"].as_str().unwrap().contains("card declined")).expect("the error entry");
    assert_eq!(failed["level"], "error");
    assert_eq!(failed["user"], "bob");
    assert_eq!(failed["service"], "billing");
    assert_eq!(failed["ts"], "2026-11-20T09:14:03.002Z");
    assert_eq!(failed["format"], "pipes");
    // The stack trace continues the entry.
    assert!(failed["msg"].as_str().unwrap().contains("at Worker.run(Worker.java:41)"), "{failed}");
    let fatal = es.iter().find(|e| e["level"] == "fatal").expect("CRT maps to fatal");
    assert!(fatal["msg"].as_str().unwrap().contains("ledger database unreachable"));
    // A timestamp the format's layout does not fit leaves the entry without a time, kept.
    let carol = es.iter().find(|e| e["user"] == "carol").expect("carol's entry");
    assert!(carol["ts"].is_null(), "{carol}");
    // --level on the command line wins over the configuration.
    let r = with_config(&["cat", "-c", "--level", "debug", "@billing"]);
    let all: usize = r.stdout.trim().parse().unwrap();
    let r = with_config(&["cat", "-c", "@billing"]);
    let info: usize = r.stdout.trim().parse().unwrap();
    assert_eq!(all, info + 1, "one debug entry");
}

#[test]
fn a_format_file_on_the_command_line() {
    let r = logx()
        .args(["cat", "-o", "json", "--format-file"])
        .arg(fixture("custom/pipes.toml"))
        .arg(fixture("custom/billing.pipes"))
        .output()
        .unwrap();
    let r: Run = r.into();
    assert_eq!(r.code, 0, "{}", r.stderr);
    let es = json_lines(&r.stdout);
    assert!(es.iter().any(|e| e["level"] == "debug" && e["msg"] == "gateway pool size=4 idle=3"), "{}", r.stdout);
    assert!(es.iter().all(|e| e["format"] == "pipes" || e["format"] == "raw"), "{}", r.stdout);
    // A line the format does not match is kept on its own, not glued to an entry or lost.
    let restarted = es.iter().find(|e| e["msg"] == "billing-worker-2 restarted by supervisor").expect("kept");
    assert_eq!(restarted["line"], 8);
    assert!(restarted["level"].is_null(), "{restarted}");
    // Nothing lost: every line of the file is in exactly one entry.
    let text = std::fs::read_to_string(fixture("custom/billing.pipes")).unwrap();
    let lines: usize = es.iter().map(|e| e["msg"].as_str().unwrap().lines().count()).sum();
    assert_eq!(lines, text.lines().count());
    // The same format in the config, chosen by name with --format.
    let r = with_config(&["cat", "-c", "--level", "all", "--format", "pipes", "fixtures/custom/billing.pipes"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout.trim().parse::<usize>().unwrap(), es.len());
}

#[test]
fn formats_test_says_which_lines_match_and_why_the_others_do_not() {
    let r: Run = logx()
        .args(["formats", "test", "--format-file"])
        .arg(fixture("custom/pipes.toml"))
        .arg(fixture("custom/billing.pipes"))
        .output()
        .unwrap()
        .into();
    assert_eq!(r.code, 1, "not every line matches: {}", r.stderr);
    let out = &r.stdout;
    let status = |n: usize| {
        out.lines().find(|l| l.trim_start().starts_with(&format!("{n} "))).unwrap_or_else(|| panic!("line {n}: {out}"))
    };
    assert!(status(1).contains("ok") && status(1).contains("user=alice"), "{out}");
    assert!(status(5).contains("cont") && status(6).contains("continuation rule"), "{out}");
    assert!(status(8).contains("NO") && status(8).contains("does not match"), "{out}");
    // A timestamp that does not fit the layout (named), a level the mapping does not know.
    assert!(status(10).contains("BAD") && status(10).contains("%Y%m%dT%H%M%S%.3f"), "{}", status(10));
    assert!(status(11).contains("BAD") && status(11).contains("\"NTC\""), "{}", status(11));
    let summary = out.lines().last().unwrap();
    assert!(
        summary.starts_with("6 ok, 2 continuation lines, 2 with a bad field") && summary.contains("1 not matched"),
        "{summary}"
    );
    // A built-in format: what each entry parsed into.
    let r = crate::util::run(&["formats", "test", "--limit", "3", "fixtures/syslog"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.lines().filter(|l| l.contains(" ok ") && l.contains("syslog")).count() == 3, "{}", r.stdout);
}

#[test]
fn named_sources_expand_and_unknown_ones_are_suggested() {
    let r = with_config(&["cat", "-c", "@web"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let n: usize = r.stdout.trim().parse().unwrap();
    let direct = crate::util::run(&["cat", "-c", "--level", "info", "fixtures/access.log", "fixtures/syslog"]);
    assert_eq!(n, direct.stdout.trim().parse::<usize>().unwrap());
    let r = with_config(&["cat", "@billin"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("@billin: no such source") && r.stderr.contains("did you mean @billing?"),
        "{}",
        r.stderr
    );
    let r = crate::util::run(&["cat", "@billing"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("the configuration names no sources"), "{}", r.stderr);
}

#[test]
fn the_zone_comes_from_tz_flag_then_config_then_environment() {
    let dir = tempdir();
    let cfg = dir.path().join("config.toml");
    std::fs::write(&cfg, "tz = \"Asia/Tokyo\"\n").unwrap();
    let first = |extra: &[&str]| -> String {
        let r: Run =
            logx().arg("--config").arg(&cfg).args(extra).args(["cat", "fixtures/syslog"]).output().unwrap().into();
        r.stdout.lines().next().unwrap_or_default().to_string()
    };
    let utc = first(&["--tz", "UTC"]);
    let tokyo = first(&[]);
    assert_ne!(utc, tokyo);
    let r: Run = logx().arg("--config").arg(&cfg).args(["config", "show"]).output().unwrap().into();
    assert!(r.stdout.contains("tz = \"Asia/Tokyo\"") && r.stdout.contains("config.toml:1"), "{}", r.stdout);
    let r: Run = logx().arg("--config").arg(&cfg).args(["--tz", "UTC", "config", "show"]).output().unwrap().into();
    assert!(r.stdout.contains("tz = \"UTC\"") && r.stdout.contains("--tz"), "{}", r.stdout);
}

#[test]
fn config_path_follows_the_environment() {
    let dir = tempdir();
    let r: Run = logx().env("XDG_CONFIG_HOME", dir.path()).args(["config", "path"]).output().unwrap().into();
    assert_eq!(r.stdout.trim(), dir.path().join("logx/config.toml").display().to_string());
    let r: Run = logx().env("LOGX_CONFIG", "/etc/logx.toml").args(["config", "path"]).output().unwrap().into();
    assert_eq!(r.stdout.trim(), "/etc/logx.toml");
    // A missing file at the default place is no configuration; one asked for is an error.
    let r: Run = logx().env("XDG_CONFIG_HOME", dir.path()).args(["config", "check"]).output().unwrap().into();
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("defaults apply"), "{}", r.stdout);
    let r: Run = logx()
        .env("LOGX_CONFIG", dir.path().join("nope.toml"))
        .args(["cat", "fixtures/syslog"])
        .output()
        .unwrap()
        .into();
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("nope.toml"), "{}", r.stderr);
    let r = with_config(&["config", "check"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("ok (2 sources, 1 formats)"), "{}", r.stdout);
    let r = with_config(&["config", "show"]);
    assert!(r.stdout.contains("[sources.billing]") && r.stdout.contains("[formats.pipes]"), "{}", r.stdout);
    assert!(r.stdout.contains("level = \"info\"") && r.stdout.contains("config.toml:3"), "{}", r.stdout);
}

#[test]
fn broken_configurations_are_reported_with_line_and_column() {
    let dir = tempdir();
    let cases: &[(&str, &str, &str)] = &[
        ("tz = \"UTC\"\ncolor = true\n", "2:1", "unknown field `color`"),
        ("tz = \"Mars/Olympus\"\n", "1:6", "Mars/Olympus"),
        ("theme = \"neon\"\n", "1:9", "unknown theme"),
        ("level = \"loud\"\n", "1:9", "unknown level"),
        ("[sources.x]\npaths = []\n", "1:1", "give at least one path"),
        ("[sources.x]\npaths = [\"a.log\"]\nformat = \"nope\"\n", "3:10", "unknown format"),
        ("[formats.f]\nregex = '(?P<ts>\\S+ (?P<msg>.*)'\n", "2:9", "invalid regex"),
        (
            "[formats.f]\nregex = '(?P<ts>\\S+) (?P<msg>.*)'\ntimestamp = \"%Y-%m-%d %Q\"\n",
            "3:13",
            "invalid timestamp format",
        ),
        ("[formats.f]\nregex = '(?P<ts>\\S+) (?P<msg>.*)'\nlevels = { X = \"loud\" }\n", "3:", "loud"),
        ("[formats.f]\nregex = '\\S+ .*'\n", "2:9", "no named capture"),
        ("tz = \"UTC\"\nlevel = \n", "2:", "TOML"),
    ];
    for (i, (text, at, msg)) in cases.iter().enumerate() {
        let path = dir.path().join(format!("c{i}.toml"));
        std::fs::write(&path, text).unwrap();
        let r: Run = logx().arg("--config").arg(&path).args(["config", "check"]).output().unwrap().into();
        assert_eq!(r.code, 2, "{text:?} is accepted");
        let line = r.stderr.trim();
        assert_eq!(line.lines().count(), 1, "one line: {line}");
        let want = format!("{}:{at}", path.display());
        assert!(line.contains(&want), "{text:?}: {line} does not point at {at}");
        assert!(line.to_lowercase().contains(&msg.to_lowercase()), "{text:?}: {line} does not say {msg}");
        // Every other verb refuses to run on a broken configuration, and says how to check it.
        let r: Run = logx().arg("--config").arg(&path).args(["cat", "fixtures/syslog"]).output().unwrap().into();
        assert_eq!(r.code, 2);
        assert!(r.stderr.contains("logx config check"), "{}", r.stderr);
    }
}
