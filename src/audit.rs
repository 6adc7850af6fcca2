//! Audit grouping: the entries of one action (tied by a request id, or any field) as one
//! group, with its time span, services, user, worst level and first message.
//!
//! Groups are built in one streaming pass over the query's entries: each chunk of the scan
//! builds its groups, and chunks merge (in any order: every group statistic is a min, a max,
//! a sum or a first-by-time). The state per group is fixed in size (a few services, the first
//! message cut to a length); entry references are kept only when asked for. Entries without
//! the key are counted apart.
//!
//! A [`Grouper`] keeps only the open groups in memory: the engine hands results over in time
//! order (file order, chronological across inputs), and a group with no entry for
//! [`Grouper::idle`] behind the latest time seen is closed, written to an unnamed temporary
//! file, and kept in memory as 48 bytes to sort it by (and 16 to find it again). A closed
//! group that gets another entry (a file out of order, an action longer than the idle time)
//! is read back and reopened, so the idle time bounds memory, never correctness.

use std::collections::HashMap;
use std::hash::{BuildHasher, BuildHasherDefault};
use std::io::{self, Write};

use crate::engine::Collector;
use crate::entry::{Entry, Level, WellKnown};

/// Shared text of groups (cheap to clone, one allocation per distinct value).
pub type Text = std::sync::Arc<str>;

/// Distinct strings, handed out as shared [`Text`]. One per collector (a chunk of the scan:
/// groups of other chunks keep their own copies). Bounded: past a number of distinct values
/// (addresses, paths) new ones are not kept, only handed out.
#[derive(Debug, Default)]
struct Interner(std::collections::HashSet<Text>);

impl Interner {
    const MAX: usize = 1 << 16;

    fn get(&mut self, s: &str) -> Text {
        if let Some(t) = self.0.get(s) {
            return t.clone();
        }
        let t = Text::from(s);
        if self.0.len() < Self::MAX {
            self.0.insert(t.clone());
        }
        t
    }
}

/// Field names taken as the resource of an action when none is given.
pub const RESOURCE_FIELDS: [&str; 6] = ["path", "resource", "node", "file", "object", "NodePath"];

/// Services kept per group.
const MAX_SERVICES: usize = 12;
/// Characters of the first message kept.
const MSG_CHARS: usize = 240;
/// Bits of a packed entry reference that hold the line (17 trillion lines; a million sources).
const REF_LINE_BITS: u32 = 44;
const REF_LINE_MASK: u64 = (1 << REF_LINE_BITS) - 1;

/// What groups entries.
#[derive(Clone, Debug, PartialEq)]
pub enum GroupKey {
    /// A well-known field (the request id by default).
    Known(WellKnown),
    /// Any field or dotted path.
    Field(String),
}

impl GroupKey {
    /// Reads `--by` (a contract key or any field).
    pub fn parse(s: &str) -> GroupKey {
        match WellKnown::from_key(s) {
            Some(w) => GroupKey::Known(w),
            None => GroupKey::Field(s.to_string()),
        }
    }

    fn value<'e>(&self, e: &'e Entry<'_>) -> Option<std::borrow::Cow<'e, str>> {
        match self {
            GroupKey::Known(w) => e.get_known(*w).map(std::borrow::Cow::Borrowed),
            GroupKey::Field(f) => e.field(f),
        }
        .filter(|v| !v.is_empty())
    }

    /// The name shown.
    pub fn name(&self) -> &str {
        match self {
            GroupKey::Known(w) => w.key(),
            GroupKey::Field(f) => f,
        }
    }
}

/// One group.
#[derive(Clone, Debug, Default)]
pub struct Group {
    /// The key's value.
    pub key: Text,
    /// Entries.
    pub count: u64,
    /// Earliest and latest times (ns), when any entry has one.
    pub first: Option<i64>,
    /// Latest time.
    pub last: Option<i64>,
    /// Services touched, in order of first appearance (at most a dozen).
    pub services: Vec<Text>,
    /// More services than kept.
    pub more_services: bool,
    /// The user (of the earliest entry that names one).
    pub user: Option<(i64, Text)>,
    /// The client IP (of the earliest entry that names one).
    pub ip: Option<(i64, Text)>,
    /// The worst level.
    pub worst: Option<Level>,
    /// The first message (of the earliest entry).
    pub first_msg: Option<(i64, Text)>,
    /// The resource (of the earliest entry that has one).
    pub resource: Option<(i64, Text)>,
    /// Hosts or instances seen.
    pub hosts: Vec<Text>,
    /// Entry references when kept, packed (source id in the top 20 bits, line in the low 44
    /// bits: half the memory of a pair); read them with [`Group::entry_refs`].
    pub refs: Vec<u64>,
}

impl Group {
    /// Duration from the first to the last entry (ns).
    pub fn duration(&self) -> i64 {
        match (self.first, self.last) {
            (Some(a), Some(b)) => b - a,
            _ => 0,
        }
    }

    /// The entry references, as (source id, line), in file order once sorted.
    pub fn entry_refs(&self) -> impl Iterator<Item = (u32, u64)> + '_ {
        self.refs.iter().map(|r| ((r >> REF_LINE_BITS) as u32, r & REF_LINE_MASK))
    }

    /// Whether an entry of the group is an error or worse.
    pub fn failed(&self) -> bool {
        self.worst.is_some_and(|l| l >= Level::Error)
    }

    fn keep_first(slot: &mut Option<(i64, Text)>, t: i64, v: &str, strings: &mut Interner) {
        if slot.as_ref().is_none_or(|(t0, _)| t < *t0) {
            *slot = Some((t, strings.get(v)));
        }
    }

    fn add(&mut self, e: &Entry<'_>, resource: Option<&str>, keep_refs: bool, strings: &mut Interner) {
        self.count += 1;
        let t = e.ts.map_or(i64::MAX, |t| t.nanos);
        if let Some(ts) = e.ts {
            self.first = Some(self.first.map_or(ts.nanos, |f| f.min(ts.nanos)));
            self.last = Some(self.last.map_or(ts.nanos, |l| l.max(ts.nanos)));
        }
        if let Some(s) = e.get_known(WellKnown::Service) {
            if !self.services.iter().any(|x| &**x == s) {
                if self.services.len() < MAX_SERVICES {
                    self.services.push(strings.get(s));
                } else {
                    self.more_services = true;
                }
            }
        }
        if let Some(h) = e.get_known(WellKnown::Host) {
            if !self.hosts.iter().any(|x| &**x == h) && self.hosts.len() < MAX_SERVICES {
                self.hosts.push(strings.get(h));
            }
        }
        if let Some(u) = e.get_known(WellKnown::User) {
            Self::keep_first(&mut self.user, t, u, strings);
        }
        if let Some(ip) = e.get_known(WellKnown::Ip) {
            Self::keep_first(&mut self.ip, t, ip, strings);
        }
        if let Some(r) = resource {
            Self::keep_first(&mut self.resource, t, r, strings);
        }
        if self.first_msg.as_ref().is_none_or(|(t0, _)| t < *t0) {
            let m = match e.msg.char_indices().nth(MSG_CHARS) {
                Some((i, _)) => &e.msg[..i],
                None => &e.msg[..],
            };
            self.first_msg = Some((t, strings.get(m)));
        }
        self.worst = self.worst.max(e.level);
        if keep_refs {
            self.refs.push((u64::from(e.source) << REF_LINE_BITS) | (e.line_no & REF_LINE_MASK));
        }
    }

    fn merge(&mut self, o: Group) {
        self.count += o.count;
        self.first = match (self.first, o.first) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self.last = match (self.last, o.last) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        for s in o.services {
            if !self.services.contains(&s) {
                if self.services.len() < MAX_SERVICES {
                    self.services.push(s);
                } else {
                    self.more_services = true;
                }
            }
        }
        self.more_services |= o.more_services;
        for h in o.hosts {
            if !self.hosts.contains(&h) && self.hosts.len() < MAX_SERVICES {
                self.hosts.push(h);
            }
        }
        for (slot, other) in [
            (&mut self.user, o.user),
            (&mut self.ip, o.ip),
            (&mut self.first_msg, o.first_msg),
            (&mut self.resource, o.resource),
        ] {
            if let Some((t, v)) = other {
                if slot.as_ref().is_none_or(|(t0, _)| t < *t0) {
                    *slot = Some((t, v));
                }
            }
        }
        self.worst = self.worst.max(o.worst);
        self.refs.extend(o.refs);
    }
}

/// Groups of a scan, and the entries without a key.
#[derive(Debug, Default)]
pub struct Groups {
    /// Groups by key (boxed: the table's spare slots then cost a pointer, not a group, and
    /// sorting moves pointers; measured 190 -> 125 MiB for 176k groups).
    pub map: HashMap<Text, Box<Group>>,
    /// Entries without the key.
    pub without_key: u64,
}

impl Groups {
    /// Adds another scan's groups.
    pub fn merge(&mut self, o: Groups) {
        self.without_key += o.without_key;
        for (k, g) in o.map {
            match self.map.get_mut(&k) {
                Some(mine) => mine.merge(*g),
                None => {
                    self.map.insert(k, g);
                }
            }
        }
    }

    /// The groups sorted as `--sort` says (`time`, `duration`, `size`, `level`), all in memory
    /// (a [`Grouper`] keeps only the open ones).
    #[allow(clippy::vec_box)] // boxed on purpose, see `map`
    pub fn sorted(self, by: &str) -> Vec<Box<Group>> {
        let mut v: Vec<Box<Group>> = self.map.into_values().collect();
        v.sort_by(|a, b| SortKey::cmp(by, &SortKey::of(a), &SortKey::of(b)).then_with(|| a.key.cmp(&b.key)));
        for g in v.iter_mut() {
            g.refs.sort_unstable();
        }
        v
    }
}

/// What groups are sorted by (the key breaks ties): first time (none last), duration,
/// entries, worst level (0 none, else level + 1).
#[derive(Clone, Copy, Debug)]
struct SortKey {
    first: i64,
    duration: i64,
    count: u64,
    worst: u8,
}

impl SortKey {
    fn of(g: &Group) -> SortKey {
        SortKey {
            first: g.first.unwrap_or(i64::MAX),
            duration: g.duration(),
            count: g.count,
            worst: level_byte(g.worst),
        }
    }

    /// The order of `--sort`: `time` (first entry), `duration`, `size`, `level`; biggest first
    /// for all but time. Equal ones go by key.
    fn cmp(by: &str, a: &SortKey, b: &SortKey) -> std::cmp::Ordering {
        match by {
            "duration" => b.duration.cmp(&a.duration),
            "size" | "entries" => b.count.cmp(&a.count),
            "level" => b.worst.cmp(&a.worst).then_with(|| a.first.cmp(&b.first)),
            _ => a.first.cmp(&b.first),
        }
    }
}

/// Builds groups from a scan.
pub struct AuditCollector {
    /// The grouping key.
    pub key: GroupKey,
    /// A field naming the resource (`path`, `node`), when asked for.
    pub resource_field: Option<String>,
    /// Keep entry references.
    pub keep_refs: bool,
    /// Groups so far.
    pub groups: Groups,
    /// One copy of each service, host, user, address, resource and first message: groups
    /// share them (a few hundred distinct values across hundreds of thousands of groups).
    strings: Interner,
}

impl AuditCollector {
    /// A collector.
    pub fn new(key: GroupKey, resource_field: Option<String>, keep_refs: bool) -> AuditCollector {
        AuditCollector { key, resource_field, keep_refs, groups: Groups::default(), strings: Interner::default() }
    }
}

impl Collector for AuditCollector {
    type Out = Groups;
    fn entry(&mut self, e: &Entry<'_>) {
        let Some(k) = self.key.value(e) else {
            self.groups.without_key += 1;
            return;
        };
        let resource = match &self.resource_field {
            Some(f) => e.field(f),
            // The resource when there is one: the usual names of a path or object.
            None => RESOURCE_FIELDS.iter().find_map(|f| {
                e.fields.iter().find(|(k, _)| k == f).map(|(_, v)| std::borrow::Cow::Borrowed(v.as_text()))
            }),
        };
        match self.groups.map.get_mut(k.as_ref()) {
            Some(g) => g.add(e, resource.as_deref(), self.keep_refs, &mut self.strings),
            None => {
                let key: Text = Text::from(k.as_ref());
                let mut g = Box::new(Group { key: key.clone(), ..Group::default() });
                g.add(e, resource.as_deref(), self.keep_refs, &mut self.strings);
                self.groups.map.insert(key, g);
            }
        }
    }
    fn take(&mut self) -> Groups {
        std::mem::take(&mut self.groups)
    }
}

/// Activity of one resource (or one user): actions, people, times.
#[derive(Clone, Debug, Default)]
pub struct Activity {
    /// The resource (or user).
    pub name: Text,
    /// Actions (groups) that touched it.
    pub actions: u64,
    /// Distinct users (or resources, for a user).
    pub others: Vec<Text>,
    /// Last update (ns).
    pub last: Option<i64>,
    /// The actions: (first time, user or resource, first message, worst level, group key),
    /// in time order.
    pub history: Vec<HistoryItem>,
}

/// One action in an activity history: (first time, user or resource, first message, worst level, group key).
pub type HistoryItem = (Option<i64>, Text, Text, Option<Level>, Text);

/// Summarises groups per resource (`by_user`: per user, listing resources), keeping the
/// earliest `keep` actions of each history (the counts are of all of them).
pub fn activity(groups: impl IntoIterator<Item = Group>, by_user: bool, keep: usize) -> Vec<Activity> {
    let mut map: HashMap<Text, Activity> = HashMap::new();
    let none = Text::from("");
    for g in groups {
        let user = g.user.as_ref().map_or_else(|| none.clone(), |(_, u)| u.clone());
        let res = g.resource.as_ref().map_or_else(|| none.clone(), |(_, r)| r.clone());
        let (name, other) = if by_user { (user, res) } else { (res, user) };
        if name.is_empty() {
            continue;
        }
        let a = map.entry(name.clone()).or_insert_with(|| Activity { name, ..Activity::default() });
        a.actions += 1;
        if !other.is_empty() && !a.others.contains(&other) {
            a.others.push(other.clone());
        }
        a.last = a.last.max(g.last);
        let msg = g.first_msg.as_ref().map_or_else(|| none.clone(), |(_, m)| m.clone());
        a.history.push((g.first, other, msg, g.worst, g.key));
        if a.history.len() >= keep.max(1) * 2 {
            a.history.sort_by_key(|h| h.0);
            a.history.truncate(keep);
        }
    }
    let mut v: Vec<Activity> = map.into_values().collect();
    for a in v.iter_mut() {
        a.history.sort_by_key(|h| h.0);
        a.history.truncate(keep);
        a.others.sort();
    }
    v.sort_by(|a, b| b.last.cmp(&a.last).then_with(|| a.name.cmp(&b.name)));
    v
}

/// A closed group in the spill file, with what sorting and filtering need.
#[derive(Clone, Copy, Debug)]
struct Closed {
    /// Where its record starts in the spill file.
    off: u64,
    /// The record's length.
    len: u32,
    /// The next closed group whose key has the same hash ([`NONE`] for none).
    next: u32,
    /// What it is sorted by (`count` 0 once reopened: a dead record).
    sort: SortKey,
}

const NONE: u32 = u32::MAX;

/// Hashes a key to find its closed group (collisions are followed and checked on the key).
fn key_hash(k: &str) -> u64 {
    BuildHasherDefault::<rustc_hash::FxHasher>::default().hash_one(k)
}

/// Where closed groups go: an unnamed temporary file, or memory when none can be made.
enum Spill {
    File { w: io::BufWriter<std::fs::File>, len: u64 },
    Mem(Vec<u8>),
}

impl Spill {
    fn new() -> Spill {
        match tempfile::tempfile() {
            Ok(f) => Spill::File { w: io::BufWriter::with_capacity(1 << 20, f), len: 0 },
            Err(_) => Spill::Mem(Vec::new()),
        }
    }

    fn append(&mut self, rec: &[u8]) -> io::Result<u64> {
        match self {
            Spill::File { w, len } => {
                let off = *len;
                w.write_all(rec)?;
                *len += rec.len() as u64;
                Ok(off)
            }
            Spill::Mem(v) => {
                let off = v.len() as u64;
                v.extend_from_slice(rec);
                Ok(off)
            }
        }
    }

    fn read(&mut self, off: u64, len: u32) -> io::Result<Vec<u8>> {
        match self {
            Spill::File { w, .. } => {
                use std::os::unix::fs::FileExt;
                w.flush()?;
                let mut buf = vec![0u8; len as usize];
                w.get_ref().read_exact_at(&mut buf, off)?;
                Ok(buf)
            }
            Spill::Mem(v) => Ok(v[off as usize..off as usize + len as usize].to_vec()),
        }
    }

    fn into_bytes(self) -> io::Result<SpillBytes> {
        match self {
            Spill::File { w, len } => {
                let f = w.into_inner().map_err(|e| e.into_error())?;
                if len == 0 {
                    return Ok(SpillBytes::Mem(Vec::new()));
                }
                // SAFETY: the file is unnamed and only this process holds it: nobody can
                // shrink it while mapped.
                Ok(SpillBytes::Map(unsafe { memmap2::Mmap::map(&f)? }))
            }
            Spill::Mem(v) => Ok(SpillBytes::Mem(v)),
        }
    }
}

enum SpillBytes {
    Map(memmap2::Mmap),
    Mem(Vec<u8>),
}

impl std::ops::Deref for SpillBytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            SpillBytes::Map(m) => m,
            SpillBytes::Mem(v) => v,
        }
    }
}

fn put_str(b: &mut Vec<u8>, s: &str) {
    b.extend_from_slice(&(s.len() as u32).to_le_bytes());
    b.extend_from_slice(s.as_bytes());
}

fn put_opt(b: &mut Vec<u8>, v: &Option<(i64, Text)>) {
    match v {
        Some((t, s)) => {
            b.push(1);
            b.extend_from_slice(&t.to_le_bytes());
            put_str(b, s);
        }
        None => b.push(0),
    }
}

fn put_time(b: &mut Vec<u8>, t: Option<i64>) {
    match t {
        Some(t) => {
            b.push(1);
            b.extend_from_slice(&t.to_le_bytes());
        }
        None => b.push(0),
    }
}

fn level_byte(l: Option<Level>) -> u8 {
    l.map_or(0, |l| l as u8 + 1)
}

fn byte_level(b: u8) -> Option<Level> {
    crate::entry::LEVELS.get(usize::from(b).checked_sub(1)?).copied()
}

/// A group as a record: the key first (read alone to compare), then the rest.
fn encode(g: &Group, b: &mut Vec<u8>) {
    b.clear();
    put_str(b, &g.key);
    b.extend_from_slice(&g.count.to_le_bytes());
    put_time(b, g.first);
    put_time(b, g.last);
    b.push(level_byte(g.worst));
    b.push(u8::from(g.more_services));
    for list in [&g.services, &g.hosts] {
        b.push(list.len() as u8);
        for s in list.iter() {
            put_str(b, s);
        }
    }
    for v in [&g.user, &g.ip, &g.first_msg, &g.resource] {
        put_opt(b, v);
    }
    b.extend_from_slice(&(g.refs.len() as u64).to_le_bytes());
    for r in &g.refs {
        b.extend_from_slice(&r.to_le_bytes());
    }
}

/// Reads a record written by [`encode`].
struct Rec<'a>(&'a [u8]);

impl<'a> Rec<'a> {
    fn take(&mut self, n: usize) -> &'a [u8] {
        let (a, b) = self.0.split_at(n.min(self.0.len()));
        self.0 = b;
        a
    }
    fn u8(&mut self) -> u8 {
        self.take(1).first().copied().unwrap_or(0)
    }
    fn u64(&mut self) -> u64 {
        let mut a = [0u8; 8];
        let s = self.take(8);
        a[..s.len()].copy_from_slice(s);
        u64::from_le_bytes(a)
    }
    fn str(&mut self) -> &'a str {
        let mut a = [0u8; 4];
        let s = self.take(4);
        a[..s.len()].copy_from_slice(s);
        let n = u32::from_le_bytes(a) as usize;
        std::str::from_utf8(self.take(n)).unwrap_or("")
    }
    fn time(&mut self) -> Option<i64> {
        (self.u8() == 1).then(|| self.u64() as i64)
    }
    fn opt(&mut self) -> Option<(i64, Text)> {
        (self.u8() == 1).then(|| (self.u64() as i64, Text::from(self.str())))
    }
}

fn decode_key(rec: &[u8]) -> &str {
    Rec(rec).str()
}

fn decode(rec: &[u8]) -> Group {
    let mut r = Rec(rec);
    let key = Text::from(r.str());
    let count = r.u64();
    let first = r.time();
    let last = r.time();
    let worst = byte_level(r.u8());
    let more_services = r.u8() == 1;
    let mut lists = [Vec::new(), Vec::new()];
    for l in lists.iter_mut() {
        let n = r.u8();
        *l = (0..n).map(|_| Text::from(r.str())).collect();
    }
    let [services, hosts] = lists;
    let (user, ip, first_msg, resource) = (r.opt(), r.opt(), r.opt(), r.opt());
    let n = r.u64() as usize;
    let mut refs: Vec<u64> = (0..n.min(r.0.len() / 8)).map(|_| r.u64()).collect();
    refs.sort_unstable();
    Group { key, count, first, last, services, more_services, user, ip, worst, first_msg, resource, hosts, refs }
}

/// An error of the temporary file of closed groups, naming it.
fn spill_error(e: io::Error) -> io::Error {
    io::Error::new(e.kind(), format!("the temporary file of closed request groups: {e}"))
}

/// Builds groups from the results of a scan received in time order, keeping only the open
/// ones in memory (see the module's documentation).
pub struct Grouper {
    open: HashMap<Text, Box<Group>>,
    closed: Vec<Closed>,
    by_hash: HashMap<u64, u32, BuildHasherDefault<rustc_hash::FxHasher>>,
    spill: Spill,
    buf: Vec<u8>,
    /// Entries without the key.
    pub without_key: u64,
    /// The latest time seen.
    latest: Option<i64>,
    /// How long a group stays open without an entry (ns, behind the latest time seen).
    pub idle: i64,
    sweep_at: usize,
    min_sweep: usize,
    /// Groups read back from the spill file because an entry came after they were closed.
    pub reopened: u64,
}

impl Default for Grouper {
    fn default() -> Self {
        Grouper::new()
    }
}

impl Grouper {
    /// Ten minutes: an action longer than that is still one group (it is read back), it only
    /// costs a read.
    pub const IDLE: i64 = 600 * 1_000_000_000;
    const MIN_SWEEP: usize = 4096;

    /// An empty grouper.
    pub fn new() -> Grouper {
        Grouper {
            open: HashMap::new(),
            closed: Vec::new(),
            by_hash: HashMap::default(),
            spill: Spill::new(),
            buf: Vec::new(),
            without_key: 0,
            latest: None,
            idle: Grouper::IDLE,
            sweep_at: Grouper::MIN_SWEEP,
            min_sweep: Grouper::MIN_SWEEP,
            reopened: 0,
        }
    }

    /// Groups open now.
    pub fn open_len(&self) -> usize {
        self.open.len()
    }

    /// Takes in the groups of the next results. An error is the temporary file's, said so.
    pub fn add(&mut self, groups: Groups) -> io::Result<()> {
        self.add_groups(groups).map_err(spill_error)
    }

    fn add_groups(&mut self, groups: Groups) -> io::Result<()> {
        self.without_key += groups.without_key;
        for (k, g) in groups.map {
            if let Some(l) = g.last {
                self.latest = Some(self.latest.map_or(l, |x| x.max(l)));
            }
            if let Some(mine) = self.open.get_mut(&k) {
                mine.merge(*g);
            } else if let Some(mut old) = self.take_closed(&k)? {
                old.merge(*g);
                self.reopened += 1;
                self.open.insert(k, Box::new(old));
            } else {
                self.open.insert(k, g);
            }
        }
        if self.open.len() >= self.sweep_at {
            self.sweep()?;
        }
        Ok(())
    }

    /// Closes the groups idle for longer than [`Grouper::idle`].
    fn sweep(&mut self) -> io::Result<()> {
        if let Some(latest) = self.latest {
            let cut = latest.saturating_sub(self.idle);
            let mut done = Vec::new();
            self.open.retain(|_, g| {
                if g.last.is_some_and(|l| l < cut) {
                    done.push(std::mem::take(&mut **g));
                    false
                } else {
                    true
                }
            });
            for g in done {
                self.close(&g)?;
            }
        }
        self.sweep_at = (self.open.len() * 2).max(self.min_sweep);
        Ok(())
    }

    fn close(&mut self, g: &Group) -> io::Result<()> {
        encode(g, &mut self.buf);
        let off = self.spill.append(&self.buf)?;
        let idx = u32::try_from(self.closed.len()).map_err(|_| io::Error::other("more than 4 billion groups"))?;
        let slot = self.by_hash.entry(key_hash(&g.key)).or_insert(NONE);
        self.closed.push(Closed { off, len: self.buf.len() as u32, next: *slot, sort: SortKey::of(g) });
        *slot = idx;
        Ok(())
    }

    /// The closed group of a key, read back and unlinked, when there is one.
    fn take_closed(&mut self, k: &str) -> io::Result<Option<Group>> {
        self.take_closed_at(k, key_hash(k))
    }

    fn take_closed_at(&mut self, k: &str, h: u64) -> io::Result<Option<Group>> {
        let Some(&head) = self.by_hash.get(&h) else { return Ok(None) };
        let (mut prev, mut i) = (NONE, head);
        while i != NONE {
            let c = self.closed[i as usize];
            let rec = self.spill.read(c.off, c.len)?;
            if decode_key(&rec) == k {
                if prev == NONE {
                    if c.next == NONE {
                        self.by_hash.remove(&h);
                    } else {
                        self.by_hash.insert(h, c.next);
                    }
                } else {
                    self.closed[prev as usize].next = c.next;
                }
                self.closed[i as usize].sort.count = 0;
                return Ok(Some(decode(&rec)));
            }
            prev = i;
            i = c.next;
        }
        Ok(None)
    }

    /// Closes every group and sorts them (`time`, `duration`, `size`, `level`). An error is
    /// the temporary file's, said so.
    pub fn finish(self, by: &str) -> io::Result<Finished> {
        self.finish_all(by).map_err(spill_error)
    }

    fn finish_all(mut self, by: &str) -> io::Result<Finished> {
        let open = std::mem::take(&mut self.open);
        for g in open.into_values() {
            self.close(&g)?;
        }
        drop(self.by_hash);
        let mut order = self.closed;
        order.retain(|c| c.sort.count > 0);
        let data = self.spill.into_bytes()?;
        let mut fin = Finished { data, order, without_key: self.without_key, reopened: self.reopened };
        fin.sort(by);
        Ok(fin)
    }
}

/// Every group of a scan, sorted, read one at a time from the spill file.
pub struct Finished {
    data: SpillBytes,
    order: Vec<Closed>,
    /// Entries without the key.
    pub without_key: u64,
    /// Groups reopened while grouping.
    pub reopened: u64,
}

impl Finished {
    /// Groups.
    pub fn len(&self) -> usize {
        self.order.len()
    }

    /// No group.
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// The groups in order (their entry references sorted).
    pub fn iter(&self) -> impl Iterator<Item = Group> + '_ {
        self.order.iter().map(|c| self.decode(c))
    }

    /// The group at a position of the order.
    pub fn get(&self, i: usize) -> Option<Group> {
        self.order.get(i).map(|c| self.decode(c))
    }

    fn decode(&self, c: &Closed) -> Group {
        decode(record(&self.data, c))
    }

    /// Sorts the groups again (`time`, `duration`, `size`, `level`).
    pub fn sort(&mut self, by: &str) {
        let data = &self.data;
        let key = |c: &Closed| decode_key(record(data, c));
        self.order.sort_by(|a, b| SortKey::cmp(by, &a.sort, &b.sort).then_with(|| key(a).cmp(key(b))));
    }
}

/// The record of a closed group in the spill file.
fn record<'a>(data: &'a [u8], c: &Closed) -> &'a [u8] {
    &data[c.off as usize..c.off as usize + c.len as usize]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Groups of one "chunk": entries (key, time, level, service, ref) already grouped.
    fn chunk(entries: &[(String, i64, Level, &str, u64)]) -> Groups {
        let mut out = Groups::default();
        for (k, t, l, svc, r) in entries {
            let g = out
                .map
                .entry(Text::from(k.as_str()))
                .or_insert_with(|| Box::new(Group { key: Text::from(k.as_str()), ..Group::default() }));
            let mut one = Group {
                key: g.key.clone(),
                count: 1,
                first: Some(*t),
                last: Some(*t),
                services: vec![Text::from(*svc)],
                worst: Some(*l),
                user: (*r % 3 == 0).then(|| (*t, Text::from(format!("u{r}")))),
                first_msg: Some((*t, Text::from(format!("message {r} \u{1b}[31m é")))),
                refs: vec![*r],
                ..Group::default()
            };
            if *r % 7 == 0 {
                one.resource = Some((*t, Text::from("pydio/personal/x")));
                one.hosts.push(Text::from("cells-2"));
            }
            g.merge(one);
        }
        out
    }

    fn entries(n: u64) -> Vec<(String, i64, Level, &'static str, u64)> {
        // Keys mostly local in time; every 97th entry returns to an old key, far behind.
        let mut x: u64 = 12345;
        (0..n)
            .map(|i| {
                x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                let k = if i % 97 == 0 { (x >> 33) % (i / 10 + 1) } else { i / 10 + (x >> 40) % 5 };
                let lvl = crate::entry::LEVELS[((x >> 20) % 6) as usize];
                let svc = ["auth", "tree", "jobs", "meta"][((x >> 10) % 4) as usize];
                (format!("req-{k}"), i as i64 * 1_000_000 + ((x >> 50) % 3) as i64, lvl, svc, i)
            })
            .collect()
    }

    #[test]
    fn closing_and_reopening_gives_the_groups_of_one_map() {
        let es = entries(20_000);
        let mut reference = Groups::default();
        let mut grouper = Grouper::new();
        grouper.idle = 5_000_000; // 5 ms of the entries' 1 ms steps
        grouper.min_sweep = 8;
        grouper.sweep_at = 8;
        let mut max_open = 0;
        for part in es.chunks(37) {
            reference.merge(chunk(part));
            grouper.add(chunk(part)).unwrap();
            max_open = max_open.max(grouper.open_len());
        }
        let want: Vec<String> = reference.sorted("time").iter().map(|g| format!("{g:?}")).collect();
        for by in ["time", "duration", "size", "level"] {
            let mut g2 = Grouper::new();
            g2.idle = 5_000_000;
            g2.min_sweep = 8;
            g2.sweep_at = 8;
            for part in es.chunks(37) {
                g2.add(chunk(part)).unwrap();
            }
            let fin = g2.finish(by).unwrap();
            let mut reference = Groups::default();
            for part in es.chunks(37) {
                reference.merge(chunk(part));
            }
            let want_by: Vec<String> = reference.sorted(by).iter().map(|g| format!("{g:?}")).collect();
            let got: Vec<String> = fin.iter().map(|g| format!("{g:?}")).collect();
            assert_eq!(got.len(), want_by.len(), "sorted by {by}");
            assert!(got == want_by, "sorted by {by}: the groups differ");
        }
        let fin = grouper.finish("time").unwrap();
        assert!(fin.reopened > 100, "the test must reopen groups: {}", fin.reopened);
        assert!(max_open < 200, "open groups stay few: {max_open}");
        let got: Vec<String> = fin.iter().map(|g| format!("{g:?}")).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn keys_with_the_same_hash_are_told_apart() {
        let mut g = Grouper::new();
        g.idle = 0;
        g.min_sweep = 1;
        g.sweep_at = 1;
        let e = |k: &str, t: i64| chunk(&[(k.to_string(), t, Level::Info, "svc", t as u64)]);
        g.add(e("a", 1)).unwrap();
        g.add(e("b", 2)).unwrap();
        g.add(e("c", 3)).unwrap(); // a and b closed by now
                                   // Chain "b" behind "a" as if their hashes collided, then reopen both.
        let (ha, hb) = (key_hash("a"), key_hash("b"));
        let ib = g.by_hash.remove(&hb).unwrap();
        let ia = g.by_hash[&ha];
        g.closed[ib as usize].next = ia;
        g.by_hash.insert(ha, ib);
        assert!(g.take_closed_at("zzz", ha).unwrap().is_none());
        let a = g.take_closed_at("a", ha).unwrap().expect("a found behind b");
        assert_eq!(&*a.key, "a");
        assert!(g.take_closed_at("a", ha).unwrap().is_none(), "taken once");
        let b = g.take_closed_at("b", ha).unwrap().expect("b still found");
        assert_eq!(&*b.key, "b");
        assert!(!g.by_hash.contains_key(&ha), "the chain is gone");
        for x in [a, b] {
            g.open.insert(x.key.clone(), Box::new(x));
        }
        let fin = g.finish("time").unwrap();
        let keys: Vec<String> = fin.iter().map(|x| x.key.to_string()).collect();
        assert_eq!(keys, ["a", "b", "c"]);
        assert_eq!(fin.iter().map(|x| x.count).sum::<u64>(), 3);
    }
}
