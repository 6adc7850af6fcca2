//! `logx ship`: entries into a ClickHouse table, in batches, resuming after a crash.
//!
//! Every file is known by a fingerprint of its first line, so that the same bytes are the same
//! source under any name: `app.log` renamed to `app.log.1`, copied by copytruncate, gzipped
//! into `app.log.2.gz`. After each batch the server acknowledged, the checkpoint (fingerprint
//! to delivered offset and the sort time there) is written atomically; a restart resumes from
//! it. A batch acknowledged but not checkpointed (a crash in between) is sent again, and the
//! table's `ReplacingMergeTree` keeps one row per (source, offset): read with `FINAL`, the table
//! holds each entry once.
//!
//! Following (`-f`) looks at the files, the rotated ones included, whenever the system says
//! something changed in their directories (and every two seconds all the same), or every
//! `--poll` ms; a rename, a copytruncate or a gzip between two looks loses nothing that is
//! still on disk. While the server is down or refusing, the batch is retried with backoff and
//! nothing more is read: the memory held is one batch.

use std::collections::{BTreeMap, HashSet};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::args::ShipArgs;
use super::{Ctx, Fatal, EXIT_MATCH};
use logx::clickhouse::{self, Client, Target};
use logx::engine::{self, EngineConfig};
use logx::entry::Entry;
use logx::format::Parser;
use logx::index::lines::SpanIter;
use logx::query::Query;
use logx::source::follow::Notices;
use logx::source::{Input, Opened, SourceFile};

/// Following on change notices: a look at the files this often all the same (a notice can be
/// missed: a directory replaced, a watch limit reached).
const NOTICE_BACKSTOP: Duration = Duration::from_secs(2);

/// How far each source was delivered: fingerprint -> (offset, sort time at that offset).
#[derive(Default, serde::Serialize, serde::Deserialize)]
struct Checkpoint {
    target: String,
    files: BTreeMap<String, (u64, i64)>,
}

fn checkpoint_path(a: &ShipArgs, t: &Target) -> Result<PathBuf, Fatal> {
    if let Some(p) = &a.checkpoint {
        return Ok(p.clone());
    }
    let dir = logx::index::cache::cache_dir()
        .ok_or_else(|| Fatal("ship: no cache directory for the checkpoint: give --checkpoint FILE".into()))?;
    let name: String =
        t.display().chars().map(|c| if c.is_ascii_alphanumeric() || c == '.' { c } else { '_' }).collect();
    Ok(dir.join("ship").join(format!("{name}.json")))
}

impl Checkpoint {
    fn load(path: &PathBuf, target: &str) -> Result<Checkpoint, Fatal> {
        match std::fs::read(path) {
            Ok(bytes) => {
                let ck: Checkpoint = serde_json::from_slice(&bytes)
                    .map_err(|e| Fatal(format!("{}: not a ship checkpoint ({e})", path.display())))?;
                if ck.target != target {
                    return Err(Fatal(format!(
                        "{}: the checkpoint of {}, not of {target}: give another --checkpoint",
                        path.display(),
                        ck.target
                    )));
                }
                Ok(ck)
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                Ok(Checkpoint { target: target.to_string(), files: BTreeMap::new() })
            }
            Err(e) => Err(Fatal(format!("{}: {e}", path.display()))),
        }
    }

    /// Written to a temporary file, synced, renamed over the old one.
    fn save(&self, path: &PathBuf) -> io::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let tmp = path.with_extension("json.tmp");
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(&serde_json::to_vec(self).map_err(io::Error::other)?)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    }
}

struct Shipper {
    client: Client,
    ck: Checkpoint,
    ck_path: PathBuf,
    batch_rows: usize,
    attempts: u32,
    buf: Vec<u8>,
    /// Reused for each row's fields.
    scratch: Vec<u8>,
    rows: usize,
    /// Positions reached since the last delivery.
    reached: BTreeMap<String, (u64, i64)>,
    delivered: u64,
    batches: u64,
    retries: u64,
    quiet: bool,
}

impl Shipper {
    /// Sends the batch until the server takes it (or the attempts run out), then checkpoints.
    fn flush(&mut self) -> Result<(), Fatal> {
        if self.rows > 0 {
            let mut attempt = 0u32;
            let mut wait = Duration::from_millis(200);
            loop {
                attempt += 1;
                match self.client.insert(&self.buf) {
                    Ok(()) => {
                        // Test hook: die between the server's acknowledgement and the
                        // checkpoint, the window a kill -9 rarely hits, so that the replay
                        // and its deduplication are exercised every time.
                        if std::env::var("LOGX_TEST_ABORT_AFTER_INSERTS").ok().and_then(|v| v.parse::<u64>().ok())
                            == Some(self.batches + 1)
                        {
                            std::process::abort();
                        }
                        if attempt > 1 && !self.quiet {
                            status(&format!(
                                "{}: delivered {} entries after {attempt} attempts",
                                self.client.target.display(),
                                self.rows
                            ));
                        }
                        break;
                    }
                    Err(e) => {
                        if self.attempts != 0 && attempt >= self.attempts {
                            return Err(Fatal(format!(
                                "ship: {}: {e}; gave up after {attempt} attempts ({} entries not delivered, \
                                 the checkpoint is where they start: run again to resume)",
                                self.client.target.display(),
                                self.rows
                            )));
                        }
                        self.retries += 1;
                        if !self.quiet {
                            status(&format!(
                                "{}: {e}; {} entries kept, attempt {} in {:.1} s",
                                self.client.target.display(),
                                self.rows,
                                attempt + 1,
                                wait.as_secs_f64()
                            ));
                        }
                        std::thread::sleep(wait);
                        wait = (wait * 2).min(Duration::from_secs(15));
                    }
                }
            }
            self.delivered += self.rows as u64;
            self.batches += 1;
        }
        if !self.reached.is_empty() {
            for (k, v) in std::mem::take(&mut self.reached) {
                self.ck.files.insert(k, v);
            }
            self.ck.save(&self.ck_path).map_err(|e| Fatal(format!("{}: {e}", self.ck_path.display())))?;
        }
        self.buf.clear();
        self.rows = 0;
        Ok(())
    }

    fn position(&self, fp: &str) -> (u64, i64) {
        self.reached.get(fp).or_else(|| self.ck.files.get(fp)).copied().unwrap_or((0, i64::MIN))
    }
}

fn status(msg: &str) {
    super::error_line(&format!("ship: {msg}"));
}

/// A file as last seen: path, inode, length, modification time (seconds).
type FileKey = (PathBuf, u64, u64, i64);

/// One file's state between looks (following).
#[derive(Default)]
struct Seen {
    /// Length and when it last changed.
    len: u64,
    changed: Option<Instant>,
}

pub(super) fn run(ctx: &mut Ctx, mut a: ShipArgs) -> Result<i32, Fatal> {
    if a.into.is_none() && a.filters.to.as_deref().is_some_and(clickhouse::is_url) {
        a.into = a.filters.to.take();
    }
    let Some(into) = a.into.clone() else {
        return Err(Fatal("ship: where to? --to clickhouse://HOST:8123/DB.TABLE".into()));
    };
    let spec = a.filters.spec();
    let query = ctx.query(&spec)?;
    let cfg = ctx.engine()?;
    let target = Target::parse(&into).map_err(Fatal)?;
    let client = Client::new(target.clone(), &cfg.clickhouse_auth, Duration::from_secs(120)).map_err(Fatal)?;
    let ck_path = checkpoint_path(&a, &target)?;
    let ck = Checkpoint::load(&ck_path, &target.display())?;
    let attempts = a.attempts.unwrap_or(if a.follow { 0 } else { 8 });
    let quiet = ctx.global.quiet;
    let mut sh = Shipper {
        client,
        ck,
        ck_path,
        batch_rows: a.batch.max(1),
        attempts,
        buf: Vec::new(),
        scratch: Vec::new(),
        rows: 0,
        reached: BTreeMap::new(),
        delivered: 0,
        batches: 0,
        retries: 0,
        quiet,
    };
    // The table first (retried like a batch).
    let mut attempt = 0u32;
    let mut wait = Duration::from_millis(200);
    loop {
        attempt += 1;
        match sh.client.ensure_table() {
            Ok(()) => break,
            Err(e) => {
                if attempts != 0 && attempt >= attempts {
                    return Err(Fatal(format!("ship: {}: {e}; gave up after {attempt} attempts", target.display())));
                }
                if !quiet {
                    status(&format!(
                        "{}: {e}; creating the table: attempt {} in {:.1} s",
                        target.display(),
                        attempt + 1,
                        wait.as_secs_f64()
                    ));
                }
                std::thread::sleep(wait);
                wait = (wait * 2).min(Duration::from_secs(15));
            }
        }
    }
    let mut seen: BTreeMap<PathBuf, Seen> = BTreeMap::new();
    let mut done: HashSet<FileKey> = HashSet::new();
    let mut first_round = true;
    let mut files_seen: HashSet<String> = HashSet::new();
    // Following: wake on change notices for the files' directories (a look every few seconds
    // all the same), or poll (asked for, or a network file system where notices do not come).
    let (mut notices, poll) = match a.poll {
        Some(ms) => (None, Duration::from_millis(ms.max(10))),
        None => (a.follow.then(Notices::new).flatten(), Duration::from_millis(250)),
    };
    if let Some(n) = notices.as_mut() {
        if !a.paths.iter().map(Path::new).filter(|p| p.is_dir()).all(|p| n.watch(p)) {
            notices = None;
        }
    }
    loop {
        let inputs = if first_round {
            ctx.inputs(&a.paths)?
        } else {
            // Later looks: quietly (a file between rename and create is not an error).
            let saved = ctx.global.quiet;
            ctx.global.quiet = true;
            let r = ctx.inputs(&a.paths);
            ctx.global.quiet = saved;
            r.unwrap_or_default()
        };
        for input in &inputs {
            let Input::Files(files) = input else {
                return Err(Fatal("ship: reads files (stdin and tables are not shipped)".into()));
            };
            let last = files.len().saturating_sub(1);
            // (a directory is checked once, when first seen)
            if let Some(n) = notices.as_mut() {
                if !files.iter().all(|f| n.watch(f.path.parent().unwrap_or(Path::new("")))) {
                    notices = None;
                }
            }
            for (k, f) in files.iter().enumerate() {
                let live = a.follow && k == last;
                let r = ship_file(f, live, &cfg, &query, &mut sh, &mut seen, &mut done, &mut files_seen);
                if let Err(e) = r {
                    if first_round || !a.follow {
                        ctx.report(&logx::source::SourceError::from_io(&f.display, e));
                    }
                }
            }
        }
        sh.flush()?;
        first_round = false;
        if !a.follow {
            break;
        }
        match &notices {
            Some(n) => n.wait(NOTICE_BACKSTOP),
            None => std::thread::sleep(poll),
        }
    }
    if !quiet {
        status(&format!(
            "{} entries from {} files delivered to {} in {} batches ({} retries); checkpoint {}",
            logx::stats::thousands(sh.delivered),
            files_seen.len(),
            target.display(),
            sh.batches,
            sh.retries,
            sh.ck_path.display()
        ));
    }
    Ok(EXIT_MATCH)
}

/// Ships what a file has beyond its checkpoint. A live file (the newest of a followed set)
/// keeps its last entry until the file has been still for half a second (a stack trace may
/// still be coming).
#[allow(clippy::too_many_arguments)]
fn ship_file(
    f: &SourceFile,
    live: bool,
    cfg: &EngineConfig,
    query: &Query,
    sh: &mut Shipper,
    seen: &mut BTreeMap<PathBuf, Seen>,
    done: &mut HashSet<FileKey>,
    files_seen: &mut HashSet<String>,
) -> io::Result<()> {
    let meta = std::fs::metadata(&f.path)?;
    let len = meta.len();
    // A file read to its end and unchanged since is not opened (nor decompressed) again.
    let key = (f.path.clone(), std::os::unix::fs::MetadataExt::ino(&meta), len, logx::source::mtime_secs(&f.path));
    if done.contains(&key) {
        return Ok(());
    }
    let s = seen.entry(f.path.clone()).or_default();
    if s.len != len || s.changed.is_none() {
        s.len = len;
        s.changed = Some(Instant::now());
    }
    let still = s.changed.is_some_and(|t| t.elapsed() >= Duration::from_millis(500));
    let complete = !live || still;
    let (opened, mut parser, _) = engine::open_with_parser(f, cfg).map_err(|e| io::Error::other(e.to_string()))?;
    match opened {
        Opened::Mapped(m) => {
            let data = m.bytes();
            let Some(nl) = memchr::memchr(b'\n', data) else { return Ok(()) };
            let fp = clickhouse::fingerprint(&data[..nl.min(4096)]);
            files_seen.insert(fp.clone());
            let (start, _) = sh.position(&fp);
            let start = (start as usize).min(data.len());
            // In slices, so a batch is flushed as it fills; each slice checked against the
            // file's length after reading it (a file truncated meanwhile is not trusted).
            let mut pos = start;
            let mut slice = 1usize << 20;
            while pos < data.len() {
                let end = (pos + slice).min(data.len());
                let last = end == data.len();
                let faults = logx::source::mmap::fault_count();
                let mark = (sh.buf.len(), sh.rows);
                let before = sh.reached.get(&fp).copied();
                let upto = ship_spans(&data[..end], pos, 0, last && complete, &fp, &f.display, &mut parser, query, sh);
                if logx::source::mmap::fault_count() != faults || m.current_len() < end as u64 {
                    // truncated while read: nothing of this slice is trusted
                    sh.buf.truncate(mark.0);
                    sh.rows = mark.1;
                    match before {
                        Some(b) => sh.reached.insert(fp.clone(), b),
                        None => sh.reached.remove(&fp),
                    };
                    return Ok(());
                }
                if upto == pos {
                    if last {
                        break; // only a held last entry
                    }
                    slice *= 2; // an entry bigger than the slice
                    continue;
                }
                pos = upto;
                if sh.rows >= sh.batch_rows {
                    sh.flush().map_err(|e| io::Error::other(e.0))?;
                }
            }
            if pos == data.len() {
                done.insert(key);
            }
        }
        Opened::Stream(mut r) => {
            // gzip: decompressed from the start; what was delivered is skipped.
            let mut buf: Vec<u8> = Vec::with_capacity(1 << 20);
            let mut fp: Option<String> = None;
            let mut base = 0u64; // offset of buf[0]
            let mut skip_to = 0u64;
            let mut eof = false;
            while !eof {
                let old = buf.len();
                buf.resize(old + (1 << 20), 0);
                let n = match r.read(&mut buf[old..]) {
                    Ok(n) => n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => 0,
                    Err(e) => {
                        buf.truncate(old);
                        // a gzip being written: what came is good, the rest next time
                        sh.flush().map_err(|e| io::Error::other(e.0))?;
                        return Err(e);
                    }
                };
                buf.truncate(old + n);
                eof = n == 0;
                if fp.is_none() {
                    let Some(nl) = memchr::memchr(b'\n', &buf) else {
                        if eof {
                            return Ok(());
                        }
                        continue;
                    };
                    let p = clickhouse::fingerprint(&buf[..nl.min(4096)]);
                    files_seen.insert(p.clone());
                    skip_to = sh.position(&p).0;
                    fp = Some(p);
                }
                let fpv = fp.clone().unwrap_or_default();
                // drop what was delivered
                if base < skip_to {
                    let drop = ((skip_to - base) as usize).min(buf.len());
                    buf.drain(..drop);
                    base += drop as u64;
                    if base < skip_to {
                        continue;
                    }
                }
                loop {
                    let upto = ship_spans(&buf, 0, base, eof, &fpv, &f.display, &mut parser, query, sh);
                    buf.drain(..upto);
                    base += upto as u64;
                    if sh.rows >= sh.batch_rows {
                        sh.flush().map_err(|e| io::Error::other(e.0))?;
                    }
                    if upto == 0 || buf.is_empty() {
                        break;
                    }
                }
            }
            done.insert(key);
        }
    }
    Ok(())
}

/// Ships the entries of `data[pos..]`, whose byte 0 is at `base` in the file, up to a full
/// batch; returns where it stopped (the start of an entry held back when not `complete`).
#[allow(clippy::too_many_arguments)]
fn ship_spans(
    data: &[u8],
    pos: usize,
    base: u64,
    complete: bool,
    fp: &str,
    display: &str,
    parser: &mut Parser,
    query: &Query,
    sh: &mut Shipper,
) -> usize {
    let probe = parser.clone();
    let (_, mut key) = sh.position(fp);
    let mut it = SpanIter::new(data, pos, &probe, complete);
    let mut e = Entry::default();
    let mut any = false;
    for span in it.by_ref() {
        e.clear();
        e.raw = &data[span.start..span.end];
        e.offset = base + span.start as u64;
        e.lines = span.lines;
        e.eol = span.eol;
        parser.parse(&mut e);
        if let Some(t) = e.ts {
            key = t.nanos;
        }
        if query.matches(&e) {
            clickhouse::write_row(&e, key, fp, display, &mut sh.buf, &mut sh.scratch);
            sh.rows += 1;
        }
        any = true;
        if sh.rows >= sh.batch_rows {
            break; // the caller flushes, then goes on from here
        }
    }
    if any {
        sh.reached.insert(fp.to_string(), (base + it.pos as u64, key));
    }
    it.pos
}
