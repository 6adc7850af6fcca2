//! Apache/Nginx access logs, common and combined (optionally preceded by a virtual host):
//! `ip ident user [21/Nov/2026:10:00:00 +0000] "GET /x HTTP/1.1" 200 512 "referer" "agent"`.
//! The level follows the status class: 5xx error, 4xx warn, else info.

use std::borrow::Cow;

use crate::entry::{Entry, Level, Value, WellKnown};
use crate::format::alias::{self, Role};
use crate::time::{self, Resolver, Shape};

struct Parts<'a> {
    vhost: Option<&'a str>,
    ip: &'a str,
    ident: &'a str,
    user: &'a str,
    ts: time::Parsed,
    request: &'a str,
    status: &'a str,
    bytes: &'a str,
    referer: Option<&'a str>,
    agent: Option<&'a str>,
}

fn word(s: &str) -> Option<(&str, &str)> {
    let s = s.trim_start_matches(' ');
    if s.is_empty() {
        return None;
    }
    let end = s.find(' ').unwrap_or(s.len());
    Some((&s[..end], &s[end..]))
}

fn quoted(s: &str) -> Option<(&str, &str)> {
    let s = s.trim_start_matches(' ');
    let rest = s.strip_prefix('"')?;
    let b = rest.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => return Some((&rest[..i], &rest[i + 1..])),
            _ => i += 1,
        }
    }
    None
}

fn split(line: &str) -> Option<Parts<'_>> {
    let (mut first, mut rest) = word(line)?;
    let mut vhost = None;
    // `vhost:port ip - - [...]`
    if !rest.trim_start().starts_with(|c: char| c == '-' || c.is_ascii_alphanumeric()) {
        return None;
    }
    let probe: Vec<&str> = rest.trim_start().splitn(4, ' ').collect();
    if probe.len() == 4 && !probe[2].starts_with('[') && probe[3].starts_with('[') {
        vhost = Some(first);
        (first, rest) = word(rest)?;
    }
    let (ident, rest) = word(rest)?;
    let (user, rest) = word(rest)?;
    let rest = rest.trim_start_matches(' ').strip_prefix('[')?;
    let (ts, n) = time::parse_shape(rest.as_bytes(), Shape::Apache)?;
    let rest = rest[n..].strip_prefix(']')?;
    let (request, rest) = quoted(rest)?;
    let (status, rest) = word(rest)?;
    if status.len() != 3 || !status.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let (bytes, rest) = word(rest).unwrap_or(("-", ""));
    let (referer, agent) = match quoted(rest) {
        Some((r, rest)) => (Some(r), quoted(rest).map(|(a, _)| a)),
        None => (None, None),
    };
    Some(Parts { vhost, ip: first, ident, user, ts, request, status, bytes, referer, agent })
}

/// Whether a line is an access log line.
pub fn matches(line: &str) -> bool {
    split(line).is_some()
}

/// Parses an access log line; false when it is not one.
pub fn parse<'a>(line: &'a str, e: &mut Entry<'a>, r: &mut Resolver) -> bool {
    let Some(p) = split(line.trim_end_matches('\r')) else { return false };
    let Some(ts) = r.resolve(&p.ts) else { return false };
    e.format = "access";
    e.ts = Some(ts);
    e.set_known(WellKnown::Ip, Cow::Borrowed(p.ip));
    e.set_known(WellKnown::User, Cow::Borrowed(p.user));
    let s = Cow::Borrowed;
    if let Some(v) = p.vhost {
        e.set_known(WellKnown::Host, s(v));
    }
    if p.ident != "-" {
        e.fields.push((s("ident"), Value::Str(s(p.ident))));
    }
    let mut req = p.request.splitn(3, ' ');
    let method = req.next().unwrap_or("");
    let path = req.next().unwrap_or("");
    let proto = req.next().unwrap_or("");
    if !path.is_empty() {
        e.fields.push((s("method"), Value::Str(s(method))));
        e.fields.push((s("path"), Value::Str(s(path))));
        if !proto.is_empty() {
            e.fields.push((s("protocol"), Value::Str(s(proto))));
        }
        // A request id carried in the query string (`?rid=...`, `&request_id=...`).
        if let Some((_, q)) = path.split_once('?') {
            for kv in q.split('&') {
                if let Some((k, v)) = kv.split_once('=') {
                    if let Some(Role::Known(WellKnown::RequestId)) = alias::lookup(k) {
                        e.set_known(WellKnown::RequestId, s(v));
                    }
                }
            }
        }
    }
    // Numbers when they are JSON numbers (no leading zero), else the text as written.
    let number = |v: &'a str| {
        let plain =
            !v.is_empty() && v.len() < 19 && v.bytes().all(|c| c.is_ascii_digit()) && (v == "0" || !v.starts_with('0'));
        if plain {
            Value::Json(s(v))
        } else {
            Value::Str(s(v))
        }
    };
    e.fields.push((s("status"), number(p.status)));
    if p.bytes.bytes().all(|c| c.is_ascii_digit()) && !p.bytes.is_empty() {
        e.fields.push((s("bytes"), number(p.bytes)));
    }
    if let Some(rf) = p.referer {
        e.fields.push((s("referer"), Value::Str(s(rf))));
    }
    if let Some(a) = p.agent {
        e.fields.push((s("agent"), Value::Str(s(a))));
    }
    e.level = Some(match p.status.as_bytes()[0] {
        b'5' => Level::Error,
        b'4' => Level::Warn,
        _ => Level::Info,
    });
    e.msg = Cow::Borrowed(p.request);
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::Zone;

    #[test]
    fn combined() {
        let line = r#"10.1.2.3 - alice [14/Nov/2026:00:00:01 +0000] "GET /items/articles?limit=25&rid=00ab HTTP/1.1" 503 1234 "-" "curl/8.5.0""#;
        let mut e = Entry::default();
        let mut r = Resolver::new(Zone::Utc, 0);
        assert!(parse(line, &mut e, &mut r));
        assert_eq!(e.level, Some(Level::Error));
        assert_eq!(e.get_known(WellKnown::User), Some("alice"));
        assert_eq!(e.get_known(WellKnown::RequestId), Some("00ab"));
        assert_eq!(e.field("status").as_deref(), Some("503"));
        assert_eq!(e.field("agent").as_deref(), Some("curl/8.5.0"));
        assert_eq!(e.ts.unwrap().to_rfc3339(), "2026-11-14T00:00:01Z");
        assert!(matches(r#"192.168.202.254 - - [20/Jul/2009:22:59:26 +0000] "GET /vmw/cgi/tramp HTTP/1.0" 200 134"#));
        assert!(matches(r#"www.example.com:80 1.2.3.4 - - [20/Jul/2009:22:59:26 +0000] "GET / HTTP/1.0" 404 -"#));
        assert!(!matches("2026-11-21 10:00:00 INFO hello"));
    }
}
