//! What the TUI shows: the sources (mapped files, with gzip and stdin spooled to temporary
//! files), the entry index over them, and entries parsed on demand for display.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::sync::Arc;

use logx::engine::{choose_format, EngineConfig};
use logx::entry::{Entry, Level, Timestamp, Value, WellKnown};
use logx::format::Parser;
use logx::index::entries::Rec;
use logx::index::lines::SpanIter;
use logx::source::{self, Input, MappedFile, Opened, SourceError};
use logx::time::Resolver;

/// One file of the view.
pub struct Source {
    /// Shown name.
    pub display: String,
    /// Path read (the spool file for gzip and stdin).
    pub path: PathBuf,
    /// The bytes, mapped up to the length seen last.
    pub map: Arc<MappedFile>,
    /// The parser (its format detected once).
    pub parser: Parser,
    /// Whether it may still grow (the live file of a set, stdin, a FIFO).
    pub live: bool,
    /// Keeps a spool file alive (removed on drop).
    pub _spool: Option<Arc<tempfile::TempPath>>,
}

impl Source {
    /// Re-maps the file to its current length; returns (old len, new len) when it changed.
    pub fn refresh(&mut self) -> Option<(u64, u64)> {
        let now = std::fs::metadata(&self.path).ok()?.len();
        let old = self.map.len;
        if now == old {
            return None;
        }
        let m = MappedFile::open_path(&self.path).ok()?;
        self.map = Arc::new(m);
        Some((old, now))
    }
}

/// Copies a stream into a temporary file on a thread, so it can be mapped and followed.
fn spool(mut r: Box<dyn Read + Send>, follow: bool) -> std::io::Result<(tempfile::TempPath, PathBuf)> {
    let f = tempfile::Builder::new().prefix("logx-spool-").tempfile()?;
    let (file, path) = f.into_parts();
    let p = path.to_path_buf();
    let mut file = file;
    let mut copy = move || {
        let mut buf = vec![0u8; 256 << 10];
        loop {
            match r.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => {
                    if file.write_all(&buf[..n]).is_err() {
                        break;
                    }
                    let _ = file.flush();
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => break,
            }
        }
    };
    if follow {
        std::thread::spawn(copy);
    } else {
        copy();
    }
    Ok((path, p))
}

/// Opens the inputs for the TUI. Errors are returned beside what opened.
/// A stream spooled to a temporary file (in the background, so that it shows as it arrives)
/// and mapped.
fn open_spooled(
    r: Box<dyn Read + Send>,
    display: &str,
    cfg: &EngineConfig,
    head: Option<&[u8]>,
) -> Result<Source, SourceError> {
    let (tmp, path) = spool(r, true).map_err(|e| SourceError::from_io(display, e))?;
    // Give the producer a moment so the format can be detected.
    let start = std::time::Instant::now();
    while std::fs::metadata(&path).map_or(0, |m| m.len()) == 0 && start.elapsed().as_millis() < 500 {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let m = MappedFile::open_path(&path).map_err(|e| SourceError::from_io(display, e))?;
    let (format, _) = choose_format(cfg, head.unwrap_or(m.bytes())).unwrap_or((logx::format::Format::Raw, 0.0));
    let parser = Parser::new(format, Resolver::new(cfg.zone.clone(), source::now_secs()));
    Ok(Source { display: display.into(), path, map: Arc::new(m), parser, live: true, _spool: Some(Arc::new(tmp)) })
}

/// Opens the inputs for the TUI (a ClickHouse table with `query` pushed down). Errors are
/// returned beside what opened.
pub fn open_sources(
    inputs: &[Input],
    cfg: &EngineConfig,
    query: &logx::query::Query,
) -> (Vec<Source>, Vec<SourceError>) {
    let mut out = Vec::new();
    let mut errs = Vec::new();
    for input in inputs {
        match input {
            Input::Stdin => match source::open_stdin() {
                Ok(r) => match open_spooled(r, "-", cfg, None) {
                    Ok(src) => out.push(src),
                    Err(e) => errs.push(e),
                },
                Err(e) => errs.push(e),
            },
            Input::ClickHouse(url) => {
                // The query's rows, pushed down to the server, spooled as they arrive.
                match logx::clickhouse::open_streams(url, &cfg.clickhouse_auth, query) {
                    Ok(streams) => {
                        let display = logx::clickhouse::Target::parse(url).map_or(url.clone(), |t| t.display());
                        for st in streams {
                            match open_spooled(st.reader, &display, cfg, Some(&st.head)) {
                                Ok(src) => out.push(src),
                                Err(e) => errs.push(e),
                            }
                        }
                    }
                    Err(msg) => errs.push(SourceError::from_io(url, std::io::Error::other(msg))),
                }
            }
            Input::Files(files) => {
                let last = files.len().saturating_sub(1);
                for (k, f) in files.iter().enumerate() {
                    let opened = match source::open(f) {
                        Ok(o) => o,
                        Err(e) => {
                            errs.push(e);
                            continue;
                        }
                    };
                    let mtime = source::mtime_secs(&f.path);
                    let (map, path, spool_file, live) = match opened {
                        Opened::Mapped(m) => (m, f.path.clone(), None, k == last),
                        Opened::Stream(r) => {
                            let is_fifo = std::fs::metadata(&f.path).is_ok_and(|m| !m.is_file());
                            match spool(r, is_fifo) {
                                Ok((tmp, path)) => match MappedFile::open_path(&path) {
                                    Ok(m) => (m, path, Some(Arc::new(tmp)), is_fifo),
                                    Err(e) => {
                                        errs.push(SourceError::from_io(&f.display, e));
                                        continue;
                                    }
                                },
                                Err(e) => {
                                    errs.push(SourceError::from_io(&f.display, e));
                                    continue;
                                }
                            }
                        }
                    };
                    let (format, _) = match choose_format(cfg, map.bytes()) {
                        Ok(x) => x,
                        Err(m) => {
                            errs.push(SourceError::Io { path: f.display.clone(), source: std::io::Error::other(m) });
                            continue;
                        }
                    };
                    let mut parser = Parser::new(format, Resolver::new(cfg.zone.clone(), mtime));
                    parser.fallback = cfg.forced_format.is_none() && cfg.custom.is_none();
                    out.push(Source {
                        display: f.display.clone(),
                        path,
                        map: Arc::new(map),
                        parser,
                        live,
                        _spool: spool_file,
                    });
                }
            }
        }
    }
    // What one index can hold (12-byte records): said once, the rest still opens.
    use logx::index::entries::{MAX_FILES, MAX_FILE_BYTES};
    if out.len() > MAX_FILES {
        let extra = out.len() - MAX_FILES;
        let first = out[0].display.clone();
        out.drain(..extra);
        errs.push(SourceError::Io {
            path: first,
            source: std::io::Error::other(format!(
                "{} files given, one view holds {MAX_FILES}: the first {extra} (from this one on) are left out",
                MAX_FILES + extra
            )),
        });
    }
    for s in &out {
        if s.map.len > MAX_FILE_BYTES {
            errs.push(SourceError::Io {
                path: s.display.clone(),
                source: std::io::Error::other(format!(
                    "{} GiB: the view indexes its first {} GiB (logx cat and export read it all)",
                    s.map.len >> 30,
                    MAX_FILE_BYTES >> 30
                )),
            });
        }
    }
    (out, errs)
}

/// An entry ready to show: owned text of everything the screens need.
#[derive(Clone, Debug, Default)]
pub struct Shown {
    /// Time.
    pub ts: Option<Timestamp>,
    /// Level.
    pub level: Option<Level>,
    /// Message.
    pub msg: String,
    /// Well-known fields.
    pub known: [Option<String>; 5],
    /// Other fields: name, value as text, whether the value is JSON.
    pub fields: Vec<(String, String, bool)>,
    /// The raw bytes (lossy).
    pub raw: String,
    /// The format.
    pub format: &'static str,
    /// The source name.
    pub source: String,
    /// The entry as NDJSON (the contract).
    pub json: String,
}

impl Shown {
    /// A well-known field.
    pub fn get(&self, w: WellKnown) -> Option<&str> {
        self.known[w as usize].as_deref()
    }

    /// Any field by name, for columns chosen from fields.
    pub fn field(&self, name: &str) -> Option<&str> {
        if let Some(w) = WellKnown::from_key(name) {
            return self.get(w);
        }
        self.fields.iter().find(|(k, _, _)| k == name).map(|(_, v, _)| v.as_str())
    }
}

/// Parses the entry of a record into an [`Entry`] and calls `f` with it.
pub fn with_entry<R>(src: &mut Source, rec: &Rec, f: impl FnOnce(&Entry<'_>) -> R) -> Option<R> {
    let map = src.map.clone();
    let data = map.bytes();
    let off = rec.offset() as usize;
    if off >= data.len() {
        return None;
    }
    let probe = src.parser.clone();
    let span = SpanIter::new(data, off, &probe, true).next()?;
    let mut e = Entry {
        raw: &data[span.start..span.end],
        lines: span.lines,
        eol: span.eol,
        offset: off as u64,
        ..Entry::default()
    };
    src.parser.parse(&mut e);
    Some(f(&e))
}

/// Parses a record into a [`Shown`].
pub fn load(src: &mut Source, rec: &Rec, names: &[String]) -> Option<Shown> {
    let display = src.display.clone();
    with_entry(src, rec, |e| {
        let mut json = Vec::new();
        logx::sink::write_json(e, names, &mut json);
        Shown {
            ts: e.ts,
            level: e.level,
            msg: e.msg.to_string(),
            known: std::array::from_fn(|i| e.known[i].as_ref().map(|v| v.to_string())),
            fields: e
                .fields
                .iter()
                .map(|(k, v)| match v {
                    Value::Str(s) => (k.to_string(), s.to_string(), false),
                    Value::Json(j) => (k.to_string(), j.to_string(), true),
                })
                .collect(),
            raw: String::from_utf8_lossy(e.raw).into_owned(),
            format: e.format,
            source: display,
            json: String::from_utf8(json).unwrap_or_default(),
        }
    })
}

/// A cache of shown entries by record position.
#[derive(Default)]
pub struct Cache {
    map: HashMap<(usize, u64), Shown>,
}

impl Cache {
    /// The shown entry of a record, parsed once.
    pub fn get(&mut self, srcs: &mut [Source], rec: &Rec, names: &[String]) -> Option<&Shown> {
        let key = (rec.file(), rec.offset());
        if !self.map.contains_key(&key) {
            if self.map.len() > 4000 {
                self.map.clear();
            }
            let shown = load(srcs.get_mut(rec.file())?, rec, names)?;
            self.map.insert(key, shown);
        }
        self.map.get(&key)
    }

    /// Forgets everything (after a reload).
    pub fn clear(&mut self) {
        self.map.clear();
    }
}
