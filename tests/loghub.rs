//! Accuracy on real logs nobody here wrote: for the loghub datasets with ground truth, the
//! timestamps (to the second) and levels logx reads, compared line by line with loghub's
//! structured CSV. Each dataset must agree on at least 99% of its lines.
//!
//! The ground truth is read by column meaning, not by dataset: a `Timestamp` column is epoch
//! seconds; otherwise date and time columns are combined by their shape. Year-less sources
//! (loghub's `Month`/`Date` columns, Android's `03-17`) compare month, day and time.

use std::collections::HashMap;

use crate::util::entries;

const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// The ground-truth time of a row as (compare-without-year, "YYYY-MM-DD HH:MM:SS" or
/// "MM-DD HH:MM:SS").
fn truth_time(row: &HashMap<String, String>) -> Option<(bool, String)> {
    if let Some(epoch) = row.get("Timestamp").and_then(|t| t.parse::<i64>().ok()) {
        let t = chrono::DateTime::from_timestamp(epoch, 0)?;
        return Some((false, t.format("%Y-%m-%d %H:%M:%S").to_string()));
    }
    let time = row.get("Time")?;
    // A full date and time in the Time column (Apache's ctime).
    if let Ok(t) = chrono::NaiveDateTime::parse_from_str(time, "%a %b %d %H:%M:%S %Y") {
        return Some((false, t.format("%Y-%m-%d %H:%M:%S").to_string()));
    }
    let hms = {
        let t = time.split([',', '.']).next()?;
        if t.len() == 6 && t.bytes().all(|c| c.is_ascii_digit()) {
            format!("{}:{}:{}", &t[..2], &t[2..4], &t[4..])
        } else {
            t.to_string()
        }
    };
    // Month name + day (syslog-style sources).
    if let Some(mon) = row.get("Month").or(row.get("Date")).and_then(|m| MONTHS.iter().position(|x| x == m)) {
        let day: u32 = row.get("Date").filter(|_| row.contains_key("Month")).or(row.get("Day"))?.parse().ok()?;
        return Some((true, format!("{:02}-{:02} {hms}", mon + 1, day)));
    }
    let date = row.get("Date")?;
    let ymd = if date.len() == 6 && date.bytes().all(|c| c.is_ascii_digit()) {
        format!("20{}-{}-{}", &date[..2], &date[2..4], &date[4..])
    } else if date.len() == 8 && date.as_bytes()[2] == b'/' {
        format!("20{}-{}-{}", &date[..2], &date[3..5], &date[6..])
    } else if date.len() == 5 && date.as_bytes()[2] == b'-' {
        return Some((true, format!("{date} {hms}")));
    } else {
        date.replace('.', "-")
    };
    Some((false, format!("{ymd} {hms}")))
}

/// The level a ground-truth label means, normalized as logx does.
fn truth_level(label: &str) -> Option<&'static str> {
    let l = if label.len() == 1 {
        logx::entry::Level::from_letter(label.as_bytes()[0])
    } else {
        logx::entry::Level::parse_word(label)
    };
    l.map(|l| l.as_str())
}

fn check(dataset: &str) {
    let corpus = need_corpus!();
    let dir = corpus.join("loghub");
    let csv_path = dir.join("ground-truth").join(format!("{dataset}_2k.log_structured.csv"));
    let mut rdr = csv::Reader::from_path(&csv_path).expect("ground truth");
    let headers = rdr.headers().expect("headers").clone();
    let rows: Vec<HashMap<String, String>> = rdr
        .records()
        .map(|r| {
            let r = r.expect("row");
            headers.iter().zip(r.iter()).map(|(h, v)| (h.to_string(), v.to_string())).collect()
        })
        .collect();
    let got = entries(&[&dir.join(format!("{dataset}_2k.log"))]);
    assert_eq!(got.len(), rows.len(), "{dataset}: one entry per line");
    // Linux_2k's Level column holds the host name, not a level.
    let has_levels = headers.iter().any(|h| h == "Level") && dataset != "Linux";
    let (mut ts_ok, mut lv_ok, mut lv_n) = (0usize, 0usize, 0usize);
    let mut examples = Vec::new();
    for (e, row) in got.iter().zip(&rows) {
        let want = truth_time(row).expect("ground truth has a time");
        let got_ts = e["ts"].as_str().unwrap_or("");
        let g = if got_ts.len() >= 19 {
            if want.0 {
                format!("{} {}", &got_ts[5..10], &got_ts[11..19])
            } else {
                format!("{} {}", &got_ts[..10], &got_ts[11..19])
            }
        } else {
            String::new()
        };
        if g == want.1 {
            ts_ok += 1;
        } else if examples.len() < 3 {
            examples.push(format!("line {}: ts {got_ts} vs truth {}", row["LineId"], want.1));
        }
        if has_levels {
            lv_n += 1;
            let want_l = truth_level(&row["Level"]);
            if want_l.is_some() && e["level"].as_str() == want_l {
                lv_ok += 1;
            } else if examples.len() < 6 {
                examples.push(format!("line {}: level {} vs truth {}", row["LineId"], e["level"], row["Level"]));
            }
        }
    }
    let ts_rate = ts_ok as f64 / rows.len() as f64;
    eprintln!(
        "{dataset}: timestamps {:.2}%, levels {}",
        ts_rate * 100.0,
        if has_levels { format!("{:.2}%", lv_ok as f64 * 100.0 / lv_n as f64) } else { "n/a".into() }
    );
    assert!(ts_rate >= 0.99, "{dataset}: timestamps agree on {:.2}% < 99%: {examples:?}", ts_rate * 100.0);
    if has_levels {
        let lv_rate = lv_ok as f64 / lv_n as f64;
        assert!(lv_rate >= 0.99, "{dataset}: levels agree on {:.2}% < 99%: {examples:?}", lv_rate * 100.0);
    }
}

#[test]
fn hdfs() {
    check("HDFS");
}
#[test]
fn hadoop() {
    check("Hadoop");
}
#[test]
fn spark() {
    check("Spark");
}
#[test]
fn bgl() {
    check("BGL");
}
#[test]
fn linux() {
    check("Linux");
}
#[test]
fn android() {
    check("Android");
}
#[test]
fn apache() {
    check("Apache");
}
#[test]
fn openssh() {
    check("OpenSSH");
}
