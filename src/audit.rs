//! Audit grouping: the entries of one action (tied by a request id, or any field) as one
//! group, with its time span, services, user, worst level and first message.
//!
//! Groups are built in one streaming pass over the query's entries: each chunk of the scan
//! builds its groups, and chunks merge (in any order: every group statistic is a min, a max,
//! a sum or a first-by-time). The state per group is fixed in size (a few services, the first
//! message cut to a length); entry references are kept only when asked for. Entries without
//! the key are counted apart.

use std::collections::HashMap;

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

    /// The groups sorted (see [`sort_groups`]).
    #[allow(clippy::vec_box)] // boxed on purpose, see `map`
    pub fn sorted(self, by: &str) -> Vec<Box<Group>> {
        let mut v: Vec<Box<Group>> = self.map.into_values().collect();
        sort_groups(&mut v, by);
        for g in v.iter_mut() {
            g.refs.sort_unstable();
        }
        v
    }
}

/// Sorts groups: `time` (first entry), `duration`, `size`, `level`; biggest first for all but
/// time.
pub fn sort_groups(v: &mut [Box<Group>], by: &str) {
    match by {
        "duration" => v.sort_by(|a, b| b.duration().cmp(&a.duration()).then_with(|| a.key.cmp(&b.key))),
        "size" | "entries" => v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key))),
        "level" => {
            v.sort_by(|a, b| b.worst.cmp(&a.worst).then_with(|| a.first.cmp(&b.first)).then_with(|| a.key.cmp(&b.key)))
        }
        _ => v.sort_by(|a, b| {
            a.first.unwrap_or(i64::MAX).cmp(&b.first.unwrap_or(i64::MAX)).then_with(|| a.key.cmp(&b.key))
        }),
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

/// Summarises groups per resource (`by_user`: per user, listing resources).
pub fn activity(groups: &[Box<Group>], by_user: bool) -> Vec<Activity> {
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
        a.history.push((g.first, other, msg, g.worst, g.key.clone()));
    }
    let mut v: Vec<Activity> = map.into_values().collect();
    for a in v.iter_mut() {
        a.history.sort_by_key(|h| h.0);
        a.others.sort();
    }
    v.sort_by(|a, b| b.last.cmp(&a.last).then_with(|| a.name.cmp(&b.name)));
    v
}
