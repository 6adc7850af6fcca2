//! Entry boundaries in a byte buffer: lines found with memchr, grouped into entries by the
//! format's per-line `starts_entry` test; chunking of big buffers at entry boundaries for
//! parallel readers.

use std::ops::Range;

use crate::format::Parser;

/// One entry's place in a buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte, excluding the final `\n`.
    pub end: usize,
    /// Physical lines.
    pub lines: u32,
    /// Whether a `\n` follows `end`.
    pub eol: bool,
}

impl Span {
    /// Index just past the entry (and its newline).
    pub fn next(&self) -> usize {
        self.end + usize::from(self.eol)
    }
}

/// Iterates entry spans of `data`. When `complete` is false, the buffer may end in the middle
/// of an entry: the last entry is held back (`next` returns None and [`SpanIter::pos`] is
/// where the held entry starts), so a streaming reader can refill and resume.
pub struct SpanIter<'d, 'p> {
    data: &'d [u8],
    /// Where the next entry starts.
    pub pos: usize,
    parser: &'p Parser,
    complete: bool,
    /// The end (newline index) of the line starting at `pos`, when already found.
    known_end: Option<usize>,
}

impl<'d, 'p> SpanIter<'d, 'p> {
    /// Spans of `data` from `pos`.
    pub fn new(data: &'d [u8], pos: usize, parser: &'p Parser, complete: bool) -> SpanIter<'d, 'p> {
        SpanIter { data, pos, parser, complete, known_end: None }
    }
}

impl Iterator for SpanIter<'_, '_> {
    type Item = Span;

    #[inline]
    fn next(&mut self) -> Option<Span> {
        let data = self.data;
        let len = data.len();
        let start = self.pos;
        if start >= len {
            return None;
        }
        let found = match self.known_end.take() {
            Some(e) => Some(e),
            None => memchr::memchr(b'\n', &data[start..]).map(|i| start + i),
        };
        let first_end = match found {
            Some(i) => i,
            None => {
                if !self.complete {
                    return None;
                }
                self.pos = len;
                return Some(Span { start, end: len, lines: 1, eol: false });
            }
        };
        let mut lines = 1u32;
        let mut end = first_end;
        let mut p = first_end + 1;
        loop {
            if p >= len {
                if !self.complete {
                    return None;
                }
                self.pos = len;
                return Some(Span { start, end, lines, eol: true });
            }
            if self.parser.opens_entry(data[p]) {
                self.pos = p;
                return Some(Span { start, end, lines, eol: true });
            }
            let (line_end, has_nl) = match memchr::memchr(b'\n', &data[p..]) {
                Some(i) => (p + i, true),
                None => (len, false),
            };
            if !has_nl && !self.complete {
                // The next line is not finished: it may still turn out to continue this entry.
                return None;
            }
            if self.parser.starts_entry(&data[p..line_end]) {
                self.pos = p;
                self.known_end = has_nl.then_some(line_end);
                return Some(Span { start, end, lines, eol: true });
            }
            lines += 1;
            end = line_end;
            if !has_nl {
                self.pos = len;
                return Some(Span { start, end, lines, eol: false });
            }
            p = line_end + 1;
        }
    }
}

/// Splits `data` into ranges of about `target` bytes that each start at an entry boundary.
pub fn chunks(data: &[u8], parser: &Parser, target: usize) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let len = data.len();
    let mut start = 0;
    while start < len {
        let mut cut = start + target;
        if cut >= len {
            out.push(start..len);
            break;
        }
        // The first line start after `cut` that begins an entry.
        loop {
            match memchr::memchr(b'\n', &data[cut..]) {
                None => {
                    cut = len;
                    break;
                }
                Some(i) => {
                    let ls = cut + i + 1;
                    if ls >= len {
                        cut = len;
                        break;
                    }
                    let le = memchr::memchr(b'\n', &data[ls..]).map_or(len, |j| ls + j);
                    if parser.starts_entry(&data[ls..le]) {
                        cut = ls;
                        break;
                    }
                    cut = ls;
                }
            }
        }
        out.push(start..cut);
        start = cut;
    }
    out
}

/// Byte offsets of every line start of `data`, found on all cores (the line index). Offsets
/// are 64-bit: no limit on the number of lines.
pub fn line_offsets(data: &[u8]) -> Vec<u64> {
    use rayon::prelude::*;
    const PART: usize = 8 << 20;
    if data.is_empty() {
        return Vec::new();
    }
    // Counted first, so each part writes its offsets in place (no copy, no second buffer).
    let counts: Vec<usize> = data.par_chunks(PART).map(|p| bytecount::count(p, b'\n')).collect();
    offsets_in_place(data, PART, &counts)
}

/// The offsets of [`line_offsets`], each part of `part_len` bytes written where `counts` (its
/// newlines, counted before) puts it; a part that does not hold its count (the file changed
/// since) makes them all read again into buffers of their own.
fn offsets_in_place(data: &[u8], part_len: usize, counts: &[usize]) -> Vec<u64> {
    use rayon::prelude::*;
    let part = |k: usize| &data[k * part_len..((k + 1) * part_len).min(data.len())];
    let n_parts = counts.len();
    let mut out = vec![0u64; 1 + counts.iter().sum::<usize>()];
    let mut slots: Vec<&mut [u64]> = Vec::with_capacity(n_parts);
    let mut rest = &mut out[1..];
    for &c in counts {
        let (mine, tail) = rest.split_at_mut(c);
        slots.push(mine);
        rest = tail;
    }
    let filled = slots.into_par_iter().enumerate().all(|(k, slot)| {
        let mut i = 0;
        for_each_line_start(part(k), (k * part_len) as u64, |o| {
            if let Some(x) = slot.get_mut(i) {
                *x = o;
            }
            i += 1;
        });
        i == slot.len()
    });
    if !filled {
        // The file changed between the two reads (written in place, or cut: its lost pages
        // read as zeros): offsets of one read only, in one buffer per part.
        let parts: Vec<Vec<u64>> = (0..n_parts)
            .into_par_iter()
            .map(|k| {
                let mut v = Vec::new();
                for_each_line_start(part(k), (k * part_len) as u64, |o| v.push(o));
                v
            })
            .collect();
        out.truncate(1);
        out.extend(parts.into_iter().flatten());
    }
    if out.last() == Some(&(data.len() as u64)) {
        // (the file's final newline starts no line)
        out.pop();
    }
    out
}

/// Calls `f(base + i + 1)` for every `\n` at `i` in `data`, in order: the starts of the
/// lines after them. Lines of logs are short (a newline every 100 bytes or so), where calling
/// memchr once per newline costs more than the search: the newlines of 64 bytes are found at
/// once as a bit mask and read off it.
#[inline]
fn for_each_line_start(data: &[u8], base: u64, mut f: impl FnMut(u64)) {
    let mut blocks = data.chunks_exact(64);
    let mut at = base + 1;
    for block in &mut blocks {
        let Ok(block) = <&[u8; 64]>::try_from(block) else { break };
        let mut m = newline_mask(block);
        while m != 0 {
            f(at + u64::from(m.trailing_zeros()));
            m &= m - 1;
        }
        at += 64;
    }
    for i in memchr::memchr_iter(b'\n', blocks.remainder()) {
        f(at + i as u64);
    }
}

/// Bit `i` set where `block[i]` is `\n`.
#[cfg(target_arch = "x86_64")]
#[inline]
fn newline_mask(block: &[u8; 64]) -> u64 {
    use std::arch::x86_64::{__m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_set1_epi8};
    let p = block.as_ptr().cast::<__m128i>();
    // SAFETY: SSE2 is part of every x86_64 CPU; the four unaligned 16-byte loads read the 64
    // bytes of `block` and nothing past them.
    unsafe {
        let nl = _mm_set1_epi8(b'\n' as i8);
        let m = |k: usize| u64::from(_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128(p.add(k)), nl)) as u16);
        m(0) | m(1) << 16 | m(2) << 32 | m(3) << 48
    }
}

/// Bit `i` set where `block[i]` is `\n`.
#[cfg(not(target_arch = "x86_64"))]
#[inline]
fn newline_mask(block: &[u8; 64]) -> u64 {
    block.iter().enumerate().fold(0, |m, (i, &c)| m | (u64::from(c == b'\n') << i))
}

/// Number of `\n` in `data`.
#[inline]
pub fn count_newlines(data: &[u8]) -> u64 {
    bytecount::count(data, b'\n') as u64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::{detect, Parser};
    use crate::time::{Resolver, Zone};

    fn parser_for(s: &[u8]) -> Parser {
        Parser::new(detect(s).format, Resolver::new(Zone::Utc, 0))
    }

    const TEXT: &[u8] = b"2026-11-14 00:00:00.100 [ERROR] a: x\njava.lang.IllegalStateException: boom\n\tat a.b(C.java:1)\n2026-11-14 00:00:01.000 [INFO] b: y\n2026-11-14 00:00:02.000 [INFO] c: z";

    #[test]
    fn line_offsets_are_every_line_start_for_any_length_and_layout() {
        fn naive(d: &[u8]) -> Vec<u64> {
            let mut v = if d.is_empty() { vec![] } else { vec![0] };
            v.extend(d.iter().enumerate().filter(|(i, &c)| c == b'\n' && i + 1 < d.len()).map(|(i, _)| i as u64 + 1));
            v
        }
        let mut seed = 7u64;
        for len in (0..300).chain([1000, 4095, 4096, 4097]) {
            for density in [2u64, 13, 97] {
                let d: Vec<u8> = (0..len)
                    .map(|_| {
                        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                        if (seed >> 33) % density == 0 {
                            b'\n'
                        } else {
                            b"ab\r\t\xff"[(seed >> 40) as usize % 5]
                        }
                    })
                    .collect();
                assert_eq!(line_offsets(&d), naive(&d), "len {len} density {density}");
                let mut ended = d.clone();
                ended.push(b'\n');
                assert_eq!(line_offsets(&ended), naive(&ended), "len {len} density {density}, final newline");
            }
        }
        assert_eq!(line_offsets(&[b'\n'; 200]), naive(&[b'\n'; 200]));
        // A file that changed between the count and the offsets (counts too low, too high):
        // the offsets are those of one reading still.
        let d: Vec<u8> = (0..1000u32).flat_map(|i| format!("line {i}\n").into_bytes()).collect();
        let right: Vec<usize> = d.chunks(100).map(|c| c.iter().filter(|&&b| b == b'\n').count()).collect();
        for k in [0, 3, right.len() - 1] {
            for delta in [-1isize, 1] {
                let mut counts = right.clone();
                counts[k] = counts[k].saturating_add_signed(delta);
                assert_eq!(offsets_in_place(&d, 100, &counts), naive(&d), "part {k} off by {delta}");
            }
        }
        assert_eq!(offsets_in_place(&d, 100, &right), naive(&d));
    }

    #[test]
    fn spans_group_continuations() {
        let p = parser_for(TEXT);
        let spans: Vec<Span> = SpanIter::new(TEXT, 0, &p, true).collect();
        assert_eq!(spans.len(), 3);
        assert_eq!(spans[0].lines, 3);
        assert!(!spans[2].eol && spans[2].end == TEXT.len());
        // Incomplete buffers hold the last entry back.
        // The second entry waits until the unfinished last line shows what it is.
        let mut it = SpanIter::new(TEXT, 0, &p, false);
        assert_eq!(it.by_ref().count(), 1);
        assert_eq!(&TEXT[it.pos..it.pos + 23], b"2026-11-14 00:00:01.000");
    }

    #[test]
    fn chunks_start_at_entries_for_every_size() {
        let mut data = Vec::new();
        for i in 0..500 {
            data.extend_from_slice(format!("2026-11-14 00:00:{:02}.000 [INFO] s: line {i}\n", i % 60).as_bytes());
            if i % 7 == 0 {
                data.extend_from_slice(b"\tat some.Frame(F.java:1)\n  more\n");
            }
        }
        let p = parser_for(&data);
        let whole: Vec<(usize, usize)> = SpanIter::new(&data, 0, &p, true).map(|s| (s.start, s.end)).collect();
        for target in [1, 7, 100, 4096, 64 * 1024] {
            let mut got = Vec::new();
            for r in chunks(&data, &p, target) {
                for s in SpanIter::new(&data[r.clone()], 0, &p, true) {
                    got.push((r.start + s.start, r.start + s.end));
                }
            }
            assert_eq!(got, whole, "target {target}");
        }
        assert_eq!(count_newlines(&data), data.iter().filter(|&&c| c == b'\n').count() as u64);
    }
}
