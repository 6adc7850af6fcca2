//! Fuzz targets: each takes arbitrary bytes, must never panic, and checks the invariants that
//! hold for every input. `fuzz/` runs them under libFuzzer (`cargo +nightly fuzz run NAME`);
//! the test suite replays the findings kept in `tests/fuzz/` and a CI smoke run mutates the
//! fixtures through them on the stable toolchain.

use crate::entry::Entry;
use crate::format::{self, Format, Parser};
use crate::index::lines::SpanIter;
use crate::query::{Query, QuerySpec};
use crate::time::{Resolver, Zone};

/// A fuzz target: arbitrary bytes in, a panic when an invariant breaks.
pub type Target = fn(&[u8]);

/// The targets by name.
pub const TARGETS: &[(&str, Target)] =
    &[("detect", detect), ("parsers", parsers), ("timestamps", timestamps), ("query", query), ("config", config)];

/// Entries of `data` with `parser`: every line is in exactly one entry, in order, and every
/// entry renders to valid JSON.
fn check_entries(data: &[u8], mut parser: Parser) {
    let probe = parser.clone();
    let mut lines = 0u64;
    let mut next = 0usize;
    let mut out = Vec::new();
    for span in SpanIter::new(data, 0, &probe, true) {
        assert_eq!(span.start, next, "entries are contiguous");
        assert!(span.end >= span.start && span.end <= data.len());
        next = span.next();
        lines += u64::from(span.lines);
        let mut e = Entry { raw: &data[span.start..span.end], lines: span.lines, ..Default::default() };
        parser.parse(&mut e);
        out.clear();
        crate::sink::write_json(&e, &[], &mut out);
        if let Err(err) = serde_json::from_slice::<serde_json::Value>(&out) {
            panic!("invalid JSON for {:?}: {err}: {}", String::from_utf8_lossy(e.raw), String::from_utf8_lossy(&out));
        }
    }
    assert_eq!(next, data.len(), "every byte is in an entry");
    let physical =
        memchr::memchr_iter(b'\n', data).count() as u64 + u64::from(!data.is_empty() && !data.ends_with(b"\n"));
    assert_eq!(lines, physical, "every line is in exactly one entry");
}

fn resolver() -> Resolver {
    Resolver::new(Zone::Utc, 1_795_000_000)
}

/// Format detection, then parsing with the detected format (with the per-line fallback).
pub fn detect(data: &[u8]) {
    let d = format::detect(data);
    assert!(d.matched <= d.sampled);
    let mut p = Parser::new(d.format, resolver());
    p.fallback = true;
    check_entries(data, p);
}

/// Every built-in parser, forced, on the same bytes.
pub fn parsers(data: &[u8]) {
    for f in format::BUILTIN {
        let Ok(format) = format::forced(f.name, data) else { continue };
        check_entries(data, Parser::new(format, resolver()));
    }
    for d in format::JSON_DIALECTS {
        if let Ok(format) = format::forced(d, data) {
            check_entries(data, Parser::new(format, resolver()));
        }
    }
    check_entries(data, Parser::new(Format::Raw, resolver()));
}

/// Timestamp parsing: every shape at every position, full strings, and the query's time
/// expressions.
pub fn timestamps(data: &[u8]) {
    let mut r = resolver();
    for i in 0..data.len().min(64) {
        if let Some((_, n, _)) = crate::time::parse_at(&data[i..]) {
            assert!(n <= data.len() - i);
        }
    }
    let s = String::from_utf8_lossy(data);
    let _ = crate::time::parse_full(&s, &mut r);
    let now = 1_795_275_000_000_000_000;
    for zone in [Zone::Utc, Zone::from_spec("+05:30").unwrap_or(Zone::Utc)] {
        let _ = crate::query::timeexpr::parse_point(&s, &zone, now);
        let _ = crate::query::timeexpr::parse_day(&s, &zone, now);
    }
    let _ = crate::query::timeexpr::parse_duration(&s);
    let _ = Zone::from_spec(&s);
}

/// The query syntax: the bytes split into filter values, compiled, and run on entries.
pub fn query(data: &[u8]) {
    let s = String::from_utf8_lossy(data);
    let mut parts = s.split('\u{0}');
    let mut next = || parts.next().map(str::to_string);
    let spec = QuerySpec {
        level: next(),
        levels: next().into_iter().collect(),
        grep: next().into_iter().collect(),
        fixed: next().into_iter().collect(),
        wheres: next().into_iter().chain(next()).collect(),
        from: next(),
        to: next(),
        day: next(),
        last: next(),
        services: next().into_iter().collect(),
        ..QuerySpec::default()
    };
    let _ = crate::query::where_expr::Where::parse(&s);
    if let Ok(q) = Query::compile(&spec, &Zone::Utc, 1_795_275_000_000_000_000) {
        let lines: [&[u8]; 3] = [
            b"2026-11-21 10:00:00 ERROR [svc] boom user=bob",
            br#"{"level":"info","msg":"hi","user":"alice","req":{"method":"POST"},"n":5}"#,
            b"no format at all",
        ];
        for l in lines {
            let mut p = Parser::new(format::detect(l).format, resolver());
            p.fallback = true;
            let mut e = Entry { raw: l, lines: 1, ..Default::default() };
            p.parse(&mut e);
            let _ = q.matches(&e);
        }
    }
}

/// The configuration file and format files.
pub fn config(data: &[u8]) {
    let s = String::from_utf8_lossy(data);
    if let Err(e) = crate::config::parse(&s, "fuzz.toml") {
        if let Some((l, c)) = e.at {
            assert!(l >= 1 && c >= 1 && l <= s.lines().count().max(1) + 1, "{e}");
        }
    }
    if let Ok(f) = crate::config::parse_format_file(&s, "fuzz.toml") {
        for line in s.lines().take(32) {
            let _ = f.check(line);
        }
    }
}
