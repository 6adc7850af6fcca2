//! Helpers: run the built binary with a controlled environment, find the corpus and fixtures.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The project root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `fixtures/<name>`.
pub fn fixture(name: &str) -> PathBuf {
    root().join("fixtures").join(name)
}

/// `../shared/corpus`, when present.
pub fn corpus_dir() -> Option<PathBuf> {
    let d = root().join("../shared/corpus");
    d.is_dir().then(|| d.canonicalize().unwrap_or(d))
}

/// Returns the corpus directory or skips the test (with a message) when it is absent.
macro_rules! need_corpus {
    () => {
        match crate::util::corpus_dir() {
            Some(d) => d,
            None => {
                eprintln!("skipped: ../shared/corpus is absent");
                return;
            }
        }
    };
}

/// A command for the binary with TZ=UTC, no colour variables, an empty config and a
/// private cache directory.
pub fn logx() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_logx"));
    c.env("TZ", "UTC")
        .env_remove("NO_COLOR")
        .env_remove("LOGX_CONFIG")
        .env("XDG_CONFIG_HOME", root().join("target/test-config-none"))
        .env("XDG_CACHE_HOME", std::env::temp_dir().join(format!("logx-test-cache-{}", std::process::id())))
        .stdin(Stdio::null());
    c
}

/// What a run gave.
#[derive(Debug)]
pub struct Run {
    /// Exit status.
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard output, bytes.
    pub raw: Vec<u8>,
    /// Standard error.
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(o: Output) -> Run {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            raw: o.stdout,
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

/// Runs `logx ARGS`.
pub fn run<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Run {
    logx().args(args).output().expect("run logx").into()
}

/// Runs `logx ARGS` with `input` on stdin.
pub fn run_stdin<S: AsRef<std::ffi::OsStr>>(args: &[S], input: &[u8]) -> Run {
    use std::io::Write;
    let mut child =
        logx().args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("spawn");
    let mut stdin = child.stdin.take().expect("stdin");
    let data = input.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&data);
    });
    let out = child.wait_with_output().expect("wait");
    writer.join().expect("writer");
    out.into()
}

/// Parses NDJSON output.
pub fn json_lines(s: &str) -> Vec<serde_json::Value> {
    s.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("invalid JSON line {l:?}: {e}"))).collect()
}

/// `cat -o json` of paths, parsed.
pub fn entries(paths: &[&Path]) -> Vec<serde_json::Value> {
    let mut args: Vec<std::ffi::OsString> = vec!["cat".into(), "-o".into(), "json".into()];
    args.extend(paths.iter().map(|p| p.as_os_str().to_owned()));
    let r = run(&args);
    assert!(r.code == 0 || r.code == 1, "logx failed: {}", r.stderr);
    json_lines(&r.stdout)
}

/// A temporary directory.
pub fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("tempdir")
}
