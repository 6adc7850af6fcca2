//! logfmt (`ts=... level=info msg="hello world" user=alice`), and the `key=value` pairs found
//! inside text messages.

use std::borrow::Cow;

use crate::entry::{Entry, Level, Value};
use crate::format::alias::{self, Role};
use crate::time::{self, Resolver};

/// One `key=value` pair; the value unquoted (Cow::Owned when it had escapes).
pub struct Pair<'a> {
    /// The key.
    pub key: &'a str,
    /// The value.
    pub value: Cow<'a, str>,
    /// Whether the value was quoted.
    pub quoted: bool,
}

fn is_key_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-' | b'@' | b'/' | b'[' | b']' | b'$')
}

/// Iterates `key=value` pairs in `s`. Bare words are skipped (reported by `bare`).
pub struct Pairs<'a> {
    s: &'a str,
    i: usize,
    /// Number of words that were not `key=value`.
    pub bare: usize,
}

impl<'a> Pairs<'a> {
    /// Pairs of `s`.
    pub fn new(s: &'a str) -> Pairs<'a> {
        Pairs { s, i: 0, bare: 0 }
    }
}

impl<'a> Iterator for Pairs<'a> {
    type Item = Pair<'a>;

    fn next(&mut self) -> Option<Pair<'a>> {
        let b = self.s.as_bytes();
        loop {
            while self.i < b.len() && b[self.i].is_ascii_whitespace() {
                self.i += 1;
            }
            if self.i >= b.len() {
                return None;
            }
            let start = self.i;
            let mut j = start;
            while j < b.len() && is_key_byte(b[j]) {
                j += 1;
            }
            if j > start
                && b.get(j) == Some(&b'=')
                && b[start].is_ascii_alphabetic() | (b[start] == b'_') | (b[start] == b'@')
            {
                let key = &self.s[start..j];
                j += 1;
                if b.get(j) == Some(&b'"') {
                    let vstart = j + 1;
                    let mut k = vstart;
                    let mut escaped = false;
                    while k < b.len() && b[k] != b'"' {
                        if b[k] == b'\\' {
                            escaped = true;
                            k += 1;
                        }
                        k += 1;
                    }
                    let vend = k.min(b.len());
                    self.i = (k + 1).min(b.len());
                    let raw = &self.s[vstart..vend];
                    let value = if escaped { Cow::Owned(unquote(raw)) } else { Cow::Borrowed(raw) };
                    return Some(Pair { key, value, quoted: true });
                }
                let vstart = j;
                while j < b.len() && !b[j].is_ascii_whitespace() {
                    j += 1;
                }
                self.i = j;
                return Some(Pair { key, value: Cow::Borrowed(&self.s[vstart..j]), quoted: false });
            }
            // A bare word (or a quoted string): skip it.
            self.bare += 1;
            if b[self.i] == b'"' {
                let mut k = self.i + 1;
                while k < b.len() && b[k] != b'"' {
                    if b[k] == b'\\' {
                        k += 1;
                    }
                    k += 1;
                }
                self.i = (k + 1).min(b.len());
            } else {
                while self.i < b.len() && !b[self.i].is_ascii_whitespace() {
                    self.i += 1;
                }
            }
        }
    }
}

fn unquote(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut it = raw.chars();
    while let Some(c) = it.next() {
        if c == '\\' {
            match it.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some('r') => out.push('\r'),
                Some(o) => out.push(o),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Whether a line looks like logfmt: it starts with `key=`, has at least two pairs, more
/// pairs than bare words, and one of them names a time, a level or a message.
pub fn looks_like(line: &str) -> bool {
    let b = line.as_bytes();
    let first_eq = b.iter().take(40).position(|&c| c == b'=' || c == b' ');
    if !matches!(first_eq, Some(i) if i > 0 && b[i] == b'=') {
        return false;
    }
    let mut pairs = Pairs::new(line);
    let mut n = 0;
    let mut has_role = false;
    for p in pairs.by_ref().take(16) {
        n += 1;
        if matches!(alias::lookup(p.key), Some(Role::Ts | Role::Level | Role::Msg)) {
            has_role = true;
        }
    }
    n >= 2 && has_role && pairs.bare <= n
}

/// Fills `e` from a logfmt line.
pub fn parse_entry<'a>(line: &'a str, e: &mut Entry<'a>, r: &mut Resolver) {
    e.format = "logfmt";
    let mut msg_set = false;
    for p in Pairs::new(line) {
        match alias::lookup(p.key) {
            Some(Role::Ts) if e.ts.is_none() => {
                e.ts = time::parse_full(&p.value, r).or_else(|| time::epoch_number(&p.value));
                if e.ts.is_none() {
                    e.fields.push((Cow::Borrowed(p.key), Value::Str(p.value)));
                }
            }
            Some(Role::Level) if e.level.is_none() => {
                e.level = Level::parse_word(&p.value).or_else(|| {
                    let v = p.value.as_bytes();
                    (v.len() == 1).then(|| Level::from_letter(v[0].to_ascii_uppercase())).flatten()
                });
                if e.level.is_none() {
                    e.fields.push((Cow::Borrowed(p.key), Value::Str(p.value)));
                }
            }
            Some(Role::Msg) if !msg_set => {
                e.msg = p.value;
                msg_set = true;
            }
            Some(Role::Known(w)) if e.known[w as usize].is_none() && !p.value.is_empty() => {
                e.set_known(w, p.value);
            }
            _ => e.fields.push((Cow::Borrowed(p.key), Value::Str(p.value))),
        }
    }
}

/// Adds the `key=value` pairs found in a text message to `e`: aliases become well-known
/// fields, the rest plain fields. The message itself is left as written.
pub fn extract_pairs<'a>(msg: &'a str, e: &mut Entry<'a>) {
    if memchr::memchr(b'=', msg.as_bytes()).is_none() {
        return;
    }
    for p in Pairs::new(msg) {
        if p.value.is_empty() {
            continue;
        }
        match alias::lookup(p.key) {
            Some(Role::Known(w)) if e.known[w as usize].is_none() => {
                e.set_known(w, p.value);
            }
            _ => {
                if !e.fields.iter().any(|(k, _)| k == p.key) {
                    e.fields.push((Cow::Borrowed(p.key), Value::Str(p.value)));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entry::WellKnown;
    use crate::time::Zone;

    #[test]
    fn parses_logfmt() {
        let line = r#"ts=2026-11-14T00:00:00.123Z level=warn msg="slow query took 12ms" service=billing host=web-01 user=alice request_id=abc duration_ms=5 flag"#;
        assert!(looks_like(line));
        let mut e = Entry::default();
        let mut r = Resolver::new(Zone::Utc, 0);
        parse_entry(line, &mut e, &mut r);
        assert_eq!(e.ts.unwrap().to_rfc3339(), "2026-11-14T00:00:00.123Z");
        assert_eq!(e.level, Some(Level::Warn));
        assert_eq!(e.msg, "slow query took 12ms");
        assert_eq!(e.get_known(WellKnown::Service), Some("billing"));
        assert_eq!(e.get_known(WellKnown::RequestId), Some("abc"));
        assert_eq!(e.field("duration_ms").as_deref(), Some("5"));
    }

    #[test]
    fn escapes_and_rejects() {
        let mut e = Entry::default();
        let mut r = Resolver::new(Zone::Utc, 0);
        parse_entry(r#"level=info msg="say \"hi\"\n""#, &mut e, &mut r);
        assert_eq!(e.msg, "say \"hi\"\n");
        assert!(!looks_like("hello world a=b"));
        assert!(!looks_like("a=1 b=2"));
        assert!(looks_like(r#"time="2021-09-15T21:17:10.220731Z" level=error msg="x""#));
    }
}
