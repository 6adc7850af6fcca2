//! Issue 6's TUI benchmarks, driven through a real pseudo-terminal and read back through a
//! terminal emulator (vt100), logx against lnav on the same file in the same run:
//!
//! - time from start to the first screen with rows (logx and lnav);
//! - time until a minimum-level filter over the whole file is complete (the header says
//!   `N of TOTAL` with N the ground truth's count of warn and worse);
//! - keypress-to-frame latency (median, p99) while the file is still being indexed: `?` opens
//!   the help overlay and any key closes it, each change timed when the emulator shows it;
//! - peak anonymous memory (RssAnon, which leaves out the mapped file) per entry.
//!
//! Run: `cargo bench --bench tui` (or `benches/run.sh tui`). Data: `$BENCH_DATA/app.log` and its
//! `.truth.json` from ../shared/tools/gen_corpus.py (default target/bench-data). `RUNS` runs of
//! each (default 5), medians printed as Markdown rows for BENCHMARKS.md.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize};

type Pred = Box<dyn Fn(&str) -> bool + Send>;

/// What the reader thread watches for: the first time the screen satisfies `pred`.
struct Watch {
    pred: Option<Pred>,
    hit: Option<Instant>,
}

struct Term {
    parser: Arc<Mutex<vt100::Parser>>,
    watch: Arc<Mutex<Watch>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    _master: Box<dyn portable_pty::MasterPty + Send>,
    started: Instant,
}

impl Term {
    fn start(program: &Path, args: &[&str], env: &[(&str, String)], pred: Pred) -> Term {
        let pty = portable_pty::native_pty_system();
        let pair = pty.openpty(PtySize { rows: 40, cols: 160, pixel_width: 0, pixel_height: 0 }).expect("a pty");
        let mut cmd = CommandBuilder::new(program);
        cmd.args(args);
        cmd.env("TERM", "xterm-256color");
        cmd.env("TZ", "UTC");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let parser = Arc::new(Mutex::new(vt100::Parser::new(40, 160, 0)));
        let watch = Arc::new(Mutex::new(Watch { pred: Some(pred), hit: None }));
        let started = Instant::now();
        let child = pair.slave.spawn_command(cmd).expect("spawn");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("reader");
        let writer = pair.master.take_writer().expect("writer");
        let (p2, w2) = (parser.clone(), watch.clone());
        std::thread::spawn(move || {
            let mut buf = [0u8; 65536];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                let now = Instant::now();
                let mut p = p2.lock().unwrap();
                p.process(&buf[..n]);
                let mut w = w2.lock().unwrap();
                if w.hit.is_none() {
                    if let Some(pred) = &w.pred {
                        if pred(&p.screen().contents()) {
                            w.hit = Some(now);
                            w.pred = None;
                        }
                    }
                }
            }
        });
        Term { parser, watch, writer, child, _master: pair.master, started }
    }

    fn pid(&self) -> Option<u32> {
        self.child.process_id()
    }

    fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// Sets what to wait for, then sends `keys`; returns the time the keys were sent.
    fn press(&mut self, keys: &[u8], pred: Pred) -> Instant {
        {
            let _p = self.parser.lock().unwrap();
            let mut w = self.watch.lock().unwrap();
            w.hit = None;
            w.pred = Some(pred);
        }
        let t = Instant::now();
        self.writer.write_all(keys).unwrap();
        self.writer.flush().unwrap();
        t
    }

    /// Waits for the watched condition (it may already hold on the current screen).
    fn wait(&self, limit: Duration, what: &str) -> Option<Instant> {
        let deadline = Instant::now() + limit;
        loop {
            {
                // the reader thread locks the parser, then the watch: the same order here
                let p = self.parser.lock().unwrap();
                let mut w = self.watch.lock().unwrap();
                if let Some(t) = w.hit {
                    return Some(t);
                }
                let screen = p.screen().contents();
                if let Some(pred) = &w.pred {
                    if pred(&screen) {
                        let now = Instant::now();
                        w.hit = Some(now);
                        w.pred = None;
                        return Some(now);
                    }
                }
            }
            if Instant::now() > deadline {
                eprintln!("gave up waiting {limit:?} for {what}; the screen:\n{}", self.screen());
                return None;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
    }
}

impl Drop for Term {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Samples RssAnon of `pid` every 5 ms until stopped; the peak in KiB.
struct MemSampler {
    stop: Arc<AtomicBool>,
    peak: Arc<AtomicU64>,
}

impl MemSampler {
    fn start(pid: u32) -> MemSampler {
        let stop = Arc::new(AtomicBool::new(false));
        let peak = Arc::new(AtomicU64::new(0));
        let (s2, p2) = (stop.clone(), peak.clone());
        std::thread::spawn(move || {
            while !s2.load(Ordering::Relaxed) {
                if let Ok(st) = std::fs::read_to_string(format!("/proc/{pid}/status")) {
                    if let Some(kib) = st
                        .lines()
                        .find(|l| l.starts_with("RssAnon:"))
                        .and_then(|l| l.split_whitespace().nth(1))
                        .and_then(|v| v.parse::<u64>().ok())
                    {
                        p2.fetch_max(kib, Ordering::Relaxed);
                    }
                }
                std::thread::sleep(Duration::from_millis(5));
            }
        });
        MemSampler { stop, peak }
    }

    fn finish(self) -> u64 {
        self.stop.store(true, Ordering::Relaxed);
        std::thread::sleep(Duration::from_millis(10));
        self.peak.load(Ordering::Relaxed)
    }
}

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    if v.is_empty() {
        return f64::NAN;
    }
    v[(v.len() - 1) / 2]
}

fn percentile(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    if v.is_empty() {
        return f64::NAN;
    }
    let i = ((p / 100.0) * v.len() as f64).ceil() as usize;
    v[i.clamp(1, v.len()) - 1]
}

fn json_u64(truth: &str, key: &str) -> u64 {
    let at = truth.find(&format!("\"{key}\"")).unwrap_or_else(|| panic!("{key} in the truth file"));
    let rest = &truth[at + key.len() + 2..];
    let rest = rest.trim_start_matches([':', ' ']);
    rest.chars().take_while(|c| c.is_ascii_digit()).collect::<String>().parse().unwrap()
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return; // cargo test --benches asks for the list; nothing runs under the test harness
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let data = std::env::var("BENCH_DATA").map(PathBuf::from).unwrap_or_else(|_| root.join("target/bench-data"));
    let file = data.join("app.log");
    let truth_path = data.join("app.log.truth.json");
    let Ok(truth) = std::fs::read_to_string(&truth_path) else {
        eprintln!(
            "no {}: generate it with python3 ../shared/tools/gen_corpus.py {} --size 1G",
            truth_path.display(),
            data.display()
        );
        std::process::exit(2);
    };
    let runs: usize = std::env::var("RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(5);
    let logx = std::env::var("LOGX_BIN").map(PathBuf::from).unwrap_or_else(|_| root.join("target/release/logx"));
    let lnav = which("lnav");
    let entries = json_u64(&truth, "entries");
    let warn_up = json_u64(&truth, "warn") + json_u64(&truth, "error") + json_u64(&truth, "fatal");
    // the first entry's message, as both tools show it on their first screen
    // a row of the file's first or last screen (lnav opens at the end, logx at the start)
    let (first, last) = {
        let mut f = std::fs::File::open(&file).expect("the data file");
        let len = f.metadata().unwrap().len();
        let mut buf = vec![0u8; 4096];
        let n = f.read(&mut buf).unwrap();
        let first = String::from_utf8_lossy(&buf[..n]).lines().next().unwrap().to_string();
        use std::io::Seek;
        f.seek(std::io::SeekFrom::Start(len.saturating_sub(4096))).unwrap();
        let n = f.read(&mut buf).unwrap();
        let last = String::from_utf8_lossy(&buf[..n]).lines().last().unwrap().to_string();
        (first, last)
    };
    let msg = |line: &str| -> String { line.split(": ").nth(1).unwrap_or(line).chars().take(24).collect() };
    let markers = [msg(&first), msg(&last)];
    let row_shown = move |s: &str| markers.iter().any(|m| s.contains(m.as_str()));
    let bytes = std::fs::metadata(&file).unwrap().len();
    // warm the page cache for both tools
    std::io::copy(&mut std::fs::File::open(&file).unwrap(), &mut std::io::sink()).unwrap();
    let cache = std::env::temp_dir().join(format!("logx-tui-bench-{}", std::process::id()));
    let home = cache.join("home");
    std::fs::create_dir_all(&home).unwrap();
    let path = file.to_str().unwrap().to_string();

    let fresh_env = |run: usize| -> Vec<(&'static str, String)> {
        let dir = cache.join(format!("run{run}"));
        let _ = std::fs::remove_dir_all(&dir);
        vec![
            ("LOGX_CACHE_DIR", dir.display().to_string()),
            ("XDG_CONFIG_HOME", cache.join("no-config").display().to_string()),
            ("HOME", home.display().to_string()),
        ]
    };

    // Over a ClickHouse table holding the same file (benches/clickhouse.sh ships it and sets
    // LOGX_BENCH_TABLE): the TUI pages the table; only this part runs with it.
    if let Ok(url) = std::env::var("LOGX_BENCH_TABLE") {
        table_bench(&logx, &url, &path, runs, &row_shown, &msg(&last), &thousands(warn_up), &fresh_env);
        return;
    }

    let mut first_logx = Vec::new();
    let mut first_lnav = Vec::new();
    let mut filter_done = Vec::new();
    let mut filter_from_start = Vec::new();
    let mut peak_kib = Vec::new();
    let mut latencies = Vec::new();
    let limit = Duration::from_secs(120);
    let shown = format!("{} of {}", thousands(warn_up), thousands(entries));
    for run in 0..runs {
        // logx: first screen, then the level filter over the whole file, memory all along
        let m = row_shown.clone();
        let mut t = Term::start(&logx, &["tui", &path], &fresh_env(run), Box::new(move |s| m(s)));
        let mem = MemSampler::start(t.pid().unwrap());
        let Some(hit) = t.wait(limit, "logx's first rows") else { continue };
        first_logx.push((hit - t.started).as_secs_f64());
        eprintln!("run {run}: logx first rows after {:?}", hit - t.started);
        let want = shown.clone();
        let sent =
            t.press(b"lll", Box::new(move |s| s.contains(&want) && !indexing_shown(s) && !s.contains("filtering")));
        if let Some(done) = t.wait(limit, &format!("the header to say {shown}")) {
            filter_done.push((done - sent).as_secs_f64());
            filter_from_start.push((done - t.started).as_secs_f64());
            eprintln!("run {run}: level filter complete {:?} after the keys", done - sent);
        }
        peak_kib.push(mem.finish() as f64);
        drop(t);

        // lnav: first screen with rows
        if let Some(lnav) = &lnav {
            let m = row_shown.clone();
            let t = Term::start(lnav, &[&path], &fresh_env(run), Box::new(move |s| m(s)));
            if let Some(hit) = t.wait(limit, "lnav's first rows") {
                first_lnav.push((hit - t.started).as_secs_f64());
                eprintln!("run {run}: lnav first rows after {:?}", hit - t.started);
            }
        }
    }
    // keypress to frame while indexing: help overlay on, off, on... until indexing ends; as
    // many fresh starts as it takes for 300 keypresses
    let mut starts = 0;
    while latencies.len() < 300 && starts < 40 {
        starts += 1;
        let m = row_shown.clone();
        let mut t = Term::start(&logx, &["tui", &path], &fresh_env(2000 + starts), Box::new(move |s| m(s)));
        if t.wait(limit, "logx's first rows").is_none() {
            continue;
        }
        let mut open = false;
        let before = latencies.len();
        while indexing_shown(&t.screen()) {
            let (keys, pred): (&[u8], Pred) = if open {
                (b"x", Box::new(|s: &str| !s.contains("any key: close help")))
            } else {
                (b"?", Box::new(|s: &str| s.contains("any key: close help")))
            };
            let sent = t.press(keys, pred);
            let Some(hit) = t.wait(Duration::from_secs(5), "the help overlay to toggle") else { break };
            latencies.push((hit - sent).as_secs_f64() * 1000.0);
            open = !open;
        }
        eprintln!("start {starts}: {} keypresses while indexing", latencies.len() - before);
    }
    // memory on a rotated set (two plain files, two gzipped, oldest first): the files follow
    // one another, so the index is built slice by slice on the screen's side, as for one file
    let rotated = data.join("rotated");
    let mut rot_peak = Vec::new();
    let rot_entries: u64 = std::process::Command::new(&logx)
        .args(["--no-index", "cat", "-c"])
        .arg(&rotated)
        .output()
        .ok()
        .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok())
        .unwrap_or(0);
    if rot_entries > 0 {
        let all = format!("{} of {}", thousands(rot_entries), thousands(rot_entries));
        for run in 0..runs {
            let want = all.clone();
            let t = Term::start(
                &logx,
                &["tui", rotated.to_str().unwrap()],
                &fresh_env(3000 + run),
                Box::new(move |s| s.contains(&want) && !indexing_shown(s)),
            );
            let mem = MemSampler::start(t.pid().unwrap());
            if t.wait(limit, &format!("the header to say {all}")).is_some() {
                rot_peak.push(mem.finish() as f64);
            }
        }
    }
    let _ = std::fs::remove_dir_all(&cache);

    let ms = |v: f64| format!("{:.0} ms", v * 1000.0);
    println!(
        "### TUI (issue 6), {} runs, {} ({} MiB, {} entries)",
        runs,
        file.display(),
        bytes >> 20,
        thousands(entries)
    );
    println!("| measure | logx | lnav | target |");
    println!("|---|---|---|---|");
    let fl = median(&mut first_logx);
    let fn_ = median(&mut first_lnav);
    println!(
        "| start to the first screen with rows | {} | {} (logx/lnav {:.3}x) | under 200 ms |",
        ms(fl),
        if first_lnav.is_empty() { "not installed".into() } else { ms(fn_) },
        fl / fn_
    );
    println!(
        "| `l l l` (level ≥ warn) to `{shown}` shown, indexing included | {} ({} from start) | not measured | complete (reported; no target) |",
        ms(median(&mut filter_done)),
        ms(median(&mut filter_from_start))
    );
    let n = latencies.len();
    println!(
        "| keypress to frame while indexing ({n} keypresses) | median {:.1} ms, p99 {:.1} ms, max {:.1} ms | | p99 under 50 ms |",
        percentile(&mut latencies, 50.0),
        percentile(&mut latencies, 99.0),
        percentile(&mut latencies, 100.0)
    );
    let peak = median(&mut peak_kib);
    println!(
        "| peak anonymous memory (RssAnon; the mapped file excluded) | {:.0} MiB, {:.1} B/entry | | under 16 B/entry |",
        peak / 1024.0,
        peak * 1024.0 / entries as f64
    );
    if !rot_peak.is_empty() {
        let peak = median(&mut rot_peak);
        println!(
            "| the same on `{}` ({} files, {} entries) | {:.0} MiB, {:.1} B/entry | | under 16 B/entry |",
            rotated.display(),
            std::fs::read_dir(&rotated).map_or(0, |d| d.count()),
            thousands(rot_entries),
            peak / 1024.0,
            peak * 1024.0 / rot_entries as f64
        );
    }
}

/// The TUI over a table of `entries` rows against the TUI over the file they came from, in the
/// same run: the first screen, `G` (the last entry), `l l l` (level ≥ warn, the header showing
/// the server's count and the window settled), and peak anonymous memory.
#[allow(clippy::too_many_arguments)]
fn table_bench(
    logx: &Path,
    url: &str,
    path: &str,
    runs: usize,
    row_shown: &(impl Fn(&str) -> bool + Clone + Send + 'static),
    last_msg: &str,
    warn: &str,
    fresh_env: &dyn Fn(usize) -> Vec<(&'static str, String)>,
) {
    let limit = Duration::from_secs(120);
    let settled = |s: &str| !s.contains("fetching…") && !s.contains("filtering…") && !indexing_shown(s);
    let mut rows: Vec<(&str, Vec<f64>, Vec<f64>)> = vec![
        ("start to the first screen with rows", Vec::new(), Vec::new()),
        ("`G`: the last entry shown", Vec::new(), Vec::new()),
        ("`l l l` (level ≥ warn): the count shown, the rows settled", Vec::new(), Vec::new()),
        ("peak anonymous memory (MiB)", Vec::new(), Vec::new()),
    ];
    for run in 0..runs {
        for (col, target) in [(1usize, url), (2, path)] {
            let m = row_shown.clone();
            let mut t = Term::start(logx, &["tui", target], &fresh_env(4000 + run), Box::new(move |s| m(s)));
            let mem = MemSampler::start(t.pid().unwrap());
            let Some(hit) = t.wait(limit, "the first rows") else { continue };
            let mut put = |i: usize, v: f64| {
                let r = &mut rows[i];
                if col == 1 {
                    r.1.push(v)
                } else {
                    r.2.push(v)
                }
            };
            put(0, (hit - t.started).as_secs_f64());
            // (the file's index complete first: G on a file goes to the end of what is indexed)
            let _ = t.press(b"", Box::new(move |s| settled(s)));
            t.wait(limit, "indexing to end");
            let last = last_msg.to_string();
            let sent = t.press(b"G", Box::new(move |s| s.contains(&last) && settled(s)));
            if let Some(hit) = t.wait(limit, "the last entry") {
                put(1, (hit - sent).as_secs_f64());
            }
            // "N of TOTAL" over the file, "rows 1–300 of N" over the table
            let (a, b) = (format!("{warn} of"), format!("of {warn}"));
            let sent = t.press(b"lll", Box::new(move |s| (s.contains(&a) || s.contains(&b)) && settled(s)));
            if let Some(hit) = t.wait(limit, &format!("the header to count {warn}")) {
                put(2, (hit - sent).as_secs_f64());
            }
            put(3, mem.finish() as f64 / 1024.0);
            eprintln!("run {run}: {}", if col == 1 { "table" } else { "file" });
        }
    }
    println!("### TUI over a ClickHouse table (issue 11), {runs} runs: `{url}` against `{path}`");
    println!("| measure | table | file | table/file |");
    println!("|---|---|---|---|");
    for (i, (label, mut a, mut b)) in rows.into_iter().enumerate() {
        let (x, y) = (median(&mut a), median(&mut b));
        let show = |v: f64| if i == 3 { format!("{v:.0} MiB") } else { format!("{:.0} ms", v * 1000.0) };
        println!("| {label} | {} | {} | {:.2}x |", show(x), show(y), x / y);
    }
}

/// Whether the footer shows indexing progress (`indexing… 42%`); log text may say "indexing".
fn indexing_shown(s: &str) -> bool {
    s.match_indices("indexing").any(|(i, w)| {
        let rest = s[i + w.len()..].trim_start_matches('…').trim_start_matches(' ');
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        digits > 0 && rest[digits..].starts_with('%')
    })
}

fn which(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")?.to_str()?.split(':').map(|d| Path::new(d).join(name)).find(|p| p.is_file())
}
