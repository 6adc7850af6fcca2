//! Timestamps as logs write them: recognising the shapes, turning naive ones into instants in
//! a zone, and printing RFC 3339.
//!
//! [`parse_at`] tries every known shape at the start of a byte slice and says which [`Shape`]
//! matched and how many bytes it used; format detection learns the shape of a file once and
//! then calls [`parse_shape`]. Parsed values are [`Parsed`] (possibly without a year, a date or
//! a zone); [`Resolver`] completes them with the display zone and the file's modification time
//! (a year-less timestamp takes the year that puts it at or before the file's mtime).

use crate::entry::{Level, Timestamp};

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp as i64 + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Civil date (year, month, day) of a day number since 1970-01-01.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ => {
            if is_leap(y) {
                29
            } else {
                28
            }
        }
    }
}

fn push2(out: &mut Vec<u8>, v: u32) {
    out.push(b'0' + (v / 10) as u8);
    out.push(b'0' + (v % 10) as u8);
}

/// Appends `YYYY-MM-DDTHH:MM:SS[.fff]` followed by `Z` (offset 0) or `+HH:MM`, for the instant
/// `nanos` shown at UTC offset `offset_secs`, with `digits` sub-second digits.
pub fn write_rfc3339(out: &mut Vec<u8>, nanos: i64, digits: u8, offset_secs: i32) {
    write_datetime(out, nanos, digits, offset_secs, b'T');
    if offset_secs == 0 {
        out.push(b'Z');
    } else {
        let (sign, off) = if offset_secs < 0 { (b'-', -offset_secs) } else { (b'+', offset_secs) };
        out.push(sign);
        push2(out, (off / 3600) as u32);
        out.push(b':');
        push2(out, ((off % 3600) / 60) as u32);
    }
}

/// Appends `YYYY-MM-DD<sep>HH:MM:SS[.fff]` of an instant at a UTC offset, no zone suffix.
pub fn write_datetime(out: &mut Vec<u8>, nanos: i64, digits: u8, offset_secs: i32, sep: u8) {
    let local = nanos + offset_secs as i64 * 1_000_000_000;
    let secs = local.div_euclid(1_000_000_000);
    let sub = local.rem_euclid(1_000_000_000) as u32;
    // Built in place and appended once (this runs for every entry written).
    let mut buf = *b"0000-00-00T00:00:00.000000000";
    let mut v = sub;
    for i in (0..9).rev() {
        buf[20 + i] = b'0' + (v % 10) as u8;
        v /= 10;
    }
    let len = if digits > 0 { 20 + usize::from(digits.min(9)) } else { 19 };
    // Consecutive entries often share their second, and more often their day: the text of
    // the last second and the last day's date are remembered per thread.
    thread_local! {
        static LAST_SECOND: std::cell::Cell<(i64, u8, [u8; 19])> = const { std::cell::Cell::new((i64::MIN, 0, [0; 19])) };
        static LAST_DAY: std::cell::Cell<(i64, i64, u32, u32)> = const { std::cell::Cell::new((i64::MIN, 0, 0, 0)) };
    }
    let (last, last_sep, text) = LAST_SECOND.with(std::cell::Cell::get);
    if last == secs && last_sep == sep {
        buf[..19].copy_from_slice(&text);
        out.extend_from_slice(&buf[..len]);
        return;
    }
    let days = secs.div_euclid(86_400);
    let sod = secs.rem_euclid(86_400) as u32;
    let (y, m, d) = LAST_DAY.with(|c| {
        let (day, y, m, d) = c.get();
        if day == days {
            (y, m, d)
        } else {
            let (y, m, d) = civil_from_days(days);
            c.set((days, y, m, d));
            (y, m, d)
        }
    });
    let put2 = |buf: &mut [u8], at: usize, v: u32| {
        buf[at] = b'0' + (v / 10) as u8;
        buf[at + 1] = b'0' + (v % 10) as u8;
    };
    put2(&mut buf, 5, m);
    put2(&mut buf, 8, d);
    buf[10] = sep;
    put2(&mut buf, 11, sod / 3600);
    put2(&mut buf, 14, (sod / 60) % 60);
    put2(&mut buf, 17, sod % 60);
    if (0..=9999).contains(&y) {
        let y = y as u32;
        put2(&mut buf, 0, y / 100);
        put2(&mut buf, 2, y % 100);
        if let Ok(second) = <[u8; 19]>::try_from(&buf[..19]) {
            LAST_SECOND.with(|c| c.set((secs, sep, second)));
        }
        out.extend_from_slice(&buf[..len]);
    } else {
        out.extend_from_slice(y.to_string().as_bytes());
        out.extend_from_slice(&buf[4..len]);
    }
}

/// A time zone for reading naive timestamps and for display.
#[derive(Clone, Debug, PartialEq)]
pub enum Zone {
    /// UTC.
    Utc,
    /// A fixed offset east of UTC, in seconds.
    Fixed(i32),
    /// The process's local zone (the `TZ` variable, else the system's).
    Local,
}

impl Zone {
    /// Reads a zone spec: `UTC`/`Z`, `+02:00`/`-0500`, `local`, or an IANA name
    /// (`Europe/Paris`, installed under `/usr/share/zoneinfo`). An IANA name becomes the
    /// process's `TZ`, so this must run before other threads start.
    ///
    /// # Errors
    /// When the spec is none of these.
    pub fn from_spec(spec: &str) -> Result<Zone, String> {
        let s = spec.trim();
        match s {
            "" => return Err("empty time zone".into()),
            "UTC" | "utc" | "Z" | "z" | "GMT" | "Etc/UTC" | "UTC0" => return Ok(Zone::Utc),
            "local" | "LOCAL" => return Ok(Zone::Local),
            _ => {}
        }
        let b = s.as_bytes();
        if b[0] == b'+' || b[0] == b'-' {
            if let Some((off, n)) = parse_offset(b) {
                if n == b.len() {
                    return Ok(if off == 0 { Zone::Utc } else { Zone::Fixed(off) });
                }
            }
            return Err(format!("{spec}: not a UTC offset (expected +HH:MM)"));
        }
        let valid_name = s.chars().all(|c| c.is_ascii_alphanumeric() || "/_-+".contains(c)) && !s.contains("..");
        let dirs = ["/usr/share/zoneinfo", "/usr/lib/zoneinfo", "/usr/share/lib/zoneinfo"];
        if valid_name && dirs.iter().any(|d| std::path::Path::new(d).join(s).is_file()) {
            // SAFETY of the call: the CLI resolves zones at start-up, before spawning threads.
            std::env::set_var("TZ", s);
            return Ok(Zone::Local);
        }
        Err(format!("{spec}: unknown time zone (use UTC, +HH:MM or a name like Europe/Paris)"))
    }

    /// The zone from the environment: `TZ` when set (UTC when it says so), else local.
    pub fn from_env() -> Zone {
        match std::env::var("TZ") {
            Ok(tz) if matches!(tz.as_str(), "UTC" | "UTC0" | "Etc/UTC" | "GMT" | ":UTC" | "") => Zone::Utc,
            _ => Zone::Local,
        }
    }

    /// Offset east of UTC (seconds) in force at the UTC instant `utc_secs`.
    pub fn offset_at_utc(&self, utc_secs: i64) -> i32 {
        match self {
            Zone::Utc => 0,
            Zone::Fixed(o) => *o,
            Zone::Local => {
                use chrono::{Offset, TimeZone};
                match chrono::Local.timestamp_opt(utc_secs, 0) {
                    chrono::LocalResult::Single(t) => t.offset().fix().local_minus_utc(),
                    chrono::LocalResult::Ambiguous(t, _) => t.offset().fix().local_minus_utc(),
                    chrono::LocalResult::None => 0,
                }
            }
        }
    }

    /// Offset east of UTC (seconds) for a naive local time given as seconds since the epoch
    /// as if it were UTC. In a gap (spring forward) the offset before the gap is used; when
    /// ambiguous (fall back), the earlier instant.
    pub fn offset_for_local(&self, local_secs: i64) -> i32 {
        match self {
            Zone::Utc => 0,
            Zone::Fixed(o) => *o,
            Zone::Local => {
                use chrono::{Offset, TimeZone};
                let Some(naive) = chrono::DateTime::from_timestamp(local_secs, 0) else {
                    return 0;
                };
                let naive = naive.naive_utc();
                match chrono::Local.from_local_datetime(&naive) {
                    chrono::LocalResult::Single(t) => t.offset().fix().local_minus_utc(),
                    chrono::LocalResult::Ambiguous(t, _) => t.offset().fix().local_minus_utc(),
                    chrono::LocalResult::None => self.offset_at_utc(local_secs - 3600),
                }
            }
        }
    }
}

/// A timestamp as read, before the zone and missing parts are filled in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Parsed {
    /// Year, month, day (year 0 when the text has none; month and day 0 when it has no date).
    pub year: i32,
    /// Month 1..=12 (0: no date).
    pub month: u8,
    /// Day 1..=31 (0: no date).
    pub day: u8,
    /// Hour, minute, second.
    pub hms: (u8, u8, u8),
    /// Nanoseconds.
    pub nanos: u32,
    /// Sub-second digits written.
    pub frac_digits: u8,
    /// UTC offset east in seconds, when written.
    pub offset: Option<i32>,
    /// When the text was an absolute instant (epoch, TAI64N): seconds since the epoch.
    pub epoch: Option<i64>,
}

impl Parsed {
    fn blank() -> Parsed {
        Parsed { year: 0, month: 0, day: 0, hms: (0, 0, 0), nanos: 0, frac_digits: 0, offset: None, epoch: None }
    }

    fn valid(&self) -> bool {
        let (h, m, s) = self.hms;
        if h > 23 || m > 59 || s > 60 {
            return false;
        }
        if self.month == 0 {
            return self.day == 0;
        }
        if !(1..=12).contains(&self.month) || self.day == 0 {
            return false;
        }
        let y = if self.year == 0 { 2000 } else { self.year as i64 };
        self.day as u32 <= days_in_month(y, self.month as u32)
    }

    /// Seconds since the epoch of the naive wall time, for a given year when the text has none.
    fn naive_secs(&self, year: i32) -> i64 {
        let (h, m, s) = self.hms;
        days_from_civil(year as i64, self.month as u32, self.day as u32) * 86_400
            + h as i64 * 3600
            + m as i64 * 60
            + s.min(59) as i64
    }
}

/// The timestamp shapes logx recognises; format detection learns one per file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Shape {
    /// `2026-11-21T10:00:00.123Z`, `2026-11-21 10:00:00,123`, `2026/11/21 10:00:00`, with or
    /// without a zone (`Z`, `+01:00`, `+0100`, ` UTC`, ` CEST`).
    Iso,
    /// `2026-325T10:00:00` (year and day of year).
    IsoOrdinal,
    /// `20261121-10:00:00:123`, `20261121T100000Z`.
    Compact,
    /// `081109 203615` (yyMMdd HHmmss).
    YyMmDd,
    /// `17/06/09 20:10:40` (yy/MM/dd).
    YySlash,
    /// `21/Nov/2026:10:00:00 +0000`.
    Apache,
    /// `Nov 21 10:00:00` (year-less), `Nov 21 2026 10:00:00`.
    Syslog,
    /// `Sat Nov 21 10:00:00 2026`, `Wed May 19 08:00:01 EST 2021`.
    Ctime,
    /// `21-Nov-2026 10:00:00.123`, `21 Nov 2026 10:00:00,123`.
    DayMonYear,
    /// `11-21 10:00:00.123`, `11.21 10:00:00` (year-less month and day).
    MonthDay,
    /// `I1121 10:00:00.123456` (glog/klog; carries the level).
    Glog,
    /// Epoch seconds, milliseconds, microseconds or nanoseconds (`1763719200`, `1763719200.5`).
    Epoch,
    /// `10:00:00.123456` (time of day only; the date comes from the file).
    TimeOnly,
    /// `@4000000043322583...` (TAI64N).
    Tai64n,
}

/// Shapes tried when nothing is known about a line, most specific first. `TimeOnly` is left
/// out: a bare time is only trusted once detection has seen it on most lines of a file.
const ALL_SHAPES: [Shape; 13] = [
    Shape::Iso,
    Shape::IsoOrdinal,
    Shape::Compact,
    Shape::YyMmDd,
    Shape::YySlash,
    Shape::Apache,
    Shape::Ctime,
    Shape::Syslog,
    Shape::DayMonYear,
    Shape::MonthDay,
    Shape::Glog,
    Shape::Epoch,
    Shape::Tai64n,
];

const MONTHS: [&[u8; 3]; 12] =
    [b"jan", b"feb", b"mar", b"apr", b"may", b"jun", b"jul", b"aug", b"sep", b"oct", b"nov", b"dec"];
const WEEKDAYS: [&[u8; 3]; 7] = [b"mon", b"tue", b"wed", b"thu", b"fri", b"sat", b"sun"];

fn month_abbr(b: &[u8]) -> Option<u8> {
    if b.len() < 3 {
        return None;
    }
    let lower = [b[0].to_ascii_lowercase(), b[1].to_ascii_lowercase(), b[2].to_ascii_lowercase()];
    MONTHS.iter().position(|m| **m == lower).map(|i| i as u8 + 1)
}

fn weekday_abbr(b: &[u8]) -> bool {
    if b.len() < 3 {
        return false;
    }
    let lower = [b[0].to_ascii_lowercase(), b[1].to_ascii_lowercase(), b[2].to_ascii_lowercase()];
    WEEKDAYS.iter().any(|w| **w == lower)
}

/// `n` ASCII digits at `b[i..]` as a number.
#[inline]
fn digits(b: &[u8], i: usize, n: usize) -> Option<u32> {
    let s = b.get(i..i + n)?;
    let mut v = 0u32;
    for &c in s {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + (c - b'0') as u32;
    }
    Some(v)
}

/// One or two digits (a day or hour written without padding); returns (value, len).
fn digits_1_2(b: &[u8], i: usize) -> Option<(u32, usize)> {
    let a = *b.get(i)?;
    if !a.is_ascii_digit() {
        return None;
    }
    match b.get(i + 1) {
        Some(c) if c.is_ascii_digit() => Some(((a - b'0') as u32 * 10 + (c - b'0') as u32, 2)),
        _ => Some(((a - b'0') as u32, 1)),
    }
}

/// `HH:MM[:SS[(.|,|:)fff]]` at `i`; returns the index after it. `need_secs` demands seconds.
fn parse_hms(b: &[u8], i: usize, p: &mut Parsed, need_secs: bool, colon_frac: bool) -> Option<usize> {
    let (h, hl) = digits_1_2(b, i)?;
    let mut j = i + hl;
    if b.get(j) != Some(&b':') {
        return None;
    }
    // Minutes and seconds are normally two digits; some writers (HealthApp) drop the padding.
    let (mi, ml) = digits_1_2(b, j + 1)?;
    j += 1 + ml;
    let mut s = 0;
    if b.get(j) == Some(&b':') && b.get(j + 1).is_some_and(|c| c.is_ascii_digit()) {
        let (sv, sl) = digits_1_2(b, j + 1)?;
        s = sv;
        j += 1 + sl;
        j = parse_frac(b, j, p, colon_frac);
    } else if need_secs {
        return None;
    }
    p.hms = (h as u8, mi as u8, s as u8);
    Some(j)
}

/// An optional fraction `.123`/`,123` (and `:123` when allowed) at `j`.
fn parse_frac(b: &[u8], j: usize, p: &mut Parsed, colon_frac: bool) -> usize {
    match b.get(j) {
        Some(b'.') | Some(b',') => {}
        Some(b':') if colon_frac => {}
        _ => return j,
    }
    let mut k = j + 1;
    let mut n = 0u32;
    let mut nd = 0u8;
    while let Some(&c) = b.get(k) {
        if !c.is_ascii_digit() {
            break;
        }
        if nd < 9 {
            n = n * 10 + (c - b'0') as u32;
            nd += 1;
        }
        k += 1;
    }
    if k == j + 1 {
        return j;
    }
    p.frac_digits = nd;
    p.nanos = n * 10u32.pow(9 - nd as u32);
    k
}

/// `Z`, `+HH:MM`, `+HHMM` or `+HH`; returns (offset seconds, bytes used).
fn parse_offset(b: &[u8]) -> Option<(i32, usize)> {
    let sign = match b.first()? {
        b'Z' | b'z' => return Some((0, 1)),
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let h = digits(b, 1, 2)? as i32;
    let (m, n) = if b.get(3) == Some(&b':') {
        (digits(b, 4, 2)? as i32, 6)
    } else if let Some(m) = digits(b, 3, 2) {
        (m as i32, 5)
    } else {
        (0, 3)
    };
    if h > 14 || m > 59 {
        return None;
    }
    Some((sign * (h * 3600 + m * 60), n))
}

/// Zone abbreviations that mean one offset (ambiguous ones such as IST or CST-in-China are
/// read as their most common meaning in server logs).
fn zone_abbr(b: &[u8]) -> Option<(i32, usize)> {
    // Every abbreviation below is upper case: a host name after the time ("web-02") is not.
    if !b.first()?.is_ascii_uppercase() {
        return None;
    }
    let n = b.iter().take(5).take_while(|c| c.is_ascii_alphabetic()).count();
    if !(1..=4).contains(&n) || b.get(n).is_some_and(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    let h = |x: i32| x * 3600;
    let off = match &b[..n] {
        b"UTC" | b"GMT" | b"Z" | b"UT" | b"WET" => 0,
        b"BST" | b"CET" | b"WEST" => h(1),
        b"CEST" | b"EET" | b"SAST" => h(2),
        b"EEST" | b"MSK" => h(3),
        b"IST" => h(5) + 1800,
        b"JST" | b"KST" => h(9),
        b"AEST" => h(10),
        b"AEDT" => h(11),
        b"NZST" => h(12),
        b"EST" | b"CDT" => -h(5),
        b"EDT" => -h(4),
        b"CST" | b"MDT" => -h(6),
        b"MST" | b"PDT" => -h(7),
        b"PST" | b"AKDT" => -h(8),
        b"HST" => -h(10),
        _ => return None,
    };
    Some((off, n))
}

/// After a time: an optional zone, directly (`Z`, `+01:00`) or after one space (` UTC`,
/// ` +0000`, ` CEST`). Returns the index after it.
fn parse_zone(b: &[u8], j: usize, p: &mut Parsed) -> usize {
    if let Some((off, n)) = b.get(j..).and_then(parse_offset) {
        p.offset = Some(off);
        return j + n;
    }
    if b.get(j) == Some(&b' ') {
        if let Some(rest) = b.get(j + 1..) {
            if matches!(rest.first(), Some(b'+') | Some(b'-')) {
                if let Some((off, n)) = parse_offset(rest) {
                    if n >= 5 {
                        p.offset = Some(off);
                        return j + 1 + n;
                    }
                }
            } else if let Some((off, n)) = zone_abbr(rest) {
                p.offset = Some(off);
                return j + 1 + n;
            }
        }
    }
    j
}

/// True when the timestamp ends at `j`: end of input or a delimiter, not a letter or digit.
#[inline]
fn ends_at(b: &[u8], j: usize) -> bool {
    match b.get(j) {
        None => true,
        Some(&b'.') => !b.get(j + 1).is_some_and(|d| d.is_ascii_digit()),
        Some(c) => !c.is_ascii_alphanumeric(),
    }
}

fn shape_iso(b: &[u8], p: &mut Parsed) -> Option<usize> {
    let y = digits(b, 0, 4)?;
    let sep = *b.get(4)?;
    if !matches!(sep, b'-' | b'/' | b'.') {
        return None;
    }
    let mo = digits(b, 5, 2)?;
    if *b.get(7)? != sep {
        return None;
    }
    let d = digits(b, 8, 2)?;
    let t = *b.get(10)?;
    if !matches!(t, b'T' | b' ' | b't') {
        return None;
    }
    p.year = y as i32;
    p.month = mo as u8;
    p.day = d as u8;
    let mut j = parse_hms(b, 11, p, false, false)?;
    // `2015-04-24T21:08:10.313913FOO`: letters glued to the time are a broken zone; keep the
    // naive time rather than losing the timestamp.
    j = parse_zone(b, j, p);
    if p.offset.is_none() && b.get(j).is_some_and(|c| c.is_ascii_uppercase()) {
        while b.get(j).is_some_and(|c| c.is_ascii_uppercase()) {
            j += 1;
        }
    }
    Some(j)
}

fn shape_iso_ordinal(b: &[u8], p: &mut Parsed) -> Option<usize> {
    let y = digits(b, 0, 4)?;
    if *b.get(4)? != b'-' {
        return None;
    }
    let doy = digits(b, 5, 3)?;
    if !matches!(*b.get(8)?, b'T' | b' ') || doy == 0 || doy > 366 {
        return None;
    }
    let days = days_from_civil(y as i64, 1, 1) + doy as i64 - 1;
    let (yy, m, d) = civil_from_days(days);
    if yy != y as i64 {
        return None;
    }
    p.year = y as i32;
    p.month = m as u8;
    p.day = d as u8;
    let j = parse_hms(b, 9, p, true, false)?;
    Some(parse_zone(b, j, p))
}

fn shape_compact(b: &[u8], p: &mut Parsed) -> Option<usize> {
    let y = digits(b, 0, 4)?;
    let mo = digits(b, 4, 2)?;
    let d = digits(b, 6, 2)?;
    let t = *b.get(8)?;
    p.year = y as i32;
    p.month = mo as u8;
    p.day = d as u8;
    if !matches!(t, b'-' | b'T' | b' ' | b'_') {
        return None;
    }
    if b.get(11) == Some(&b':') || b.get(10) == Some(&b':') {
        let j = parse_hms(b, 9, p, true, true)?;
        return Some(parse_zone(b, j, p));
    }
    // 20261121T100000[.fff][Z]
    let h = digits(b, 9, 2)?;
    let mi = digits(b, 11, 2)?;
    let s = digits(b, 13, 2)?;
    p.hms = (h as u8, mi as u8, s as u8);
    let j = parse_frac(b, 15, p, false);
    Some(parse_zone(b, j, p))
}

fn shape_yymmdd(b: &[u8], p: &mut Parsed) -> Option<usize> {
    let y = digits(b, 0, 2)?;
    let mo = digits(b, 2, 2)?;
    let d = digits(b, 4, 2)?;
    if *b.get(6)? != b' ' {
        return None;
    }
    let h = digits(b, 7, 2)?;
    let mi = digits(b, 9, 2)?;
    let s = digits(b, 11, 2)?;
    p.year = 2000 + y as i32;
    p.month = mo as u8;
    p.day = d as u8;
    p.hms = (h as u8, mi as u8, s as u8);
    Some(13)
}

fn shape_yyslash(b: &[u8], p: &mut Parsed) -> Option<usize> {
    let y = digits(b, 0, 2)?;
    if *b.get(2)? != b'/' {
        return None;
    }
    let mo = digits(b, 3, 2)?;
    if *b.get(5)? != b'/' {
        return None;
    }
    let d = digits(b, 6, 2)?;
    if *b.get(8)? != b' ' {
        return None;
    }
    p.year = 2000 + y as i32;
    p.month = mo as u8;
    p.day = d as u8;
    let j = parse_hms(b, 9, p, true, false)?;
    Some(parse_zone(b, j, p))
}

fn shape_apache(b: &[u8], p: &mut Parsed) -> Option<usize> {
    let (d, dl) = digits_1_2(b, 0)?;
    if *b.get(dl)? != b'/' {
        return None;
    }
    let mo = month_abbr(b.get(dl + 1..dl + 4)?)?;
    if *b.get(dl + 4)? != b'/' {
        return None;
    }
    let y = digits(b, dl + 5, 4)?;
    if *b.get(dl + 9)? != b':' {
        return None;
    }
    p.year = y as i32;
    p.month = mo;
    p.day = d as u8;
    let j = parse_hms(b, dl + 10, p, true, false)?;
    Some(parse_zone(b, j, p))
}

/// `Mon dd HH:MM:SS[.f] [YYYY]` or `Mon dd YYYY HH:MM:SS`.
fn shape_syslog(b: &[u8], p: &mut Parsed) -> Option<usize> {
    let mo = month_abbr(b)?;
    if b.get(3)?.is_ascii_alphabetic() {
        // Full month names ("November 21 ...") are not syslog.
        return None;
    }
    let mut i = 3;
    if *b.get(i)? != b' ' {
        return None;
    }
    while b.get(i) == Some(&b' ') && i < 5 {
        i += 1;
    }
    let (d, dl) = digits_1_2(b, i)?;
    i += dl;
    if *b.get(i)? != b' ' {
        return None;
    }
    i += 1;
    p.month = mo;
    p.day = d as u8;
    if let (Some(y), Some(b' ')) = (digits(b, i, 4), b.get(i + 4)) {
        p.year = y as i32;
        i += 5;
    }
    let j = parse_hms(b, i, p, true, false)?;
    if p.year == 0 {
        if let (Some(b' '), Some(y)) = (b.get(j), digits(b, j + 1, 4)) {
            if ends_at(b, j + 5) {
                p.year = y as i32;
                return Some(j + 5);
            }
        }
    }
    Some(parse_zone(b, j, p))
}

/// The common RFC 3164 head, `Mmm dd hh:mm:ss host` with a host name starting with a lower
/// case letter, decided without a full parse. True only where [`parse_shape`] with
/// [`Shape::Syslog`] accepts the line ending at byte 15 before a space; false means "ask the
/// full parse" (a year, a zone, a fraction, an upper case host, another spacing).
pub fn plain_syslog_head(b: &[u8]) -> bool {
    if b.len() < 17
        || b[3] != b' '
        || b[6] != b' '
        || b[9] != b':'
        || b[12] != b':'
        || b[15] != b' '
        || !b[16].is_ascii_lowercase()
    {
        return false;
    }
    let Some(month) = month_abbr(b) else { return false };
    let d = |i: usize| b[i].wrapping_sub(b'0');
    let tens = if b[4] == b' ' { 0 } else { d(4) };
    let num = |t: u8, u: u8| if t > 9 || u > 9 { 99 } else { t * 10 + u };
    let day = num(tens, d(5));
    let (h, m, sec) = (num(d(7), d(8)), num(d(10), d(11)), num(d(13), d(14)));
    (1..=31).contains(&day)
        && u32::from(day) <= days_in_month(2000, u32::from(month))
        && h <= 23
        && m <= 59
        && sec <= 60
}

/// The common ISO head, `YYYY-MM-DD[ T]hh:mm:ss[.fff] ` followed by something that is not a
/// zone (not `+`, `-` or an upper case letter), decided without a full parse. True only where
/// [`parse_shape`] with [`Shape::Iso`] accepts the line; false means "ask the full parse".
pub fn plain_iso_head(b: &[u8]) -> bool {
    if !matches!(b.get(10), Some(b' ' | b'T')) || iso_date_time(b).is_none() {
        return false;
    }
    let mut j = 19;
    if matches!(b[j], b'.' | b',') {
        let f0 = j + 1;
        j = f0;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        if j == f0 {
            return false;
        }
    }
    b.get(j) == Some(&b' ') && !b.get(j + 1).is_some_and(|c| matches!(c, b'+' | b'-') || c.is_ascii_uppercase())
}

/// `YYYY-MM-DD?hh:mm:ss` at the start of `b` (any byte at 10), as numbers, when it is a valid
/// date and time (a leap second allowed): year, month, day, hour, minute, second.
#[inline]
fn iso_date_time(b: &[u8]) -> Option<[u32; 6]> {
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let d = |i: usize| -> Option<u32> {
        let (x, y) = (b[i].wrapping_sub(b'0'), b[i + 1].wrapping_sub(b'0'));
        (x <= 9 && y <= 9).then(|| u32::from(x) * 10 + u32::from(y))
    };
    let year = d(0)? * 100 + d(2)?;
    let (month, day, h, m, sec) = (d(5)?, d(8)?, d(11)?, d(14)?, d(17)?);
    if !(1..=12).contains(&month) || day == 0 || h > 23 || m > 59 || sec > 60 {
        return None;
    }
    (day <= days_in_month(i64::from(year), month)).then_some([year, month, day, h, m, sec])
}

/// `Www Mon dd HH:MM:SS[.f] [ZONE ]YYYY`.
fn shape_ctime(b: &[u8], p: &mut Parsed) -> Option<usize> {
    if !weekday_abbr(b) || *b.get(3)? != b' ' {
        return None;
    }
    let rest = &b[4..];
    let mut q = Parsed::blank();
    let j = shape_syslog(rest, &mut q)?;
    let mut j = 4 + j;
    if q.year == 0 {
        // `... 08:00:01 EST 2021`: the zone came before the year.
        if b.get(j) == Some(&b' ') {
            if let Some(y) = digits(b, j + 1, 4) {
                q.year = y as i32;
                j += 5;
            }
        }
    }
    if q.year == 0 {
        return None;
    }
    *p = q;
    Some(j)
}

/// `21-Nov-2026 10:00:00.123` or `21 Nov 2026 10:00:00,123`.
fn shape_day_mon_year(b: &[u8], p: &mut Parsed) -> Option<usize> {
    let (d, dl) = digits_1_2(b, 0)?;
    let sep = *b.get(dl)?;
    if !matches!(sep, b'-' | b' ') {
        return None;
    }
    let mo = month_abbr(b.get(dl + 1..dl + 4)?)?;
    if *b.get(dl + 4)? != sep {
        return None;
    }
    let y = digits(b, dl + 5, 4)?;
    if !matches!(*b.get(dl + 9)?, b' ' | b':') {
        return None;
    }
    p.year = y as i32;
    p.month = mo;
    p.day = d as u8;
    let j = parse_hms(b, dl + 10, p, true, false)?;
    Some(parse_zone(b, j, p))
}

/// `MM-dd HH:MM:SS[.fff]`, `MM.dd HH:MM:SS`, `MM/dd HH:MM:SS` (no year).
fn shape_month_day(b: &[u8], p: &mut Parsed) -> Option<usize> {
    let mo = digits(b, 0, 2)?;
    if !matches!(*b.get(2)?, b'-' | b'.' | b'/') {
        return None;
    }
    let d = digits(b, 3, 2)?;
    if *b.get(5)? != b' ' {
        return None;
    }
    p.month = mo as u8;
    p.day = d as u8;
    parse_hms(b, 6, p, true, false)
}

fn shape_glog(b: &[u8], p: &mut Parsed) -> Option<usize> {
    Level::from_letter(*b.first()?)?;
    let mo = digits(b, 1, 2)?;
    let d = digits(b, 3, 2)?;
    if *b.get(5)? != b' ' {
        return None;
    }
    p.month = mo as u8;
    p.day = d as u8;
    parse_hms(b, 6, p, true, false)
}

/// Epoch seconds must fall in 1995..2100 to count; longer numbers scale down to seconds.
const EPOCH_MIN: i64 = 788_918_400;
const EPOCH_MAX: i64 = 4_102_444_800;

fn shape_epoch(b: &[u8], p: &mut Parsed) -> Option<usize> {
    let n = b.iter().take(20).take_while(|c| c.is_ascii_digit()).count();
    let (scale_digits, frac_implied) = match n {
        10 => (10, 0u8),
        13 => (10, 3),
        16 => (10, 6),
        19 => (10, 9),
        _ => return None,
    };
    let secs: i64 = std::str::from_utf8(&b[..scale_digits]).ok()?.parse().ok()?;
    if !(EPOCH_MIN..EPOCH_MAX).contains(&secs) {
        return None;
    }
    let mut j = n;
    p.epoch = Some(secs);
    if frac_implied > 0 {
        let sub: u32 = std::str::from_utf8(&b[10..n]).ok()?.parse().ok()?;
        p.nanos = sub * 10u32.pow(9 - frac_implied as u32);
        p.frac_digits = frac_implied;
        // `1490386367764.0`: a fraction of a millisecond that adds nothing.
        if b.get(j) == Some(&b'.') {
            let k = j + 1 + b[j + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
            if k > j + 1 {
                j = k;
            }
        }
    } else {
        j = parse_frac(b, n, p, false);
    }
    Some(j)
}

fn shape_time_only(b: &[u8], p: &mut Parsed) -> Option<usize> {
    if b.get(2) != Some(&b':') {
        return None;
    }
    parse_hms(b, 0, p, true, false)
}

fn shape_tai64n(b: &[u8], p: &mut Parsed) -> Option<usize> {
    if b.first() != Some(&b'@') || b.len() < 25 {
        return None;
    }
    // Hex digits only (a multi-byte character would split the slices below).
    if !b[1..25].iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    let hex = std::str::from_utf8(&b[1..25]).ok()?;
    let secs = u64::from_str_radix(&hex[..16], 16).ok()?;
    let nanos = u32::from_str_radix(&hex[16..], 16).ok()?;
    // TAI64 labels are 2^62 + seconds; TAI is 10 s ahead of UTC (leap seconds ignored).
    let secs = secs.checked_sub(1 << 62)? as i64 - 10;
    if !(EPOCH_MIN..EPOCH_MAX).contains(&secs) || nanos >= 1_000_000_000 {
        return None;
    }
    p.epoch = Some(secs);
    p.nanos = nanos;
    p.frac_digits = 9;
    Some(25)
}

/// Parses a timestamp of the given shape at the start of `b`; returns it with its length.
pub fn parse_shape(b: &[u8], shape: Shape) -> Option<(Parsed, usize)> {
    let mut p = Parsed::blank();
    let n = match shape {
        Shape::Iso => shape_iso(b, &mut p),
        Shape::IsoOrdinal => shape_iso_ordinal(b, &mut p),
        Shape::Compact => shape_compact(b, &mut p),
        Shape::YyMmDd => shape_yymmdd(b, &mut p),
        Shape::YySlash => shape_yyslash(b, &mut p),
        Shape::Apache => shape_apache(b, &mut p),
        Shape::Syslog => shape_syslog(b, &mut p),
        Shape::Ctime => shape_ctime(b, &mut p),
        Shape::DayMonYear => shape_day_mon_year(b, &mut p),
        Shape::MonthDay => shape_month_day(b, &mut p),
        Shape::Glog => shape_glog(b, &mut p),
        Shape::Epoch => shape_epoch(b, &mut p),
        Shape::TimeOnly => shape_time_only(b, &mut p),
        Shape::Tai64n => shape_tai64n(b, &mut p),
    }?;
    if !ends_at(b, n) || !p.valid() {
        return None;
    }
    Some((p, n))
}

/// Tries every shape (but the bare time of day) at the start of `b`.
pub fn parse_at(b: &[u8]) -> Option<(Parsed, usize, Shape)> {
    let first = *b.first()?;
    for &shape in ALL_SHAPES.iter() {
        // Cheap dispatch on the first byte.
        let plausible = match shape {
            Shape::Syslog | Shape::Ctime => first.is_ascii_alphabetic(),
            Shape::Glog => first.is_ascii_uppercase(),
            Shape::Tai64n => first == b'@',
            _ => first.is_ascii_digit(),
        };
        if !plausible {
            continue;
        }
        if let Some((p, n)) = parse_shape(b, shape) {
            return Some((p, n, shape));
        }
    }
    None
}

/// The level a glog/klog timestamp carries in its first letter.
pub fn glog_level(b: &[u8]) -> Option<Level> {
    Level::from_letter(*b.first()?)
}

/// Completes [`Parsed`] values into instants: the zone for naive times, and the file's
/// modification time for a missing year or date. Caches the zone offset per quarter hour.
#[derive(Clone, Debug)]
pub struct Resolver {
    /// Zone for naive timestamps.
    pub zone: Zone,
    /// The file's modification time (seconds since the epoch), the reference for year-less
    /// and date-less timestamps.
    pub reference_secs: i64,
    cache_key: i64,
    cache_off: i32,
}

impl Resolver {
    /// A resolver for a zone and a reference time.
    pub fn new(zone: Zone, reference_secs: i64) -> Resolver {
        Resolver { zone, reference_secs, cache_key: i64::MIN, cache_off: 0 }
    }

    fn local_offset(&mut self, local_secs: i64) -> i32 {
        let key = local_secs.div_euclid(900);
        if key != self.cache_key {
            self.cache_key = key;
            self.cache_off = self.zone.offset_for_local(local_secs);
        }
        self.cache_off
    }

    /// The instant of a parsed timestamp (None outside the years 1678 to 2261, see
    /// [`Timestamp::try_from_parts`]).
    pub fn resolve(&mut self, p: &Parsed) -> Option<Timestamp> {
        if let Some(secs) = p.epoch {
            return Timestamp::try_from_parts(secs, p.nanos, p.frac_digits);
        }
        let local = if p.month == 0 {
            // Time of day only: the reference day, or the day before when that would be later
            // than the reference.
            let off = self.zone.offset_at_utc(self.reference_secs) as i64;
            let day = (self.reference_secs + off).div_euclid(86_400);
            let (h, m, s) = p.hms;
            let t = day * 86_400 + h as i64 * 3600 + m as i64 * 60 + s as i64;
            if t - off > self.reference_secs + 3600 {
                t - 86_400
            } else {
                t
            }
        } else if p.year == 0 {
            let off = self.zone.offset_at_utc(self.reference_secs) as i64;
            let (ry, _, _) = civil_from_days((self.reference_secs + off).div_euclid(86_400));
            let mut y = ry as i32;
            if p.month == 2 && p.day == 29 && !is_leap(y as i64) {
                y -= 1;
            }
            let mut t = p.naive_secs(y);
            // A day of slack for clocks that run ahead of the file's mtime.
            if t - off > self.reference_secs + 86_400 {
                y -= 1;
                if p.month == 2 && p.day == 29 {
                    while !is_leap(y as i64) {
                        y -= 1;
                    }
                }
                t = p.naive_secs(y);
            }
            t
        } else {
            p.naive_secs(p.year)
        };
        let off = match p.offset {
            Some(o) => o,
            None => self.local_offset(local),
        };
        let leap_extra = if p.hms.2 == 60 { 1 } else { 0 };
        Timestamp::try_from_parts(local - off as i64 + leap_extra, p.nanos, p.frac_digits)
    }
}

/// Parses a whole string as a timestamp (a JSON value, a logfmt value): any shape, or epoch
/// numbers of any magnitude written as text.
pub fn parse_full(s: &str, r: &mut Resolver) -> Option<Timestamp> {
    if let Some(t) = rfc3339_exact(s.as_bytes()) {
        return Some(t);
    }
    let b = s.trim().as_bytes();
    let (p, n, _) = parse_at(b).or_else(|| parse_shape(b, Shape::TimeOnly).map(|(p, n)| (p, n, Shape::TimeOnly)))?;
    if n != b.len() && !b[n..].iter().all(|c| c.is_ascii_whitespace()) {
        return None;
    }
    r.resolve(&p)
}

/// The one shape JSON loggers write most, `YYYY-MM-DDThh:mm:ss[.f{1,9}](Z|+hh:mm|-hh:mm)` and
/// nothing around it, read without trying shapes; None for anything else (the full parse
/// decides then), so it gives the same instant as the full parse wherever it answers.
#[inline]
fn rfc3339_exact(b: &[u8]) -> Option<Timestamp> {
    if b.get(10) != Some(&b'T') {
        return None;
    }
    let [year, month, day, h, m, sec] = iso_date_time(b)?;
    // (year 0 is "no year" to the full parse, a leap second is its to place)
    if year == 0 || sec > 59 {
        return None;
    }
    let d = |i: usize| -> Option<u32> {
        let (x, y) = (b.get(i)?.wrapping_sub(b'0'), b.get(i + 1)?.wrapping_sub(b'0'));
        (x <= 9 && y <= 9).then(|| u32::from(x) * 10 + u32::from(y))
    };
    let mut j = 19;
    let (mut nanos, mut digits) = (0u32, 0u8);
    if b[j] == b'.' {
        j += 1;
        while let Some(&c) = b.get(j) {
            let x = c.wrapping_sub(b'0');
            if x > 9 {
                break;
            }
            if digits == 9 {
                return None;
            }
            nanos = nanos * 10 + u32::from(x);
            digits += 1;
            j += 1;
        }
        if digits == 0 {
            return None;
        }
        nanos *= 10u32.pow(9 - u32::from(digits));
    }
    let off: i64 = match &b[j..] {
        [b'Z'] => 0,
        [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
            let (oh, om) = (d(j + 1)?, d(j + 4)?);
            if oh > 14 || om > 59 {
                return None;
            }
            let o = i64::from(oh * 3600 + om * 60);
            if *sign == b'-' {
                -o
            } else {
                o
            }
        }
        _ => return None,
    };
    let local = days_from_civil(i64::from(year), month, day) * 86_400
        + i64::from(h) * 3600
        + i64::from(m) * 60
        + i64::from(sec);
    Timestamp::try_from_parts(local - off, nanos, digits)
}

/// An epoch number of unknown unit (seconds, ms, µs or ns, chosen by magnitude), with the
/// digits written after the decimal point. Returns None outside 1995..2100.
pub fn epoch_number(text: &str) -> Option<Timestamp> {
    // (short text: a plain loop beats a call to memchr)
    let (int, frac) = match text.bytes().position(|c| c == b'.') {
        Some(i) => (&text[..i], &text[i + 1..]),
        None => (text, ""),
    };
    if int.is_empty() || !frac.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    // Digits into a u64 (no i128 division on the hot path); leading zeros do not count, and
    // more than 19 significant digits is past any epoch in range.
    if int.len() > 19 && int.len() - int.bytes().take_while(|&c| c == b'0').count() > 19 {
        return None;
    }
    let mut v = 0u64;
    for c in int.bytes() {
        let d = c.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        v = v * 10 + u64::from(d);
    }
    let (secs, sub_nanos, implied) = if v < 100_000_000_000 {
        (v as i64, 0i64, 0u8)
    } else if v < 100_000_000_000_000 {
        ((v / 1000) as i64, (v % 1000) as i64 * 1_000_000, 3)
    } else if v < 100_000_000_000_000_000 {
        ((v / 1_000_000) as i64, (v % 1_000_000) as i64 * 1000, 6)
    } else {
        ((v / 1_000_000_000) as i64, (v % 1_000_000_000) as i64, 9)
    };
    if !(EPOCH_MIN..EPOCH_MAX).contains(&secs) {
        return None;
    }
    let mut nanos = sub_nanos;
    let mut digits = implied;
    if implied == 0 && !frac.is_empty() {
        let f = &frac[..frac.len().min(9)];
        nanos = f.parse::<i64>().ok()? * 10i64.pow(9 - f.len() as u32);
        digits = f.len() as u8;
    } else if implied > 0 && frac.bytes().any(|c| c != b'0') {
        let room = 9 - implied as usize;
        let f = &frac[..frac.len().min(room)];
        if !f.is_empty() {
            let scale = 10i64.pow((room - f.len()) as u32);
            nanos += f.parse::<i64>().ok()? * scale;
            digits = implied + f.len() as u8;
        }
    }
    Timestamp::try_from_parts(secs, nanos as u32, digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> Option<String> {
        let mut r = Resolver::new(Zone::Utc, 1_795_000_000); // 2026-11-18T...
        let (p, n, _) = parse_at(s.as_bytes())?;
        let _ = n;
        r.resolve(&p).map(|t| t.to_rfc3339())
    }

    fn shape_of(s: &str) -> Option<(Shape, usize)> {
        parse_at(s.as_bytes()).map(|(_, n, sh)| (sh, n))
    }

    #[test]
    fn civil_roundtrip() {
        for days in [-800_000i64, -1, 0, 1, 59, 365, 10_957, 20_000, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(days_from_civil(2026, 11, 14), 20_771);
    }

    #[test]
    fn iso_shapes() {
        assert_eq!(utc("2026-11-21T10:00:00.123Z").unwrap(), "2026-11-21T10:00:00.123Z");
        assert_eq!(utc("2026-11-21 10:00:00,123 INFO").unwrap(), "2026-11-21T10:00:00.123Z");
        assert_eq!(utc("2026-11-21T10:00:00+02:00").unwrap(), "2026-11-21T08:00:00Z");
        assert_eq!(utc("2026-11-21T10:00:00.5-0130 x").unwrap(), "2026-11-21T11:30:00.5Z");
        assert_eq!(utc("2026/11/21 10:00:00 [error]").unwrap(), "2026-11-21T10:00:00Z");
        assert_eq!(utc("2025-08-16 13:02:58.095 CEST [1]").unwrap(), "2025-08-16T11:02:58.095Z");
        assert_eq!(utc("2016-09-28 04:30:30, Info").unwrap(), "2016-09-28T04:30:30Z");
        assert_eq!(utc("2026-11-21 10:00 x").unwrap(), "2026-11-21T10:00:00Z");
        assert_eq!(utc("2024-04-25T05:32:35.584725130Z x").unwrap(), "2024-04-25T05:32:35.584725130Z");
        assert_eq!(utc("2015-04-24T21:08:10.313913FOO err").unwrap(), "2015-04-24T21:08:10.313913Z");
        assert_eq!(utc("2012-025T10:22:40,672:DEBUG").unwrap(), "2012-01-25T10:22:40.672Z");
    }

    #[test]
    fn other_shapes() {
        assert_eq!(utc("21/Nov/2026:10:00:00 +0100] \"GET").unwrap(), "2026-11-21T09:00:00Z");
        assert_eq!(utc("Sat Nov 21 10:00:00 2026] [notice]").unwrap(), "2026-11-21T10:00:00Z");
        assert_eq!(utc("Wed May 19 08:00:01 EST 2021 line").unwrap(), "2021-05-19T13:00:01Z");
        assert_eq!(utc("081109 203615 148 INFO").unwrap(), "2008-11-09T20:36:15Z");
        assert_eq!(utc("17/06/09 20:10:40 INFO").unwrap(), "2017-06-09T20:10:40Z");
        assert_eq!(utc("20171223-22:15:29:606|Step").unwrap(), "2017-12-23T22:15:29.606Z");
        assert_eq!(utc("21-Nov-2026 10:00:00.123 INFO").unwrap(), "2026-11-21T10:00:00.123Z");
        assert_eq!(utc("21 Nov 2026 10:00:00,5 x").unwrap(), "2026-11-21T10:00:00.5Z");
        assert_eq!(utc("1763719200 x").unwrap(), "2025-11-21T10:00:00Z");
        assert_eq!(utc("1428634687123 Hello").unwrap(), "2015-04-10T02:58:07.123Z");
        assert_eq!(utc("1697048351.000541 brk").unwrap(), "2023-10-11T18:19:11.000541Z");
        assert_eq!(utc("@40000000433225833b6e1a8c tcpserver").unwrap(), "2005-09-22T03:31:05.997071500Z");
    }

    #[test]
    fn yearless_takes_year_at_or_before_reference() {
        // reference 2026-11-18: Nov 3 is this year, Dec 10 last year.
        assert_eq!(utc("Nov  3 09:23:38 host x").unwrap(), "2026-11-03T09:23:38Z");
        assert_eq!(utc("Dec 10 06:55:46 LabSZ").unwrap(), "2025-12-10T06:55:46Z");
        assert_eq!(utc("Nov 19 00:00:00 h").unwrap(), "2026-11-19T00:00:00Z", "a day of slack");
        assert_eq!(utc("03-17 16:13:38.811  1702").unwrap(), "2026-03-17T16:13:38.811Z");
        assert_eq!(utc("I0517 15:04:22.619632 1952").unwrap(), "2026-05-17T15:04:22.619632Z");
        assert_eq!(utc("10.30 16:49:06] chrome").unwrap(), "2026-10-30T16:49:06Z");
    }

    #[test]
    fn not_timestamps() {
        for s in [
            "134681 node-246",
            "1702  2395 D",
            "12345678901 x",
            "2026-13-01T00:00:00",
            "2026-02-30 10:00:00",
            "2026-11-21",
            "10.0.0.1 - -",
            "99999999999999 x",
            "Nov 32 10:00:00",
            "November 21 10:00:00",
            "2026-11-21T25:00:00",
            "1234567890123456789012",
            "20261121x",
            "123456 654321x",
        ] {
            assert!(shape_of(s).is_none(), "{s} -> {:?}", shape_of(s));
        }
    }

    /// The quick heads never accept what the full parse refuses: every byte of the head of a
    /// few lines replaced by characters that matter to the parse.
    #[test]
    fn quick_heads_agree_with_the_full_parse() {
        type Quick = fn(&[u8]) -> bool;
        let cases: &[(&[u8], Shape, Quick)] = &[
            (b"2026-11-14 00:00:00.010 [DEBUG] billing: x", Shape::Iso, plain_iso_head),
            (b"2024-02-29T23:59:60,5 info x", Shape::Iso, plain_iso_head),
            (b"2026-12-31 23:59:59 web x", Shape::Iso, plain_iso_head),
            (b"Nov 14 00:00:00 web-02 CRON[1566]: x", Shape::Syslog, plain_syslog_head),
            (b"Feb 29 23:59:60 db sshd[1]: x", Shape::Syslog, plain_syslog_head),
        ];
        let alphabet = b" 0123456789:+-.,ZzAaTtUuCcnNoOvVbB[<\t/";
        let mut accepted = 0;
        for (line, shape, quick) in cases {
            assert!(quick(line), "{:?}", String::from_utf8_lossy(line));
            for i in 0..26.min(line.len()) {
                for &c in alphabet {
                    let mut l = line.to_vec();
                    l[i] = c;
                    if quick(&l) {
                        assert!(parse_shape(&l, *shape).is_some(), "{:?}", String::from_utf8_lossy(&l));
                        accepted += 1;
                    }
                }
            }
        }
        assert!(accepted > 200, "{accepted}");
        for bad in [&b"2026-02-30 10:00:00 x"[..], b"2026-13-01 10:00:00 x", b"2026-11-14 10:00:00 +0100 x"] {
            assert!(!plain_iso_head(bad));
        }
    }

    /// The RFC 3339 fast path answers only where the full parse gives the same instant:
    /// every byte of a few values replaced by characters that matter to the parse.
    #[test]
    fn rfc3339_fast_path_agrees_with_the_full_parse() {
        let general = |b: &[u8]| {
            let mut r = Resolver::new(Zone::Utc, 1_790_000_000);
            let (p, n, _) = parse_at(b)?;
            (n == b.len()).then(|| r.resolve(&p)).flatten()
        };
        let cases: &[&[u8]] = &[
            b"2026-11-14T00:00:00.015Z",
            b"2024-02-29T23:59:59.123456789+05:30",
            b"1999-12-31T23:59:59-08:00",
            b"2026-11-14T10:20:30.5Z",
        ];
        let alphabet = b" 0123456789:+-.,ZzTt";
        let mut answered = 0;
        for line in cases {
            assert_eq!(rfc3339_exact(line), general(line), "{:?}", String::from_utf8_lossy(line));
            for i in 0..line.len() {
                for &c in alphabet {
                    let mut l = line.to_vec();
                    l[i] = c;
                    if let Some(t) = rfc3339_exact(&l) {
                        assert_eq!(Some(t), general(&l), "{:?}", String::from_utf8_lossy(&l));
                        answered += 1;
                    }
                }
                let cut = &line[..i];
                if let Some(t) = rfc3339_exact(cut) {
                    assert_eq!(Some(t), general(cut), "{:?}", String::from_utf8_lossy(cut));
                }
            }
        }
        assert!(answered > 100, "{answered}");
        for bad in [
            &b"2026-02-30T10:00:00Z"[..],
            b"2026-13-01T10:00:00Z",
            b"2026-11-14T10:00:60Z",
            b"2026-11-14T10:00:00.1234567891Z",
        ] {
            assert!(rfc3339_exact(bad).is_none());
        }
        // Years whose nanoseconds do not fit an i64 with room: not a time, by either path.
        for far in [&b"9026-11-14T10:00:00Z"[..], b"1000-01-01T00:00:00Z", b"2262-04-12T00:00:00Z"] {
            assert!(rfc3339_exact(far).is_none(), "{:?}", String::from_utf8_lossy(far));
            assert!(general(far).is_none(), "{:?}", String::from_utf8_lossy(far));
        }
        assert!(rfc3339_exact(b"2261-12-31T23:59:59Z").is_some() && general(b"1678-01-01T00:00:00Z").is_some());
    }

    #[test]
    fn epoch_numbers() {
        assert_eq!(epoch_number("1745532517537").unwrap().to_rfc3339(), "2025-04-24T22:08:37.537Z");
        assert_eq!(epoch_number("1761019822.3152757").unwrap().to_rfc3339(), "2025-10-21T04:10:22.3152757Z");
        assert_eq!(epoch_number("1490386367764.0").unwrap().to_rfc3339(), "2017-03-24T20:12:47.764Z");
        assert_eq!(epoch_number("1700000000000000000").unwrap().to_rfc3339(), "2023-11-14T22:13:20.000000000Z");
        assert!(epoch_number("42").is_none());
        assert!(epoch_number("-5").is_none());
        assert!(epoch_number("1e9").is_none());
        assert!(epoch_number("").is_none() && epoch_number(".5").is_none() && epoch_number("17x4").is_none());
        assert!(epoch_number("17000000000000000000000").is_none());
        assert_eq!(epoch_number("0001745532517.5").unwrap().to_rfc3339(), "2025-04-24T22:08:37.5Z");
    }

    #[test]
    fn instants_written_one_after_another_are_each_their_own() {
        // (the text of the last second is remembered: the same second with other digits,
        // separators and offsets, then the next second and a year out of range, in a row)
        let base = 1_794_614_400_000_000_000i64;
        let cases: [(i64, u8, i32, u8, &str); 8] = [
            (base + 123_456_789, 3, 0, b'T', "2026-11-14T00:00:00.123"),
            (base + 987_654_321, 9, 0, b'T', "2026-11-14T00:00:00.987654321"),
            (base + 5, 0, 0, b'T', "2026-11-14T00:00:00"),
            (base + 5, 1, 0, b' ', "2026-11-14 00:00:00.0"),
            (base - 3_600_000_000_000, 2, 3600, b'T', "2026-11-14T00:00:00.00"),
            (base + 1_000_000_000, 3, 0, b'T', "2026-11-14T00:00:01.000"),
            (-8515193104000000000, 0, 0, b'T', "1700-03-01T12:34:56"),
            (base + 1_000_000_000, 6, 0, b'T', "2026-11-14T00:00:01.000000"),
        ];
        for (nanos, digits, offset, sep, want) in cases {
            let mut out = Vec::new();
            write_datetime(&mut out, nanos, digits, offset, sep);
            assert_eq!(String::from_utf8(out).unwrap(), want);
        }
    }

    #[test]
    fn fixed_zone_and_display() {
        let mut out = Vec::new();
        write_rfc3339(&mut out, 1_794_614_400_000_000_000, 3, 3600);
        assert_eq!(String::from_utf8(out).unwrap(), "2026-11-14T01:00:00.000+01:00");
        assert_eq!(Zone::from_spec("+05:30").unwrap(), Zone::Fixed(19_800));
        assert!(Zone::from_spec("Mars/Olympus").is_err());
        let mut r = Resolver::new(Zone::Fixed(3600), 0);
        let (p, _, _) = parse_at(b"2026-11-21 10:00:00").unwrap();
        assert_eq!(r.resolve(&p).unwrap().to_rfc3339(), "2026-11-21T09:00:00Z");
    }
}
