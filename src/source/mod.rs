//! Sources: what to read and how. Paths, globs, directories and stdin become [`Input`]s
//! ([`discover`]); each file opens as a memory map ([`mmap::MappedFile`]) or, for gzip,
//! stdin, FIFOs and devices, as a stream ([`open`]). Binary files and things that are not
//! logs (`/dev/zero`, `/dev/urandom`) are recognised from their first bytes and skipped with
//! a message.

pub mod discover;
pub mod follow;
pub mod mmap;

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

pub use discover::{discover, DiscoverOptions, Input, SourceFile};
pub use mmap::MappedFile;

/// Why a source could not be read. Each names the path.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SourceError {
    /// The path does not exist.
    #[error("{path}: no such file or directory")]
    NotFound {
        /// The path.
        path: String,
    },
    /// Permission denied.
    #[error("{path}: permission denied")]
    PermissionDenied {
        /// The path.
        path: String,
    },
    /// A glob matched nothing.
    #[error("{pattern}: no file matches")]
    NoMatch {
        /// The pattern.
        pattern: String,
    },
    /// A glob pattern is malformed.
    #[error("{pattern}: bad pattern: {reason}")]
    BadGlob {
        /// The pattern.
        pattern: String,
        /// Why.
        reason: String,
    },
    /// A directory leads back to itself through symlinks.
    #[error("{path}: symlink loop, skipped")]
    SymlinkLoop {
        /// The path.
        path: String,
    },
    /// The file is binary or otherwise not a log.
    #[error("{path}: {reason}, skipped")]
    NotALog {
        /// The path.
        path: String,
        /// What it looks like.
        reason: String,
    },
    /// The file shrank while it was read.
    #[error("{path}: truncated while being read (at byte {at}); entries past that point were not read")]
    Truncated {
        /// The path.
        path: String,
        /// The new size.
        at: u64,
    },
    /// Another I/O error.
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: String,
        /// The error.
        source: io::Error,
    },
}

impl SourceError {
    /// Classifies an I/O error on a path.
    pub fn from_io(path: &str, e: io::Error) -> SourceError {
        let path = path.to_string();
        match e.kind() {
            io::ErrorKind::NotFound => SourceError::NotFound { path },
            io::ErrorKind::PermissionDenied => SourceError::PermissionDenied { path },
            _ if e.raw_os_error() == Some(libc::ELOOP) => SourceError::SymlinkLoop { path },
            _ => SourceError::Io { path, source: e },
        }
    }

    /// Whether this is only a notice (a skipped binary), not a failure of the run.
    pub fn is_warning(&self) -> bool {
        matches!(self, SourceError::NotALog { .. } | SourceError::SymlinkLoop { .. })
    }
}

/// What a file turned out to be once opened.
pub enum Opened {
    /// A regular file, mapped.
    Mapped(MappedFile),
    /// A stream (gzip, stdin, FIFO, device), with the bytes already read for sniffing.
    Stream(Box<dyn Read + Send>),
}

/// Bytes read ahead of a stream for sniffing, then handed back in order.
pub struct Prefixed<R> {
    head: Vec<u8>,
    pos: usize,
    inner: R,
}

impl<R: Read> Read for Prefixed<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.pos < self.head.len() {
            let n = buf.len().min(self.head.len() - self.pos);
            buf[..n].copy_from_slice(&self.head[self.pos..self.pos + n]);
            self.pos += n;
            return Ok(n);
        }
        self.inner.read(buf)
    }
}

/// Reads up to `n` bytes from the start of a stream, without waiting for more than the
/// writer has produced: it stops at end of input, at `n`, or once a read returns less than
/// asked for (the pipe is drained for now) and a whole line has arrived. A signal ends the
/// wait too.
pub fn read_head<R: Read + ?Sized>(r: &mut R, n: usize) -> io::Result<Vec<u8>> {
    let mut head = vec![0u8; n];
    let mut got = 0;
    while got < n {
        let want = n - got;
        match r.read(&mut head[got..]) {
            Ok(0) => break,
            Ok(k) => {
                got += k;
                if k < want && memchr::memchr(b'\n', &head[..got]).is_some() {
                    break;
                }
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => break,
            Err(e) => return Err(e),
        }
    }
    head.truncate(got);
    Ok(head)
}

/// Says what a file is when its first bytes are not text: None for text.
pub fn sniff_binary(head: &[u8]) -> Option<&'static str> {
    let sample = &head[..head.len().min(8192)];
    if sample.is_empty() {
        return None;
    }
    let nul = sample.iter().filter(|&&c| c == 0).count();
    if nul == sample.len() {
        return Some("only NUL bytes, not a log");
    }
    let control =
        sample.iter().filter(|&&c| c < 0x20 && !matches!(c, b'\t' | b'\n' | b'\r' | 0x0b | 0x0c | 0x1b)).count();
    let invalid = match std::str::from_utf8(sample) {
        Ok(_) => 0,
        Err(_) => String::from_utf8_lossy(sample).matches('\u{fffd}').count(),
    };
    // Latin-1 text has some invalid UTF-8; random or compressed data has a lot, plus controls.
    if control * 10 > sample.len() || (invalid * 4 > sample.len() && control * 50 > sample.len()) {
        return Some("binary data, not a log");
    }
    None
}

/// Bytes sniffed from the start of a stream.
pub const SNIFF_LEN: usize = 64 * 1024;

/// Opens one file: a map for regular files, a stream for gzip (by magic bytes), FIFOs and
/// devices. Binary content is refused with [`SourceError::NotALog`].
///
/// # Errors
/// [`SourceError`] naming the path.
pub fn open(f: &SourceFile) -> Result<Opened, SourceError> {
    let display = &f.display;
    let file = File::open(&f.path).map_err(|e| SourceError::from_io(display, e))?;
    let meta = file.metadata().map_err(|e| SourceError::from_io(display, e))?;
    if meta.is_dir() {
        return Err(SourceError::NotALog { path: display.clone(), reason: "a directory".into() });
    }
    if meta.is_file() {
        let mut magic = [0u8; 2];
        let is_gz = meta.len() >= 2 && {
            let mut fr = &file;
            fr.read_exact(&mut magic).is_ok() && magic == [0x1f, 0x8b]
        };
        if is_gz {
            let file = File::open(&f.path).map_err(|e| SourceError::from_io(display, e))?;
            let mut dec = flate2::read::MultiGzDecoder::new(io::BufReader::with_capacity(256 * 1024, file));
            let head = read_head(&mut dec, SNIFF_LEN).map_err(|e| SourceError::Io {
                path: display.clone(),
                source: io::Error::new(e.kind(), format!("corrupt gzip data: {e}")),
            })?;
            if let Some(reason) = sniff_binary(&head) {
                return Err(SourceError::NotALog { path: display.clone(), reason: reason.into() });
            }
            return Ok(Opened::Stream(Box::new(Prefixed { head, pos: 0, inner: dec })));
        }
        let m = MappedFile::open(file, None).map_err(|e| SourceError::from_io(display, e))?;
        if let Some(reason) = sniff_binary(m.bytes()) {
            return Err(SourceError::NotALog { path: display.clone(), reason: reason.into() });
        }
        return Ok(Opened::Mapped(m));
    }
    // FIFOs, character devices (/dev/zero, /dev/urandom), sockets: read as a stream.
    let mut file = file;
    let head = read_head(&mut file, 8192).map_err(|e| SourceError::from_io(display, e))?;
    if let Some(reason) = sniff_binary(&head) {
        return Err(SourceError::NotALog { path: display.clone(), reason: reason.into() });
    }
    Ok(Opened::Stream(Box::new(Prefixed { head, pos: 0, inner: file })))
}

/// Standard input as a stream, sniffed like a file.
///
/// # Errors
/// When stdin is binary.
pub fn open_stdin() -> Result<Box<dyn Read + Send>, SourceError> {
    let mut stdin = io::stdin();
    let head = read_head(&mut stdin, 8192).map_err(|e| SourceError::from_io("-", e))?;
    if let Some(reason) = sniff_binary(&head) {
        return Err(SourceError::NotALog { path: "-".into(), reason: reason.into() });
    }
    Ok(Box::new(Prefixed { head, pos: 0, inner: stdin }))
}

/// The modification time of a path, seconds since the epoch (now when unknown).
pub fn mtime_secs(path: &Path) -> i64 {
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or_else(now_secs, |d| d.as_secs() as i64)
}

/// Now, seconds since the epoch.
pub fn now_secs() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffing() {
        assert!(sniff_binary(b"2026-11-21 10:00:00 INFO hello\n").is_none());
        assert!(sniff_binary(&[0u8; 4096]).is_some());
        let mut x: u64 = 0x9e3779b97f4a7c15;
        let random: Vec<u8> = (0..8192)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect();
        assert!(sniff_binary(&random).is_some());
        let mut text = b"line with a NUL \0 byte\n".repeat(100);
        text.extend_from_slice("café résumé naïve\n".as_bytes());
        assert!(sniff_binary(&text).is_none());
        assert!(sniff_binary("caf\u{e9} latin1".as_bytes()).is_none());
    }
}
