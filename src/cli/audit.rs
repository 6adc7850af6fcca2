//! `logx audit`: actions, not lines. Groups entries by request id (or any field) and shows
//! each group, one group's timeline, or the activity of resources and users.

use std::io::{self, Write};
use std::sync::Arc;

use super::args::{AuditArgs, StatsOutput};
use super::{write_out, Ctx, Fatal, EXIT_MATCH, EXIT_NO_MATCH};
use logx::audit::{activity, AuditCollector, Finished, Group, GroupKey, Grouper};
use logx::engine;
use logx::entry::{Entry, Level};
use logx::format::json::write_str;
use logx::query::{Pattern, Query};
use logx::sink::safe::escaped;
use logx::sink::{level_label, style, write_local_time};
use logx::source::{Input, SourceError};
use logx::stats::human_duration;

fn time(ctx: &Ctx, nanos: Option<i64>) -> String {
    match nanos {
        Some(n) => {
            let mut v = Vec::new();
            write_local_time(&mut v, n, &ctx.zone);
            String::from_utf8(v).unwrap_or_default()
        }
        None => "-".repeat(23),
    }
}

fn ms(ns: i64) -> String {
    if ns < 1_000_000_000 {
        format!("{}ms", ns / 1_000_000)
    } else if ns < 60_000_000_000 {
        format!("{:.1}s", ns as f64 / 1e9)
    } else {
        human_duration(ns)
    }
}

fn cut(s: &str, w: usize) -> String {
    let e = escaped(s);
    if e.chars().count() <= w {
        format!("{e:<w$}")
    } else {
        let c: String = e.chars().take(w.saturating_sub(1)).collect();
        format!("{c}…")
    }
}

/// Runs the grouping over inputs; the groups come back sorted (`--sort`), read one at a time.
pub(crate) fn groups_of(
    ctx: &mut Ctx,
    inputs: &[Input],
    query: &Arc<Query>,
    key: &GroupKey,
    resource_field: Option<String>,
    keep_refs: bool,
    sort: &str,
) -> Result<Finished, Fatal> {
    let mut cfg = ctx.engine()?;
    cfg.need_line_numbers = keep_refs;
    let quiet = ctx.global.quiet;
    let mut errors = 0usize;
    let mut report = |e: SourceError| {
        if super::report_line(&e, quiet) {
            errors += 1;
        }
    };
    let mut all = Grouper::new();
    engine::run(
        inputs,
        &cfg,
        query,
        || AuditCollector::new(key.clone(), resource_field.clone(), keep_refs),
        |g| {
            all.add(g)?;
            Ok(true)
        },
        &mut report,
    )?;
    ctx.errors += errors;
    Ok(all.finish(sort)?)
}

fn group_json(out: &mut Vec<u8>, g: &Group, by: &str, names: &[String]) {
    let ts = |out: &mut Vec<u8>, t: Option<i64>| match t {
        Some(n) => {
            out.push(b'"');
            logx::entry::Timestamp { nanos: n, frac_digits: 3 }.write_rfc3339(out);
            out.push(b'"');
        }
        None => out.extend_from_slice(b"null"),
    };
    let opt = |out: &mut Vec<u8>, v: &Option<(i64, logx::audit::Text)>| match v {
        Some((_, s)) => write_str(out, s),
        None => out.extend_from_slice(b"null"),
    };
    out.extend_from_slice(b"{\"by\":");
    write_str(out, by);
    out.extend_from_slice(b",\"key\":");
    write_str(out, &g.key);
    out.extend_from_slice(b",\"first_ts\":");
    ts(out, g.first);
    out.extend_from_slice(b",\"last_ts\":");
    ts(out, g.last);
    out.extend_from_slice(
        format!(",\"duration_ms\":{:.3},\"entries\":{},\"services\":[", g.duration() as f64 / 1e6, g.count).as_bytes(),
    );
    for (i, s) in g.services.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_str(out, s);
    }
    out.extend_from_slice(b"],\"hosts\":[");
    for (i, s) in g.hosts.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_str(out, s);
    }
    out.extend_from_slice(b"],\"user\":");
    opt(out, &g.user);
    out.extend_from_slice(b",\"ip\":");
    opt(out, &g.ip);
    out.extend_from_slice(b",\"worst_level\":");
    match g.worst {
        Some(l) => write_str(out, l.as_str()),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(format!(",\"failed\":{},\"first_msg\":", g.failed()).as_bytes());
    opt(out, &g.first_msg);
    out.extend_from_slice(b",\"resource\":");
    opt(out, &g.resource);
    out.extend_from_slice(b",\"entries_at\":[");
    for (i, (src, line)) in g.entry_refs().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"source\":");
        write_str(out, names.get(src as usize).map_or("-", String::as_str));
        out.extend_from_slice(format!(",\"line\":{line}}}").as_bytes());
    }
    out.extend_from_slice(b"]}\n");
}

pub(super) fn run(ctx: &mut Ctx, a: AuditArgs) -> Result<i32, Fatal> {
    let mut spec = a.filters.spec();
    let key = GroupKey::parse(a.by.as_deref().unwrap_or("request_id"));
    if let Some(id) = &a.id {
        // One group's timeline.
        match &key {
            GroupKey::Known(logx::entry::WellKnown::RequestId) => spec.request_ids = vec![id.clone()],
            other => spec.wheres.push(format!("{}={}", other.name(), id.replace('*', "\\*"))),
        }
    }
    let mut query = ctx.query(&spec)?;
    let min_duration = match &a.min_duration {
        Some(d) => Some(logx::query::timeexpr::parse_duration(d).map_err(|e| Fatal(format!("--min-duration {e}")))?),
        None => None,
    };
    let resource_pattern = a.resource.as_deref().map(Pattern::new);
    let resource_field = a.resource_field.clone().or_else(|| a.resource.as_ref().map(|_| "path".to_string()));
    let inputs = ctx.inputs(&a.paths)?;
    super::patterns::attach(ctx, &mut query, &inputs)?;
    let query = Arc::new(query);
    let names = super::names(&inputs);
    if let Some(id) = &a.id {
        return timeline(ctx, &inputs, &query, id, &names);
    }
    let keep_refs = a.output == StatsOutput::Json;
    let groups = groups_of(ctx, &inputs, &query, &key, resource_field, keep_refs, &a.sort)?;
    let without = groups.without_key;
    let list = groups.iter().filter(|g| {
        (!a.failed || g.failed())
            && min_duration.is_none_or(|m| g.duration() >= m)
            && resource_pattern.as_ref().is_none_or(|p| g.resource.as_ref().is_some_and(|(_, r)| p.matches(r)))
    });
    let mut any = false;
    let color = ctx.color_stdout();
    let paint = |out: &mut Vec<u8>, c: &str| {
        if color {
            out.extend_from_slice(c.as_bytes());
        }
    };
    let mut out = Vec::new();
    if a.resource.is_some() || a.by_user {
        let acts = activity(list.inspect(|_| any = true), a.by_user, a.limit);
        for act in &acts {
            let what = if a.by_user { "resources" } else { "users" };
            paint(&mut out, style::BOLD);
            out.extend_from_slice(escaped(&act.name).as_bytes());
            paint(&mut out, style::RESET);
            out.extend_from_slice(
                format!(
                    "\n  last update {}  ·  {} actions  ·  {} {what}: {}\n",
                    time(ctx, act.last),
                    act.actions,
                    act.others.len(),
                    escaped(&act.others.join(", "))
                )
                .as_bytes(),
            );
            for (t, who, msg, lvl, key) in &act.history {
                out.extend_from_slice(format!("    {}  ", time(ctx, *t)).as_bytes());
                paint(&mut out, style::level(*lvl));
                out.extend_from_slice(level_label(*lvl).as_bytes());
                paint(&mut out, style::RESET);
                out.extend_from_slice(
                    format!(" {}  {}  [{}]\n", cut(who, 16), escaped(msg), cut(key, 12).trim_end()).as_bytes(),
                );
            }
        }
        if acts.is_empty() {
            out.extend_from_slice(b"no activity\n");
        }
    } else if a.output == StatsOutput::Json {
        // Written as it goes, each group freed once written: the JSON of every group at once
        // would be about half the input's size in memory.
        let mut stdout = io::stdout().lock();
        for g in list {
            any = true;
            group_json(&mut out, &g, key.name(), &names);
            if out.len() >= 1 << 20 {
                if !write_out(&mut stdout, &out, false)? {
                    return Ok(EXIT_MATCH);
                }
                out.clear();
            }
        }
        if without > 0 && !ctx.global.quiet {
            super::error_line(&format!("note: {without} entries without {} are not grouped", key.name()));
        }
    } else {
        // One pass: the rows shown are kept, the others only counted.
        let (mut total, mut failed, mut any_resource) = (0usize, 0usize, false);
        let mut shown: Vec<Group> = Vec::new();
        for g in list {
            total += 1;
            failed += usize::from(g.failed());
            any_resource |= g.resource.is_some();
            if shown.len() < a.limit {
                shown.push(g);
            }
        }
        any = total > 0;
        let head = format!(
            "{:<23} {:>8} {:>7}  {:<5}  {:<32} {:<12} {:<15} {}\n",
            "first",
            "duration",
            "entries",
            "level",
            "services",
            "user",
            "ip",
            if any_resource { "resource · message" } else { "message" }
        );
        paint(&mut out, style::BOLD);
        out.extend_from_slice(head.as_bytes());
        paint(&mut out, style::RESET);
        for g in &shown {
            out.extend_from_slice(
                format!("{} {:>8} {:>7}  ", time(ctx, g.first), ms(g.duration()), g.count).as_bytes(),
            );
            paint(&mut out, style::level(g.worst));
            out.extend_from_slice(level_label(g.worst).as_bytes());
            paint(&mut out, style::RESET);
            let svcs = g.services.iter().map(|s| s.rsplit('.').next().unwrap_or(s)).collect::<Vec<_>>().join(",");
            let user = g.user.as_ref().map_or("", |(_, u)| &**u);
            let ip = g.ip.as_ref().map_or("", |(_, u)| &**u);
            let msg = g.first_msg.as_ref().map_or("", |(_, m)| &**m);
            let msg = msg.split('\n').next().unwrap_or("");
            let rest = match &g.resource {
                Some((_, r)) => format!("{} · {}", escaped(r), escaped(msg)),
                None => escaped(msg).into_owned(),
            };
            out.extend_from_slice(
                format!("  {} {} {} {}\n", cut(&svcs, 32), cut(user, 12), cut(ip, 15), rest).as_bytes(),
            );
        }
        out.extend_from_slice(
            format!(
                "\n{} groups by {} ({} failed){}; {} entries without {}\n",
                total,
                key.name(),
                failed,
                if total > a.limit { format!(", {} shown (--limit)", a.limit) } else { String::new() },
                without,
                key.name()
            )
            .as_bytes(),
        );
    }
    let mut stdout = io::stdout().lock();
    write_out(&mut stdout, &out, true)?;
    let _ = stdout.flush();
    Ok(if any { EXIT_MATCH } else { EXIT_NO_MATCH })
}

/// One group's entries as a timeline: offsets from its start, services, a waterfall.
fn timeline(
    ctx: &mut Ctx,
    inputs: &[Input],
    query: &Arc<Query>,
    id: &str,
    names: &Arc<Vec<String>>,
) -> Result<i32, Fatal> {
    struct Row {
        ts: Option<i64>,
        level: Option<Level>,
        service: String,
        host: String,
        msg: String,
        src: String,
        line: u64,
    }
    struct Rows(Vec<Row>, Arc<Vec<String>>);
    impl engine::Collector for Rows {
        type Out = Vec<Row>;
        fn entry(&mut self, e: &Entry<'_>) {
            self.0.push(Row {
                ts: e.ts.map(|t| t.nanos),
                level: e.level,
                service: e.get_known(logx::entry::WellKnown::Service).unwrap_or("").to_string(),
                host: e.get_known(logx::entry::WellKnown::Host).unwrap_or("").to_string(),
                msg: e.msg.split('\n').next().unwrap_or("").to_string(),
                src: self.1.get(e.source as usize).cloned().unwrap_or_default(),
                line: e.line_no,
            });
        }
        fn take(&mut self) -> Vec<Row> {
            std::mem::take(&mut self.0)
        }
    }
    let cfg = ctx.engine()?;
    let quiet = ctx.global.quiet;
    let mut errors = 0;
    let mut report = |e: SourceError| {
        if super::report_line(&e, quiet) {
            errors += 1;
        }
    };
    let mut rows = Vec::new();
    engine::run(
        inputs,
        &cfg,
        query,
        || Rows(Vec::new(), names.clone()),
        |r| {
            rows.extend(r);
            Ok(true)
        },
        &mut report,
    )?;
    ctx.errors += errors;
    if rows.is_empty() {
        super::error_line(&format!("no entry with request id {id}"));
        return Ok(EXIT_NO_MATCH);
    }
    rows.sort_by_key(|r| r.ts.unwrap_or(i64::MAX));
    let start = rows.iter().find_map(|r| r.ts).unwrap_or(0);
    let end = rows.iter().filter_map(|r| r.ts).max().unwrap_or(start);
    let span = (end - start).max(1);
    let color = ctx.color_stdout();
    let mut out = Vec::new();
    let services: Vec<&str> = {
        let mut v: Vec<&str> = Vec::new();
        for r in &rows {
            if !r.service.is_empty() && !v.contains(&r.service.as_str()) {
                v.push(&r.service);
            }
        }
        v
    };
    out.extend_from_slice(
        format!("{} · {} entries · {} · {} services\n", escaped(id), rows.len(), ms(end - start), services.len())
            .as_bytes(),
    );
    const BAR: usize = 30;
    for r in &rows {
        let off = r.ts.map_or(0, |t| t - start);
        let pos = ((off as f64 / span as f64) * (BAR - 1) as f64).round() as usize;
        let bar: String = (0..BAR)
            .map(|i| {
                if i == pos {
                    '■'
                } else if i < pos {
                    '─'
                } else {
                    ' '
                }
            })
            .collect();
        out.extend_from_slice(format!("  +{:>8}  |{bar}|  ", ms(off)).as_bytes());
        if color {
            out.extend_from_slice(style::level(r.level).as_bytes());
        }
        out.extend_from_slice(level_label(r.level).as_bytes());
        if color {
            out.extend_from_slice(style::RESET.as_bytes());
        }
        out.extend_from_slice(
            format!(
                "  {}  {}  {}  ({}:{})\n",
                cut(&r.service, 22),
                cut(&r.host, 10),
                escaped(&r.msg),
                escaped(logx::sink::short_name(&r.src)),
                r.line
            )
            .as_bytes(),
        );
    }
    let mut stdout = io::stdout().lock();
    write_out(&mut stdout, &out, true)?;
    Ok(EXIT_MATCH)
}
