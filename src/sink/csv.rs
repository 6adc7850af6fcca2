//! CSV export: RFC 4180 quoting, CRLF line ends, times in RFC 3339 (UTC), cells made safe for
//! spreadsheets ([`crate::sink::table::cell_safe`]).

use std::sync::Arc;

use crate::entry::Entry;
use crate::sink::table::{push_csv_cell, ColumnKind, Table};
use crate::sink::Render;

/// Appends one CSV field.
pub fn push_field(out: &mut Vec<u8>, s: &str) {
    let needs_quotes =
        s.bytes().any(|c| matches!(c, b',' | b'"' | b'\n' | b'\r')) || s.starts_with(' ') || s.ends_with(' ');
    if needs_quotes {
        out.push(b'"');
        for part in s.split('"').enumerate() {
            if part.0 > 0 {
                out.extend_from_slice(b"\"\"");
            }
            out.extend_from_slice(part.1.as_bytes());
        }
        out.push(b'"');
    } else {
        out.extend_from_slice(s.as_bytes());
    }
}

/// Appends a record (CRLF-terminated).
pub fn push_record<'s>(out: &mut Vec<u8>, fields: impl IntoIterator<Item = &'s str>) {
    for (i, f) in fields.into_iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        push_field(out, f);
    }
    out.extend_from_slice(b"\r\n");
}

/// Renders entries as CSV rows.
pub struct CsvRender {
    /// How entries become cells.
    pub table: Arc<Table>,
}

impl CsvRender {
    /// The header record.
    pub fn header(&self) -> Vec<u8> {
        let mut out = Vec::new();
        let h = self.table.header();
        push_record(&mut out, h.iter().map(String::as_str));
        out
    }
}

impl Render for CsvRender {
    fn render(&self, e: &Entry<'_>, out: &mut Vec<u8>) {
        for (i, c) in self.table.columns.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            match (&c.kind, e.ts) {
                // Digits and separators only: nothing to quote or neutralise.
                (ColumnKind::Ts, Some(t)) => t.write_rfc3339(out),
                _ => {
                    if let Some(v) = self.table.cell(e, c) {
                        push_csv_cell(out, &v);
                    }
                }
            }
        }
        out.extend_from_slice(b"\r\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        let mut out = Vec::new();
        push_record(&mut out, ["a", "b,c", "say \"hi\"", "two\nlines", ""]);
        assert_eq!(String::from_utf8(out).unwrap(), "a,\"b,c\",\"say \"\"hi\"\"\",\"two\nlines\",\r\n");
    }
}
