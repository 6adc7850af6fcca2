//! The engine: reads inputs, finds entries, parses and filters them, and hands them to a
//! [`Collector`] whose per-chunk results a consumer receives in order.
//!
//! - One input (a file, or a rotated set read oldest first): mapped files are cut into chunks
//!   at entry boundaries and scanned on all cores; results come back in file order. Streams
//!   (gzip, stdin, FIFOs) are scanned as they are read.
//! - Several inputs: entries merge chronologically (a k-way merge on timestamps). Inputs are
//!   opened when the merge reaches their first timestamp, so thousands of files that follow
//!   each other in time never hold thousands of files open.
//!
//! A literal search (`-F`) is first looked for in the raw bytes, and only entries that
//! contain it are parsed. A time window on a file whose timestamps are in order is found by
//! binary search ([`crate::index::seek`]).

use std::collections::BinaryHeap;
use std::io::{self, Read};
use std::sync::Arc;

use rayon::prelude::*;

use crate::entry::Entry;
use crate::format::{self, custom::CustomFormat, Format, Parser};
use crate::index::cache::{self, Block, FileIndex, Freshness};
use crate::index::lines::{self, Span, SpanIter};
use crate::query::Query;
use crate::source::{self, Input, MappedFile, Opened, SourceError, SourceFile};
use crate::time::{Resolver, Zone};

/// Receives matching entries of one chunk and turns them into a result for the consumer.
pub trait Collector: Send {
    /// What a chunk produces.
    type Out: Send;
    /// One matching entry.
    fn entry(&mut self, e: &Entry<'_>);
    /// The result so far (the collector starts afresh).
    fn take(&mut self) -> Self::Out;
    /// Takes in the blocks of a persisted index instead of their entries, when the query
    /// needs nothing but levels (`level_mask`). Returns false when this collector needs the
    /// entries themselves.
    fn take_blocks(&mut self, _blocks: &[Block], _level_mask: Option<u8>) -> bool {
        false
    }
    /// How much of an entry the collector reads. Entries are parsed no further than it and the
    /// query need (time, level and format; with the message; or everything).
    fn needs(&self) -> Lite {
        Lite::Full
    }
}

/// Settings of a run.
#[derive(Clone, Debug)]
pub struct EngineConfig {
    /// Zone for naive timestamps.
    pub zone: Zone,
    /// `--format` name.
    pub forced_format: Option<String>,
    /// A custom format to use for every source.
    pub custom: Option<Arc<CustomFormat>>,
    /// Custom formats (from the configuration) that detection tries before the built-in ones.
    pub candidates: Vec<Arc<CustomFormat>>,
    /// Target chunk size for parallel scans.
    pub chunk_size: usize,
    /// Whether collectors need line numbers (costs a newline count per chunk).
    pub need_line_numbers: bool,
    /// Use the persisted index and time seeks.
    pub use_index: bool,
    /// Bytes read so far, for progress bars.
    pub progress: Option<std::sync::Arc<std::sync::atomic::AtomicU64>>,
    /// ClickHouse user, password and CA from the configuration.
    pub clickhouse_auth: crate::clickhouse::Auth,
}

impl Default for EngineConfig {
    fn default() -> Self {
        EngineConfig {
            zone: Zone::Utc,
            forced_format: None,
            custom: None,
            candidates: Vec::new(),
            chunk_size: 2 << 20,
            need_line_numbers: true,
            use_index: true,
            progress: None,
            clickhouse_auth: crate::clickhouse::Auth::default(),
        }
    }
}

/// What a run saw.
#[derive(Debug, Default)]
pub struct Summary {
    /// Errors and warnings about sources (already reported).
    pub errors: usize,
    /// Of which warnings only (skipped binaries).
    pub warnings: usize,
    /// Whether the consumer stopped the run early.
    pub stopped: bool,
    /// Detected format per source id.
    pub formats: Vec<(String, String, f64)>,
}

/// Display names of the sources of `inputs`, indexed by entry source id.
pub fn source_names(inputs: &[Input]) -> Vec<String> {
    let mut v = Vec::new();
    for i in inputs {
        match i {
            Input::Stdin => v.push("-".to_string()),
            Input::Files(files) => v.extend(files.iter().map(|f| f.display.clone())),
            Input::ClickHouse(url) => {
                v.push(crate::clickhouse::Target::parse(url).map_or(url.clone(), |t| t.display()))
            }
        }
    }
    v
}

/// Chooses the format of a source from its first bytes.
pub fn choose_format(cfg: &EngineConfig, head: &[u8]) -> Result<(Format, f64), String> {
    if let Some(c) = &cfg.custom {
        return Ok((Format::Custom(c.clone()), 1.0));
    }
    if let Some(name) = &cfg.forced_format {
        return format::forced(name, head).map(|f| (f, 1.0));
    }
    let head = &head[..head.len().min(256 * 1024)];
    // A configured format that reads most of the first lines wins.
    if !cfg.candidates.is_empty() {
        let lines: Vec<&[u8]> = head.split(|&b| b == b'\n').filter(|l| !l.is_empty()).take(200).collect();
        let best = cfg
            .candidates
            .iter()
            .map(|c| (c, lines.iter().filter(|l| c.starts_entry(l)).count()))
            .max_by_key(|(_, n)| *n);
        if let Some((c, n)) = best {
            if !lines.is_empty() && n * 10 >= lines.len() * 6 {
                return Ok((Format::Custom(c.clone()), n as f64 / lines.len() as f64));
            }
        }
    }
    let d = format::detect(head);
    let c = d.confidence();
    Ok((d.format, c))
}

/// Parses one span of `data` into `e` (reused) and reports whether the query keeps it.
#[inline]
#[allow(clippy::too_many_arguments)]
fn parse_span<'a>(
    data: &'a [u8],
    span: Span,
    base_offset: u64,
    line_no: u64,
    source: u32,
    parser: &mut Parser,
    query: &Query,
    e: &mut Entry<'a>,
    lite: Lite,
) -> bool {
    e.clear();
    e.source = source;
    e.raw = &data[span.start..span.end];
    e.offset = base_offset + span.start as u64;
    e.line_no = line_no;
    e.lines = span.lines;
    e.eol = span.eol;
    match lite {
        Lite::Full => parser.parse(e),
        Lite::Nothing | Lite::Facts => parser.parse_lite(e, false, true),
        Lite::Msg => parser.parse_lite(e, true, false),
        Lite::WithMsg => parser.parse_lite(e, true, true),
    }
    query.matches(e)
}

/// How much of an entry a scan needs, least first (but for `Facts` and `Msg`: see
/// [`Lite::and`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Lite {
    /// Nothing: a count (what the query needs decides).
    Nothing,
    /// Time, level, format.
    Facts,
    /// The message and the format, not the time and level (a phrase counted).
    Msg,
    /// Time, level, format and message.
    WithMsg,
    /// Everything.
    Full,
}

impl Lite {
    /// What two readers of an entry need together.
    pub fn and(self, other: Lite) -> Lite {
        match (self, other) {
            (Lite::Facts, Lite::Msg) | (Lite::Msg, Lite::Facts) => Lite::WithMsg,
            (a, b) => a.max(b),
        }
    }
}

/// What a query needs of each entry.
pub fn query_needs(query: &Query) -> Lite {
    if !query.needs_only_facts_and_msg() {
        Lite::Full
    } else if query.needs_only_facts() {
        Lite::Facts
    } else if query.filters_facts() {
        Lite::WithMsg
    } else {
        Lite::Msg
    }
}

/// What a collector and a query need of each entry.
fn lite_for<C: Collector>(col: &C, query: &Query) -> Lite {
    col.needs().and(query_needs(query))
}

/// Scans a complete buffer (every entry whole), feeding matching entries to `col`.
/// `base_line` is the 1-based line number of the buffer's first line (0 when unknown).
#[allow(clippy::too_many_arguments)]
pub fn scan_buffer<C: Collector>(
    data: &[u8],
    base_offset: u64,
    base_line: u64,
    source: u32,
    parser: &mut Parser,
    query: &Query,
    col: &mut C,
    count_lines: bool,
    mut block: Option<&mut Block>,
) {
    let mut e = Entry::default();
    // Counting and statistics by level and time (and searches of the message) need only
    // those: skip building fields.
    let lite = lite_for(col, query);
    // A JSON entry's message may differ from its bytes: a letter spelled `\uXXXX`, `\/`, or a
    // message rendered from a template (`@mt`, `messageTemplate`) with the entry's fields.
    // Entries with a backslash or an `@` are checked as well as the hits; a file of Serilog's
    // (whose templates are `messageTemplate` too) or of no single dialect is read whole.
    let json_dialect = match &parser.format {
        Format::Json(d) => Some(*d),
        _ => None,
    };
    let whole = matches!(json_dialect, Some(None | Some("serilog")));
    if let (Some(_), None, false) = (query.prefilter(), block.as_ref(), whole) {
        // Only entries whose bytes contain a literal can match: jump from hit to hit.
        let probe = parser.clone();
        let is_json = json_dialect.is_some();
        let mut pos = 0usize;
        let mut line = base_line;
        let mut counted_to = 0usize;
        // Backslashes and @ are looked for only up to the next hit, in the bytes the literal's
        // search has just read (still in the cache): `esc_next` is one found and not yet
        // passed, and no byte in `pos..esc_clear` is one.
        let mut esc_next: Option<usize> = None;
        let mut esc_clear = 0usize;
        while pos < data.len() {
            let hit = query.prefilter_find(data, pos);
            let esc = if is_json {
                if esc_next.is_some_and(|e| e < pos) {
                    esc_next = None;
                }
                if esc_next.is_none() {
                    let from = esc_clear.max(pos);
                    let to = hit.map_or(data.len(), |h| h + 1).max(from);
                    match memchr::memchr2(b'\\', b'@', &data[from..to]) {
                        Some(i) => esc_next = Some(from + i),
                        None => esc_clear = to,
                    }
                }
                esc_next
            } else {
                None
            };
            let at = match (hit, esc) {
                (Some(a), Some(b)) => a.min(b),
                (Some(a), None) | (None, Some(a)) => a,
                (None, None) => break,
            };
            // The entry that holds the hit: back to the start of its first line.
            let mut ls = memchr::memrchr(b'\n', &data[..at]).map_or(0, |i| i + 1);
            while ls > pos && !probe.opens_entry(data[ls]) {
                let le = memchr::memchr(b'\n', &data[ls..]).map_or(data.len(), |i| ls + i);
                if probe.starts_entry(&data[ls..le]) {
                    break;
                }
                ls = memchr::memrchr(b'\n', &data[..ls - 1]).map_or(0, |i| i + 1);
            }
            let ls = ls.max(pos);
            if count_lines {
                line += lines::count_newlines(&data[counted_to..ls]);
                counted_to = ls;
            }
            let mut it = SpanIter::new(data, ls, &probe, true);
            let Some(span) = it.next() else { break };
            if parse_span(data, span, base_offset, line, source, parser, query, &mut e, lite) {
                col.entry(&e);
            }
            pos = span.next();
        }
        return;
    }
    let probe = parser.clone();
    let mut line = base_line;
    for span in SpanIter::new(data, 0, &probe, true) {
        let keep = parse_span(data, span, base_offset, line, source, parser, query, &mut e, lite);
        if let Some(b) = block.as_deref_mut() {
            b.add(&e);
        }
        if keep {
            col.entry(&e);
        }
        line += span.lines as u64;
    }
}

/// Counts entries without parsing them (no filter).
pub fn count_entries(data: &[u8], parser: &Parser) -> u64 {
    SpanIter::new(data, 0, parser, true).count() as u64
}

/// Scans a mapped file on all cores; results reach `consume` in file order. Returns false
/// when the consumer stopped.
#[allow(clippy::too_many_arguments)]
pub fn scan_mapped<C, F, K>(
    m: &MappedFile,
    window: std::ops::Range<usize>,
    source: u32,
    display: &str,
    parser: &Parser,
    query: &Query,
    cfg: &EngineConfig,
    make: &F,
    consume: &mut K,
    report: &mut dyn FnMut(SourceError),
    mut build: Option<&mut Vec<Block>>,
    first_line: Option<u64>,
) -> io::Result<bool>
where
    C: Collector,
    F: Fn() -> C + Sync,
    K: FnMut(C::Out) -> io::Result<bool>,
{
    let all = m.bytes();
    let data = &all[window.clone()];
    if data.is_empty() {
        return Ok(true);
    }
    let building = build.is_some();
    m.advise_sequential();
    let faults_before = source::mmap::fault_count();
    let ranges = lines::chunks(data, parser, cfg.chunk_size);
    let need_lines = cfg.need_line_numbers || building;
    // Entries that show their line numbers need each chunk's first line before it is read:
    // newlines are counted ahead, batch by batch. Blocks of the index only need it after:
    // their own line counts give it, and the data is read once.
    let count_ahead = cfg.need_line_numbers;
    let base0 = match first_line {
        Some(l) => l,
        None if need_lines && window.start > 0 => lines::count_newlines(&all[..window.start]) + 1,
        None => 1,
    };
    let threads = rayon::current_num_threads().max(1);
    let batch = threads * 4;
    let run = |(r, base): &(std::ops::Range<usize>, u64), limit: usize| {
        let r = r.start..r.end.min(limit);
        let mut p = parser.clone();
        let mut c = make();
        let mut block = building.then(|| Block::new((window.start + r.start) as u64, *base));
        if r.start < r.end {
            scan_buffer(
                &data[r.clone()],
                (window.start + r.start) as u64,
                *base,
                source,
                &mut p,
                query,
                &mut c,
                count_ahead,
                block.as_mut(),
            );
        }
        if let Some(b) = block.as_mut() {
            b.len = (r.end - r.start) as u64;
            b.finish();
        }
        // Done with these pages: keep memory flat on files bigger than RAM (by the thread that
        // read them, so the unmapping runs on all cores too; a page shared with the next chunk
        // is kept).
        m.release(window.start + r.start..window.start + r.end);
        (c.take(), block)
    };
    // One batch: its chunks with their first line numbers, and their results.
    type Work = Vec<(std::ops::Range<usize>, u64)>;
    type Results<O> = Vec<(O, Option<Block>)>;
    let compute = |i: usize, base: u64| -> (Work, Results<C::Out>, u64) {
        let end = (i + batch).min(ranges.len());
        // Line numbers of this batch only, so pages are touched once, batch by batch.
        let counts: Vec<u64> = if count_ahead {
            ranges[i..end].par_iter().map(|r| lines::count_newlines(&data[r.clone()])).collect()
        } else {
            vec![0; end - i]
        };
        let mut work: Work = Vec::with_capacity(end - i);
        let mut next = base;
        for (k, c) in (i..end).zip(counts) {
            work.push((ranges[k].clone(), next));
            next += c;
        }
        let mut outs: Results<C::Out> = if work.len() == 1 || threads == 1 {
            work.iter().map(|w| run(w, usize::MAX)).collect()
        } else {
            work.par_iter().map(|w| run(w, usize::MAX)).collect()
        };
        if building && !count_ahead {
            // A chunk ends with a newline (all but the file's last): its lines are its newlines.
            for (_, b) in &mut outs {
                if let Some(b) = b {
                    b.line = next;
                    next += b.lines;
                }
            }
        }
        (work, outs, next)
    };
    let mut next_base = base0;
    let mut i = 0;
    while i < ranges.len() {
        let (work, mut outs, next) = compute(i, next_base);
        next_base = next;
        // A truncation under the map: redo the chunks past the new end, then stop there.
        let mut truncated_at = None;
        if source::mmap::fault_count() != faults_before {
            let cur = m.current_len();
            if cur < m.len {
                let limit = (cur as usize).saturating_sub(window.start);
                for (k, w) in work.iter().enumerate() {
                    if w.0.end > limit {
                        outs[k] = run(w, limit);
                    }
                }
                truncated_at = Some((cur, limit));
            }
        }
        for (k, (out, block)) in outs.into_iter().enumerate() {
            if let Some((_, limit)) = truncated_at {
                if work[k].0.start >= limit {
                    break;
                }
            }
            if let (Some(blocks), Some(b)) = (build.as_deref_mut(), block) {
                blocks.push(b);
            }
            if !consume(out)? {
                return Ok(false);
            }
        }
        if let (Some(first), Some(last)) = (work.first(), work.last()) {
            if let Some(p) = &cfg.progress {
                p.fetch_add((last.0.end - first.0.start) as u64, std::sync::atomic::Ordering::Relaxed);
            }
        }
        if let Some((cur, _)) = truncated_at {
            report(SourceError::Truncated { path: display.to_string(), at: cur });
            if let Some(blocks) = build.as_deref_mut() {
                // An index of a file that shrank under us is not worth keeping.
                blocks.clear();
            }
            return Ok(true);
        }
        i += batch;
    }
    Ok(true)
}

/// Entries of a stream, scanned as they are read. Returns false when the consumer stopped.
#[allow(clippy::too_many_arguments)]
pub fn scan_stream<C, K>(
    mut r: Box<dyn Read + Send>,
    source: u32,
    display: &str,
    parser: &mut Parser,
    query: &Query,
    col: &mut C,
    consume: &mut K,
    report: &mut dyn FnMut(SourceError),
) -> io::Result<bool>
where
    C: Collector,
    K: FnMut(C::Out) -> io::Result<bool>,
{
    let mut buf: Vec<u8> = Vec::with_capacity(1 << 20);
    let mut offset = 0u64;
    let mut line = 1u64;
    let mut eof = false;
    let probe = parser.clone();
    while !eof {
        let old = buf.len();
        buf.resize(old + (1 << 20), 0);
        match r.read(&mut buf[old..]) {
            Ok(0) => {
                buf.truncate(old);
                eof = true;
            }
            Ok(n) => buf.truncate(old + n),
            Err(err) if err.kind() == io::ErrorKind::Interrupted => {
                // A signal: let the consumer decide whether to stop.
                buf.truncate(old);
                if !consume(col.take())? {
                    return Ok(false);
                }
                continue;
            }
            Err(err) => {
                buf.truncate(old);
                report(SourceError::Io { path: display.to_string(), source: err });
                eof = true;
            }
        }
        let mut any = false;
        let consumed = {
            let mut e = Entry::default();
            let mut it = SpanIter::new(&buf, 0, &probe, eof);
            for span in it.by_ref() {
                if parse_span(&buf, span, offset, line, source, parser, query, &mut e, Lite::Full) {
                    col.entry(&e);
                    any = true;
                }
                line += span.lines as u64;
            }
            it.pos
        };
        if any && !consume(col.take())? {
            return Ok(false);
        }
        // An entry bigger than the buffer keeps growing the buffer: nothing is cut.
        buf.drain(..consumed);
        offset += consumed as u64;
    }
    Ok(true)
}

/// Counts every entry of the inputs without parsing them (`logx cat -c` with no filter).
///
/// # Errors
/// Only I/O errors of the run itself; source errors go to `report`.
pub fn count_all(inputs: &[Input], cfg: &EngineConfig, report: &mut dyn FnMut(SourceError)) -> io::Result<u64> {
    let mut total = 0u64;
    for input in inputs {
        match input {
            Input::ClickHouse(url) => match crate::clickhouse::count_url(url, &cfg.clickhouse_auth, &Query::all()) {
                Ok(n) => total += n,
                Err(msg) => report(SourceError::Io { path: url.clone(), source: io::Error::other(msg) }),
            },
            Input::Stdin => {
                let r = match source::open_stdin() {
                    Ok(r) => r,
                    Err(e) => {
                        report(e);
                        continue;
                    }
                };
                match stdin_parser(cfg, r) {
                    Ok((parser, r)) => total += count_stream(r, &parser, "-", report),
                    Err(m) => report(SourceError::Io { path: "-".into(), source: io::Error::other(m) }),
                }
            }
            Input::Files(files) => {
                for f in files {
                    match open_with_parser(f, cfg) {
                        Ok((Opened::Mapped(m), parser, _)) => {
                            let data = m.bytes();
                            m.advise_sequential();
                            let ranges = lines::chunks(data, &parser, cfg.chunk_size);
                            let batch = rayon::current_num_threads().max(1) * 4;
                            for group in ranges.chunks(batch) {
                                // (each chunk's pages are let go by the thread that read them,
                                // so the unmapping runs on all cores too)
                                total += group
                                    .par_iter()
                                    .map(|r| {
                                        let n = count_entries(&data[r.clone()], &parser);
                                        m.release(r.clone());
                                        n
                                    })
                                    .sum::<u64>();
                            }
                        }
                        Ok((Opened::Stream(r), parser, _)) => total += count_stream(r, &parser, &f.display, report),
                        Err(e) => report(e),
                    }
                }
            }
        }
    }
    Ok(total)
}

fn count_stream(
    mut r: Box<dyn Read + Send>,
    parser: &Parser,
    display: &str,
    report: &mut dyn FnMut(SourceError),
) -> u64 {
    let mut buf: Vec<u8> = Vec::with_capacity(1 << 20);
    let mut n = 0u64;
    let mut eof = false;
    while !eof {
        let old = buf.len();
        buf.resize(old + (1 << 20), 0);
        match r.read(&mut buf[old..]) {
            Ok(0) => {
                buf.truncate(old);
                eof = true;
            }
            Ok(k) => buf.truncate(old + k),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => buf.truncate(old),
            Err(e) => {
                buf.truncate(old);
                report(SourceError::Io { path: display.to_string(), source: e });
                eof = true;
            }
        }
        let mut it = SpanIter::new(&buf, 0, parser, eof);
        n += it.by_ref().count() as u64;
        let consumed = it.pos;
        buf.drain(..consumed);
    }
    n
}

/// A stream with its first bytes read (for detection) and put back. A live stream is not
/// waited for: detection uses what has arrived.
fn peek_stream(mut r: Box<dyn Read + Send>, n: usize) -> (Vec<u8>, Box<dyn Read + Send>) {
    let head = source::read_head(&mut *r, n).unwrap_or_default();
    let again = io::Cursor::new(head.clone()).chain(r);
    (head, Box::new(again))
}

/// Runs a query over inputs. `make` builds a collector per chunk; `consume` receives the
/// results in order (chronological across inputs) and returns false to stop.
pub fn run<C, F, K>(
    inputs: &[Input],
    cfg: &EngineConfig,
    query: &Query,
    make: F,
    mut consume: K,
    report: &mut dyn FnMut(SourceError),
) -> io::Result<Summary>
where
    C: Collector,
    F: Fn() -> C + Sync,
    K: FnMut(C::Out) -> io::Result<bool>,
{
    let mut summary = Summary::default();
    let mut errors = 0usize;
    let mut warnings = 0usize;
    let mut report2 = |e: SourceError| {
        if e.is_warning() {
            warnings += 1;
        } else {
            errors += 1;
        }
        report(e);
    };
    if inputs.len() > 1 || inputs.iter().any(|i| matches!(i, Input::ClickHouse(_))) {
        summary.stopped = !merge(inputs, cfg, query, &make, &mut consume, &mut report2, &mut summary.formats)?;
    } else if let Some(input) = inputs.first() {
        let mut id = 0u32;
        summary.stopped =
            !scan_input(input, &mut id, cfg, query, &make, &mut consume, &mut report2, &mut summary.formats)?;
    }
    summary.errors = errors;
    summary.warnings = warnings;
    Ok(summary)
}

fn stdin_parser(cfg: &EngineConfig, r: Box<dyn Read + Send>) -> Result<(Parser, Box<dyn Read + Send>), String> {
    let (head, r) = peek_stream(r, 64 * 1024);
    let (format, _) = choose_format(cfg, &head)?;
    let mut parser = Parser::new(format, Resolver::new(cfg.zone.clone(), source::now_secs()));
    parser.fallback = cfg.forced_format.is_none() && cfg.custom.is_none();
    Ok((parser, r))
}

#[allow(clippy::too_many_arguments)]
fn scan_input<C, F, K>(
    input: &Input,
    id: &mut u32,
    cfg: &EngineConfig,
    query: &Query,
    make: &F,
    consume: &mut K,
    report: &mut dyn FnMut(SourceError),
    formats: &mut Vec<(String, String, f64)>,
) -> io::Result<bool>
where
    C: Collector,
    F: Fn() -> C + Sync,
    K: FnMut(C::Out) -> io::Result<bool>,
{
    match input {
        Input::ClickHouse(_) => {
            *id += 1;
            merge(std::slice::from_ref(input), cfg, query, make, consume, report, formats)
        }
        Input::Stdin => {
            let src = *id;
            *id += 1;
            let r = match source::open_stdin() {
                Ok(r) => r,
                Err(e) => {
                    report(e);
                    return Ok(true);
                }
            };
            let (mut parser, r) = match stdin_parser(cfg, r) {
                Ok(x) => x,
                Err(msg) => {
                    report(SourceError::Io { path: "-".into(), source: io::Error::other(msg) });
                    return Ok(true);
                }
            };
            formats.push(("-".into(), parser.format.name().to_string(), 1.0));
            let mut col = make();
            scan_stream(r, src, "-", &mut parser, query, &mut col, consume, report)
        }
        Input::Files(files) => {
            for f in files {
                let src = *id;
                *id += 1;
                if !scan_file(f, src, cfg, query, make, consume, report, formats)? {
                    return Ok(false);
                }
            }
            Ok(true)
        }
    }
}

/// The time span of inputs, probed cheaply (the start and end of each mapped file, the first
/// entries of streams), for histograms and sparklines that need it before a scan. Stdin is
/// not probed.
pub fn probe_span(inputs: &[Input], cfg: &EngineConfig) -> Option<(i64, i64)> {
    let mut span: Option<(i64, i64)> = None;
    for f in inputs.iter().flat_map(|i| match i {
        Input::Files(v) => v.as_slice(),
        Input::Stdin | Input::ClickHouse(_) => &[],
    }) {
        let Ok((opened, mut parser, _)) = open_with_parser(f, cfg) else { continue };
        let got = match opened {
            Opened::Mapped(m) => crate::index::seek::first_last(m.bytes(), &mut parser),
            Opened::Stream(mut r) => {
                let head = source::read_head(&mut r, 256 << 10).unwrap_or_default();
                crate::index::seek::first_last(&head, &mut parser)
            }
        };
        if let Some((a, b)) = got {
            span = Some(span.map_or((a, b), |(x, y)| (x.min(a), y.max(b))));
        }
    }
    span
}

/// Opens a file and picks its parser.
///
/// # Errors
/// When the file cannot be opened, is not a log, or the forced format is unknown.
pub fn open_with_parser(f: &SourceFile, cfg: &EngineConfig) -> Result<(Opened, Parser, f64), SourceError> {
    let opened = source::open(f)?;
    let mtime = source::mtime_secs(&f.path);
    let bad = |m: String| SourceError::Io { path: f.display.clone(), source: io::Error::other(m) };
    let (opened, (format, conf)) = match opened {
        Opened::Stream(r) => {
            let (head, r) = peek_stream(r, 256 * 1024);
            (Opened::Stream(r), choose_format(cfg, &head).map_err(bad)?)
        }
        Opened::Mapped(m) => {
            let chosen = choose_format(cfg, m.bytes()).map_err(bad)?;
            (Opened::Mapped(m), chosen)
        }
    };
    let mut parser = Parser::new(format, Resolver::new(cfg.zone.clone(), mtime));
    parser.fallback = cfg.forced_format.is_none() && cfg.custom.is_none();
    Ok((opened, parser, conf))
}

#[allow(clippy::too_many_arguments)]
fn scan_file<C, F, K>(
    f: &SourceFile,
    src: u32,
    cfg: &EngineConfig,
    query: &Query,
    make: &F,
    consume: &mut K,
    report: &mut dyn FnMut(SourceError),
    formats: &mut Vec<(String, String, f64)>,
) -> io::Result<bool>
where
    C: Collector,
    F: Fn() -> C + Sync,
    K: FnMut(C::Out) -> io::Result<bool>,
{
    let (opened, mut parser, conf) = match open_with_parser(f, cfg) {
        Ok(x) => x,
        Err(e) => {
            report(e);
            return Ok(true);
        }
    };
    formats.push((f.display.clone(), parser.format.name().to_string(), conf));
    match opened {
        Opened::Mapped(m) => scan_mapped_file(&m, f, src, &mut parser, query, cfg, make, consume, report),
        Opened::Stream(r) => {
            let mut col = make();
            scan_stream(r, src, &f.display, &mut parser, query, &mut col, consume, report)
        }
    }
}

/// A mapped file, with the persisted index: answered from it when the collector can take
/// blocks, narrowed by it for time ranges, built while reading when missing.
#[allow(clippy::too_many_arguments)]
fn scan_mapped_file<C, F, K>(
    m: &MappedFile,
    f: &SourceFile,
    src: u32,
    parser: &mut Parser,
    query: &Query,
    cfg: &EngineConfig,
    make: &F,
    consume: &mut K,
    report: &mut dyn FnMut(SourceError),
) -> io::Result<bool>
where
    C: Collector,
    F: Fn() -> C + Sync,
    K: FnMut(C::Out) -> io::Result<bool>,
{
    let len = m.bytes().len();
    let indexable = cfg.use_index && len as u64 >= cache::MIN_INDEXED_LEN;
    let key = indexable.then(|| m.file.metadata().ok().map(|meta| cache::Key::of(&meta, m.bytes()))).flatten();
    let stored = key.as_ref().and_then(|k| cache::load(&f.path, k).map(|ix| (ix.freshness(k), ix)));
    let level_only = query.is_level_only();
    // Whole blocks answer the collector: an unchanged file costs no scan; a grown one is read
    // from its last block on.
    if let Some((fresh, ix)) = &stored {
        if level_only && *fresh != Freshness::Stale {
            let upto = match fresh {
                Freshness::Same => ix.blocks.len(),
                _ => ix.blocks.len() - 1,
            };
            let mut c = make();
            if c.take_blocks(&ix.blocks[..upto], query.level_mask) {
                if !consume(c.take())? {
                    return Ok(false);
                }
                if let Freshness::Grown { from } = fresh {
                    let mut blocks: Vec<Block> = ix.blocks[..upto].to_vec();
                    let ok = scan_mapped(
                        m,
                        *from as usize..len,
                        src,
                        &f.display,
                        parser,
                        query,
                        cfg,
                        make,
                        consume,
                        report,
                        Some(&mut blocks),
                        ix.blocks.last().map(|b| b.line),
                    )?;
                    if ok {
                        if let Some(k) = &key {
                            cache::store(
                                &f.path,
                                &FileIndex { key: k.clone(), format: parser.format.name().to_string(), blocks },
                            );
                        }
                    }
                    return Ok(ok);
                }
                return Ok(true);
            }
        }
    }
    if query.range.is_set() && cfg.use_index {
        // Exact from the index's blocks when it is current; a checked binary search otherwise.
        let window = match &stored {
            Some((Freshness::Same, ix)) => {
                ix.window(query.range.from, query.range.to).map(|w| w.start as usize..w.end as usize)
            }
            Some((Freshness::Grown { from }, ix)) => Some(match ix.window(query.range.from, query.range.to) {
                Some(w) => w.start as usize..len,
                None => *from as usize..len,
            }),
            _ => Some(crate::index::seek::window(m, parser, query.range)),
        };
        return match window {
            Some(w) => {
                let line = match &stored {
                    Some((Freshness::Same | Freshness::Grown { .. }, ix)) => ix.line_at(w.start as u64),
                    _ => None,
                };
                scan_mapped(m, w, src, &f.display, parser, query, cfg, make, consume, report, None, line)
            }
            None => Ok(true),
        };
    }
    let build = key.is_some() && query.prefilter().is_none() && !matches!(&stored, Some((Freshness::Same, _)));
    let mut blocks = Vec::new();
    let ok = scan_mapped(
        m,
        0..len,
        src,
        &f.display,
        parser,
        query,
        cfg,
        make,
        consume,
        report,
        build.then_some(&mut blocks),
        None,
    )?;
    if ok && build && !blocks.is_empty() {
        if let Some(k) = key {
            cache::store(&f.path, &FileIndex { key: k, format: parser.format.name().to_string(), blocks });
        }
    }
    Ok(ok)
}

/// One input's entries, one at a time, for the merge.
struct Cursor {
    files: Vec<(SourceFile, u32)>,
    next_file: usize,
    cur: Option<CurData>,
    parser: Option<Parser>,
    probe: Option<Parser>,
    line: u64,
    offset: u64,
    last_ts: i64,
    /// SIGBUS faults absorbed when last checked (a change: some mapped file shrank).
    faults: usize,
}

enum CurData {
    /// A mapped file: position, source id, end (the time window's, or the file's).
    Mapped(MappedFile, usize, u32, usize),
    Stream(Box<dyn Read + Send>, Vec<u8>, bool, u32, String),
}

impl Cursor {
    /// A cursor over one stream already opened, with its parser.
    fn stream(parser: Parser, r: Box<dyn Read + Send>, id: u32, display: String) -> Cursor {
        Cursor {
            files: Vec::new(),
            next_file: 0,
            probe: Some(parser.clone()),
            parser: Some(parser),
            cur: Some(CurData::Stream(r, Vec::new(), false, id, display)),
            line: 1,
            offset: 0,
            last_ts: i64::MIN,
            faults: 0,
        }
    }

    /// The next matching entry: (sort key, collector output).
    #[allow(clippy::too_many_arguments)]
    fn next<C: Collector>(
        &mut self,
        cfg: &EngineConfig,
        query: &Query,
        col: &mut C,
        report: &mut dyn FnMut(SourceError),
        formats: &mut Vec<(String, String, f64)>,
    ) -> Option<(i64, C::Out)> {
        loop {
            if self.cur.is_none() {
                let (f, id) = self.files.get(self.next_file)?.clone();
                self.next_file += 1;
                match open_with_parser(&f, cfg) {
                    Ok((opened, mut parser, conf)) => {
                        formats.push((f.display.clone(), parser.format.name().to_string(), conf));
                        self.line = 1;
                        self.offset = 0;
                        self.faults = source::mmap::fault_count();
                        let opened = match opened {
                            Opened::Mapped(m) => {
                                // A time range: the checked binary search of the one-file scan,
                                // so a merge reads only the window of each file too.
                                let w = if query.range.is_set() && cfg.use_index {
                                    crate::index::seek::window(&m, &mut parser, query.range)
                                } else {
                                    0..m.bytes().len()
                                };
                                if w.start > 0 && cfg.need_line_numbers {
                                    self.line = 1 + bytecount::count(&m.bytes()[..w.start], b'\n') as u64;
                                }
                                CurData::Mapped(m, w.start, id, w.end)
                            }
                            Opened::Stream(r) => CurData::Stream(r, Vec::new(), false, id, f.display.clone()),
                        };
                        self.probe = Some(parser.clone());
                        self.parser = Some(parser);
                        self.cur = Some(opened);
                    }
                    Err(err) => {
                        report(err);
                        continue;
                    }
                }
            }
            let (Some(parser), Some(probe)) = (self.parser.as_mut(), self.probe.as_ref()) else { return None };
            let mut exhausted = false;
            let mut result = None;
            match self.cur.as_mut()? {
                CurData::Mapped(m, pos, id, end) => {
                    let data = &m.bytes()[..*end];
                    let mut it = SpanIter::new(data, *pos, probe, true);
                    let next = it.next();
                    // A file that shrank under the map: its pages past the new end read as
                    // zeros; stop at the new end and say so.
                    let now = source::mmap::fault_count();
                    let mut cut = None;
                    if now != self.faults {
                        self.faults = now;
                        let cur = m.current_len();
                        if cur < m.len && next.as_ref().is_some_and(|s| s.next() as u64 > cur) {
                            cut = Some(cur);
                        }
                    }
                    if let Some(at) = cut {
                        let path = self.files[self.next_file - 1].0.display.clone();
                        report(SourceError::Truncated { path, at });
                        exhausted = true;
                    } else {
                        match next {
                            None => exhausted = true,
                            Some(span) => {
                                *pos = it.pos;
                                let line = self.line;
                                self.line += span.lines as u64;
                                let mut e = Entry::default();
                                let keep = parse_span(data, span, 0, line, *id, parser, query, &mut e, Lite::Full);
                                if let Some(t) = e.ts {
                                    self.last_ts = t.nanos;
                                }
                                if keep {
                                    col.entry(&e);
                                    result = Some((self.last_ts, col.take()));
                                }
                            }
                        }
                    }
                }
                CurData::Stream(r, buf, eof, id, display) => {
                    let mut it = SpanIter::new(buf, 0, probe, *eof);
                    match it.next() {
                        Some(span) => {
                            let consumed = it.pos;
                            let line = self.line;
                            self.line += span.lines as u64;
                            let mut e = Entry::default();
                            let keep = parse_span(buf, span, self.offset, line, *id, parser, query, &mut e, Lite::Full);
                            if let Some(t) = e.ts {
                                self.last_ts = t.nanos;
                            }
                            if keep {
                                col.entry(&e);
                                result = Some((self.last_ts, col.take()));
                            }
                            drop(e);
                            buf.drain(..consumed);
                            self.offset += consumed as u64;
                        }
                        None if *eof => exhausted = true,
                        None => {
                            let old = buf.len();
                            buf.resize(old + (256 << 10), 0);
                            match r.read(&mut buf[old..]) {
                                Ok(0) => {
                                    buf.truncate(old);
                                    *eof = true;
                                }
                                Ok(n) => buf.truncate(old + n),
                                Err(err) => {
                                    buf.truncate(old);
                                    report(SourceError::Io { path: display.clone(), source: err });
                                    *eof = true;
                                }
                            }
                        }
                    }
                }
            }
            if exhausted {
                self.cur = None;
            }
            if result.is_some() {
                return result;
            }
        }
    }
}

/// The first timestamp of an input (for ordering the merge), reading as little as possible.
fn first_ts(input: &Input, cfg: &EngineConfig) -> Option<i64> {
    let Input::Files(files) = input else { return None };
    let f = files.first()?;
    let (opened, mut parser, _) = open_with_parser(f, cfg).ok()?;
    match opened {
        Opened::Mapped(m) => {
            let data = m.bytes();
            let probe = parser.clone();
            for (n, span) in SpanIter::new(data, 0, &probe, true).enumerate() {
                let mut e = Entry { raw: &data[span.start..span.end], lines: span.lines, ..Entry::default() };
                parser.parse(&mut e);
                if let Some(t) = e.ts {
                    return Some(t.nanos);
                }
                if n > 1000 {
                    break;
                }
            }
            None
        }
        Opened::Stream(_) => None,
    }
}

#[allow(clippy::too_many_arguments)]
fn merge<C, F, K>(
    inputs: &[Input],
    cfg: &EngineConfig,
    query: &Query,
    make: &F,
    consume: &mut K,
    report: &mut dyn FnMut(SourceError),
    formats: &mut Vec<(String, String, f64)>,
) -> io::Result<bool>
where
    C: Collector,
    F: Fn() -> C + Sync,
    K: FnMut(C::Out) -> io::Result<bool>,
{
    // Source ids follow the inputs' order, whatever order they are opened in.
    let mut next_id = 0u32;
    let mut pending: Vec<(Option<i64>, Cursor)> = Vec::new();
    let mut stdin_cursor: Option<(u32, Box<dyn Read + Send>)> = None;
    let mut remote = Vec::new();
    for input in inputs {
        match input {
            Input::ClickHouse(url) => {
                // One stream per file shipped into the table, the query pushed down; every
                // stream of the table is shown under the table's name.
                match crate::clickhouse::open_streams(url, &cfg.clickhouse_auth, query) {
                    Ok(streams) => {
                        let display = crate::clickhouse::Target::parse(url).map_or(url.clone(), |t| t.display());
                        for st in streams {
                            remote.push((next_id, display.clone(), st));
                        }
                    }
                    Err(msg) => report(SourceError::Io { path: url.clone(), source: io::Error::other(msg) }),
                }
                next_id += 1;
            }
            Input::Stdin => {
                match source::open_stdin() {
                    Ok(r) => stdin_cursor = Some((next_id, r)),
                    Err(e) => report(e),
                }
                next_id += 1;
            }
            Input::Files(files) => {
                let files: Vec<(SourceFile, u32)> = files
                    .iter()
                    .map(|f| {
                        next_id += 1;
                        (f.clone(), next_id - 1)
                    })
                    .collect();
                let first = first_ts(input, cfg);
                pending.push((
                    first,
                    Cursor {
                        files,
                        next_file: 0,
                        cur: None,
                        parser: None,
                        probe: None,
                        line: 1,
                        offset: 0,
                        last_ts: i64::MIN,
                        faults: 0,
                    },
                ));
            }
        }
    }
    for (id, display, st) in remote {
        let (first, r) = (st.first, st.reader);
        let chosen = choose_format(cfg, &st.head).map(|(format, _)| {
            let mut parser = Parser::new(format, Resolver::new(cfg.zone.clone(), source::now_secs()));
            parser.fallback = cfg.forced_format.is_none() && cfg.custom.is_none();
            parser
        });
        match chosen {
            Ok(parser) => {
                formats.push((display.clone(), parser.format.name().to_string(), 1.0));
                pending.push((first, Cursor::stream(parser, r, id, display)));
            }
            Err(msg) => report(SourceError::Io { path: display, source: io::Error::other(msg) }),
        }
    }
    if let Some((id, r)) = stdin_cursor {
        match stdin_parser(cfg, r) {
            Ok((parser, r)) => {
                formats.push(("-".into(), parser.format.name().to_string(), 1.0));
                pending.push((None, Cursor::stream(parser, r, id, "-".into())));
            }
            Err(msg) => report(SourceError::Io { path: "-".into(), source: io::Error::other(msg) }),
        }
    }
    // Latest first, so that pop() gives the earliest start.
    pending.sort_by_key(|(t, _)| std::cmp::Reverse(t.unwrap_or(i64::MIN)));
    let mut active: Vec<Cursor> = Vec::new();
    let mut heads: BinaryHeap<std::cmp::Reverse<(i64, usize, usize)>> = BinaryHeap::new();
    let mut outs: Vec<Option<C::Out>> = Vec::new();
    let mut col = make();
    let mut seq = 0usize;
    loop {
        // Open every input whose first entry is not later than the earliest pending head.
        let frontier = heads.peek().map(|std::cmp::Reverse((t, _, _))| *t);
        while let Some((t, _)) = pending.last() {
            let start = t.unwrap_or(i64::MIN);
            if frontier.is_some_and(|f| start > f) {
                break;
            }
            let (_, mut cur) = pending.pop().expect("checked");
            let idx = active.len();
            match cur.next(cfg, query, &mut col, report, formats) {
                Some((t, out)) => {
                    outs.push(Some(out));
                    heads.push(std::cmp::Reverse((t, seq, idx)));
                    seq += 1;
                }
                None => outs.push(None),
            }
            active.push(cur);
        }
        let Some(std::cmp::Reverse((_, _, idx))) = heads.pop() else {
            if pending.is_empty() {
                return Ok(true);
            }
            continue;
        };
        if let Some(out) = outs[idx].take() {
            if !consume(out)? {
                return Ok(false);
            }
        }
        match active[idx].next(cfg, query, &mut col, report, formats) {
            Some((t, out)) => {
                outs[idx] = Some(out);
                heads.push(std::cmp::Reverse((t, seq, idx)));
                seq += 1;
            }
            None => {
                // Exhausted: release its file.
                active[idx].cur = None;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::QuerySpec;
    use crate::time::Zone;

    fn needs(spec: QuerySpec, collector: Lite) -> Lite {
        let q = Query::compile(&spec, &Zone::Utc, 0).expect("query");
        collector.and(query_needs(&q))
    }

    #[test]
    fn a_counted_phrase_reads_the_message_alone() {
        let phrase = || QuerySpec { fixed: vec!["reset by peer".into()], ..QuerySpec::default() };
        assert_eq!(needs(phrase(), Lite::Nothing), Lite::Msg);
        // statistics need the time and level as well
        assert_eq!(needs(phrase(), Lite::Facts), Lite::WithMsg);
        // so does a query that filters on them
        let with_level = QuerySpec { level: Some("warn".into()), ..phrase() };
        assert_eq!(needs(with_level, Lite::Nothing), Lite::WithMsg);
        let with_time = QuerySpec { from: Some("2026-11-21".into()), ..phrase() };
        assert_eq!(needs(with_time, Lite::Nothing), Lite::WithMsg);
        assert_eq!(needs(QuerySpec { level: Some("warn".into()), ..QuerySpec::default() }, Lite::Nothing), Lite::Facts);
        // a search of another field reads everything
        let in_field = QuerySpec { in_field: Some("user".into()), ..phrase() };
        assert_eq!(needs(in_field, Lite::Nothing), Lite::Full);
        assert_eq!(Lite::Msg.and(Lite::Full), Lite::Full);
        assert_eq!(Lite::Nothing.and(Lite::Facts), Lite::Facts);
    }
}
