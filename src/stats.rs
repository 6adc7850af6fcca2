//! Aggregates over entries: counts per level and format, time span, a time histogram with
//! level breakdown, and the most frequent values of chosen fields. Used by `logx stats`,
//! the TUI's histogram and the export summary. Per-chunk results merge.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use crate::engine::Collector;
use crate::entry::{Entry, Timestamp};

/// Index of "no level" in per-level arrays.
pub const NO_LEVEL: usize = 6;

/// Distinct values kept per `--top` field before new ones are counted as "other".
const TOP_CAP: usize = 200_000;

/// Counts over a set of entries.
#[derive(Clone, Debug, Default)]
pub struct Stats {
    /// Entries.
    pub entries: u64,
    /// Per level (`Level::index()`), and [`NO_LEVEL`].
    pub levels: [u64; 7],
    /// Earliest timestamp.
    pub first: Option<Timestamp>,
    /// Latest timestamp.
    pub last: Option<Timestamp>,
    /// Entries without a timestamp.
    pub untimed: u64,
    /// Entries per format name.
    pub formats: BTreeMap<&'static str, u64>,
    /// Histogram: bucket start (ns) to counts per level.
    pub buckets: BTreeMap<i64, [u64; 7]>,
    /// Bucket width (ns) of `buckets`.
    pub bucket_ns: i64,
    /// Top values per field.
    pub top: Vec<(String, HashMap<String, u64>, u64)>,
}

impl Stats {
    /// Empty stats with a histogram bucket width and fields to rank.
    pub fn new(bucket_ns: i64, top_fields: &[String]) -> Stats {
        Stats {
            bucket_ns: bucket_ns.max(1),
            top: top_fields.iter().map(|f| (f.clone(), HashMap::new(), 0)).collect(),
            ..Stats::default()
        }
    }

    /// Adds one entry.
    pub fn add(&mut self, e: &Entry<'_>) {
        self.entries += 1;
        let li = e.level.map_or(NO_LEVEL, |l| l.index());
        self.levels[li] += 1;
        *self.formats.entry(e.format).or_default() += 1;
        match e.ts {
            Some(t) => {
                if self.first.is_none_or(|f| t.nanos < f.nanos) {
                    self.first = Some(t);
                }
                if self.last.is_none_or(|l| t.nanos > l.nanos) {
                    self.last = Some(t);
                }
                let b = t.nanos.div_euclid(self.bucket_ns) * self.bucket_ns;
                self.buckets.entry(b).or_default()[li] += 1;
            }
            None => self.untimed += 1,
        }
        for (field, counts, other) in self.top.iter_mut() {
            if let Some(v) = e.field(field) {
                if let Some(c) = counts.get_mut(v.as_ref()) {
                    *c += 1;
                } else if counts.len() < TOP_CAP {
                    counts.insert(v.into_owned(), 1);
                } else {
                    *other += 1;
                }
            }
        }
    }

    /// Adds another set of counts (same bucket width and fields).
    pub fn merge(&mut self, o: Stats) {
        self.entries += o.entries;
        for i in 0..7 {
            self.levels[i] += o.levels[i];
        }
        if let Some(f) = o.first {
            if self.first.is_none_or(|x| f.nanos < x.nanos) {
                self.first = Some(f);
            }
        }
        if let Some(l) = o.last {
            if self.last.is_none_or(|x| l.nanos > x.nanos) {
                self.last = Some(l);
            }
        }
        self.untimed += o.untimed;
        for (k, v) in o.formats {
            *self.formats.entry(k).or_default() += v;
        }
        for (k, v) in o.buckets {
            let slot = self.buckets.entry(k).or_default();
            for i in 0..7 {
                slot[i] += v[i];
            }
        }
        for (mine, theirs) in self.top.iter_mut().zip(o.top) {
            mine.2 += theirs.2;
            for (k, v) in theirs.1 {
                if let Some(c) = mine.1.get_mut(&k) {
                    *c += v;
                } else if mine.1.len() < TOP_CAP {
                    mine.1.insert(k, v);
                } else {
                    mine.2 += v;
                }
            }
        }
    }

    /// The histogram re-bucketed to `width` ns (a multiple of the stored width), aligned to
    /// `offset` (the display zone's UTC offset, so days start at local midnight).
    pub fn histogram(&self, width: i64, offset_ns: i64) -> Vec<(i64, [u64; 7])> {
        let mut out: BTreeMap<i64, [u64; 7]> = BTreeMap::new();
        for (&k, v) in &self.buckets {
            let b = (k + offset_ns).div_euclid(width) * width - offset_ns;
            let slot = out.entry(b).or_default();
            for i in 0..7 {
                slot[i] += v[i];
            }
        }
        // Fill empty buckets so gaps show.
        if let (Some(&a), Some(&z)) = (out.keys().next(), out.keys().last()) {
            let n = (z - a) / width;
            if n < 100_000 {
                let mut t = a;
                while t <= z {
                    out.entry(t).or_default();
                    t += width;
                }
            }
        }
        out.into_iter().collect()
    }

    /// The most frequent values of a ranked field, best first.
    pub fn top_values(&self, field: &str, n: usize) -> Vec<(String, u64)> {
        let Some((_, counts, _)) = self.top.iter().find(|(f, _, _)| f == field) else { return Vec::new() };
        let mut v: Vec<(String, u64)> = counts.iter().map(|(k, c)| (k.clone(), *c)).collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        v.truncate(n);
        v
    }
}

/// A bucket width for a span: about `target` buckets, at a round width.
pub fn auto_bucket(span_ns: i64, target: i64) -> i64 {
    const S: i64 = 1_000_000_000;
    let widths = [
        S,
        5 * S,
        10 * S,
        30 * S,
        60 * S,
        5 * 60 * S,
        10 * 60 * S,
        15 * 60 * S,
        30 * 60 * S,
        3600 * S,
        3 * 3600 * S,
        6 * 3600 * S,
        12 * 3600 * S,
        86_400 * S,
        7 * 86_400 * S,
        30 * 86_400 * S,
        365 * 86_400 * S,
    ];
    for w in widths {
        if span_ns / w <= target {
            return w;
        }
    }
    365 * 86_400 * S
}

/// A count with thousands separators (`1,234,567`).
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A duration for people (`5m`, `1h`, `1d 2h`).
pub fn human_duration(ns: i64) -> String {
    let s = ns / 1_000_000_000;
    if s < 60 {
        return if ns < 1_000_000_000 { format!("{}ms", ns / 1_000_000) } else { format!("{s}s") };
    }
    let (d, h, m) = (s / 86_400, (s % 86_400) / 3600, (s % 3600) / 60);
    let sec = s % 60;
    match (d, h, m) {
        (0, 0, m) if sec == 0 => format!("{m}m"),
        (0, 0, m) => format!("{m}m {sec}s"),
        (0, h, 0) => format!("{h}h"),
        (0, h, m) => format!("{h}h {m}m"),
        (d, 0, 0) => format!("{d}d"),
        (d, h, _) => format!("{d}d {h}h"),
    }
}

/// Collects [`Stats`] per chunk.
pub struct StatsCollector {
    /// Bucket width.
    pub bucket_ns: i64,
    /// Fields to rank.
    pub top_fields: Arc<Vec<String>>,
    /// The stats of the chunk.
    pub stats: Stats,
}

impl StatsCollector {
    /// A collector.
    pub fn new(bucket_ns: i64, top_fields: Arc<Vec<String>>) -> StatsCollector {
        let stats = Stats::new(bucket_ns, &top_fields);
        StatsCollector { bucket_ns, top_fields, stats }
    }
}

impl Collector for StatsCollector {
    type Out = Stats;
    fn entry(&mut self, e: &Entry<'_>) {
        self.stats.add(e);
    }
    fn take(&mut self) -> Stats {
        std::mem::replace(&mut self.stats, Stats::new(self.bucket_ns, &self.top_fields))
    }
    fn needs(&self) -> crate::engine::Lite {
        if self.top_fields.is_empty() {
            crate::engine::Lite::Facts
        } else {
            crate::engine::Lite::Full
        }
    }
    fn take_blocks(&mut self, blocks: &[crate::index::cache::Block], level_mask: Option<u8>) -> bool {
        // Minute histograms serve buckets of whole minutes; ranked fields need the entries.
        // Exact first/last times of a level subset are not in the blocks either.
        if !self.top_fields.is_empty() || self.bucket_ns % 60_000_000_000 != 0 || level_mask.is_some() {
            return false;
        }
        let ix = crate::index::cache::FileIndex {
            key: crate::index::cache::Key { dev: 0, ino: 0, size: 0, mtime_ns: 0, head_hash: 0 },
            format: String::new(),
            blocks: blocks.to_vec(),
        };
        let mut s = ix.stats(level_mask);
        // Re-bucket the minutes to this collector's width.
        if self.bucket_ns != 60_000_000_000 {
            let mut b = std::collections::BTreeMap::new();
            for (k, v) in std::mem::take(&mut s.buckets) {
                let slot: &mut [u64; 7] = b.entry(k.div_euclid(self.bucket_ns) * self.bucket_ns).or_default();
                for i in 0..7 {
                    slot[i] += v[i];
                }
            }
            s.buckets = b;
        }
        s.bucket_ns = self.bucket_ns;
        self.stats.merge(s);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_and_durations() {
        const S: i64 = 1_000_000_000;
        assert_eq!(auto_bucket(5 * 86_400 * S, 60), 3 * 3600 * S);
        assert_eq!(auto_bucket(3600 * S, 60), 60 * S);
        assert_eq!(human_duration(90 * S), "1m 30s");
        assert_eq!(human_duration(5 * 86_400 * S + 3 * 3600 * S), "5d 3h");
        assert_eq!(human_duration(250_000_000), "250ms");
    }
}
