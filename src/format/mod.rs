//! Formats: detection from a file's first lines, and parsing of each entry into the
//! normalized [`Entry`].
//!
//! A [`Parser`] holds the detected [`Format`] of one source and answers two questions: does
//! this line start a new entry ([`Parser::starts_entry`], a per-line test that chunked and
//! parallel readers rely on), and what is this entry ([`Parser::parse`]). Lines that the
//! file's format does not understand fall back per line to the other formats, then join the
//! entry before them (stack traces, continuation lines), and otherwise become `raw` entries:
//! nothing is dropped.

pub mod access;
pub mod alias;
pub mod custom;
pub mod json;
pub mod logfmt;
pub mod syslog;
pub mod text;

use std::borrow::Cow;
use std::sync::Arc;

use crate::entry::{Entry, Value, WellKnown};
use crate::time::{Resolver, Shape};
use text::TextLayout;

/// The format of a source, as detected (or forced with `--format`).
#[derive(Clone, Debug)]
pub enum Format {
    /// One JSON object per entry (any dialect: pino, bunyan, zap, logrus, ECS, structlog,
    /// Serilog, GELF, journald, Docker's json-file), with the dialect of the file when known
    /// (entries are named after it; it says how numeric levels read).
    Json(Option<&'static str>),
    /// logfmt.
    Logfmt,
    /// The text family, with its learned layout.
    Text(TextLayout),
    /// syslog (RFC 3164 and 5424).
    Syslog,
    /// Apache/Nginx access log.
    Access,
    /// Kubernetes CRI container log.
    Cri,
    /// `docker compose logs` output: `name  | line`, the inner line detected again.
    Compose,
    /// A user-defined format.
    Custom(Arc<custom::CustomFormat>),
    /// Nothing recognised: one entry per line.
    Raw,
}

impl Format {
    /// The format's name.
    pub fn name(&self) -> &str {
        match self {
            Format::Json(_) => "json",
            Format::Logfmt => "logfmt",
            Format::Text(l) => l.name,
            Format::Syslog => "syslog",
            Format::Access => "access",
            Format::Cri => "cri",
            Format::Compose => "compose",
            Format::Custom(c) => &c.name,
            Format::Raw => "raw",
        }
    }
}

/// A built-in format as `logx formats` lists it, with sample lines that detection must
/// recognise as this format (checked by a test).
pub struct FormatInfo {
    /// Name (as `--format` takes it).
    pub name: &'static str,
    /// What it covers.
    pub description: &'static str,
    /// Sample lines.
    pub samples: &'static [&'static str],
}

/// The built-in formats.
pub const BUILTIN: &[FormatInfo] = &[
    FormatInfo {
        name: "json",
        description: "JSON lines: pino, bunyan, zap (Pydio Cells), logrus, ECS, structlog, Serilog compact, GELF, journald export, Docker json-file, nested objects",
        samples: &[
            r#"{"level":30,"time":1794614400123,"pid":42,"hostname":"directus-1","reqId":"r1","msg":"request completed"}"#,
            r#"{"level":"info","ts":"2026-11-14T00:00:00.123Z","logger":"pydio.grpc.tree","msg":"listing folder","SpanRootUuid":"r1","RemoteAddress":"10.0.0.1","UserName":"alice"}"#,
        ],
    },
    FormatInfo {
        name: "logfmt",
        description: "key=value pairs (logfmt): ts/time, level, msg and any field",
        samples: &[r#"ts=2026-11-14T00:00:00.123Z level=info msg="user alice logged in" service=auth host=web-01"#],
    },
    FormatInfo {
        name: "cri",
        description: "Kubernetes CRI container logs (`<RFC3339Nano> stdout F message`), the inner line detected again",
        samples: &[r#"2026-11-21T10:00:00.123456789Z stdout F {"level":"info","msg":"hello"}"#],
    },
    FormatInfo {
        name: "compose",
        description: "docker compose output (`web-1  | line`), the inner line detected again (JSON, logfmt, timestamped text)",
        samples: &[r#"web-1  | {"level":"warn","ts":1761019822.3157542,"msg":"Caddyfile input is not formatted"}"#],
    },
    FormatInfo {
        name: "access",
        description: "Apache/Nginx access logs, common and combined; level from the status (5xx error, 4xx warn)",
        samples: &[r#"10.0.0.7 - alice [21/Nov/2026:10:00:00 +0000] "GET /index.html HTTP/1.1" 404 512 "-" "curl/8.5.0""#],
    },
    FormatInfo {
        name: "syslog",
        description: "syslog RFC 3164 and RFC 5424, level from the PRI severity or the message's leading word",
        samples: &["Nov 21 10:00:00 web-01 sshd[901]: Accepted publickey for alice from 10.0.0.7 port 51514 ssh2"],
    },
    FormatInfo {
        name: "apache_error",
        description: "Apache error log (`[ctime] [module:level] [pid] [client] message`)",
        samples: &["[Sat Nov 21 10:00:00.123456 2026] [core:error] [pid 35708:tid 4328] [client 10.0.0.7:5000] File does not exist: /var/www/favicon.ico"],
    },
    FormatInfo {
        name: "nginx_error",
        description: "nginx error log (`2026/11/21 10:00:00 [error] 1#2: *3 message, client: ...`)",
        samples: &[r#"2026/11/21 10:00:00 [error] 1234#0: *5 open() "/srv/x" failed (2: No such file or directory), client: 10.0.0.7, server: example.com, request: "GET /x HTTP/1.1""#],
    },
    FormatInfo {
        name: "glog",
        description: "glog/klog (`I1121 10:00:00.123456 1234 file.cc:42] message`)",
        samples: &["I1121 10:00:00.123456    1234 server.cc:42] listening on :8080"],
    },
    FormatInfo {
        name: "text",
        description: "timestamp [level] [component] message: Python logging, log4j/logback, Go log, env_logger/tracing, zap console (tab-separated, Pydio Cells' default), level-tagged text, loghub system logs",
        samples: &[
            "2026-11-21 10:00:00,123 - auth - WARNING - token expired for bob",
            "2026-11-21T10:00:00.000Z\tINFO\tpydio.grpc.tree\tlisting folder\t{\"UserName\":\"alice\"}",
            "2026-11-21 10:00:00 [warning] disk at 91%",
        ],
    },
    FormatInfo { name: "raw", description: "anything else: one entry per line, level null", samples: &["Hello, World!"] },
];

/// A format name as a `&'static str` (names of built-in formats are static; the few others
/// are interned once).
pub fn intern(name: &str) -> &'static str {
    const STATIC: &[&str] = &[
        "json",
        "pino",
        "bunyan",
        "zap",
        "logrus",
        "ecs",
        "structlog",
        "serilog",
        "gelf",
        "journald",
        "docker",
        "logfmt",
        "text",
        "apache_error",
        "nginx_error",
        "glog",
        "syslog",
        "syslog5424",
        "access",
        "cri",
        "compose",
        "raw",
        "custom",
    ];
    if let Some(s) = STATIC.iter().find(|s| **s == name) {
        return s;
    }
    static OTHERS: std::sync::Mutex<Vec<&'static str>> = std::sync::Mutex::new(Vec::new());
    let mut others = OTHERS.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(s) = others.iter().find(|s| **s == name) {
        return s;
    }
    let s: &'static str = Box::leak(name.to_string().into_boxed_str());
    others.push(s);
    s
}

/// Bytes of a JSON line validated first when only its time and level are read.
const JSON_HEAD: usize = 128;

/// JSON dialect names accepted by `--format` as the json format.
pub const JSON_DIALECTS: &[&str] =
    &["pino", "bunyan", "zap", "logrus", "ecs", "structlog", "serilog", "gelf", "journald", "docker"];

/// Result of detection.
#[derive(Clone, Debug)]
pub struct Detection {
    /// The format chosen.
    pub format: Format,
    /// Lines of the sample it recognised.
    pub matched: usize,
    /// Non-empty lines sampled.
    pub sampled: usize,
}

impl Detection {
    /// Share of sampled lines recognised (0..=1).
    pub fn confidence(&self) -> f64 {
        if self.sampled == 0 {
            0.0
        } else {
            self.matched as f64 / self.sampled as f64
        }
    }
}

/// Lines (without terminator or `\r`) of a sample: at most `max_lines` non-empty ones.
pub fn sample_lines(sample: &[u8], max_lines: usize) -> Vec<&[u8]> {
    let mut out = Vec::new();
    for line in sample.split(|&c| c == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.iter().all(|c| c.is_ascii_whitespace()) {
            continue;
        }
        out.push(line);
        if out.len() >= max_lines {
            break;
        }
    }
    // A last line cut by the sample boundary is not evidence.
    if sample.len() >= 4096 && !sample.ends_with(b"\n") && out.len() > 1 {
        out.pop();
    }
    out
}

/// Detects the format of a file from its first bytes (a few hundred lines are enough).
pub fn detect(sample: &[u8]) -> Detection {
    let lines = sample_lines(sample, 200);
    let n = lines.len();
    let strs: Vec<Cow<str>> = lines.iter().map(|l| String::from_utf8_lossy(l)).collect();
    let json = strs.iter().filter(|l| l.starts_with('{') && json::scan_object(l, |_, _, _| {}).is_ok()).count();
    // Objects spread over several lines: an opening line that is incomplete counts too.
    let json_open = strs
        .iter()
        .filter(|l| l.starts_with('{') && json::scan_object(l, |_, _, _| {}) == Err(json::JsonError::Incomplete))
        .count();
    let cri = strs.iter().filter(|l| cri_split(l).is_some()).count();
    let compose = strs.iter().filter(|l| compose_split(l).is_some()).count();
    let compose = if compose * 2 > n { compose } else { 0 };
    let access = strs.iter().filter(|l| access::matches(l)).count();
    let strict = lines.iter().filter(|l| syslog::matches_strict(l)).count();
    let syslog = if strict * 2 >= n { lines.iter().filter(|l| syslog::matches(l)).count() } else { strict };
    let logfmt = strs.iter().filter(|l| logfmt::looks_like(l)).count();
    let text = text::learn(&lines);
    let text_n = text.as_ref().map_or(0, |(_, m)| *m);
    let candidates =
        [(json + json_open, 0), (cri, 1), (access, 2), (syslog, 3), (logfmt, 4), (text_n, 5), (compose, 6)];
    let best =
        candidates.iter().filter(|(m, _)| *m > 0).max_by_key(|(m, pri)| (*m, *pri == 6, std::cmp::Reverse(*pri)));
    let (matched, format) = match best {
        None => (0, Format::Raw),
        Some(&(m, pri)) => (
            m,
            match pri {
                0 => Format::Json(json_dialect(&strs)),
                1 => Format::Cri,
                2 => Format::Access,
                3 => Format::Syslog,
                4 => Format::Logfmt,
                6 => Format::Compose,
                _ => Format::Text(text.map(|(l, _)| l).unwrap_or_else(|| TextLayout::adhoc(Shape::Iso))),
            },
        ),
    };
    // When few of the lines that are not continuations match, the file is mostly something
    // else: read it line by line (each line still tries every format on its own).
    let anchored = matches!(&format, Format::Text(l) if l.anchored);
    let line_based = !matches!(format, Format::Json(_) | Format::Compose | Format::Raw);
    if line_based && !anchored {
        let cont = lines.iter().filter(|l| is_continuation(l)).count();
        let effective = n.saturating_sub(cont);
        if matched * 10 < effective * 3 {
            return Detection { format: Format::Raw, matched, sampled: n };
        }
    }
    Detection { format, matched, sampled: n }
}

/// Resolves a `--format` name against a sample (the text family still learns its layout).
///
/// # Errors
/// When the name is not a format, with the closest name suggested.
pub fn forced(name: &str, sample: &[u8]) -> Result<Format, String> {
    let lower = name.to_ascii_lowercase();
    if let Some(d) = JSON_DIALECTS.iter().find(|d| **d == lower) {
        return Ok(Format::Json(Some(d)));
    }
    Ok(match lower.as_str() {
        "json" | "jsonl" | "ndjson" => Format::Json(None),
        "logfmt" => Format::Logfmt,
        "syslog" | "syslog5424" => Format::Syslog,
        "access" | "apache" | "nginx" | "combined" | "common" => Format::Access,
        "cri" | "kubernetes" => Format::Cri,
        "compose" | "docker-compose" => Format::Compose,
        "raw" | "plain" => Format::Raw,
        "text" | "apache_error" | "nginx_error" | "glog" => {
            let lines = sample_lines(sample, 200);
            match text::learn(&lines) {
                Some((l, _)) => Format::Text(l),
                None => Format::Raw,
            }
        }
        _ => {
            let mut names: Vec<&str> = BUILTIN.iter().map(|f| f.name).collect();
            names.extend_from_slice(JSON_DIALECTS);
            return Err(match crate::suggest::closest(name, &names) {
                Some(s) => format!("unknown format '{name}' (did you mean '{s}'?); `logx formats` lists them"),
                None => format!("unknown format '{name}'; `logx formats` lists them"),
            });
        }
    })
}

/// Whether a line continues the entry before it wherever it appears: indented lines, stack
/// frames, `Caused by:`, `Traceback`, exception headers, closing brackets.
pub fn is_continuation(line: &[u8]) -> bool {
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let Some(&c) = line.first() else { return true };
    if c == b' ' || c == b'\t' {
        return true;
    }
    if matches!(c, b'}' | b']' | b')') {
        return true;
    }
    const STARTS: [&[u8]; 9] = [
        b"at ",
        b"Caused by",
        b"Traceback",
        b"...",
        b"Suppressed: ",
        b"[stacktrace]",
        b"Stack trace:",
        b"--> ",
        b"During handling",
    ];
    if STARTS.iter().any(|s| line.starts_with(s)) {
        return true;
    }
    // PHP/Laravel frames: `#0 /var/www/...`
    if c == b'#' && line.get(1).is_some_and(|d| d.is_ascii_digit()) {
        return true;
    }
    exception_header(line)
}

/// `java.lang.NullPointerException: ...`, `org.postgresql.util.PSQLException: ERROR: ...`.
fn exception_header(line: &[u8]) -> bool {
    let end = line.iter().position(|&c| c == b':' || c == b' ').unwrap_or(line.len());
    let name = &line[..end];
    if name.len() < 6 || !name.contains(&b'.') || end == line.len() && !name.ends_with(b"Exception") {
        return false;
    }
    let ok_chars = name.iter().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'$'));
    ok_chars
        && (name.ends_with(b"Exception") || name.ends_with(b"Error") || name.ends_with(b"Throwable"))
        && (end == line.len() || line[end] == b':')
}

/// The dialect most of a sample's JSON lines are written in (None when they disagree or are
/// plain JSON).
fn json_dialect(lines: &[Cow<str>]) -> Option<&'static str> {
    let mut counts: std::collections::HashMap<&'static str, usize> = std::collections::HashMap::new();
    let mut n = 0;
    for l in lines.iter().filter(|l| l.starts_with('{')) {
        if let Some(d) = json::line_dialect(l) {
            *counts.entry(d).or_default() += 1;
            n += 1;
        }
    }
    let (d, c) = counts.into_iter().max_by_key(|(_, c)| *c)?;
    // Docker wraps other lines: those keep their own parse.
    (c * 10 >= n * 9 && d != "json" && d != "docker").then_some(d)
}

/// `docker compose logs` lines: `name  | rest` (after optional ANSI erase codes); returns
/// (container name, rest).
pub fn compose_split(line: &str) -> Option<(&str, &str)> {
    let mut s = line;
    while let Some(rest) = s.strip_prefix("\x1b[") {
        let end = rest.find(|c: char| c.is_ascii_alphabetic())?;
        s = &rest[end + 1..];
    }
    let name_end = s.find(' ')?;
    let name = &s[..name_end];
    if name.is_empty() || !name.bytes().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.')) {
        return None;
    }
    let rest = s[name_end..].trim_start_matches(' ');
    let inner = rest.strip_prefix("| ").or_else(|| rest.trim_end_matches('\r').eq("|").then_some(""))?;
    Some((name, inner))
}

fn parse_compose<'a>(line: &'a str, e: &mut Entry<'a>, r: &mut Resolver) -> bool {
    let Some((name, inner)) = compose_split(line) else { return false };
    let inner = inner.trim_end_matches('\r');
    let parsed = (inner.starts_with('{') && json::parse_entry(inner, e, r).is_ok()) || {
        e.fields.clear();
        if logfmt::looks_like(inner) {
            logfmt::parse_entry(inner, e, r);
            true
        } else {
            text::ts_within(inner.as_bytes(), 3)
                .is_some_and(|(shape, k)| TextLayout::adhoc_at(shape, k).parse(inner, e, r))
        }
    };
    if !parsed {
        e.msg = Cow::Borrowed(inner);
    }
    e.format = "compose";
    e.set_known(WellKnown::Host, Cow::Borrowed(name));
    true
}

/// CRI: `<RFC3339Nano> <stdout|stderr> <F|P> <message>`.
fn cri_split(line: &str) -> Option<(crate::time::Parsed, &str, &str, &str)> {
    let b = line.as_bytes();
    if !b.first()?.is_ascii_digit() {
        return None;
    }
    let (p, n) = crate::time::parse_shape(b, Shape::Iso)?;
    if p.offset.is_none() || b.get(10) != Some(&b'T') {
        return None;
    }
    let rest = line[n..].strip_prefix(' ')?;
    let (stream, rest) = rest.split_once(' ')?;
    if stream != "stdout" && stream != "stderr" {
        return None;
    }
    let (tag, msg) = rest.split_once(' ').unwrap_or((rest, ""));
    if tag != "F" && tag != "P" {
        return None;
    }
    Some((p, stream, tag, msg))
}

/// Parses one source's entries; one per thread (it caches zone offsets).
#[derive(Clone, Debug)]
pub struct Parser {
    /// The source's format.
    pub format: Format,
    /// Completes naive and year-less timestamps.
    pub resolver: Resolver,
    /// Whether lines the format does not understand try the other formats (off when the
    /// user forced a format).
    pub fallback: bool,
}

impl Parser {
    /// A parser for a format, reading naive timestamps with a resolver.
    pub fn new(format: Format, resolver: Resolver) -> Parser {
        Parser { format, resolver, fallback: true }
    }

    /// Whether a line that begins with `first` starts a new entry whatever follows (a JSON
    /// file's `{`): [`Parser::starts_entry`] without looking for the line's end.
    #[inline]
    pub fn opens_entry(&self, first: u8) -> bool {
        first == b'{' && matches!(self.format, Format::Json(_))
    }

    /// Whether `line` (without its `\n`) starts a new entry. Pure per line, so that
    /// chunked and parallel readers agree on entry boundaries.
    #[inline]
    pub fn starts_entry(&self, line: &[u8]) -> bool {
        let l = line.strip_suffix(b"\r").unwrap_or(line);
        match &self.format {
            Format::Json(_) => {
                if l.first() == Some(&b'{') {
                    return true;
                }
                !is_continuation(l)
            }
            Format::Text(layout) => {
                if layout.matches(l) {
                    return true;
                }
                if is_continuation(l) {
                    return false;
                }
                (l.first() == Some(&b'{') && l.last() == Some(&b'}')) || text::ts_at_start(l).is_some()
            }
            Format::Syslog => {
                if syslog::matches(l) {
                    return true;
                }
                if is_continuation(l) {
                    return false;
                }
                (l.first() == Some(&b'{') && l.last() == Some(&b'}')) || text::ts_at_start(l).is_some()
            }
            Format::Custom(c) => {
                if c.starts_entry(l) {
                    return true;
                }
                // With a continuation rule, lines that match it continue and others stand
                // alone; without one, lines that do not match continue (unless strict).
                match &c.continuation {
                    Some(re) => !re.is_match(&String::from_utf8_lossy(l)),
                    None => c.strict_lines,
                }
            }
            Format::Compose => {
                std::str::from_utf8(l).map_or(true, |s| compose_split(s).is_some()) || !is_continuation(l)
            }
            Format::Cri | Format::Access | Format::Logfmt | Format::Raw => !is_continuation(l),
        }
    }

    /// Fills only `ts`, `level`, `format` (and `msg` when `want_msg`) of `e` when that can
    /// be done without building fields (JSON and the text family); otherwise parses fully.
    /// For counting, statistics and message searches. Without `want_facts` (a message
    /// counted, whatever its time and level), a JSON line's time and level are not read
    /// (they may be left empty).
    pub fn parse_lite<'a>(&mut self, e: &mut Entry<'a>, want_msg: bool, want_facts: bool) {
        debug_assert!(want_msg || want_facts);
        let raw = e.raw;
        // A span of one line holds no newline (the line iterator cut it there).
        let first = match if e.lines == 1 { None } else { memchr::memchr(b'\n', raw) } {
            Some(i) => &raw[..i],
            None => raw,
        };
        let first = first.strip_suffix(b"\r").unwrap_or(first);
        match &self.format {
            Format::Json(dialect) if first.first() == Some(&b'{') && e.lines == 1 => {
                let closed = first.trim_ascii_end().ends_with(b"}");
                // With the file's dialect known, reading stops at the time and level keys,
                // which sit in the first bytes as a rule (the message often comes last, so
                // not when it is wanted): only those are validated as UTF-8
                // (the rest of the line is not read; bytes that are not UTF-8 there would be
                // replaced by the full parse, whose time and level are these).
                if dialect.is_some() && !want_msg && first.len() > JSON_HEAD {
                    let head = &first[..JSON_HEAD];
                    let head = match simdutf8::compat::from_utf8(head) {
                        Ok(s) => Some(s),
                        // A character cut at the end of the head
                        Err(err) if err.error_len().is_none() => {
                            simdutf8::basic::from_utf8(&head[..err.valid_up_to()]).ok()
                        }
                        Err(_) => None,
                    };
                    if let Some(f) =
                        head.and_then(|s| json::facts(s, closed, &mut self.resolver, *dialect, false, true))
                    {
                        Self::set_facts(e, f);
                        return;
                    }
                }
                if let Ok(s) = simdutf8::basic::from_utf8(first) {
                    if let Some(f) = json::facts(s, closed, &mut self.resolver, *dialect, want_msg, want_facts) {
                        Self::set_facts(e, f);
                        return;
                    }
                }
            }
            Format::Text(layout) if !want_msg => {
                if let Some((ts, level)) = layout.facts(first, &mut self.resolver) {
                    e.ts = ts;
                    e.level = level;
                    e.format = layout.name;
                    return;
                }
            }
            Format::Text(layout) if e.lines == 1 => {
                if let Ok(s) = simdutf8::basic::from_utf8(first) {
                    if layout.parse_with(s, e, &mut self.resolver, false) {
                        return;
                    }
                    e.fields.clear();
                    e.known = Default::default();
                }
            }
            _ => {}
        }
        self.parse(e);
    }

    fn set_facts<'a>(e: &mut Entry<'a>, f: json::Facts<'a>) {
        let (ts, level, format, msg) = f;
        e.ts = ts;
        e.level = level;
        e.format = format;
        if let Some(m) = msg {
            e.msg = m;
        }
    }

    /// Fills `e` (whose `raw` and `lines` the caller has set) from the entry's bytes.
    pub fn parse<'a>(&mut self, e: &mut Entry<'a>) {
        let raw = e.raw;
        e.clean = false;
        // A JSON line of printable ASCII without a backslash (most are): valid UTF-8, and its
        // strings end at their next quote.
        if e.lines == 1 && matches!(self.format, Format::Json(_)) && json::is_clean(raw) {
            // SAFETY: every byte of a clean text is printable ASCII, so it is valid UTF-8.
            let s = unsafe { std::str::from_utf8_unchecked(raw) };
            self.parse_str(s, e, true);
            return;
        }
        // SIMD validation: the common case (valid text) is checked at memory speed.
        match simdutf8::basic::from_utf8(raw) {
            Ok(s) => self.parse_str(s, e, false),
            Err(_) => {
                // Invalid UTF-8: parse a lossy copy, then keep owned values.
                let lossy = String::from_utf8_lossy(raw).into_owned();
                let mut tmp = Entry { lines: e.lines, ..Entry::default() };
                self.parse_str(&lossy, &mut tmp, false);
                e.ts = tmp.ts;
                e.level = tmp.level;
                e.format = tmp.format;
                e.msg = Cow::Owned(tmp.msg.into_owned());
                for (i, k) in tmp.known.iter_mut().enumerate() {
                    e.known[i] = k.take().map(|v| Cow::Owned(v.into_owned()));
                }
                e.fields.extend(tmp.fields.drain(..).map(|(k, v)| (Cow::Owned(k.into_owned()), v.into_owned())));
            }
        }
    }

    /// `clean`: `whole` is one line known to be [`json::is_clean`] (false: not known).
    fn parse_str<'a>(&mut self, whole: &'a str, e: &mut Entry<'a>, clean: bool) {
        let nl = if e.lines == 1 { None } else { memchr::memchr(b'\n', whole.as_bytes()) };
        let first_full = match nl {
            Some(i) => &whole[..i],
            None => whole,
        };
        let first = first_full.strip_suffix('\r').unwrap_or(first_full);
        let r = &mut self.resolver;
        let mut whole_parsed = false;
        let ok = match &self.format {
            Format::Json(dialect) if first.starts_with('{') => {
                if nl.is_some() && json::parse_entry(whole, e, r).is_ok() {
                    whole_parsed = true;
                } else {
                    e.fields.clear();
                    whole_parsed = false;
                }
                let ok = whole_parsed || json::parse_entry_in(first, clean, e, r).is_ok();
                if ok {
                    if let Some(d) = dialect {
                        json::apply_dialect(e, d);
                    }
                }
                ok
            }
            Format::Json(_) => false,
            Format::Text(layout) => layout.parse(first, e, r),
            Format::Syslog => syslog::parse(first, e, r),
            Format::Access => access::parse(first, e, r),
            Format::Logfmt => {
                if logfmt::looks_like(first) {
                    logfmt::parse_entry(first, e, r);
                    true
                } else {
                    false
                }
            }
            Format::Cri => parse_cri(first, e, r),
            Format::Compose => parse_compose(first, e, r),
            Format::Custom(c) => c.parse(first, e, r),
            Format::Raw => false,
        };
        if !ok {
            e.fields.clear();
            for k in e.known.iter_mut() {
                *k = None;
            }
            e.ts = None;
            e.level = None;
            if self.fallback {
                fallback(first, e, r);
            } else {
                e.format = "raw";
                e.msg = Cow::Borrowed(first);
            }
        }
        if e.format == "docker" {
            unwrap_docker(e, r);
        }
        if nl.is_some() && !whole_parsed {
            join_continuation(whole, first_full, e);
        }
        // A JSON object of one line of printable ASCII with no backslash: its keys and
        // values were taken as they are (nothing unescaped) and hold nothing to escape.
        e.clean = ok && clean && e.format != "docker";
    }
}

/// Per-line fallback: JSON, logfmt, any timestamped text, syslog, access, else raw.
fn fallback<'a>(line: &'a str, e: &mut Entry<'a>, r: &mut Resolver) {
    let b = line.as_bytes();
    if b.first() == Some(&b'{') && json::parse_entry(line, e, r).is_ok() {
        return;
    }
    e.fields.clear();
    if logfmt::looks_like(line) {
        logfmt::parse_entry(line, e, r);
        return;
    }
    if syslog::matches_strict(b) && syslog::parse(line, e, r) {
        return;
    }
    if access::parse(line, e, r) {
        return;
    }
    if let Some((_, _, _, shape)) = text::ts_at_start(b) {
        let l = TextLayout::adhoc(shape);
        if l.parse(line, e, r) {
            return;
        }
    }
    e.format = "raw";
    e.msg = Cow::Borrowed(line);
}

/// Appends the entry's continuation lines to its message (`\n`-joined, `\r` removed),
/// borrowing when the message runs to the end of the first line and there is no `\r`.
fn join_continuation<'a>(whole: &'a str, first_full: &'a str, e: &mut Entry<'a>) {
    let rest = &whole[first_full.len() + 1..];
    if let Cow::Borrowed(m) = e.msg {
        let m_end = m.as_ptr() as usize + m.len();
        let first_end = first_full.as_ptr() as usize + first_full.len();
        let m_start = m.as_ptr() as usize;
        let w_start = whole.as_ptr() as usize;
        if m_end == first_end
            && m_start >= w_start
            && m_start <= first_end
            && memchr::memchr(b'\r', whole.as_bytes()).is_none()
        {
            let off = m_start - w_start;
            e.msg = Cow::Borrowed(whole[off..].trim_end_matches('\n'));
            return;
        }
    }
    let mut s = String::with_capacity(e.msg.len() + rest.len() + 1);
    s.push_str(e.msg.trim_end_matches('\r'));
    for line in rest.split('\n') {
        s.push('\n');
        s.push_str(line.strip_suffix('\r').unwrap_or(line));
    }
    while s.ends_with('\n') {
        s.pop();
    }
    e.msg = Cow::Owned(s);
}

fn parse_cri<'a>(line: &'a str, e: &mut Entry<'a>, r: &mut Resolver) -> bool {
    let Some((p, stream, tag, msg)) = cri_split(line) else { return false };
    let outer = r.resolve(&p);
    if msg.starts_with('{') && json::parse_entry(msg, e, r).is_ok() {
        if e.ts.is_none() {
            e.ts = outer;
        }
    } else {
        e.fields.clear();
        let parsed =
            text::ts_at_start(msg.as_bytes()).is_some_and(|(_, _, _, shape)| TextLayout::adhoc(shape).parse(msg, e, r));
        if !parsed {
            e.msg = Cow::Borrowed(msg);
        }
        e.ts = outer;
    }
    e.format = "cri";
    e.fields.push((Cow::Borrowed("stream"), Value::Str(Cow::Borrowed(stream))));
    if tag == "P" {
        e.fields.push((Cow::Borrowed("partial"), Value::Json(Cow::Borrowed("true"))));
    }
    true
}

/// Docker's json-file wraps each line: `{"log":"...\n","stream":"stdout","time":"..."}`.
/// The inner line is detected again (JSON inside, or timestamped text).
fn unwrap_docker<'a>(e: &mut Entry<'a>, r: &mut Resolver) {
    let inner = e.msg.trim_end_matches(['\n', '\r']).to_string();
    let mut tmp = Entry::default();
    let parsed = if inner.starts_with('{') {
        json::parse_entry(&inner, &mut tmp, r).is_ok()
    } else {
        text::ts_at_start(inner.as_bytes())
            .is_some_and(|(_, _, _, shape)| TextLayout::adhoc(shape).parse(&inner, &mut tmp, r))
    };
    if parsed {
        if tmp.ts.is_some() {
            e.ts = tmp.ts;
        }
        e.level = tmp.level.or(e.level);
        e.msg = Cow::Owned(tmp.msg.into_owned());
        for (i, k) in tmp.known.iter_mut().enumerate() {
            if let Some(v) = k.take() {
                e.set_known(WellKnown::ALL[i], Cow::Owned(v.into_owned()));
            }
        }
        e.fields.extend(tmp.fields.drain(..).map(|(k, v)| (Cow::Owned(k.into_owned()), v.into_owned())));
    } else {
        e.msg = Cow::Owned(inner);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entry::Level;
    use crate::time::Zone;

    fn parse_with<'a>(p: &mut Parser, raw: &'a str) -> Entry<'a> {
        let mut e = Entry { raw: raw.as_bytes(), lines: raw.matches('\n').count() as u32 + 1, ..Entry::default() };
        p.parse(&mut e);
        e
    }

    #[test]
    fn builtin_samples_detect_as_their_format() {
        for f in BUILTIN {
            for s in f.samples {
                let d = detect(s.as_bytes());
                let got = match &d.format {
                    Format::Json(_) => "json",
                    other => other.name(),
                };
                assert_eq!(got, f.name, "sample {s}");
                let mut p = Parser::new(d.format.clone(), Resolver::new(Zone::Utc, 1_795_000_000));
                let e = parse_with(&mut p, s);
                assert!(!e.msg.is_empty(), "{s}");
                if f.name != "raw" {
                    assert!(e.ts.is_some(), "{s}");
                }
            }
        }
    }

    #[test]
    fn continuation_rules() {
        for l in [
            "\tat com.x.Y(Y.java:1)",
            "Caused by: java.io.IOException",
            "java.lang.NullPointerException: boom",
            "  Detail: x",
            "#0 /var/www/x.php(1)",
            "",
            "}",
        ] {
            assert!(is_continuation(l.as_bytes()), "{l:?}");
        }
        for l in ["Hello, World!", "panic: foo", "2026-11-21 x", "at10"] {
            assert!(!is_continuation(l.as_bytes()), "{l:?}");
        }
    }

    #[test]
    fn text_file_with_stack_traces() {
        let s = "2026-11-14 00:00:00.100 [ERROR] billing: payment failed user=bob\njava.net.SocketTimeoutException: Read timed out\n\tat a.b(C.java:1)\n2026-11-14 00:00:01.000 [INFO] api: ok\n";
        let d = detect(s.as_bytes());
        let p = Parser::new(d.format.clone(), Resolver::new(Zone::Utc, 0));
        let starts: Vec<bool> = s.lines().map(|l| p.starts_entry(l.as_bytes())).collect();
        assert_eq!(starts, [true, false, false, true]);
        let mut p = p;
        let first = &s[..s.find("\n2026-11-14 00:00:01").unwrap()];
        let e = parse_with(&mut p, first);
        assert_eq!(e.level, Some(Level::Error));
        assert_eq!(
            e.msg,
            "payment failed user=bob\njava.net.SocketTimeoutException: Read timed out\n\tat a.b(C.java:1)"
        );
        assert!(matches!(e.msg, Cow::Borrowed(_)));
    }

    #[test]
    fn mixed_json_file_falls_back_per_line() {
        let s = "{\"ts\":\"2013-09-06T20:00:48.124817Z\",\"lvl\":\"TRACE\",\"msg\":\"t\"}\r\ntimestamp=\"2013-09-06T22:00:50.123000Z\" level=\"INFO\" msg=\"Hello\"\r\npanic: foo\r\n   level1.py:10034\r\n";
        let d = detect(s.as_bytes());
        assert!(matches!(d.format, Format::Json(_)));
        let mut p = Parser::new(d.format, Resolver::new(Zone::Utc, 0));
        let e = parse_with(&mut p, "timestamp=\"2013-09-06T22:00:50.123000Z\" level=\"INFO\" msg=\"Hello\"\r");
        assert_eq!((e.format, e.level), ("logfmt", Some(Level::Info)));
        let e = parse_with(&mut p, "panic: foo\r\n   level1.py:10034\r");
        assert_eq!((e.format, e.msg.as_ref()), ("raw", "panic: foo\n   level1.py:10034"));
        assert!(!p.starts_entry(b"   level1.py:10034\r"));
    }

    #[test]
    fn docker_and_cri_unwrap() {
        let mut p = Parser::new(Format::Json(None), Resolver::new(Zone::Utc, 0));
        let e = parse_with(
            &mut p,
            r#"{"log":"{\"level\":\"error\",\"msg\":\"boom\",\"user\":\"bob\"}\n","stream":"stderr","time":"2026-11-21T10:00:00.5Z"}"#,
        );
        assert_eq!((e.format, e.level, e.msg.as_ref()), ("docker", Some(Level::Error), "boom"));
        assert_eq!(e.get_known(WellKnown::User), Some("bob"));
        let e = parse_with(
            &mut p,
            r#"{"log":"2026-11-21 10:00:01 WARN low disk\n","stream":"stdout","time":"2026-11-21T10:00:01.5Z"}"#,
        );
        assert_eq!((e.level, e.msg.as_ref()), (Some(Level::Warn), "low disk"));
        let mut p = Parser::new(Format::Cri, Resolver::new(Zone::Utc, 0));
        let e = parse_with(&mut p, r#"2026-11-21T10:00:00.123456789Z stdout F {"level":"info","msg":"hello"}"#);
        assert_eq!((e.format, e.msg.as_ref()), ("cri", "hello"));
        assert_eq!(e.ts.unwrap().to_rfc3339(), "2026-11-21T10:00:00.123456789Z");
    }

    /// The light parse of JSON validates only the head of a long line when the time and level
    /// are there: it answers as the full parse does, whatever the rest holds, and reads on
    /// when they are not in the head.
    #[test]
    fn light_json_parse_reads_the_head_and_agrees_with_the_full_parse() {
        let pad = "x".repeat(150);
        let sample = format!("{{\"level\":30,\"time\":1794614400151,\"msg\":\"{pad}\"}}\n").repeat(5);
        let d = detect(sample.as_bytes());
        assert!(matches!(d.format, Format::Json(Some("pino"))), "{:?}", d.format);
        let lines: Vec<Vec<u8>> = vec![
            // bytes that are not UTF-8 past the head
            [&b"{\"level\":40,\"time\":1794614400152,\"msg\":\""[..], pad.as_bytes(), b"\xff\xfe\"}"].concat(),
            // a character cut by the end of the head
            [&b"{\"level\":50,\"time\":1794614400153,\"a\":\""[..], &"é".repeat(60).into_bytes(), b"\"}"].concat(),
            // the level past the head
            [&b"{\"time\":1794614400154,\"a\":\""[..], pad.as_bytes(), b"\",\"level\":20}"].concat(),
            // not closed: a full parse
            [&b"{\"level\":30,\"time\":1794614400155,\"msg\":\""[..], pad.as_bytes(), b"\""].concat(),
        ];
        for (i, raw) in lines.iter().enumerate() {
            assert!(raw.len() > JSON_HEAD);
            let mut p = Parser::new(d.format.clone(), Resolver::new(Zone::Utc, 0));
            let mut lite = Entry { raw, lines: 1, ..Entry::default() };
            p.parse_lite(&mut lite, false, true);
            let mut full = Entry { raw, lines: 1, ..Entry::default() };
            p.parse(&mut full);
            assert_eq!(
                (lite.ts, lite.level, lite.format),
                (full.ts, full.level, full.format),
                "{}",
                String::from_utf8_lossy(raw)
            );
            assert_eq!(lite.ts.is_some(), i < 3, "{}", String::from_utf8_lossy(raw));
        }
    }

    #[test]
    fn invalid_utf8_is_lossy() {
        let raw = b"2026-11-21 10:00:00 INFO caf\xe9 ok";
        let d = detect(raw);
        let mut p = Parser::new(d.format, Resolver::new(Zone::Utc, 0));
        let mut e = Entry { raw, lines: 1, ..Entry::default() };
        p.parse(&mut e);
        assert_eq!(e.msg, "caf\u{fffd} ok");
        assert_eq!(e.level, Some(Level::Info));
    }
}
