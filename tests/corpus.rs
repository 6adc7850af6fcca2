//! Every file of `../shared/corpus` through the real binary: entry count, level
//! distribution, first and last timestamps. The expected values were established by reading
//! the files (and, for mechanical facts such as TAI64N labels or status classes of thousands
//! of lines, by independent scripts over the raw text), never taken from logx's output.
//!
//! Timestamps are read with TZ=UTC. `~MM-DDThh:mm:ss` marks a year-less source: the year is
//! checked separately against the rule (the year that puts it at or before the file's
//! modification time). `~~Thh:mm:ss` marks a time of day only.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{Datelike, TimeZone};

use crate::util::entries;

struct Expect {
    file: &'static str,
    entries: usize,
    levels: &'static [(&'static str, usize)],
    first: Option<&'static str>,
    last: Option<&'static str>,
}

const fn e(
    file: &'static str,
    entries: usize,
    levels: &'static [(&'static str, usize)],
    first: Option<&'static str>,
    last: Option<&'static str>,
) -> Expect {
    Expect { file, entries, levels, first, last }
}

const NONE: Option<&str> = None;

const LNAV: &[Expect] = &[
    e(
        "logfile_access_log.0",
        3,
        &[("info", 2), ("warn", 1)],
        Some("2009-07-20T22:59:26Z"),
        Some("2009-07-20T22:59:29Z"),
    ),
    e(
        "logfile_access_log_dupe.0",
        3,
        &[("info", 2), ("warn", 1)],
        Some("2009-07-20T22:59:26Z"),
        Some("2009-07-20T22:59:29Z"),
    ),
    e("logfile_bad_syslog.0", 4, &[("info", 4)], Some("~11-03T09:23:38Z"), Some("~11-03T09:47:02Z")),
    // "/abc/def" continues the entry before it.
    e("logfile_block.1", 2, &[("none", 2)], Some("2021-05-19T13:00:01Z"), Some("2021-05-19T13:00:03Z")),
    // Zeek: the '#' header block is one raw entry, then 92 records; '#close' ends the last.
    e(
        "logfile_bro_conn.log.0",
        93,
        &[("none", 93)],
        Some("2011-11-03T00:19:14.496300Z"),
        Some("2011-11-03T00:19:26.796068Z"),
    ),
    e(
        "logfile_bunyan.0",
        10,
        &[("debug", 9), ("info", 1)],
        Some("2023-03-24T14:26:16.243Z"),
        Some("2023-03-24T14:26:18.331Z"),
    ),
    e(
        "logfile_caddy_log.0",
        39,
        &[("info", 30), ("warn", 9)],
        Some("2025-10-21T04:10:22.3152757Z"),
        Some("2025-10-21T04:12:37.9247544Z"),
    ),
    e(
        "logfile_caddy_log.1",
        4,
        &[("info", 4)],
        Some("2024-05-26T11:42:52.6014807Z"),
        Some("2024-05-26T14:16:03.4146512Z"),
    ),
    e(
        "logfile_cloudflare.1",
        15,
        &[("none", 15)],
        Some("2024-04-10T23:00:00.100000000Z"),
        Some("2024-04-10T23:00:44.995000000Z"),
    ),
    e("logfile_cloudflare.json", 1, &[("none", 1)], Some("2022-10-30T00:00:02Z"), Some("2022-10-30T00:00:02Z")),
    e(
        "logfile_docker_compose.0",
        22,
        &[("none", 22)],
        Some("2024-04-25T05:32:35.018Z"),
        Some("2024-04-25T05:54:43.948Z"),
    ),
    e(
        "logfile_docker_compose_with_noise.0",
        25,
        &[("none", 25)],
        Some("2024-04-25T05:32:35.018Z"),
        Some("2024-04-25T05:54:43.948Z"),
    ),
    e(
        "logfile_docker_compose_with_ts.0",
        22,
        &[("none", 22)],
        Some("2024-04-25T05:32:35.584725130Z"),
        Some("2024-04-25T05:54:43.948541926Z"),
    ),
    e(
        "logfile_ecs_log.json",
        5,
        &[("debug", 1), ("info", 1), ("warn", 1), ("error", 1), ("fatal", 1)],
        Some("2025-01-13T09:58:13.631Z"),
        Some("2025-01-13T09:58:13.634Z"),
    ),
    e("logfile_empty.0", 0, &[], NONE, NONE),
    e("logfile_epoch.0", 2, &[("none", 2)], Some("2015-04-10T02:58:07.123Z"), Some("2015-04-10T02:58:07.456Z")),
    // Mostly not a log: each line is an entry; the syslog line still parses as syslog.
    e("logfile_filter.1", 5, &[("none", 4), ("info", 1)], Some("~03-22T13:41:18Z"), Some("~03-22T13:41:18Z")),
    e(
        "logfile_generic.0",
        2,
        &[("debug", 1), ("warn", 1)],
        Some("2012-07-02T10:22:40.672Z"),
        Some("2014-10-08T16:56:38.344Z"),
    ),
    e(
        "logfile_glog.0",
        7,
        &[("error", 2), ("info", 4), ("warn", 1)],
        Some("~05-17T15:04:22.619632Z"),
        Some("~05-17T15:04:22.619776Z"),
    ),
    e(
        "logfile_grafana.0",
        5,
        &[("info", 5)],
        Some("2025-04-24T19:51:48.520963849Z"),
        Some("2025-04-24T19:51:48.521251943Z"),
    ),
    // The third object never closes: it is kept as a raw entry.
    e(
        "logfile_invalid_json.json",
        5,
        &[("trace", 1), ("info", 1), ("none", 1), ("debug", 2)],
        Some("2013-09-06T20:00:48.124817Z"),
        Some("2013-09-06T22:00:59.222222Z"),
    ),
    e(
        "logfile_invalid_json2.json",
        3,
        &[("trace", 1), ("info", 1), ("none", 1)],
        Some("2013-09-06T20:00:48.124817Z"),
        Some("2013-09-06T20:00:49.124817Z"),
    ),
    e(
        "logfile_invalid_tz.0",
        2,
        &[("error", 2)],
        Some("2015-04-24T21:08:10.313913Z"),
        Some("2015-04-24T21:08:58.430632Z"),
    ),
    e("logfile_java.0", 20, &[("info", 20)], Some("2025-01-24T07:00:30.139Z"), Some("2025-01-24T07:05:38.884Z")),
    // STATS is not a level; DEBUG5..DEBUG2 are debug; CRITICAL is fatal.
    e(
        "logfile_json.json",
        14,
        &[("trace", 1), ("info", 2), ("debug", 6), ("none", 1), ("warn", 1), ("error", 1), ("fatal", 2)],
        Some("2013-09-06T20:00:48.124817Z"),
        Some("2013-09-06T22:01:49.124817Z"),
    ),
    // Numbers: 0 on the 0..4 scale is debug; 10 on pino's scale is trace.
    e(
        "logfile_json2.json",
        3,
        &[("debug", 2), ("trace", 1)],
        Some("2013-09-06T20:00:49.124817Z"),
        Some("2013-09-06T22:01:49.124817Z"),
    ),
    e("logfile_json3.json", 3, &[("none", 3)], Some("2017-03-24T20:06:26.240Z"), Some("2017-03-24T20:15:31.694Z")),
    e(
        "logfile_json_invalid.json",
        13,
        &[("trace", 1), ("info", 2), ("debug", 4), ("none", 2), ("warn", 1), ("error", 1), ("fatal", 2)],
        Some("2013-09-06T20:00:48.124817Z"),
        Some("2013-09-06T22:01:49.124817Z"),
    ),
    e(
        "logfile_json_subsec.json",
        2,
        &[("none", 2)],
        Some("2022-09-24T00:00:09.484Z"),
        Some("2022-09-24T00:00:19.222000123Z"),
    ),
    e(
        "logfile_jsonid.json",
        2,
        &[("info", 2)],
        Some("2013-09-06T20:00:48.124817Z"),
        Some("2013-09-06T20:00:49.124817Z"),
    ),
    e("logfile_laravel.1", 4, &[("fatal", 2), ("info", 2)], Some("2025-01-02T11:19:06Z"), Some("2025-01-02T11:19:06Z")),
    e(
        "logfile_logfmt.0",
        5,
        &[("error", 2), ("warn", 1), ("info", 2)],
        Some("2021-09-15T21:17:10.220731Z"),
        Some("2021-09-15T21:18:20.335825Z"),
    ),
    // JSON, one logfmt line, a raw 'panic' with three indented continuation lines, JSON again.
    e(
        "logfile_mixed_json2.json",
        15,
        &[("trace", 1), ("info", 3), ("none", 2), ("debug", 5), ("warn", 1), ("error", 1), ("fatal", 2)],
        Some("2013-09-06T20:00:48.124817Z"),
        Some("2013-09-06T22:01:49.124817Z"),
    ),
    e(
        "logfile_mongodb.0",
        3,
        &[("info", 2), ("warn", 1)],
        Some("2026-03-10T20:58:09.401Z"),
        Some("2026-03-10T20:58:10.004Z"),
    ),
    e(
        "logfile_multiline.0",
        2,
        &[("debug", 1), ("error", 1)],
        Some("2009-07-20T22:59:27.672Z"),
        Some("2009-07-20T22:59:30.221Z"),
    ),
    e(
        "logfile_muxed_syslog.0",
        14,
        &[("none", 14)],
        Some("2007-11-03T06:24:38.000Z"),
        Some("2022-11-03T09:23:38.000Z"),
    ),
    // One entry per '# Time:' block.
    e(
        "logfile_mysql_slow.0",
        6,
        &[("none", 6)],
        Some("2021-01-26T23:45:57.678222Z"),
        Some("2021-01-26T23:46:00.584120Z"),
    ),
    e(
        "logfile_nested_json.json",
        13,
        &[("trace", 1), ("info", 2), ("debug", 5), ("none", 1), ("warn", 1), ("error", 1), ("fatal", 2)],
        Some("2013-09-06T20:00:48.124817Z"),
        Some("2013-09-06T22:01:49.124817Z"),
    ),
    e("logfile_nextcloud.0", 5, &[("info", 5)], Some("2023-10-01T02:39:09Z"), Some("2023-10-16T01:50:18Z")),
    // Tab-separated: the level column holds INFO and FINE.
    e("logfile_openam.0", 2, &[("info", 1), ("debug", 1)], Some("2014-06-15T01:04:52Z"), Some("2014-06-15T01:04:52Z")),
    e("logfile_otel_collector.jsonl", 6, &[("none", 6)], NONE, NONE),
    e("logfile_pino.0", 1, &[("info", 1)], Some("2025-04-24T22:08:37.537Z"), Some("2025-04-24T22:08:37.537Z")),
    e("logfile_plain.0", 3, &[("none", 3)], NONE, NONE),
    // DETAIL/CONTEXT/STATEMENT are not levels; CEST is +02:00.
    e(
        "logfile_postgres.2",
        8,
        &[("error", 2), ("none", 6)],
        Some("2025-08-16T11:02:58.095Z"),
        Some("2025-08-16T11:03:36.581Z"),
    ),
    // One entry per state dump (the 'End of' lines belong to their dump).
    e("logfile_procstate.0", 3, &[("none", 3)], Some("2022-06-02T00:01:01Z"), Some("2022-06-02T00:03:01Z")),
    e("logfile_rollover.1", 5, &[("info", 5)], Some("~11-03T09:23:38Z"), Some("~02-03T09:23:38Z")),
    e(
        "logfile_rust_tracing.0",
        5,
        &[("info", 2), ("trace", 1), ("warn", 1), ("error", 1)],
        Some("2025-10-28T19:15:10.821315Z"),
        Some("2025-10-28T19:15:10.821723Z"),
    ),
    e("logfile_spark.0", 399, &[("info", 399)], Some("2017-06-09T20:10:40Z"), Some("2017-06-09T20:10:54Z")),
    e("logfile_spark_dupe.0", 399, &[("info", 399)], Some("2017-06-09T20:10:40Z"), Some("2017-06-09T20:10:54Z")),
    e("logfile_strace_log.0", 9, &[("none", 9)], Some("~~T08:09:33.814936Z"), Some("~~T08:09:33.816577Z")),
    e(
        "logfile_strace_log.1",
        66,
        &[("none", 66)],
        Some("2023-10-11T18:19:11.000001Z"),
        Some("2023-10-11T18:19:11.215691Z"),
    ),
    // 117 lines: the last one has no newline.
    e("logfile_strace_log.2", 117, &[("none", 117)], Some("~~T12:21:46.284771Z"), Some("~~T12:21:46.386913Z")),
    e("logfile_syslog.0", 4, &[("info", 4)], Some("~11-03T09:23:38Z"), Some("~11-03T09:47:02Z")),
    // A French month name ("août") is not read: one raw entry.
    e("logfile_syslog_fr.0", 1, &[("none", 1)], NONE, NONE),
    e(
        "logfile_tai64n.0",
        10,
        &[("none", 10)],
        Some("2005-09-22T03:31:05.997071500Z"),
        Some("2005-09-22T03:31:07.954919500Z"),
    ),
    // 'TCF mm:ss.fff' has no hour or date: raw lines.
    e("logfile_tcf.0", 30, &[("none", 30)], NONE, NONE),
    e("logfile_tcf.1", 3, &[("none", 3)], NONE, NONE),
    e("logfile_tcsh_history.0", 4, &[("none", 4)], NONE, NONE),
    e(
        "logfile_vmw_log.0",
        3,
        &[("info", 2), ("warn", 1)],
        Some("2022-06-02T11:58:12.193Z"),
        Some("2022-06-02T11:59:41.498Z"),
    ),
    e("logfile_w3c.0", 5, &[("none", 5)], Some("2002-05-02T17:42:15Z"), Some("2002-05-02T17:42:15Z")),
    e("logfile_w3c.5", 2, &[("none", 2)], Some("2015-01-13T00:32:17Z"), Some("2015-01-13T00:32:17Z")),
    e("logfile_with_a_really_long_name_to_test_a_bug_with_long_names.0", 1, &[("none", 1)], NONE, NONE),
    e(
        "logfile_yday.0",
        2,
        &[("debug", 1), ("warn", 1)],
        Some("2012-01-25T10:22:40.672Z"),
        Some("2014-11-29T16:56:38.344Z"),
    ),
    e(
        "playground/access_log.gz",
        2492,
        &[("error", 152), ("warn", 967), ("info", 1373)],
        Some("2022-01-11T03:04:27Z"),
        Some("2022-01-13T10:48:46Z"),
    ),
    e("playground/messages.gz", 2512, &[("info", 2512)], Some("~01-11T03:04:27Z"), Some("~01-13T10:49:22Z")),
];

/// loghub: 2,000 lines each, one entry per line. Levels of the eight with ground truth come
/// from `ground-truth/*_structured.csv` (SEVERE counted as error, V as trace, notice as info);
/// the others from the level column of the raw text; syslog messages take their level from a
/// leading `error:`/`warning:`/`fatal:` word, else info.
const LOGHUB: &[Expect] = &[
    e(
        "Android_2k.log",
        2000,
        &[("info", 920), ("debug", 650), ("trace", 257), ("warn", 170), ("error", 3)],
        Some("~03-17T16:13:38.811Z"),
        Some("~03-17T16:16:09.141Z"),
    ),
    e(
        "Apache_2k.log",
        2000,
        &[("info", 1405), ("error", 595)],
        Some("2005-12-04T04:47:44Z"),
        Some("2005-12-05T19:15:57Z"),
    ),
    e(
        "BGL_2k.log",
        2000,
        &[("info", 1597), ("fatal", 347), ("error", 48), ("warn", 8)],
        Some("2005-06-03T22:42:50Z"),
        Some("2006-01-03T15:13:09Z"),
    ),
    e("HDFS_2k.log", 2000, &[("info", 1920), ("warn", 80)], Some("2008-11-09T20:36:15Z"), Some("2008-11-11T10:20:17Z")),
    e("HPC_2k.log", 2000, &[("none", 2000)], Some("2004-02-26T14:12:22Z"), Some("2005-12-15T18:25:39Z")),
    e(
        "Hadoop_2k.log",
        2000,
        &[("info", 1040), ("warn", 808), ("error", 150), ("fatal", 2)],
        Some("2015-10-18T18:01:47.978Z"),
        Some("2015-10-18T18:10:55.202Z"),
    ),
    e("HealthApp_2k.log", 2000, &[("none", 2000)], Some("2017-12-23T22:15:29.606Z"), Some("2017-12-24T01:02:35.789Z")),
    e("Linux_2k.log", 2000, &[("info", 1998), ("warn", 2)], Some("~06-14T15:16:01Z"), Some("~07-27T14:42:00Z")),
    e("Mac_2k.log", 2000, &[("info", 1997), ("warn", 3)], Some("~07-01T09:00:55Z"), Some("~07-08T08:10:46Z")),
    e(
        "OpenSSH_2k.log",
        2000,
        &[("info", 1952), ("error", 47), ("fatal", 1)],
        Some("~12-10T06:55:46Z"),
        Some("~12-10T11:04:45Z"),
    ),
    e(
        "OpenStack_2k.log",
        2000,
        &[("info", 1969), ("warn", 31)],
        Some("2017-05-16T00:00:00.008Z"),
        Some("2017-05-16T00:14:47.687Z"),
    ),
    e("Proxifier_2k.log", 2000, &[("none", 2000)], Some("~10-30T16:49:06Z"), Some("~07-27T10:23:42Z")),
    e("Spark_2k.log", 2000, &[("info", 2000)], Some("2017-06-09T20:10:40Z"), Some("2017-06-09T20:11:11Z")),
    e("Thunderbird_2k.log", 2000, &[("none", 2000)], Some("2005-11-09T20:01:01Z"), Some("2005-11-09T20:15:32Z")),
    e("Windows_2k.log", 2000, &[("info", 2000)], Some("2016-09-28T04:30:30Z"), Some("2016-09-29T02:04:40Z")),
    e(
        "Zookeeper_2k.log",
        2000,
        &[("info", 669), ("warn", 1318), ("error", 13)],
        Some("2015-07-29T17:41:44.747Z"),
        Some("2015-08-10T18:12:34.004Z"),
    ),
];

fn mtime(path: &Path) -> chrono::DateTime<chrono::Utc> {
    let t = std::fs::metadata(path).and_then(|m| m.modified()).expect("mtime");
    chrono::DateTime::<chrono::Utc>::from(t)
}

/// Checks a timestamp against an expectation; for year-less ones also the year rule.
fn check_ts(file: &Path, what: &str, got: Option<&str>, want: Option<&str>) -> Result<(), String> {
    let (got, want) = match (got, want) {
        (None, None) => return Ok(()),
        (Some(g), Some(w)) => (g, w),
        (g, w) => return Err(format!("{what}: got {g:?}, want {w:?}")),
    };
    if let Some(tod) = want.strip_prefix("~~") {
        if !got.ends_with(tod) {
            return Err(format!("{what}: got {got}, want time of day {tod}"));
        }
        let day = chrono::NaiveDate::parse_from_str(&got[..10], "%Y-%m-%d").map_err(|e| e.to_string())?;
        let m = mtime(file).date_naive();
        if day != m && day != m.pred_opt().unwrap_or(m) {
            return Err(format!("{what}: date {day} should be the file's day {m} or the day before"));
        }
        return Ok(());
    }
    if let Some(rest) = want.strip_prefix('~') {
        if &got[5..] != rest {
            return Err(format!("{what}: got {got}, want ????-{rest}"));
        }
        // The year that puts it at or before the file's mtime (a day of slack).
        let m = mtime(file);
        let month: u32 = rest[..2].parse().unwrap_or(1);
        let day: u32 = rest[3..5].parse().unwrap_or(1);
        let hms = chrono::NaiveTime::parse_from_str(&rest[6..14], "%H:%M:%S").map_err(|e| e.to_string())?;
        let mut year = m.year();
        let at = |y: i32| {
            chrono::NaiveDate::from_ymd_opt(y, month, day).map(|d| chrono::Utc.from_utc_datetime(&d.and_time(hms)))
        };
        if at(year).is_none_or(|t| t > m + chrono::Duration::days(1)) {
            year -= 1;
        }
        if got[..4] != format!("{year:04}") {
            return Err(format!("{what}: year of {got} should be {year} (file mtime {m})"));
        }
        return Ok(());
    }
    if got != want {
        return Err(format!("{what}: got {got}, want {want}"));
    }
    Ok(())
}

fn check_file(dir: &Path, x: &Expect) -> Result<(), String> {
    let path = dir.join(x.file);
    let es = entries(&[&path]);
    let mut problems = Vec::new();
    if es.len() != x.entries {
        problems.push(format!("entries: got {}, want {}", es.len(), x.entries));
    }
    let mut levels: BTreeMap<String, usize> = BTreeMap::new();
    for e in &es {
        *levels.entry(e["level"].as_str().unwrap_or("none").to_string()).or_default() += 1;
    }
    let want: BTreeMap<String, usize> = x.levels.iter().map(|(k, v)| (k.to_string(), *v)).collect();
    if levels != want {
        problems.push(format!("levels: got {levels:?}, want {want:?}"));
    }
    let timed: Vec<&str> = es.iter().filter_map(|e| e["ts"].as_str()).collect();
    if let Err(p) = check_ts(&path, "first", timed.first().copied(), x.first) {
        problems.push(p);
    }
    if let Err(p) = check_ts(&path, "last", timed.last().copied(), x.last) {
        problems.push(p);
    }
    // The contract holds for every entry.
    for e in &es {
        for key in ["ts", "level", "msg", "source", "line", "format", "fields"] {
            if e.get(key).is_none() {
                problems.push(format!("entry without {key}: {e}"));
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("{}: {}", x.file, problems.join("; ")))
    }
}

fn check_all(dir: &Path, table: &[Expect]) {
    let failures: Vec<String> = table.iter().filter_map(|x| check_file(dir, x).err()).collect();
    assert!(failures.is_empty(), "{} of {} files differ:\n{}", failures.len(), table.len(), failures.join("\n"));
}

#[test]
fn every_lnav_sample() {
    let corpus = need_corpus!();
    let dir = corpus.join("lnav");
    // Every file of the corpus has an expectation: none can be skipped silently.
    let mut found = Vec::new();
    for ent in std::fs::read_dir(&dir).expect("lnav dir").flatten() {
        let name = ent.file_name().to_string_lossy().into_owned();
        if name == "playground" {
            for p in std::fs::read_dir(ent.path()).expect("playground").flatten() {
                found.push(format!("playground/{}", p.file_name().to_string_lossy()));
            }
        } else {
            found.push(name);
        }
    }
    found.sort();
    let mut listed: Vec<String> = LNAV.iter().map(|x| x.file.to_string()).collect();
    listed.sort();
    assert_eq!(found, listed, "the table must list every file of ../shared/corpus/lnav");
    check_all(&dir, LNAV);
}

#[test]
fn every_loghub_sample() {
    let corpus = need_corpus!();
    let dir = corpus.join("loghub");
    let mut found: Vec<String> = std::fs::read_dir(&dir)
        .expect("loghub dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".log"))
        .collect();
    found.sort();
    let mut listed: Vec<String> = LOGHUB.iter().map(|x| x.file.to_string()).collect();
    listed.sort();
    assert_eq!(found, listed, "the table must list every loghub log");
    check_all(&dir, LOGHUB);
}
