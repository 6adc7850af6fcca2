//! syslog: RFC 3164 (`<PRI>Nov 21 10:00:00 host tag[pid]: message`, also with an RFC 3339
//! timestamp as rsyslog writes it) and RFC 5424 (`<PRI>1 TIMESTAMP HOST APP PROCID MSGID SD
//! MESSAGE`). The level comes from the PRI severity when present, else from a leading
//! `error:`/`warning:` word of the message, else info.

use std::borrow::Cow;

use crate::entry::{Entry, Level, Value, WellKnown};
use crate::format::logfmt;
use crate::time::{self, Resolver, Shape};

/// `<PRI>` at the start: (severity, bytes used).
fn pri(b: &[u8]) -> Option<(u8, usize)> {
    if b.first() != Some(&b'<') {
        return None;
    }
    let end = b.iter().take(5).position(|&c| c == b'>')?;
    let n: u32 = std::str::from_utf8(&b[1..end]).ok()?.parse().ok()?;
    (n <= 191).then_some(((n % 8) as u8, end + 1))
}

/// The timestamp of a syslog line: (parsed, severity, end of timestamp, rfc5424).
fn head(b: &[u8]) -> Option<(time::Parsed, Option<u8>, usize, bool)> {
    let (sev, mut i) = match pri(b) {
        Some((s, n)) => (Some(s), n),
        None => (None, 0),
    };
    let mut v5424 = false;
    if sev.is_some() && b.get(i) == Some(&b'1') && b.get(i + 1) == Some(&b' ') {
        v5424 = true;
        i += 2;
    }
    let rest = &b[i..];
    let (p, n) = if v5424 {
        time::parse_shape(rest, Shape::Iso)?
    } else {
        time::parse_shape(rest, Shape::Syslog).or_else(|| {
            // rsyslog's high-precision format: RFC 3339 with a zone.
            let (p, n) = time::parse_shape(rest, Shape::Iso)?;
            (p.offset.is_some() && rest.get(10) == Some(&b'T')).then_some((p, n))
        })?
    };
    if b.get(i + n) != Some(&b' ') {
        return None;
    }
    Some((p, sev, i + n, v5424))
}

/// Whether a line is syslog: a timestamp, then a host, then a tag ending in `:`.
pub fn matches(line: &[u8]) -> bool {
    time::plain_syslog_head(line) || head(line).is_some()
}

/// Whether a line is syslog with a host and a `tag:` (stricter, for detection).
pub fn matches_strict(line: &[u8]) -> bool {
    let Some((_, _, end, v5424)) = head(line) else { return false };
    if v5424 {
        return true;
    }
    let rest = &line[end + 1..];
    let mut it = rest.splitn(3, |&c| c == b' ');
    let host = it.next().unwrap_or(b"");
    let tag = it.next().unwrap_or(b"");
    !host.is_empty() && tag.ends_with(b":") && tag.len() > 1
}

/// Parses a syslog line; false when it is not one.
pub fn parse<'a>(line: &'a str, e: &mut Entry<'a>, r: &mut Resolver) -> bool {
    let b = line.as_bytes();
    let Some((p, sev, end, v5424)) = head(b) else { return false };
    let Some(ts) = r.resolve(&p) else { return false };
    e.ts = Some(ts);
    e.level = sev.map(Level::from_syslog_severity);
    let rest = &line[end + 1..];
    if v5424 {
        e.format = "syslog5424";
        let mut parts = rest.splitn(5, ' ');
        let host = parts.next().unwrap_or("-");
        let app = parts.next().unwrap_or("-");
        let procid = parts.next().unwrap_or("-");
        let msgid = parts.next().unwrap_or("-");
        let tail = parts.next().unwrap_or("");
        e.set_known(WellKnown::Host, Cow::Borrowed(host));
        e.set_known(WellKnown::Service, Cow::Borrowed(app));
        if procid != "-" {
            e.fields.push((Cow::Borrowed("pid"), Value::Str(Cow::Borrowed(procid))));
        }
        if msgid != "-" {
            e.fields.push((Cow::Borrowed("msgid"), Value::Str(Cow::Borrowed(msgid))));
        }
        let msg = structured_data(tail, e);
        e.msg = Cow::Borrowed(msg.strip_prefix('\u{feff}').unwrap_or(msg));
        logfmt::extract_pairs(msg, e);
        return true;
    }
    e.format = "syslog";
    let (host, after_host) = rest.split_once(' ').unwrap_or((rest, ""));
    e.set_known(WellKnown::Host, Cow::Borrowed(host));
    // `tag[pid]:` or `tag:`; a line without a tag is all message.
    let tag_end = after_host.find(' ').unwrap_or(after_host.len());
    let tag = &after_host[..tag_end];
    let msg = if tag.len() > 1 && tag.ends_with(':') {
        let name = &tag[..tag.len() - 1];
        match name.rfind('[') {
            Some(open) if name.ends_with(']') => {
                e.set_known(WellKnown::Service, Cow::Borrowed(&name[..open]));
                e.fields.push((Cow::Borrowed("pid"), Value::Str(Cow::Borrowed(&name[open + 1..name.len() - 1]))));
            }
            _ => {
                e.set_known(WellKnown::Service, Cow::Borrowed(name));
            }
        }
        after_host[tag_end..].trim_start_matches(' ')
    } else {
        after_host
    };
    let msg = msg.trim_end_matches('\r');
    e.msg = Cow::Borrowed(msg);
    if e.level.is_none() {
        // `error: ...`, `warning: ...`, `fatal: ...`, `debug1: ...`
        let word = msg.split([':', ' ']).next().unwrap_or("");
        e.level =
            if msg.len() > word.len() && msg.as_bytes()[word.len()] == b':' { Level::parse_word(word) } else { None }
                .or(Some(Level::Info));
    }
    logfmt::extract_pairs(msg, e);
    true
}

/// RFC 5424 structured data (`[id k="v" ...][...]` or `-`): params become fields; returns the
/// message after it.
fn structured_data<'a>(s: &'a str, e: &mut Entry<'a>) -> &'a str {
    if let Some(rest) = s.strip_prefix("- ") {
        return rest;
    }
    if s == "-" {
        return "";
    }
    let b = s.as_bytes();
    let mut i = 0;
    while b.get(i) == Some(&b'[') {
        let mut j = i + 1;
        let mut in_quote = false;
        while j < b.len() {
            match b[j] {
                b'\\' if in_quote => j += 1,
                b'"' => in_quote = !in_quote,
                b']' if !in_quote => break,
                _ => {}
            }
            j += 1;
        }
        let inner = &s[i + 1..j.min(s.len())];
        if let Some((_, params)) = inner.split_once(' ') {
            for p in logfmt::Pairs::new(params) {
                e.fields.push((Cow::Borrowed(p.key), Value::Str(p.value)));
            }
        }
        i = j + 1;
    }
    s.get(i..).unwrap_or("").trim_start_matches(' ')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::Zone;

    /// The quick head check never accepts what the full parse refuses: every byte of the head
    /// of a few real lines replaced by characters that matter to the parse.
    #[test]
    fn the_quick_head_check_agrees_with_the_full_parse() {
        let lines: &[&[u8]] = &[
            b"Nov 14 00:00:00 web-02 CRON[1566]: Reloading",
            b"Feb 29 23:59:60 db sshd[1]: x",
            b"Jun  9 06:06:20 combo sshd(pam_unix)[19939]: authentication failure",
            b"Dec 31 23:59:59 a b",
        ];
        let alphabet = b" 0123456789:+-.ZzAaUuTtCcnNoOvVbB<>1\t";
        let mut checked = 0;
        for line in lines {
            for i in 0..18.min(line.len()) {
                for &c in alphabet {
                    let mut l = line.to_vec();
                    l[i] = c;
                    if time::plain_syslog_head(&l) {
                        assert!(head(&l).is_some(), "{:?}", String::from_utf8_lossy(&l));
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 100, "{checked}");
        // And on every line of the shared corpus, when it is there.
        let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
        let mut accepted = 0;
        for dir in ["loghub", "lnav"] {
            let Ok(rd) = std::fs::read_dir(corpus.join(dir)) else { continue };
            for f in rd.flatten() {
                let data = std::fs::read(f.path()).unwrap_or_default();
                for l in data.split(|&c| c == b'\n') {
                    if time::plain_syslog_head(l) {
                        assert!(head(l).is_some(), "{}: {:?}", f.path().display(), String::from_utf8_lossy(l));
                        accepted += 1;
                    }
                    if time::plain_iso_head(l) {
                        let full = time::parse_shape(l, time::Shape::Iso);
                        assert!(full.is_some(), "{}: {:?}", f.path().display(), String::from_utf8_lossy(l));
                        accepted += 1;
                    }
                }
            }
        }
        if corpus.exists() {
            assert!(accepted > 1000, "{accepted}");
        }
        for bad in [&b"Feb 30 10:00:00 host x"[..], b"Nov 14 24:00:00 host x", b"Nov 00 10:00:00 host x"] {
            assert!(!time::plain_syslog_head(bad) && head(bad).is_none());
        }
    }

    fn parse_line(line: &str) -> Entry<'_> {
        let mut e = Entry::default();
        let mut r = Resolver::new(Zone::Utc, 1_795_000_000);
        assert!(parse(line, &mut e, &mut r));
        e
    }

    #[test]
    fn rfc3164() {
        let e = parse_line("Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure; logname= uid=0");
        assert_eq!(e.get_known(WellKnown::Service), Some("sshd(pam_unix)"));
        assert_eq!(e.get_known(WellKnown::Host), Some("combo"));
        assert_eq!(e.msg, "authentication failure; logname= uid=0");
        assert_eq!(e.level, Some(Level::Info));
        let e = parse_line("<11>Nov 21 10:00:00 web-01 sshd[901]: error: PAM: Authentication failure for bob");
        assert_eq!(e.level, Some(Level::Error));
        let e = parse_line("Nov 14 00:00:01 web-01 sshd[901]: warning: hostname lookup failed");
        assert_eq!(e.level, Some(Level::Warn));
        let e = parse_line("Nov  3 09:23:38 veridian lookup for opt failed");
        assert_eq!((e.get_known(WellKnown::Service), e.msg.as_ref()), (None, "lookup for opt failed"));
        assert!(matches_strict(b"Nov  3 09:23:38 veridian automount[7998]: lookup"));
        assert!(!matches_strict(b"2026-11-21 10:00:00 INFO x: y"));
    }

    #[test]
    fn rfc5424() {
        let e = parse_line(
            r#"<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application"] An application event"#,
        );
        assert_eq!(e.format, "syslog5424");
        assert_eq!(e.level, Some(Level::Info));
        assert_eq!(e.ts.unwrap().to_rfc3339(), "2003-10-11T22:14:15.003Z");
        assert_eq!(e.msg, "An application event");
        assert_eq!(e.field("eventSource").as_deref(), Some("Application"));
        assert_eq!(e.get_known(WellKnown::Service), Some("evntslog"));
    }
}
