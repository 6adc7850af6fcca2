//! JSON lines: a validating, non-allocating scanner for one object per entry, and the mapping
//! of its keys onto the normalized entry through the alias table.
//!
//! The scanner hands out top-level keys and values as slices of the line; strings are
//! unescaped only when they contain escapes. Nested objects and arrays are validated and kept
//! as their JSON text. Nesting deeper than [`MAX_DEPTH`] is refused (the entry falls back to
//! raw), the same limit as serde_json's, so no input can exhaust the stack.

use std::borrow::Cow;

use crate::entry::{Entry, Level, Timestamp, Value};
use crate::format::alias::{self, Role};
use crate::time::{self, Resolver};

/// Deepest nesting accepted.
pub const MAX_DEPTH: usize = 128;

/// Kind of a JSON value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A string.
    Str,
    /// A number.
    Num,
    /// `true` or `false`.
    Bool,
    /// `null`.
    Null,
    /// An object.
    Obj,
    /// An array.
    Arr,
}

/// A value as found in the text: for strings the raw contents between the quotes.
#[derive(Clone, Copy, Debug)]
pub struct Raw<'a> {
    /// Kind.
    pub kind: Kind,
    /// The text: string contents (still escaped when `escaped`), or the JSON text.
    pub text: &'a str,
    /// Whether a string contains backslash escapes.
    pub escaped: bool,
}

impl<'a> Raw<'a> {
    /// The value as text: strings unescaped, others as JSON text.
    pub fn to_text(&self) -> Cow<'a, str> {
        if self.kind == Kind::Str {
            unescape(self.text, self.escaped)
        } else {
            Cow::Borrowed(self.text)
        }
    }

    /// The value as an entry [`Value`].
    pub fn to_value(&self) -> Value<'a> {
        if self.kind == Kind::Str {
            Value::Str(unescape(self.text, self.escaped))
        } else {
            Value::Json(Cow::Borrowed(self.text))
        }
    }
}

/// Why a line is not a JSON object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JsonError {
    /// The text ended inside the object (it may continue on the next line).
    Incomplete,
    /// Not valid JSON.
    Invalid,
    /// Nested deeper than [`MAX_DEPTH`].
    TooDeep,
}

/// Index of the first `"` at or after `from` (in a [`is_clean`] text, the end of a string), or
/// with `special` of the first `"`, `\\` or control byte: sixteen bytes at a time (SSE2), then
/// eight (SWAR), then one by one.
#[inline(always)]
fn string_stop(b: &[u8], from: usize, special: bool) -> Option<usize> {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut j = match blocks_find(b, from, special) {
        Ok(hit) => return Some(hit),
        Err(rest) => rest,
    };
    // The high bit of each zero byte (the first set one counts: a borrow only spoils the
    // bytes after a true hit).
    let zero = |x: u64| x.wrapping_sub(ONES) & !x;
    while let Some(w) = b.get(j..j + 8) {
        let w = u64::from_le_bytes(w.try_into().unwrap_or([0; 8]));
        let mut m = zero(w ^ (ONES * b'"' as u64));
        if special {
            // a backslash, or a byte below 0x20
            m |= zero(w ^ (ONES * b'\\' as u64)) | w.wrapping_sub(ONES * 0x20) & !w;
        }
        let found = m & HIGH;
        if found != 0 {
            return Some(j + (found.trailing_zeros() / 8) as usize);
        }
        j += 8;
    }
    b.get(j..)?.iter().position(|&c| c == b'"' || special && (c == b'\\' || c < 0x20)).map(|k| j + k)
}

/// [`string_stop`] sixteen bytes at a time while sixteen are left: Ok(index), or Err(where
/// the last bytes start).
#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn blocks_find(b: &[u8], mut j: usize, special: bool) -> Result<usize, usize> {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_min_epu8, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
    };
    // SAFETY: SSE2 is part of every x86_64 CPU; each unaligned load reads the sixteen bytes at
    // `j`, and `j + 16 <= b.len()`.
    unsafe {
        let quote = _mm_set1_epi8(b'"' as i8);
        let backslash = _mm_set1_epi8(b'\\' as i8);
        let control = _mm_set1_epi8(0x1f);
        while j + 16 <= b.len() {
            let v = _mm_loadu_si128(b.as_ptr().add(j).cast::<__m128i>());
            let mut m = _mm_cmpeq_epi8(v, quote);
            if special {
                // min(v, 0x1f) == v: the byte is below 0x20.
                m = _mm_or_si128(
                    m,
                    _mm_or_si128(_mm_cmpeq_epi8(v, backslash), _mm_cmpeq_epi8(_mm_min_epu8(v, control), v)),
                );
            }
            let bits = _mm_movemask_epi8(m);
            if bits != 0 {
                return Ok(j + bits.trailing_zeros() as usize);
            }
            j += 16;
        }
    }
    Err(j)
}

/// (Without SSE2, the eight-byte search does all of it.)
#[cfg(not(target_arch = "x86_64"))]
#[inline(always)]
fn blocks_find(_b: &[u8], j: usize, _special: bool) -> Result<usize, usize> {
    Err(j)
}

const ONES: u64 = 0x0101_0101_0101_0101;

/// Index of the first byte at or after `j` that is not an ASCII digit, eight bytes at a time.
#[inline(always)]
fn digits_end(b: &[u8], mut j: usize) -> usize {
    while let Some(w) = b.get(j..j + 8) {
        let w = u64::from_le_bytes(w.try_into().unwrap_or([0; 8]));
        // A digit is 0x30..=0x39: high nibble 3, and still 3 after adding 6. A byte that is
        // not one is nonzero here (a carry out of a byte of 0xfa or more can only spoil the
        // bytes after it, and it is not a digit itself: the first nonzero byte is right).
        let m = ((w & (ONES * 0xf0)) ^ (ONES * 0x30)) | ((w.wrapping_add(ONES * 6) & (ONES * 0xf0)) ^ (ONES * 0x30));
        if m != 0 {
            return j + (m.trailing_zeros() / 8) as usize;
        }
        j += 8;
    }
    while b.get(j).is_some_and(u8::is_ascii_digit) {
        j += 1;
    }
    j
}

struct Scanner<'a> {
    s: &'a str,
    b: &'a [u8],
    i: usize,
    /// The text is [`is_clean`]: a string ends at the next quote (no escape, no control byte).
    clean: bool,
}

impl<'a> Scanner<'a> {
    #[inline]
    fn ws(&mut self) {
        while let Some(&c) = self.b.get(self.i) {
            if c == b' ' || c == b'\t' || c == b'\n' || c == b'\r' {
                self.i += 1;
            } else {
                break;
            }
        }
    }

    #[inline]
    fn peek(&self) -> Result<u8, JsonError> {
        self.b.get(self.i).copied().ok_or(JsonError::Incomplete)
    }

    /// The next byte that is not whitespace, moved to (compact JSON has none: one test).
    #[inline(always)]
    fn peek_ws(&mut self) -> Result<u8, JsonError> {
        match self.b.get(self.i) {
            Some(&c) if c > b' ' => Ok(c),
            _ => {
                self.ws();
                self.peek()
            }
        }
    }

    /// The text between two positions the scanner found.
    #[inline(always)]
    fn slice(&self, from: usize, to: usize) -> &'a str {
        debug_assert!(self.s.is_char_boundary(from) && self.s.is_char_boundary(to) && from <= to);
        // SAFETY: every position the scanner hands out is the end of the text or just after
        // an ASCII byte it read (a quote, bracket, digit or letter of a literal) or at one,
        // and in UTF-8 each of those is a character boundary; `from <= to <= len` as the
        // scanner only moves forward within the text.
        unsafe { self.s.get_unchecked(from..to) }
    }

    /// A string starting at the opening quote; returns (contents, escaped).
    #[inline(always)]
    fn string(&mut self) -> Result<(&'a str, bool), JsonError> {
        let start = self.i + 1;
        if self.clean {
            let j = string_stop(self.b, start, false).ok_or(JsonError::Incomplete)?;
            self.i = j + 1;
            return Ok((self.slice(start, j), false));
        }
        let mut j = start;
        let mut escaped = false;
        loop {
            // The next quote, backslash or control byte, eight bytes at a time.
            j = string_stop(self.b, j, true).ok_or(JsonError::Incomplete)?;
            if self.b[j] < 0x20 {
                // Raw control characters are not allowed inside JSON strings.
                return Err(JsonError::Invalid);
            }
            if self.b[j] == b'"' {
                self.i = j + 1;
                return Ok((self.slice(start, j), escaped));
            }
            escaped = true;
            match self.b.get(j + 1) {
                None => return Err(JsonError::Incomplete),
                Some(b'u') => {
                    let hex = self.b.get(j + 2..j + 6).ok_or(JsonError::Incomplete)?;
                    if !hex.iter().all(|c| c.is_ascii_hexdigit()) {
                        return Err(JsonError::Invalid);
                    }
                    j += 6;
                }
                Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => j += 2,
                Some(_) => return Err(JsonError::Invalid),
            }
        }
    }

    #[inline(always)]
    fn number(&mut self) -> Result<&'a str, JsonError> {
        let start = self.i;
        let b = self.b;
        let mut j = start + usize::from(b.get(start) == Some(&b'-'));
        let d0 = j;
        j = digits_end(b, j);
        // JSON has no leading zeros (`02`): such a line is not JSON.
        if j == d0 || (b[d0] == b'0' && j - d0 > 1) {
            return Err(JsonError::Invalid);
        }
        if b.get(j) == Some(&b'.') {
            let f0 = j + 1;
            j = digits_end(b, f0);
            if j == f0 {
                return Err(JsonError::Invalid);
            }
        }
        if matches!(b.get(j), Some(b'e' | b'E')) {
            j += 1;
            if matches!(b.get(j), Some(b'+' | b'-')) {
                j += 1;
            }
            let e0 = j;
            j = digits_end(b, e0);
            if j == e0 {
                return Err(JsonError::Invalid);
            }
        }
        self.i = j;
        Ok(self.slice(start, j))
    }

    fn literal(&mut self, word: &[u8]) -> Result<(), JsonError> {
        let end = self.i + word.len();
        match self.b.get(self.i..end) {
            Some(w) if w == word => {
                self.i = end;
                Ok(())
            }
            Some(_) => Err(JsonError::Invalid),
            None => {
                if word.starts_with(&self.b[self.i..]) {
                    Err(JsonError::Incomplete)
                } else {
                    Err(JsonError::Invalid)
                }
            }
        }
    }

    /// Any value; returns it.
    #[inline(always)]
    fn value(&mut self, depth: usize) -> Result<Raw<'a>, JsonError> {
        let c = self.peek_ws()?;
        let start = self.i;
        let kind = match c {
            b'"' => {
                let (text, escaped) = self.string()?;
                return Ok(Raw { kind: Kind::Str, text, escaped });
            }
            b'{' => {
                self.skip_container(depth + 1, b'}')?;
                Kind::Obj
            }
            b'[' => {
                self.skip_container(depth + 1, b']')?;
                Kind::Arr
            }
            b't' => {
                self.literal(b"true")?;
                Kind::Bool
            }
            b'f' => {
                self.literal(b"false")?;
                Kind::Bool
            }
            b'n' => {
                self.literal(b"null")?;
                Kind::Null
            }
            b'-' | b'0'..=b'9' => {
                self.number()?;
                Kind::Num
            }
            _ => return Err(JsonError::Invalid),
        };
        Ok(Raw { kind, text: self.slice(start, self.i), escaped: false })
    }

    /// An object or array starting at its opening bracket, validated.
    #[inline(never)]
    fn skip_container(&mut self, depth: usize, close: u8) -> Result<(), JsonError> {
        if depth > MAX_DEPTH {
            return Err(JsonError::TooDeep);
        }
        self.i += 1;
        if self.peek_ws()? == close {
            self.i += 1;
            return Ok(());
        }
        loop {
            if close == b'}' {
                if self.peek_ws()? != b'"' {
                    return Err(JsonError::Invalid);
                }
                self.string()?;
                if self.peek_ws()? != b':' {
                    return Err(JsonError::Invalid);
                }
                self.i += 1;
            }
            self.value(depth)?;
            match self.peek_ws()? {
                b',' => self.i += 1,
                c if c == close => {
                    self.i += 1;
                    return Ok(());
                }
                _ => return Err(JsonError::Invalid),
            }
        }
    }
}

/// Scans a JSON object that makes up the whole of `s` (surrounding whitespace allowed) and
/// calls `f(key, value)` for each top-level member, keys still escaped (with a flag).
///
/// # Errors
/// [`JsonError`] when `s` is not exactly one valid object.
pub fn scan_object<'a>(s: &'a str, f: impl FnMut(&'a str, bool, Raw<'a>)) -> Result<(), JsonError> {
    scan_object_in(s, false, f)
}

/// [`scan_object`] of a text known to be [`is_clean`] (`clean`), or not known to be.
fn scan_object_in<'a>(s: &'a str, clean: bool, mut f: impl FnMut(&'a str, bool, Raw<'a>)) -> Result<(), JsonError> {
    debug_assert!(!clean || is_clean(s.as_bytes()));
    let mut sc = Scanner { s, b: s.as_bytes(), i: 0, clean };
    if sc.peek_ws()? != b'{' {
        return Err(JsonError::Invalid);
    }
    sc.i += 1;
    if sc.peek_ws()? == b'}' {
        sc.i += 1;
    } else {
        loop {
            if sc.peek_ws()? != b'"' {
                return Err(JsonError::Invalid);
            }
            let (key, kesc) = sc.string()?;
            if sc.peek_ws()? != b':' {
                return Err(JsonError::Invalid);
            }
            sc.i += 1;
            let v = sc.value(1)?;
            f(key, kesc, v);
            match sc.peek_ws()? {
                b',' => sc.i += 1,
                b'}' => {
                    sc.i += 1;
                    break;
                }
                _ => return Err(JsonError::Invalid),
            }
        }
    }
    sc.ws();
    if sc.i != sc.b.len() {
        return Err(JsonError::Invalid);
    }
    Ok(())
}

/// Validates that `s` is exactly one JSON value.
pub fn is_valid(s: &str) -> bool {
    let mut sc = Scanner { s, b: s.as_bytes(), i: 0, clean: false };
    if sc.value(0).is_err() {
        return false;
    }
    sc.ws();
    sc.i == sc.b.len()
}

/// Unescapes JSON string contents.
#[inline]
pub fn unescape(s: &str, escaped: bool) -> Cow<'_, str> {
    if !escaped {
        return Cow::Borrowed(s);
    }
    unescape_escaped(s)
}

/// [`unescape`] of contents with escapes (kept out of line: most strings have none).
#[inline(never)]
fn unescape_escaped(s: &str) -> Cow<'_, str> {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < b.len() {
        let Some(k) = memchr::memchr(b'\\', &b[i..]) else {
            out.push_str(&s[i..]);
            break;
        };
        out.push_str(&s[i..i + k]);
        i += k;
        let c = b.get(i + 1).copied().unwrap_or(b'\\');
        i += 2;
        match c {
            b'n' => out.push('\n'),
            b't' => out.push('\t'),
            b'r' => out.push('\r'),
            b'b' => out.push('\u{8}'),
            b'f' => out.push('\u{c}'),
            b'u' => {
                let hex = |at: usize| s.get(at..at + 4).and_then(|h| u32::from_str_radix(h, 16).ok());
                let Some(u) = hex(i) else {
                    out.push('\u{fffd}');
                    continue;
                };
                i += 4;
                if (0xD800..0xDC00).contains(&u) && b.get(i) == Some(&b'\\') && b.get(i + 1) == Some(&b'u') {
                    if let Some(lo) = hex(i + 2) {
                        if (0xDC00..0xE000).contains(&lo) {
                            i += 6;
                            let cp = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
                            out.push(char::from_u32(cp).unwrap_or('\u{fffd}'));
                            continue;
                        }
                    }
                }
                out.push(char::from_u32(u).unwrap_or('\u{fffd}'));
            }
            other => out.push(other as char),
        }
    }
    Cow::Owned(out)
}

/// Whether `b` is all printable ASCII (0x20 to 0x7e) without a backslash: a JSON text of
/// such bytes has no escape to read and nothing that [`write_str`] would escape but its
/// quotes (which a string of it cannot hold). Sixteen bytes at a time, so it vectorizes.
#[inline]
pub fn is_clean(b: &[u8]) -> bool {
    #[inline]
    fn bad(x: u8) -> bool {
        x.wrapping_sub(0x20) >= 0x5f || x == b'\\'
    }
    let mut chunks = b.chunks_exact(16);
    for c in &mut chunks {
        if c.iter().fold(false, |acc, &x| acc | bad(x)) {
            return false;
        }
    }
    !chunks.remainder().iter().any(|&x| bad(x))
}

/// Appends a string known to need no escaping (a piece of a [`is_clean`] text) as a JSON
/// string literal.
#[inline]
pub fn write_clean_str(out: &mut Vec<u8>, s: &str) {
    debug_assert!(is_clean(s.as_bytes()) && !s.contains('"'));
    out.reserve(s.len() + 2);
    out.push(b'"');
    out.extend_from_slice(s.as_bytes());
    out.push(b'"');
}

/// Index of the first byte at or after `from` that `write_str` may need to escape: `"`,
/// `\\`, a control byte, DEL, or the lead byte of a C1 control or a bidi mark (U+061C too).
#[inline]
fn escapable_byte(b: &[u8], from: usize) -> usize {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    #[inline]
    fn zero(x: u64) -> u64 {
        x.wrapping_sub(ONES) & !x
    }
    #[inline]
    fn hits(w: u64) -> u64 {
        (zero(w ^ (ONES * 0x22))
            | zero(w ^ (ONES * 0x5c))
            | zero(w ^ (ONES * 0x7f))
            | zero(w ^ (ONES * 0xc2))
            | zero(w ^ (ONES * 0xe2))
            | zero(w ^ (ONES * 0xd8))
            | w.wrapping_sub(ONES * 0x20) & !w)
            & HIGH
    }
    let mut j = from;
    while j + 8 <= b.len() {
        let Ok(word) = <[u8; 8]>::try_from(&b[j..j + 8]) else { break };
        let hit = hits(u64::from_le_bytes(word));
        if hit != 0 {
            return j + (hit.trailing_zeros() / 8) as usize;
        }
        j += 8;
    }
    if j < b.len() {
        // The last few bytes, padded with a letter that never needs escaping.
        let mut word = [b'a'; 8];
        word[..b.len() - j].copy_from_slice(&b[j..]);
        let hit = hits(u64::from_le_bytes(word));
        if hit != 0 {
            return j + (hit.trailing_zeros() / 8) as usize;
        }
    }
    b.len()
}

/// The character at byte `i` of `s` when it must not reach a terminal raw (a control
/// character, DEL, a C1 control, a bidi mark: [`crate::sink::safe::is_unsafe_char`]).
#[inline]
fn unsafe_char_at(s: &str, i: usize) -> Option<char> {
    s.get(i..).and_then(|t| t.chars().next()).filter(|&c| crate::sink::safe::is_unsafe_char(c))
}

/// Appends `\uXXXX` for a character of the Basic Multilingual Plane.
fn push_u_escape(out: &mut Vec<u8>, ch: char) {
    out.extend_from_slice(format!("\\u{:04x}", ch as u32).as_bytes());
}

/// Appends `s` as a JSON string literal (with quotes), escaping what JSON requires, every
/// control character (C0, DEL, C1) and the bidi controls, so the output is safe to show.
pub fn write_str(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    let b = s.as_bytes();
    let mut start = 0;
    let mut i = escapable_byte(b, 0);
    while i < b.len() {
        let c = b[i];
        let (esc, width): (Option<&[u8]>, usize) = match c {
            b'"' => (Some(b"\\\""), 1),
            b'\\' => (Some(b"\\\\"), 1),
            b'\n' => (Some(b"\\n"), 1),
            b'\r' => (Some(b"\\r"), 1),
            b'\t' => (Some(b"\\t"), 1),
            _ => match unsafe_char_at(s, i) {
                Some(ch) => (None, ch.len_utf8()),
                None => {
                    i = escapable_byte(b, i + 1);
                    continue;
                }
            },
        };
        out.extend_from_slice(&b[start..i]);
        match esc {
            Some(e) => out.extend_from_slice(e),
            None => push_u_escape(out, s[i..].chars().next().unwrap_or('\u{fffd}')),
        }
        start = i + width;
        i = escapable_byte(b, start);
    }
    out.extend_from_slice(&b[start..]);
    out.push(b'"');
}

/// Appends JSON text taken from a source (a nested object or array) as one line that is safe
/// to show: whitespace between its tokens that would break the line (`\n`, `\r`, `\t`: an
/// entry may be an object written over several lines) is dropped, and inside its strings the
/// characters that [`write_str`] escapes (C1 controls, DEL, bidi marks, any control byte) are
/// written as `\uXXXX`. The value read back is the same.
pub fn write_json_text(out: &mut Vec<u8>, j: &str) {
    let b = j.as_bytes();
    if !crate::sink::safe::needs_escape(b, false) {
        out.extend_from_slice(b);
        return;
    }
    let (mut start, mut i, mut in_str) = (0, 0, false);
    while i < b.len() {
        let c = b[i];
        if in_str {
            match c {
                b'\\' => {
                    i += 2;
                    continue;
                }
                b'"' => in_str = false,
                // (the first bytes of the characters that may need it)
                0..=0x1f | 0x7f | 0xc2 | 0xd8 | 0xe2 => {
                    if let Some(ch) = unsafe_char_at(j, i) {
                        out.extend_from_slice(&b[start..i]);
                        push_u_escape(out, ch);
                        i += ch.len_utf8();
                        start = i;
                        continue;
                    }
                }
                _ => {}
            }
        } else if c == b'"' {
            in_str = true;
        } else if c < 0x20 || c == 0x7f {
            out.extend_from_slice(&b[start..i]);
            start = i + 1;
        }
        i += 1;
    }
    out.extend_from_slice(&b[start.min(b.len())..]);
}

/// Looks up a dotted path (`method`, `req.method`, `a.0.b` for arrays) inside a JSON text.
pub fn lookup_path<'a>(json: &'a str, path: &str) -> Option<Cow<'a, str>> {
    let raw = lookup_raw(json, path)?;
    Some(raw.to_text())
}

/// Like [`lookup_path`] but returns the raw value.
pub fn lookup_raw<'a>(json: &'a str, path: &str) -> Option<Raw<'a>> {
    lookup_raw_in(json, path, false)
}

/// [`lookup_raw`] in a text known to be [`is_clean`] (`clean`), or not known to be.
fn lookup_raw_in<'a>(json: &'a str, path: &str, clean: bool) -> Option<Raw<'a>> {
    let (head, rest) = match path.split_once('.') {
        Some((h, r)) => (h, Some(r)),
        None => (path, None),
    };
    let t = json.trim_start();
    let found = if t.starts_with('{') {
        let mut found = None;
        // A key may itself contain dots ("service.name"): try the whole remaining path first.
        let mut whole = None;
        scan_object_in(t, clean, |k, kesc, v| {
            let key = unescape(k, kesc);
            if whole.is_none() && key == path {
                whole = Some(v);
            }
            if found.is_none() && key == head {
                found = Some(v);
            }
        })
        .ok()?;
        if let Some(w) = whole {
            return Some(w);
        }
        found?
    } else if t.starts_with('[') {
        let idx: usize = head.parse().ok()?;
        let mut sc = Scanner { s: t, b: t.as_bytes(), i: 1, clean };
        let mut n = 0;
        loop {
            if sc.peek_ws().ok()? == b']' {
                return None;
            }
            let v = sc.value(1).ok()?;
            if n == idx {
                break v;
            }
            n += 1;
            if sc.peek_ws().ok()? != b',' {
                return None;
            }
            sc.i += 1;
        }
    } else {
        return None;
    };
    match rest {
        None => Some(found),
        Some(r) if matches!(found.kind, Kind::Obj | Kind::Arr) => lookup_raw_in(found.text, r, clean),
        Some(_) => None,
    }
}

/// Which JSON logging library wrote an object, guessed from its keys.
fn dialect(flags: u32) -> &'static str {
    use alias::flag::*;
    if flags & DOCKER == DOCKER {
        "docker"
    } else if flags & JOURNALD != 0 {
        "journald"
    } else if flags & GELF != 0 {
        "gelf"
    } else if flags & SERILOG != 0 {
        "serilog"
    } else if flags & ECS != 0 {
        "ecs"
    } else if flags & BUNYAN == BUNYAN {
        "bunyan"
    } else if flags & NUM_LEVEL != 0 && flags & NUM_TIME != 0 {
        "pino"
    } else if flags & ZAP == ZAP {
        "zap"
    } else if flags & STRUCTLOG != 0 {
        "structlog"
    } else if flags & LOGRUS == LOGRUS {
        "logrus"
    } else {
        "json"
    }
}

/// Reads a level value: a word, a single letter, or a number (pino/bunyan steps or syslog
/// severities; `syslog_numbers` forces the latter, as GELF and journald mean it).
pub fn level_value(v: &Raw<'_>, syslog_numbers: bool) -> Option<Level> {
    // The common case, a plain word: no copy, no trimming, no attempt at a number (a word
    // parse_word knows has no spaces and is not a number, so the answer is the same).
    if v.kind == Kind::Str && !v.escaped {
        if let Some(l) = Level::parse_word(v.text) {
            return Some(l);
        }
    }
    let text = v.to_text();
    let t = text.trim();
    if let Ok(n) = t.parse::<i64>() {
        return if syslog_numbers {
            (0..=7).contains(&n).then(|| Level::from_syslog_severity(n as u8))
        } else {
            Level::from_number(n)
        };
    }
    if t.len() == 1 {
        return Level::from_letter(t.as_bytes()[0].to_ascii_uppercase());
    }
    Level::parse_word(t)
}

/// Reads a timestamp value: an RFC 3339 or other known string, an epoch number of any unit,
/// MongoDB's `{"$date": ...}` or log4j2's `{"epochSecond": ..., "nanoOfSecond": ...}`.
pub fn ts_value(v: &Raw<'_>, r: &mut Resolver) -> Option<Timestamp> {
    match v.kind {
        Kind::Str => {
            let s = v.to_text();
            time::parse_full(&s, r).or_else(|| time::epoch_number(s.trim()))
        }
        Kind::Num => time::epoch_number(v.text),
        Kind::Obj => {
            if let Some(d) = lookup_raw(v.text, "$date") {
                return ts_value(&d, r);
            }
            let secs: i64 = lookup_raw(v.text, "epochSecond")?.text.parse().ok()?;
            let nanos: u32 = lookup_raw(v.text, "nanoOfSecond").and_then(|n| n.text.parse().ok()).unwrap_or(0);
            let mut digits = 9u8;
            let mut n = nanos;
            while digits > 0 && n % 10 == 0 {
                n /= 10;
                digits -= 1;
            }
            Timestamp::try_from_parts(secs, nanos, digits.max(if nanos == 0 { 0 } else { 3 }))
        }
        _ => None,
    }
}

/// Renders a message template with the entry's fields; `known` holds the well-known values
/// under the keys they were read from (`{UserName}` names the user).
fn render_template(tpl: &str, fields: &[(Cow<'_, str>, Value<'_>)], known: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(tpl.len() + 16);
    let mut rest = tpl;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        if let Some(stripped) = after.strip_prefix('{') {
            out.push('{');
            rest = stripped;
            continue;
        }
        let Some(close) = after.find('}') else {
            out.push_str(&rest[open..]);
            return out;
        };
        let name = after[..close].trim_start_matches(['@', '$']);
        let name = name.split([':', ',']).next().unwrap_or(name);
        match fields.iter().find(|(k, _)| k == name) {
            Some((_, v)) => out.push_str(v.as_text()),
            None => match known.iter().find(|(k, _)| *k == name) {
                Some((_, v)) => out.push_str(v),
                None => out.push_str(&rest[open..open + close + 2]),
            },
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest.replace("}}", "}").as_str());
    out
}

/// What [`facts`] reads: time, level, dialect, and the message when asked.
pub type Facts<'a> = (Option<Timestamp>, Option<Level>, &'static str, Option<Cow<'a, str>>);

/// Only the time, the level and the dialect of a JSON object, without building fields (for
/// counting and statistics). Returns None when the object needs a full parse (nested
/// level or time, a message template, Docker's wrapper) or is not valid.
///
/// With the file's dialect known, reading stops at the first time and level keys (and the
/// message's, `want_msg`); the line must still end with its closing brace (`closed`: the
/// caller checks the whole line, as `s` may be only its first bytes; running out of them
/// gives None). Without `want_facts` only the message is wanted: reading stops at it, and the
/// time and level are neither looked for nor read (None).
pub fn facts<'a>(
    s: &'a str,
    closed: bool,
    r: &mut Resolver,
    file_dialect: Option<&'static str>,
    want_msg: bool,
    want_facts: bool,
) -> Option<Facts<'a>> {
    let mut flags = 0u32;
    let mut ts_raw: Option<Raw<'_>> = None;
    let mut level_raw: Option<Raw<'_>> = None;
    let mut msg_raw: Option<Raw<'a>> = None;
    let mut nested = false;
    let mut sc = Scanner { s, b: s.as_bytes(), i: 0, clean: false };
    if sc.peek_ws().ok()? != b'{' || !closed {
        return None;
    }
    sc.i += 1;
    let early = file_dialect.is_some();
    while sc.peek_ws().ok()? != b'}' {
        if sc.peek().ok()? != b'"' {
            return None;
        }
        let (k, kesc) = sc.string().ok()?;
        if sc.peek_ws().ok()? != b':' {
            return None;
        }
        sc.i += 1;
        let v = sc.value(1).ok()?;
        if kesc {
            nested = true;
        } else {
            let (role, f) = alias::lookup_with_flags(k, &v);
            flags |= f;
            if v.kind == Kind::Obj {
                nested = true;
            }
            match role {
                Some(Role::Ts) if ts_raw.is_none() => ts_raw = Some(v),
                Some(Role::Level) if level_raw.is_none() && matches!(v.kind, Kind::Str | Kind::Num) => {
                    level_raw = Some(v)
                }
                Some(Role::Msg) if msg_raw.is_none() && v.kind == Kind::Str => msg_raw = Some(v),
                Some(Role::Template) => nested = true,
                _ => {}
            }
            if early && (!want_facts || (ts_raw.is_some() && level_raw.is_some())) && (!want_msg || msg_raw.is_some()) {
                break;
            }
        }
        match sc.peek_ws().ok()? {
            b',' => sc.i += 1,
            b'}' => break,
            _ => return None,
        }
    }
    let missing = (want_facts && (ts_raw.is_none() || level_raw.is_none())) || (want_msg && msg_raw.is_none());
    if (missing && nested) || flags & alias::flag::DOCKER == alias::flag::DOCKER {
        return None;
    }
    let (name, syslog_numbers) = match file_dialect {
        Some(d) => (d, matches!(d, "gelf" | "journald")),
        None => (dialect(flags), flags & (alias::flag::GELF | alias::flag::JOURNALD) != 0),
    };
    if !want_facts {
        // (the message of the full parse: the first string of a message key at the top)
        return Some((None, None, name, msg_raw.map(|m| m.to_text())));
    }
    let ts = ts_raw.and_then(|v| ts_value(&v, r));
    let level = level_raw.and_then(|v| level_value(&v, syslog_numbers));
    // A value that does not read as a time or a level would be kept as a field by the full
    // parse: only a full parse gives the same entry then.
    if (ts_raw.is_some() && ts.is_none()) || (level_raw.is_some() && level.is_none()) {
        return None;
    }
    Some((ts, level, name, msg_raw.map(|m| m.to_text())))
}

/// The dialect of one JSON line, from its keys (None when it is not an object).
pub fn line_dialect(s: &str) -> Option<&'static str> {
    let mut flags = 0u32;
    scan_object(s, |k, _, v| flags |= alias::key_flags(k, &v)).ok()?;
    Some(dialect(flags))
}

/// Names an entry after its file's dialect, and reads a numeric level by that dialect.
pub fn apply_dialect(e: &mut Entry<'_>, d: &'static str) {
    if e.format == "docker" {
        return;
    }
    e.format = d;
}

fn has_objects_in(fields: &[(Cow<'_, str>, Value<'_>)]) -> bool {
    fields.iter().any(|(_, v)| matches!(v, Value::Json(j) if j.starts_with('{')))
}

/// Fills `e` from the JSON object `s`. Returns Err when `s` is not one valid JSON object.
///
/// # Errors
/// [`JsonError`] when `s` is not exactly one JSON object.
pub fn parse_entry<'a>(s: &'a str, e: &mut Entry<'a>, r: &mut Resolver) -> Result<(), JsonError> {
    parse_entry_in(s, false, e, r)
}

/// [`parse_entry`] of a text known to be [`is_clean`] (`clean`), or not known to be (the
/// parser knows it of the lines it reads; checking it here again would cost a pass).
pub(crate) fn parse_entry_in<'a>(
    s: &'a str,
    clean: bool,
    e: &mut Entry<'a>,
    r: &mut Resolver,
) -> Result<(), JsonError> {
    let mut flags = 0u32;
    let mut ts_raw: Option<Raw<'a>> = None;
    let mut level_raw: Option<Raw<'a>> = None;
    let mut ts_key: Option<Cow<'a, str>> = None;
    let mut level_key: Option<Cow<'a, str>> = None;
    let mut msg_raw: Option<Raw<'a>> = None;
    let mut tpl_raw: Option<Raw<'a>> = None;
    let fields = &mut e.fields;
    let known = &mut e.known;
    // The keys the well-known values were read from (a template may name them).
    let mut known_keys: [Option<Cow<'a, str>>; 5] = Default::default();
    scan_object_in(s, clean, |k, kesc, v| {
        let key = unescape(k, kesc);
        let (role, f) = alias::lookup_with_flags(&key, &v);
        flags |= f;
        match role {
            Some(Role::Ts) if ts_raw.is_none() => {
                ts_raw = Some(v);
                ts_key = Some(key);
            }
            Some(Role::Level) if level_raw.is_none() && matches!(v.kind, Kind::Str | Kind::Num) => {
                level_raw = Some(v);
                level_key = Some(key);
            }
            Some(Role::Msg) if msg_raw.is_none() && v.kind == Kind::Str => msg_raw = Some(v),
            Some(Role::Template) if tpl_raw.is_none() => tpl_raw = Some(v),
            Some(Role::Known(w))
                if known[w as usize].is_none()
                    && matches!(v.kind, Kind::Str | Kind::Num)
                    && !v.text.is_empty()
                    && v.text != "-"
                    && v.text != "--" =>
            {
                known[w as usize] = Some(v.to_text());
                known_keys[w as usize] = Some(key);
            }
            _ => fields.push((key, v.to_value())),
        }
    })?;
    e.format = dialect(flags);
    let syslog_numbers = flags & (alias::flag::GELF | alias::flag::JOURNALD) != 0;
    // Values that are missing at the top level may sit in a well-known nested object.
    if has_objects_in(&e.fields) && (msg_raw.is_none() || level_raw.is_none() || ts_raw.is_none()) {
        for (path, role) in alias::NESTED {
            let want = match role {
                Role::Msg => msg_raw.is_none(),
                Role::Level => level_raw.is_none(),
                Role::Ts => ts_raw.is_none(),
                _ => false,
            };
            if !want {
                continue;
            }
            let (head, rest) = path.split_once('.').unwrap_or((path, ""));
            let Some(obj) = e.fields.iter().find_map(|(k, v)| match v {
                Value::Json(j) if k == head => Some(j.clone()),
                _ => None,
            }) else {
                continue;
            };
            // Nested values are re-scanned from the borrowed line text.
            let Cow::Borrowed(obj) = obj else { continue };
            if let Some(v) = lookup_raw_in(obj, rest, clean) {
                match role {
                    Role::Msg if v.kind == Kind::Str => msg_raw = Some(v),
                    Role::Level => level_raw = Some(v),
                    Role::Ts => ts_raw = Some(v),
                    _ => {}
                }
            }
        }
    }
    let has_objects = e.fields.iter().any(|(_, v)| matches!(v, Value::Json(j) if j.starts_with('{')));
    for (head, rest, w) in alias::NESTED_KNOWN {
        if !has_objects {
            break;
        }
        if e.known[*w as usize].is_some() {
            continue;
        }
        let found = e.fields.iter().find_map(|(k, v)| match v {
            Value::Json(Cow::Borrowed(j)) if k == head => lookup_raw_in(j, rest, clean),
            _ => None,
        });
        if let Some(v) = found {
            if matches!(v.kind, Kind::Str | Kind::Num) && !v.text.is_empty() {
                e.known[*w as usize] = Some(v.to_text());
            }
        }
    }
    e.ts = ts_raw.and_then(|v| ts_value(&v, r));
    e.level = level_raw.and_then(|v| level_value(&v, syslog_numbers));
    // A value that did not read as a time or a level is kept as an ordinary field.
    if let (None, Some(k), Some(v)) = (e.ts, ts_key, ts_raw) {
        e.fields.push((k, v.to_value()));
    }
    if let (None, Some(k), Some(v)) = (e.level, level_key, level_raw) {
        e.fields.push((k, v.to_value()));
    }
    e.msg = match (msg_raw, tpl_raw) {
        (Some(m), _) => m.to_text(),
        (None, Some(t)) => {
            let known: Vec<(&str, &str)> = known_keys
                .iter()
                .zip(e.known.iter())
                .filter_map(|(k, v)| Some((k.as_deref()?, v.as_deref()?)))
                .collect();
            Cow::Owned(render_template(&t.to_text(), &e.fields, &known))
        }
        (None, None) => Cow::Borrowed(""),
    };
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entry::WellKnown;
    use crate::time::Zone;

    fn parse(s: &str) -> Entry<'_> {
        let mut e = Entry::default();
        let mut r = Resolver::new(Zone::Utc, 1_795_000_000);
        parse_entry(s, &mut e, &mut r).expect("valid");
        e
    }

    #[test]
    fn scanner_accepts_and_rejects() {
        assert!(is_valid(r#"{"a":[1,2,{"b":null}],"c":"x\u00e9\n","d":-1.5e3,"e":true}"#));
        for bad in [r#"{"a":}"#, r#"{"a":1,}"#, r#"{'a':1}"#, r#"{"a":01x}"#, "{\"a\":\"\x01\"}", r#"{"a":tru}"#] {
            assert!(!is_valid(bad), "{bad}");
        }
        let deep = "[".repeat(200) + &"]".repeat(200);
        assert!(!is_valid(&deep));
        let ok = "[".repeat(100) + &"]".repeat(100);
        assert!(is_valid(&ok));
        let mut n = 0;
        assert_eq!(scan_object(r#"{"a":"x""#, |_, _, _| n += 1), Err(JsonError::Incomplete));
    }

    /// The scanner (sixteen-byte string search, eight-byte digit runs, whitespace skipped by
    /// the next token's test) agrees with serde_json on what is valid, and hands out the same
    /// values, over generated objects: numbers of every shape around the eight-byte runs,
    /// strings with quotes, escapes and control bytes on both sides of sixteen-byte blocks,
    /// whitespace anywhere, nesting, cut lines.
    #[test]
    fn scanner_agrees_with_serde_json_on_generated_objects() {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        const PIECES: [&str; 12] =
            ["a", "é", "\\\"", "\\n", "\\u00e9", "\\", "\"", "\u{1}", "\t", " ", "xxxxxxx", "\\/"];
        // (with the bytes on both sides of the digits' range: `/` and `:`)
        const NUMS: [&str; 17] =
            ["0", "-", "1", "9", "12345678", "00", ".", "5", "e", "E", "+", "-", "7", "0", "99999999", "/", ":"];
        const WS: [&str; 5] = ["", "", "", " ", "\n\t "];
        let mut agreed = (0, 0);
        for _ in 0..20_000 {
            let mut line = String::from(WS[next(5) as usize]);
            line.push('{');
            let keys = next(5);
            for k in 0..keys {
                if k > 0 || next(40) == 0 {
                    line.push(',');
                }
                line.push_str(WS[next(5) as usize]);
                line.push_str(&format!("\"k{k}\""));
                line.push_str(WS[next(5) as usize]);
                line.push(':');
                line.push_str(WS[next(5) as usize]);
                match next(5) {
                    0 | 1 => {
                        line.push('"');
                        for _ in 0..next(12) {
                            line.push_str(PIECES[next(PIECES.len() as u64) as usize]);
                        }
                        line.push('"');
                    }
                    2 => {
                        for _ in 0..1 + next(6) {
                            line.push_str(NUMS[next(NUMS.len() as u64) as usize]);
                        }
                    }
                    3 => {
                        line.push_str(["true", "null", "fals", "[1, {\"x\": [2.5e-3]} ]", "{}", "[]"][next(6) as usize])
                    }
                    _ => line.push_str(&format!("{}", next(u64::MAX) as i64)),
                }
                line.push_str(WS[next(5) as usize]);
            }
            line.push('}');
            line.push_str(WS[next(5) as usize]);
            if next(30) == 0 {
                let mut cut = next(line.len() as u64 + 1) as usize;
                while !line.is_char_boundary(cut) {
                    cut -= 1;
                }
                line.truncate(cut);
            }
            let theirs = serde_json::from_str::<serde_json::Value>(&line);
            // (serde_json stops at a number too big for a float, which is valid JSON: no verdict)
            if theirs.as_ref().is_err_and(|e| e.to_string().starts_with("number out of range")) {
                continue;
            }
            let valid = theirs.is_ok();
            let mut ours = Vec::new();
            let scanned = scan_object(&line, |k, kesc, v| {
                ours.push((unescape(k, kesc).into_owned(), v.kind, v.to_text().into_owned()))
            });
            assert_eq!(scanned.is_ok(), valid, "{line:?}: {theirs:?}");
            assert_eq!(is_valid(&line), valid, "{line:?}");
            if let Ok(serde_json::Value::Object(map)) = theirs {
                agreed.0 += 1;
                for (k, kind, text) in &ours {
                    let v = &map[k];
                    match kind {
                        Kind::Str => assert_eq!(v.as_str(), Some(text.as_str()), "{line:?}"),
                        _ => assert_eq!(
                            serde_json::from_str::<serde_json::Value>(text).ok().as_ref(),
                            Some(v),
                            "{line:?}"
                        ),
                    }
                }
            } else {
                agreed.1 += 1;
            }
        }
        // Both kinds were generated in numbers.
        assert!(agreed.0 > 3000 && agreed.1 > 3000, "{agreed:?}");
    }

    #[test]
    fn json_text_is_written_on_one_line_and_inert_with_the_same_value() {
        let cases = [
            "{\"a\":1}",
            "{\n  \"a\": [1,\n\t2],\r\n  \"b\": {\"c\": \"x\"}\n}",
            "{\"a\":\"x\u{9b}31m\u{202e}abc\u{7f}\u{61c}\u{200f}y\",\"q\":\"say \\\"hi\\\" \\\\\\n \u{85}\"}",
            "[\"\u{2066}\",\n\"caf\u{e9} \u{1F600}\", \"\\u009b\"]",
        ];
        for j in cases {
            let mut out = Vec::new();
            write_json_text(&mut out, j);
            let text = std::str::from_utf8(&out).unwrap();
            assert!(!crate::sink::safe::needs_escape(text.as_bytes(), false), "{text:?}");
            let want: serde_json::Value = serde_json::from_str(j).unwrap();
            let got: serde_json::Value = serde_json::from_str(text).unwrap();
            assert_eq!(got, want, "{j:?} -> {text:?}");
        }
        // Plain text is copied as it is.
        let mut out = Vec::new();
        write_json_text(&mut out, "{\"a\": \"caf\u{e9}\"}");
        assert_eq!(out, "{\"a\": \"caf\u{e9}\"}".as_bytes());
        // And write_str escapes the same characters (U+061C too).
        let mut out = Vec::new();
        write_str(&mut out, "a\u{61c}b\u{9b}c\u{202e}");
        assert_eq!(std::str::from_utf8(&out).unwrap(), "\"a\\u061cb\\u009bc\\u202e\"");
    }

    #[test]
    fn unescapes() {
        assert_eq!(unescape(r#"a\nb\u00e9\ud83d\ude00\"q\\"#, true), "a\nbé😀\"q\\");
        let mut out = Vec::new();
        write_str(&mut out, "a\"b\\\n\u{1b}[2J");
        assert_eq!(String::from_utf8(out).unwrap(), r#""a\"b\\\n\u001b[2J""#);
        let mut out = Vec::new();
        write_str(&mut out, "é\u{9b}31m \u{202e}x \u{7f} ok€ a long enough plain run to use words");
        assert_eq!(
            String::from_utf8(out).unwrap(),
            r#""é\u009b31m \u202ex \u007f ok€ a long enough plain run to use words""#
        );
    }

    #[test]
    fn pino() {
        let e = parse(
            r#"{"level":30,"time":1794614400123,"pid":42,"hostname":"directus-1","reqId":"req-1","req":{"method":"GET","url":"/x"},"msg":"request completed"}"#,
        );
        assert_eq!(e.format, "pino");
        assert_eq!(e.level, Some(Level::Info));
        assert_eq!(e.ts.unwrap().to_rfc3339(), "2026-11-14T00:00:00.123Z");
        assert_eq!(e.msg, "request completed");
        assert_eq!(e.get_known(WellKnown::Host), Some("directus-1"));
        assert_eq!(e.get_known(WellKnown::RequestId), Some("req-1"));
        assert_eq!(e.field("req.method").as_deref(), Some("GET"));
        assert_eq!(e.field("pid").as_deref(), Some("42"));
    }

    #[test]
    fn zap_as_cells_writes_it() {
        let e = parse(
            r#"{"level":"warn","ts":"2026-11-14T00:00:01.500Z","logger":"pydio.grpc.tree","msg":"slow","SpanUuid":"a","SpanRootUuid":"root-1","RemoteAddress":"10.0.0.1","UserName":"alice"}"#,
        );
        assert_eq!(e.format, "zap");
        assert_eq!(e.level, Some(Level::Warn));
        assert_eq!(e.get_known(WellKnown::Service), Some("pydio.grpc.tree"));
        assert_eq!(e.get_known(WellKnown::User), Some("alice"));
        assert_eq!(e.get_known(WellKnown::Ip), Some("10.0.0.1"));
        assert_eq!(e.get_known(WellKnown::RequestId), Some("root-1"));
        assert_eq!(e.fields.len(), 1);
    }

    #[test]
    fn well_known_values_in_many_nested_objects() {
        // ECS nests each well-known value in an object of its own; the last ones count too.
        let e = parse(
            r#"{"@timestamp":"2025-01-13T09:58:13Z","log":{"logger":"api"},"host":{"hostname":"web-1"},"user":{"name":"ann"},"source":{"port":1},"request":{"x":1},"client":{"ip":"10.0.0.9"},"trace":{"id":"t-7"},"message":"m"}"#,
        );
        assert_eq!(e.get_known(WellKnown::Service), Some("api"));
        assert_eq!(e.get_known(WellKnown::Host), Some("web-1"));
        assert_eq!(e.get_known(WellKnown::User), Some("ann"));
        assert_eq!(e.get_known(WellKnown::Ip), Some("10.0.0.9"));
        assert_eq!(e.get_known(WellKnown::RequestId), Some("t-7"));
    }

    #[test]
    fn other_dialects() {
        let e = parse(
            r#"{"@timestamp":"2025-01-13T09:58:13.631Z","log.level":"debug","message":"m","ecs.version":"1.6.0"}"#,
        );
        assert_eq!((e.format, e.level), ("ecs", Some(Level::Debug)));
        let e = parse(r#"{"@t":"2026-11-21T10:00:00Z","@mt":"Hello {User} {{x}}","User":"bob","@l":"Warning"}"#);
        assert_eq!((e.format, e.level, e.msg.as_ref()), ("serilog", Some(Level::Warn), "Hello bob {x}"));
        // A template may name a value read as a well-known field.
        let e = parse(
            r#"{"@t":"2026-11-21T10:00:00Z","@mt":"{UserName} from {RemoteAddress:l} in {Missing}","UserName":"carol","RemoteAddress":"10.0.0.1"}"#,
        );
        assert_eq!(e.msg, "carol from 10.0.0.1 in {Missing}");
        assert_eq!(e.get_known(WellKnown::User), Some("carol"));
        let e = parse(
            r#"{"time":"2026-11-21T10:00:00Z","level":"info","messageTemplate":"user {user} left","user":"dave"}"#,
        );
        assert_eq!((e.format, e.msg.as_ref()), ("serilog", "user dave left"));
        let e = parse(r#"{"version":"1.1","host":"h","short_message":"s","timestamp":1763719200.5,"level":3}"#);
        assert_eq!((e.format, e.level, e.get_known(WellKnown::Host)), ("gelf", Some(Level::Error), Some("h")));
        assert_eq!(e.ts.unwrap().to_rfc3339(), "2025-11-21T10:00:00.5Z");
        let e = parse(
            r#"{"__REALTIME_TIMESTAMP":"1763719200123456","PRIORITY":"4","MESSAGE":"m","_HOSTNAME":"h","SYSLOG_IDENTIFIER":"sshd"}"#,
        );
        assert_eq!((e.format, e.level), ("journald", Some(Level::Warn)));
        assert_eq!(e.ts.unwrap().to_rfc3339(), "2025-11-21T10:00:00.123456Z");
        assert_eq!(e.get_known(WellKnown::Service), Some("sshd"));
        let e = parse(
            r#"{"timestamp":"2025-10-28T19:15:10.821315Z","level":"INFO","fields":{"message":"yaks","n":3},"target":"fmt_json"}"#,
        );
        assert_eq!((e.msg.as_ref(), e.get_known(WellKnown::Service)), ("yaks", Some("fmt_json")));
        let e = parse(r#"{"ts": "2013-09-06T20:00:48.124817Z", "@fields": { "lvl": "TRACE", "msg": "trace test"}}"#);
        assert_eq!((e.msg.as_ref(), e.level), ("trace test", Some(Level::Trace)));
        let e = parse(r#"{"t":{"$date":"2026-03-10T20:58:09.401+00:00"},"s":"W","c":"NETWORK","msg":"x"}"#);
        assert_eq!((e.level, e.ts.unwrap().to_rfc3339().as_str()), (Some(Level::Warn), "2026-03-10T20:58:09.401Z"));
        let e = parse(r#"{"instant":{"epochSecond": 1663977609,"nanoOfSecond": 484000000}, "msg": "Hello"}"#);
        assert_eq!(e.ts.unwrap().to_rfc3339(), "2022-09-24T00:00:09.484Z");
    }
}
