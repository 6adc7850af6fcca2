//! The query: one compiled value of every filter, shared by `cat`, `tail`, `export`,
//! `audit`, `stats`, `patterns` and the TUI.
//!
//! A [`QuerySpec`] holds the filters as the user wrote them (plain strings, from clap or the
//! TUI's query line); [`Query::compile`] checks all of them before any reading and turns them
//! into regexes, UTC bounds and levels. Kinds combine with AND; repeated values of one kind
//! are OR. [`Query::matches`] runs the cheap checks first: level, time, fields, then search.

pub mod timeexpr;
pub mod where_expr;

use std::borrow::Cow;

use crate::entry::{Entry, Level, WellKnown, LEVELS};
use crate::time::Zone;
pub use where_expr::Where;

/// Filters as written by the user.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct QuerySpec {
    /// Minimum level.
    pub level: Option<String>,
    /// Exact levels (comma-separated lists allowed); `none` selects entries without a level.
    pub levels: Vec<String>,
    /// Regexes (`-e`).
    pub grep: Vec<String>,
    /// Literal strings (`-F`).
    pub fixed: Vec<String>,
    /// Case-insensitive search.
    pub ignore_case: bool,
    /// Smart case: insensitive unless a pattern has an upper-case letter (the TUI's search).
    pub smart_case: bool,
    /// Keep entries that do not match the search.
    pub invert: bool,
    /// Search this field instead of the message.
    pub in_field: Option<String>,
    /// Search the message and every field.
    pub all_fields: bool,
    /// `--where` expressions.
    pub wheres: Vec<String>,
    /// Start (inclusive).
    pub from: Option<String>,
    /// End (exclusive).
    pub to: Option<String>,
    /// One whole day in the display zone.
    pub day: Option<String>,
    /// The last duration up to now.
    pub last: Option<String>,
    /// Host/instance values (trailing `*` is a prefix).
    pub hosts: Vec<String>,
    /// Services.
    pub services: Vec<String>,
    /// Users.
    pub users: Vec<String>,
    /// IP addresses.
    pub ips: Vec<String>,
    /// Request ids.
    pub request_ids: Vec<String>,
    /// Template ids to hide.
    pub hide_templates: Vec<u64>,
}

impl QuerySpec {
    /// Whether any filter is set (exports refuse to run without one unless `--all`).
    pub fn is_empty(&self) -> bool {
        *self == QuerySpec { ignore_case: self.ignore_case, smart_case: self.smart_case, ..QuerySpec::default() }
    }

    /// Whether the spec narrows by time.
    pub fn has_period(&self) -> bool {
        self.from.is_some() || self.to.is_some() || self.day.is_some() || self.last.is_some()
    }

    /// The filters as command-line arguments (for "the command that reproduces this view").
    pub fn to_args(&self) -> Vec<String> {
        let mut a = Vec::new();
        let mut push = |flag: &str, v: &str| {
            a.push(flag.to_string());
            a.push(v.to_string());
        };
        if let Some(l) = &self.level {
            push("--level", l);
        }
        if !self.levels.is_empty() {
            push("--levels", &self.levels.join(","));
        }
        for g in &self.grep {
            push("-e", g);
        }
        for f in &self.fixed {
            push("-F", f);
        }
        if let Some(f) = &self.in_field {
            push("--in", f);
        }
        for w in &self.wheres {
            push("--where", w);
        }
        if let Some(v) = &self.from {
            push("--from", v);
        }
        if let Some(v) = &self.to {
            push("--to", v);
        }
        if let Some(v) = &self.day {
            push("--day", v);
        }
        if let Some(v) = &self.last {
            push("--last", v);
        }
        for (flag, vals) in [
            ("--host", &self.hosts),
            ("--service", &self.services),
            ("--user", &self.users),
            ("--ip", &self.ips),
            ("--request-id", &self.request_ids),
        ] {
            for v in vals {
                push(flag, v);
            }
        }
        for t in &self.hide_templates {
            push("--hide-template", &t.to_string());
        }
        if self.ignore_case {
            a.push("-i".into());
        }
        if self.invert {
            a.push("-v".into());
        }
        if self.all_fields {
            a.push("--all-fields".into());
        }
        a
    }
}

/// An error in a query, caught before any reading.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{flag} {value}: {reason}")]
pub struct QueryError {
    /// The flag (`--from`, `--where`, ...).
    pub flag: String,
    /// The value given.
    pub value: String,
    /// What is wrong with it.
    pub reason: String,
}

fn qerr(flag: &str, value: &str, reason: impl Into<String>) -> QueryError {
    QueryError { flag: flag.into(), value: value.into(), reason: reason.into() }
}

/// A value pattern: exact, or a prefix when written with a trailing `*`.
#[derive(Clone, Debug, PartialEq)]
pub enum Pattern {
    /// Equal to.
    Exact(String),
    /// Starts with.
    Prefix(String),
}

impl Pattern {
    /// Reads `value` or `prefix*`.
    pub fn new(s: &str) -> Pattern {
        match s.strip_suffix('*') {
            Some(p) if !p.ends_with('\\') => Pattern::Prefix(p.to_string()),
            _ => Pattern::Exact(s.replace("\\*", "*")),
        }
    }

    /// Whether a value matches.
    pub fn matches(&self, v: &str) -> bool {
        match self {
            Pattern::Exact(x) => v == x,
            Pattern::Prefix(p) => v.starts_with(p.as_str()),
        }
    }
}

/// Where the search looks.
#[derive(Clone, Debug, PartialEq)]
pub enum Scope {
    /// The message.
    Msg,
    /// One field.
    Field(String),
    /// The message and every field value.
    AllFields,
}

/// The compiled search.
#[derive(Clone, Debug)]
pub struct Search {
    /// Matches any of the patterns.
    pub regex: regex::Regex,
    /// Where it looks.
    pub scope: Scope,
    /// Keep what does not match.
    pub invert: bool,
    /// A byte-level regex that every matching entry's raw bytes must match (present when
    /// every pattern is a literal that appears in the source text as written).
    pub prefilter: Option<regex::bytes::Regex>,
    /// The same prefilter as a substring search, when it is one case-sensitive literal (a
    /// regex search pays for its match-state pool on every hit).
    pub literal: Option<memchr::memmem::Finder<'static>>,
    /// The patterns, when every one is a literal and the search is case-sensitive: an entry
    /// matches when its text holds one of them (SQL pushdown compares them exactly).
    pub literals: Option<Vec<String>>,
}

impl Search {
    /// Whether the text matches (before inversion).
    pub fn is_match(&self, text: &str) -> bool {
        match &self.literal {
            // (one case-sensitive literal: a substring search, no match-state pool)
            Some(f) => f.find(text.as_bytes()).is_some(),
            None => self.regex.is_match(text),
        }
    }

    /// Match spans in `text`, for highlighting.
    pub fn spans(&self, text: &str) -> Vec<(usize, usize)> {
        self.regex.find_iter(text).filter(|m| m.end() > m.start()).map(|m| (m.start(), m.end())).collect()
    }
}

/// A time range: from (inclusive) and to (exclusive), nanoseconds since the epoch.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TimeRange {
    /// Inclusive start.
    pub from: Option<i64>,
    /// Exclusive end.
    pub to: Option<i64>,
}

impl TimeRange {
    /// Whether the range limits anything.
    pub fn is_set(&self) -> bool {
        self.from.is_some() || self.to.is_some()
    }

    /// Whether an instant is inside.
    #[inline]
    pub fn contains(&self, t: i64) -> bool {
        self.from.is_none_or(|f| t >= f) && self.to.is_none_or(|e| t < e)
    }
}

/// The compiled query.
#[derive(Clone, Debug, Default)]
pub struct Query {
    /// Bit per accepted level (bit 6: entries without a level); None accepts all.
    pub level_mask: Option<u8>,
    /// The time range.
    pub range: TimeRange,
    /// Well-known field filters (OR within a kind).
    pub known: Vec<(WellKnown, Vec<Pattern>)>,
    /// Search.
    pub search: Option<Search>,
    /// `--where` groups: AND between groups, OR inside a group (same key, `=`/`~=`).
    pub wheres: Vec<Vec<Where>>,
    /// Hidden template ids.
    pub hide_templates: Vec<u64>,
    /// Required template ids (`--where template_id=N`).
    pub only_templates: Vec<u64>,
    /// What gives an entry's template id, when template filters are used (the caller mines
    /// the templates first and sets it).
    pub templates: Option<Templates>,
}

/// The template lookup of a query.
#[derive(Clone)]
pub struct Templates(pub std::sync::Arc<dyn crate::sink::TemplateLookup>);

impl std::fmt::Debug for Templates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Templates")
    }
}

/// Bit for entries without a level in [`Query::level_mask`].
pub const NO_LEVEL_BIT: u8 = 1 << 6;

fn parse_level(flag: &str, s: &str) -> Result<Level, QueryError> {
    Level::parse_user(s.trim()).ok_or_else(|| {
        let names: Vec<&str> = LEVELS.iter().map(|l| l.as_str()).collect();
        match crate::suggest::closest(s, &names) {
            Some(c) => qerr(flag, s, format!("unknown level (did you mean '{c}'?)")),
            None => qerr(flag, s, "unknown level (trace, debug, info, warn, error, fatal)"),
        }
    })
}

impl Query {
    /// A query that keeps everything.
    pub fn all() -> Query {
        Query::default()
    }

    /// Compiles a spec. `now` (ns since the epoch) anchors relative times.
    ///
    /// # Errors
    /// The first bad filter, with the flag, its value and what is wrong.
    pub fn compile(spec: &QuerySpec, zone: &Zone, now: i64) -> Result<Query, QueryError> {
        let mut q = Query::default();
        let mut mask: Option<u8> = None;
        // `--level all`: every entry, those without a level too (overrides a configured default).
        if let Some(l) = spec.level.as_ref().filter(|l| !l.eq_ignore_ascii_case("all")) {
            let min = parse_level("--level", l)?;
            mask = Some(LEVELS.iter().filter(|x| **x >= min).fold(0u8, |m, x| m | 1 << x.index()));
        }
        if !spec.levels.is_empty() {
            let mut set = 0u8;
            for item in spec.levels.iter().flat_map(|s| s.split(',')) {
                let item = item.trim();
                if item.is_empty() {
                    continue;
                }
                if matches!(item, "none" | "null" | "-") {
                    set |= NO_LEVEL_BIT;
                } else {
                    set |= 1 << parse_level("--levels", item)?.index();
                }
            }
            mask = Some(mask.map_or(set, |m| m & set));
        }
        q.level_mask = mask;
        // Time.
        let point = |flag: &str, v: &str| timeexpr::parse_point(v, zone, now).map_err(|r| qerr(flag, v, r));
        if let Some(v) = &spec.from {
            q.range.from = Some(point("--from", v)?);
        }
        if let Some(v) = &spec.to {
            q.range.to = Some(point("--to", v)?);
        }
        if let Some(v) = &spec.day {
            let (a, b) = timeexpr::parse_day(v, zone, now).map_err(|r| qerr("--day", v, r))?;
            q.range.from = Some(q.range.from.map_or(a, |f| f.max(a)));
            q.range.to = Some(q.range.to.map_or(b, |t| t.min(b)));
        }
        if let Some(v) = &spec.last {
            let d = timeexpr::parse_duration(v).map_err(|r| qerr("--last", v, r))?;
            let a = now.saturating_sub(d);
            q.range.from = Some(q.range.from.map_or(a, |f| f.max(a)));
        }
        if let (Some(f), Some(t)) = (q.range.from, q.range.to) {
            if f >= t {
                return Err(qerr(
                    "--to",
                    spec.to.as_deref().unwrap_or(spec.day.as_deref().unwrap_or("")),
                    "the end is not after the start",
                ));
            }
        }
        for (w, vals) in [
            (WellKnown::Host, &spec.hosts),
            (WellKnown::Service, &spec.services),
            (WellKnown::User, &spec.users),
            (WellKnown::Ip, &spec.ips),
            (WellKnown::RequestId, &spec.request_ids),
        ] {
            if !vals.is_empty() {
                q.known.push((w, vals.iter().flat_map(|v| v.split(',')).map(Pattern::new).collect()));
            }
        }
        // Search.
        if !spec.grep.is_empty() || !spec.fixed.is_empty() {
            let mut parts = Vec::new();
            let mut all_literal = true;
            for g in &spec.grep {
                regex::Regex::new(g).map_err(|e| qerr("-e", g, regex_reason(&e)))?;
                if regex_syntax_is_literal(g) {
                    parts.push(g.clone());
                } else {
                    all_literal = false;
                    parts.push(format!("(?:{g})"));
                }
            }
            for f in &spec.fixed {
                if f.is_empty() {
                    return Err(qerr("-F", f, "empty search string"));
                }
                parts.push(regex::escape(f));
            }
            let has_upper = spec.grep.iter().chain(spec.fixed.iter()).any(|p| p.chars().any(char::is_uppercase));
            let insensitive = spec.ignore_case || (spec.smart_case && !has_upper);
            let pattern = parts.join("|");
            let regex = regex::RegexBuilder::new(&pattern)
                .case_insensitive(insensitive)
                .size_limit(64 << 20)
                .build()
                .map_err(|e| qerr("-e", &pattern, regex_reason(&e)))?;
            let scope = if spec.all_fields {
                Scope::AllFields
            } else if let Some(f) = &spec.in_field {
                Scope::Field(f.clone())
            } else {
                Scope::Msg
            };
            // Literals that a JSON writer would escape cannot be found in the raw bytes.
            let raw_safe = spec
                .grep
                .iter()
                .chain(spec.fixed.iter())
                .all(|p| p.bytes().all(|c| (0x20..0x7f).contains(&c) && c != b'"' && c != b'\\'));
            let prefilter = if all_literal && !spec.invert && raw_safe && scope != Scope::Field("level".into()) {
                // the flag is in the pattern, so that the pattern alone says it (SQL pushdown)
                let flagged = if insensitive { format!("(?i){pattern}") } else { pattern.clone() };
                regex::bytes::RegexBuilder::new(&flagged).unicode(false).build().ok()
            } else {
                None
            };
            let patterns: Vec<&String> = spec.grep.iter().chain(spec.fixed.iter()).collect();
            let literal = match (&patterns[..], &prefilter) {
                ([one], Some(_)) if !insensitive => Some(memchr::memmem::Finder::new(one.as_bytes()).into_owned()),
                _ => None,
            };
            let literals = (all_literal && !insensitive).then(|| patterns.iter().map(|p| p.to_string()).collect());
            q.search = Some(Search { regex, scope, invert: spec.invert, prefilter, literal, literals });
        }
        let mut groups: Vec<Vec<Where>> = Vec::new();
        for w in &spec.wheres {
            let parsed = Where::parse(w).map_err(|r| qerr("--where", w, r))?;
            if parsed.key == "template_id" {
                if let where_expr::Op::Eq(Pattern::Exact(v)) = &parsed.op {
                    if let Ok(id) = v.parse() {
                        q.only_templates.push(id);
                        continue;
                    }
                }
            }
            match groups
                .iter_mut()
                .find(|g| g[0].key == parsed.key && g[0].op.is_positive_match() && parsed.op.is_positive_match())
            {
                Some(g) => g.push(parsed),
                None => groups.push(vec![parsed]),
            }
        }
        q.wheres = groups;
        q.hide_templates = spec.hide_templates.clone();
        Ok(q)
    }

    /// Whether the query keeps everything.
    pub fn is_all(&self) -> bool {
        self.level_mask.is_none()
            && !self.range.is_set()
            && self.known.is_empty()
            && self.search.is_none()
            && self.wheres.is_empty()
            && self.hide_templates.is_empty()
            && self.only_templates.is_empty()
    }

    /// Whether the query filters on levels at most (block statistics can answer it).
    pub fn is_level_only(&self) -> bool {
        !self.range.is_set()
            && self.known.is_empty()
            && self.search.is_none()
            && self.wheres.is_empty()
            && self.hide_templates.is_empty()
            && self.only_templates.is_empty()
    }

    /// Whether the query reads nothing but the time and the level of an entry.
    pub fn needs_only_facts(&self) -> bool {
        self.known.is_empty()
            && self.search.is_none()
            && self.wheres.is_empty()
            && self.hide_templates.is_empty()
            && self.only_templates.is_empty()
    }

    /// Whether the query filters on the level or the time.
    pub fn filters_facts(&self) -> bool {
        self.level_mask.is_some() || self.range.is_set()
    }

    /// Whether the query reads nothing but the time, the level and the message.
    pub fn needs_only_facts_and_msg(&self) -> bool {
        self.known.is_empty()
            && self.search.as_ref().is_none_or(|s| s.scope == Scope::Msg)
            && self.wheres.is_empty()
            && self.hide_templates.is_empty()
            && self.only_templates.is_empty()
    }

    /// Whether an entry's level and time (ns) pass the level filter and the time range: the
    /// whole query when [`Query::needs_only_facts`].
    #[inline]
    pub fn matches_facts(&self, level: Option<Level>, ts: Option<i64>) -> bool {
        self.level_ok(level) && (!self.range.is_set() || ts.is_some_and(|t| self.range.contains(t)))
    }

    /// Whether a level passes the level filter.
    #[inline]
    pub fn level_ok(&self, level: Option<Level>) -> bool {
        match self.level_mask {
            None => true,
            Some(m) => match level {
                Some(l) => m & (1 << l.index()) != 0,
                None => m & NO_LEVEL_BIT != 0,
            },
        }
    }

    /// Whether the query filters on message templates (and needs [`Query::templates`]).
    pub fn uses_templates(&self) -> bool {
        !self.hide_templates.is_empty() || !self.only_templates.is_empty()
    }

    /// Whether an entry passes every filter (template filters need [`Query::templates`]:
    /// without it, no entry has a template).
    pub fn matches(&self, e: &Entry<'_>) -> bool {
        if !self.matches_facts(e.level, e.ts.map(|t| t.nanos)) {
            return false;
        }
        for (w, pats) in &self.known {
            match e.get_known(*w) {
                Some(v) if pats.iter().any(|p| p.matches(v)) => {}
                _ => return false,
            }
        }
        for group in &self.wheres {
            if !group.iter().any(|w| w.matches(e)) {
                return false;
            }
        }
        if let Some(s) = &self.search {
            let hit = match &s.scope {
                Scope::Msg => s.is_match(&e.msg),
                Scope::Field(f) => e.field(f).is_some_and(|v| s.is_match(&v)),
                Scope::AllFields => {
                    s.is_match(&e.msg)
                        || e.known.iter().flatten().any(|v| s.is_match(v))
                        || e.fields.iter().any(|(_, v)| s.is_match(v.as_text()))
                }
            };
            if hit == s.invert {
                return false;
            }
        }
        if self.uses_templates() {
            let id = self.templates.as_ref().map_or(0, |t| t.0.id_of(&e.msg));
            if !self.only_templates.is_empty() && !self.only_templates.contains(&id) {
                return false;
            }
            if self.hide_templates.contains(&id) {
                return false;
            }
        }
        true
    }

    /// The text the search highlights in the message (None: no search, or inverted).
    pub fn highlight_spans(&self, msg: &str) -> Vec<(usize, usize)> {
        match &self.search {
            Some(s) if !s.invert && matches!(s.scope, Scope::Msg | Scope::AllFields) => s.spans(msg),
            _ => Vec::new(),
        }
    }

    /// The raw-bytes prefilter, when the search allows one.
    pub fn prefilter(&self) -> Option<&regex::bytes::Regex> {
        self.search.as_ref().and_then(|s| s.prefilter.as_ref())
    }

    /// The start of the next prefilter hit in `data` at or after `pos` (None: no more hits,
    /// or no prefilter).
    pub fn prefilter_find(&self, data: &[u8], pos: usize) -> Option<usize> {
        let s = self.search.as_ref()?;
        match &s.literal {
            Some(f) => f.find(data.get(pos..)?).map(|i| pos + i),
            None => s.prefilter.as_ref()?.find_at(data, pos).map(|m| m.start()),
        }
    }
}

fn regex_syntax_is_literal(p: &str) -> bool {
    !p.is_empty() && !p.chars().any(|c| "\\.+*?()|[]{}^$".contains(c))
}

fn regex_reason(e: &regex::Error) -> String {
    match e {
        regex::Error::Syntax(s) => {
            let last = s.lines().last().unwrap_or(s).trim();
            format!("invalid regex: {}", last.trim_start_matches("error: "))
        }
        regex::Error::CompiledTooBig(_) => "regex too big".into(),
        _ => "invalid regex".into(),
    }
}

/// Text of a field of an entry for display and export (the well-known ones included).
pub fn field_text<'e>(e: &'e Entry<'_>, name: &str) -> Option<Cow<'e, str>> {
    e.field(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entry::{Timestamp, Value};

    fn entry() -> Entry<'static> {
        let mut e = Entry {
            level: Some(Level::Warn),
            msg: Cow::Borrowed("connection reset by peer while streaming /personal/alice/x"),
            ts: Some(Timestamp::from_parts(1_794_614_400, 0, 0)),
            format: "json",
            ..Entry::default()
        };
        e.set_known(WellKnown::User, Cow::Borrowed("alice"));
        e.set_known(WellKnown::Service, Cow::Borrowed("pydio.grpc.tree"));
        e.fields.push((Cow::Borrowed("path"), Value::Str(Cow::Borrowed("pydio/personal/alice/x"))));
        e.fields.push((Cow::Borrowed("status"), Value::Json(Cow::Borrowed("503"))));
        e.fields.push((Cow::Borrowed("req"), Value::Json(Cow::Borrowed(r#"{"method":"POST"}"#))));
        e
    }

    fn q(spec: QuerySpec) -> Query {
        Query::compile(&spec, &Zone::Utc, 1_795_275_000_000_000_000).unwrap()
    }

    #[test]
    fn combinations() {
        let e = entry();
        assert!(q(QuerySpec { level: Some("warn".into()), ..Default::default() }).matches(&e));
        assert!(!q(QuerySpec { level: Some("error".into()), ..Default::default() }).matches(&e));
        assert!(q(QuerySpec { levels: vec!["info,warn".into()], ..Default::default() }).matches(&e));
        assert!(!q(QuerySpec { levels: vec!["none".into()], ..Default::default() }).matches(&e));
        assert!(q(QuerySpec { fixed: vec!["reset by peer".into()], ..Default::default() }).matches(&e));
        assert!(!q(QuerySpec { fixed: vec!["RESET".into()], ..Default::default() }).matches(&e));
        assert!(q(QuerySpec { fixed: vec!["RESET".into()], ignore_case: true, ..Default::default() }).matches(&e));
        assert!(!q(QuerySpec { fixed: vec!["reset".into()], invert: true, ..Default::default() }).matches(&e));
        assert!(q(QuerySpec { users: vec!["bob".into(), "alice".into()], ..Default::default() }).matches(&e));
        assert!(q(QuerySpec { services: vec!["pydio.grpc.*".into()], ..Default::default() }).matches(&e));
        assert!(!q(QuerySpec {
            services: vec!["pydio.rest.*".into()],
            users: vec!["alice".into()],
            ..Default::default()
        })
        .matches(&e));
        for w in [
            "path=pydio/personal/*",
            "status>500",
            "status<600",
            "req.method=POST",
            "user=alice",
            "UserName=alice",
            "req?",
            "status!=200",
            "msg~=peer\\b",
            "level>=warn",
        ] {
            assert!(q(QuerySpec { wheres: vec![w.into()], ..Default::default() }).matches(&e), "{w}");
        }
        for w in ["path=pydio/common/*", "status>503", "req.method=GET", "nope?", "level>=error"] {
            assert!(!q(QuerySpec { wheres: vec![w.into()], ..Default::default() }).matches(&e), "{w}");
        }
        // Same key: OR; different keys: AND.
        assert!(q(QuerySpec { wheres: vec!["user=bob".into(), "user=alice".into()], ..Default::default() }).matches(&e));
        assert!(
            !q(QuerySpec { wheres: vec!["user=alice".into(), "status=200".into()], ..Default::default() }).matches(&e)
        );
        assert!(q(QuerySpec { in_field: Some("path".into()), grep: vec!["^pydio/".into()], ..Default::default() })
            .matches(&e));
        assert!(
            q(QuerySpec { all_fields: true, fixed: vec!["personal/alice".into()], ..Default::default() }).matches(&e)
        );
        assert!(q(QuerySpec { day: Some("2026-11-14".into()), ..Default::default() }).matches(&e));
        assert!(!q(QuerySpec { from: Some("2026-11-14 00:00:01".into()), ..Default::default() }).matches(&e));
        assert!(!q(QuerySpec { to: Some("2026-11-14".into()), ..Default::default() }).matches(&e), "to is exclusive");
    }

    #[test]
    fn errors_before_reading() {
        let err = |s: QuerySpec| Query::compile(&s, &Zone::Utc, 0).unwrap_err().to_string();
        assert_eq!(
            err(QuerySpec { from: Some("2026-13-01".into()), ..Default::default() }),
            "--from 2026-13-01: month 13 is out of range"
        );
        assert_eq!(
            err(QuerySpec { level: Some("wran".into()), ..Default::default() }),
            "--level wran: unknown level (did you mean 'warn'?)"
        );
        assert!(err(QuerySpec { grep: vec!["a(".into()], ..Default::default() }).starts_with("-e a(: invalid regex"));
        assert!(err(QuerySpec { wheres: vec!["=x".into()], ..Default::default() }).starts_with("--where =x:"));
        assert!(err(QuerySpec {
            from: Some("2026-11-02".into()),
            to: Some("2026-11-01".into()),
            ..Default::default()
        })
        .contains("not after the start"));
    }

    #[test]
    fn prefilter_only_for_plain_literals() {
        assert!(q(QuerySpec { fixed: vec!["connection reset by peer".into()], ..Default::default() })
            .prefilter()
            .is_some());
        let one = q(QuerySpec { fixed: vec!["reset by".into()], ..Default::default() });
        assert!(one.search.as_ref().unwrap().literal.is_some());
        let data = b"x reset by\ny reset by z";
        assert_eq!(one.prefilter_find(data, 0), Some(2));
        assert_eq!(one.prefilter_find(data, 3), Some(13));
        assert_eq!(one.prefilter_find(data, 14), None);
        assert_eq!(one.prefilter_find(data, 99), None);
        let two = q(QuerySpec { fixed: vec!["reset".into(), "by".into()], ..Default::default() });
        assert!(two.search.as_ref().unwrap().literal.is_none());
        assert_eq!(two.prefilter_find(data, 3), Some(8));
        let ci = q(QuerySpec { fixed: vec!["RESET".into()], ignore_case: true, ..Default::default() });
        assert!(ci.search.as_ref().unwrap().literal.is_none());
        assert_eq!(ci.prefilter_find(data, 0), Some(2));
        assert!(q(QuerySpec { grep: vec!["a.c".into()], ..Default::default() }).prefilter().is_none());
        assert!(q(QuerySpec { fixed: vec!["say \"hi\"".into()], ..Default::default() }).prefilter().is_none());
        assert!(q(QuerySpec { fixed: vec!["x".into()], invert: true, ..Default::default() }).prefilter().is_none());
        assert!(QuerySpec::default().is_empty());
        assert!(!QuerySpec { level: Some("warn".into()), ..Default::default() }.is_empty());
    }
}
