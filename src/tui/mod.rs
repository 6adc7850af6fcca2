//! `logx tui`: the terminal explorer. A thin shell over the engine: the entry index is built
//! in the background, filters are the query engine's, exports use the export sinks.
//!
//! The loop selects over keys and mouse (crossterm), worker answers, and a timer that checks
//! followed files. The terminal is restored on every way out, panics included.

pub mod app;
pub mod data;
pub mod remote;
pub mod view;
pub mod worker;

use std::io::{self, IsTerminal, Write};
use std::time::{Duration, Instant};

use crossterm::event::{self, DisableMouseCapture, EnableMouseCapture, Event, KeyEventKind};
use crossterm::execute;
use crossterm::terminal::{disable_raw_mode, enable_raw_mode, EnterAlternateScreen, LeaveAlternateScreen};
use ratatui::backend::CrosstermBackend;
use ratatui::Terminal;

use crate::cli::args::TuiArgs;
use crate::cli::{Ctx, Fatal, EXIT_MATCH};
use app::{App, Col};

fn restore_terminal() {
    let _ = disable_raw_mode();
    let _ = execute!(io::stdout(), LeaveAlternateScreen, DisableMouseCapture, crossterm::cursor::Show);
}

use logx::sink::base64;

/// Runs the TUI.
pub fn run(ctx: &mut Ctx, a: TuiArgs) -> Result<i32, Fatal> {
    if !io::stdout().is_terminal() {
        return Err(Fatal("the TUI needs a terminal: use `logx cat` when piping".into()));
    }
    let mut spec = a.filters.spec();
    ctx.default_level(&mut spec);
    let query = ctx.query(&spec)?;
    let paths = ctx.expand(&a.paths)?;
    let cfg = ctx.engine()?;
    let inputs = ctx.inputs(&paths)?;
    // One table alone is shown a window at a time; a table among files is read whole.
    let remote = match inputs.as_slice() {
        [logx::source::Input::ClickHouse(url)] => Some(remote::Remote::open(url, &cfg, &query).map_err(Fatal)?),
        _ => None,
    };
    let (srcs, errs) =
        if remote.is_some() { (Vec::new(), Vec::new()) } else { data::open_sources(&inputs, &cfg, &query) };
    for e in &errs {
        ctx.report(e);
    }
    if srcs.is_empty() && remote.is_none() {
        return Err(Fatal("nothing to show".into()));
    }
    let mut app = App::new(srcs, spec, ctx.zone.clone(), cfg.clone(), paths, ctx.now);
    app.remote = remote;
    app.follow = a.follow;
    match ctx.config.theme {
        Some(logx::config::Theme::Mono) => app.color = false,
        Some(logx::config::Theme::Light) => app.light = true,
        _ => {}
    }
    if matches!(ctx.global.color, crate::cli::args::ColorChoice::Never) {
        app.color = false;
    }
    if let Some(names) = &ctx.config.columns {
        app.columns = Col::from_names(names);
    }
    let (req_tx, req_rx) = std::sync::mpsc::channel();
    let (rep_tx, rep_rx) = std::sync::mpsc::channel();
    app.reply_tx = Some(rep_tx.clone());
    let (hist_tx, hist_rx) = std::sync::mpsc::channel();
    let hist_rep = rep_tx.clone();
    std::thread::spawn(move || worker::histograms(hist_rx, hist_rep));
    app.hist_tx = Some(hist_tx);
    let wcfg = cfg.clone();
    // One core stays free for the screen: keys are answered while a gigabyte is indexed.
    let threads = rayon::current_num_threads().saturating_sub(1).max(1);
    std::thread::spawn(move || {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build();
        match pool {
            Ok(p) => p.install(|| worker::run(req_rx, rep_tx, wcfg)),
            Err(_) => worker::run(req_rx, rep_tx, wcfg),
        }
    });
    app.tx = Some(req_tx);
    // A table's first window, before the screen: a server that does not answer is said plainly.
    app.remote_open().map_err(Fatal)?;
    app.reload();

    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore_terminal();
        hook(info);
    }));
    enable_raw_mode().map_err(|e| Fatal(format!("terminal: {e}")))?;
    let mut stdout = io::stdout();
    if let Err(e) = execute!(stdout, EnterAlternateScreen, EnableMouseCapture) {
        restore_terminal();
        return Err(Fatal(format!("terminal: {e}")));
    }
    let result = event_loop(&mut app, &rep_rx);
    restore_terminal();
    result.map_err(|e| Fatal(format!("terminal: {e}")))?;
    Ok(EXIT_MATCH)
}

fn event_loop(app: &mut App, replies: &std::sync::mpsc::Receiver<worker::Reply>) -> io::Result<()> {
    let mut terminal = Terminal::new(CrosstermBackend::new(io::stdout()))?;
    terminal.clear()?;
    let mut dirty = true;
    let mut last_poll = Instant::now();
    let mut last_draw = Instant::now() - Duration::from_secs(1);
    loop {
        // Coalesce redraws caused by a stream of worker answers.
        if dirty && last_draw.elapsed() >= Duration::from_millis(15) {
            terminal.draw(|f| view::draw(f, app))?;
            last_draw = Instant::now();
            dirty = false;
            if let Some(text) = app.clipboard.take() {
                let b = terminal.backend_mut();
                write!(b, "\x1b]52;c;{}\x07", base64(text.as_bytes()))?;
                b.flush()?;
            }
        }
        while let Ok(r) = replies.try_recv() {
            app.on_reply(r);
            dirty = true;
        }
        // Records that waited for a background count to let go of the index.
        dirty |= app.absorb();
        if event::poll(Duration::from_millis(if dirty { 5 } else { 40 }))? {
            match event::read()? {
                Event::Key(k) if k.kind != KeyEventKind::Release => {
                    app.on_key(k);
                    // A key is answered with a frame at once.
                    terminal.draw(|f| view::draw(f, app))?;
                    last_draw = Instant::now();
                    dirty = false;
                    if let Some(text) = app.clipboard.take() {
                        let b = terminal.backend_mut();
                        write!(b, "\x1b]52;c;{}\x07", base64(text.as_bytes()))?;
                        b.flush()?;
                    }
                }
                Event::Mouse(m) => {
                    app.on_mouse(m);
                    dirty = true;
                }
                Event::Resize(_, _) => {
                    terminal.autoresize()?;
                    dirty = true;
                }
                _ => {}
            }
        }
        if app.quit {
            return Ok(());
        }
        if last_poll.elapsed() >= Duration::from_millis(250) {
            last_poll = Instant::now();
            app.poll_growth();
            if app.message.as_ref().is_some_and(|(_, t)| t.elapsed().as_secs() >= 6 && t.elapsed().as_millis() < 6300) {
                dirty = true;
            }
            if !app.indexed {
                dirty = true;
            }
        }
    }
}

/// Screens drawn on a test backend and compared with stored snapshots (80x24 and 160x40).
#[cfg(test)]
mod snapshots {
    use super::app::{App, Mode};
    use super::data::open_sources;
    use super::view;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use logx::engine::EngineConfig;
    use logx::index::entries;
    use logx::query::QuerySpec;
    use logx::source::{discover, DiscoverOptions};
    use logx::time::Zone;
    use ratatui::backend::TestBackend;
    use ratatui::Terminal;
    use std::sync::Arc;

    // 2026-11-21T15:30:00Z
    const NOW: i64 = 1_795_275_000_000_000_000;

    /// An app over fixtures, indexed synchronously.
    fn app(paths: &[&str], spec: QuerySpec) -> App {
        let root = env!("CARGO_MANIFEST_DIR");
        std::env::set_current_dir(root).unwrap();
        let paths: Vec<String> = paths.iter().map(|p| p.to_string()).collect();
        let (inputs, errs) = discover(&paths, &DiscoverOptions::default());
        assert!(errs.is_empty());
        let cfg = EngineConfig { zone: Zone::Utc, ..EngineConfig::default() };
        let (srcs, errs) = open_sources(&inputs, &cfg, &logx::query::Query::all());
        assert!(errs.is_empty());
        let mut a = App::new(srcs, spec, Zone::Utc, cfg, paths, NOW);
        a.color = false;
        a.on_reply(super::worker::Reply::Indexed { recs: entries::merge(index_each(&a)), done: true });
        a
    }

    /// The records of each file of an app.
    fn index_each(a: &App) -> Vec<Vec<entries::Rec>> {
        a.srcs.iter().enumerate().map(|(i, s)| entries::index_bytes(s.map.bytes(), 0, i, &s.parser, i64::MIN)).collect()
    }

    fn key(a: &mut App, c: KeyCode) {
        a.on_key(KeyEvent::new(c, KeyModifiers::NONE));
    }

    fn screen(a: &mut App, w: u16, h: u16) -> String {
        let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
        t.draw(|f| view::draw(f, a)).unwrap();
        format!("{}", t.backend())
    }

    /// A level filter follows the index while it is built (partial indexes of several files
    /// merge in another order each time): every row shown is one the filter keeps, and all
    /// of them are shown.
    #[test]
    fn a_level_filter_follows_a_partial_index() {
        let paths = ["fixtures/app.log", "fixtures/cells"];
        let spec = QuerySpec { level: Some("warn".into()), ..QuerySpec::default() };
        let mut a = app(&paths, spec);
        let parts = index_each(&a);
        assert!(parts.len() > 2);
        let kept = |recs: &[entries::Rec]| recs.iter().filter(|r| r.level() >= Some(logx::entry::Level::Warn)).count();
        for n in 1..=parts.len() {
            let recs = entries::merge(parts[..n].to_vec());
            let want = kept(&recs);
            a.on_reply(super::worker::Reply::Indexed { recs, done: n == parts.len() });
            assert_eq!(a.len(), want, "after {n} files");
            for row in 0..a.len() {
                assert!(a.rec(row).unwrap().level() >= Some(logx::entry::Level::Warn), "row {row} after {n} files");
            }
        }
    }

    /// One file's index arrives slice by slice and is appended in place: a level filter's rows
    /// grow with it, a slice waits while a background job holds the index (never a copy), and
    /// a fresh index replaces the old one.
    #[test]
    fn slices_of_one_file_are_appended_in_place() {
        use super::worker::Reply::Appended;
        let spec = QuerySpec { level: Some("warn".into()), ..QuerySpec::default() };
        let mut a = app(&["fixtures/app.log"], spec);
        let all = index_each(&a).remove(0);
        let warn = |recs: &[entries::Rec]| -> Vec<entries::Rec> {
            recs.iter().filter(|r| r.level() >= Some(logx::entry::Level::Warn)).copied().collect()
        };
        assert!(all.len() >= 8 && !warn(&all).is_empty());
        let cuts = [0, all.len() / 4, all.len() / 2, all.len() * 3 / 4, all.len()];
        for (k, w) in cuts.windows(2).enumerate() {
            let gen = a.recs_gen;
            let held = (k == 1).then(|| a.recs.clone());
            a.on_reply(Appended { recs: all[w[0]..w[1]].to_vec(), reserve: all.len(), fresh: k == 0, done: false });
            if let Some(h) = held {
                // A job still reads the index: the slice waits, nothing is copied.
                assert_eq!((a.recs.len(), a.recs_gen), (w[0], gen));
                drop(h);
                assert!(a.absorb());
            }
            assert_eq!(a.recs.len(), w[1]);
            assert!(a.recs.capacity() <= all.len() + 1, "room made once, not doubled");
            assert_ne!(a.recs_gen, gen, "the histogram counts again");
            let rows: Vec<entries::Rec> = (0..a.len()).map(|r| a.rec(r).unwrap()).collect();
            assert_eq!(rows, warn(&all[..w[1]]), "after {} records", w[1]);
            assert!(!a.indexed);
        }
        a.on_reply(Appended { recs: Vec::new(), reserve: 0, fresh: false, done: true });
        assert!(a.indexed);
        assert_eq!(*a.recs, all);
        // Indexed again (the file was truncated): the first slice starts a new index.
        a.on_reply(Appended { recs: all[..3].to_vec(), reserve: 3, fresh: true, done: false });
        assert_eq!(*a.recs, all[..3].to_vec());
        assert!(!a.indexed);
    }

    /// Several files are indexed as one: one slice after another when they follow one another
    /// in time (a rotated set), merged when they overlap (two instances), and merged too when
    /// the first and last entries said they followed but an entry in the middle of the older
    /// file is later than the newer one's first. Each way gives the merged index.
    #[test]
    fn files_in_time_order_are_appended_others_merged() {
        use super::worker::Reply;
        let dir = tempfile::tempdir().unwrap();
        let line = |h: u32, m: u32, s: u32, n: usize| {
            format!("2026-11-21 {h:02}:{m:02}:{s:02},000 INFO entry {n} {}\n", "x".repeat(60))
        };
        let write = |name: &str, lines: &[(u32, u32, u32)]| {
            let text: String = lines.iter().enumerate().map(|(n, &(h, m, s))| line(h, m, s, n)).collect();
            std::fs::write(dir.path().join(name), text).unwrap();
        };
        let minutes = |h: u32, from: u32, n: u32| -> Vec<(u32, u32, u32)> {
            (0..n).map(|k| (h, from + k / 60, k % 60)).collect()
        };
        // rotated: svc.log.1 then svc.log
        std::fs::create_dir(dir.path().join("rot")).unwrap();
        write("rot/svc.log.1", &minutes(10, 0, 120));
        write("rot/svc.log", &minutes(10, 2, 120));
        // two instances at once
        std::fs::create_dir(dir.path().join("two")).unwrap();
        write("two/a.log", &minutes(10, 0, 120));
        write("two/b.log", &minutes(10, 1, 120));
        // the older file holds a later entry early on, beyond what its last 64 KiB show
        std::fs::create_dir(dir.path().join("odd")).unwrap();
        let mut older = minutes(10, 0, 1500);
        older[3] = (12, 0, 0);
        write("odd/x.log.1", &older);
        write("odd/x.log", &minutes(11, 0, 100));
        // Which files' records come as slices, and whether merges come: the first file's
        // slices always come at once (the first screen does not wait).
        for (sub, sliced, merges) in [("rot", vec![0, 1], false), ("two", vec![0], true), ("odd", vec![0], true)] {
            let path = dir.path().join(sub).to_string_lossy().into_owned();
            let mut a = app(&[path.as_str()], QuerySpec::default());
            assert_eq!(a.srcs.len(), 2, "{sub}");
            let want = entries::merge(index_each(&a));
            let (tx, rx) = std::sync::mpsc::channel();
            super::worker::index(&a.file_refs(), &tx);
            drop(tx);
            let (mut files, mut merged) = (std::collections::BTreeSet::new(), 0);
            for r in rx {
                match &r {
                    Reply::Appended { recs, .. } => files.extend(recs.iter().map(|r| r.file())),
                    Reply::Indexed { .. } => merged += 1,
                    _ => {}
                }
                a.on_reply(r);
            }
            assert_eq!(files.into_iter().collect::<Vec<_>>(), sliced, "{sub}");
            assert_eq!(merged > 0, merges, "{sub}: {merged} merges");
            assert!(a.indexed, "{sub}");
            assert_eq!(*a.recs, want, "{sub}");
        }
    }

    /// A filter that reads entries comes in rounds: the view grows in order while "filtering",
    /// the entry selected before is selected again once found, and a filter a newer one
    /// replaced stops after its round.
    #[test]
    fn a_filter_streams_its_rows_and_a_newer_one_stops_it() {
        use std::sync::atomic::{AtomicU64, Ordering};
        let mut a = app(&["fixtures/app.log", "fixtures/cells"], QuerySpec::default());
        assert!(a.recs.len() > 300, "needs several rounds of 100");
        let spec = QuerySpec { grep: vec!["(?i)user|fail".into()], ..QuerySpec::default() };
        let q = Arc::new(logx::query::Query::compile(&spec, &Zone::Utc, NOW).unwrap());
        assert!(!q.needs_only_facts());
        let want: Vec<u32> = (0..a.recs.len() as u32)
            .filter(|&i| {
                let rec = a.recs[i as usize];
                super::data::with_entry(&mut a.srcs[rec.file()], &rec, |e| q.matches(e)).unwrap_or(false)
            })
            .collect();
        assert!(want.len() > 10 && want.len() < a.recs.len());
        // The entry to keep selected: a late one the filter keeps.
        let target = a.recs[want[want.len() - 3] as usize];
        a.selected = a.row_at_or_after(target.key());
        while a.rec(a.selected) != Some(target) {
            a.selected += 1;
        }
        a.spec = spec.clone();
        a.query = q.clone();
        a.refilter();
        let gen = a.filter_gen;
        let latest = AtomicU64::new(gen);
        let (tx, rx) = std::sync::mpsc::channel();
        super::worker::filter(gen, &q, &a.recs, &None, &a.file_refs(), false, false, &latest, &tx);
        drop(tx);
        let replies: Vec<_> = rx.into_iter().collect();
        assert!(replies.len() >= 3, "{} rounds", replies.len());
        let last = replies.len() - 1;
        for (k, r) in replies.into_iter().enumerate() {
            a.on_reply(r);
            let rows: Vec<u32> = a.view.as_deref().unwrap().clone();
            assert_eq!(rows, want[..rows.len()], "round {k}: a prefix of the result");
            assert_eq!(a.filtering, k < last, "round {k}");
        }
        assert_eq!(a.view.as_deref().unwrap(), &want);
        assert_eq!(a.rec(a.selected), Some(target), "the selected entry again");
        // A level filter set while rounds of the search still come: they do not land on it.
        let (tx, rx) = std::sync::mpsc::channel();
        a.refilter();
        let gen2 = a.filter_gen;
        super::worker::filter(gen2, &q, &a.recs, &None, &a.file_refs(), false, false, &latest, &tx);
        drop(tx);
        let mut rounds = rx.into_iter();
        a.on_reply(rounds.next().unwrap());
        a.spec = QuerySpec { level: Some("warn".into()), ..QuerySpec::default() };
        a.query = Arc::new(logx::query::Query::compile(&a.spec, &Zone::Utc, NOW).unwrap());
        a.refilter();
        let levels: Vec<u32> = (0..a.recs.len() as u32)
            .filter(|&i| a.recs[i as usize].level() >= Some(logx::entry::Level::Warn))
            .collect();
        for r in rounds {
            a.on_reply(r);
        }
        assert_eq!(a.view.as_deref().unwrap(), &levels);
        assert!(!a.filtering);
        // Replaced by a newer filter: one round, then it stops.
        latest.store(gen + 1, Ordering::Relaxed);
        let (tx, rx) = std::sync::mpsc::channel();
        super::worker::filter(gen, &q, &a.recs, &None, &a.file_refs(), false, false, &latest, &tx);
        drop(tx);
        assert_eq!(rx.into_iter().count(), 1);
    }

    /// The audit view's groups, read in rounds with idle groups closed to disk, are the groups
    /// of one pass over every entry: 12,000 requests over more than six hours (more open
    /// than a sweep waits for), one of them coming back every 80 minutes.
    #[test]
    fn audit_view_groups_equal_one_pass_over_every_entry() {
        use logx::engine::Collector;
        let dir = tempfile::tempdir().unwrap();
        let mut text = String::new();
        for i in 0..24_000u32 {
            let t = i;
            let ts = |t: u32| format!("2026-11-21T{:02}:{:02}:{:02}.000Z", 8 + t / 3600, t / 60 % 60, t % 60);
            text.push_str(&format!(
                "{{\"level\":\"{}\",\"ts\":\"{}\",\"logger\":\"svc\",\"msg\":\"m{i}\",\"SpanRootUuid\":\"r{}\"}}\n",
                if i % 37 == 0 { "error" } else { "info" },
                ts(t),
                i / 2
            ));
            if i % 4800 == 0 {
                text.push_str(&format!(
                    "{{\"level\":\"warn\",\"ts\":\"{}\",\"logger\":\"jobs\",\"msg\":\"job\",\"SpanRootUuid\":\"long\"}}\n",
                    ts(t)
                ));
            }
        }
        let path = dir.path().join("cells.json");
        std::fs::write(&path, text).unwrap();
        let p = path.to_string_lossy().into_owned();
        let mut a = app(&[p.as_str()], QuerySpec::default());
        a.recs = std::sync::Arc::new(entries::merge(index_each(&a)));
        let fin = super::worker::audit(&a.recs, &None, &a.file_refs()).unwrap();
        // One pass over every entry, all groups in memory.
        let mut one = logx::audit::AuditCollector::new(
            logx::audit::GroupKey::Known(logx::entry::WellKnown::RequestId),
            None,
            false,
        );
        let data = a.srcs[0].map.bytes();
        let mut parser = a.srcs[0].parser.clone();
        for span in logx::index::lines::SpanIter::new(data, 0, &a.srcs[0].parser.clone(), true) {
            let mut e =
                logx::entry::Entry { raw: &data[span.start..span.end], lines: span.lines, ..Default::default() };
            parser.parse(&mut e);
            one.entry(&e);
        }
        let want: Vec<String> = one.take().sorted("time").iter().map(|g| format!("{g:?}")).collect();
        let got: Vec<String> = fin.iter().map(|g| format!("{g:?}")).collect();
        assert_eq!(want.len(), 12_001);
        assert!(got == want, "{} groups against {}", got.len(), want.len());
        assert!(fin.reopened >= 2, "the long request was read back: {}", fin.reopened);
        let long = fin.iter().find(|g| &*g.key == "long").unwrap();
        assert_eq!((long.count, long.duration()), (5, 4 * 4800 * 1_000_000_000));
    }

    /// Answers an app's requests for growth and filters as the worker does, until none is
    /// left; returns the filters asked for (their positions, and whether they append).
    fn serve(a: &mut App, rx: &std::sync::mpsc::Receiver<super::worker::Request>) -> Vec<(Option<Vec<u32>>, bool)> {
        use super::worker::{self, Request};
        let mut filters = Vec::new();
        while let Ok(req) = rx.try_recv() {
            let (tx, replies) = std::sync::mpsc::channel();
            match req {
                Request::Extend { file, fref, from, prev_key } => {
                    tx.send(worker::extend(file, &fref, from, prev_key)).unwrap()
                }
                Request::Filter { gen, query, recs, within, files, hits, latest, append } => {
                    filters.push((within.as_deref().cloned(), append));
                    worker::filter(gen, &query, &recs, &within, &files, hits, append, &latest, &tx);
                }
                _ => {}
            }
            drop(tx);
            replies.into_iter().for_each(|r| a.on_reply(r));
        }
        filters
    }

    /// A followed file grows (its last line completed, new lines): the follower's request is
    /// answered, the tail of the index is read again in place (no copy of the index), and a
    /// level filter reads only the new records, with the same rows as a filter over everything.
    /// A search filter (read in the worker) searches only the new records.
    #[test]
    fn a_growing_file_extends_the_index_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("live.log");
        let line = |n: usize, lv: &str| format!("2026-11-21 10:{:02}:{:02} {lv} entry {n}\n", n / 60, n % 60);
        let mut text: String = (0..200).map(|n| line(n, if n % 7 == 0 { "WARN" } else { "INFO" })).collect();
        text.push_str("2026-11-21 10:03:20 WARN the last one, cut sh");
        std::fs::write(&p, &text).unwrap();
        let spec = QuerySpec { level: Some("warn".into()), ..QuerySpec::default() };
        let mut a = app(&[p.to_str().unwrap()], spec);
        let (tx, rx) = std::sync::mpsc::channel();
        a.tx = Some(tx);
        assert_eq!(a.recs.len(), 201);
        let before = Arc::as_ptr(&a.recs);
        let more: String = (201..260).map(|n| line(n, if n % 5 == 0 { "ERROR" } else { "DEBUG" })).collect();
        std::fs::write(&p, format!("{text}ort\n{more}")).unwrap();
        a.poll_growth();
        assert!(serve(&mut a, &rx).is_empty(), "a level filter needs no worker");
        assert_eq!(Arc::as_ptr(&a.recs), before, "no copy of the index");
        let whole = index_each(&a).remove(0);
        assert_eq!(*a.recs, whole);
        let warn: Vec<u32> =
            (0..whole.len() as u32).filter(|&i| whole[i as usize].level() >= Some(logx::entry::Level::Warn)).collect();
        assert_eq!(a.view.as_deref().unwrap(), &warn);
        assert_eq!(a.len(), 200 / 7 + 1 + 1 + 11);

        // With a search filter: only the re-read and new records are searched, and the rows
        // found extend the view.
        let spec = QuerySpec { grep: vec!["entry (19|2)".into()], ..QuerySpec::default() };
        let mut a = app(&[p.to_str().unwrap()], spec);
        let (tx, rx) = std::sync::mpsc::channel();
        a.tx = Some(tx);
        a.refilter();
        serve(&mut a, &rx);
        assert!(!a.filtering && !a.view.as_deref().unwrap().is_empty());
        let more: String = (260..300).map(|n| line(n, "INFO")).collect();
        let old = std::fs::read_to_string(&p).unwrap();
        std::fs::write(&p, format!("{old}{more}")).unwrap();
        a.poll_growth();
        let asked = serve(&mut a, &rx);
        let n = a.recs.len() as u32;
        assert_eq!(asked, [(Some((n - 41..n).collect()), true)], "an appending filter over the new records only");
        assert!(!a.filtering);
        // The same rows as the filter over the whole grown file.
        let mut b = app(&[p.to_str().unwrap()], a.spec.clone());
        let (tx, rx) = std::sync::mpsc::channel();
        b.tx = Some(tx);
        b.refilter();
        serve(&mut b, &rx);
        assert_eq!(a.view, b.view);
        assert!(a.view.as_deref().unwrap().iter().any(|&p| p >= n - 40), "rows among the new records");
    }

    #[test]
    fn main_screen() {
        let mut a = app(&["fixtures/cells"], QuerySpec::default());
        insta::assert_snapshot!("main_80x24", screen(&mut a, 80, 24));
        insta::assert_snapshot!("main_160x40", screen(&mut a, 160, 40));
    }

    #[test]
    fn filtered_by_level_and_day() {
        let spec = QuerySpec { level: Some("warn".into()), day: Some("2026-11-20".into()), ..QuerySpec::default() };
        let mut a = app(&["fixtures/app.log"], spec);
        insta::assert_snapshot!("level_day_160x40", screen(&mut a, 160, 40));
        insta::assert_snapshot!("level_day_80x24", screen(&mut a, 80, 24));
    }

    #[test]
    fn detail_view() {
        let mut a = app(&["fixtures/app.log"], QuerySpec { level: Some("error".into()), ..QuerySpec::default() });
        // The first error with a stack trace.
        while a.shown(a.selected).is_some_and(|s| !s.msg.contains('\n')) {
            key(&mut a, KeyCode::Down);
        }
        key(&mut a, KeyCode::Enter);
        assert!(matches!(a.mode, Mode::Detail { .. }));
        insta::assert_snapshot!("detail_160x40", screen(&mut a, 160, 40));
        insta::assert_snapshot!("detail_80x24", screen(&mut a, 80, 24));
    }

    #[test]
    fn help_and_pickers() {
        let mut a = app(&["fixtures/directus.json"], QuerySpec::default());
        key(&mut a, KeyCode::Char('?'));
        insta::assert_snapshot!("help_160x40", screen(&mut a, 160, 40));
        key(&mut a, KeyCode::Esc);
        key(&mut a, KeyCode::Char('L'));
        insta::assert_snapshot!("levels_80x24", screen(&mut a, 80, 24));
        key(&mut a, KeyCode::Esc);
        key(&mut a, KeyCode::Char('c'));
        insta::assert_snapshot!("columns_80x24", screen(&mut a, 80, 24));
    }

    #[test]
    fn histogram_focus_and_query_line() {
        let mut a = app(&["fixtures/app.logfmt"], QuerySpec::default());
        key(&mut a, KeyCode::Char('H'));
        for _ in 0..10 {
            key(&mut a, KeyCode::Right);
        }
        insta::assert_snapshot!("histogram_120x30", screen(&mut a, 120, 30));
        key(&mut a, KeyCode::Esc);
        key(&mut a, KeyCode::Char(':'));
        for c in "--user alice --level info".chars() {
            key(&mut a, KeyCode::Char(c));
        }
        insta::assert_snapshot!("query_line_120x30", screen(&mut a, 120, 30));
        key(&mut a, KeyCode::Enter);
        assert_eq!(a.spec.users, ["alice"]);
        insta::assert_snapshot!("query_applied_120x30", screen(&mut a, 120, 30));
    }

    #[test]
    fn nothing_matches() {
        let mut a = app(&["fixtures/syslog"], QuerySpec { users: vec!["nobody".into()], ..QuerySpec::default() });
        // The user filter runs in the worker; without one here, apply it directly.
        let q = a.query.clone();
        let v: Vec<u32> = (0..a.recs.len() as u32)
            .filter(|&i| {
                let rec = a.recs[i as usize];
                super::data::with_entry(&mut a.srcs[rec.file()], &rec, |e| q.matches(e)).unwrap_or(false)
            })
            .collect();
        a.on_reply(super::worker::Reply::Filtered {
            gen: a.filter_gen,
            positions: v,
            hits: false,
            first: true,
            done: true,
        });
        insta::assert_snapshot!("empty_80x24", screen(&mut a, 80, 24));
    }

    #[test]
    fn equivalent_command_line() {
        let mut a = app(&["fixtures/cells"], QuerySpec { level: Some("warn".into()), ..QuerySpec::default() });
        a.search = Some("slow query".into());
        a.only_matches = true;
        assert_eq!(a.command_line("cat"), "logx cat --level warn -e 'slow query' fixtures/cells");
        assert_eq!(a.command_line("export"), "logx export --csv --level warn -e 'slow query' fixtures/cells");
    }
}
