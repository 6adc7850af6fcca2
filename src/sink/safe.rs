//! Terminal safety: log text is untrusted and must never drive the terminal.
//!
//! Every control character of log text (C0 and C1 controls, ESC, BEL, backspace, DEL,
//! carriage returns, and the Unicode bidi overrides and isolates) is written as a visible
//! escape (`\x1b`, `\r`, `\u{202e}`) instead of the character itself. Tabs stay tabs only
//! where the caller allows them.

/// Whether a char must not reach a terminal raw.
#[inline]
pub fn is_unsafe_char(c: char) -> bool {
    let u = c as u32;
    u < 0x20
        || u == 0x7f
        || (0x80..=0x9f).contains(&u)
        || matches!(u, 0x202a..=0x202e | 0x2066..=0x2069 | 0x200e | 0x200f | 0x061c)
}

/// Whether a byte string needs escaping (fast check over bytes: C0, DEL, and the UTF-8
/// leading bytes of C1 controls and bidi marks).
#[inline]
pub fn needs_escape(b: &[u8], allow_tab: bool) -> bool {
    b.iter().any(|&c| (c < 0x20 && !(allow_tab && c == b'\t')) || c == 0x7f || c == 0xc2 || c == 0xe2 || c == 0xd8)
}

/// Appends `s` with every unsafe character made visible. Tabs are kept when `allow_tab`.
pub fn write_escaped(out: &mut Vec<u8>, s: &str, allow_tab: bool) {
    if !needs_escape(s.as_bytes(), allow_tab) {
        out.extend_from_slice(s.as_bytes());
        return;
    }
    for c in s.chars() {
        if c == '\t' && allow_tab {
            out.push(b'\t');
        } else if is_unsafe_char(c) {
            push_escape(out, c);
        } else {
            let mut buf = [0u8; 4];
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
        }
    }
}

/// The visible form of an unsafe char.
pub fn push_escape(out: &mut Vec<u8>, c: char) {
    let u = c as u32;
    let s = match c {
        '\r' => "\\r".to_string(),
        '\n' => "\\n".to_string(),
        '\t' => "\\t".to_string(),
        _ if u < 0x100 => format!("\\x{u:02x}"),
        _ => format!("\\u{{{u:04x}}}"),
    };
    out.extend_from_slice(s.as_bytes());
}

/// Escapes raw bytes for a terminal: invalid UTF-8 bytes are shown as `\xNN`, unsafe chars
/// as above; newlines are kept (they separate lines) when `keep_newlines`.
pub fn write_escaped_bytes(out: &mut Vec<u8>, b: &[u8], keep_newlines: bool) {
    let mut rest = b;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                write_lines(out, s, keep_newlines);
                return;
            }
            Err(e) => {
                let (good, bad) = rest.split_at(e.valid_up_to());
                write_lines(out, std::str::from_utf8(good).unwrap_or(""), keep_newlines);
                let n = e.error_len().unwrap_or(bad.len()).max(1).min(bad.len());
                for &x in &bad[..n] {
                    out.extend_from_slice(format!("\\x{x:02x}").as_bytes());
                }
                rest = &bad[n..];
                if rest.is_empty() {
                    return;
                }
            }
        }
    }
}

fn write_lines(out: &mut Vec<u8>, s: &str, keep_newlines: bool) {
    if !keep_newlines {
        write_escaped(out, s, true);
        return;
    }
    let mut first = true;
    for line in s.split('\n') {
        if !first {
            out.push(b'\n');
        }
        first = false;
        write_escaped(out, line, true);
    }
}

/// The escaped form of `s` as a String (for widgets).
pub fn escaped(s: &str) -> std::borrow::Cow<'_, str> {
    if !needs_escape(s.as_bytes(), false) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut v = Vec::with_capacity(s.len() + 8);
    write_escaped(&mut v, s, false);
    std::borrow::Cow::Owned(String::from_utf8(v).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_attack_is_visible() {
        let attacks = [
            "\x1b]0;pwned\x07",
            "\x1b[2J\x1b[H",
            "\x1b[10;10H",
            "\x1b[8mhidden\x1b[0m",
            "\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\",
            "ding\x07",
            "back\x08\x08space",
            "car\rriage",
            "bidi \u{202e}txt.exe",
            "c1 \u{9b}31m",
            "del\x7f",
        ];
        for a in attacks {
            let mut out = Vec::new();
            write_escaped(&mut out, a, false);
            let s = String::from_utf8(out).unwrap();
            assert!(!s.chars().any(is_unsafe_char), "{a:?} -> {s:?}");
            assert!(!s.bytes().any(|b| b == 0x1b || b == 0x07 || b == 0x08 || b == b'\r'));
        }
        let mut out = Vec::new();
        write_escaped_bytes(&mut out, b"ok\xff\x1b[31m\nnext", true);
        assert_eq!(String::from_utf8(out).unwrap(), "ok\\xff\\x1b[31m\nnext");
    }
}
