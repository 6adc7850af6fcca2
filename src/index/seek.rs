//! Time-indexed seeks: find the byte window of a time range in a mapped file by binary
//! search, when the file's timestamps are in order.
//!
//! Order is checked, not assumed: the file is probed at evenly spaced points (a few entries
//! at each) before the search. If the probes go backwards by more than the tolerated jitter,
//! the whole file is scanned. The window is widened by a slack of at least a minute (or twice
//! the largest backwards step seen), so entries a little out of order near the edges are
//! still found; the exact range is then applied entry by entry by the query.

use std::ops::Range;

use crate::entry::Entry;
use crate::format::Parser;
use crate::index::lines::SpanIter;
use crate::query::TimeRange;
use crate::source::MappedFile;

/// Files smaller than this are scanned whole.
const MIN_SEEK_LEN: usize = 4 << 20;
/// Probes taken to check the order.
const PROBES: usize = 64;
/// Entries read at each probe.
const PER_PROBE: usize = 8;
/// Nanoseconds in a second.
const NS: i64 = 1_000_000_000;

/// The first entry start at or after `pos`.
fn entry_start_at(data: &[u8], pos: usize, parser: &Parser) -> usize {
    if pos == 0 {
        return 0;
    }
    let mut p = match memchr::memchr(b'\n', &data[pos - 1..]) {
        Some(i) => pos + i,
        None => return data.len(),
    };
    while p < data.len() {
        let le = memchr::memchr(b'\n', &data[p..]).map_or(data.len(), |i| p + i);
        if parser.starts_entry(&data[p..le]) {
            return p;
        }
        p = le + 1;
    }
    data.len()
}

/// Timestamps of up to `n` entries from `start`: (entry start, ts).
fn stamps(data: &[u8], start: usize, n: usize, parser: &mut Parser) -> Vec<(usize, i64)> {
    let probe = parser.clone();
    let mut out = Vec::with_capacity(n.min(64));
    for span in SpanIter::new(data, start, &probe, true).take(n.saturating_mul(4)) {
        let mut e = Entry { raw: &data[span.start..span.end], lines: span.lines, ..Entry::default() };
        parser.parse(&mut e);
        if let Some(t) = e.ts {
            out.push((span.start, t.nanos));
            if out.len() >= n {
                break;
            }
        }
    }
    out
}

/// The earliest and latest timestamps near the start and the end of a file (the first
/// entries, and those of its last 256 KiB): the span of a file in time order, cheaply.
pub fn first_last(data: &[u8], parser: &mut Parser) -> Option<(i64, i64)> {
    let head = stamps(data, 0, PER_PROBE, parser);
    let tail_from = entry_start_at(data, data.len().saturating_sub(256 << 10), parser);
    let tail = stamps(data, tail_from, 1 << 20, parser);
    let all = head.iter().chain(tail.iter()).map(|&(_, t)| t);
    let lo = all.clone().min()?;
    Some((lo, all.max()?))
}

/// Result of probing a file's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Order {
    /// Whether the probes are in order (within the jitter).
    pub sorted: bool,
    /// The slack to widen a window by (ns).
    pub slack: i64,
}

/// Probes the order of a file's timestamps.
pub fn probe_order(data: &[u8], parser: &mut Parser) -> Order {
    let mut prev: Option<i64> = None;
    let mut max_back = 0i64;
    let mut sorted = true;
    for k in 0..PROBES {
        let pos = entry_start_at(data, data.len() / PROBES * k, parser);
        for (_, t) in stamps(data, pos, PER_PROBE, parser) {
            if let Some(p) = prev {
                if t < p {
                    max_back = max_back.max(p - t);
                }
            }
            prev = Some(prev.map_or(t, |p: i64| p.max(t)));
        }
    }
    // More than ten minutes backwards is not jitter: the file is not in time order.
    if max_back > 600 * NS {
        sorted = false;
    }
    Order { sorted, slack: (2 * max_back).max(60 * NS) }
}

/// Bounds of the place where entries reach `t` (for sorted files): every entry before the
/// first bound is earlier than `t`, and every entry from the second on is at or after it.
fn bounds(data: &[u8], t: i64, parser: &mut Parser) -> (usize, usize) {
    let (mut lo, mut hi) = (0usize, data.len());
    while hi - lo > 64 * 1024 {
        let mid = lo + (hi - lo) / 2;
        let pos = entry_start_at(data, mid, parser);
        match stamps(data, pos, 1, parser).first() {
            Some(&(p, ts)) if p < hi => {
                if ts < t {
                    lo = pos;
                } else {
                    hi = pos;
                }
            }
            _ => hi = mid,
        }
    }
    (entry_start_at(data, lo, parser), if hi >= data.len() { data.len() } else { entry_start_at(data, hi, parser) })
}

/// The byte window of `data` that can hold entries of `range`. The whole file when it is
/// small or out of order.
pub fn window_of(data: &[u8], parser: &mut Parser, range: TimeRange) -> Range<usize> {
    if data.len() < MIN_SEEK_LEN || !range.is_set() {
        return 0..data.len();
    }
    let order = probe_order(data, parser);
    if !order.sorted {
        return 0..data.len();
    }
    let start = range.from.map_or(0, |f| bounds(data, f.saturating_sub(order.slack), parser).0);
    let end = range.to.map_or(data.len(), |t| bounds(data, t.saturating_add(order.slack), parser).1);
    start..end.max(start)
}

/// [`window_of`] over a mapped file.
pub fn window(m: &MappedFile, parser: &mut Parser, range: TimeRange) -> Range<usize> {
    window_of(m.bytes(), parser, range)
}
