//! Property tests: for arbitrary input, parsing never panics and accounts for every line
//! exactly once; `-o json` parses back to the same entries; CSV export reads back to the same
//! cells.

use proptest::prelude::*;

use logx::entry::Entry;
use logx::format::Parser;
use logx::index::lines::SpanIter;
use logx::time::{Resolver, Zone};

/// Lines that look like logs, broken in every way: fragments of every format, controls,
/// invalid UTF-8, continuation lines, missing newlines.
fn loggy() -> impl Strategy<Value = Vec<u8>> {
    let fragment = prop_oneof![
        Just(b"2026-11-21 10:00:00 INFO ".to_vec()),
        Just(b"2026-11-21T10:00:00.123Z ERROR [svc] ".to_vec()),
        Just(b"Nov 21 10:00:00 host sshd[42]: ".to_vec()),
        Just(b"10.0.0.1 - bob [21/Nov/2026:10:00:00 +0000] \"GET / HTTP/1.1\" 200 12".to_vec()),
        Just(br#"{"level":30,"time":1763719200000,"msg":""#.to_vec()),
        Just(br#"{"level":"warn","ts":1763719200.5,"logger":"x","msg":"m","n":{"a":[1,2]}}"#.to_vec()),
        Just(b"ts=2026-11-21T10:00:00Z level=info msg=\"quoted \\\" text\" k=v".to_vec()),
        Just(b"\n    at Foo.bar(Foo.java:1)".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"\x1b[31m\x07\x00\x9b".to_vec()),
        Just("é\u{202e}".as_bytes().to_vec()),
        prop::collection::vec(any::<u8>(), 0..24),
        "[ -~]{0,40}".prop_map(String::into_bytes),
    ];
    prop::collection::vec(fragment, 0..40).prop_map(|v| v.concat())
}

fn entries(data: &[u8]) -> Vec<(Option<String>, Option<&'static str>, String, u32)> {
    let d = logx::format::detect(data);
    let mut parser = Parser::new(d.format, Resolver::new(Zone::Utc, 1_795_000_000));
    parser.fallback = true;
    let probe = parser.clone();
    let mut out = Vec::new();
    for span in SpanIter::new(data, 0, &probe, true) {
        let mut e = Entry { raw: &data[span.start..span.end], lines: span.lines, ..Default::default() };
        parser.parse(&mut e);
        let ts = e.ts.map(|t| {
            let mut v = Vec::new();
            t.write_rfc3339(&mut v);
            String::from_utf8(v).unwrap()
        });
        out.push((ts, e.level.map(|l| l.as_str()), e.msg.to_string(), span.lines));
        // The NDJSON of this entry parses back to the same values.
        let mut json = Vec::new();
        logx::sink::write_json(&e, &[], &mut json);
        let v: serde_json::Value = serde_json::from_slice(&json).expect("valid JSON");
        assert_eq!(v["msg"].as_str(), Some(&*e.msg));
        assert_eq!(v["level"].as_str(), e.level.map(|l| l.as_str()));
        assert_eq!(v["ts"].as_str().map(str::to_string), out.last().unwrap().0);
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic_and_every_line_is_counted_once(data in prop::collection::vec(any::<u8>(), 0..4096)) {
        logx::fuzzing::detect(&data);
        logx::fuzzing::parsers(&data);
    }

    #[test]
    fn log_like_input_accounts_for_every_line_and_round_trips_through_json(data in loggy()) {
        logx::fuzzing::detect(&data);
        let es = entries(&data);
        let lines: u64 = es.iter().map(|e| u64::from(e.3)).sum();
        let physical = data.split(|b| *b == b'\n').count() as u64 - u64::from(data.is_empty() || data.ends_with(b"\n"));
        prop_assert_eq!(lines, physical);
    }
}

proptest! {
    // Each case runs the binary twice: fewer cases.
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn csv_export_reads_back_to_the_same_cells(data in loggy()) {
        let dir = crate::util::tempdir();
        let p = dir.path().join("x.log");
        std::fs::write(&p, &data).unwrap();
        crate::export::csv_matches_json(&["--all", p.to_str().unwrap()]);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2048, ..ProptestConfig::default() })]

    #[test]
    fn the_fast_csv_cell_writes_what_the_careful_one_does(s in any::<String>(), lead in "[=+@ \t\r-]?", tail in "[ ,\"\n]?") {
        let s = format!("{lead}{s}{tail}");
        let mut fast = Vec::new();
        logx::sink::table::push_csv_cell(&mut fast, &s);
        let mut careful = Vec::new();
        logx::sink::csv::push_field(&mut careful, &logx::sink::table::cell_safe(&s));
        prop_assert_eq!(fast, careful);
    }
}
