//! The light parse (time, level and message without building fields), used by counting,
//! level filters, message searches and `patterns`, gives what the full parse gives, on every
//! entry of the fixtures and of the shared corpus; so does the message alone (a phrase
//! counted).

use std::path::Path;

use logx::entry::Entry;
use logx::format::Parser;
use logx::index::lines::SpanIter;
use logx::time::{Resolver, Zone};

/// Compares both parses on every entry of a file; returns how many entries were compared.
fn compare(path: &Path) -> usize {
    let data = std::fs::read(path).unwrap();
    let head = &data[..data.len().min(64 << 10)];
    let d = logx::format::detect(head);
    let mut full = Parser::new(d.format, Resolver::new(Zone::Utc, 1_795_000_000));
    full.fallback = true;
    let mut lite = full.clone();
    let probe = full.clone();
    let mut n = 0;
    for span in SpanIter::new(&data, 0, &probe, true) {
        let raw = &data[span.start..span.end];
        let mut a = Entry { raw, lines: span.lines, ..Entry::default() };
        full.parse(&mut a);
        // (time and level; both and the message; the message alone, as a phrase is counted)
        for (want_msg, want_facts) in [(false, true), (true, true), (true, false)] {
            let mut b = Entry { raw, lines: span.lines, ..Entry::default() };
            lite.parse_lite(&mut b, want_msg, want_facts);
            let at = format!("{}:{}", path.display(), span.start);
            if want_facts {
                assert_eq!(a.ts, b.ts, "time at {at}");
                assert_eq!(a.level, b.level, "level at {at}");
            }
            assert_eq!(a.format, b.format, "format at {at}");
            if want_msg {
                assert_eq!(a.msg, b.msg, "message at {at}");
            }
        }
        n += 1;
    }
    n
}

fn files_under(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            files_under(&p, out);
        } else if !p.extension().is_some_and(|x| x == "gz" || x == "py" || x == "csv" || x == "toml") {
            out.push(p);
        }
    }
}

#[test]
fn light_parse_equals_full_parse_on_the_fixtures() {
    let mut files = Vec::new();
    files_under(&crate::util::root().join("fixtures"), &mut files);
    let n: usize = files.iter().map(|f| compare(f)).sum();
    assert!(n > 1000, "{n} entries compared");
}

#[test]
fn light_parse_equals_full_parse_on_the_corpus() {
    let corpus = need_corpus!();
    let mut files = Vec::new();
    files_under(&corpus.join("loghub"), &mut files);
    files_under(&corpus.join("lnav"), &mut files);
    files.retain(|f| !f.to_string_lossy().contains("ground-truth"));
    let n: usize = files.iter().map(|f| compare(f)).sum();
    eprintln!("{n} entries compared");
    assert!(n > 30_000, "{n} entries compared");
}
