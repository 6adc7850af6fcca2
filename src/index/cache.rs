//! The persisted sparse index: per-block statistics of a file, stored in the user's cache
//! directory after the first full read, so reopening an unchanged file costs no scan.
//!
//! A block is one chunk of the parallel scan (a few MiB, starting at an entry boundary). Each
//! keeps its byte range, first line number, entry count, time range, level and format counts,
//! and a per-minute histogram with levels. The file is keyed by device, inode, size, mtime and
//! a hash of its first 4 KiB: a changed file is detected; a grown one (same identity, same
//! first block, larger) keeps its blocks but the last, and only the rest is read. A corrupt or
//! stale cache file is ignored and rebuilt, never trusted: it carries a magic, a version and a
//! checksum.

use std::collections::BTreeMap;
use std::io::{self, Read, Write};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use crate::entry::{Entry, Timestamp};
use crate::stats::{Stats, NO_LEVEL};

const MAGIC: &[u8; 8] = b"LOGXIDX1";
const VERSION: u32 = 3;
/// Files smaller than this are not worth an index.
pub const MIN_INDEXED_LEN: u64 = 16 << 20;
const MINUTE: i64 = 60_000_000_000;

/// Statistics of one block of a file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Block {
    /// Byte offset of the block's first entry.
    pub offset: u64,
    /// Bytes in the block.
    pub len: u64,
    /// 1-based line number of its first line.
    pub line: u64,
    /// Entries.
    pub entries: u64,
    /// Physical lines.
    pub lines: u64,
    /// Earliest and latest timestamps (i64::MAX/MIN when none).
    pub ts_min: i64,
    /// Latest timestamp.
    pub ts_max: i64,
    /// Largest step backwards in time between consecutive entries (ns).
    pub max_back: i64,
    /// Sub-second digits of `ts_min` and `ts_max` as written.
    pub digits: (u8, u8),
    /// Per level and no level.
    pub levels: [u64; 7],
    /// Entries without a timestamp.
    pub untimed: u64,
    /// Entries per format name.
    pub formats: BTreeMap<String, u64>,
    /// Per-minute counts by level.
    pub minutes: BTreeMap<i64, [u64; 7]>,
    last_ts: i64,
    /// The minute being counted (flushed into `minutes` when it changes).
    cur_minute: i64,
    cur_counts: [u64; 7],
    /// The format of the previous entry and its pending count.
    cur_format: &'static str,
    cur_format_n: u64,
}

impl Block {
    /// An empty block at an offset.
    pub fn new(offset: u64, line: u64) -> Block {
        Block {
            offset,
            line,
            ts_min: i64::MAX,
            ts_max: i64::MIN,
            last_ts: i64::MIN,
            cur_minute: i64::MIN,
            ..Block::default()
        }
    }

    /// Flushes the pending minute and format counts (call once the block is complete).
    pub fn finish(&mut self) {
        if self.cur_minute != i64::MIN {
            let slot = self.minutes.entry(self.cur_minute).or_default();
            for (a, b) in slot.iter_mut().zip(self.cur_counts) {
                *a += b;
            }
            self.cur_minute = i64::MIN;
            self.cur_counts = [0; 7];
        }
        if self.cur_format_n > 0 {
            *self.formats.entry(self.cur_format.to_string()).or_default() += self.cur_format_n;
            self.cur_format_n = 0;
        }
    }

    /// Adds one entry (every entry of the block, matching the query or not).
    #[inline]
    pub fn add(&mut self, e: &Entry<'_>) {
        self.entries += 1;
        self.lines += e.lines as u64;
        let li = e.level.map_or(NO_LEVEL, |l| l.index());
        self.levels[li] += 1;
        if !std::ptr::eq(self.cur_format, e.format) && self.cur_format != e.format {
            if self.cur_format_n > 0 {
                *self.formats.entry(self.cur_format.to_string()).or_default() += self.cur_format_n;
            }
            self.cur_format = e.format;
            self.cur_format_n = 0;
        }
        self.cur_format_n += 1;
        match e.ts {
            Some(t) => {
                let n = t.nanos;
                if n < self.ts_min {
                    self.ts_min = n;
                    self.digits.0 = t.frac_digits;
                }
                if n > self.ts_max {
                    self.ts_max = n;
                    self.digits.1 = t.frac_digits;
                }
                if self.last_ts != i64::MIN && n < self.last_ts {
                    self.max_back = self.max_back.max(self.last_ts - n);
                }
                self.last_ts = self.last_ts.max(n);
                let minute = n.div_euclid(MINUTE) * MINUTE;
                if minute != self.cur_minute {
                    if self.cur_minute != i64::MIN {
                        let slot = self.minutes.entry(self.cur_minute).or_default();
                        for (a, b) in slot.iter_mut().zip(self.cur_counts) {
                            *a += b;
                        }
                    }
                    self.cur_minute = minute;
                    self.cur_counts = [0; 7];
                }
                self.cur_counts[li] += 1;
            }
            None => self.untimed += 1,
        }
    }

    /// Whether the block may hold entries in [from, to).
    pub fn overlaps(&self, from: Option<i64>, to: Option<i64>) -> bool {
        if self.entries == self.untimed {
            return false;
        }
        from.is_none_or(|f| self.ts_max >= f) && to.is_none_or(|t| self.ts_min < t)
    }
}

/// The identity of a file's content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Key {
    /// Device.
    pub dev: u64,
    /// Inode.
    pub ino: u64,
    /// Size when indexed.
    pub size: u64,
    /// Modification time (ns).
    pub mtime_ns: i64,
    /// FNV-1a of the first 4 KiB.
    pub head_hash: u64,
}

fn fnv1a(data: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in data {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

impl Key {
    /// The key of a file whose bytes start with `head`.
    pub fn of(meta: &std::fs::Metadata, head: &[u8]) -> Key {
        Key {
            dev: meta.dev(),
            ino: meta.ino(),
            size: meta.len(),
            mtime_ns: meta.mtime() * 1_000_000_000 + meta.mtime_nsec(),
            head_hash: fnv1a(&head[..head.len().min(4096)]),
        }
    }
}

/// A file's index.
#[derive(Clone, Debug, PartialEq)]
pub struct FileIndex {
    /// Identity when indexed.
    pub key: Key,
    /// The format name detected.
    pub format: String,
    /// Blocks in file order, covering [0, key.size).
    pub blocks: Vec<Block>,
}

/// How a stored index relates to the file now.
#[derive(Debug, PartialEq)]
pub enum Freshness {
    /// Same content: use as is.
    Same,
    /// The file grew: the blocks but the last are valid; read from `from`.
    Grown {
        /// Where to start reading.
        from: u64,
    },
    /// Changed or unrelated: rebuild.
    Stale,
}

impl FileIndex {
    /// How this index relates to a file's current key.
    pub fn freshness(&self, now: &Key) -> Freshness {
        let k = &self.key;
        if k.dev != now.dev || k.ino != now.ino || k.head_hash != now.head_hash || now.size < k.size {
            return Freshness::Stale;
        }
        if now.size == k.size && now.mtime_ns == k.mtime_ns {
            return Freshness::Same;
        }
        if now.size > k.size {
            if let Some(last) = self.blocks.last() {
                return Freshness::Grown { from: last.offset };
            }
        }
        Freshness::Stale
    }

    /// Whether the file's timestamps never go back by more than `tolerance` ns.
    pub fn sorted(&self, tolerance: i64) -> bool {
        let mut prev_max = i64::MIN;
        for b in &self.blocks {
            if b.max_back > tolerance {
                return false;
            }
            if b.entries > b.untimed {
                if prev_max != i64::MIN && b.ts_min < prev_max - tolerance {
                    return false;
                }
                prev_max = prev_max.max(b.ts_max);
            }
        }
        true
    }

    /// Statistics of the whole file (minute histogram) from the blocks.
    pub fn stats(&self, level_mask: Option<u8>) -> Stats {
        let mut s = Stats::new(MINUTE, &[]);
        let ok = |li: usize| level_mask.is_none_or(|m| m & (1 << li) != 0);
        for b in &self.blocks {
            for li in 0..7 {
                if ok(li) {
                    s.levels[li] += b.levels[li];
                    s.entries += b.levels[li];
                }
            }
            if level_mask.is_none() {
                for (k, v) in &b.formats {
                    let name: &'static str = crate::format::intern(k);
                    *s.formats.entry(name).or_default() += v;
                }
                s.untimed += b.untimed;
            }
            for (&m, counts) in &b.minutes {
                let slot = s.buckets.entry(m).or_default();
                for li in 0..7 {
                    if ok(li) {
                        slot[li] += counts[li];
                    }
                }
            }
            if b.entries > b.untimed && level_mask.is_none() {
                if s.first.is_none_or(|f| b.ts_min < f.nanos) {
                    s.first = Some(Timestamp { nanos: b.ts_min, frac_digits: b.digits.0 });
                }
                if s.last.is_none_or(|l| b.ts_max > l.nanos) {
                    s.last = Some(Timestamp { nanos: b.ts_max, frac_digits: b.digits.1 });
                }
            }
        }
        s.buckets.retain(|_, v| v.iter().any(|&c| c > 0));
        if level_mask.is_some() {
            s.first = s.buckets.keys().next().map(|&m| Timestamp { nanos: m, frac_digits: 0 });
            s.last = s.buckets.keys().last().map(|&m| Timestamp { nanos: m, frac_digits: 0 });
        }
        s
    }

    /// The byte window that can hold entries in [from, to) (exact for any order).
    pub fn window(&self, from: Option<i64>, to: Option<i64>) -> Option<std::ops::Range<u64>> {
        let hits: Vec<&Block> = self.blocks.iter().filter(|b| b.overlaps(from, to)).collect();
        let first = hits.first()?;
        let last = hits.last()?;
        Some(first.offset..last.offset + last.len)
    }

    /// The 1-based line number at the start of the block holding `offset`.
    pub fn line_at(&self, offset: u64) -> Option<u64> {
        self.blocks.iter().find(|b| b.offset == offset).map(|b| b.line)
    }
}

/// The cache directory: `$LOGX_CACHE_DIR`, else `$XDG_CACHE_HOME/logx`, else
/// `~/.cache/logx`.
pub fn cache_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("LOGX_CACHE_DIR") {
        return Some(PathBuf::from(d));
    }
    if let Some(d) = std::env::var_os("XDG_CACHE_HOME").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(d).join("logx"));
    }
    std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache/logx"))
}

fn path_for(key: &Key, path: &Path) -> Option<PathBuf> {
    let canon = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let h = fnv1a(canon.to_string_lossy().as_bytes()) ^ key.dev.rotate_left(17) ^ key.ino.rotate_left(31);
    Some(cache_dir()?.join("index").join(format!("{h:016x}.idx")))
}

struct W(Vec<u8>);
impl W {
    fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn i64(&mut self, v: i64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn str(&mut self, s: &str) {
        self.u64(s.len() as u64);
        self.0.extend_from_slice(s.as_bytes());
    }
}

struct R<'a>(&'a [u8]);
impl R<'_> {
    fn take(&mut self, n: usize) -> io::Result<&[u8]> {
        if self.0.len() < n {
            return Err(io::Error::new(io::ErrorKind::InvalidData, "truncated index"));
        }
        let (a, b) = self.0.split_at(n);
        self.0 = b;
        Ok(a)
    }
    fn u64(&mut self) -> io::Result<u64> {
        Ok(u64::from_le_bytes(self.take(8)?.try_into().map_err(|_| io::ErrorKind::InvalidData)?))
    }
    fn i64(&mut self) -> io::Result<i64> {
        Ok(self.u64()? as i64)
    }
    fn len(&mut self, max: u64) -> io::Result<usize> {
        let n = self.u64()?;
        if n > max {
            return Err(io::Error::new(io::ErrorKind::InvalidData, "implausible length"));
        }
        Ok(n as usize)
    }
    fn str(&mut self) -> io::Result<String> {
        let n = self.len(4096)?;
        String::from_utf8(self.take(n)?.to_vec()).map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "bad string"))
    }
}

/// Encodes an index.
pub fn encode(ix: &FileIndex) -> Vec<u8> {
    let mut w = W(Vec::with_capacity(64 * 1024));
    w.0.extend_from_slice(MAGIC);
    w.u64(VERSION as u64);
    let k = &ix.key;
    w.u64(k.dev);
    w.u64(k.ino);
    w.u64(k.size);
    w.i64(k.mtime_ns);
    w.u64(k.head_hash);
    w.str(&ix.format);
    w.u64(ix.blocks.len() as u64);
    for b in &ix.blocks {
        for v in [b.offset, b.len, b.line, b.entries, b.lines] {
            w.u64(v);
        }
        w.i64(b.ts_min);
        w.i64(b.ts_max);
        w.i64(b.max_back);
        w.u64(b.digits.0 as u64 | (b.digits.1 as u64) << 8);
        for l in b.levels {
            w.u64(l);
        }
        w.u64(b.untimed);
        w.u64(b.formats.len() as u64);
        for (name, n) in &b.formats {
            w.str(name);
            w.u64(*n);
        }
        w.u64(b.minutes.len() as u64);
        for (m, c) in &b.minutes {
            w.i64(*m);
            for v in c {
                w.u64(*v);
            }
        }
    }
    let sum = fnv1a(&w.0);
    w.u64(sum);
    w.0
}

/// Decodes an index; any inconsistency is an error (the caller rebuilds).
///
/// # Errors
/// When the bytes are not a valid index of this version.
pub fn decode(data: &[u8]) -> io::Result<FileIndex> {
    let bad = |m: &str| io::Error::new(io::ErrorKind::InvalidData, m.to_string());
    if data.len() < 16 || &data[..8] != MAGIC {
        return Err(bad("not a logx index"));
    }
    let (body, sum) = data.split_at(data.len() - 8);
    if fnv1a(body).to_le_bytes() != sum {
        return Err(bad("checksum mismatch"));
    }
    let mut r = R(&body[8..]);
    if r.u64()? != VERSION as u64 {
        return Err(bad("other version"));
    }
    let key = Key { dev: r.u64()?, ino: r.u64()?, size: r.u64()?, mtime_ns: r.i64()?, head_hash: r.u64()? };
    let format = r.str()?;
    let nblocks = r.len(1 << 24)?;
    let mut blocks = Vec::with_capacity(nblocks.min(1 << 16));
    let mut expect_offset = 0u64;
    for _ in 0..nblocks {
        let mut b = Block {
            offset: r.u64()?,
            len: r.u64()?,
            line: r.u64()?,
            entries: r.u64()?,
            lines: r.u64()?,
            ..Block::default()
        };
        b.ts_min = r.i64()?;
        b.ts_max = r.i64()?;
        b.max_back = r.i64()?;
        let d = r.u64()?;
        b.digits = ((d & 0xff) as u8, ((d >> 8) & 0xff) as u8);
        for l in b.levels.iter_mut() {
            *l = r.u64()?;
        }
        b.untimed = r.u64()?;
        let nf = r.len(1024)?;
        for _ in 0..nf {
            let name = r.str()?;
            let n = r.u64()?;
            b.formats.insert(name, n);
        }
        let nm = r.len(1 << 24)?;
        for _ in 0..nm {
            let m = r.i64()?;
            let mut c = [0u64; 7];
            for v in c.iter_mut() {
                *v = r.u64()?;
            }
            b.minutes.insert(m, c);
        }
        if b.offset != expect_offset || b.levels.iter().sum::<u64>() != b.entries {
            return Err(bad("inconsistent blocks"));
        }
        expect_offset = b.offset + b.len;
        blocks.push(b);
    }
    if expect_offset != key.size || !r.0.is_empty() {
        return Err(bad("blocks do not cover the file"));
    }
    Ok(FileIndex { key, format, blocks })
}

/// Loads the index of a file, when a valid one is stored.
pub fn load(path: &Path, key: &Key) -> Option<FileIndex> {
    let p = path_for(key, path)?;
    let mut data = Vec::new();
    std::fs::File::open(&p).ok()?.read_to_end(&mut data).ok()?;
    match decode(&data) {
        Ok(ix) => Some(ix),
        Err(_) => {
            // Corrupt or from another version: drop it, it will be rebuilt.
            let _ = std::fs::remove_file(&p);
            None
        }
    }
}

/// Stores an index (atomically: a temporary file, then a rename). Errors are ignored: the
/// cache is an optimisation.
pub fn store(path: &Path, ix: &FileIndex) {
    let Some(p) = path_for(&ix.key, path) else { return };
    let Some(dir) = p.parent() else { return };
    if std::fs::create_dir_all(dir).is_err() {
        return;
    }
    let tmp = p.with_extension(format!("tmp{}", std::process::id()));
    let ok = std::fs::File::create(&tmp).and_then(|mut f| f.write_all(&encode(ix)));
    if ok.is_ok() {
        let _ = std::fs::rename(&tmp, &p);
    } else {
        let _ = std::fs::remove_file(&tmp);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> FileIndex {
        let mut b1 = Block::new(0, 1);
        b1.len = 100;
        b1.entries = 2;
        b1.levels[2] = 2;
        b1.ts_min = 10;
        b1.ts_max = 20;
        b1.formats.insert("text".into(), 2);
        b1.minutes.insert(0, [0, 0, 2, 0, 0, 0, 0]);
        let mut b2 = Block::new(100, 5);
        b2.len = 50;
        b2.entries = 1;
        b2.levels[4] = 1;
        b2.ts_min = 30;
        b2.ts_max = 30;
        FileIndex {
            key: Key { dev: 1, ino: 2, size: 150, mtime_ns: 3, head_hash: 4 },
            format: "text".into(),
            blocks: vec![b1, b2],
        }
    }

    #[test]
    fn roundtrip_and_corruption() {
        let ix = sample();
        let data = encode(&ix);
        let back = decode(&data).unwrap();
        assert_eq!(back.blocks.len(), 2);
        assert_eq!(back.blocks[0].minutes, ix.blocks[0].minutes);
        assert_eq!(back.key, ix.key);
        for cut in [0, 8, 20, data.len() - 1] {
            assert!(decode(&data[..cut]).is_err());
        }
        let mut flipped = data.clone();
        flipped[40] ^= 1;
        assert!(decode(&flipped).is_err(), "a flipped bit is caught");
    }

    #[test]
    fn freshness_and_windows() {
        let ix = sample();
        let k = ix.key.clone();
        assert_eq!(ix.freshness(&k), Freshness::Same);
        assert_eq!(ix.freshness(&Key { size: 200, mtime_ns: 9, ..k.clone() }), Freshness::Grown { from: 100 });
        assert_eq!(ix.freshness(&Key { size: 100, ..k.clone() }), Freshness::Stale);
        assert_eq!(ix.freshness(&Key { head_hash: 5, ..k.clone() }), Freshness::Stale);
        assert_eq!(ix.freshness(&Key { ino: 7, ..k }), Freshness::Stale);
        assert_eq!(ix.window(Some(25), None), Some(100..150));
        assert_eq!(ix.window(Some(0), Some(15)), Some(0..100));
        assert_eq!(ix.window(Some(40), None), None);
        assert!(ix.sorted(0));
    }
}
