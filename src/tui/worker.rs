//! The TUI's background worker: indexing, filtering, search hits, value counts, growth of
//! followed files, and exports. Every request carries a generation number; the UI drops
//! answers to requests it no longer wants.

use std::sync::mpsc::{Receiver, Sender};
use std::sync::Arc;

use rayon::prelude::*;

use logx::engine::EngineConfig;
use logx::entry::Entry;
use logx::format::Parser;
use logx::index::entries::{self, Rec};
use logx::index::lines::SpanIter;
use logx::query::Query;
use logx::source::MappedFile;

/// A file as the worker reads it.
#[derive(Clone)]
pub struct FileRef {
    /// Its bytes.
    pub map: Arc<MappedFile>,
    /// Its parser.
    pub parser: Parser,
}

/// A job run on the worker thread; it answers through the sender.
pub type Job = Box<dyn FnOnce(&Sender<Reply>) + Send>;

/// Work for the worker.
pub enum Request {
    /// Index every file from the start.
    Index {
        /// The files.
        files: Vec<FileRef>,
    },
    /// Index the new bytes of a grown file.
    Extend {
        /// Which file.
        file: usize,
        /// Its bytes now.
        fref: FileRef,
        /// Where the new entries may start (the last indexed entry's offset).
        from: u64,
        /// The sort time before them.
        prev_key: i64,
    },
    /// The positions (into `recs`) of entries that match `query`.
    Filter {
        /// Generation.
        gen: u64,
        /// The filter.
        query: Arc<Query>,
        /// All records.
        recs: Arc<Vec<Rec>>,
        /// Only these positions (None: all).
        within: Option<Arc<Vec<u32>>>,
        /// The files.
        files: Vec<FileRef>,
        /// Search hits rather than the view.
        hits: bool,
        /// The newest generation asked for: an older filter stops between rounds.
        latest: Arc<std::sync::atomic::AtomicU64>,
        /// The positions found extend the view (a grown file's new records) rather than
        /// replace it.
        append: bool,
    },
    /// The most frequent values of a field among positions.
    Values {
        /// Generation.
        gen: u64,
        /// The field (`host`, `service`, `user`...).
        field: String,
        /// All records.
        recs: Arc<Vec<Rec>>,
        /// Positions to count (None: all).
        within: Option<Arc<Vec<u32>>>,
        /// The files.
        files: Vec<FileRef>,
    },
    /// Request groups (audit) among positions.
    Audit {
        /// Generation.
        gen: u64,
        /// All records.
        recs: Arc<Vec<Rec>>,
        /// Positions to group (None: all).
        within: Option<Arc<Vec<u32>>>,
        /// The files.
        files: Vec<FileRef>,
    },
    /// Message templates: mined from every record, counted over the entries `count` keeps.
    Patterns {
        /// Generation.
        gen: u64,
        /// All records.
        recs: Arc<Vec<Rec>>,
        /// Which entries are counted (the view's filters, without template filters).
        count: Arc<Query>,
        /// Sparkline buckets.
        buckets: logx::patterns::Buckets,
        /// The files.
        files: Vec<FileRef>,
    },
    /// Run a job on the worker thread (exports).
    Job(Job),
}

/// Answers.
pub enum Reply {
    /// Index progress: bytes done of total.
    Progress(u64, u64),
    /// Histogram counts, counted in the background.
    Histogram(crate::tui::app::HistKey, Vec<[u64; 7]>),
    /// The index so far (complete when `done`).
    Indexed {
        /// The records, chronological.
        recs: Vec<Rec>,
        /// Whether indexing is complete.
        done: bool,
    },
    /// Records that continue the index (one file, indexed slice by slice, in its order).
    Appended {
        /// The records.
        recs: Vec<Rec>,
        /// Estimated number of records of the whole index (room to make once).
        reserve: usize,
        /// Whether these start a new index (the records so far are dropped).
        fresh: bool,
        /// Whether the index is complete with these.
        done: bool,
    },
    /// New records of a grown file.
    Extended {
        /// Which file.
        file: usize,
        /// Records from `from` on (the first replaces the last one known).
        recs: Vec<Rec>,
        /// Where they start.
        from: u64,
    },
    /// A message for the footer.
    Say(String),
    /// A table's rows under the conditions of generation `gen`, counted on the server.
    Count {
        /// The conditions' generation.
        gen: u64,
        /// The count.
        n: Result<u64, String>,
    },
    /// How many of a table's rows come before the window of fetch `gen`.
    Before {
        /// The fetch.
        gen: u64,
        /// The count.
        n: u64,
    },
    /// A window of a table's rows (or why it could not be fetched).
    Window {
        /// The fetch it answers.
        gen: u64,
        /// The window.
        window: Result<Box<crate::tui::remote::Window>, String>,
    },
    /// Matching positions.
    Filtered {
        /// Generation.
        gen: u64,
        /// Positions into the records.
        positions: Vec<u32>,
        /// Search hits rather than the view.
        hits: bool,
        /// Whether these are the first positions (the ones before are dropped).
        first: bool,
        /// Whether these are the last.
        done: bool,
    },
    /// Value counts, best first.
    Values {
        /// Generation.
        gen: u64,
        /// The field.
        field: String,
        /// Values and counts.
        counts: Vec<(String, u64)>,
    },
    /// Request groups, in time order, and the number of entries without a request id.
    Audit {
        /// Generation.
        gen: u64,
        /// The groups (closed groups on disk, read back one at a time), or why there are none.
        groups: Result<logx::audit::Finished, String>,
    },
    /// Templates mined.
    Patterns {
        /// Generation.
        gen: u64,
        /// The templates and the lookup of any message.
        table: Arc<logx::patterns::Table>,
    },
    /// An export finished (rows) or failed.
    ExportDone(Result<u64, String>),
    /// Export progress: rows so far.
    ExportProgress(u64),
}

/// Parses the entry of a record and calls `f` with it.
fn with_entry<R>(files: &[FileRef], parsers: &mut [Parser], rec: &Rec, f: impl FnOnce(&Entry<'_>) -> R) -> Option<R> {
    let fr = files.get(rec.file())?;
    let data = fr.map.bytes();
    let off = rec.offset() as usize;
    if off >= data.len() {
        return None;
    }
    let span = SpanIter::new(data, off, &fr.parser, true).next()?;
    let mut e = Entry { raw: &data[span.start..span.end], lines: span.lines, offset: off as u64, ..Entry::default() };
    let p = parsers.get_mut(rec.file())?;
    p.parse(&mut e);
    Some(f(&e))
}

/// Runs `f` over parts of the positions (every record when `within` is None) on all cores,
/// without building the list of every position (4 bytes per entry).
fn over_positions<R: Send>(
    len: usize,
    within: &Option<Arc<Vec<u32>>>,
    range: std::ops::Range<usize>,
    f: impl Fn(&mut dyn Iterator<Item = u32>) -> R + Sync,
) -> Vec<R> {
    const PART: usize = 8192;
    let n = within.as_ref().map_or(len, |w| w.len());
    let range = range.start.min(n)..range.end.min(n);
    match within {
        Some(w) => w[range].par_chunks(PART).map(|part| f(&mut part.iter().copied())).collect(),
        None => {
            let start = range.start;
            (0..range.len().div_ceil(PART))
                .into_par_iter()
                .map(|c| f(&mut ((start + c * PART) as u32..(start + (c + 1) * PART).min(range.end) as u32)))
                .collect()
        }
    }
}

/// Request groups of the records (or the positions `within`), read in rounds in order, so
/// that only open groups are held whole (see `logx::audit::Grouper`).
pub fn audit(recs: &[Rec], within: &Option<Arc<Vec<u32>>>, files: &[FileRef]) -> Result<logx::audit::Finished, String> {
    use logx::engine::Collector;
    let key = logx::audit::GroupKey::Known(logx::entry::WellKnown::RequestId);
    let n = within.as_ref().map_or(recs.len(), |w| w.len());
    let mut grouper = logx::audit::Grouper::new();
    for at in (0..n).step_by(FILTER_ROUND) {
        let parts: Vec<logx::audit::Groups> =
            over_positions(recs.len(), within, at..(at + FILTER_ROUND).min(n), |part| {
                let mut parsers: Vec<Parser> = files.iter().map(|f| f.parser.clone()).collect();
                let mut c = logx::audit::AuditCollector::new(key.clone(), None, false);
                for p in part {
                    with_entry(files, &mut parsers, &recs[p as usize], |e| c.entry(e));
                }
                c.take()
            });
        for g in parts {
            grouper.add(g).map_err(|e| e.to_string())?;
        }
    }
    grouper.finish("time").map_err(|e| e.to_string())
}

/// Positions a filter (or the audit view's grouping) reads between two answers to the screen
/// or in one round (a quarter of a million).
const FILTER_ROUND: usize = if cfg!(test) { 100 } else { 1 << 18 };

/// Runs a filter over the records (or the positions `within`), in rounds, in order: the
/// screen shows the rows found so far, and a filter that a newer one (`latest`) replaced
/// stops after its round. With `append`, even the first round extends what the screen has.
#[allow(clippy::too_many_arguments)]
pub fn filter(
    gen: u64,
    query: &Query,
    recs: &[Rec],
    within: &Option<Arc<Vec<u32>>>,
    files: &[FileRef],
    hits: bool,
    append: bool,
    latest: &std::sync::atomic::AtomicU64,
    tx: &Sender<Reply>,
) {
    // Levels and times are in the records: such a filter parses nothing.
    let facts = query.needs_only_facts();
    let n = within.as_ref().map_or(recs.len(), |w| w.len());
    let mut from = 0;
    loop {
        let to = (from + FILTER_ROUND).min(n);
        let chunked: Vec<Vec<u32>> = over_positions(recs.len(), within, from..to, |part| {
            let mut parsers: Vec<Parser> = files.iter().map(|f| f.parser.clone()).collect();
            part.filter(|&p| {
                let r = &recs[p as usize];
                if facts {
                    return query.matches_facts(r.level(), r.ts());
                }
                with_entry(files, &mut parsers, r, |e| query.matches(e)).unwrap_or(false)
            })
            .collect()
        });
        let positions: Vec<u32> = chunked.into_iter().flatten().collect();
        let done = to == n;
        let _ = tx.send(Reply::Filtered { gen, positions, hits, first: from == 0 && !append, done });
        if done || latest.load(std::sync::atomic::Ordering::Relaxed) != gen {
            break;
        }
        from = to;
    }
}

/// The part of a file the index reaches (records hold 37-bit offsets).
fn indexable(data: &[u8]) -> &[u8] {
    &data[..data.len().min(entries::MAX_FILE_BYTES as usize)]
}

/// The sort time of a file's first entry, and the largest among its last ones: enough to
/// tell whether files follow one another in time (a rotated set, oldest first).
fn time_bounds(f: &FileRef) -> (Option<i64>, Option<i64>) {
    const PROBE: usize = 64 << 10;
    let data = indexable(f.map.bytes());
    let cut =
        if data.len() <= PROBE { data.len() } else { memchr::memrchr(b'\n', &data[..PROBE]).map_or(PROBE, |i| i + 1) };
    let first = entries::index_bytes(&data[..cut], 0, 0, &f.parser, i64::MIN).first().map(Rec::key);
    let from = data.len().saturating_sub(PROBE);
    let from = if from == 0 { 0 } else { memchr::memchr(b'\n', &data[from..]).map_or(data.len(), |i| from + i + 1) };
    let last = entries::index_bytes(&data[from..], 0, 0, &f.parser, i64::MIN).iter().filter_map(Rec::ts).max();
    (first, last)
}

/// Indexes files, slice by slice so the first screen does not wait for a gigabyte.
///
/// When the files follow one another in time (one file; a rotated set, oldest first), the
/// merged index is their records one file after the other: each slice goes to the screen,
/// which appends it to the only copy of the index. Otherwise (several instances at once) each
/// file's records are kept here and merged; the screen gets the first file's slices as they
/// come, then a merged copy after each further file.
/// Whether files follow one another is guessed from their first and last entries, and checked
/// as records come (the merge would put a file's first entry before an earlier file's): when
/// the guess was wrong, the files so far are indexed again and merged.
pub fn index(files: &[FileRef], tx: &Sender<Reply>) {
    let total: u64 = files.iter().map(|f| indexable(f.map.bytes()).len() as u64).sum();
    let mut sequential = files.len() <= 1 || {
        let bounds: Vec<(Option<i64>, Option<i64>)> = files.iter().map(time_bounds).collect();
        // (files without entries are left out of the comparison)
        let known: Vec<(i64, i64)> = bounds.iter().filter_map(|b| Some((b.0?, b.1.unwrap_or(b.0?)))).collect();
        known.windows(2).all(|w| w[1].0 >= w[0].1)
    };
    let mut done = 0u64;
    let mut parts: Vec<Vec<Rec>> = Vec::new();
    // The largest sort time sent so far, and whether anything was sent.
    let mut max_key = i64::MIN;
    let mut sent = false;
    let mut sent_recs = 0usize;
    let mut i = 0;
    while i < files.len() {
        let f = &files[i];
        let data = indexable(f.map.bytes());
        let mut recs: Vec<Rec> = Vec::new();
        let mut start = 0usize;
        let mut slice = 4usize << 20;
        let mut prev = i64::MIN;
        let mut reserve = 0;
        let mut first_of_file = true;
        let mut restart = false;
        while start < data.len() {
            let mut end = (start + slice).min(data.len());
            if end < data.len() {
                end = logx::index::lines::chunks(&data[start..], &f.parser, end - start)
                    .first()
                    .map_or(data.len(), |r| start + r.end);
            }
            let new = entries::index_bytes(&data[start..end], start as u64, i, &f.parser, prev);
            prev = new.last().map_or(prev, |r| r.key());
            if start == 0 && end < data.len() {
                // room for the whole at the first slice's density (2% spare), rather than
                // doubling: a gigabyte of small lines is ~9M records
                let at_density = |bytes: u64| (new.len() as u128 * bytes as u128 / end as u128) as usize;
                // sequential: the screen's index (what it has, this file and the later ones);
                // else this file's records, kept here
                let est = if sequential {
                    let later: u64 = files[i + 1..].iter().map(|g| indexable(g.map.bytes()).len() as u64).sum();
                    sent_recs + at_density(data.len() as u64 + later)
                } else {
                    at_density(data.len() as u64)
                };
                reserve = est + est / 50;
                if !sequential {
                    recs.reserve_exact(reserve);
                }
            }
            if sequential && first_of_file && !new.is_empty() {
                first_of_file = false;
                if new[0].key() < max_key {
                    restart = true;
                    break;
                }
            }
            f.map.release(start..end);
            done += (end - start) as u64;
            start = end;
            // Capped: a slice's records exist twice for a moment (per chunk, then merged)
            // before joining the index; 256 MiB slices held ~90 MiB of such copies on top of a
            // 1 GiB file's 143 MiB index.
            slice = (slice * 2).min(32 << 20);
            let _ = tx.send(Reply::Progress(done, total));
            if sequential {
                max_key = new.iter().map(Rec::key).fold(max_key, i64::max);
                sent_recs += new.len();
                let reply = Reply::Appended { recs: new, reserve, fresh: !sent, done: false };
                sent = true;
                let _ = tx.send(reply);
            } else {
                if i == 0 {
                    // The first file's rows are shown while it is read, as if it were alone
                    // (a copy: they are kept here too, for the merge).
                    let _ = tx.send(Reply::Appended { recs: new.clone(), reserve, fresh: !sent, done: false });
                    sent = true;
                }
                recs.extend(new);
            }
        }
        if restart {
            // Not in order after all: the files so far again, kept here for the merge.
            sequential = false;
            for (k, g) in files[..i].iter().enumerate() {
                parts.push(entries::index_bytes(indexable(g.map.bytes()), 0, k, &g.parser, i64::MIN));
            }
            done = files[..i].iter().map(|g| indexable(g.map.bytes()).len() as u64).sum();
            continue;
        }
        if !sequential {
            parts.push(recs);
            // (after the first file, the screen has what a merge of it would give)
            if i > 0 && i + 1 < files.len() {
                let _ = tx.send(Reply::Indexed { recs: entries::merge_of(&parts), done: false });
            }
        }
        i += 1;
    }
    if sequential {
        let _ = tx.send(Reply::Appended { recs: Vec::new(), reserve: 0, fresh: !sent, done: true });
    } else {
        let _ = tx.send(Reply::Indexed { recs: entries::merge(parts), done: true });
    }
}

/// The records of a grown file from `from` (its last known entry, which may have been cut
/// short) to its end; `prev_key` is the sort time before them.
pub fn extend(file: usize, fref: &FileRef, from: u64, prev_key: i64) -> Reply {
    let data = indexable(fref.map.bytes());
    let from = (from as usize).min(data.len());
    let recs = entries::index_bytes(&data[from..], from as u64, file, &fref.parser, prev_key);
    Reply::Extended { file, recs, from: from as u64 }
}

/// Runs the worker until the request channel closes.
pub fn run(rx: Receiver<Request>, tx: Sender<Reply>, _cfg: EngineConfig) {
    while let Ok(req) = rx.recv() {
        match req {
            Request::Index { files } => index(&files, &tx),
            Request::Extend { file, fref, from, prev_key } => {
                let _ = tx.send(extend(file, &fref, from, prev_key));
            }
            Request::Filter { gen, query, recs, within, files, hits, latest, append } => {
                filter(gen, &query, &recs, &within, &files, hits, append, &latest, &tx)
            }
            Request::Values { gen, field, recs, within, files } => {
                let maps: Vec<std::collections::HashMap<String, u64>> =
                    over_positions(recs.len(), &within, 0..usize::MAX, |part| {
                        let mut parsers: Vec<Parser> = files.iter().map(|f| f.parser.clone()).collect();
                        let mut m = std::collections::HashMap::new();
                        for p in part {
                            if let Some(Some(v)) = with_entry(&files, &mut parsers, &recs[p as usize], |e| {
                                e.field(&field).map(|v| v.into_owned())
                            }) {
                                *m.entry(v).or_insert(0) += 1;
                            }
                        }
                        m
                    });
                let mut all: std::collections::HashMap<String, u64> = std::collections::HashMap::new();
                for m in maps {
                    for (k, v) in m {
                        *all.entry(k).or_insert(0) += v;
                    }
                }
                let mut counts: Vec<(String, u64)> = all.into_iter().collect();
                counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
                counts.truncate(500);
                let _ = tx.send(Reply::Values { gen, field, counts });
            }
            Request::Audit { gen, recs, within, files } => {
                let _ = tx.send(Reply::Audit { gen, groups: audit(&recs, &within, &files) });
            }
            Request::Patterns { gen, recs, count, buckets, files } => {
                use logx::engine::Collector;
                let parts: Vec<logx::patterns::Seqs> = recs
                    .par_chunks(8192)
                    .map(|part| {
                        let mut parsers: Vec<Parser> = files.iter().map(|f| f.parser.clone()).collect();
                        let mut c = logx::patterns::PatternCollector::new(count.clone(), None, buckets);
                        for r in part {
                            with_entry(&files, &mut parsers, r, |e| c.entry(e));
                        }
                        c.take()
                    })
                    .collect();
                let mut all = logx::patterns::Seqs::default();
                for p in parts {
                    logx::patterns::merge_seqs(&mut all, p);
                }
                let table = logx::patterns::Table::build(all, logx::patterns::MinerConfig::default());
                let _ = tx.send(Reply::Patterns { gen, table: Arc::new(table) });
            }
            Request::Job(f) => f(&tx),
        }
    }
}

/// Counts histograms on its own thread, so that a frame never waits for a pass over millions of
/// entries; only the newest of the waiting jobs is counted.
pub fn histograms(jobs: Receiver<crate::tui::app::HistJob>, tx: Sender<Reply>) {
    while let Ok(mut job) = jobs.recv() {
        while let Ok(newer) = jobs.try_recv() {
            job = newer;
        }
        if tx.send(Reply::Histogram(job.key.clone(), job.count())).is_err() {
            return;
        }
    }
}
