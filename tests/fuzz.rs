//! The fuzz targets of `logx::fuzzing` outside libFuzzer: the findings of past runs, kept in
//! `tests/fuzz/TARGET/`, are replayed on every test run; a smoke run (ignored by default, run by
//! CI: `cargo test --release --test integration fuzz::smoke -- --ignored`) mutates the fixtures
//! and known tricky inputs through every target for LOGX_FUZZ_SECS seconds each (default 12).

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Duration, Instant};

use logx::fuzzing::TARGETS;

use crate::util::root;

#[test]
fn findings_of_past_runs_stay_fixed() {
    let mut n = 0;
    for (name, target) in TARGETS {
        let dir = root().join("tests/fuzz").join(name);
        let Ok(rd) = std::fs::read_dir(&dir) else { continue };
        for e in rd.flatten() {
            let data = std::fs::read(e.path()).unwrap();
            if catch_unwind(|| target(&data)).is_err() {
                panic!("{name}: {} fails again", e.path().display());
            }
            n += 1;
        }
    }
    assert!(n >= 4, "{n} kept inputs");
}

/// A small deterministic generator (xorshift).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const TOKENS: &[&str] = &[
    "{\"",
    "\":",
    "\"}",
    "}",
    "{",
    "[",
    "]",
    ",",
    "\"level\":",
    "\"msg\":",
    "\"time\":",
    "\"ts\":",
    "1763719200000",
    "30",
    "\"@t\":",
    "\"PRIORITY\":\"3\"",
    "2026-11-21T10:00:00.123456789Z",
    "2026-11-21 10:00:00,123",
    "+02:00",
    "Nov 21 10:00:00",
    "21/Nov/2026:10:00:00 +0000",
    "I1121 10:00:00.123456",
    "<34>1 ",
    "<13>",
    " ERROR ",
    "[WARN]",
    " level=info ",
    " msg=\"",
    "=",
    "\\\"",
    "\\u00",
    "\x1b[31m",
    "\x1b]0;t\x07",
    "\u{202e}",
    "\r",
    "\n",
    "\n\t",
    "\n    at ",
    " | ",
    "stdout F ",
    "stderr P ",
    "\u{0}",
    "\u{ff}",
    "é",
    "-",
    "*",
    "~=",
    ">",
    "<",
    "?",
    "!",
    "..",
    "[sources.a]\npaths = [\"x\"]\n",
    "[formats.f]\nregex = '",
    "(?P<ts>\\S+)",
    "(?P<msg>.*)",
    "timestamp = \"%Y\"",
    "levels = { A = \"warn\" }",
    "tz = \"",
    "Europe/Paris",
    "yesterday",
    "30m ago",
    "-2h",
    "monday",
    "2026-13-01",
];

fn seeds() -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = Vec::new();
    let mut walk = vec![root().join("fixtures")];
    while let Some(d) = walk.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk.push(p);
            } else if let Ok(b) = std::fs::read(&p) {
                if !p.to_string_lossy().ends_with(".gz") {
                    out.push(b[..b.len().min(4096)].to_vec());
                }
            }
        }
    }
    for f in logx::format::BUILTIN {
        out.push(f.samples.join("\n").into_bytes());
    }
    out.push(b"level=warn\x00--from\x002026-11-21\x00user~=^a.*\x00req.method=POST\x00".to_vec());
    out
}

fn mutate(rng: &mut Rng, data: &mut Vec<u8>, seeds: &[Vec<u8>]) {
    for _ in 0..1 + rng.below(4) {
        let len = data.len();
        match rng.below(7) {
            0 if len > 0 => {
                let i = rng.below(len);
                data[i] ^= 1 << rng.below(8);
            }
            1 => {
                let i = rng.below(len + 1);
                data.insert(i, rng.next() as u8);
            }
            2 if len > 0 => {
                let a = rng.below(len);
                let b = (a + 1 + rng.below(32)).min(len);
                data.drain(a..b);
            }
            3 if len > 0 => {
                let a = rng.below(len);
                let b = (a + 1 + rng.below(64)).min(len);
                let chunk = data[a..b].to_vec();
                let at = rng.below(len + 1);
                data.splice(at..at, chunk);
            }
            4 => {
                let s = &seeds[rng.below(seeds.len())];
                if !s.is_empty() {
                    let a = rng.below(s.len());
                    let b = (a + 1 + rng.below(256)).min(s.len());
                    let at = rng.below(len + 1);
                    data.splice(at..at, s[a..b].iter().copied());
                }
            }
            5 if len > 0 => {
                // Deep nesting or long repeats.
                let at = rng.below(len + 1);
                let unit = TOKENS[rng.below(TOKENS.len())].as_bytes().to_vec();
                let times = 1 + rng.below(200);
                let rep: Vec<u8> = unit.iter().copied().cycle().take(unit.len() * times).collect();
                data.splice(at..at, rep);
            }
            _ => {
                let t = TOKENS[rng.below(TOKENS.len())].as_bytes();
                let at = rng.below(len + 1);
                data.splice(at..at, t.iter().copied());
            }
        }
    }
    data.truncate(64 * 1024);
}

#[test]
#[ignore]
fn smoke() {
    let secs: u64 = std::env::var("LOGX_FUZZ_SECS").ok().and_then(|v| v.parse().ok()).unwrap_or(12);
    let seeds = seeds();
    let out = root().join("target/fuzz-smoke");
    let mut total = 0u64;
    for (ti, (name, target)) in TARGETS.iter().enumerate() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ (ti as u64 + 1).wrapping_mul(0x2545_f491_4f6c_dd1d));
        let end = Instant::now() + Duration::from_secs(secs);
        let mut runs = 0u64;
        while Instant::now() < end {
            let mut data = seeds[rng.below(seeds.len())].clone();
            mutate(&mut rng, &mut data, &seeds);
            if catch_unwind(AssertUnwindSafe(|| target(&data))).is_err() {
                std::fs::create_dir_all(&out).unwrap();
                let p = out.join(format!("{name}-{runs}"));
                std::fs::write(&p, &data).unwrap();
                panic!("{name} failed on {} (replay it, then keep it in tests/fuzz/{name}/)", p.display());
            }
            runs += 1;
        }
        eprintln!("fuzz smoke: {name}: {runs} inputs in {secs}s");
        total += runs;
    }
    assert!(total > 1000, "{total} inputs");
}
