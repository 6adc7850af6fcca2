//! Memory-mapped reading that survives the file shrinking underneath.
//!
//! A mapping over a file that is truncated raises SIGBUS when a page past the new end is
//! touched. logx installs one SIGBUS handler: when the faulting address lies inside a mapping
//! registered here, the handler maps an anonymous zero page over it and lets the read go on,
//! and counts the event. Readers compare [`fault_count`] before and after a chunk and, when it
//! moved, re-check the file's size and cut their output at the real end. Faults anywhere
//! else keep the default behaviour (the process dies, as it should on a genuine bug).

use std::fs::File;
use std::io;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Once;

const SLOTS: usize = 256;
static REGION_START: [AtomicUsize; SLOTS] = [const { AtomicUsize::new(0) }; SLOTS];
static REGION_LEN: [AtomicUsize; SLOTS] = [const { AtomicUsize::new(0) }; SLOTS];
static FAULTS: AtomicUsize = AtomicUsize::new(0);
static INSTALL: Once = Once::new();

/// How many SIGBUS faults (reads past a shrunken file's end) have been absorbed so far.
pub fn fault_count() -> usize {
    FAULTS.load(Ordering::SeqCst)
}

extern "C" fn on_sigbus(sig: libc::c_int, info: *mut libc::siginfo_t, _ctx: *mut libc::c_void) {
    // SAFETY: the kernel passes a valid siginfo for SA_SIGINFO handlers.
    let addr = unsafe { (*info).si_addr() } as usize;
    for i in 0..SLOTS {
        let start = REGION_START[i].load(Ordering::SeqCst);
        let len = REGION_LEN[i].load(Ordering::SeqCst);
        if start != 0 && addr >= start && addr < start + len {
            // SAFETY: sysconf and mmap are plain system calls; the page lies inside a
            // mapping this process owns, and replacing it with zeros is what readers expect.
            unsafe {
                let page = libc::sysconf(libc::_SC_PAGESIZE).max(4096) as usize;
                let at = addr & !(page - 1);
                let p = libc::mmap(
                    at as *mut libc::c_void,
                    page,
                    libc::PROT_READ,
                    libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_FIXED,
                    -1,
                    0,
                );
                if p != libc::MAP_FAILED {
                    FAULTS.fetch_add(1, Ordering::SeqCst);
                    return;
                }
            }
        }
    }
    // Not ours: restore the default action and return, so the fault repeats and kills us.
    // SAFETY: resetting a signal disposition is async-signal-safe.
    unsafe {
        libc::signal(sig, libc::SIG_DFL);
    }
}

fn install() {
    INSTALL.call_once(|| {
        // SAFETY: installing a handler with a zeroed, then filled, sigaction.
        unsafe {
            let mut sa: libc::sigaction = std::mem::zeroed();
            sa.sa_sigaction = on_sigbus as *const () as usize;
            sa.sa_flags = libc::SA_SIGINFO | libc::SA_NODEFER;
            libc::sigemptyset(&mut sa.sa_mask);
            libc::sigaction(libc::SIGBUS, &sa, std::ptr::null_mut());
        }
    });
}

fn register(start: usize, len: usize) -> Option<usize> {
    for i in 0..SLOTS {
        if REGION_START[i].compare_exchange(0, usize::MAX, Ordering::SeqCst, Ordering::SeqCst).is_ok() {
            REGION_LEN[i].store(len, Ordering::SeqCst);
            REGION_START[i].store(start, Ordering::SeqCst);
            return Some(i);
        }
    }
    None
}

/// A read-only view of a file's bytes: mapped, or (for the few files that cannot be mapped,
/// or when every guard slot is taken) read into memory.
pub struct MappedFile {
    map: Option<memmap2::Mmap>,
    heap: Vec<u8>,
    slot: Option<usize>,
    /// The open file (for re-checking its size).
    pub file: File,
    /// Length at open: the view never extends past it.
    pub len: u64,
}

impl MappedFile {
    /// Maps the first `len` bytes of an open file (its size at open when `len` is None).
    ///
    /// # Errors
    /// I/O errors from stat and mmap.
    pub fn open(file: File, len: Option<u64>) -> io::Result<MappedFile> {
        install();
        let size = file.metadata()?.len();
        let len = len.unwrap_or(size).min(size);
        if len == 0 {
            return Ok(MappedFile { map: None, heap: Vec::new(), slot: None, file, len: 0 });
        }
        // SAFETY: this is the only place logx maps a file. The mapping is read-only and
        // private; another process may change or truncate the file while it is mapped.
        // Changes show through as changed bytes (never undefined behaviour for u8 reads), and
        // pages cut off by a truncation are replaced with zeros by the SIGBUS handler above,
        // registered before any byte is read. Readers re-check the size when that happens.
        let map = unsafe { memmap2::MmapOptions::new().len(len as usize).map(&file) }?;
        let slot = register(map.as_ptr() as usize, map.len());
        if slot.is_none() {
            // No guard slot left: read the bytes instead of risking an unguarded map.
            drop(map);
            let mut heap = Vec::with_capacity(len as usize);
            use std::io::Read;
            (&file).take(len).read_to_end(&mut heap)?;
            return Ok(MappedFile { map: None, heap, slot: None, file, len });
        }
        Ok(MappedFile { map: Some(map), heap: Vec::new(), slot, file, len })
    }

    /// Opens and maps a path.
    ///
    /// # Errors
    /// I/O errors from open, stat and mmap.
    pub fn open_path(path: &Path) -> io::Result<MappedFile> {
        MappedFile::open(File::open(path)?, None)
    }

    /// The bytes.
    pub fn bytes(&self) -> &[u8] {
        match &self.map {
            Some(m) => m,
            None => &self.heap,
        }
    }

    /// The file's current size on disk (it may have shrunk since the map was made).
    pub fn current_len(&self) -> u64 {
        self.file.metadata().map(|m| m.len()).unwrap_or(0)
    }

    /// Drops the pages of `range` from this process's view (they stay in the page cache and
    /// are read again if touched), so a scan of a huge file does not keep it resident.
    pub fn release(&self, range: std::ops::Range<usize>) {
        if let Some(m) = &self.map {
            let page = 4096;
            let start = range.start.div_ceil(page) * page;
            let end = range.end.min(m.len()) / page * page;
            if end > start {
                // SAFETY: the mapping is read-only and file-backed: dropping its pages only
                // means they are read from the file again when touched; no byte changes.
                unsafe {
                    let _ = m.unchecked_advise_range(memmap2::UncheckedAdvice::DontNeed, start, end - start);
                }
            }
        }
    }

    /// Hints that the bytes will be read in order.
    pub fn advise_sequential(&self) {
        if let Some(m) = &self.map {
            let _ = m.advise(memmap2::Advice::Sequential);
        }
    }
}

impl Drop for MappedFile {
    fn drop(&mut self) {
        if let Some(i) = self.slot.take() {
            REGION_START[i].store(usize::MAX, Ordering::SeqCst);
            REGION_LEN[i].store(0, Ordering::SeqCst);
            REGION_START[i].store(0, Ordering::SeqCst);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn truncated_while_mapped_reads_zeros_not_sigbus() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("shrink.log");
        let mut f = File::create(&path).unwrap();
        let line = b"2026-11-21 10:00:00 INFO hello\n";
        for _ in 0..4096 {
            f.write_all(line).unwrap();
        }
        drop(f);
        let m = MappedFile::open_path(&path).unwrap();
        let before = fault_count();
        std::fs::OpenOptions::new().write(true).open(&path).unwrap().set_len(100).unwrap();
        let bytes = m.bytes();
        let sum: u64 = bytes.iter().map(|&b| b as u64).sum();
        assert!(sum > 0);
        assert_eq!(&bytes[..30], &line[..30]);
        assert!(bytes[bytes.len() - 1] == 0, "past the end reads as zeros");
        assert!(fault_count() > before);
        assert_eq!(m.current_len(), 100);
    }
}
