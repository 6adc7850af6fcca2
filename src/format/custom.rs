//! User-defined formats: a regex with named captures (`ts`, `level`, `msg` and any field), a
//! timestamp layout, a level mapping and a continuation rule, loaded from the configuration
//! or a `--format-file`.

use std::borrow::Cow;

use regex::Regex;

use crate::entry::{Entry, Level, Value, WellKnown};
use crate::format::alias::{self, Role};
use crate::time::{self, Resolver};

/// A compiled custom format.
#[derive(Debug)]
pub struct CustomFormat {
    /// Name.
    pub name: String,
    /// The name as reported in entries' `format` (interned once per format).
    pub tag: &'static str,
    /// The line regex (anchored at the start of the line).
    pub regex: Regex,
    /// A chrono strftime layout for the `ts` capture (`%Y-%m-%d %H:%M:%S%.f`); None reads any
    /// shape logx knows.
    pub ts_format: Option<String>,
    /// Level words of this format and what they mean (checked before the built-in words).
    pub levels: Vec<(String, Level)>,
    /// Lines matching this regex continue the entry before them.
    pub continuation: Option<Regex>,
    /// When set, lines that do not match start their own raw entry instead of continuing.
    pub strict_lines: bool,
}

/// Why a line did not match, for `logx formats test`.
#[derive(Debug, PartialEq, Eq)]
pub enum Mismatch {
    /// The regex did not match.
    Regex,
    /// The `ts` capture did not read with the layout.
    Timestamp(String),
    /// The `level` capture is not a known level.
    Level(String),
}

impl CustomFormat {
    /// Whether a line starts an entry (the regex matches it).
    pub fn starts_entry(&self, line: &[u8]) -> bool {
        match std::str::from_utf8(line) {
            Ok(s) => self.regex.is_match(s),
            Err(_) => self.regex.is_match(&String::from_utf8_lossy(line)),
        }
    }

    fn parse_ts(&self, s: &str, r: &mut Resolver) -> Option<crate::entry::Timestamp> {
        match &self.ts_format {
            None => time::parse_full(s, r).or_else(|| time::epoch_number(s)),
            Some(f) => {
                let frac = s
                    .rsplit_once(['.', ','])
                    .map_or(0, |(_, f)| f.bytes().take_while(u8::is_ascii_digit).count() as u8);
                if let Ok(dt) = chrono::DateTime::parse_from_str(s, f) {
                    return crate::entry::Timestamp::try_from_parts(
                        dt.timestamp(),
                        dt.timestamp_subsec_nanos(),
                        frac.min(9),
                    );
                }
                let naive = chrono::NaiveDateTime::parse_from_str(s, f).ok()?;
                let local = naive.and_utc().timestamp();
                let off = r.zone.offset_for_local(local) as i64;
                crate::entry::Timestamp::try_from_parts(
                    local - off,
                    naive.and_utc().timestamp_subsec_nanos(),
                    frac.min(9),
                )
            }
        }
    }

    fn level(&self, s: &str) -> Option<Level> {
        if let Some((_, l)) = self.levels.iter().find(|(w, _)| w.eq_ignore_ascii_case(s)) {
            return Some(*l);
        }
        Level::parse_word(s).or_else(|| (s.len() == 1).then(|| Level::from_letter(s.as_bytes()[0])).flatten())
    }

    /// Checks one line and says why it does not match.
    pub fn check(&self, line: &str) -> Result<(), Mismatch> {
        let caps = self.regex.captures(line).ok_or(Mismatch::Regex)?;
        let mut r = Resolver::new(time::Zone::Utc, 0);
        if let Some(ts) = caps.name("ts") {
            if self.parse_ts(ts.as_str(), &mut r).is_none() {
                return Err(Mismatch::Timestamp(ts.as_str().to_string()));
            }
        }
        if let Some(l) = caps.name("level") {
            if self.level(l.as_str()).is_none() {
                return Err(Mismatch::Level(l.as_str().to_string()));
            }
        }
        Ok(())
    }

    /// Parses a line into `e`; false when the regex does not match.
    pub fn parse<'a>(&self, line: &'a str, e: &mut Entry<'a>, r: &mut Resolver) -> bool {
        let Some(caps) = self.regex.captures(line) else { return false };
        e.format = self.tag;
        let mut msg_set = false;
        for name in self.regex.capture_names().flatten() {
            let Some(m) = caps.name(name) else { continue };
            let v = m.as_str();
            match name {
                "ts" => e.ts = self.parse_ts(v, r),
                "level" => e.level = self.level(v),
                "msg" => {
                    e.msg = Cow::Borrowed(v);
                    msg_set = true;
                }
                _ => match WellKnown::from_key(name).map(Role::Known).or_else(|| alias::lookup(name)) {
                    Some(Role::Known(w)) => {
                        e.set_known(w, Cow::Borrowed(v));
                    }
                    _ => e.fields.push((Cow::Owned(name.to_string()), Value::Str(Cow::Borrowed(v)))),
                },
            }
        }
        if !msg_set {
            e.msg = Cow::Borrowed(&line[caps.get(0).map_or(0, |m| m.end())..]);
        }
        true
    }
}
