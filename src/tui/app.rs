//! The TUI's state and what keys and mouse do to it. Rendering reads this state and does not
//! change it (see `view`). Long work goes to the worker; answers carry generations.

use std::collections::BTreeSet;
use std::sync::mpsc::Sender;
use std::sync::Arc;
use std::time::Instant;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};

use logx::engine::EngineConfig;
use logx::entry::{Level, WellKnown, LEVELS};
use logx::index::entries::Rec;
use logx::query::{Query, QuerySpec};
use logx::time::Zone;

use super::data::{Cache, Shown, Source};
use super::remote::{Anchor, Fetch, Remote, Select};
use super::worker::{FileRef, Reply, Request};

/// What has the keyboard.
#[derive(Clone, Debug, PartialEq)]
pub enum Mode {
    /// The table.
    Table,
    /// The detail of the selected entry; `field` is the field cursor, `scroll` the offset.
    Detail {
        /// Selected field.
        field: usize,
        /// Scroll offset.
        scroll: u16,
    },
    /// The help overlay.
    Help,
    /// Typing a search.
    Search(String),
    /// Typing filters in the command line's syntax.
    Query(String),
    /// Typing a time to go to.
    Goto(String),
    /// Choosing values of a field (`host`, `service`, `user`).
    Picker {
        /// The field.
        field: String,
        /// Cursor.
        cursor: usize,
    },
    /// Choosing levels.
    Levels {
        /// Cursor.
        cursor: usize,
    },
    /// The export dialog: `FORMAT PATH`.
    Export(String),
    /// The histogram has the keyboard.
    Histogram,
    /// Choosing columns.
    Columns {
        /// Cursor.
        cursor: usize,
    },
    /// Message templates.
    Patterns {
        /// Cursor.
        cursor: usize,
    },
    /// The request groups (audit view).
    Audit {
        /// Cursor.
        cursor: usize,
        /// Sort: time, duration, size, level.
        sort: &'static str,
    },
}

/// A table column.
#[derive(Clone, Debug, PartialEq)]
pub enum Col {
    /// Time.
    Time,
    /// Level.
    Level,
    /// Host, or the source when there is none.
    Host,
    /// Service.
    Service,
    /// User.
    User,
    /// IP.
    Ip,
    /// Request id.
    RequestId,
    /// Offset from the start of the request group shown as a timeline.
    Offset,
    /// A field chosen from the entries.
    Field(String),
    /// The message (always last).
    Msg,
}

impl Col {
    /// A column by the name the configuration uses (`time`, `level`, `host`, `service`, `user`,
    /// `ip`, `request_id`, `msg`, or any field path).
    pub fn from_name(name: &str) -> Col {
        match name {
            "time" | "ts" | "timestamp" => Col::Time,
            "level" => Col::Level,
            "host" | "instance" | "source" => Col::Host,
            "service" => Col::Service,
            "user" => Col::User,
            "ip" => Col::Ip,
            "request_id" | "request" => Col::RequestId,
            "msg" | "message" => Col::Msg,
            other => Col::Field(other.strip_prefix("fields.").unwrap_or(other).to_string()),
        }
    }

    /// Columns from names; the message column goes last, duplicates are dropped.
    pub fn from_names(names: &[String]) -> Vec<Col> {
        let mut cols: Vec<Col> = Vec::new();
        for n in names {
            let c = Col::from_name(n);
            if c != Col::Msg && !cols.contains(&c) {
                cols.push(c);
            }
        }
        cols.push(Col::Msg);
        cols
    }

    /// Header text.
    pub fn title(&self) -> String {
        match self {
            Col::Time => "Time".into(),
            Col::Level => "Level".into(),
            Col::Host => "Host".into(),
            Col::Service => "Service".into(),
            Col::User => "User".into(),
            Col::Ip => "IP".into(),
            Col::RequestId => "Request".into(),
            Col::Offset => "Offset".into(),
            Col::Field(f) => f.clone(),
            Col::Msg => "Message".into(),
        }
    }
}

/// What a histogram counts: the records (their generation: they grow in place while a file is
/// indexed) and view it was counted over (a weak reference, so that a key keeps no view alive
/// and no address is reused while it exists, and its length) and the buckets.
#[derive(Clone, Debug)]
pub struct HistKey {
    pub(crate) recs_gen: u64,
    pub(crate) view: Option<(std::sync::Weak<Vec<u32>>, usize)>,
    /// First bucket start, bucket width (ns), number of buckets.
    pub geom: (i64, i64, usize),
}

impl PartialEq for HistKey {
    fn eq(&self, o: &HistKey) -> bool {
        let view_eq = match (&self.view, &o.view) {
            (None, None) => true,
            (Some(a), Some(b)) => std::sync::Weak::ptr_eq(&a.0, &b.0) && a.1 == b.1,
            _ => false,
        };
        self.recs_gen == o.recs_gen && view_eq && self.geom == o.geom
    }
}

/// A histogram to count in the background.
pub struct HistJob {
    pub key: HistKey,
    pub recs: Arc<Vec<Rec>>,
    pub view: Option<Arc<Vec<u32>>>,
}

impl HistJob {
    /// Entries per bucket and level (index 6: no level) of the view.
    pub fn count(&self) -> Vec<[u64; 7]> {
        let (a, width, w) = self.key.geom;
        let mut counts = vec![[0u64; 7]; w.max(1)];
        let mut add = |r: &Rec| {
            if r.ts().is_some() {
                let b = ((r.key().saturating_sub(a).max(0) / width) as usize).min(counts.len() - 1);
                counts[b][r.level_index()] += 1;
            }
        };
        match &self.view {
            Some(v) => v.iter().filter_map(|&p| self.recs.get(p as usize)).for_each(&mut add),
            None => self.recs.iter().for_each(&mut add),
        }
        counts
    }
}

/// The TUI's state.
pub struct App {
    /// The files.
    pub srcs: Vec<Source>,
    /// Source names (for JSON and headers).
    pub names: Arc<Vec<String>>,
    /// Every entry, chronological.
    pub recs: Arc<Vec<Rec>>,
    /// Changes with every change of `recs`.
    pub recs_gen: u64,
    /// The newest filter and search generations, read by the worker to stop older ones.
    filter_latest: Arc<std::sync::atomic::AtomicU64>,
    hits_latest: Arc<std::sync::atomic::AtomicU64>,
    /// While a filter's rows come: the sort time of the entry selected before it, and the
    /// row the selection was put on at the last round (None: not yet).
    filter_keep: Option<(i64, Option<usize>)>,
    /// Records that continue the index, waiting until no one else holds `recs` (a background
    /// job that reads it) to be appended in place: the index is never copied while it grows.
    pending: Vec<Vec<Rec>>,
    /// Room to make for the whole index when the first records are appended.
    pending_reserve: usize,
    /// Whether the pending records end the index.
    pending_done: bool,
    /// The entries shown (positions into `recs`); None: all.
    pub view: Option<Arc<Vec<u32>>>,
    /// Whether indexing is complete.
    pub indexed: bool,
    /// Index progress (bytes done, total).
    pub index_progress: (u64, u64),
    /// The filters as written.
    pub spec: QuerySpec,
    /// The compiled filters of the view (without the search when it only highlights).
    pub query: Arc<Query>,
    /// Earlier filter states, for undo.
    pub undo: Vec<QuerySpec>,
    /// The search pattern (highlighted), and whether the view shows only matches.
    pub search: Option<String>,
    /// Search as a query, for highlights.
    pub search_query: Option<Arc<Query>>,
    /// Positions of search hits in `recs`, sorted.
    pub hits: Option<Arc<Vec<u32>>>,
    /// Show only matches (else highlight).
    pub only_matches: bool,
    /// Selected row (index into the view).
    pub selected: usize,
    /// First row shown.
    pub top: usize,
    /// Rows visible in the table (set by the view).
    pub page: usize,
    /// Follow new entries.
    pub follow: bool,
    /// Show the histogram.
    pub histogram: bool,
    /// Histogram cursor (bucket).
    pub hist_cursor: usize,
    /// Wrap long messages.
    pub wrap: bool,
    /// Horizontal scroll of the message column.
    pub hscroll: usize,
    /// Columns.
    pub columns: Vec<Col>,
    /// Marked entries (by record key and offset).
    pub marks: BTreeSet<(usize, u64)>,
    /// Keyboard mode.
    pub mode: Mode,
    /// Footer message.
    pub message: Option<(String, Instant)>,
    /// Parsed entries.
    pub cache: Cache,
    /// Display zone.
    pub zone: Zone,
    /// Engine settings (for exports).
    pub cfg: EngineConfig,
    /// The paths given (for the equivalent command line).
    pub paths: Vec<String>,
    /// Requests to the worker.
    pub tx: Option<Sender<Request>>,
    /// Generation of the newest view filter request.
    pub filter_gen: u64,
    /// Generation of the newest search-hits request.
    pub hits_gen: u64,
    /// Generation of the newest value-count request.
    pub values_gen: u64,
    /// A filter is being computed.
    pub filtering: bool,
    /// Generation of the newest audit request.
    pub audit_gen: u64,
    /// Request groups (None: being computed) and entries without a request id.
    pub audit: Option<logx::audit::Finished>,
    /// The request group shown as a timeline: its key and first time.
    pub timeline: Option<(String, i64)>,
    /// Generation of the newest patterns request.
    pub patterns_gen: u64,
    /// Message templates (None: not mined yet), and whether a mining is under way.
    pub patterns: Option<Arc<logx::patterns::Table>>,
    /// Mining under way.
    pub mining: bool,
    /// Where the audit view was left (cursor, sort).
    pub audit_cursor: usize,
    /// The audit view's sort.
    pub audit_sort: &'static str,
    /// Values of the picker's field.
    pub values: Vec<(String, u64)>,
    /// An export is running: rows so far.
    pub exporting: Option<u64>,
    /// Ask to quit.
    pub quit: bool,
    /// Colours on.
    pub color: bool,
    /// Colours for a light background.
    pub light: bool,
    /// Text to copy to the clipboard (OSC 52) after the next frame.
    pub clipboard: Option<String>,
    /// Histogram geometry of the last frame: area x, y, width, bucket start, bucket width.
    pub hist_geom: Option<(u16, u16, u16, i64, i64)>,
    /// The last histogram counted, and what it counted.
    pub hist: Option<(HistKey, Arc<Vec<[u64; 7]>>)>,
    /// The histogram being counted in the background.
    pub hist_pending: Option<HistKey>,
    /// Where histograms are counted (None: on the spot, as in snapshot tests).
    pub hist_tx: Option<Sender<HistJob>>,
    /// Table geometry of the last frame: area y of the first row.
    pub table_y: u16,
    /// Last click (row, time), for double clicks.
    pub last_click: Option<(usize, Instant)>,
    /// Sources that may grow, and the size seen last.
    pub now_ns: i64,
    /// A ClickHouse table shown a window at a time (None: local files).
    pub remote: Option<Remote>,
    /// The row to select once a window of the table is indexed and filtered.
    pub remote_select: Option<Select>,
    /// Where the selection was on the screen when the window was asked for.
    pub remote_offset: usize,
    /// Answers from threads other than the worker (a table's pages, counts).
    pub reply_tx: Option<Sender<Reply>>,
}

impl App {
    /// A new app over opened sources; `spec` holds the command line's filters.
    pub fn new(
        srcs: Vec<Source>,
        spec: QuerySpec,
        zone: Zone,
        cfg: EngineConfig,
        paths: Vec<String>,
        now_ns: i64,
    ) -> App {
        let names = Arc::new(srcs.iter().map(|s| s.display.clone()).collect());
        let color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        let query = Arc::new(Query::compile(&spec, &zone, now_ns).unwrap_or_default());
        App {
            srcs,
            names,
            recs: Arc::new(Vec::new()),
            recs_gen: 0,
            filter_latest: Arc::default(),
            hits_latest: Arc::default(),
            filter_keep: None,
            pending: Vec::new(),
            pending_reserve: 0,
            pending_done: false,
            view: None,
            hist: None,
            hist_pending: None,
            hist_tx: None,
            indexed: false,
            index_progress: (0, 0),
            spec,
            query,
            undo: Vec::new(),
            search: None,
            search_query: None,
            hits: None,
            only_matches: false,
            selected: 0,
            top: 0,
            page: 20,
            follow: false,
            histogram: true,
            hist_cursor: 0,
            wrap: false,
            hscroll: 0,
            columns: vec![Col::Time, Col::Level, Col::Host, Col::Service, Col::User, Col::Ip, Col::Msg],
            marks: BTreeSet::new(),
            mode: Mode::Table,
            message: None,
            cache: Cache::default(),
            zone,
            cfg,
            paths,
            tx: None,
            filter_gen: 0,
            hits_gen: 0,
            values_gen: 0,
            audit_gen: 0,
            audit: None,
            timeline: None,
            patterns_gen: 0,
            patterns: None,
            mining: false,
            audit_cursor: 0,
            audit_sort: "time",
            filtering: false,
            values: Vec::new(),
            exporting: None,
            quit: false,
            color,
            light: false,
            clipboard: None,
            hist_geom: None,
            table_y: 0,
            last_click: None,
            now_ns,
            remote: None,
            remote_select: None,
            remote_offset: 0,
            reply_tx: None,
        }
    }

    /// The files as the worker reads them.
    pub fn file_refs(&self) -> Vec<FileRef> {
        self.srcs.iter().map(|s| FileRef { map: s.map.clone(), parser: s.parser.clone() }).collect()
    }

    /// Number of rows in the view.
    pub fn len(&self) -> usize {
        match &self.view {
            Some(v) => v.len(),
            None => self.recs.len(),
        }
    }

    /// Whether the view is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The record position of a view row.
    pub fn pos(&self, row: usize) -> Option<usize> {
        match &self.view {
            Some(v) => v.get(row).map(|&p| p as usize),
            None => (row < self.recs.len()).then_some(row),
        }
    }

    /// The histogram's counts for buckets `geom`: counted on the spot without a background
    /// counter; otherwise the last counts (perhaps of an older index or view, while a new count
    /// runs) and whether they are current.
    pub fn hist_counts(&mut self, geom: (i64, i64, usize)) -> Option<(Arc<Vec<[u64; 7]>>, bool)> {
        if self.remote.is_some() {
            return self.remote_hist_counts(geom);
        }
        let key =
            HistKey { recs_gen: self.recs_gen, view: self.view.as_ref().map(|v| (Arc::downgrade(v), v.len())), geom };
        if let Some((k, c)) = &self.hist {
            if *k == key {
                return Some((c.clone(), true));
            }
        }
        let job = HistJob { key: key.clone(), recs: self.recs.clone(), view: self.view.clone() };
        match &self.hist_tx {
            None => {
                let c = Arc::new(job.count());
                self.hist = Some((key, c.clone()));
                Some((c, true))
            }
            Some(tx) => {
                if self.hist_pending.as_ref() != Some(&key) && tx.send(job).is_ok() {
                    self.hist_pending = Some(key);
                }
                self.hist.as_ref().filter(|(k, _)| k.geom.2 == geom.2).map(|(_, c)| (c.clone(), false))
            }
        }
    }

    /// The record of a view row.
    pub fn rec(&self, row: usize) -> Option<Rec> {
        self.pos(row).and_then(|p| self.recs.get(p).copied())
    }

    /// The shown entry of a view row.
    pub fn shown(&mut self, row: usize) -> Option<Shown> {
        let rec = self.rec(row)?;
        let names = self.names.clone();
        self.cache.get(&mut self.srcs, &rec, &names).cloned()
    }

    /// Shows a message in the footer.
    pub fn say(&mut self, m: impl Into<String>) {
        self.message = Some((m.into(), Instant::now()));
    }

    fn send(&self, r: Request) {
        if let Some(tx) = &self.tx {
            let _ = tx.send(r);
        }
    }

    /// Keeps the selection in range and visible.
    pub fn clamp(&mut self) {
        let n = self.len();
        if n == 0 {
            self.selected = 0;
            self.top = 0;
            return;
        }
        if self.selected >= n {
            self.selected = n - 1;
        }
        let page = self.page.max(1);
        if self.selected < self.top {
            self.top = self.selected;
        }
        if self.selected >= self.top + page {
            self.top = self.selected + 1 - page;
        }
        if self.top + page > n && n >= page {
            self.top = n - page;
        }
    }

    pub fn select(&mut self, row: usize) {
        self.selected = row;
        self.follow = self.remote.is_none() && !self.is_empty() && row + 1 >= self.len();
        self.clamp();
    }

    /// Compiles filters, with the mined templates for template filters.
    pub fn compile(&self, spec: &QuerySpec) -> Result<Query, logx::query::QueryError> {
        let mut q = Query::compile(spec, &self.zone, self.now_ns)?;
        if let Some(t) = &self.patterns {
            q.templates = Some(logx::query::Templates(t.clone()));
        }
        Ok(q)
    }

    /// Mines message templates in the worker (counted over the view's filters).
    pub fn mine(&mut self) {
        if self.recs.is_empty() {
            return;
        }
        let mut count = (*self.query).clone();
        count.hide_templates.clear();
        count.only_templates.clear();
        let (f, l) = (self.recs.first().and_then(|r| r.ts()), self.recs.last().and_then(|r| r.ts()));
        let buckets = match (f, l) {
            (Some(f), Some(l)) if l > f => logx::patterns::Buckets { start: f, width: (l - f) / 30 + 1, n: 30 },
            _ => logx::patterns::Buckets::default(),
        };
        self.patterns_gen += 1;
        self.mining = true;
        self.send(Request::Patterns {
            gen: self.patterns_gen,
            recs: self.recs.clone(),
            count: Arc::new(count),
            buckets,
            files: self.file_refs(),
        });
    }

    /// Applies new filters (keeps the old ones for undo), recomputing the view.
    pub fn set_spec(&mut self, spec: QuerySpec) {
        match self.compile(&spec) {
            Ok(q) => {
                self.undo.push(std::mem::replace(&mut self.spec, spec));
                self.query = Arc::new(q);
                self.refilter();
            }
            Err(e) => self.say(e.to_string()),
        }
    }

    /// Recomputes the view from the filters: at once when they need only levels and
    /// times, else in the worker.
    pub fn refilter(&mut self) {
        if self.refetch() {
            return;
        }
        let keep = self.rec(self.selected).map(|r| r.key());
        let q = self.query.clone();
        // A new generation whatever the filter: rounds of a filter still running in the worker
        // must not land on this view (and it stops).
        self.filter_gen += 1;
        self.filter_latest.store(self.filter_gen, std::sync::atomic::Ordering::Relaxed);
        self.filter_keep = None;
        if q.is_all() {
            self.view = None;
            self.filtering = false;
        } else if q.needs_only_facts() {
            self.view = Some(Arc::new(self.facts_rows(0)));
            self.filtering = false;
        } else {
            self.filtering = true;
            self.filter_keep = keep.map(|k| (k, None));
            self.send(Request::Filter {
                gen: self.filter_gen,
                query: q,
                recs: self.recs.clone(),
                within: None,
                files: self.file_refs(),
                hits: false,
                latest: self.filter_latest.clone(),
                append: false,
            });
        }
        self.restore_selection(keep);
        self.research();
    }

    /// Positions from `from` on of the records that the view's filter keeps, when it needs
    /// only levels and times (read from the records themselves).
    fn facts_rows(&self, from: usize) -> Vec<u32> {
        let q = &self.query;
        let recs = self.recs.get(from..).unwrap_or_default();
        recs.iter()
            .enumerate()
            .filter(|(_, r)| q.matches_facts(r.level(), r.ts()))
            .map(|(i, _)| (from + i) as u32)
            .collect()
    }

    fn restore_selection(&mut self, key: Option<i64>) {
        if self.follow {
            self.selected = self.len().saturating_sub(1);
        } else if let Some(k) = key {
            self.selected = self.row_at_or_after(k);
        }
        self.clamp();
    }

    /// The first view row at or after a sort time.
    pub fn row_at_or_after(&self, key: i64) -> usize {
        let n = self.len();
        let (mut lo, mut hi) = (0, n);
        while lo < hi {
            let mid = (lo + hi) / 2;
            if self.rec(mid).is_some_and(|r| r.key() < key) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo.min(n.saturating_sub(1))
    }

    /// Recomputes search hits (highlight mode) in the worker.
    fn research(&mut self) {
        self.hits = None;
        let Some(pat) = self.search.clone() else { return };
        let spec = QuerySpec { grep: vec![pat], smart_case: true, ..QuerySpec::default() };
        if let Ok(q) = Query::compile(&spec, &self.zone, self.now_ns) {
            let q = Arc::new(q);
            self.search_query = Some(q.clone());
            self.hits_gen += 1;
            self.hits_latest.store(self.hits_gen, std::sync::atomic::Ordering::Relaxed);
            self.send(Request::Filter {
                gen: self.hits_gen,
                query: q,
                recs: self.recs.clone(),
                within: self.view.clone(),
                files: self.file_refs(),
                hits: true,
                latest: self.hits_latest.clone(),
                append: false,
            });
        }
    }

    /// Sets (or clears) the search.
    pub fn set_search(&mut self, pat: Option<String>) {
        match &pat {
            Some(p) => {
                let spec = QuerySpec { grep: vec![p.clone()], smart_case: true, ..QuerySpec::default() };
                if let Err(e) = Query::compile(&spec, &self.zone, self.now_ns) {
                    self.say(e.to_string());
                    return;
                }
            }
            None => self.search_query = None,
        }
        self.search = pat;
        if self.only_matches {
            let mut spec = self.spec.clone();
            spec.grep = self.search.iter().cloned().collect();
            spec.smart_case = true;
            self.set_spec(spec);
        } else {
            self.research();
        }
    }

    /// Moves to the next (or previous) search hit.
    pub fn next_hit(&mut self, forward: bool) {
        let Some(hits) = self.hits.clone() else {
            self.say(if self.search.is_some() { "searching…" } else { "no search (/ to search)" });
            return;
        };
        let here = self.pos(self.selected).unwrap_or(0) as u32;
        // Over a table, a hit past the window is looked for on the server.
        let beyond = if forward { hits.iter().any(|&h| h > here) } else { hits.iter().any(|&h| h < here) };
        if !beyond && self.remote_next_hit(forward) {
            return;
        }
        let target = if forward {
            hits.iter().find(|&&h| h > here).or(hits.first())
        } else {
            hits.iter().rev().find(|&&h| h < here).or(hits.last())
        };
        match target {
            Some(&p) => {
                let row = match &self.view {
                    Some(v) => v.binary_search(&p).unwrap_or_else(|i| i),
                    None => p as usize,
                };
                self.select(row);
                let i = hits.binary_search(&p).map_or(0, |i| i + 1);
                self.say(format!("match {i} of {}", hits.len()));
            }
            None => self.say("no match"),
        }
    }

    /// Moves to the next (or previous) entry at or above a level.
    fn next_level(&mut self, min: Level, forward: bool) {
        let n = self.len();
        let mut i = self.selected;
        loop {
            if forward {
                i += 1;
                if i >= n {
                    break;
                }
            } else {
                if i == 0 {
                    break;
                }
                i -= 1;
            }
            if self.rec(i).and_then(|r| r.level()).is_some_and(|l| l >= min) {
                self.select(i);
                return;
            }
        }
        self.say(format!("no {} further", if min == Level::Error { "error" } else { "warning" }));
    }

    /// The equivalent command line of the view.
    pub fn command_line(&self, verb: &str) -> String {
        let mut parts = vec!["logx".to_string(), verb.to_string()];
        let mut spec = self.spec.clone();
        if let Some(s) = &self.search {
            if self.only_matches && !spec.grep.contains(s) {
                spec.grep.push(s.clone());
            }
        }
        if verb == "export" {
            parts.push("--csv".into());
        }
        for a in spec.to_args() {
            parts.push(shell_quote(&a));
        }
        for p in &self.paths {
            parts.push(shell_quote(p));
        }
        parts.join(" ")
    }

    /// Appends the pending records to the index when no one else holds it (a background count
    /// or job): in place, so the index exists once while it grows. Positions of the records
    /// already there do not change: the view grows by the new rows its filter keeps, the
    /// selection stays. Returns whether anything changed.
    pub fn absorb(&mut self) -> bool {
        if self.pending.is_empty() && !self.pending_done {
            return false;
        }
        let Some(all) = Arc::get_mut(&mut self.recs) else { return false };
        let from = all.len();
        let more: usize = self.pending.iter().map(Vec::len).sum();
        if all.capacity() - all.len() < more {
            // The estimate once; past it, an eighth more at a time (not a copy per slice).
            let want = self.pending_reserve.saturating_sub(all.len());
            all.reserve_exact(if want > more { want } else { more + all.len() / 8 });
        }
        for p in self.pending.drain(..) {
            all.extend_from_slice(&p);
        }
        let done = std::mem::take(&mut self.pending_done);
        self.recs_gen += 1;
        self.indexed = done;
        if self.query.is_all() {
            self.view = None;
            if done {
                self.research();
            }
        } else if self.query.needs_only_facts() {
            // Only the new records are read (the view's rows so far stay what they are).
            let start = if self.view.is_some() && !self.filtering { from } else { 0 };
            let new = self.facts_rows(start);
            match (&mut self.view, start) {
                (Some(v), s) if s > 0 => Arc::make_mut(v).extend(new),
                _ => self.view = Some(Arc::new(new)),
            }
            self.filtering = false;
        } else if done {
            self.refilter();
        } else {
            self.view = Some(Arc::new(Vec::new()));
            self.filtering = true;
        }
        if done {
            self.after_indexed();
        }
        self.clamp();
        true
    }

    /// What waits for the whole index: the bottom when following, template filters, groups.
    fn after_indexed(&mut self) {
        if self.follow {
            self.selected = self.len().saturating_sub(1);
        }
        // Template filters from the command line need the templates first.
        if self.query.uses_templates() && self.patterns.is_none() && !self.mining {
            self.mine();
        }
        if self.query.is_all() {
            self.regroup();
        }
    }

    /// Drops the index and what was read of it (records still to append, the view, the
    /// entries parsed for the screen): a new one starts empty.
    pub(crate) fn start_index(&mut self) {
        self.pending.clear();
        self.pending_done = false;
        self.recs = Arc::new(Vec::new());
        self.recs_gen += 1;
        self.view = None;
        self.cache.clear();
    }

    /// Answers from the worker.
    pub fn on_reply(&mut self, r: Reply) {
        self.on_reply_inner(r);
        self.absorb();
        self.settle_remote();
    }

    fn on_reply_inner(&mut self, r: Reply) {
        match r {
            Reply::Appended { recs, reserve, fresh, done } => {
                if fresh {
                    // A new index (the first, or again after a truncation) starts empty.
                    self.start_index();
                    self.selected = 0;
                    self.top = 0;
                }
                self.pending.push(recs);
                self.pending_reserve = reserve;
                self.pending_done |= done;
            }
            Reply::Progress(done, total) => self.index_progress = (done, total),
            Reply::Window { gen, window } => self.on_window(gen, window),
            Reply::Say(m) => self.say(m),
            Reply::Count { gen, n } => {
                if let Some(r) = self.remote.as_mut().filter(|r| r.conds_gen == gen) {
                    match n {
                        Ok(n) => r.total = Some(n),
                        Err(e) => self.say(e),
                    }
                }
            }
            Reply::Before { gen, n } => {
                if let Some(r) = self.remote.as_mut().filter(|r| r.gen == gen) {
                    r.place = super::remote::Place::Before(n);
                }
            }
            Reply::Histogram(key, counts) => {
                if self.hist_pending.as_ref() == Some(&key) {
                    self.hist_pending = None;
                }
                self.hist = Some((key, Arc::new(counts)));
            }
            Reply::Indexed { recs, done } => {
                // (slices of an index that turned out to need a merge are replaced by it)
                self.pending.clear();
                self.pending_done = false;
                // Keep the user's place, unless they have not moved yet.
                let moved = self.selected != 0 || self.top != 0;
                let keep = if self.follow || self.recs.is_empty() || !moved {
                    None
                } else {
                    self.rec(self.selected).map(|r| r.key())
                };
                self.recs = Arc::new(recs);
                self.recs_gen += 1;
                self.indexed = done;
                self.cache.clear();
                if !self.recs.is_empty() && self.query.is_all() {
                    self.view = None;
                }
                // The positions of the view were taken in the index before this one (with
                // several files, a merge that is not a prefix of this one): taken again.
                // Levels and times are read from the records at once, so such a filter
                // follows the index as it grows. Other filters run in the worker, which
                // indexes to the end before it takes another request (asked now, one would
                // only pin this partial index in memory): they wait for the whole index, and
                // nothing is shown meanwhile rather than rows of a stale view.
                if !self.query.is_all() {
                    if done || self.query.needs_only_facts() {
                        self.refilter();
                    } else {
                        self.view = Some(Arc::new(Vec::new()));
                        self.filtering = true;
                    }
                } else if done {
                    self.research();
                }
                if let Some(k) = keep {
                    self.selected = self.row_at_or_after(k);
                }
                if done {
                    self.after_indexed();
                }
                self.clamp();
            }
            Reply::Extended { file, recs, from } => self.extend(file, recs, from),
            Reply::Filtered { gen, positions, hits, first, done } => {
                if gen != if hits { self.hits_gen } else { self.filter_gen } {
                    return;
                }
                // Rounds of a filter come in order: the first replaces, the others extend.
                let slot = if hits { &mut self.hits } else { &mut self.view };
                match slot {
                    Some(v) if !first => Arc::make_mut(v).extend_from_slice(&positions),
                    _ => *slot = Some(Arc::new(positions)),
                }
                if !hits {
                    self.filtering = !done;
                    // The entry selected before stays selected once it is found; until then
                    // the selection is the last row so far, unless the user moves it.
                    match self.filter_keep {
                        Some((k, placed)) if placed.is_none_or(|row| row == self.selected) => {
                            self.restore_selection(Some(k));
                            self.filter_keep = (!done).then_some((k, Some(self.selected)));
                        }
                        _ => {
                            self.filter_keep = None;
                            self.restore_selection(None);
                        }
                    }
                    if done {
                        self.regroup();
                    }
                }
            }
            Reply::Values { gen, field, counts } => {
                if gen == self.values_gen && matches!(&self.mode, Mode::Picker { field: f, .. } if *f == field) {
                    self.values = counts;
                }
            }
            Reply::Patterns { gen, table } => {
                if gen == self.patterns_gen {
                    self.patterns = Some(table);
                    self.mining = false;
                    if self.query.uses_templates() {
                        if let Ok(q) = self.compile(&self.spec) {
                            self.query = Arc::new(q);
                            self.refilter();
                        }
                    }
                }
            }
            Reply::Audit { gen, groups } => {
                if gen == self.audit_gen {
                    match groups {
                        Ok(mut groups) => {
                            // In the order the user chose.
                            if let Mode::Audit { sort, .. } = self.mode {
                                groups.sort(sort);
                            }
                            self.audit = Some(groups);
                        }
                        Err(e) => {
                            self.mode = Mode::Table;
                            self.say(e);
                        }
                    }
                }
            }
            Reply::ExportProgress(n) => self.exporting = Some(n),
            Reply::ExportDone(res) => {
                self.exporting = None;
                match res {
                    Ok(n) => self.say(format!("exported {n} rows")),
                    Err(e) => self.say(format!("export failed: {e}")),
                }
            }
        }
    }

    /// New records of a grown file: the tail of the index is merged again, in place (a copy
    /// only while a background job holds the index). Rows before the first changed record
    /// keep their positions, so a finished filter reads only the records from there (a level
    /// or time filter at once, others in the worker).
    fn extend(&mut self, file: usize, new: Vec<Rec>, from: u64) {
        let at_end = self.follow || self.selected + 1 >= self.len();
        let first_new = new.first().map_or(i64::MAX, |r| r.key());
        let all = Arc::make_mut(&mut self.recs);
        let replaced = |r: &Rec| r.file() == file && r.offset() >= from;
        let first_replaced = all.iter().position(replaced).unwrap_or(all.len());
        all.retain(|r| !replaced(r));
        all.extend(new);
        // Only the part at or after the first new time can be out of order.
        let cut = all.partition_point(|r| r.key() < first_new).min(all.len());
        all[cut..].sort_by_key(|r| r.key());
        let changed = first_replaced.min(cut);
        self.recs_gen += 1;
        self.cache.clear();
        if self.query.is_all() {
            self.view = None;
        } else if let (false, Some(view)) = (self.filtering, self.view.as_mut()) {
            // The view's rows before the first changed record stand; the rest is read again:
            // at once for a level or time filter, by the worker for others.
            let v = Arc::make_mut(view);
            v.truncate(v.partition_point(|&p| (p as usize) < changed));
            let q = self.query.clone();
            if q.needs_only_facts() {
                let new = self.facts_rows(changed);
                if let Some(v) = self.view.as_mut() {
                    Arc::make_mut(v).extend(new);
                }
            } else {
                self.filter_gen += 1;
                self.filter_latest.store(self.filter_gen, std::sync::atomic::Ordering::Relaxed);
                self.filter_keep = None;
                self.filtering = true;
                self.send(Request::Filter {
                    gen: self.filter_gen,
                    query: q,
                    recs: self.recs.clone(),
                    within: Some(Arc::new((changed as u32..self.recs.len() as u32).collect())),
                    files: self.file_refs(),
                    hits: false,
                    latest: self.filter_latest.clone(),
                    append: true,
                });
            }
            self.research();
        } else {
            self.refilter();
        }
        if at_end {
            self.follow = true;
            self.selected = self.len().saturating_sub(1);
        }
        self.clamp();
    }

    /// Checks whether followed files grew (called on a timer).
    pub fn poll_growth(&mut self) {
        if !self.indexed {
            return;
        }
        for i in 0..self.srcs.len() {
            if !self.srcs[i].live {
                continue;
            }
            if let Some((old, now)) = self.srcs[i].refresh() {
                if now < old {
                    self.say(format!("{} was truncated: reloaded", self.srcs[i].display));
                    self.reload();
                    return;
                }
                // Re-read from the last known entry of the file (it may have been partial).
                let last = self.recs.iter().rev().find(|r| r.file() == i).copied();
                let from = last.map_or(0, |r| r.offset());
                let prev =
                    self.recs.iter().rev().find(|r| r.file() == i && r.offset() < from).map_or(i64::MIN, |r| r.key());
                let fref = FileRef { map: self.srcs[i].map.clone(), parser: self.srcs[i].parser.clone() };
                self.send(Request::Extend { file: i, fref, from, prev_key: prev });
            }
        }
    }

    /// Indexes everything again.
    pub fn reload(&mut self) {
        self.indexed = false;
        self.send(Request::Index { files: self.file_refs() });
    }

    fn move_by(&mut self, d: isize) {
        let n = self.len() as isize;
        if n == 0 {
            return;
        }
        let to = (self.selected as isize + d).clamp(0, n - 1) as usize;
        self.select(to);
    }

    fn toggle_level_min(&mut self, up: bool) {
        let cur = self.spec.level.as_deref().and_then(Level::parse_user);
        let next = match (cur, up) {
            (None, true) => Some(Level::Debug),
            (Some(Level::Fatal), true) => None,
            (Some(l), true) => LEVELS.get(l.index() + 1).copied(),
            (None, false) => Some(Level::Fatal),
            (Some(Level::Trace), false) => None,
            (Some(l), false) => LEVELS.get(l.index() - 1).copied(),
        };
        let mut spec = self.spec.clone();
        spec.level = next.map(|l| l.as_str().to_string());
        spec.levels.clear();
        self.set_spec(spec);
        self.say(match next {
            Some(l) => format!("level ≥ {l}"),
            None => "all levels".into(),
        });
    }

    fn pick_day(&mut self, delta: i64) {
        let base = match (&self.spec.day, delta) {
            (Some(d), _) if delta != 0 => logx::query::timeexpr::parse_point(d, &self.zone, self.now_ns).ok(),
            _ => self.rec(self.selected).map(|r| r.key()),
        };
        let Some(t) = base else { return };
        let day = logx::query::timeexpr::day_of(&self.zone, t) + delta;
        let (y, m, d) = logx::time::civil_from_days(day);
        let mut spec = self.spec.clone();
        spec.day = Some(format!("{y:04}-{m:02}-{d:02}"));
        spec.from = None;
        spec.to = None;
        self.set_spec(spec);
    }

    fn copy(&mut self, text: String, what: &str) {
        self.clipboard = Some(text);
        self.say(format!("copied {what} to the clipboard (OSC 52)"));
    }

    fn open_picker(&mut self, field: &str) {
        self.values.clear();
        self.mode = Mode::Picker { field: field.to_string(), cursor: 0 };
        self.values_gen += 1;
        if self.remote_values(field) {
            return;
        }
        self.say_window_only("values");
        self.send(Request::Values {
            gen: self.values_gen,
            field: field.to_string(),
            recs: self.recs.clone(),
            within: self.view.clone(),
            files: self.file_refs(),
        });
    }

    /// Opens the audit view: request groups of the current view, computed in the worker.
    fn open_audit(&mut self) {
        self.say_window_only("request groups");
        self.audit = None;
        self.mode = Mode::Audit { cursor: 0, sort: "time" };
        self.regroup();
    }

    /// The audit view is open while the index or the filtered view changes (indexing still
    /// running when `A` was pressed, new entries followed): the groups are computed again,
    /// the old ones staying on screen until the new ones arrive.
    fn regroup(&mut self) {
        if !matches!(self.mode, Mode::Audit { .. }) {
            return;
        }
        self.audit_gen += 1;
        self.send(Request::Audit {
            gen: self.audit_gen,
            recs: self.recs.clone(),
            within: self.view.clone(),
            files: self.file_refs(),
        });
    }

    /// Shows one request group's entries as a timeline (offsets from its first entry).
    fn open_timeline(&mut self, key: String, first: Option<i64>) {
        let mut spec = self.spec.clone();
        spec.request_ids = vec![key.clone()];
        self.mode = Mode::Table;
        self.follow = false;
        self.timeline = Some((key, first.unwrap_or(i64::MIN)));
        if !self.columns.contains(&Col::Offset) {
            self.columns.insert(0, Col::Offset);
        }
        self.set_spec(spec);
        self.selected = 0;
        self.top = 0;
        self.say("request timeline: Esc back to the groups, u undo");
    }

    /// Leaves the timeline: the filters before it come back.
    fn close_timeline(&mut self) {
        if self.timeline.take().is_some() {
            self.columns.retain(|c| *c != Col::Offset);
            if let Some(prev) = self.undo.pop() {
                self.query = Arc::new(self.compile(&prev).unwrap_or_default());
                self.spec = prev;
                self.refilter();
            }
        }
    }

    /// Runs an export of the current view in the worker.
    fn start_export(&mut self, line: &str) {
        let mut it = line.split_whitespace();
        let (fmt, path) = match (it.next(), it.next()) {
            (Some(f), Some(p)) => (f.to_string(), p.to_string()),
            (Some(p), None) if p.contains('.') => (p.rsplit('.').next().unwrap_or("csv").to_string(), p.to_string()),
            _ => {
                self.say("export: give FORMAT PATH (csv|xlsx|ndjson out.csv)");
                return;
            }
        };
        let mut spec = self.spec.clone();
        if let (true, Some(s)) = (self.only_matches, &self.search) {
            spec.grep.push(s.clone());
            spec.smart_case = true;
        }
        let query = match self.compile(&spec) {
            Ok(q) => Arc::new(q),
            Err(e) => {
                self.say(e.to_string());
                return;
            }
        };
        // Tables are read whole (the query pushed down), files found again.
        let (urls, files): (Vec<String>, Vec<String>) =
            self.paths.iter().cloned().partition(|p| logx::clickhouse::is_url(p));
        let mut inputs: Vec<logx::source::Input> = urls.into_iter().map(logx::source::Input::ClickHouse).collect();
        if !files.is_empty() || inputs.is_empty() {
            inputs.extend(logx::source::discover(&files, &Default::default()).0);
        }
        let cfg = self.cfg.clone();
        let zone = self.zone.clone();
        self.exporting = Some(0);
        self.say(format!("exporting to {path}…"));
        self.send(Request::Job(Box::new(move |tx| {
            let res = crate::cli::export::export_file(&inputs, &cfg, &query, &fmt, &path, zone, &mut |n| {
                let _ = tx.send(Reply::ExportProgress(n));
            });
            let _ = tx.send(Reply::ExportDone(res));
        })));
    }

    /// A key press.
    pub fn on_key(&mut self, k: KeyEvent) {
        self.on_key_inner(k);
        self.remote_edges();
    }

    fn on_key_inner(&mut self, k: KeyEvent) {
        if k.modifiers.contains(KeyModifiers::CONTROL) && matches!(k.code, KeyCode::Char('c')) {
            self.quit = true;
            return;
        }
        match self.mode.clone() {
            Mode::Search(s) => self.edit(k, s, |app, text| {
                app.mode = Mode::Table;
                app.set_search(if text.is_empty() { None } else { Some(text) });
                if app.search.is_some() && !app.only_matches {
                    app.say("n/N: next/previous match, f: show only matches");
                }
            }),
            Mode::Query(s) => self.edit(k, s, |app, text| {
                app.mode = Mode::Table;
                app.apply_query_line(&text);
            }),
            Mode::Goto(s) => self.edit(k, s, |app, text| {
                app.mode = Mode::Table;
                match logx::query::timeexpr::parse_point(&text, &app.zone, app.now_ns) {
                    Ok(t) => app.goto_time(t),
                    Err(e) => app.say(e),
                }
            }),
            Mode::Export(s) => self.edit(k, s, |app, text| {
                app.mode = Mode::Table;
                app.start_export(&text);
            }),
            Mode::Help => self.mode = Mode::Table,
            Mode::Detail { field, scroll } => self.on_key_detail(k, field, scroll),
            Mode::Picker { field, cursor } => self.on_key_picker(k, field, cursor),
            Mode::Levels { cursor } => self.on_key_levels(k, cursor),
            Mode::Columns { cursor } => self.on_key_columns(k, cursor),
            Mode::Audit { cursor, sort } => self.on_key_audit(k, cursor, sort),
            Mode::Patterns { cursor } => self.on_key_patterns(k, cursor),
            Mode::Histogram => self.on_key_histogram(k),
            Mode::Table => self.on_key_table(k),
        }
    }

    fn edit(&mut self, k: KeyEvent, mut s: String, done: impl FnOnce(&mut App, String)) {
        match k.code {
            KeyCode::Esc => self.mode = Mode::Table,
            KeyCode::Enter => done(self, s),
            KeyCode::Backspace => {
                s.pop();
                self.set_input(s);
            }
            KeyCode::Char(c) => {
                s.push(c);
                self.set_input(s);
            }
            _ => {}
        }
    }

    fn set_input(&mut self, s: String) {
        self.mode = match &self.mode {
            Mode::Search(_) => Mode::Search(s),
            Mode::Query(_) => Mode::Query(s),
            Mode::Goto(_) => Mode::Goto(s),
            Mode::Export(_) => Mode::Export(s),
            m => m.clone(),
        };
    }

    /// Filters typed in the command line's syntax (`--level warn --user bob -e timeout`).
    pub fn apply_query_line(&mut self, text: &str) {
        let words = match split_words(text) {
            Ok(w) => w,
            Err(e) => {
                self.say(e);
                return;
            }
        };
        use clap::Parser;
        #[derive(clap::Parser)]
        #[command(no_binary_name = true)]
        struct Line {
            #[command(flatten)]
            f: crate::cli::args::FilterArgs,
        }
        match Line::try_parse_from(&words) {
            Ok(l) => self.set_spec(l.f.spec()),
            Err(e) => {
                let first =
                    e.to_string().lines().next().unwrap_or("invalid filters").trim_start_matches("error: ").to_string();
                self.say(first);
            }
        }
    }

    fn on_key_table(&mut self, k: KeyEvent) {
        let page = self.page.max(1) as isize;
        match k.code {
            KeyCode::Char('q') | KeyCode::Esc => {
                if k.code == KeyCode::Esc && self.search.is_some() {
                    self.set_search(None);
                } else if k.code == KeyCode::Esc && self.timeline.is_some() {
                    self.close_timeline();
                    if self.audit.is_some() {
                        self.mode = Mode::Audit { cursor: self.audit_cursor, sort: self.audit_sort };
                    }
                } else if k.code == KeyCode::Char('q') {
                    self.quit = true;
                }
            }
            KeyCode::Down | KeyCode::Char('j') => self.move_by(1),
            KeyCode::Up | KeyCode::Char('k') => self.move_by(-1),
            KeyCode::PageDown | KeyCode::Char(' ') => self.move_by(page),
            KeyCode::PageUp | KeyCode::Char('b') => self.move_by(-page),
            KeyCode::Home | KeyCode::Char('g') => match &self.remote {
                Some(r) if r.more_before => self.remote_fetch(Fetch::Fresh(Anchor::Start), Select::First, false),
                _ => self.select(0),
            },
            KeyCode::End | KeyCode::Char('G') => match &self.remote {
                Some(r) if r.more_after => self.remote_fetch(Fetch::Fresh(Anchor::End), Select::Last, false),
                _ => self.select(self.len().saturating_sub(1)),
            },
            KeyCode::Left => self.hscroll = self.hscroll.saturating_sub(8),
            KeyCode::Right => self.hscroll += 8,
            KeyCode::Enter if !self.is_empty() => self.mode = Mode::Detail { field: 0, scroll: 0 },
            KeyCode::Char('/') => self.mode = Mode::Search(self.search.clone().unwrap_or_default()),
            KeyCode::Char('n') => self.next_hit(true),
            KeyCode::Char('N') => self.next_hit(false),
            KeyCode::Char('f') => {
                self.only_matches = !self.only_matches;
                let mut spec = self.spec.clone();
                spec.grep.retain(|g| Some(g) != self.search.as_ref());
                if self.only_matches {
                    if let Some(s) = &self.search {
                        spec.grep.push(s.clone());
                        spec.smart_case = true;
                    }
                }
                self.set_spec(spec);
                self.say(if self.only_matches { "showing only matches" } else { "highlighting matches" });
            }
            KeyCode::Char('l') => self.toggle_level_min(true),
            KeyCode::Char('L') => self.mode = Mode::Levels { cursor: 0 },
            KeyCode::Char('d') => self.pick_day(0),
            KeyCode::Char('<') => self.pick_day(-1),
            KeyCode::Char('>') => self.pick_day(1),
            KeyCode::Char('D') => {
                let mut spec = self.spec.clone();
                spec.day = None;
                spec.from = None;
                spec.to = None;
                self.set_spec(spec);
            }
            KeyCode::Char(':') => {
                self.mode =
                    Mode::Query(self.spec.to_args().iter().map(|a| shell_quote(a)).collect::<Vec<_>>().join(" "))
            }
            KeyCode::Char('t') => self.mode = Mode::Goto(String::new()),
            KeyCode::Char('u') => match self.undo.pop() {
                Some(prev) => {
                    self.query = Arc::new(self.compile(&prev).unwrap_or_default());
                    self.spec = prev;
                    self.refilter();
                    self.say("undone");
                }
                None => self.say("nothing to undo"),
            },
            KeyCode::Char('i') => self.open_picker("host"),
            KeyCode::Char('s') => self.open_picker("service"),
            KeyCode::Char('U') => self.open_picker("user"),
            KeyCode::Char('A') => self.open_audit(),
            KeyCode::Char('P') => {
                self.say_window_only("templates");
                self.mode = Mode::Patterns { cursor: 0 };
                self.mine();
            }
            KeyCode::Char('F') => {
                self.follow = !self.follow;
                if self.follow {
                    self.select(self.len().saturating_sub(1));
                }
                self.say(if self.follow { "following new entries" } else { "follow off" });
            }
            KeyCode::Char('h') => self.histogram = !self.histogram,
            KeyCode::Char('H') => {
                self.histogram = true;
                self.mode = Mode::Histogram;
            }
            KeyCode::Char('w') => self.wrap = !self.wrap,
            KeyCode::Char('c') => self.mode = Mode::Columns { cursor: 0 },
            KeyCode::Char('e') => self.next_level(Level::Error, true),
            KeyCode::Char('E') => self.next_level(Level::Error, false),
            KeyCode::Char('x') => self.next_level(Level::Warn, true),
            KeyCode::Char('X') => self.next_level(Level::Warn, false),
            KeyCode::Char('m') => {
                if let Some(r) = self.rec(self.selected) {
                    let key = (r.file(), r.offset());
                    if !self.marks.remove(&key) {
                        self.marks.insert(key);
                    }
                }
            }
            KeyCode::Char('\'') => {
                let n = self.len();
                for d in 1..n {
                    let i = (self.selected + d) % n;
                    if let Some(r) = self.rec(i) {
                        if self.marks.contains(&(r.file(), r.offset())) {
                            self.select(i);
                            return;
                        }
                    }
                }
                self.say("no mark (m to mark)");
            }
            KeyCode::Char('C') => {
                let line = self.command_line("cat");
                self.say(line.clone());
                self.copy(line, "the command line");
            }
            KeyCode::Char('S') => self.mode = Mode::Export("csv logx-export.csv".into()),
            KeyCode::Char('?') => self.mode = Mode::Help,
            KeyCode::Char('r') => {
                self.say("reloading");
                self.reload();
            }
            _ => {}
        }
    }

    fn on_key_detail(&mut self, k: KeyEvent, field: usize, scroll: u16) {
        let nfields = self.shown(self.selected).map_or(0, |s| s.fields.len() + 5);
        match k.code {
            KeyCode::Esc | KeyCode::Enter | KeyCode::Char('q') => self.mode = Mode::Table,
            KeyCode::Down | KeyCode::Char('j') => {
                self.move_by(1);
                self.mode = Mode::Detail { field: 0, scroll: 0 };
            }
            KeyCode::Up | KeyCode::Char('k') => {
                self.move_by(-1);
                self.mode = Mode::Detail { field: 0, scroll: 0 };
            }
            KeyCode::Tab => self.mode = Mode::Detail { field: (field + 1) % nfields.max(1), scroll },
            KeyCode::BackTab => {
                self.mode = Mode::Detail { field: (field + nfields.max(1) - 1) % nfields.max(1), scroll }
            }
            KeyCode::PageDown | KeyCode::Char(' ') => {
                self.mode = Mode::Detail { field, scroll: scroll.saturating_add(10) }
            }
            KeyCode::PageUp => self.mode = Mode::Detail { field, scroll: scroll.saturating_sub(10) },
            KeyCode::Char('+') | KeyCode::Char('=') | KeyCode::Char('-') => {
                if let Some((name, value)) = self.detail_field(field) {
                    let mut spec = self.spec.clone();
                    let op = if k.code == KeyCode::Char('-') { "!=" } else { "=" };
                    spec.wheres.push(format!("{name}{op}{}", value.replace('*', "\\*")));
                    self.mode = Mode::Table;
                    self.set_spec(spec);
                    self.say(format!("{} {name} = {value}", if op == "=" { "only" } else { "hiding" }));
                }
            }
            KeyCode::Char('y') => {
                if let Some(s) = self.shown(self.selected) {
                    self.copy(s.raw, "the raw entry");
                }
            }
            KeyCode::Char('Y') => {
                if let Some(s) = self.shown(self.selected) {
                    self.copy(s.json, "the entry as JSON");
                }
            }
            _ => {}
        }
    }

    /// The (name, value) of the detail view's field cursor: the well-known fields first.
    pub fn detail_field(&mut self, i: usize) -> Option<(String, String)> {
        let s = self.shown(self.selected)?;
        let mut all: Vec<(String, String)> =
            WellKnown::ALL.iter().filter_map(|w| s.get(*w).map(|v| (w.key().to_string(), v.to_string()))).collect();
        all.extend(s.fields.iter().filter(|(_, _, json)| !*json).map(|(k, v, _)| (k.clone(), v.clone())));
        all.get(i).cloned()
    }

    fn on_key_picker(&mut self, k: KeyEvent, field: String, cursor: usize) {
        let n = self.values.len();
        match k.code {
            KeyCode::Esc | KeyCode::Char('q') => self.mode = Mode::Table,
            KeyCode::Down | KeyCode::Char('j') => {
                self.mode = Mode::Picker { field, cursor: (cursor + 1).min(n.saturating_sub(1)) }
            }
            KeyCode::Up | KeyCode::Char('k') => self.mode = Mode::Picker { field, cursor: cursor.saturating_sub(1) },
            KeyCode::Enter | KeyCode::Char('+') | KeyCode::Char('-') => {
                if let Some((v, _)) = self.values.get(cursor).cloned() {
                    let mut spec = self.spec.clone();
                    if k.code == KeyCode::Char('-') {
                        spec.wheres.push(format!("{field}!={v}"));
                    } else {
                        match field.as_str() {
                            "host" => spec.hosts = vec![v.clone()],
                            "service" => spec.services = vec![v.clone()],
                            "user" => spec.users = vec![v.clone()],
                            _ => spec.wheres.push(format!("{field}={v}")),
                        }
                    }
                    self.mode = Mode::Table;
                    self.set_spec(spec);
                }
            }
            _ => {}
        }
    }

    /// The templates as the patterns view lists them: by count in the view, hidden ones last.
    pub fn pattern_rows(&self) -> Vec<&logx::patterns::Pattern> {
        let Some(t) = &self.patterns else { return Vec::new() };
        let mut v: Vec<&logx::patterns::Pattern> = t.patterns.iter().filter(|p| p.total > 0).collect();
        let hidden = |p: &logx::patterns::Pattern| self.spec.hide_templates.contains(&(p.id as u64));
        v.sort_by(|a, b| hidden(a).cmp(&hidden(b)).then(b.count.cmp(&a.count)).then(a.id.cmp(&b.id)));
        v
    }

    fn on_key_patterns(&mut self, k: KeyEvent, cursor: usize) {
        let rows: Vec<u64> = self.pattern_rows().iter().map(|p| p.id as u64).collect();
        let n = rows.len();
        let page = self.page.max(1);
        let mut cursor = cursor;
        match k.code {
            KeyCode::Esc | KeyCode::Char('q') | KeyCode::Char('P') => {
                self.mode = Mode::Table;
                return;
            }
            code if list_move(code, &mut cursor, page, n) => {}
            KeyCode::Enter => {
                if let Some(&id) = rows.get(cursor) {
                    let mut spec = self.spec.clone();
                    spec.wheres.retain(|w| !w.starts_with("template_id="));
                    spec.wheres.push(format!("template_id={id}"));
                    spec.hide_templates.retain(|&h| h != id);
                    self.mode = Mode::Table;
                    self.set_spec(spec);
                    self.say(format!("only template #{id}: u to undo"));
                }
                return;
            }
            KeyCode::Char('-') | KeyCode::Char('x') | KeyCode::Delete => {
                if let Some(&id) = rows.get(cursor) {
                    let mut spec = self.spec.clone();
                    if spec.hide_templates.contains(&id) {
                        spec.hide_templates.retain(|&h| h != id);
                        self.say(format!("template #{id} shown again"));
                    } else {
                        spec.hide_templates.push(id);
                        self.say(format!("template #{id} hidden: - again (or u) to undo"));
                    }
                    self.set_spec(spec);
                }
            }
            KeyCode::Char('0') => {
                let mut spec = self.spec.clone();
                spec.hide_templates.clear();
                self.set_spec(spec);
                self.say("every template shown");
            }
            _ => {}
        }
        self.mode = Mode::Patterns { cursor: cursor.min(n.saturating_sub(1)) };
    }

    fn on_key_audit(&mut self, k: KeyEvent, cursor: usize, sort: &'static str) {
        let n = self.audit.as_ref().map_or(0, |g| g.len());
        let page = self.page.max(1);
        let mut cursor = cursor;
        match k.code {
            KeyCode::Esc | KeyCode::Char('q') | KeyCode::Char('A') => {
                self.mode = Mode::Table;
                return;
            }
            code if list_move(code, &mut cursor, page, n) => {}
            KeyCode::Char('o') => {
                let next = match sort {
                    "time" => "duration",
                    "duration" => "size",
                    "size" => "level",
                    _ => "time",
                };
                if let Some(groups) = self.audit.as_mut() {
                    groups.sort(next);
                }
                self.mode = Mode::Audit { cursor: 0, sort: next };
                return;
            }
            KeyCode::Enter => {
                if let Some(g) = self.audit.as_ref().and_then(|g| g.get(cursor)) {
                    let (key, first) = (g.key.to_string(), g.first);
                    self.audit_cursor = cursor;
                    self.audit_sort = sort;
                    self.open_timeline(key, first);
                }
                return;
            }
            _ => {}
        }
        self.mode = Mode::Audit { cursor: cursor.min(n.saturating_sub(1)), sort };
    }

    fn on_key_levels(&mut self, k: KeyEvent, cursor: usize) {
        match k.code {
            KeyCode::Esc | KeyCode::Char('q') | KeyCode::Enter => self.mode = Mode::Table,
            KeyCode::Down | KeyCode::Char('j') => self.mode = Mode::Levels { cursor: (cursor + 1).min(6) },
            KeyCode::Up | KeyCode::Char('k') => self.mode = Mode::Levels { cursor: cursor.saturating_sub(1) },
            KeyCode::Char(' ') | KeyCode::Char('x') => {
                let name = if cursor == 6 { "none".to_string() } else { LEVELS[cursor].as_str().to_string() };
                let mut spec = self.spec.clone();
                spec.level = None;
                let mut set: Vec<String> = spec.levels.iter().flat_map(|s| s.split(',').map(String::from)).collect();
                if set.contains(&name) {
                    set.retain(|s| *s != name);
                } else {
                    set.push(name);
                }
                spec.levels = if set.is_empty() { Vec::new() } else { vec![set.join(",")] };
                self.set_spec(spec);
                self.mode = Mode::Levels { cursor };
            }
            _ => {}
        }
    }

    fn on_key_columns(&mut self, k: KeyEvent, cursor: usize) {
        let choices = self.column_choices();
        match k.code {
            KeyCode::Esc | KeyCode::Char('q') | KeyCode::Enter => self.mode = Mode::Table,
            KeyCode::Down | KeyCode::Char('j') => {
                self.mode = Mode::Columns { cursor: (cursor + 1).min(choices.len().saturating_sub(1)) }
            }
            KeyCode::Up | KeyCode::Char('k') => self.mode = Mode::Columns { cursor: cursor.saturating_sub(1) },
            KeyCode::Char(' ') | KeyCode::Char('x') => {
                if let Some(c) = choices.get(cursor) {
                    if let Some(i) = self.columns.iter().position(|x| x == c) {
                        if *c != Col::Msg {
                            self.columns.remove(i);
                        }
                    } else {
                        let at = self.columns.len().saturating_sub(1);
                        self.columns.insert(at, c.clone());
                    }
                }
            }
            _ => {}
        }
    }

    /// Columns that can be shown: the fixed ones and the fields of the selected entry.
    pub fn column_choices(&mut self) -> Vec<Col> {
        let mut v = vec![Col::Time, Col::Level, Col::Host, Col::Service, Col::User, Col::Ip, Col::RequestId];
        if let Some(s) = self.shown(self.selected) {
            v.extend(s.fields.iter().filter(|(_, _, j)| !*j).map(|(k, _, _)| Col::Field(k.clone())));
        }
        for c in &self.columns {
            if !v.contains(c) && *c != Col::Msg {
                v.push(c.clone());
            }
        }
        v
    }

    fn on_key_histogram(&mut self, k: KeyEvent) {
        match k.code {
            KeyCode::Esc | KeyCode::Char('q') | KeyCode::Char('H') => self.mode = Mode::Table,
            KeyCode::Left | KeyCode::Char('h') => self.hist_cursor = self.hist_cursor.saturating_sub(1),
            KeyCode::Right | KeyCode::Char('l') => self.hist_cursor += 1,
            KeyCode::Enter => {
                if let Some((_, _, _, start, width)) = self.hist_geom {
                    let t = start + self.hist_cursor as i64 * width;
                    self.goto_time(t);
                    self.mode = Mode::Table;
                }
            }
            KeyCode::Char('z') => {
                if let Some((_, _, _, start, width)) = self.hist_geom {
                    let a = start + self.hist_cursor as i64 * width;
                    let mut spec = self.spec.clone();
                    spec.day = None;
                    spec.from = Some(logx::entry::Timestamp { nanos: a, frac_digits: 3 }.to_rfc3339());
                    spec.to = Some(logx::entry::Timestamp { nanos: a + width, frac_digits: 3 }.to_rfc3339());
                    self.set_spec(spec);
                    self.hist_cursor = 0;
                    self.mode = Mode::Table;
                }
            }
            _ => {}
        }
    }

    /// A mouse event.
    pub fn on_mouse(&mut self, m: MouseEvent) {
        self.on_mouse_inner(m);
        self.remote_edges();
    }

    fn on_mouse_inner(&mut self, m: MouseEvent) {
        match m.kind {
            MouseEventKind::ScrollDown => match self.mode {
                Mode::Detail { field, scroll } => self.mode = Mode::Detail { field, scroll: scroll.saturating_add(3) },
                _ => self.move_by(3),
            },
            MouseEventKind::ScrollUp => match self.mode {
                Mode::Detail { field, scroll } => self.mode = Mode::Detail { field, scroll: scroll.saturating_sub(3) },
                _ => self.move_by(-3),
            },
            MouseEventKind::Down(MouseButton::Left) => {
                if let Some((x, y, w, start, width)) = self.hist_geom {
                    if m.row >= y && m.row < y + 6 && m.column >= x && m.column < x + w {
                        let t = start + (m.column - x) as i64 * width;
                        self.goto_time(t);
                        return;
                    }
                }
                if self.mode == Mode::Table && m.row >= self.table_y {
                    let row = self.top + (m.row - self.table_y) as usize;
                    if row < self.len() {
                        let double = self.last_click.is_some_and(|(r, t)| r == row && t.elapsed().as_millis() < 400);
                        if double || row == self.selected {
                            self.select(row);
                            self.mode = Mode::Detail { field: 0, scroll: 0 };
                        } else {
                            self.select(row);
                        }
                        self.last_click = Some((row, Instant::now()));
                    }
                } else if matches!(self.mode, Mode::Detail { .. }) && m.row == 0 {
                    self.mode = Mode::Table;
                }
            }
            _ => {}
        }
    }
}

/// Quotes a word for a POSIX shell when it needs it.
pub fn shell_quote(s: &str) -> String {
    if !s.is_empty() && s.bytes().all(|c| c.is_ascii_alphanumeric() || b"-_./:=,@%+".contains(&c)) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// Splits a command line into words (single and double quotes, backslashes).
pub fn split_words(s: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(x) => cur.push(x),
                        None => return Err("unclosed quote".into()),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => {
                            if let Some(x) = chars.next() {
                                cur.push(x);
                            }
                        }
                        Some(x) => cur.push(x),
                        None => return Err("unclosed quote".into()),
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(x) = chars.next() {
                    cur.push(x);
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    out.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        out.push(cur);
    }
    Ok(out)
}

/// Moves a list cursor (arrows, j k, pages, g G); false when the key is not a move.
fn list_move(code: KeyCode, cursor: &mut usize, page: usize, n: usize) -> bool {
    *cursor = match code {
        KeyCode::Down | KeyCode::Char('j') => *cursor + 1,
        KeyCode::Up | KeyCode::Char('k') => cursor.saturating_sub(1),
        KeyCode::PageDown | KeyCode::Char(' ') => *cursor + page,
        KeyCode::PageUp | KeyCode::Char('b') => cursor.saturating_sub(page),
        KeyCode::Home | KeyCode::Char('g') => 0,
        KeyCode::End | KeyCode::Char('G') => n,
        _ => return false,
    };
    true
}
