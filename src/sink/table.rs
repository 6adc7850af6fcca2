//! Entries as rows of cells, for CSV and XLSX: column selection, spreadsheet safety, and
//! pseudonyms for sharing logs outside the team.
//!
//! Spreadsheet safety (OWASP's CSV injection rule): a cell whose text starts with `=`, `+`,
//! `-`, `@`, a tab or a carriage return is prefixed with a single quote, so no spreadsheet
//! reads it as a formula. Control characters other than newlines and tabs are written as
//! visible escapes (`\x1b`).

use std::borrow::Cow;
use std::hash::{BuildHasher, Hash, Hasher};

use crate::entry::{Entry, WellKnown};
use crate::sink::Names;

/// What a column shows.
#[derive(Clone, Debug, PartialEq)]
pub enum ColumnKind {
    /// The time (RFC 3339 in CSV, a date-time cell in XLSX).
    Ts,
    /// The level.
    Level,
    /// The message.
    Msg,
    /// A well-known field.
    Known(WellKnown),
    /// The source path.
    Source,
    /// The line number.
    Line,
    /// The format name.
    Format,
    /// Any field by name or dotted path.
    Field(String),
    /// The fields not shown in other columns, as one JSON object.
    FieldsJson,
}

/// A column: its header and what it shows.
#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    /// Header text.
    pub name: String,
    /// Content.
    pub kind: ColumnKind,
}

/// The default columns: time, level, host, service, user, ip, request_id, message.
pub fn default_columns() -> Vec<Column> {
    parse_columns("time,level,host,service,user,ip,request_id,message").unwrap_or_default()
}

/// Reads `--columns ts,level,msg,fields.status`.
///
/// # Errors
/// An empty name.
pub fn parse_columns(spec: &str) -> Result<Vec<Column>, String> {
    let mut out = Vec::new();
    for raw in spec.split(',') {
        let name = raw.trim();
        if name.is_empty() {
            return Err(format!("{spec}: empty column name"));
        }
        let kind = match name {
            "ts" | "time" | "timestamp" => ColumnKind::Ts,
            "level" => ColumnKind::Level,
            "msg" | "message" => ColumnKind::Msg,
            "source" => ColumnKind::Source,
            "line" => ColumnKind::Line,
            "format" => ColumnKind::Format,
            "fields" => ColumnKind::FieldsJson,
            other => match WellKnown::from_key(other) {
                Some(w) => ColumnKind::Known(w),
                None => ColumnKind::Field(other.strip_prefix("fields.").unwrap_or(other).to_string()),
            },
        };
        out.push(Column { name: name.to_string(), kind });
    }
    Ok(out)
}

/// Pseudonyms for `--redact`: a keyed hash per export, so one value maps to one token within
/// the export (grouping still works) and cannot be looked up across exports.
#[derive(Clone, Debug)]
pub struct Redactor {
    /// Which well-known fields to replace.
    pub fields: Vec<WellKnown>,
    /// Replace e-mail addresses wherever they appear.
    pub email: bool,
    key: std::collections::hash_map::RandomState,
    email_re: regex::Regex,
}

impl Redactor {
    /// Reads `--redact ip,user,email`.
    ///
    /// # Errors
    /// An unknown kind.
    pub fn new(spec: &str) -> Result<Redactor, String> {
        let mut fields = Vec::new();
        let mut email = false;
        for k in spec.split(',').map(str::trim).filter(|k| !k.is_empty()) {
            match k {
                "email" | "emails" => email = true,
                other => match WellKnown::from_key(other) {
                    Some(w) => fields.push(w),
                    None => {
                        return Err(format!(
                            "--redact {other}: can redact ip, user, host, service, request_id or email"
                        ))
                    }
                },
            }
        }
        let email_re =
            regex::Regex::new(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}").map_err(|e| e.to_string())?;
        Ok(Redactor { fields, email, key: std::collections::hash_map::RandomState::new(), email_re })
    }

    /// The pseudonym of a value (`user-3fa9c1d2`).
    pub fn token(&self, kind: &str, value: &str) -> String {
        let mut h = self.key.build_hasher();
        kind.hash(&mut h);
        value.hash(&mut h);
        format!("{kind}-{:08x}", h.finish() as u32)
    }

    /// Whether a well-known field is redacted.
    pub fn redacts(&self, w: WellKnown) -> bool {
        self.fields.contains(&w)
    }

    /// Text with the redacted values of this entry (and e-mail addresses) replaced.
    pub fn text<'t>(&self, e: &Entry<'_>, text: Cow<'t, str>) -> Cow<'t, str> {
        let mut out = text;
        for &w in &self.fields {
            if let Some(v) = e.get_known(w) {
                if v.len() >= 2 && out.contains(v) {
                    out = Cow::Owned(out.replace(v, &self.token(w.key(), v)));
                }
            }
        }
        if self.email && out.contains('@') {
            if let Cow::Owned(s) = self.email_re.replace_all(&out, |c: &regex::Captures| self.token("email", &c[0])) {
                out = Cow::Owned(s);
            }
        }
        out
    }
}

/// Byte classes for the cell checks: `QUOTE` bytes make a CSV field quoted, `SUSPECT` bytes
/// may start a control character (C0 but newline and tab, DEL, and the UTF-8 lead bytes of C1
/// controls and bidi marks), checked char by char only when present.
const QUOTE: u8 = 1;
const SUSPECT: u8 = 2;
static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = SUSPECT;
        i += 1;
    }
    t[b'\n' as usize] = QUOTE;
    t[b'\t' as usize] = 0;
    t[b'\r' as usize] = QUOTE | SUSPECT;
    t[b',' as usize] = QUOTE;
    t[b'"' as usize] = QUOTE;
    t[0x7f] = SUSPECT;
    t[0xc2] = SUSPECT;
    t[0xe2] = SUSPECT;
    t[0xd8] = SUSPECT;
    t
};

/// The classes (`QUOTE`, `SUSPECT`) present in a byte string.
#[inline]
pub(crate) fn classes(b: &[u8]) -> u8 {
    b.iter().fold(0, |acc, &c| acc | CLASS[c as usize])
}

/// Whether text starts like a formula.
#[inline]
fn dangerous_start(s: &str) -> bool {
    matches!(s.as_bytes().first(), Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r'))
}

/// Makes text safe for a spreadsheet cell: no formula prefix, no raw control characters.
pub fn cell_safe(s: &str) -> Cow<'_, str> {
    let dangerous = dangerous_start(s);
    let controls = classes(s.as_bytes()) & SUSPECT != 0
        && s.chars().any(|c| c != '\n' && c != '\t' && crate::sink::safe::is_unsafe_char(c));
    if !dangerous && !controls {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 4);
    if dangerous {
        out.push('\'');
    }
    for c in s.chars() {
        if c != '\n' && c != '\t' && crate::sink::safe::is_unsafe_char(c) {
            let mut b = Vec::new();
            crate::sink::safe::push_escape(&mut b, c);
            out.push_str(&String::from_utf8_lossy(&b));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Appends text as one safe CSV field: the common case (nothing to quote, neutralise or
/// escape) is one pass over the bytes and one copy.
pub fn push_csv_cell(out: &mut Vec<u8>, s: &str) {
    let b = s.as_bytes();
    if classes(b) == 0 && !dangerous_start(s) && b.first() != Some(&b' ') && b.last() != Some(&b' ') {
        out.extend_from_slice(b);
    } else {
        crate::sink::csv::push_field(out, &cell_safe(s));
    }
}

/// Turns entries into cells.
pub struct Table {
    /// The columns.
    pub columns: Vec<Column>,
    /// Source names.
    pub names: Names,
    /// Pseudonyms, when asked for.
    pub redact: Option<Redactor>,
}

impl Table {
    /// The text of a cell before spreadsheet safety (None: empty).
    pub fn cell<'e>(&self, e: &'e Entry<'_>, col: &Column) -> Option<Cow<'e, str>> {
        let v: Cow<'e, str> = match &col.kind {
            ColumnKind::Ts => Cow::Owned(e.ts?.to_rfc3339()),
            ColumnKind::Level => Cow::Borrowed(e.level?.as_str()),
            ColumnKind::Msg => Cow::Borrowed(&e.msg),
            ColumnKind::Known(w) => {
                let v = e.get_known(*w)?;
                if let Some(r) = self.redact.as_ref().filter(|r| r.redacts(*w)) {
                    return Some(Cow::Owned(r.token(w.key(), v)));
                }
                Cow::Borrowed(v)
            }
            ColumnKind::Source => Cow::Owned(self.names.get(e.source as usize).cloned().unwrap_or_default()),
            ColumnKind::Line => Cow::Owned(e.line_no.to_string()),
            ColumnKind::Format => Cow::Borrowed(e.format),
            ColumnKind::Field(f) => e.field(f)?,
            ColumnKind::FieldsJson => Cow::Owned(self.fields_json(e)),
        };
        Some(match &self.redact {
            Some(r) if matches!(col.kind, ColumnKind::Msg | ColumnKind::Field(_) | ColumnKind::FieldsJson) => {
                r.text(e, v)
            }
            _ => v,
        })
    }

    /// The fields not shown in another column, as a JSON object.
    fn fields_json(&self, e: &Entry<'_>) -> String {
        let mut out = Vec::with_capacity(64);
        out.push(b'{');
        let mut first = true;
        let shown = |k: &str| {
            self.columns.iter().any(|c| match &c.kind {
                ColumnKind::Field(f) => f == k || f.split('.').next() == Some(k),
                _ => false,
            })
        };
        for (k, v) in &e.fields {
            if shown(k) {
                continue;
            }
            if !first {
                out.push(b',');
            }
            first = false;
            crate::format::json::write_str(&mut out, k);
            out.push(b':');
            match v {
                crate::entry::Value::Str(s) => crate::format::json::write_str(&mut out, s),
                crate::entry::Value::Json(j) => crate::format::json::write_json_text(&mut out, j.trim()),
            }
        }
        out.push(b'}');
        String::from_utf8(out).unwrap_or_default()
    }

    /// The header row.
    pub fn header(&self) -> Vec<String> {
        self.columns.iter().map(|c| c.name.clone()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neutralises_every_dangerous_prefix() {
        for s in ["=1+1", "+cmd", "-2", "@SUM(A1)", "\tx", "\rx", "=HYPERLINK(\"http://x\")"] {
            let c = cell_safe(s);
            assert!(c.starts_with('\''), "{s:?} -> {c:?}");
        }
        assert_eq!(cell_safe("plain, with \"quotes\"\nand lines"), "plain, with \"quotes\"\nand lines");
        assert_eq!(cell_safe("bell\x07 esc\x1b[2J"), "bell\\x07 esc\\x1b[2J");
        assert_eq!(cell_safe("-\x1b"), "'-\\x1b");
    }

    #[test]
    fn the_fast_csv_cell_writes_what_the_careful_one_does() {
        let samples = [
            "plain",
            "",
            " lead",
            "trail ",
            "a,b",
            "q\"q",
            "two\nlines",
            "cr\rhere",
            "tab\tin",
            "=1+1",
            "-x",
            "@a",
            "\tx",
            "é accent",
            "em — dash",
            "© c2",
            "\u{202e}rtl",
            "\u{85}nel",
            "\u{61c}alm",
            "del\x7f",
            "esc\x1b[2J",
            "\u{2066}iso",
            "ok … ellipsis",
        ];
        for s in samples {
            let mut fast = Vec::new();
            push_csv_cell(&mut fast, s);
            let mut careful = Vec::new();
            crate::sink::csv::push_field(&mut careful, &cell_safe(s));
            assert_eq!(String::from_utf8_lossy(&fast), String::from_utf8_lossy(&careful), "{s:?}");
        }
    }

    #[test]
    fn columns_and_pseudonyms() {
        let cols = parse_columns("ts,level,msg,fields.status,user").unwrap();
        assert_eq!(cols[3].kind, ColumnKind::Field("status".into()));
        assert_eq!(cols[4].kind, ColumnKind::Known(WellKnown::User));
        assert!(parse_columns("ts,,msg").is_err());
        let r = Redactor::new("user,email").unwrap();
        assert_eq!(r.token("user", "alice"), r.token("user", "alice"));
        assert_ne!(r.token("user", "alice"), r.token("user", "bob"));
        let mut e = Entry::default();
        e.set_known(WellKnown::User, Cow::Borrowed("alice"));
        let t = r.text(&e, Cow::Borrowed("alice wrote to bob@example.com"));
        assert!(!t.contains("alice") && !t.contains("bob@example.com"), "{t}");
        assert!(Redactor::new("password").is_err());
    }
}
