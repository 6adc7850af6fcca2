//! Time expressions of the command line: `--from`, `--to`, `--day`, `--last`, `--since`.
//!
//! Accepted: RFC 3339 and every timestamp shape logx reads, `2026-11-21`,
//! `2026-11-21 10:00`, `10:00` (today), `-2h`, `30m ago`, `now`, `today`, `yesterday`,
//! weekday names (`monday`: the most recent Monday, today included). Naive times are read in
//! the display zone. Errors point at the bad part.

use crate::time::{self, Resolver, Zone};

/// Nanoseconds per second.
const NS: i64 = 1_000_000_000;

/// Parses a duration: `90s`, `30m`, `2h`, `1d`, `1w`, `500ms`, `1h30m`; returns nanoseconds.
///
/// # Errors
/// A message naming the bad part.
pub fn parse_duration(s: &str) -> Result<i64, String> {
    let t = s.trim();
    if t.is_empty() {
        return Err("empty duration".into());
    }
    let mut total: i64 = 0;
    let b = t.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let start = i;
        while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.') {
            i += 1;
        }
        if start == i {
            return Err(format!("{s}: expected a number before '{}'", &t[i..]));
        }
        let num: f64 = t[start..i].parse().map_err(|_| format!("{s}: '{}' is not a number", &t[start..i]))?;
        let ustart = i;
        while i < b.len() && b[i].is_ascii_alphabetic() {
            i += 1;
        }
        let unit = &t[ustart..i];
        let mult: f64 = match unit {
            "ns" => 1.0,
            "us" | "µs" => 1e3,
            "ms" => 1e6,
            "s" | "sec" | "secs" | "second" | "seconds" => 1e9,
            "m" | "min" | "mins" | "minute" | "minutes" => 60e9,
            "h" | "hr" | "hrs" | "hour" | "hours" => 3600e9,
            "d" | "day" | "days" => 86_400e9,
            "w" | "week" | "weeks" => 604_800e9,
            "" => return Err(format!("{s}: missing unit after {num} (use s, m, h, d or w)")),
            u => return Err(format!("{s}: unknown unit '{u}' (use ms, s, m, h, d or w)")),
        };
        total = total.saturating_add((num * mult) as i64);
        while i < b.len() && b[i] == b' ' {
            i += 1;
        }
    }
    Ok(total)
}

fn local_midnight(zone: &Zone, day: i64) -> i64 {
    let local = day * 86_400;
    let off = zone.offset_for_local(local) as i64;
    (local - off) * NS
}

/// Day number (days since epoch, in the zone) of an instant.
pub fn day_of(zone: &Zone, nanos: i64) -> i64 {
    let secs = nanos.div_euclid(NS);
    (secs + zone.offset_at_utc(secs) as i64).div_euclid(86_400)
}

/// Explains why a date-like string is out of range, when it is.
fn range_error(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let num = |from: usize, n: usize| -> Option<u32> { s.get(from..from + n)?.parse().ok() };
    if b.len() >= 7 && b[4] == b'-' {
        let y = num(0, 4)?;
        let years = crate::entry::Timestamp::YEARS;
        if !years.contains(&i64::from(y)) {
            return Some(format!("year {y} is out of range ({} to {})", years.start(), years.end()));
        }
        let m = num(5, 2)?;
        if !(1..=12).contains(&m) {
            return Some(format!("month {m} is out of range"));
        }
        if b.len() >= 10 && b[7] == b'-' {
            let d = num(8, 2)?;
            let dim = time::days_from_civil(y as i64 + (m / 12) as i64, m % 12 + 1, 1)
                - time::days_from_civil(y as i64, m, 1);
            if d == 0 || d as i64 > dim {
                return Some(format!("day {d} is out of range for {y:04}-{m:02}"));
            }
        }
        if b.len() >= 13 && (b[10] == b'T' || b[10] == b' ') {
            let h = num(11, 2)?;
            if h > 23 {
                return Some(format!("hour {h} is out of range"));
            }
            let mi = num(14, 2)?;
            if mi > 59 {
                return Some(format!("minute {mi} is out of range"));
            }
        }
    }
    None
}

fn weekday_index(s: &str) -> Option<i64> {
    let names = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
    names.iter().position(|n| *n == s || (s.len() >= 3 && n.starts_with(s))).map(|i| i as i64)
}

/// Parses a point in time; `now` is nanoseconds since the epoch.
///
/// # Errors
/// A message that names the bad part (`month 13 is out of range`).
pub fn parse_point(s: &str, zone: &Zone, now: i64) -> Result<i64, String> {
    let t = s.trim();
    let lower = t.to_ascii_lowercase();
    let today = day_of(zone, now);
    match lower.as_str() {
        "" => return Err("empty time".into()),
        "now" => return Ok(now),
        "today" => return Ok(local_midnight(zone, today)),
        "yesterday" => return Ok(local_midnight(zone, today - 1)),
        "tomorrow" => return Ok(local_midnight(zone, today + 1)),
        _ => {}
    }
    if let Some(w) = weekday_index(&lower) {
        // 1970-01-01 was a Thursday (index 3).
        let dow = (today + 3).rem_euclid(7);
        let back = (dow - w).rem_euclid(7);
        return Ok(local_midnight(zone, today - back));
    }
    // Relative: -2h, 2h ago, 30m ago
    if let Some(rest) = lower.strip_prefix('-') {
        return Ok(now.saturating_sub(parse_duration(rest)?));
    }
    if let Some(rest) = lower.strip_suffix(" ago").or_else(|| lower.strip_suffix("ago")) {
        return Ok(now.saturating_sub(parse_duration(rest.trim())?));
    }
    if let Some(rest) = lower.strip_prefix('+') {
        return Ok(now.saturating_add(parse_duration(rest)?));
    }
    if let Some(e) = range_error(t) {
        return Err(e);
    }
    // A date alone: midnight in the zone.
    let b = t.as_bytes();
    if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
        let y: i64 = t[0..4].parse().map_err(|_| format!("'{t}' is not a date (YYYY-MM-DD)"))?;
        let m: u32 = t[5..7].parse().map_err(|_| format!("'{t}' is not a date (YYYY-MM-DD)"))?;
        let d: u32 = t[8..10].parse().map_err(|_| format!("'{t}' is not a date (YYYY-MM-DD)"))?;
        return Ok(local_midnight(zone, time::days_from_civil(y, m, d)));
    }
    // A time of day alone: today.
    if let Some((p, n)) = time::parse_shape(b, time::Shape::TimeOnly) {
        if n == b.len() {
            let (h, m, sec) = p.hms;
            return Ok(local_midnight(zone, today)
                + (h as i64 * 3600 + m as i64 * 60 + sec as i64) * NS
                + p.nanos as i64);
        }
    }
    if b.len() == 5 && b[2] == b':' {
        let h: i64 = t[..2].parse().map_err(|_| format!("'{t}' is not a time (HH:MM)"))?;
        let m: i64 = t[3..].parse().map_err(|_| format!("'{t}' is not a time (HH:MM)"))?;
        if h > 23 {
            return Err(format!("hour {h} is out of range"));
        }
        if m > 59 {
            return Err(format!("minute {m} is out of range"));
        }
        return Ok(local_midnight(zone, today) + (h * 3600 + m * 60) * NS);
    }
    let mut r = Resolver::new(zone.clone(), now.div_euclid(NS));
    if let Some(ts) = time::parse_full(t, &mut r) {
        return Ok(ts.nanos);
    }
    if let Some(ts) = time::epoch_number(t) {
        return Ok(ts.nanos);
    }
    Err(format!(
        "'{t}' is not a time (try 2026-11-21, '2026-11-21 10:00', 10:00, -2h, '30m ago', today, yesterday, monday)"
    ))
}

/// The whole day named by `s` (a date, `today`, `yesterday`, a weekday) as [start, end).
///
/// # Errors
/// As [`parse_point`].
pub fn parse_day(s: &str, zone: &Zone, now: i64) -> Result<(i64, i64), String> {
    let start = parse_point(s, zone, now)?;
    let day = day_of(zone, start);
    Ok((local_midnight(zone, day), local_midnight(zone, day + 1)))
}

#[cfg(test)]
mod tests {
    use super::*;

    // 2026-11-21T15:30:00Z, a Saturday.
    const NOW: i64 = 1_795_275_000 * NS;

    fn utc(s: &str) -> String {
        let n = parse_point(s, &Zone::Utc, NOW).unwrap();
        crate::entry::Timestamp { nanos: n, frac_digits: 0 }.to_rfc3339()
    }

    #[test]
    fn points() {
        assert_eq!(utc("2026-11-21"), "2026-11-21T00:00:00Z");
        assert_eq!(utc("2026-11-21 10:00"), "2026-11-21T10:00:00Z");
        assert_eq!(utc("2026-11-21T10:00:00+01:00"), "2026-11-21T09:00:00Z");
        assert_eq!(utc("10:00"), "2026-11-21T10:00:00Z");
        assert_eq!(utc("-2h"), "2026-11-21T13:30:00Z");
        assert_eq!(utc("30m ago"), "2026-11-21T15:00:00Z");
        assert_eq!(utc("today"), "2026-11-21T00:00:00Z");
        assert_eq!(utc("yesterday"), "2026-11-20T00:00:00Z");
        assert_eq!(utc("monday"), "2026-11-16T00:00:00Z");
        assert_eq!(utc("saturday"), "2026-11-21T00:00:00Z");
        assert_eq!(utc("1763719200"), "2025-11-21T10:00:00Z");
    }

    #[test]
    fn zones_apply() {
        let z = Zone::Fixed(3600);
        let n = parse_point("2026-11-21", &z, NOW).unwrap();
        assert_eq!(crate::entry::Timestamp { nanos: n, frac_digits: 0 }.to_rfc3339(), "2026-11-20T23:00:00Z");
        let (a, b) = parse_day("2026-11-21", &z, NOW).unwrap();
        assert_eq!(b - a, 86_400 * NS);
    }

    #[test]
    fn errors_point_at_the_part() {
        assert_eq!(parse_point("2026-13-01", &Zone::Utc, NOW).unwrap_err(), "month 13 is out of range");
        for far in ["9026-01-01", "1000-01-01 10:00", "2262-01-01T00:00:00Z"] {
            let e = parse_point(far, &Zone::Utc, NOW).unwrap_err();
            assert!(e.starts_with("year ") && e.ends_with("is out of range (1678 to 2261)"), "{far}: {e}");
        }
        assert!(
            parse_point("2261-12-31", &Zone::Utc, NOW).is_ok() && parse_point("1678-01-01", &Zone::Utc, NOW).is_ok()
        );
        assert_eq!(parse_point("2026-02-30", &Zone::Utc, NOW).unwrap_err(), "day 30 is out of range for 2026-02");
        assert_eq!(parse_point("2026-11-21 25:00", &Zone::Utc, NOW).unwrap_err(), "hour 25 is out of range");
        assert!(parse_point("-2x", &Zone::Utc, NOW).unwrap_err().contains("unknown unit 'x'"));
        assert!(parse_point("soon", &Zone::Utc, NOW).unwrap_err().contains("is not a time"));
        assert_eq!(parse_duration("1h30m").unwrap(), 5400 * NS);
        assert_eq!(parse_duration("500ms").unwrap(), 500_000_000);
        assert!(parse_duration("5").is_err());
    }
}
