//! The TUI over a ClickHouse table: a window of rows fetched a page at a time (keyset
//! pagination on the table's order: time, file, offset), never the whole table.
//!
//! The window's rows are written to small temporary files, one per file shipped into the
//! table, and shown through the same index, filters and screens as local files: the query is
//! pushed down for the pages (a superset of its entries) and checked again on the window, so
//! what shows is what the local engine keeps. Moving near an edge of the window fetches the
//! next page on that side (the far side is let go past [`WINDOW`] rows); jumps (start, end, a
//! time, the next search hit past the window) fetch a new window around their place. Counts
//! and the histogram are the server's (`count()`, `GROUP BY` time buckets).

use std::collections::HashMap;
use std::io::Write;
use std::sync::{Arc, Mutex};

use logx::clickhouse::{self, Client, Density, PageFrom, PageRow, RowKey};
use logx::engine::{choose_format, EngineConfig};
use logx::format::Parser;
use logx::source::MappedFile;
use logx::time::Resolver;

use super::data::Source;

/// Rows fetched at a time.
pub const PAGE: usize = 300;
/// Rows held at most: past it, the far side of the window is let go.
pub const WINDOW: usize = 1500;

/// Where a new window is placed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Anchor {
    /// The first rows.
    Start,
    /// The last rows.
    End,
    /// Around a row (or a time: a key with an empty source), which is selected.
    At(RowKey),
}

/// What to fetch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fetch {
    /// A new window.
    Fresh(Anchor),
    /// The next page after the window.
    Down,
    /// The page before the window.
    Up,
    /// A new window around the first row past `from` that `conds` keep (a search hit).
    Find {
        /// The conditions (the window's and the search's).
        conds: Vec<String>,
        /// Where to look from.
        from: PageFrom,
    },
}

/// The row to select once a window is shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Select {
    /// The first row.
    First,
    /// The last row.
    Last,
    /// This row, or the first after it.
    Key(RowKey),
}

/// A window of rows, ready to show.
pub struct Window {
    /// The rows, in the table's order.
    pub rows: Vec<PageRow>,
    /// Where each row is in the files shown: (file, offset).
    pub at: Vec<(usize, u64)>,
    /// The files.
    pub srcs: Vec<Source>,
    /// Whether the table has rows before and after the window.
    pub more_before: bool,
    /// (see `more_before`)
    pub more_after: bool,
    /// Where the window is among the query's rows.
    pub place: Place,
    /// What to select.
    pub select: Select,
    /// Where the query's rows lie in time.
    pub density: Option<Density>,
}

/// Where a window is among the query's rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// This many rows come before it.
    Before(u64),
    /// This many rows come after it.
    After(u64),
    /// Not counted yet.
    Unknown,
}

/// The table and the window on it.
pub struct Remote {
    /// The connection.
    pub client: Client,
    /// The table as shown.
    pub display: String,
    /// The pushed-down conditions of the window (a superset of the query's entries).
    pub conds: Vec<String>,
    /// Whether they are the whole query (else counts are of a superset).
    pub exact: bool,
    /// Bumped with the conditions (counts and histograms are of one generation).
    pub conds_gen: u64,
    /// Rows of the conditions, counted on the server (None: not yet).
    pub total: Option<u64>,
    /// Where they lie in time.
    pub density: Option<Density>,
    /// The window's rows.
    pub rows: Vec<PageRow>,
    /// Where each is shown.
    pub at: Vec<(usize, u64)>,
    /// Whether there is more before or after the window.
    pub more_before: bool,
    /// (see `more_before`)
    pub more_after: bool,
    /// Where the window is among them.
    pub place: Place,
    /// A fetch is under way.
    pub loading: bool,
    /// The last fetch asked for (older answers are dropped).
    pub gen: u64,
    /// The parser of each file shipped (its format detected once from its first entries).
    pub parsers: Arc<Mutex<HashMap<String, Parser>>>,
}

impl Remote {
    /// Opens a table with a query's conditions; the first window is fetched by the caller.
    pub fn open(url: &str, cfg: &EngineConfig, query: &logx::query::Query) -> Result<Remote, String> {
        let target = clickhouse::Target::parse(url)?;
        let display = target.display();
        let client = Client::new(target, &cfg.clickhouse_auth, std::time::Duration::from_secs(600))?;
        let (conds, exact) = clickhouse::pushdown(query);
        Ok(Remote {
            client,
            display,
            conds,
            exact,
            conds_gen: 0,
            total: None,
            density: None,
            rows: Vec::new(),
            at: Vec::new(),
            more_before: false,
            more_after: false,
            place: Place::Unknown,
            loading: false,
            gen: 0,
            parsers: Arc::default(),
        })
    }

    /// The key of a shown entry (file, offset), if it is one of the window's rows.
    pub fn key_at(&self, file: usize, offset: u64) -> Option<&RowKey> {
        self.at.iter().position(|&p| p == (file, offset)).map(|i| &self.rows[i].key)
    }

    /// The place (file, offset) of the window's first row at or after a key.
    pub fn place_of(&self, key: &RowKey) -> Option<(usize, u64)> {
        let i = self.rows.partition_point(|r| r.key < *key);
        self.at.get(i.min(self.at.len().saturating_sub(1))).copied()
    }

    /// Takes a window.
    pub fn take(&mut self, w: &mut Window) {
        self.rows = std::mem::take(&mut w.rows);
        self.at = std::mem::take(&mut w.at);
        self.more_before = w.more_before;
        self.more_after = w.more_after;
        self.place = w.place;
        self.density = w.density;
        self.loading = false;
    }

    /// The work of a fetch, to run on another thread: what it needs, taken now.
    pub fn job(&mut self, fetch: Fetch, select: Select, new_conds: bool, cfg: &EngineConfig) -> Job {
        self.gen += 1;
        self.loading = true;
        let rows = if matches!(fetch, Fetch::Down | Fetch::Up) { self.rows.clone() } else { Vec::new() };
        Job {
            client: self.client.clone(),
            conds: self.conds.clone(),
            fetch,
            select,
            rows,
            more_before: self.more_before,
            more_after: self.more_after,
            place: self.place,
            density: if new_conds { None } else { self.density },
            parsers: self.parsers.clone(),
            cfg: cfg.clone(),
        }
    }
}

/// A fetch, run away from the screen.
pub struct Job {
    client: Client,
    conds: Vec<String>,
    fetch: Fetch,
    select: Select,
    rows: Vec<PageRow>,
    more_before: bool,
    more_after: bool,
    place: Place,
    density: Option<Density>,
    parsers: Arc<Mutex<HashMap<String, Parser>>>,
    cfg: EngineConfig,
}

impl Job {
    /// Fetches and builds the window.
    pub fn run(self) -> Result<Window, String> {
        let c = &self.client;
        let show = |e: clickhouse::ChError| format!("clickhouse {}: {e}", c.target.display());
        let conds = &self.conds;
        let density = match self.density {
            Some(d) => Some(d),
            None => clickhouse::density(c, conds).map_err(show)?,
        };
        let mut fetch = self.fetch;
        let mut select = self.select;
        let mut rows = self.rows;
        let (mut more_before, mut more_after, mut place) = (self.more_before, self.more_after, self.place);
        let Some(d) = density else {
            // Nothing in the table for this query.
            return Ok(Window {
                rows: Vec::new(),
                at: Vec::new(),
                srcs: Vec::new(),
                more_before: false,
                more_after: false,
                place: Place::Before(0),
                select,
                density,
            });
        };
        if let Fetch::Find { conds: find, from } = &fetch {
            let hit = clickhouse::page(c, find, from, 1, &d).map_err(show)?;
            let Some(k) = hit.into_iter().next().map(|r| r.key) else {
                return Err("no match further in the table".into());
            };
            select = Select::Key(k.clone());
            fetch = Fetch::Fresh(Anchor::At(k));
        }
        match (&fetch, rows.first().cloned(), rows.last().cloned()) {
            (Fetch::Down, Some(_), Some(last)) => {
                let new = clickhouse::page(c, conds, &PageFrom::After(last.key), PAGE, &d).map_err(show)?;
                more_after = new.len() == PAGE;
                if let Place::After(a) = place {
                    place = Place::After(a.saturating_sub(new.len() as u64));
                }
                rows.extend(new);
                if rows.len() > WINDOW {
                    let cut = rows.len() - WINDOW;
                    rows.drain(..cut);
                    if let Place::Before(b) = place {
                        place = Place::Before(b + cut as u64);
                    }
                    more_before = true;
                }
            }
            (Fetch::Up, Some(first), Some(_)) => {
                let mut new = clickhouse::page(c, conds, &PageFrom::Before(first.key), PAGE, &d).map_err(show)?;
                more_before = new.len() == PAGE;
                if let Place::Before(b) = place {
                    place = Place::Before(b.saturating_sub(new.len() as u64));
                }
                new.extend(rows);
                rows = new;
                if rows.len() > WINDOW {
                    let cut = rows.len() - WINDOW;
                    rows.truncate(WINDOW);
                    if let Place::After(a) = place {
                        place = Place::After(a + cut as u64);
                    }
                    more_after = true;
                }
            }
            (Fetch::Fresh(Anchor::Start) | Fetch::Find { .. }, ..) | (Fetch::Down | Fetch::Up, ..) => {
                rows = clickhouse::page(c, conds, &PageFrom::Start, PAGE, &d).map_err(show)?;
                (more_before, more_after, place) = (false, rows.len() == PAGE, Place::Before(0));
            }
            (Fetch::Fresh(Anchor::End), ..) => {
                rows = clickhouse::page(c, conds, &PageFrom::End, PAGE, &d).map_err(show)?;
                (more_before, more_after, place) = (rows.len() == PAGE, false, Place::After(0));
            }
            (Fetch::Fresh(Anchor::At(k)), ..) => {
                let half = PAGE / 2;
                rows = clickhouse::page(c, conds, &PageFrom::Before(k.clone()), half, &d).map_err(show)?;
                more_before = rows.len() == half;
                let after = clickhouse::page(c, conds, &PageFrom::From(k.clone()), PAGE, &d).map_err(show)?;
                more_after = after.len() == PAGE;
                rows.extend(after);
                // (counted apart: a count over the whole table is slower than a page)
                place = match (more_before, more_after) {
                    (false, _) => Place::Before(0),
                    (_, false) => Place::After(0),
                    _ => Place::Unknown,
                };
            }
        }
        let (srcs, at) =
            self::spool(&rows, &self.parsers, c, &self.cfg).map_err(|e| format!("{}: {e}", c.target.display()))?;
        Ok(Window { rows, at, srcs, more_before, more_after, place, select, density })
    }
}

/// Where each row of a window is shown: (file, offset).
type Places = Vec<(usize, u64)>;

/// Writes the rows of each file shipped to a temporary file of its own (in file order, so the
/// index reads them as it reads the file) and opens them as sources.
fn spool(
    rows: &[PageRow],
    parsers: &Mutex<HashMap<String, Parser>>,
    c: &Client,
    cfg: &EngineConfig,
) -> Result<(Vec<Source>, Places), String> {
    let mut files: Vec<&str> = Vec::new();
    let mut of_file: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, r) in rows.iter().enumerate() {
        of_file
            .entry(r.key.source.as_str())
            .or_insert_with(|| {
                files.push(r.key.source.as_str());
                Vec::new()
            })
            .push(i);
    }
    let mut at = vec![(0usize, 0u64); rows.len()];
    let mut srcs = Vec::with_capacity(files.len());
    for (f, source) in files.iter().enumerate() {
        let mut idx = of_file.remove(source).unwrap_or_default();
        idx.sort_by_key(|&i| rows[i].key.offset);
        let parser = {
            let known = parsers.lock().map_err(|_| "a fetch failed before".to_string())?.get(*source).cloned();
            match known {
                Some(p) => p,
                None => {
                    let head = clickhouse::head(c, source).map_err(|e| e.to_string())?;
                    let (format, _) = choose_format(cfg, &head).unwrap_or((logx::format::Format::Raw, 0.0));
                    let mut p = Parser::new(format, Resolver::new(cfg.zone.clone(), logx::source::now_secs()));
                    p.fallback = cfg.forced_format.is_none() && cfg.custom.is_none();
                    if let Ok(mut m) = parsers.lock() {
                        m.insert(source.to_string(), p.clone());
                    }
                    p
                }
            }
        };
        let mut tmp = tempfile::Builder::new().prefix("logx-page-").tempfile().map_err(|e| e.to_string())?;
        let mut off = 0u64;
        {
            let mut w = std::io::BufWriter::new(tmp.as_file_mut());
            for &i in &idx {
                at[i] = (f, off);
                let raw = rows[i].raw.as_bytes();
                w.write_all(raw).and_then(|()| w.write_all(b"\n")).map_err(|e| e.to_string())?;
                off += raw.len() as u64 + 1;
            }
            w.flush().map_err(|e| e.to_string())?;
        }
        let path = tmp.into_temp_path();
        let map = MappedFile::open_path(&path).map_err(|e| e.to_string())?;
        srcs.push(Source {
            display: rows[idx[0]].path.clone(),
            path: path.to_path_buf(),
            map: Arc::new(map),
            parser,
            live: false,
            _spool: Some(Arc::new(path)),
        });
    }
    Ok((srcs, at))
}

use super::app::App;
use super::worker::Reply;

impl App {
    /// Fetches rows of the table on another thread (at once without a worker).
    pub fn remote_fetch(&mut self, fetch: Fetch, select: Select, new_conds: bool) {
        let cfg = self.cfg.clone();
        let Some(r) = self.remote.as_mut() else { return };
        let job = r.job(fetch, select, new_conds, &cfg);
        let gen = r.gen;
        self.remote_offset = self.selected.saturating_sub(self.top);
        match self.tx.clone() {
            // Handed to the worker when fetched, so it lands after the index replies of the
            // window before it (the worker answers in order).
            Some(tx) => {
                std::thread::spawn(move || {
                    let window = job.run().map(Box::new);
                    let _ = tx.send(super::worker::Request::Job(Box::new(move |rtx| {
                        let _ = rtx.send(Reply::Window { gen, window });
                    })));
                });
            }
            None => self.on_window(gen, job.run().map(Box::new)),
        }
    }

    /// A window arrived: it replaces the files shown, and is indexed and filtered as files are.
    pub fn on_window(&mut self, gen: u64, window: Result<Box<Window>, String>) {
        let Some(r) = self.remote.as_mut() else { return };
        if gen != r.gen {
            return;
        }
        match window {
            Err(e) => {
                r.loading = false;
                self.remote_select = None;
                self.say(e);
            }
            Ok(mut w) => {
                r.take(&mut w);
                // Where the window is, counted apart (a count over the table is slower than
                // a page).
                if let (Place::Unknown, Some(first), Some(tx)) = (r.place, r.rows.first(), self.reply_tx.clone()) {
                    let (c, conds, k) = (r.client.clone(), r.conds.clone(), first.key.clone());
                    std::thread::spawn(move || {
                        if let Ok(n) = clickhouse::count_before(&c, &conds, &k) {
                            let _ = tx.send(Reply::Before { gen, n });
                        }
                    });
                }
                self.srcs = std::mem::take(&mut w.srcs);
                self.names = Arc::new(self.srcs.iter().map(|s| s.display.clone()).collect());
                self.start_index();
                // Marks are places in the files of a window: they go with it.
                self.marks.clear();
                self.hits = None;
                self.remote_select = Some(w.select);
                self.reload();
            }
        }
    }

    /// The table's rows of the query changed: a new window around the selected entry.
    /// Returns whether it did (else the window is filtered here, as files are).
    pub fn refetch(&mut self) -> bool {
        if self.remote.is_none() {
            return false;
        }
        let (conds, exact) = logx::clickhouse::pushdown(&self.query);
        let here = self.remote_key(self.selected);
        let Some(r) = self.remote.as_mut() else { return false };
        if conds == r.conds {
            return false;
        }
        r.conds = conds;
        r.exact = exact;
        self.recount();
        match here {
            Some(k) => self.remote_fetch(Fetch::Fresh(Anchor::At(k.clone())), Select::Key(k), true),
            None => self.remote_fetch(Fetch::Fresh(Anchor::Start), Select::First, true),
        }
        true
    }

    /// The query's rows are counted again, on the server, on another thread.
    pub fn recount(&mut self) {
        let Some(r) = self.remote.as_mut() else { return };
        r.conds_gen += 1;
        r.total = None;
        let Some(tx) = self.reply_tx.clone() else { return };
        let (c, conds, gen) = (r.client.clone(), r.conds.clone(), r.conds_gen);
        std::thread::spawn(move || {
            let n = clickhouse::count(&c, &conds).map_err(|e| format!("clickhouse: {e}"));
            let _ = tx.send(Reply::Count { gen, n });
        });
    }

    /// The table's first window, fetched before the screen opens (an error is the caller's);
    /// the count follows.
    pub fn remote_open(&mut self) -> Result<(), String> {
        let cfg = self.cfg.clone();
        let Some(r) = self.remote.as_mut() else { return Ok(()) };
        let job = r.job(Fetch::Fresh(Anchor::Start), Select::First, true, &cfg);
        let gen = r.gen;
        let w = job.run()?;
        self.on_window(gen, Ok(Box::new(w)));
        self.recount();
        Ok(())
    }

    /// Says that a view covers the window of a table only.
    pub fn say_window_only(&mut self, what: &str) {
        if let Some(r) = &self.remote {
            let n = r.rows.len();
            let cmd = if what == "request groups" { "logx audit" } else { "logx stats/patterns" };
            self.say(format!("{what} of the {n} rows fetched from the table ({cmd} URL for all of them)"));
        }
    }

    /// The table's key of a view row.
    pub fn remote_key(&self, row: usize) -> Option<RowKey> {
        let rec = self.rec(row)?;
        self.remote.as_ref()?.key_at(rec.file(), rec.offset()).cloned()
    }

    /// Goes to the first entry at or after a time: in the window when it holds that time,
    /// else in a new window there.
    pub fn goto_time(&mut self, t: i64) {
        if let Some(r) = &self.remote {
            let inside = match (r.rows.first(), r.rows.last()) {
                (Some(a), Some(z)) => (a.key.time_ns <= t || !r.more_before) && (t <= z.key.time_ns || !r.more_after),
                _ => false,
            };
            if !inside {
                let k = RowKey { time_ns: t, source: String::new(), offset: 0 };
                self.remote_fetch(Fetch::Fresh(Anchor::At(k.clone())), Select::Key(k), false);
                return;
            }
        }
        let r = self.row_at_or_after(t);
        self.select(r);
    }

    /// Once a window is indexed and filtered: the entry asked for is selected, where the
    /// selection was on the screen; then the edges are checked again (a filter that keeps
    /// few of a window's rows fetches on).
    pub fn settle_remote(&mut self) {
        let ready = self.indexed && !self.filtering && self.remote.as_ref().is_some_and(|r| !r.loading);
        if !ready {
            return;
        }
        let Some(sel) = self.remote_select.take() else { return };
        let n = self.len();
        let row = match sel {
            Select::First => 0,
            Select::Last => n.saturating_sub(1),
            Select::Key(k) => {
                let place = self.remote.as_ref().and_then(|r| r.place_of(&k));
                let pos = place.and_then(|(f, off)| self.recs.iter().position(|r| r.file() == f && r.offset() == off));
                match (pos, &self.view) {
                    (None, _) => self.row_at_or_after(k.time_ns),
                    (Some(p), Some(v)) => v.partition_point(|&x| (x as usize) < p),
                    (Some(p), None) => p,
                }
            }
        };
        self.selected = row.min(n.saturating_sub(1));
        self.top = self.selected.saturating_sub(self.remote_offset);
        self.clamp();
        self.remote_edges();
    }

    /// Near an edge of the window with more of the table beyond it: the next page there.
    pub fn remote_edges(&mut self) {
        let Some(r) = &self.remote else { return };
        if r.loading || !self.indexed || self.filtering || self.remote_select.is_some() {
            return;
        }
        let (after, before) = (r.more_after, r.more_before);
        let n = self.len();
        let margin = self.page.max(10);
        let here = self.remote_key(self.selected);
        if after && self.selected + margin >= n {
            self.remote_fetch(Fetch::Down, here.map_or(Select::Last, Select::Key), false);
        } else if before && self.selected < margin {
            self.remote_fetch(Fetch::Up, here.map_or(Select::First, Select::Key), false);
        }
    }

    /// The next (or previous) search hit past the window: found on the server, then a window
    /// around it. Returns whether the table was asked.
    pub fn remote_next_hit(&mut self, forward: bool) -> bool {
        let Some(q) = self.search_query.clone() else { return false };
        let Some(r) = &self.remote else { return false };
        if !(if forward { r.more_after } else { r.more_before }) {
            return false;
        }
        let (Some(first), Some(last)) = (r.rows.first(), r.rows.last()) else { return false };
        let from = if forward { PageFrom::After(last.key.clone()) } else { PageFrom::Before(first.key.clone()) };
        let mut conds = r.conds.clone();
        conds.extend(logx::clickhouse::pushdown(&q).0);
        self.say("searching the table…");
        self.remote_fetch(Fetch::Find { conds, from }, Select::First, false);
        true
    }
}

impl App {
    /// The histogram of a table: counted on the server (`GROUP BY` buckets) on another thread;
    /// the last counts meanwhile.
    pub fn remote_hist_counts(&mut self, geom: (i64, i64, usize)) -> Option<(Arc<Vec<[u64; 7]>>, bool)> {
        let r = self.remote.as_ref()?;
        let key = super::app::HistKey { recs_gen: r.conds_gen, view: None, geom };
        if let Some((k, c)) = &self.hist {
            if *k == key {
                return Some((c.clone(), true));
            }
        }
        if self.hist_pending.as_ref() != Some(&key) {
            if let Some(tx) = self.reply_tx.clone() {
                let (c, conds) = (r.client.clone(), r.conds.clone());
                self.hist_pending = Some(key.clone());
                std::thread::spawn(move || {
                    let (a, width, n) = key.geom;
                    if let Ok(counts) = clickhouse::histogram(&c, &conds, a, width, n) {
                        let _ = tx.send(Reply::Histogram(key, counts));
                    }
                });
            }
        }
        self.hist.as_ref().filter(|(k, _)| k.geom.2 == geom.2).map(|(_, c)| (c.clone(), false))
    }

    /// The values of a well-known field over a table: counted on the server. Returns whether
    /// it was asked (other fields are counted over the window).
    pub fn remote_values(&mut self, field: &str) -> bool {
        let Some(r) = &self.remote else { return false };
        let Some(tx) = self.reply_tx.clone() else { return false };
        if logx::entry::WellKnown::from_key(field).is_none() {
            return false;
        }
        let (c, conds, gen, f) = (r.client.clone(), r.conds.clone(), self.values_gen, field.to_string());
        std::thread::spawn(move || match clickhouse::top_values(&c, &conds, &f) {
            Some(Ok(counts)) => {
                let _ = tx.send(Reply::Values { gen, field: f, counts });
            }
            Some(Err(e)) => {
                let _ = tx.send(Reply::Say(format!("clickhouse: {e}")));
            }
            None => {}
        });
        true
    }
}
