//! The entry index: one 16-byte record per entry (where it starts, in which file, its level,
//! and its time), for random access to gigabytes (the TUI). Records never hold text: an
//! entry is parsed from the mapped file when it is shown.

use rayon::prelude::*;

use crate::entry::{Entry, Level};
use crate::format::Parser;
use crate::index::lines::{self, SpanIter};

const OFFSET_BITS: u32 = 48;
const FILE_BITS: u32 = 12;
const OFFSET_MASK: u64 = (1 << OFFSET_BITS) - 1;
const FILE_MASK: u64 = (1 << FILE_BITS) - 1;

/// Most files one index holds.
pub const MAX_FILES: usize = 1 << FILE_BITS;

/// One entry: 16 bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(C)]
pub struct Rec {
    /// Sort time (ns since the epoch): the entry's own, or the one before it in its file.
    pub key: i64,
    /// offset (48 bits) | file (12 bits) | level (3 bits, 7 = none) | has-time (1 bit).
    packed: u64,
}

impl Rec {
    /// A record.
    pub fn new(offset: u64, file: usize, level: Option<Level>, ts: Option<i64>, prev_key: i64) -> Rec {
        let lv = level.map_or(7u64, |l| l.index() as u64);
        let has = u64::from(ts.is_some());
        Rec {
            key: ts.unwrap_or(prev_key),
            packed: (offset & OFFSET_MASK) | ((file as u64 & FILE_MASK) << OFFSET_BITS) | (lv << 60) | (has << 63),
        }
    }

    /// Byte offset of the entry in its file.
    pub fn offset(&self) -> u64 {
        self.packed & OFFSET_MASK
    }

    /// Index of its file.
    pub fn file(&self) -> usize {
        ((self.packed >> OFFSET_BITS) & FILE_MASK) as usize
    }

    /// Its level.
    pub fn level(&self) -> Option<Level> {
        let v = ((self.packed >> 60) & 7) as usize;
        crate::entry::LEVELS.get(v).copied()
    }

    /// Level index 0..6 (6: none).
    pub fn level_index(&self) -> usize {
        (((self.packed >> 60) & 7) as usize).min(6)
    }

    /// Its own time, if it has one.
    pub fn ts(&self) -> Option<i64> {
        (self.packed >> 63 == 1).then_some(self.key)
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
                p.parse_lite(&mut e, false);
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
                rec.key = prev;
            }
            prev = rec.key;
            out.push(rec);
        }
    }
    out
}

/// Merges per-file record lists into one chronological list (stable: equal times keep file
/// order, and each file's own order is kept).
pub fn merge(mut parts: Vec<Vec<Rec>>) -> Vec<Rec> {
    if parts.len() == 1 {
        return parts.pop().unwrap_or_default();
    }
    let total = parts.iter().map(Vec::len).sum();
    let mut out = Vec::with_capacity(total);
    let mut heap = std::collections::BinaryHeap::new();
    let mut pos = vec![0usize; parts.len()];
    for (i, p) in parts.iter().enumerate() {
        if let Some(r) = p.first() {
            heap.push(std::cmp::Reverse((r.key, i)));
        }
    }
    while let Some(std::cmp::Reverse((_, i))) = heap.pop() {
        out.push(parts[i][pos[i]]);
        pos[i] += 1;
        if let Some(r) = parts[i].get(pos[i]) {
            heap.push(std::cmp::Reverse((r.key, i)));
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
        assert_eq!(std::mem::size_of::<Rec>(), 16);
        let r = Rec::new(123_456_789, 17, Some(Level::Warn), Some(42), 0);
        assert_eq!((r.offset(), r.file(), r.level(), r.ts()), (123_456_789, 17, Some(Level::Warn), Some(42)));
        let r = Rec::new(5, 0, None, None, 9);
        assert_eq!((r.level(), r.ts(), r.key, r.level_index()), (None, None, 9, 6));
        let text = b"banner\n2026-11-21 10:00:00 INFO a\n  more\n2026-11-21 10:00:02 WARN b\n";
        let p = Parser::new(detect(text).format, Resolver::new(Zone::Utc, 0));
        let recs = index_bytes(text, 0, 0, &p, i64::MIN);
        assert_eq!(recs.len(), 3);
        assert_eq!(recs[1].offset(), 7);
        assert_eq!(recs[2].level(), Some(Level::Warn));
        let m = merge(vec![recs.clone(), vec![Rec::new(0, 1, None, Some(recs[1].key + 1), 0)]]);
        assert_eq!(m.len(), 4);
        assert_eq!(m[2].file(), 1);
    }
}
