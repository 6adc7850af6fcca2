//! The normalized entry: what every format parses into and every sink writes out.
//!
//! An [`Entry`] borrows from the source bytes (`'a` is the lifetime of the mapped or buffered
//! chunk), so parsing an entry allocates only when a value needs unescaping. The keys mirror the
//! NDJSON contract of `logx cat -o json`: `ts`, `level`, `msg`, `source`, `line`, `format`, the
//! well-known `service`, `host`, `user`, `ip`, `request_id`, and `fields` for everything else.

use std::borrow::Cow;
use std::fmt;

/// A normalized severity. The order is the severity order (`Trace < ... < Fatal`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Finest detail (trace, verbose, finest, finer).
    Trace = 0,
    /// Debugging detail (debug, fine, config).
    Debug = 1,
    /// Normal operation (info, notice).
    Info = 2,
    /// Something unexpected (warn, warning).
    Warn = 3,
    /// A failure (error, err, severe).
    Error = 4,
    /// The process or system cannot go on (fatal, critical, crit, alert, emerg, panic).
    Fatal = 5,
}

/// Every level, in severity order.
pub const LEVELS: [Level; 6] = [Level::Trace, Level::Debug, Level::Info, Level::Warn, Level::Error, Level::Fatal];

impl Level {
    /// The contract name: `trace` `debug` `info` `warn` `error` `fatal`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Trace => "trace",
            Level::Debug => "debug",
            Level::Info => "info",
            Level::Warn => "warn",
            Level::Error => "error",
            Level::Fatal => "fatal",
        }
    }

    /// Index in [`LEVELS`] (0..6).
    pub fn index(self) -> usize {
        self as usize
    }

    /// Parses a level word as logs write it, case-insensitively: the contract names and the
    /// aliases of common libraries (`warning`, `err`, `crit`, `notice`, `panic`, `emerg`,
    /// `SEVERE`, `FINE`, `FINEST`, `DEBUG5`, ...). Single letters are not accepted here; see
    /// [`Level::from_letter`].
    pub fn parse_word(word: &str) -> Option<Level> {
        let b = word.as_bytes();
        if b.len() < 3 || b.len() > 13 {
            return None;
        }
        let mut buf = [0u8; 13];
        let mut n = 0;
        for &c in b {
            buf[n] = c.to_ascii_lowercase();
            n += 1;
        }
        // `debug1`..`debug9` (OpenSSH, lnav's DEBUG5): a trailing digit on debug only.
        let mut s = &buf[..n];
        if s.len() == 6 && s.starts_with(b"debug") && s[5].is_ascii_digit() {
            s = &s[..5];
        }
        Some(match s {
            b"trace" | b"trc" | b"verbose" | b"finest" | b"finer" | b"all" => Level::Trace,
            b"debug" | b"dbg" | b"dbug" | b"fine" | b"config" => Level::Debug,
            b"info" | b"inf" | b"information" | b"informational" | b"notice" | b"note" => Level::Info,
            b"warn" | b"warning" | b"wrn" | b"wrng" => Level::Warn,
            b"error" | b"err" | b"eror" | b"severe" | b"failure" => Level::Error,
            b"fatal" | b"critical" | b"crit" | b"alert" | b"emerg" | b"emergency" | b"panic" | b"ftl" => Level::Fatal,
            _ => return None,
        })
    }

    /// A single upper-case letter as glog, klog and Android's logcat write it
    /// (`V D I W E F`, plus `A` for assert, `C` for critical, `N` for notice, `T` for trace).
    pub fn from_letter(c: u8) -> Option<Level> {
        Some(match c {
            b'T' | b'V' => Level::Trace,
            b'D' => Level::Debug,
            b'I' | b'N' => Level::Info,
            b'W' => Level::Warn,
            b'E' => Level::Error,
            b'F' | b'A' | b'C' => Level::Fatal,
            _ => return None,
        })
    }

    /// A syslog severity (RFC 5424: 0 emerg .. 7 debug).
    pub fn from_syslog_severity(sev: u8) -> Level {
        match sev {
            0..=2 => Level::Fatal,
            3 => Level::Error,
            4 => Level::Warn,
            5 | 6 => Level::Info,
            _ => Level::Debug,
        }
    }

    /// pino and bunyan numbers (10 trace, 20 debug, 30 info, 40 warn, 50 error, 60 fatal); a
    /// number between two steps takes the lower one.
    pub fn from_pino(n: i64) -> Option<Level> {
        Some(match n {
            10..=19 => Level::Trace,
            20..=29 => Level::Debug,
            30..=39 => Level::Info,
            40..=49 => Level::Warn,
            50..=59 => Level::Error,
            60..=99 => Level::Fatal,
            _ => return None,
        })
    }

    /// A number in a JSON `level`-like field without a syslog context: pino/bunyan steps
    /// (10..60), Monolog's (100 debug .. 600 emergency), and the 0..4 scale of Nextcloud and
    /// friends (0 debug, 1 info, 2 warn, 3 error, 4 fatal). Syslog severities (GELF, journald)
    /// are read with [`Level::from_syslog_severity`].
    pub fn from_number(n: i64) -> Option<Level> {
        match n {
            0 => Some(Level::Debug),
            1 => Some(Level::Info),
            2 => Some(Level::Warn),
            3 => Some(Level::Error),
            4 => Some(Level::Fatal),
            100..=199 => Some(Level::Debug),
            200..=299 => Some(Level::Info),
            300..=399 => Some(Level::Warn),
            400..=499 => Some(Level::Error),
            500..=699 => Some(Level::Fatal),
            _ => Level::from_pino(n),
        }
    }

    /// Parses a level for the command line: contract names and aliases, plus numbers 0..5.
    pub fn parse_user(s: &str) -> Option<Level> {
        if let Some(l) = Level::parse_word(s) {
            return Some(l);
        }
        match s {
            "0" => Some(Level::Trace),
            "1" => Some(Level::Debug),
            "2" => Some(Level::Info),
            "3" => Some(Level::Warn),
            "4" => Some(Level::Error),
            "5" => Some(Level::Fatal),
            _ => None,
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An instant in UTC, with the number of sub-second digits the source wrote, so output can
/// repeat them (`.123` stays `.123`, `.123456` stays `.123456`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    /// Nanoseconds since 1970-01-01T00:00:00Z.
    pub nanos: i64,
    /// Sub-second digits as written in the source (0..=9).
    pub frac_digits: u8,
}

impl Timestamp {
    /// A timestamp from seconds and nanoseconds since the epoch. Nanoseconds in an i64 reach
    /// from 1677 to 2262: a time beyond (a year 9026 in a damaged line) is held at the nearest
    /// end, so it still sorts after (or before) every ordinary time, never wrapped around.
    pub fn from_parts(secs: i64, nanos: u32, frac_digits: u8) -> Timestamp {
        let nanos = secs.saturating_mul(1_000_000_000).saturating_add(i64::from(nanos));
        Timestamp { nanos, frac_digits: frac_digits.min(9) }
    }

    /// The years a parsed time may have (nanoseconds since 1970 in an i64 hold them, with
    /// room to compute).
    pub const YEARS: std::ops::RangeInclusive<i64> = 1678..=2261;
    /// First second of [`Timestamp::YEARS`]: 1678-01-01T00:00:00Z.
    pub const MIN_SECS: i64 = -9_214_560_000;
    /// First second past [`Timestamp::YEARS`]: 2262-01-01T00:00:00Z.
    pub const END_SECS: i64 = 9_214_646_400;

    /// [`Timestamp::from_parts`] of a time read from a log: None outside 1678 to 2261 (a
    /// damaged year), which nanoseconds in an i64 do not hold with room to compute; the text
    /// is then not taken for a time (it stays a field, or the entry has none).
    pub fn try_from_parts(secs: i64, nanos: u32, frac_digits: u8) -> Option<Timestamp> {
        (Self::MIN_SECS..Self::END_SECS).contains(&secs).then(|| Timestamp::from_parts(secs, nanos, frac_digits))
    }

    /// Whole seconds since the epoch (floor).
    pub fn secs(&self) -> i64 {
        self.nanos.div_euclid(1_000_000_000)
    }

    /// Milliseconds since the epoch (floor).
    pub fn millis(&self) -> i64 {
        self.nanos.div_euclid(1_000_000)
    }

    /// Appends RFC 3339 in UTC with `Z` and the source's sub-second digits.
    pub fn write_rfc3339(&self, out: &mut Vec<u8>) {
        crate::time::write_rfc3339(out, self.nanos, self.frac_digits, 0);
    }

    /// RFC 3339 in UTC as a `String`.
    pub fn to_rfc3339(&self) -> String {
        let mut v = Vec::with_capacity(32);
        self.write_rfc3339(&mut v);
        String::from_utf8(v).unwrap_or_default()
    }
}

/// A field value: a string, or a JSON value kept as its JSON text (numbers, booleans, null,
/// objects and arrays), so nested JSON reaches the output exactly as written.
#[derive(Clone, Debug, PartialEq)]
pub enum Value<'a> {
    /// A string (unescaped).
    Str(Cow<'a, str>),
    /// Valid JSON text of a non-string value.
    Json(Cow<'a, str>),
}

impl Value<'_> {
    /// The value as text: the string itself, or the JSON text.
    pub fn as_text(&self) -> &str {
        match self {
            Value::Str(s) | Value::Json(s) => s,
        }
    }

    /// An owned copy that no longer borrows from the source.
    pub fn into_owned(self) -> Value<'static> {
        match self {
            Value::Str(s) => Value::Str(Cow::Owned(s.into_owned())),
            Value::Json(s) => Value::Json(Cow::Owned(s.into_owned())),
        }
    }
}

/// The well-known fields that the contract lifts to the top level.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum WellKnown {
    /// The service, logger or component.
    Service,
    /// The host, hostname or instance.
    Host,
    /// The user.
    User,
    /// The client IP address.
    Ip,
    /// The request (or trace, span root, correlation) id.
    RequestId,
}

impl WellKnown {
    /// All of them, in contract order.
    pub const ALL: [WellKnown; 5] =
        [WellKnown::Service, WellKnown::Host, WellKnown::User, WellKnown::Ip, WellKnown::RequestId];

    /// The contract key.
    pub fn key(self) -> &'static str {
        match self {
            WellKnown::Service => "service",
            WellKnown::Host => "host",
            WellKnown::User => "user",
            WellKnown::Ip => "ip",
            WellKnown::RequestId => "request_id",
        }
    }

    /// Parses a contract key (`service`, `host`, `user`, `ip`, `request_id`).
    pub fn from_key(k: &str) -> Option<WellKnown> {
        Some(match k {
            "service" => WellKnown::Service,
            "host" => WellKnown::Host,
            "user" => WellKnown::User,
            "ip" => WellKnown::Ip,
            "request_id" => WellKnown::RequestId,
            _ => return None,
        })
    }
}

/// One normalized log entry. Borrowed parts point into the source bytes.
#[derive(Clone, Debug, Default)]
pub struct Entry<'a> {
    /// Index of the source in the run's source list.
    pub source: u32,
    /// 1-based number of the entry's first line in its file.
    pub line_no: u64,
    /// Byte offset of the entry's first line in its file.
    pub offset: u64,
    /// All the entry's lines as read, without the final line terminator.
    pub raw: &'a [u8],
    /// Number of physical lines in the entry.
    pub lines: u32,
    /// Whether the entry's last line ended with a newline (false only at the end of a file
    /// that does not end with one).
    pub eol: bool,
    /// The instant, when the entry has one.
    pub ts: Option<Timestamp>,
    /// The normalized level, when the entry has one.
    pub level: Option<Level>,
    /// The message; continuation lines joined with `\n`.
    pub msg: Cow<'a, str>,
    /// Name of the format that parsed it.
    pub format: &'static str,
    /// Well-known fields, indexed by `WellKnown as usize`.
    pub known: [Option<Cow<'a, str>>; 5],
    /// Every other extracted field under its original name.
    pub fields: Vec<(Cow<'a, str>, Value<'a>)>,
    /// Set by the parser when every text of the entry is a piece of one line of printable
    /// ASCII without a backslash (a JSON line that needed no unescaping): then none of it
    /// needs escaping when written as JSON, and writers may copy it as it is.
    pub clean: bool,
}

impl<'a> Entry<'a> {
    /// Resets the entry for reuse, keeping its allocations.
    pub fn clear(&mut self) {
        self.ts = None;
        self.level = None;
        self.msg = Cow::Borrowed("");
        self.format = "raw";
        for k in self.known.iter_mut() {
            *k = None;
        }
        self.fields.clear();
        self.lines = 1;
        self.clean = false;
    }

    /// A well-known field.
    pub fn get_known(&self, k: WellKnown) -> Option<&str> {
        self.known[k as usize].as_deref()
    }

    /// Sets a well-known field unless it is already set (the first alias found wins).
    pub fn set_known(&mut self, k: WellKnown, v: Cow<'a, str>) -> bool {
        let slot = &mut self.known[k as usize];
        if slot.is_none() && !v.is_empty() && v != "-" {
            *slot = Some(v);
            true
        } else {
            false
        }
    }

    /// Looks a field up by name: contract keys first (`msg`, `level`, `ts`, `service`, ...,
    /// `source`, `format`), then `fields` by exact name, then a dotted path into nested
    /// JSON (`req.method`), with or without a leading `fields.`.
    pub fn field(&self, name: &str) -> Option<Cow<'_, str>> {
        match name {
            "msg" | "message" => return Some(Cow::Borrowed(&self.msg)),
            "level" => return self.level.map(|l| Cow::Borrowed(l.as_str())),
            "ts" | "time" => return self.ts.map(|t| Cow::Owned(t.to_rfc3339())),
            "format" => return Some(Cow::Borrowed(self.format)),
            "line" => return Some(Cow::Owned(self.line_no.to_string())),
            _ => {}
        }
        if let Some(k) = WellKnown::from_key(name) {
            if let Some(v) = self.get_known(k) {
                return Some(Cow::Borrowed(v));
            }
        }
        let name = name.strip_prefix("fields.").unwrap_or(name);
        for (k, v) in &self.fields {
            if k == name {
                return Some(Cow::Borrowed(v.as_text()));
            }
        }
        // An alias of a well-known field (`UserName` finds `user`).
        if let Some(crate::format::alias::Role::Known(w)) = crate::format::alias::lookup(name) {
            if let Some(v) = self.get_known(w) {
                return Some(Cow::Borrowed(v));
            }
        }
        // Dotted path: the longest key that is a prefix, then descend into its JSON.
        let mut cut = name.len();
        while let Some(dot) = name[..cut].rfind('.') {
            let (head, rest) = (&name[..dot], &name[dot + 1..]);
            for (k, v) in &self.fields {
                if k == head {
                    if let Value::Json(j) = v {
                        return crate::format::json::lookup_path(j, rest);
                    }
                }
            }
            cut = dot;
        }
        None
    }

    /// The raw text lossily decoded (invalid UTF-8 replaced).
    pub fn raw_text(&self) -> Cow<'a, str> {
        String::from_utf8_lossy(self.raw)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn level_words() {
        for (w, l) in [
            ("INFO", Level::Info),
            ("warning", Level::Warn),
            ("Err", Level::Error),
            ("crit", Level::Fatal),
            ("notice", Level::Info),
            ("panic", Level::Fatal),
            ("emerg", Level::Fatal),
            ("SEVERE", Level::Error),
            ("FINE", Level::Debug),
            ("FINEST", Level::Trace),
            ("DEBUG5", Level::Debug),
            ("CRITICAL", Level::Fatal),
        ] {
            assert_eq!(Level::parse_word(w), Some(l), "{w}");
        }
        for w in ["", "in", "informative", "debugging", "STATS", "error2", "warn "] {
            assert_eq!(Level::parse_word(w), None, "{w}");
        }
    }

    #[test]
    fn level_numbers() {
        assert_eq!(Level::from_number(30), Some(Level::Info));
        assert_eq!(Level::from_number(60), Some(Level::Fatal));
        assert_eq!(Level::from_number(3), Some(Level::Error));
        assert_eq!(Level::from_number(1), Some(Level::Info));
        assert_eq!(Level::from_number(6), None);
        assert_eq!(Level::from_number(300), Some(Level::Warn));
        assert_eq!(Level::from_syslog_severity(6), Level::Info);
        assert_eq!(Level::from_letter(b'W'), Some(Level::Warn));
        assert_eq!(Level::from_letter(b'x'), None);
    }

    #[test]
    fn rfc3339_keeps_digits() {
        let t = Timestamp::from_parts(1_794_614_400, 123_000_000, 3);
        assert_eq!(t.to_rfc3339(), "2026-11-14T00:00:00.123Z");
        let t = Timestamp::from_parts(1_794_614_400, 0, 0);
        assert_eq!(t.to_rfc3339(), "2026-11-14T00:00:00Z");
        let t = Timestamp::from_parts(-1, 500_000_000, 1);
        assert_eq!(t.to_rfc3339(), "1969-12-31T23:59:59.5Z");
    }

    #[test]
    fn a_time_beyond_the_range_is_held_at_its_end() {
        // 9026-11-14 and 1000-01-01: past what nanoseconds in an i64 hold
        let late = Timestamp::from_parts(222_626_736_000, 15_000_000, 3);
        let early = Timestamp::from_parts(-30_610_224_000, 0, 0);
        let now = Timestamp::from_parts(1_794_614_400, 0, 0);
        assert_eq!((late.nanos, early.nanos), (i64::MAX, i64::MIN));
        assert!(early < now && now < late);
        assert_eq!(late.to_rfc3339(), "2262-04-11T23:47:16.854Z");
        // the bounds of a parsed time are the years it names
        let first_day = |y| crate::time::days_from_civil(y, 1, 1) * 86_400;
        assert_eq!(Timestamp::MIN_SECS, first_day(*Timestamp::YEARS.start()));
        assert_eq!(Timestamp::END_SECS, first_day(Timestamp::YEARS.end() + 1));
        assert!(Timestamp::try_from_parts(Timestamp::MIN_SECS - 1, 0, 0).is_none());
        assert!(Timestamp::try_from_parts(Timestamp::END_SECS - 1, 0, 0).is_some());
        assert!(Timestamp::try_from_parts(Timestamp::END_SECS, 0, 0).is_none());
        assert_eq!(early.to_rfc3339(), "1677-09-21T00:12:43Z");
    }
}
