//! From what the user typed to the list of inputs: paths, globs, directories (the log files
//! beneath them) and `-`; rotated generations grouped into one input, oldest first.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use crate::source::SourceError;

/// One file of an input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceFile {
    /// Path to open.
    pub path: PathBuf,
    /// The path as shown (as given, or as found under a given directory).
    pub display: String,
    /// Whether it is gzip-compressed (by extension; the magic bytes are checked at open).
    pub gz: bool,
}

/// A logical input: one file, a rotated set read oldest first as one stream, or stdin.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    /// Standard input.
    Stdin,
    /// Files read in order as one stream.
    Files(Vec<SourceFile>),
    /// A ClickHouse table (`clickhouse://HOST:PORT/DB.TABLE`) that `logx ship` writes.
    ClickHouse(String),
}

/// Rotation generation of a file name relative to its base, for ordering. Larger is older.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Gen {
    /// Dated generations sort by date; the live file (no suffix) comes after all of them.
    Dated(String),
    /// The live file.
    Live,
}

/// Splits a file name into (base, generation key). `x.log.2.gz` -> (`x.log`, 2),
/// `x.log-20261120.gz` -> (`x.log`, date), `x-2026-11-20.log` -> (`x.log`, date),
/// `x.log.2026-11-20` -> (`x.log`, date).
fn rotation_key(name: &str) -> (String, i64, Gen) {
    let name = name.strip_suffix(".gz").unwrap_or(name);
    // x.log.N
    if let Some((base, n)) = name.rsplit_once('.') {
        if !n.is_empty() && n.len() <= 4 && n.bytes().all(|c| c.is_ascii_digit()) && !base.is_empty() {
            if let Ok(n) = n.parse::<i64>() {
                return (base.to_string(), n, Gen::Live);
            }
        }
    }
    let is_date = |s: &str| {
        let digits: String = s.chars().filter(|c| c.is_ascii_digit()).collect();
        let shape_ok = s.bytes().all(|c| c.is_ascii_digit() || c == b'-' || c == b'_');
        shape_ok && (digits.len() == 8 || digits.len() == 10 || digits.len() == 14) && digits.starts_with("20")
    };
    // x.log-20261120, x.log.2026-11-20, x.log-2026-11-20
    for sep in ['-', '.', '_'] {
        if let Some(pos) = name.find(&format!(".log{sep}")) {
            let base = &name[..pos + 4];
            let date = &name[pos + 5..];
            if is_date(date) {
                return (base.to_string(), 0, Gen::Dated(date.chars().filter(|c| c.is_ascii_digit()).collect()));
            }
        }
    }
    // x-2026-11-20.log, x_20261120.log, x.2026-11-20.json
    if let Some((stem, ext)) = name.rsplit_once('.') {
        for sep in ['-', '_', '.'] {
            // The date is the longest suffix of the stem that looks like one.
            let mut idx = stem.len();
            while let Some(p) = stem[..idx].rfind(sep) {
                let date = &stem[p + 1..];
                if is_date(date) {
                    return (
                        format!("{}.{}", &stem[..p], ext),
                        0,
                        Gen::Dated(date.chars().filter(|c| c.is_ascii_digit()).collect()),
                    );
                }
                idx = p;
            }
        }
    }
    (name.to_string(), 0, Gen::Live)
}

/// Whether a file name (found under a directory) looks like a log or a rotated log.
pub fn is_log_name(name: &str) -> bool {
    let n = name.strip_suffix(".gz").unwrap_or(name);
    if name.starts_with('.') {
        return false;
    }
    let (base, _, _) = rotation_key(n);
    let ext_ok = |s: &str| {
        s.ends_with(".log")
            || s.ends_with(".json")
            || s.ends_with(".jsonl")
            || s.ends_with(".ndjson")
            || s.ends_with(".logfmt")
            || s == "syslog"
            || s == "messages"
            || s.ends_with(".out")
            || s.ends_with(".err")
    };
    ext_ok(n) || ext_ok(&base) || n.contains(".log.") || n.contains(".log-")
}

/// Options of discovery.
#[derive(Clone, Debug, Default)]
pub struct DiscoverOptions {
    /// Do not group rotated generations (each file is its own input).
    pub no_rotation: bool,
}

fn push_dir(
    dir: &Path,
    display: &str,
    out: &mut Vec<SourceFile>,
    errs: &mut Vec<SourceError>,
    seen: &mut HashSet<(u64, u64)>,
) {
    use std::os::unix::fs::MetadataExt;
    let mut stack = vec![(dir.to_path_buf(), display.trim_end_matches('/').to_string())];
    while let Some((d, disp)) = stack.pop() {
        match std::fs::metadata(&d) {
            Ok(m) => {
                if !seen.insert((m.dev(), m.ino())) {
                    errs.push(SourceError::SymlinkLoop { path: disp.clone() });
                    continue;
                }
            }
            Err(e) => {
                errs.push(SourceError::from_io(&disp, e));
                continue;
            }
        }
        let rd = match std::fs::read_dir(&d) {
            Ok(rd) => rd,
            Err(e) => {
                errs.push(SourceError::from_io(&disp, e));
                continue;
            }
        };
        let mut names: Vec<(String, PathBuf)> = Vec::new();
        for ent in rd.flatten() {
            names.push((ent.file_name().to_string_lossy().into_owned(), ent.path()));
        }
        names.sort();
        let mut subdirs = Vec::new();
        for (name, path) in names {
            let disp_child = if disp.is_empty() { name.clone() } else { format!("{disp}/{name}") };
            match std::fs::metadata(&path) {
                Ok(m) if m.is_dir() => subdirs.push((path, disp_child)),
                Ok(m) if m.is_file() => {
                    if is_log_name(&name) {
                        out.push(SourceFile { gz: name.ends_with(".gz"), path, display: disp_child });
                    }
                }
                Ok(_) => {}
                Err(e) => {
                    if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
                        if e.raw_os_error() == Some(libc::ELOOP) {
                            errs.push(SourceError::SymlinkLoop { path: disp_child });
                        }
                        // A dangling link under a directory is skipped quietly.
                    } else {
                        errs.push(SourceError::from_io(&disp_child, e));
                    }
                }
            }
        }
        for s in subdirs.into_iter().rev() {
            stack.push(s);
        }
    }
}

/// Expands the user's arguments into inputs. Errors (missing paths, unreadable directories,
/// symlink loops) are returned beside the inputs that were found, so the rest goes on.
pub fn discover(args: &[String], opts: &DiscoverOptions) -> (Vec<Input>, Vec<SourceError>) {
    let mut files: Vec<SourceFile> = Vec::new();
    let mut errs = Vec::new();
    let mut stdin = false;
    let mut seen_dirs = HashSet::new();
    for a in args {
        if a == "-" {
            stdin = true;
            continue;
        }
        let p = Path::new(a);
        let has_glob = a.contains(['*', '?', '[']);
        if !p.exists() && has_glob {
            match glob::glob(a) {
                Ok(paths) => {
                    let mut n = 0;
                    for g in paths {
                        match g {
                            Ok(path) => {
                                n += 1;
                                let disp = path.to_string_lossy().into_owned();
                                if path.is_dir() {
                                    push_dir(&path, &disp, &mut files, &mut errs, &mut seen_dirs);
                                } else {
                                    files.push(SourceFile { gz: disp.ends_with(".gz"), path, display: disp });
                                }
                            }
                            Err(e) => {
                                let p = e.path().to_string_lossy().into_owned();
                                errs.push(SourceError::from_io(&p, e.into()))
                            }
                        }
                    }
                    if n == 0 {
                        errs.push(SourceError::NoMatch { pattern: a.clone() });
                    }
                }
                Err(e) => errs.push(SourceError::BadGlob { pattern: a.clone(), reason: e.msg.to_string() }),
            }
            continue;
        }
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => push_dir(p, a, &mut files, &mut errs, &mut seen_dirs),
            Ok(_) => files.push(SourceFile { path: p.to_path_buf(), display: a.clone(), gz: a.ends_with(".gz") }),
            Err(e) => errs.push(SourceError::from_io(a, e)),
        }
    }
    // The same file named twice (a glob and a path) is read once.
    let mut seen = HashSet::new();
    files.retain(|f| seen.insert(std::fs::canonicalize(&f.path).unwrap_or_else(|_| f.path.clone())));
    let mut inputs = group_rotations(files, opts);
    if stdin {
        inputs.insert(0, Input::Stdin);
    }
    (inputs, errs)
}

/// Groups files of one directory that are generations of the same log, oldest first.
pub fn group_rotations(files: Vec<SourceFile>, opts: &DiscoverOptions) -> Vec<Input> {
    if opts.no_rotation {
        return files.into_iter().map(|f| Input::Files(vec![f])).collect();
    }
    type Generations = Vec<(i64, Gen, SourceFile)>;
    let mut groups: BTreeMap<(PathBuf, String), Generations> = BTreeMap::new();
    let mut order: Vec<(PathBuf, String)> = Vec::new();
    for f in files {
        let dir = f.path.parent().map(Path::to_path_buf).unwrap_or_default();
        let name = f.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let (base, n, gen) = rotation_key(&name);
        let key = (dir, base);
        if !groups.contains_key(&key) {
            order.push(key.clone());
        }
        groups.entry(key).or_default().push((n, gen, f));
    }
    let mut out = Vec::new();
    for key in order {
        let mut g = groups.remove(&key).unwrap_or_default();
        // Oldest first: dated by date, then numbered generations from the highest number,
        // then the live file.
        g.sort_by(|a, b| match (&a.1, &b.1) {
            (Gen::Dated(x), Gen::Dated(y)) => x.cmp(y),
            (Gen::Dated(_), Gen::Live) => std::cmp::Ordering::Less,
            (Gen::Live, Gen::Dated(_)) => std::cmp::Ordering::Greater,
            (Gen::Live, Gen::Live) => b.0.cmp(&a.0),
        });
        // Date-stamped daily files with no live file: the newest date is the live one.
        out.push(Input::Files(g.into_iter().map(|(_, _, f)| f).collect()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(input: &Input) -> Vec<String> {
        match input {
            Input::Files(f) => f.iter().map(|f| f.path.file_name().unwrap().to_string_lossy().into_owned()).collect(),
            Input::Stdin => vec!["-".into()],
            Input::ClickHouse(url) => vec![url.clone()],
        }
    }

    fn sf(n: &str) -> SourceFile {
        SourceFile { path: PathBuf::from(format!("/logs/{n}")), display: n.to_string(), gz: n.ends_with(".gz") }
    }

    #[test]
    fn rotated_sets_oldest_first() {
        let files = ["x.log", "x.log.1", "x.log.2.gz", "x.log.10.gz", "other.log"].map(sf).to_vec();
        let g = group_rotations(files, &DiscoverOptions::default());
        assert_eq!(g.len(), 2);
        assert_eq!(names(&g[0]), ["x.log.10.gz", "x.log.2.gz", "x.log.1", "x.log"]);
        let files = ["x.log", "x.log-20261120.gz", "x.log-20261119", "x.log.2026-11-21"].map(sf).to_vec();
        let g = group_rotations(files, &DiscoverOptions::default());
        assert_eq!(names(&g[0]), ["x.log-20261119", "x.log-20261120.gz", "x.log.2026-11-21", "x.log"]);
        let files = ["x-2026-11-21.log", "x-2026-11-20.log", "x-2026-11-19.log.gz"].map(sf).to_vec();
        let g = group_rotations(files, &DiscoverOptions::default());
        assert_eq!(g.len(), 1);
        assert_eq!(names(&g[0]), ["x-2026-11-19.log.gz", "x-2026-11-20.log", "x-2026-11-21.log"]);
    }

    #[test]
    fn log_names() {
        for n in [
            "app.log",
            "app.log.1",
            "app.log.2.gz",
            "x.json",
            "x.jsonl",
            "syslog",
            "messages",
            "app.log-20261120.gz",
            "x-2026-11-20.log",
            "syslog.1",
            "messages.2.gz",
            "app.logfmt",
        ] {
            assert!(is_log_name(n), "{n}");
        }
        for n in ["a.png", "README.md", ".hidden.log", "core", "x.tar.gz"] {
            assert!(!is_log_name(n), "{n}");
        }
    }
}
