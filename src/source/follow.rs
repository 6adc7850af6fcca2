//! Following files as they grow, through every kind of rotation, losing and repeating
//! nothing.
//!
//! Each followed name keeps an open handle and the identity (device, inode) it had. On every
//! change notice (inotify through notify, or a polling timer) the follower:
//! - reads what the handle has beyond the last position (a renamed or deleted file is still
//!   readable through it: its rest is drained before anything else);
//! - notices a new file under the name (rename and create, delete and recreate) and switches to
//!   it from its start;
//! - notices a file that shrank (copytruncate, truncation in place): the lines written between
//!   its last read and the truncation are recovered from the rotated copy when there is one
//!   (a sibling whose first block matches), then it reads from the new start;
//! - picks up new files that appear in a watched directory or match a glob (date-stamped
//!   rotation: `x-2026-11-22.log`);
//! - holds an unfinished last line (a writer mid-line) until its newline arrives or a timeout
//!   passes, and a last entry until the next one starts or the timeout passes.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use crate::format::Parser;
use crate::index::lines::SpanIter;
use crate::source::discover::is_log_name;
use crate::source::{self, SourceError};

/// How to follow.
#[derive(Clone, Debug)]
pub struct FollowOptions {
    /// Poll instead of waiting for change notices (and how often).
    pub poll: Option<Duration>,
    /// How long an unfinished line or a last entry is held before it is shown.
    pub partial_timeout: Duration,
    /// Do not group rotated generations.
    pub no_rotation: bool,
}

impl Default for FollowOptions {
    fn default() -> Self {
        FollowOptions { poll: None, partial_timeout: Duration::from_millis(500), no_rotation: false }
    }
}

/// Complete entries read from one source.
#[derive(Debug)]
pub struct Batch {
    /// Source index.
    pub source: usize,
    /// The bytes of whole entries.
    pub data: Vec<u8>,
    /// Line number of the first line (1-based).
    pub first_line: u64,
    /// Byte offset of the data in the file.
    pub offset: u64,
}

/// What a wait produced.
#[derive(Debug)]
pub enum FollowEvent {
    /// Entries.
    Data(Batch),
    /// A source was added (a new file appeared).
    Added(usize),
    /// Something worth telling (a rotation noticed, a truncation).
    Notice(String),
    /// An error about a source (the others go on).
    Error(SourceError),
}

/// Picks the parser of a source from its first bytes and its path.
pub type MakeParser = Box<dyn Fn(&[u8], &Path) -> Parser + Send>;

/// One followed name.
pub struct Followed {
    /// Shown name.
    pub display: String,
    /// The name followed.
    pub path: PathBuf,
    /// The parser.
    pub parser: Parser,
    file: Option<File>,
    dev: u64,
    ino: u64,
    pos: u64,
    buf: Vec<u8>,
    buf_offset: u64,
    line: u64,
    last_data: Instant,
    /// Hash of the first bytes (and how many), to recognise the file's copy.
    head_hash: Option<(u64, usize)>,
    failed: bool,
    stream: bool,
}

fn hash(data: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in data {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Change notices of directories (inotify and its kin): a follower sleeps until something
/// changes there instead of looking at its files on a timer.
pub struct Notices {
    rx: Receiver<notify::Result<notify::Event>>,
    watcher: notify::RecommendedWatcher,
    dirs: Vec<PathBuf>,
}

impl Notices {
    /// Notices, when the system gives them.
    pub fn new() -> Option<Notices> {
        let (tx, rx) = std::sync::mpsc::channel();
        let watcher = notify::recommended_watcher(move |ev| {
            let _ = tx.send(ev);
        })
        .ok()?;
        Some(Notices { rx, watcher, dirs: Vec::new() })
    }

    /// Watches a directory (once; the empty path is the current one). False when it is on a
    /// network file system, where changes made elsewhere give no notice: the caller polls.
    pub fn watch(&mut self, dir: &Path) -> bool {
        use notify::Watcher;
        let d = if dir.as_os_str().is_empty() { Path::new(".") } else { dir };
        if self.dirs.iter().any(|x| x == d) {
            return true;
        }
        if on_network_fs(d) {
            return false;
        }
        if self.watcher.watch(d, notify::RecursiveMode::NonRecursive).is_ok() {
            self.dirs.push(d.to_path_buf());
        }
        true
    }

    /// Waits until something changes in a watched directory or `tick` has passed; a burst of
    /// notices counts as one.
    pub fn wait(&self, tick: Duration) {
        match self.rx.recv_timeout(tick) {
            Ok(_) | Err(RecvTimeoutError::Timeout) => while self.rx.try_recv().is_ok() {},
            Err(RecvTimeoutError::Disconnected) => std::thread::sleep(tick),
        }
    }
}

/// Follows a set of paths.
pub struct Follower {
    /// The sources, in the order they were added.
    pub sources: Vec<Followed>,
    args: Vec<String>,
    opts: FollowOptions,
    make_parser: MakeParser,
    notices: Option<Notices>,
}

impl Follower {
    /// Follows `args` (files, globs, directories; a file that does not exist yet is waited
    /// for). `make_parser` picks the parser of a source from its first bytes.
    pub fn new(args: &[String], opts: FollowOptions, make_parser: MakeParser) -> (Follower, Vec<SourceError>) {
        let mut f = Follower { sources: Vec::new(), args: args.to_vec(), opts, make_parser, notices: None };
        let mut errs = Vec::new();
        for p in f.live_paths(&mut errs, true) {
            f.add(p.0, p.1);
        }
        // Change notices do not cross the network: files on NFS, SMB, sshfs... are polled
        // (`watch_dirs` finds them).
        if f.opts.poll.is_none() {
            f.notices = Notices::new();
            if f.notices.is_none() {
                f.opts.poll = Some(Duration::from_millis(250));
            }
        }
        f.watch_dirs();
        (f, errs)
    }

    /// The names to follow: for each argument, the live file of each rotated group (a
    /// missing plain path is kept, to be waited for).
    fn live_paths(&self, errs: &mut Vec<SourceError>, first: bool) -> Vec<(PathBuf, String)> {
        let mut out = Vec::new();
        for a in &self.args {
            let p = Path::new(a);
            let is_pattern = p.is_dir() || (!p.exists() && a.contains(['*', '?', '[']));
            if !is_pattern {
                out.push((p.to_path_buf(), a.clone()));
                continue;
            }
            let (inputs, e) = source::discover(
                std::slice::from_ref(a),
                &source::DiscoverOptions { no_rotation: self.opts.no_rotation },
            );
            if first {
                errs.extend(e.into_iter().filter(|e| !matches!(e, SourceError::NoMatch { .. })));
            }
            for i in inputs {
                if let source::Input::Files(files) = i {
                    if let Some(last) = files.last() {
                        out.push((last.path.clone(), last.display.clone()));
                    }
                }
            }
        }
        out
    }

    fn watch_dirs(&mut self) {
        let Some(w) = self.notices.as_mut() else { return };
        let mut dirs: Vec<PathBuf> = Vec::new();
        for s in &self.sources {
            let d = s.path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new(".")).to_path_buf();
            dirs.push(d);
        }
        for a in &self.args {
            let p = Path::new(a);
            if p.is_dir() {
                dirs.push(p.to_path_buf());
            } else if let Some(d) = p.parent() {
                let d = if d.as_os_str().is_empty() { Path::new(".") } else { d };
                if !d.to_string_lossy().contains(['*', '?', '[']) {
                    dirs.push(d.to_path_buf());
                }
            }
        }
        for d in dirs {
            if !w.watch(&d) {
                self.opts.poll = Some(Duration::from_millis(250));
            }
        }
    }

    fn add(&mut self, path: PathBuf, display: String) -> usize {
        let mut f = Followed { display, path, ..placeholder() };
        self.open(&mut f, false);
        self.sources.push(f);
        self.sources.len() - 1
    }

    /// Adds standard input as a source.
    pub fn add_stdin(&mut self) -> usize {
        let i = self.add(PathBuf::from("/dev/stdin"), "-".into());
        self.sources[i].stream = true;
        i
    }

    /// Opens (or re-opens) the file under a name; sets the parser from its first bytes.
    fn open(&self, f: &mut Followed, from_start: bool) -> bool {
        self.try_open(f, from_start).is_ok()
    }

    fn try_open(&self, f: &mut Followed, from_start: bool) -> io::Result<()> {
        use std::os::unix::fs::OpenOptionsExt;
        // FIFOs and stdin are read without blocking: the follower waits on its own terms.
        let special = std::fs::metadata(&f.path).is_ok_and(|m| !m.is_file());
        let opened = if special {
            std::fs::OpenOptions::new().read(true).custom_flags(libc::O_NONBLOCK).open(&f.path)
        } else {
            File::open(&f.path)
        };
        let file = opened?;
        let meta = file.metadata()?;
        f.dev = meta.dev();
        f.ino = meta.ino();
        f.stream = !meta.is_file();
        let mut head = vec![0u8; 64 * 1024];
        let n = if f.stream { 0 } else { file.read_at_start(&mut head) };
        head.truncate(n);
        f.head_hash = (n >= 256).then(|| (hash(&head[..n.min(4096)]), n.min(4096)));
        f.parser = (self.make_parser)(&head, &f.path);
        f.pos = if from_start || f.stream { 0 } else { meta.len() };
        f.buf.clear();
        f.buf_offset = f.pos;
        f.file = Some(file);
        f.failed = false;
        Ok(())
    }

    /// The last entries of each source (`n`; None: all), before following.
    pub fn initial(&mut self, n: Option<usize>) -> Vec<Batch> {
        let mut out = Vec::new();
        for (i, f) in self.sources.iter_mut().enumerate() {
            if f.stream || f.file.is_none() {
                continue;
            }
            let Ok(m) = source::MappedFile::open_path(&f.path) else { continue };
            let data = m.bytes();
            let len = data.len();
            let end = f.pos.min(len as u64) as usize;
            let start = match n {
                None => 0,
                Some(n) => last_entries_start(&data[..end], &f.parser, n),
            };
            if start < end {
                let first_line = crate::index::lines::count_newlines(&data[..start]) + 1;
                // Hold back an unfinished last line, as when following.
                let whole = data[..end].iter().rposition(|&c| c == b'\n').map_or(start, |p| (p + 1).max(start));
                out.push(Batch { source: i, data: data[start..whole].to_vec(), first_line, offset: start as u64 });
                f.line = first_line + crate::index::lines::count_newlines(&data[start..whole]);
                f.pos = whole as u64;
                f.buf_offset = f.pos;
            } else {
                f.line = crate::index::lines::count_newlines(&data[..end]) + 1;
            }
        }
        out
    }

    /// Waits for changes (at most `timeout`) and returns what happened.
    pub fn wait(&mut self, timeout: Duration) -> Vec<FollowEvent> {
        let tick = self.opts.poll.unwrap_or(Duration::from_secs(1)).min(timeout).max(Duration::from_millis(5));
        let deadline = Instant::now() + timeout;
        let holding = self.sources.iter().any(|s| !s.buf.is_empty());
        let tick = if holding { tick.min(self.opts.partial_timeout / 2) } else { tick };
        // Pipes give no change notices: look at them often.
        let tick = if self.sources.iter().any(|s| s.stream) { tick.min(Duration::from_millis(50)) } else { tick };
        match &self.notices {
            Some(n) if self.opts.poll.is_none() => n.wait(tick),
            _ => std::thread::sleep(tick.min(deadline.saturating_duration_since(Instant::now()))),
        }
        self.check()
    }

    /// Reads what is new everywhere.
    pub fn check(&mut self) -> Vec<FollowEvent> {
        let mut events = Vec::new();
        let partial = self.opts.partial_timeout;
        for i in 0..self.sources.len() {
            let mut f = std::mem::replace(&mut self.sources[i], placeholder());
            self.check_one(i, &mut f, &mut events, partial);
            self.sources[i] = f;
        }
        // New files under watched directories and globs (date-stamped rotation). What the
        // others still held comes out first, so the new file's entries follow them.
        let mut errs = Vec::new();
        let fresh: Vec<(PathBuf, String)> = self
            .live_paths(&mut errs, false)
            .into_iter()
            .filter(|(p, _)| !self.sources.iter().any(|s| s.path == *p))
            .collect();
        if !fresh.is_empty() {
            for i in 0..self.sources.len() {
                let mut f = std::mem::replace(&mut self.sources[i], placeholder());
                self.flush(i, &mut f, &mut events, true);
                self.sources[i] = f;
            }
            for (p, d) in fresh {
                let i = self.add(p, d);
                let mut f = std::mem::replace(&mut self.sources[i], placeholder());
                f.pos = 0;
                f.buf_offset = 0;
                events.push(FollowEvent::Added(i));
                self.check_one(i, &mut f, &mut events, partial);
                self.sources[i] = f;
            }
            self.watch_dirs();
        }
        events
    }

    fn check_one(&self, i: usize, f: &mut Followed, events: &mut Vec<FollowEvent>, partial: Duration) {
        if f.file.is_none() {
            // Waiting for the file to exist.
            if self.open(f, true) {
                events.push(FollowEvent::Notice(format!("{}: appeared", f.display)));
            } else {
                return;
            }
        }
        // 1. What the open handle has beyond our position (drains a renamed file too).
        let grown = self.read_new(f, events);
        // 2. What the name refers to now.
        if !f.stream {
            match std::fs::metadata(&f.path) {
                Ok(m) if m.dev() != f.dev || m.ino() != f.ino => {
                    // Rotated away (rename and create, delete and recreate): the rest of the
                    // old file is already read; flush what was held and switch.
                    self.flush(i, f, events, true);
                    match self.try_open(f, true) {
                        Ok(()) => {
                            events.push(FollowEvent::Notice(format!("{}: rotated, following the new file", f.display)));
                            f.line = 1;
                            self.read_new(f, events);
                        }
                        Err(e) => {
                            if !f.failed {
                                events.push(FollowEvent::Error(SourceError::from_io(&f.display, e)));
                                f.failed = true;
                            }
                        }
                    }
                }
                Ok(m) if m.len() < f.pos => {
                    // Truncated (copytruncate, or in place): recover what was written after our
                    // last read from the rotated copy, then read from the start.
                    self.recover_from_copy(i, f, events);
                    self.flush(i, f, events, true);
                    events.push(FollowEvent::Notice(format!("{}: truncated, reading from its start", f.display)));
                    f.pos = 0;
                    f.buf_offset = 0;
                    f.line = 1;
                    f.head_hash = None;
                    self.read_new(f, events);
                }
                Ok(_) => {}
                Err(e) if e.kind() == io::ErrorKind::NotFound => {
                    // Deleted, or between rename and create: keep draining the old handle.
                }
                Err(e) => {
                    if !f.failed {
                        events.push(FollowEvent::Error(SourceError::from_io(&f.display, e)));
                        f.failed = true;
                    }
                }
            }
        }
        self.emit(i, f, events, false);
        if !grown && !f.buf.is_empty() && f.last_data.elapsed() >= partial {
            self.flush(i, f, events, true);
        }
    }

    /// Reads new bytes from the open handle into the buffer. True when something came.
    fn read_new(&self, f: &mut Followed, events: &mut Vec<FollowEvent>) -> bool {
        let Some(file) = f.file.as_mut() else { return false };
        let mut got = false;
        if !f.stream && file.seek(SeekFrom::Start(f.pos)).is_err() {
            return false;
        }
        let mut chunk = vec![0u8; 1 << 20];
        loop {
            match file.read(&mut chunk) {
                Ok(0) => break,
                Ok(n) => {
                    f.buf.extend_from_slice(&chunk[..n]);
                    f.pos += n as u64;
                    got = true;
                    f.last_data = Instant::now();
                    if f.stream {
                        break;
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                Err(e) => {
                    if !f.failed {
                        events.push(FollowEvent::Error(SourceError::from_io(&f.display, e)));
                        f.failed = true;
                    }
                    break;
                }
            }
        }
        if got && f.failed {
            f.failed = false;
        }
        // The first block's hash identifies the file's copy after a copytruncate; a file
        // that was empty at open gets it once it has content.
        if f.head_hash.is_none() && !f.stream && f.pos >= 256 {
            if let Some(file) = f.file.as_ref() {
                let mut head = vec![0u8; 4096];
                let n = file.read_at_start(&mut head);
                if n >= 256 {
                    f.head_hash = Some((hash(&head[..n]), n));
                }
            }
        }
        got
    }

    /// Emits the complete entries of the buffer (all of it when `all`).
    fn emit(&self, i: usize, f: &mut Followed, events: &mut Vec<FollowEvent>, all: bool) {
        if f.buf.is_empty() {
            return;
        }
        let mut it = SpanIter::new(&f.buf, 0, &f.parser, all);
        let mut lines = 0u64;
        for span in it.by_ref() {
            lines += span.lines as u64;
        }
        let end = if all { f.buf.len() } else { it.pos };
        if end == 0 {
            return;
        }
        let data: Vec<u8> = f.buf.drain(..end).collect();
        events.push(FollowEvent::Data(Batch { source: i, data, first_line: f.line, offset: f.buf_offset }));
        f.line += lines;
        f.buf_offset += end as u64;
    }

    fn flush(&self, i: usize, f: &mut Followed, events: &mut Vec<FollowEvent>, all: bool) {
        self.emit(i, f, events, all);
    }

    /// After a copytruncate: the rotated copy (same first block, longer than what we read)
    /// holds the lines we had not read yet.
    fn recover_from_copy(&self, i: usize, f: &mut Followed, events: &mut Vec<FollowEvent>) {
        let Some((h, hlen)) = f.head_hash else { return };
        let dir = f.path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let Ok(rd) = std::fs::read_dir(dir) else { return };
        let name = f.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let mut best: Option<(PathBuf, u64)> = None;
        for ent in rd.flatten() {
            let n = ent.file_name().to_string_lossy().into_owned();
            if n == name || !n.starts_with(name.trim_end_matches(".log")) || !is_log_name(&n) || n.ends_with(".gz") {
                continue;
            }
            let Ok(file) = File::open(ent.path()) else { continue };
            let Ok(meta) = file.metadata() else { continue };
            if meta.len() <= f.pos {
                continue;
            }
            let mut head = vec![0u8; hlen];
            let k = file.read_at_start(&mut head);
            if k == hlen && hash(&head[..k]) == h {
                let m = meta.modified().ok().and_then(|t| t.elapsed().ok()).map_or(u64::MAX, |d| d.as_secs());
                if best.as_ref().is_none_or(|(_, age)| m < *age) {
                    best = Some((ent.path(), m));
                }
            }
        }
        let Some((copy, _)) = best else { return };
        if let Ok(mut file) = File::open(&copy) {
            if file.seek(SeekFrom::Start(f.pos)).is_ok() {
                let mut rest = Vec::new();
                if file.read_to_end(&mut rest).is_ok() && !rest.is_empty() {
                    f.buf.extend_from_slice(&rest);
                    f.pos += rest.len() as u64;
                    self.emit(i, f, events, true);
                }
            }
        }
    }
}

fn placeholder() -> Followed {
    Followed {
        display: String::new(),
        path: PathBuf::new(),
        parser: Parser::new(crate::format::Format::Raw, crate::time::Resolver::new(crate::time::Zone::Utc, 0)),
        file: None,
        dev: 0,
        ino: 0,
        pos: 0,
        buf: Vec::new(),
        buf_offset: 0,
        line: 1,
        last_data: Instant::now(),
        head_hash: None,
        failed: false,
        stream: false,
    }
}

/// Reads from the start of a file without moving its position for later reads.
trait ReadAtStart {
    fn read_at_start(&self, buf: &mut [u8]) -> usize;
}

impl ReadAtStart for File {
    fn read_at_start(&self, buf: &mut [u8]) -> usize {
        use std::os::unix::fs::FileExt;
        let mut got = 0;
        while got < buf.len() {
            match self.read_at(&mut buf[got..], got as u64) {
                Ok(0) => break,
                Ok(n) => got += n,
                Err(_) => break,
            }
        }
        got
    }
}

/// Where the last `n` entries of `data` start.
pub fn last_entries_start(data: &[u8], parser: &Parser, n: usize) -> usize {
    if n == 0 {
        return data.len();
    }
    let mut count = 0;
    let mut end = data.len();
    // Ignore a final newline: walk line starts backwards.
    if end > 0 && data[end - 1] == b'\n' {
        end -= 1;
    }
    loop {
        let start = memchr::memrchr(b'\n', &data[..end]).map_or(0, |p| p + 1);
        let line_end = memchr::memchr(b'\n', &data[start..]).map_or(data.len(), |p| start + p);
        if start == 0 || parser.starts_entry(&data[start..line_end]) {
            count += 1;
            if count == n || start == 0 {
                return start;
            }
        }
        end = start - 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::detect;
    use crate::time::{Resolver, Zone};

    #[test]
    fn last_entries() {
        let d = b"2026-11-21 10:00:00 INFO a\n2026-11-21 10:00:01 ERROR b\n\tat x\n2026-11-21 10:00:02 INFO c\n";
        let p = Parser::new(detect(d).format, Resolver::new(Zone::Utc, 0));
        let s = last_entries_start(d, &p, 2);
        assert_eq!(&d[s..s + 25], b"2026-11-21 10:00:01 ERROR");
        assert_eq!(last_entries_start(d, &p, 10), 0);
        assert_eq!(last_entries_start(d, &p, 0), d.len());
    }
}

/// Whether a path (or its directory, for a file that does not exist yet) lies on a network or
/// FUSE filesystem, where inotify sees no change made by another machine.
pub fn on_network_fs(path: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    // statfs(2) magic numbers: NFS, SMB, CIFS, SMB2, FUSE (sshfs...), Ceph, 9P, AFS, Coda.
    const NETWORK: [i64; 9] =
        [0x6969, 0x517b, 0xff53_4d42, 0xfe53_4d42, 0x6573_5546, 0x00c3_6400, 0x0102_1997, 0x5346_414f, 0x7375_7245];
    let probe = if path.exists() { path } else { path.parent().unwrap_or(Path::new(".")) };
    let Ok(c) = std::ffi::CString::new(probe.as_os_str().as_bytes()) else { return false };
    // SAFETY: statfs writes into the zeroed struct we own; the path is NUL-terminated.
    let mut st: libc::statfs = unsafe { std::mem::zeroed() };
    // SAFETY: as above.
    if unsafe { libc::statfs(c.as_ptr(), &mut st) } != 0 {
        return false;
    }
    NETWORK.contains(&(st.f_type as i64))
}

#[cfg(test)]
mod network_tests {
    #[test]
    fn local_and_proc_filesystems_are_not_network_ones() {
        let dir = tempfile::tempdir().unwrap();
        assert!(!super::on_network_fs(dir.path()));
        assert!(!super::on_network_fs(&dir.path().join("not-yet.log")));
        assert!(!super::on_network_fs(std::path::Path::new("/proc/self/status")));
    }
}
