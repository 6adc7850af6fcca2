//! Sinks: where entries go. Byte renderers ([`Render`]) write one entry into a buffer: the
//! pretty terminal printer, NDJSON (the contract of `-o json`), logfmt and raw. CSV and XLSX
//! live in the export sinks. Renderers take a `Vec<u8>`, so tests compare bytes.

pub mod csv;
pub mod safe;
pub mod table;
pub mod xlsx;

use std::sync::Arc;

use crate::engine::Collector;
use crate::entry::{Entry, Level, Value, WellKnown};
use crate::format::json::{write_clean_str, write_str};
use crate::query::Query;
use crate::time::Zone;
use std::borrow::Cow;

/// Writes one entry as bytes.
pub trait Render: Send + Sync {
    /// Appends the entry.
    fn render(&self, e: &Entry<'_>, out: &mut Vec<u8>);
}

/// A collector that renders matching entries into a buffer.
pub struct RenderCollector<R: Render + ?Sized> {
    /// The renderer.
    pub r: Arc<R>,
    /// The bytes so far.
    pub buf: Vec<u8>,
    /// Entries rendered so far (this chunk).
    pub count: u64,
}

impl<R: Render + ?Sized> RenderCollector<R> {
    /// A collector around a renderer, writing into a recycled buffer when one is spare.
    pub fn new(r: Arc<R>) -> Self {
        let buf = SPARE.lock().ok().and_then(|mut s| s.pop()).unwrap_or_default();
        RenderCollector { r, buf, count: 0 }
    }
}

/// Rendered chunks' buffers, given back once written: a chunk's output is megabytes, and a
/// fresh allocation of that size is new pages for the kernel to fault in and zero each time.
static SPARE: std::sync::Mutex<Vec<Vec<u8>>> = std::sync::Mutex::new(Vec::new());

/// Gives back the buffer of a rendered chunk once it is written (at most one batch of them
/// is kept, so memory stays what a batch in flight needs).
pub fn recycle(mut buf: Vec<u8>) {
    buf.clear();
    if let Ok(mut s) = SPARE.lock() {
        if s.len() < rayon::current_num_threads().max(1) * 4 {
            s.push(buf);
        }
    }
}

impl<R: Render + ?Sized> Collector for RenderCollector<R> {
    type Out = (Vec<u8>, u64);
    fn entry(&mut self, e: &Entry<'_>) {
        self.r.render(e, &mut self.buf);
        self.count += 1;
    }
    fn take(&mut self) -> (Vec<u8>, u64) {
        (std::mem::take(&mut self.buf), std::mem::take(&mut self.count))
    }
}

/// Counts matching entries.
#[derive(Default)]
pub struct CountCollector(pub u64);

impl Collector for CountCollector {
    type Out = u64;
    fn entry(&mut self, _e: &Entry<'_>) {
        self.0 += 1;
    }
    fn take(&mut self) -> u64 {
        std::mem::take(&mut self.0)
    }
    fn needs(&self) -> crate::engine::Lite {
        crate::engine::Lite::Nothing
    }
    fn take_blocks(&mut self, blocks: &[crate::index::cache::Block], level_mask: Option<u8>) -> bool {
        for b in blocks {
            for li in 0..7 {
                if level_mask.is_none_or(|m| m & (1 << li) != 0) {
                    self.0 += b.levels[li];
                }
            }
        }
        true
    }
}

/// Source names by id, shared with renderers.
pub type Names = Arc<Vec<String>>;

/// The NDJSON contract: `ts`, `level`, `msg`, `source`, `line`, `format`, the well-known
/// fields when present, and `fields`.
pub struct JsonRender {
    /// Source names.
    pub names: Names,
    /// Template ids and texts, when `--templates` asks for them.
    pub templates: Option<Arc<dyn TemplateLookup>>,
    /// The source names as JSON strings, made once.
    quoted: Vec<Vec<u8>>,
}

impl JsonRender {
    /// The NDJSON writer for these sources.
    pub fn new(names: Names, templates: Option<Arc<dyn TemplateLookup>>) -> JsonRender {
        let quoted = names
            .iter()
            .map(|n| {
                let mut q = Vec::new();
                write_str(&mut q, n);
                q
            })
            .collect();
        JsonRender { names, templates, quoted }
    }
}

/// Gives an entry's message template (the patterns miner implements it).
pub trait TemplateLookup: Send + Sync {
    /// (template id, template text) of a message.
    fn template_of(&self, msg: &str) -> (u64, String);
    /// The template id of a message (0: none).
    fn id_of(&self, msg: &str) -> u64 {
        self.template_of(msg).0
    }
}

/// Appends the NDJSON object of an entry (no newline).
pub fn write_json(e: &Entry<'_>, names: &[String], out: &mut Vec<u8>) {
    write_json_with(e, |out| write_str(out, names.get(e.source as usize).map_or("-", String::as_str)), out);
}

/// [`write_json`] with the entry's source name written by `source`.
fn write_json_with(e: &Entry<'_>, source: impl FnOnce(&mut Vec<u8>), out: &mut Vec<u8>) {
    out.extend_from_slice(b"{\"ts\":");
    match e.ts {
        Some(t) => {
            out.push(b'"');
            t.write_rfc3339(out);
            out.push(b'"');
        }
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"level\":");
    match e.level {
        Some(l) => {
            out.push(b'"');
            out.extend_from_slice(l.as_str().as_bytes());
            out.push(b'"');
        }
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"msg\":");
    // (a clean entry's message is a piece of its line unless a template rendered it)
    match &e.msg {
        Cow::Borrowed(m) if e.clean => write_clean_str(out, m),
        m => write_str(out, m),
    }
    out.extend_from_slice(b",\"source\":");
    source(out);
    out.extend_from_slice(b",\"line\":");
    push_u64(out, e.line_no);
    out.extend_from_slice(b",\"format\":");
    if e.clean {
        // (a JSON dialect's name, one of ours)
        write_clean_str(out, e.format);
    } else {
        write_str(out, e.format);
    }
    for w in WellKnown::ALL {
        if let Some(v) = e.get_known(w) {
            out.extend_from_slice(b",\"");
            out.extend_from_slice(w.key().as_bytes());
            out.extend_from_slice(b"\":");
            if e.clean {
                write_clean_str(out, v);
            } else {
                write_str(out, v);
            }
        }
    }
    write_fields(e, out);
}

fn write_fields(e: &Entry<'_>, out: &mut Vec<u8>) {
    out.extend_from_slice(b",\"fields\":");
    write_fields_object(e, out);
    out.push(b'}');
}

/// Appends the JSON object of an entry's fields (a repeated key keeps its first value).
pub fn write_fields_object(e: &Entry<'_>, out: &mut Vec<u8>) {
    out.push(b'{');
    let mut first = true;
    for (i, (k, v)) in e.fields.iter().enumerate() {
        // A repeated key keeps its first value (JSON objects should not repeat keys).
        if e.fields[..i].iter().any(|(k2, _)| k2 == k) {
            continue;
        }
        if !first {
            out.push(b',');
        }
        first = false;
        if e.clean {
            write_clean_str(out, k);
            out.push(b':');
            match v {
                Value::Str(s) => write_clean_str(out, s),
                // (the reader's values are exactly their text, no white space around)
                Value::Json(j) if !out_of_range_number(j) => out.extend_from_slice(j.as_bytes()),
                Value::Json(j) => write_json_value(out, j.trim()),
            }
            continue;
        }
        write_str(out, k);
        out.push(b':');
        match v {
            Value::Str(s) => write_str(out, s),
            Value::Json(j) => write_json_value(out, j.trim()),
        }
    }
    out.push(b'}');
}

/// Appends JSON text taken from the source, on one line and safe to show
/// ([`crate::format::json::write_json_text`]). Numbers beyond what a double holds (`1e999`,
/// three hundred digits) are valid JSON that common readers reject or round: such a value is
/// written as a string so every reader gets it exactly.
fn write_json_value(out: &mut Vec<u8>, j: &str) {
    if out_of_range_number(j) && serde_json::from_str::<serde_json::Value>(j).is_err() {
        write_str(out, j);
    } else {
        crate::format::json::write_json_text(out, j);
    }
}

/// Whether JSON text may hold a number a double cannot: a long digit run or a long exponent.
/// Exponents are found by a SIMD search for `e`; a run of more than 300 digits needs more than
/// 300 bytes, so short values are not walked byte by byte.
fn out_of_range_number(j: &str) -> bool {
    let b = j.as_bytes();
    let long_exponent = |i: usize| {
        i > 0
            && b[i - 1].is_ascii_digit()
            && b[i + 1..].iter().skip_while(|c| **c == b'-' || **c == b'+').take_while(|c| c.is_ascii_digit()).count()
                >= 3
    };
    if b.len() < 5 {
        // (a digit, `e` and three digits at least)
        return false;
    }
    if memchr::memchr2_iter(b'e', b'E', b).any(long_exponent) {
        return true;
    }
    if b.len() <= 300 {
        return false;
    }
    let mut run = 0usize;
    for &c in b {
        if c.is_ascii_digit() {
            run += 1;
            if run > 300 {
                return true;
            }
        } else {
            run = 0;
        }
    }
    false
}

/// Appends a number in decimal without allocating.
pub fn push_u64(out: &mut Vec<u8>, mut n: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[i..]);
}

impl Render for JsonRender {
    fn render(&self, e: &Entry<'_>, out: &mut Vec<u8>) {
        match self.quoted.get(e.source as usize) {
            Some(source) => write_json_with(e, |out| out.extend_from_slice(source), out),
            None => write_json(e, &self.names, out),
        }
        if let Some(t) = &self.templates {
            let (id, text) = t.template_of(&e.msg);
            out.pop();
            out.extend_from_slice(b",\"template\":");
            write_str(out, &text);
            out.extend_from_slice(b",\"template_id\":");
            out.extend_from_slice(id.to_string().as_bytes());
            out.push(b'}');
        }
        out.push(b'\n');
    }
}

/// The original bytes. On a terminal (unless `--unsafe-raw`) control characters are made
/// visible; piped, the bytes are exact.
pub struct RawRender {
    /// Escape for a terminal.
    pub sanitize: bool,
}

impl Render for RawRender {
    fn render(&self, e: &Entry<'_>, out: &mut Vec<u8>) {
        if self.sanitize {
            safe::write_escaped_bytes(out, e.raw, true);
            out.push(b'\n');
        } else {
            out.extend_from_slice(e.raw);
            if e.eol {
                out.push(b'\n');
            }
        }
    }
}

/// logfmt output: `ts=... level=... msg="..." source=... key=value ...`.
pub struct LogfmtRender {
    /// Source names.
    pub names: Names,
}

fn logfmt_value(out: &mut Vec<u8>, v: &str) {
    let needs_quote = v.is_empty() || v.bytes().any(|c| c <= b' ' || c == b'"' || c == b'=' || c == 0x7f);
    if needs_quote {
        write_str(out, v);
    } else {
        out.extend_from_slice(v.as_bytes());
    }
}

impl Render for LogfmtRender {
    fn render(&self, e: &Entry<'_>, out: &mut Vec<u8>) {
        if let Some(t) = e.ts {
            out.extend_from_slice(b"ts=");
            t.write_rfc3339(out);
            out.push(b' ');
        }
        if let Some(l) = e.level {
            out.extend_from_slice(b"level=");
            out.extend_from_slice(l.as_str().as_bytes());
            out.push(b' ');
        }
        out.extend_from_slice(b"msg=");
        logfmt_value(out, &e.msg);
        out.extend_from_slice(b" source=");
        logfmt_value(out, self.names.get(e.source as usize).map_or("-", String::as_str));
        for w in WellKnown::ALL {
            if let Some(v) = e.get_known(w) {
                out.push(b' ');
                out.extend_from_slice(w.key().as_bytes());
                out.push(b'=');
                logfmt_value(out, v);
            }
        }
        for (k, v) in &e.fields {
            out.push(b' ');
            let key: String =
                k.chars().map(|c| if c.is_whitespace() || c == '=' || c == '"' { '_' } else { c }).collect();
            out.extend_from_slice(key.as_bytes());
            out.push(b'=');
            logfmt_value(out, v.as_text());
        }
        out.push(b'\n');
    }
}

/// ANSI styles of the pretty printer.
pub mod style {
    /// Reset.
    pub const RESET: &str = "\x1b[0m";
    /// Dim.
    pub const DIM: &str = "\x1b[2m";
    /// Bold.
    pub const BOLD: &str = "\x1b[1m";
    /// Search match highlight.
    pub const MATCH: &str = "\x1b[1;30;43m";
    /// Escaped control characters.
    pub const ESCAPED: &str = "\x1b[7m";
    /// Colors cycled for source labels.
    pub const LABELS: [&str; 6] = ["\x1b[36m", "\x1b[35m", "\x1b[34m", "\x1b[32m", "\x1b[33m", "\x1b[96m"];

    /// The color of a level.
    pub fn level(l: Option<crate::entry::Level>) -> &'static str {
        use crate::entry::Level::*;
        match l {
            Some(Trace) => "\x1b[2;37m",
            Some(Debug) => "\x1b[36m",
            Some(Info) => "\x1b[32m",
            Some(Warn) => "\x1b[33m",
            Some(Error) => "\x1b[31m",
            Some(Fatal) => "\x1b[1;97;41m",
            None => "\x1b[2m",
        }
    }
}

/// Aligned columns for people: time (display zone), level, host or source, service,
/// message with search matches highlighted. Log text is escaped so it cannot drive the
/// terminal.
pub struct PrettyRender {
    /// Source names.
    pub names: Names,
    /// Display zone.
    pub zone: Zone,
    /// Use colors.
    pub color: bool,
    /// The query (for highlights).
    pub query: Arc<Query>,
    /// Width of the host/source column.
    pub label_width: usize,
    /// Show the source label column (several sources, or a host).
    pub show_label: bool,
}

impl PrettyRender {
    /// A printer for a set of sources.
    pub fn new(names: Names, zone: Zone, color: bool, query: Arc<Query>) -> PrettyRender {
        let label_width = names.iter().map(|n| short_name(n).chars().count()).max().unwrap_or(0).clamp(4, 20);
        let show_label = names.len() > 1;
        PrettyRender { names, zone, color, query, label_width, show_label }
    }

    fn paint(&self, out: &mut Vec<u8>, code: &str) {
        if self.color {
            out.extend_from_slice(code.as_bytes());
        }
    }

    /// Writes message text with highlights and escaping.
    fn write_msg(&self, out: &mut Vec<u8>, msg: &str) {
        let spans = if self.query.search.is_some() { self.query.highlight_spans(msg) } else { Vec::new() };
        let mut last = 0;
        for (s, e) in spans {
            self.write_text(out, &msg[last..s]);
            self.paint(out, style::MATCH);
            self.write_text(out, &msg[s..e]);
            self.paint(out, style::RESET);
            last = e;
        }
        self.write_text(out, &msg[last..]);
    }

    fn write_text(&self, out: &mut Vec<u8>, s: &str) {
        // Continuation lines: newline plus an indent; every other control made visible.
        let mut first = true;
        for line in s.split('\n') {
            if !first {
                out.extend_from_slice(b"\n    ");
            }
            first = false;
            if self.color && safe::needs_escape(line.as_bytes(), true) {
                for c in line.chars() {
                    if c != '\t' && safe::is_unsafe_char(c) {
                        out.extend_from_slice(style::ESCAPED.as_bytes());
                        safe::push_escape(out, c);
                        out.extend_from_slice(style::RESET.as_bytes());
                    } else {
                        let mut b = [0u8; 4];
                        out.extend_from_slice(c.encode_utf8(&mut b).as_bytes());
                    }
                }
            } else {
                safe::write_escaped(out, line, true);
            }
        }
    }
}

/// The last path component (or the whole name when short).
pub fn short_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

fn pad(out: &mut Vec<u8>, s: &str, width: usize) {
    let n = s.chars().count();
    if n > width {
        let cut: String = s.chars().take(width.saturating_sub(1)).collect();
        out.extend_from_slice(cut.as_bytes());
        out.extend_from_slice("…".as_bytes());
    } else {
        out.extend_from_slice(s.as_bytes());
        out.resize(out.len() + (width - n), b' ');
    }
}

/// The short upper-case label of a level (`INFO `, `WARN `).
pub fn level_label(l: Option<Level>) -> &'static str {
    match l {
        Some(Level::Trace) => "TRACE",
        Some(Level::Debug) => "DEBUG",
        Some(Level::Info) => "INFO ",
        Some(Level::Warn) => "WARN ",
        Some(Level::Error) => "ERROR",
        Some(Level::Fatal) => "FATAL",
        None => "  -  ",
    }
}

/// Appends an instant as `YYYY-MM-DD HH:MM:SS.mmm` in a zone.
pub fn write_local_time(out: &mut Vec<u8>, nanos: i64, zone: &Zone) {
    let off = zone.offset_at_utc(nanos.div_euclid(1_000_000_000));
    crate::time::write_datetime(out, nanos, 3, off, b' ');
}

impl Render for PrettyRender {
    fn render(&self, e: &Entry<'_>, out: &mut Vec<u8>) {
        self.paint(out, style::DIM);
        match e.ts {
            Some(t) => write_local_time(out, t.nanos, &self.zone),
            None => out.extend_from_slice(b"                       "),
        }
        self.paint(out, style::RESET);
        out.push(b' ');
        self.paint(out, style::level(e.level));
        out.extend_from_slice(level_label(e.level).as_bytes());
        self.paint(out, style::RESET);
        out.push(b' ');
        if self.show_label || e.get_known(WellKnown::Host).is_some() {
            let label = match e.get_known(WellKnown::Host) {
                Some(h) => h,
                None => short_name(self.names.get(e.source as usize).map_or("-", String::as_str)),
            };
            self.paint(out, style::LABELS[e.source as usize % style::LABELS.len()]);
            let label = safe::escaped(label);
            pad(out, &label, self.label_width);
            self.paint(out, style::RESET);
            out.push(b' ');
        }
        if let Some(s) = e.get_known(WellKnown::Service) {
            self.paint(out, style::BOLD);
            let s = safe::escaped(s);
            let w = s.chars().count().min(24);
            pad(out, &s, w);
            self.paint(out, style::RESET);
            out.extend_from_slice(b": ");
        }
        self.write_msg(out, &e.msg);
        out.push(b'\n');
    }
}

/// Base64 (RFC 4648), for OSC 52 and HTTP basic authentication.
pub fn base64(data: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for c in data.chunks(3) {
        let n = (c[0] as u32) << 16 | (*c.get(1).unwrap_or(&0) as u32) << 8 | *c.get(2).unwrap_or(&0) as u32;
        out.push(T[(n >> 18) as usize & 63] as char);
        out.push(T[(n >> 12) as usize & 63] as char);
        out.push(if c.len() > 1 { T[(n >> 6) as usize & 63] as char } else { '=' });
        out.push(if c.len() > 2 { T[n as usize & 63] as char } else { '=' });
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_clean_json_line_is_written_as_the_general_writer_writes_it() {
        use crate::entry::Entry;
        use crate::format::{Format, Parser};
        use crate::time::{Resolver, Zone};
        let lines: [(&str, bool); 10] = [
            (r#"{ "level":"info" , "msg": "spaced" ,"o": { "a" : [ 1 , 2 ] } , "n" : 5 }"#, true),
            (
                r#"{"level":30,"time":1794614400151,"pid":42,"hostname":"h-1","reqId":"r1","req":{"method":"GET","url":"/a?b=[c]"},"res":{"statusCode":200},"responseTime":377.0,"msg":"request completed"}"#,
                true,
            ),
            (
                r#"{"level":"info","ts":"2026-11-14T00:00:00.015Z","logger":"pydio.rest","msg":"listing","UserName":"carol","n":1e999}"#,
                true,
            ),
            (r#"{"@t":"2026-11-14T00:00:00Z","@mt":"got {req} from {User}","req":{"a":"b"},"User":"x"}"#, true),
            (r#"{"level":"info","msg":"a\"quoted\" \u001b[31mred","k\u0065y":"v"}"#, false),
            ("{\"level\":\"info\",\"msg\":\"caf\u{e9} \u{202e}bidi\"}", false),
            ("{\"level\":\"info\",\"msg\":\"tab\there\"}", false),
            (
                r#"{"log":"{\"level\":\"warn\",\"msg\":\"inner\"}\n","stream":"stdout","time":"2026-11-14T00:00:00Z"}"#,
                false,
            ),
            (r#"{"level":"info","msg":"same key","a":1,"a":2,"b":[1,{"c":"d"}]}"#, true),
            (r#"{"level":"info","msg":"not json"#, false),
        ];
        for (line, clean) in lines {
            let mut p = Parser::new(Format::Json(None), Resolver::new(Zone::Utc, 0));
            let mut e = Entry { raw: line.as_bytes(), lines: 1, ..Entry::default() };
            p.parse(&mut e);
            assert_eq!(e.clean, clean, "{line}");
            let mut fast = Vec::new();
            super::write_json(&e, &["src".to_string()], &mut fast);
            e.clean = false;
            let mut general = Vec::new();
            super::write_json(&e, &["src".to_string()], &mut general);
            assert_eq!(String::from_utf8_lossy(&fast), String::from_utf8_lossy(&general), "{line}");
            let v: serde_json::Value = serde_json::from_slice(&fast).unwrap_or_else(|err| panic!("{line}: {err}"));
            assert!(v.get("msg").is_some());
            assert!(!fast.iter().any(|&c| c < 0x20 || c == 0x7f), "{line}");
        }
    }

    #[test]
    fn numbers_a_double_cannot_hold() {
        use super::out_of_range_number;
        for (j, want) in [
            ("1e999", true),
            ("1E+308", true),
            ("5e-400", true),
            ("1e30", false),
            ("{\"a\":\"e123\",\"b\":2}", false),
            ("{\"n\":[1,2e1234]}", true),
            ("true", false),
        ] {
            assert_eq!(out_of_range_number(j), want, "{j}");
        }
        assert!(!out_of_range_number(&"9".repeat(300)));
        assert!(out_of_range_number(&"9".repeat(301)));
        assert!(!out_of_range_number(&format!("[{}]", "1,".repeat(400) + "1")));
    }

    #[test]
    fn base64_matches_rfc4648() {
        assert_eq!(super::base64(b""), "");
        assert_eq!(super::base64(b"f"), "Zg==");
        assert_eq!(super::base64(b"fo"), "Zm8=");
        assert_eq!(super::base64(b"foo"), "Zm9v");
        assert_eq!(super::base64(b"foobar"), "Zm9vYmFy");
    }
}
