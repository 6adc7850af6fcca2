//! Message patterns: online template mining in the family of Drain (He et al., ICWS 2017).
//!
//! A message is first *masked*: its first line is cut into whitespace-separated tokens;
//! timestamps written inside the message (`Fri Jun 17 07:07:00 2005`, `2026-11-21 10:00:00`)
//! become one variable; a path or URL becomes a variable; and inside every other token the
//! pieces between delimiters (`= : , ; ( ) [ ] { } " '`) that hold a digit become variables,
//! so `uid=0` reads `uid=<*>`, `mice.c(1234)` reads `mice.c(<*>)` and numbers, hex, IPs,
//! UUIDs, durations and sizes disappear while the keys around them stay. Runs of variables
//! collapse into one, so lists of any length (`delete blk_1 blk_2 blk_3`) share a template.
//!
//! Masked messages are then clustered by Drain's fixed-depth prefix tree: the first level is
//! the token count, the next levels the leading tokens (a variable token goes down the `<*>`
//! branch, and a node with too many children sends new tokens there too), and the leaf holds
//! templates. A message joins the most similar template of its leaf when the share of
//! positions where both hold the same token reaches the threshold; the positions that differ
//! become `<*>`.
//!
//! The same masked message always gets the same template (an exact cache in front of the
//! tree), which also makes mining cheap: a scan keeps one record per distinct masked message
//! (in parallel, chunk by chunk), and the tree sees each distinct message once, in the order
//! of their first appearance, so template ids are the same whatever the number of threads.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use regex::Regex;
use rustc_hash::FxHashMap;

use crate::engine::Collector;
use crate::entry::{Entry, Level};
use crate::query::{Query, TimeRange};
use crate::sink::TemplateLookup;

/// The variable marker.
pub const WILD: &str = "<*>";
/// Tokens kept from a message; the rest become one variable.
const MAX_TOKENS: usize = 96;
/// Bytes of a message's first line that are mined.
const MAX_BYTES: usize = 4096;
/// Characters kept of an example message.
const EXAMPLE_CHARS: usize = 300;

fn date_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?x)
            (?:\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun),?\ )?
            \b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\ +\d{1,2},?\ (?:\d{4}\ )?
            \d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\ \d{4})?\b
            |
            \b\d{4}-\d{2}-\d{2}[T\ ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?",
        )
        .expect("date regex")
    })
}

fn is_delim(c: u8) -> bool {
    matches!(c, b'=' | b':' | b',' | b';' | b'(' | b')' | b'[' | b']' | b'{' | b'}' | b'"' | b'\'')
}

fn is_path(t: &str) -> bool {
    let b = t.as_bytes();
    if let Some(i) = t.find("://") {
        return i > 0 && b[..i].iter().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'.' | b'-'));
    }
    let rest = match b {
        [b'/', r @ ..] => r,
        [b'~' | b'.', b'/', r @ ..] => r,
        _ => return false,
    };
    // At least two segments: `/var/log`, not `/` or `/tmp`.
    match rest.iter().position(|&c| c == b'/') {
        Some(i) => i > 0 && i + 1 < rest.len(),
        None => false,
    }
}

/// Top-level domains that make a dotted name a host name (`proxy.cse.cuhk.edu.hk`), which is
/// a variable, unlike a dotted class or package name (`org.apache.hadoop.Foo`).
const TLDS: [&str; 30] = [
    "com",
    "net",
    "org",
    "edu",
    "gov",
    "mil",
    "int",
    "io",
    "hk",
    "cn",
    "uk",
    "de",
    "fr",
    "jp",
    "ru",
    "br",
    "in",
    "it",
    "nl",
    "au",
    "ca",
    "us",
    "eu",
    "info",
    "biz",
    "local",
    "lan",
    "internal",
    "localdomain",
    "arpa",
];

fn is_host(piece: &str) -> bool {
    let mut labels = 0;
    let mut last = "";
    for l in piece.split('.') {
        if l.is_empty() || !l.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-') {
            return false;
        }
        labels += 1;
        last = l;
    }
    labels >= 3 && TLDS.iter().any(|t| last.eq_ignore_ascii_case(t))
}

fn is_variable(piece: &str) -> bool {
    piece.bytes().any(|c| c.is_ascii_digit()) || is_host(piece)
}

/// Writes the masked form of one token.
fn mask_token(t: &str, out: &mut String) {
    if t == WILD || is_path(t) {
        out.push_str(WILD);
        return;
    }
    let b = t.as_bytes();
    if !b.iter().any(u8::is_ascii_digit) && memchr::memchr_iter(b'.', b).nth(1).is_none() {
        out.push_str(t);
        return;
    }
    let mut i = 0;
    while i < b.len() {
        if is_delim(b[i]) {
            out.push(b[i] as char);
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && !is_delim(b[i]) {
            i += 1;
        }
        let piece = &t[start..i];
        if is_variable(piece) {
            out.push_str(WILD);
        } else {
            out.push_str(piece);
        }
    }
}

/// Masks a message: the tokens of its first line, variables replaced, joined by single
/// spaces, into `out` (cleared first).
pub fn mask(msg: &str, out: &mut String) {
    out.clear();
    let mut line = msg.split('\n').next().unwrap_or("");
    if line.len() > MAX_BYTES {
        let mut end = MAX_BYTES;
        while !line.is_char_boundary(end) {
            end -= 1;
        }
        line = &line[..end];
    }
    let dated;
    // A date needs a digit, a colon and a space or a T; most messages are not looked at twice.
    let b = line.as_bytes();
    if memchr::memchr(b':', b).is_some() && b.iter().any(u8::is_ascii_digit) && date_regex().is_match(line) {
        dated = date_regex().replace_all(line, WILD);
        line = &dated;
    }
    let mut n = 0;
    let mut last_wild = false;
    for t in line.split_ascii_whitespace() {
        if n == MAX_TOKENS {
            if !last_wild {
                out.push(' ');
                out.push_str(WILD);
            }
            break;
        }
        let start = out.len();
        if n > 0 {
            out.push(' ');
        }
        let tok = out.len();
        mask_token(t, out);
        let wild = &out[tok..] == WILD;
        // Runs of variables collapse into one.
        if wild && last_wild {
            out.truncate(start);
            continue;
        }
        last_wild = wild;
        n += 1;
    }
}

/// Settings of the miner.
#[derive(Clone, Debug)]
pub struct MinerConfig {
    /// Depth of the prefix tree (the token-count level, the leading-token levels, the leaf).
    pub depth: usize,
    /// Similarity a message needs to join a template.
    pub similarity: f64,
    /// Children per tree node before new tokens share the `<*>` branch.
    pub max_children: usize,
}

impl Default for MinerConfig {
    fn default() -> Self {
        MinerConfig { depth: 4, similarity: 0.8, max_children: 100 }
    }
}

#[derive(Default, Debug)]
struct Node {
    children: HashMap<Box<str>, Node>,
    templates: Vec<u32>,
}

/// The template miner.
#[derive(Debug, Default)]
pub struct Miner {
    cfg: MinerConfig,
    roots: FxHashMap<usize, Node>,
    /// Templates, by id - 1.
    templates: Vec<Vec<Box<str>>>,
    /// Masked message -> template index.
    exact: FxHashMap<Box<str>, u32>,
}

impl Miner {
    /// A miner.
    pub fn new(cfg: MinerConfig) -> Miner {
        Miner { cfg, ..Miner::default() }
    }

    /// Number of templates.
    pub fn len(&self) -> usize {
        self.templates.len()
    }

    /// Whether no template was mined.
    pub fn is_empty(&self) -> bool {
        self.templates.is_empty()
    }

    /// The text of a template (ids start at 1).
    pub fn template(&self, id: u32) -> String {
        self.templates.get(id as usize - 1).map_or_else(String::new, |t| t.join(" "))
    }

    fn leaf_path<'t>(&self, toks: &[&'t str]) -> Vec<&'t str> {
        toks.iter().take(self.cfg.depth.saturating_sub(2)).copied().collect()
    }

    fn similarity(tpl: &[Box<str>], toks: &[&str]) -> (f64, usize) {
        let mut same = 0usize;
        let mut vars = 0usize;
        for (a, b) in tpl.iter().zip(toks) {
            if &**a == WILD {
                vars += 1;
                if *b == WILD {
                    same += 1;
                }
            } else if &**a == *b {
                same += 1;
            }
        }
        (if tpl.is_empty() { 1.0 } else { same as f64 / tpl.len() as f64 }, vars)
    }

    fn best(&self, leaf: &[u32], toks: &[&str]) -> Option<u32> {
        let mut best: Option<(u32, f64, usize)> = None;
        for &i in leaf {
            let (s, v) = Self::similarity(&self.templates[i as usize], toks);
            if best.is_none_or(|(_, bs, bv)| s > bs || (s == bs && v > bv)) {
                best = Some((i, s, v));
            }
        }
        best.filter(|&(_, s, _)| s >= self.cfg.similarity).map(|(i, _, _)| i)
    }

    /// Adds a masked message (see [`mask`]); returns its template id (from 1).
    pub fn add(&mut self, masked: &str) -> u32 {
        if let Some(&i) = self.exact.get(masked) {
            return i + 1;
        }
        let toks: Vec<&str> = if masked.is_empty() { Vec::new() } else { masked.split(' ').collect() };
        let leaf = self.node_mut(&toks).templates.clone();
        let id = match self.best(&leaf, &toks) {
            Some(i) => {
                let tpl = &mut self.templates[i as usize];
                for (a, b) in tpl.iter_mut().zip(&toks) {
                    if &**a != *b {
                        *a = WILD.into();
                    }
                }
                i
            }
            None => {
                let i = self.templates.len() as u32;
                self.templates.push(toks.iter().map(|t| (*t).into()).collect());
                self.node_mut(&toks).templates.push(i);
                i
            }
        };
        self.exact.insert(masked.into(), id);
        id + 1
    }

    fn node_mut(&mut self, toks: &[&str]) -> &mut Node {
        let path = self.leaf_path(toks);
        let max_children = self.cfg.max_children;
        let mut node = self.roots.entry(toks.len()).or_default();
        for t in path {
            // A new token gets its own branch while there is room beside the variable one.
            let room = node.children.len() + usize::from(!node.children.contains_key(WILD)) < max_children;
            let key: &str = if t == WILD || node.children.contains_key(t) || room { t } else { WILD };
            node = node.children.entry(key.into()).or_default();
        }
        node
    }

    /// The template id of a masked message without learning from it: the exact cache, else
    /// the most similar template of its leaf.
    pub fn lookup(&self, masked: &str) -> Option<u32> {
        if let Some(&i) = self.exact.get(masked) {
            return Some(i + 1);
        }
        let toks: Vec<&str> = if masked.is_empty() { Vec::new() } else { masked.split(' ').collect() };
        let mut node = self.roots.get(&toks.len())?;
        for t in self.leaf_path(&toks) {
            node = node.children.get(t).or_else(|| node.children.get(WILD))?;
        }
        self.best(&node.templates, &toks).map(|i| i + 1)
    }
}

/// What a scan learns about one distinct masked message.
#[derive(Clone, Debug, Default)]
pub struct SeqStats {
    /// Where it first appeared (source, byte offset), for a stable mining order.
    pub first_at: (u32, u64),
    /// Entries (all of them).
    pub total: u64,
    /// Entries that pass the query.
    pub count: u64,
    /// Matching entries per level (index 6: no level).
    pub levels: [u64; 7],
    /// First and last time of the matching entries (ns).
    pub first: Option<i64>,
    /// Last time.
    pub last: Option<i64>,
    /// A matching message.
    pub example: Option<String>,
    /// Matching entries in the two compared periods.
    pub periods: [u64; 2],
    /// Matching entries per time bucket.
    pub buckets: Vec<u32>,
}

impl SeqStats {
    fn merge(&mut self, o: SeqStats) {
        if o.first_at < self.first_at {
            self.first_at = o.first_at;
            if o.example.is_some() {
                self.example = o.example.clone();
            }
        }
        if self.example.is_none() {
            self.example = o.example;
        }
        self.total += o.total;
        self.count += o.count;
        for i in 0..7 {
            self.levels[i] += o.levels[i];
        }
        self.first = min_opt(self.first, o.first);
        self.last = max_opt(self.last, o.last);
        self.periods[0] += o.periods[0];
        self.periods[1] += o.periods[1];
        if self.buckets.len() < o.buckets.len() {
            self.buckets.resize(o.buckets.len(), 0);
        }
        for (a, b) in self.buckets.iter_mut().zip(o.buckets) {
            *a += b;
        }
    }
}

fn min_opt(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    }
}

fn max_opt(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.max(y)),
        (x, y) => x.or(y),
    }
}

/// Distinct masked messages of a scan.
pub type Seqs = FxHashMap<Box<str>, SeqStats>;

/// Time buckets for sparklines: start, width, count.
#[derive(Clone, Copy, Debug, Default)]
pub struct Buckets {
    /// Start (ns).
    pub start: i64,
    /// Width (ns).
    pub width: i64,
    /// Number of buckets (0: none kept).
    pub n: usize,
}

/// Collects distinct masked messages of every entry, and which of them pass a query.
pub struct PatternCollector {
    /// The filter deciding which entries are counted (templates are mined from all).
    pub query: Arc<Query>,
    /// Two periods to compare.
    pub periods: Option<[TimeRange; 2]>,
    /// Sparkline buckets.
    pub buckets: Buckets,
    seqs: Seqs,
    buf: String,
}

impl PatternCollector {
    /// A collector.
    pub fn new(query: Arc<Query>, periods: Option<[TimeRange; 2]>, buckets: Buckets) -> PatternCollector {
        PatternCollector { query, periods, buckets, seqs: Seqs::default(), buf: String::new() }
    }
}

impl Collector for PatternCollector {
    type Out = Seqs;
    fn entry(&mut self, e: &Entry<'_>) {
        mask(&e.msg, &mut self.buf);
        let at = (e.source, e.offset);
        let s = match self.seqs.get_mut(self.buf.as_str()) {
            Some(s) => s,
            None => self
                .seqs
                .entry(self.buf.as_str().into())
                .or_insert_with(|| SeqStats { first_at: at, ..SeqStats::default() }),
        };
        s.total += 1;
        if at < s.first_at {
            s.first_at = at;
        }
        if !self.query.is_all() && !self.query.matches(e) {
            return;
        }
        s.count += 1;
        s.levels[e.level.map_or(6, Level::index)] += 1;
        if s.example.is_none() {
            s.example = Some(e.msg.split('\n').next().unwrap_or("").chars().take(EXAMPLE_CHARS).collect());
        }
        if let Some(t) = e.ts {
            let t = t.nanos;
            s.first = Some(s.first.map_or(t, |f| f.min(t)));
            s.last = Some(s.last.map_or(t, |l| l.max(t)));
            if let Some(p) = &self.periods {
                for (i, r) in p.iter().enumerate() {
                    if r.contains(t) {
                        s.periods[i] += 1;
                    }
                }
            }
            let b = self.buckets;
            if b.n > 0 && b.width > 0 && t >= b.start {
                let i = ((t - b.start) / b.width) as usize;
                if i < b.n {
                    if s.buckets.len() < b.n {
                        s.buckets.resize(b.n, 0);
                    }
                    s.buckets[i] += 1;
                }
            }
        }
    }
    fn take(&mut self) -> Seqs {
        std::mem::take(&mut self.seqs)
    }
    /// The message, time and level are all a template needs; fields only when the query
    /// that counts looks at them.
    fn needs(&self) -> crate::engine::Lite {
        crate::engine::query_needs(&self.query).max(crate::engine::Lite::WithMsg)
    }
}

/// Adds one scan part's sequences to the others.
pub fn merge_seqs(into: &mut Seqs, part: Seqs) {
    for (k, v) in part {
        match into.get_mut(&k) {
            Some(s) => s.merge(v),
            None => {
                into.insert(k, v);
            }
        }
    }
}

/// One template and what the scan saw of it.
#[derive(Clone, Debug, Default)]
pub struct Pattern {
    /// Id (from 1, in order of first appearance).
    pub id: u32,
    /// The template, variables as `<*>`.
    pub template: String,
    /// Entries of every scan that carry it.
    pub total: u64,
    /// Matching entries.
    pub count: u64,
    /// Matching entries per level (index 6: none).
    pub levels: [u64; 7],
    /// First time.
    pub first: Option<i64>,
    /// Last time.
    pub last: Option<i64>,
    /// An example (the earliest matching message).
    pub example: Option<String>,
    /// Matching entries in the two compared periods.
    pub periods: [u64; 2],
    /// Per time bucket.
    pub buckets: Vec<u32>,
}

/// Templates mined from a scan, and a lookup from any message to its template.
#[derive(Debug)]
pub struct Table {
    /// The miner (read only once built).
    pub miner: Miner,
    /// The templates, by id - 1.
    pub patterns: Vec<Pattern>,
}

impl Table {
    /// Mines the distinct messages of a scan in the order they first appeared.
    pub fn build(seqs: Seqs, cfg: MinerConfig) -> Table {
        let mut v: Vec<(Box<str>, SeqStats)> = seqs.into_iter().collect();
        v.sort_by(|a, b| a.1.first_at.cmp(&b.1.first_at).then_with(|| a.0.cmp(&b.0)));
        let mut miner = Miner::new(cfg);
        let mut patterns: Vec<Pattern> = Vec::new();
        for (k, s) in v {
            let id = miner.add(&k);
            if id as usize > patterns.len() {
                patterns.push(Pattern { id, ..Pattern::default() });
            }
            let p = &mut patterns[id as usize - 1];
            p.total += s.total;
            p.count += s.count;
            for i in 0..7 {
                p.levels[i] += s.levels[i];
            }
            p.first = min_opt(p.first, s.first);
            p.last = max_opt(p.last, s.last);
            p.periods[0] += s.periods[0];
            p.periods[1] += s.periods[1];
            if p.buckets.len() < s.buckets.len() {
                p.buckets.resize(s.buckets.len(), 0);
            }
            for (a, b) in p.buckets.iter_mut().zip(&s.buckets) {
                *a += b;
            }
            if p.example.is_none() {
                p.example = s.example;
            }
        }
        for p in patterns.iter_mut() {
            p.template = miner.template(p.id);
        }
        Table { miner, patterns }
    }

    /// The template id of a message (0 when it fits none).
    pub fn id_of(&self, msg: &str) -> u32 {
        let mut buf = String::new();
        mask(msg, &mut buf);
        self.miner.lookup(&buf).unwrap_or(0)
    }
}

impl TemplateLookup for Table {
    fn id_of(&self, msg: &str) -> u64 {
        Table::id_of(self, msg) as u64
    }
    fn template_of(&self, msg: &str) -> (u64, String) {
        let id = self.id_of(msg);
        let text = if id == 0 {
            let mut buf = String::new();
            mask(msg, &mut buf);
            buf
        } else {
            self.patterns[id as usize - 1].template.clone()
        };
        (id as u64, text)
    }
}

/// Mines as entries come (streams that cannot be read twice): ids follow arrival order.
#[derive(Debug, Default)]
pub struct Online {
    miner: Mutex<Miner>,
}

impl Online {
    /// An online miner.
    pub fn new(cfg: MinerConfig) -> Online {
        Online { miner: Mutex::new(Miner::new(cfg)) }
    }
}

impl TemplateLookup for Online {
    fn template_of(&self, msg: &str) -> (u64, String) {
        let mut buf = String::new();
        mask(msg, &mut buf);
        let mut m = self.miner.lock().unwrap_or_else(|p| p.into_inner());
        let id = m.add(&buf);
        (id as u64, m.template(id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn masked(s: &str) -> String {
        let mut b = String::new();
        mask(s, &mut b);
        b
    }

    #[test]
    fn masking_keeps_keys_and_drops_values() {
        assert_eq!(
            masked("uid=0 euid=0 tty=NODEVssh ruser= rhost=218.188.2.4"),
            "uid=<*> euid=<*> tty=NODEVssh ruser= rhost=<*>"
        );
        assert_eq!(masked("*** info [mice.c(1234)]:"), "*** info [mice.c(<*>)]:");
        assert_eq!(
            masked("BLOCK* ask 10.250.18.114:50010 to delete  blk_-51 blk_77 blk_12"),
            "BLOCK* ask <*>:<*> to delete <*>"
        );
        assert_eq!(
            masked("connection from 24.54.76.216 () at Fri Jun 17 07:07:00 2005"),
            "connection from <*> () at <*>"
        );
        assert_eq!(masked("opened /var/log/app.log for 3.5ms"), "opened <*> for <*>");
        assert_eq!(masked("GET https://example.com/x?y=1 took 12ms"), "GET <*> took <*>");
        assert_eq!(masked("user 550e8400-e29b-41d4-a716-446655440000 logged in"), "user <*> logged in");
        assert_eq!(
            masked("via proxy.cse.cuhk.edu.hk:5070 by org.apache.hadoop.Foo"),
            "via <*>:<*> by org.apache.hadoop.Foo"
        );
        assert_eq!(masked("first line\n\tat Foo.bar(Foo.java:12)"), "first line");
        assert_eq!(masked(""), "");
        assert_eq!(masked("<*> <*> x"), "<*> x");
    }

    #[test]
    fn mining_known_templates() {
        let lines = [
            "Received block blk_1 of size 67108864 from /10.0.0.1",
            "Received block blk_2 of size 1024 from /10.0.0.2",
            "PacketResponder 1 for block blk_1 terminating",
            "Accepted password for alice from 10.0.0.1 port 2222 ssh2",
            "Accepted password for bob from 10.0.0.2 port 2223 ssh2",
            "PacketResponder 2 for block blk_9 terminating",
            "Transitioned from NEW to RUNNING",
            "Transitioned from RUNNING to DONE",
        ];
        let mut m = Miner::new(MinerConfig::default());
        let mut b = String::new();
        let ids: Vec<u32> = lines
            .iter()
            .map(|l| {
                mask(l, &mut b);
                m.add(&b)
            })
            .collect();
        assert_eq!(ids, [1, 1, 2, 3, 3, 2, 4, 5]);
        assert_eq!(m.template(1), "Received block <*> of size <*> from <*>");
        assert_eq!(m.template(2), "PacketResponder <*> for block <*> terminating");
        // `ssh2` holds a digit: a variable, joined to the port before it.
        assert_eq!(m.template(3), "Accepted password for <*> from <*> port <*>");
        // Two transitions differ in two of five words: kept apart (states are not variables).
        assert_eq!(m.template(4), "Transitioned from NEW to RUNNING");
        mask("Received block blk_7 of size 3 from /10.9.9.9", &mut b);
        assert_eq!(m.lookup(&b), Some(1));
        mask("Something never seen", &mut b);
        assert_eq!(m.lookup(&b), None);
    }

    #[test]
    fn the_prefix_tree_caps_its_children() {
        let mut m = Miner::new(MinerConfig { max_children: 3, ..MinerConfig::default() });
        for u in ["a", "b", "c", "d", "e"] {
            m.add(&format!("login {u} accepted from the web"));
        }
        // Two words fit beside the variable branch; the others share it, and one template.
        assert_eq!(m.len(), 3);
        assert_eq!(m.template(3), "login <*> accepted from the web");
    }
}
