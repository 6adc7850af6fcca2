//! The entry index: one 12-byte record per entry (where it starts, in which file, its level,
//! and its time to the millisecond), for random access to gigabytes (the TUI). Records never
//! hold text: an entry is parsed from the mapped file when it is shown, with its exact time.
//!
//! What 12 bytes cost, and why it is worth it: a gigabyte of short lines is ~9 M entries, and
//! 16-byte records alone were more than the TUI's memory target of 16 bytes per entry.
//! - Times are kept to the millisecond (floored), from 1692 to 2248 (clamped outside). A
//!   filter bound on a whole millisecond (every time a person types, every day boundary)
//!   keeps exactly the entries it would with nanoseconds: `floor(t) >= b` iff `t >= b`.
//!   Entries of different files within the same millisecond keep file order (the merge is
//!   stable) rather than their sub-millisecond order.
//! - A file's offsets are 37 bits: the index holds the first [`MAX_FILE_BYTES`] (128 GiB) of
//!   a file, and at most [`MAX_FILES`] (2048) files; the TUI says so and skips what is beyond.

use rayon::prelude::*;

use crate::entry::{Entry, Level};
use crate::format::Parser;
use crate::index::lines::{self, SpanIter};

const KEY_BITS: u32 = 44;
const LEVEL_SHIFT: u32 = 45;
const FILE_SHIFT: u32 = 48;
const FILE_BITS: u32 = 11;
const OFFSET_SHIFT: u32 = FILE_SHIFT + FILE_BITS;
const OFFSET_BITS: u32 = 96 - OFFSET_SHIFT;
const KEY_MASK: u128 = (1 << KEY_BITS) - 1;
const KEY_BIAS: i64 = 1 << (KEY_BITS - 1);
const NANOS_PER_MS: i64 = 1_000_000;

/// Most files one index holds.
pub const MAX_FILES: usize = 1 << FILE_BITS;

/// Most bytes of one file the index reaches (entries starting beyond are not indexed).
pub const MAX_FILE_BYTES: u64 = 1 << OFFSET_BITS;

/// One entry: 12 bytes (96 bits: time in ms, has-time, level, file, offset).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(C)]
pub struct Rec {
    w: [u32; 3],
}

/// The sort key of a time in nanoseconds: milliseconds (floored), biased, clamped.
fn key_bits(nanos: i64) -> u128 {
    let ms = nanos.div_euclid(NANOS_PER_MS);
    (ms.clamp(-KEY_BIAS, KEY_BIAS - 1) + KEY_BIAS) as u128
}

impl Rec {
    /// A record. `offset` must be below [`MAX_FILE_BYTES`] and `file` below [`MAX_FILES`]
    /// (higher bits are dropped: callers check).
    pub fn new(offset: u64, file: usize, level: Option<Level>, ts: Option<i64>, prev_key: i64) -> Rec {
        debug_assert!(offset < MAX_FILE_BYTES && file < MAX_FILES);
        let lv = level.map_or(7u128, |l| l.index() as u128);
        let has = u128::from(ts.is_some());
        let bits = key_bits(ts.unwrap_or(prev_key))
            | (has << KEY_BITS)
            | (lv << LEVEL_SHIFT)
            | ((file as u128 & (MAX_FILES as u128 - 1)) << FILE_SHIFT)
            | ((offset as u128 & (MAX_FILE_BYTES as u128 - 1)) << OFFSET_SHIFT);
        Rec::from_bits(bits)
    }

    fn from_bits(b: u128) -> Rec {
        Rec { w: [b as u32, (b >> 32) as u32, (b >> 64) as u32] }
    }

    #[inline]
    fn bits(&self) -> u128 {
        self.w[0] as u128 | (self.w[1] as u128) << 32 | (self.w[2] as u128) << 64
    }

    /// Sort time (ns since the epoch, whole milliseconds): the entry's own, or the one before
    /// it in its file.
    #[inline]
    pub fn key(&self) -> i64 {
        ((self.bits() & KEY_MASK) as i64 - KEY_BIAS) * NANOS_PER_MS
    }

    /// Sets the sort time (for an entry without its own).
    pub fn set_key(&mut self, nanos: i64) {
        *self = Rec::from_bits((self.bits() & !KEY_MASK) | key_bits(nanos));
    }

    /// Byte offset of the entry in its file.
    pub fn offset(&self) -> u64 {
        (self.bits() >> OFFSET_SHIFT) as u64
    }

    /// Index of its file.
    pub fn file(&self) -> usize {
        ((self.bits() >> FILE_SHIFT) as usize) & (MAX_FILES - 1)
    }

    fn level_bits(&self) -> usize {
        ((self.bits() >> LEVEL_SHIFT) & 7) as usize
    }

    /// Its level.
    pub fn level(&self) -> Option<Level> {
        crate::entry::LEVELS.get(self.level_bits()).copied()
    }

    /// Level index 0..6 (6: none).
    pub fn level_index(&self) -> usize {
        self.level_bits().min(6)
    }

    /// Its own time (to the millisecond), if it has one.
    pub fn ts(&self) -> Option<i64> {
        ((self.bits() >> KEY_BITS) & 1 == 1).then(|| self.key())
    }
}

/// Records of `data` (a file, or its part from `base` on) with the entry starts of a parser.
/// Parsed on all cores, chunk by chunk; `prev_key` is the time before the first entry.
pub fn index_bytes(data: &[u8], base: u64, file: usize, parser: &Parser, prev_key: i64) -> Vec<Rec> {
    let ranges = lines::chunks(data, parser, 4 << 20);
    let parts: Vec<Vec<Rec>> = ranges
        .par_iter()
        .map(|r| {
            let mut p = parser.clone();
            let probe = parser.clone();
            let chunk = &data[r.clone()];
            let mut out = Vec::with_capacity(chunk.len() / 128);
            for span in SpanIter::new(chunk, 0, &probe, true) {
                let mut e = Entry { raw: &chunk[span.start..span.end], lines: span.lines, ..Entry::default() };
                p.parse_lite(&mut e, false, true);
                out.push(Rec::new(
                    base + (r.start + span.start) as u64,
                    file,
                    e.level,
                    e.ts.map(|t| t.nanos),
                    i64::MIN,
                ));
            }
            out
        })
        .collect();
    let mut out = Vec::with_capacity(parts.iter().map(Vec::len).sum());
    let mut prev = prev_key;
    for part in parts {
        for mut rec in part {
            // Entries without a time sort right after the entry before them.
            if rec.ts().is_none() {
                rec.set_key(prev);
            }
            prev = rec.key();
            out.push(rec);
        }
    }
    out
}

/// Merges per-file record lists into one chronological list (stable: equal times keep file
/// order, and each file's own order is kept). One list is returned as it is.
pub fn merge(mut parts: Vec<Vec<Rec>>) -> Vec<Rec> {
    if parts.len() == 1 {
        return parts.pop().unwrap_or_default();
    }
    merge_of(&parts)
}

/// [`merge`] of borrowed lists (a merge of the index so far, while the lists grow).
pub fn merge_of(parts: &[Vec<Rec>]) -> Vec<Rec> {
    let total = parts.iter().map(Vec::len).sum();
    let mut out = Vec::with_capacity(total);
    let mut heap = std::collections::BinaryHeap::new();
    let mut pos = vec![0usize; parts.len()];
    for (i, p) in parts.iter().enumerate() {
        if let Some(r) = p.first() {
            heap.push(std::cmp::Reverse((r.key(), i)));
        }
    }
    while let Some(std::cmp::Reverse((_, i))) = heap.pop() {
        out.push(parts[i][pos[i]]);
        pos[i] += 1;
        if let Some(r) = parts[i].get(pos[i]) {
            heap.push(std::cmp::Reverse((r.key(), i)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::detect;
    use crate::time::{Resolver, Zone};

    #[test]
    fn records_pack_and_index() {
        assert_eq!(std::mem::size_of::<Rec>(), 12);
        let r = Rec::new(123_456_789, 17, Some(Level::Warn), Some(42_000_000), 0);
        assert_eq!((r.offset(), r.file(), r.level(), r.ts()), (123_456_789, 17, Some(Level::Warn), Some(42_000_000)));
        let r = Rec::new(5, 0, None, None, 9_000_000);
        assert_eq!((r.level(), r.ts(), r.key(), r.level_index()), (None, None, 9_000_000, 6));
        let text = b"banner\n2026-11-21 10:00:00 INFO a\n  more\n2026-11-21 10:00:02 WARN b\n";
        let p = Parser::new(detect(text).format, Resolver::new(Zone::Utc, 0));
        let recs = index_bytes(text, 0, 0, &p, i64::MIN);
        assert_eq!(recs.len(), 3);
        assert_eq!(recs[1].offset(), 7);
        assert_eq!(recs[2].level(), Some(Level::Warn));
        assert_eq!(recs[2].ts(), Some(1_795_255_202_000_000_000));
        let m = merge(vec![recs.clone(), vec![Rec::new(0, 1, None, Some(recs[1].key() + 1_000_000), 0)]]);
        assert_eq!(m.len(), 4);
        assert_eq!(m[2].file(), 1);
    }

    #[test]
    fn every_field_survives_at_its_limits() {
        let offsets = [0, 1, (1 << 32) - 1, 1 << 32, MAX_FILE_BYTES - 1];
        let files = [0, 1, MAX_FILES / 2, MAX_FILES - 1];
        let levels = [None, Some(Level::Trace), Some(Level::Info), Some(Level::Fatal)];
        // Whole milliseconds from the far past to the far future, negative ones included.
        let times =
            [None, Some(0), Some(-1_000_000), Some(1_795_255_202_123_000_000), Some((KEY_BIAS - 1) * NANOS_PER_MS)];
        for &o in &offsets {
            for &f in &files {
                for &l in &levels {
                    for &t in &times {
                        let r = Rec::new(o, f, l, t, -7 * NANOS_PER_MS);
                        assert_eq!((r.offset(), r.file(), r.level(), r.ts()), (o, f, l, t));
                        assert_eq!(r.key(), t.unwrap_or(-7 * NANOS_PER_MS));
                        let mut s = r;
                        s.set_key(5 * NANOS_PER_MS);
                        assert_eq!((s.offset(), s.file(), s.level(), s.key()), (o, f, l, 5 * NANOS_PER_MS));
                    }
                }
            }
        }
    }

    #[test]
    fn keys_floor_to_the_millisecond_keep_order_and_clamp() {
        let key = |ns: i64| Rec::new(0, 0, None, Some(ns), 0).key();
        // Floored, not rounded, also before 1970: a bound on a whole millisecond keeps
        // exactly the entries it keeps with nanoseconds.
        assert_eq!(key(1_999_999), 1_000_000);
        assert_eq!(key(-1), -1_000_000);
        assert_eq!(key(-1_000_000), -1_000_000);
        let mut ns: Vec<i64> = (0..2000).map(|i| (i * 7_919_123_457) % 3_000_000_000_000 - 1_000_000_000_000).collect();
        ns.sort_unstable();
        for w in ns.windows(2) {
            assert!(key(w[0]) <= key(w[1]));
            let b = w[1].div_euclid(NANOS_PER_MS) * NANOS_PER_MS;
            assert_eq!(key(w[0]) >= b, w[0] >= b);
        }
        // No time earlier than any (the first entry of a file without one) and times beyond
        // the range sort first and last.
        assert_eq!(key(i64::MIN), -KEY_BIAS * NANOS_PER_MS);
        assert_eq!(key(i64::MAX), (KEY_BIAS - 1) * NANOS_PER_MS);
        assert!(key(i64::MIN) < key(-1_000_000_000_000_000_000));
    }
}
