//! `logx patterns`: the message templates of logs with their counts, levels, time span and
//! activity; `--compare` shows what is new, gone or changed between two periods. Also the
//! template lookup that `--templates` and the template filters of the other verbs use.

use logx::stats::thousands;
use std::io;
use std::sync::Arc;

use super::args::{PatternsArgs, StatsOutput};
use super::{write_out, Ctx, Fatal, EXIT_MATCH, EXIT_NO_MATCH};
use logx::engine;
use logx::entry::{Level, LEVELS};
use logx::format::json::write_str;
use logx::patterns::{merge_seqs, Buckets, MinerConfig, Online, Pattern, PatternCollector, Seqs, Table};
use logx::query::timeexpr::{parse_day, parse_point};
use logx::query::{Query, Templates, TimeRange};
use logx::sink::safe::escaped;
use logx::sink::{style, write_local_time, TemplateLookup};
use logx::source::{Input, SourceError};

/// Sparkline buckets.
const SPARK: usize = 24;

/// Mines the templates of inputs: every entry takes part in the mining (so ids do not depend
/// on filters); `query` decides which entries are counted.
pub(crate) fn mine(
    ctx: &mut Ctx,
    inputs: &[Input],
    query: Arc<Query>,
    periods: Option<[TimeRange; 2]>,
    buckets: Buckets,
    miner: MinerConfig,
) -> Result<Table, Fatal> {
    let mut cfg = ctx.engine()?;
    cfg.need_line_numbers = false;
    let quiet = ctx.global.quiet;
    let mut errors = 0usize;
    let mut report = |e: SourceError| {
        if super::report_line(&e, quiet) {
            errors += 1;
        }
    };
    let mut all = Seqs::default();
    engine::run(
        inputs,
        &cfg,
        &Query::all(),
        || PatternCollector::new(query.clone(), periods, buckets),
        |part| {
            merge_seqs(&mut all, part);
            Ok(true)
        },
        &mut report,
    )?;
    ctx.errors += errors;
    Ok(Table::build(all, miner))
}

/// The template lookup for `--templates` and template filters: mined first from files (ids
/// as `logx patterns` gives them), or as entries arrive from stdin.
pub(crate) fn lookup_for(ctx: &mut Ctx, inputs: &[Input]) -> Result<Arc<dyn TemplateLookup>, Fatal> {
    if inputs.iter().any(|i| matches!(i, Input::Stdin)) {
        return Ok(Arc::new(Online::new(MinerConfig::default())));
    }
    let t = mine(ctx, inputs, Arc::new(Query::all()), None, Buckets::default(), MinerConfig::default())?;
    Ok(Arc::new(t))
}

/// Attaches the template lookup to a query that filters on templates.
pub(crate) fn attach(ctx: &mut Ctx, query: &mut Query, inputs: &[Input]) -> Result<(), Fatal> {
    if query.uses_templates() && query.templates.is_none() {
        query.templates = Some(Templates(lookup_for(ctx, inputs)?));
    }
    Ok(())
}

/// A period: `FROM..TO` (either side may be empty) or a day.
fn period(ctx: &Ctx, s: &str) -> Result<TimeRange, Fatal> {
    let bad = |e: String| Fatal(format!("--compare {s}: {e}"));
    if let Some((a, b)) = s.split_once("..") {
        let p = |x: &str| -> Result<Option<i64>, Fatal> {
            if x.trim().is_empty() {
                Ok(None)
            } else {
                parse_point(x.trim(), &ctx.zone, ctx.now).map(Some).map_err(bad)
            }
        };
        let r = TimeRange { from: p(a)?, to: p(b)? };
        if let (Some(f), Some(t)) = (r.from, r.to) {
            if t <= f {
                return Err(Fatal(format!("--compare {s}: the period ends before it starts")));
            }
        }
        return Ok(r);
    }
    let (f, t) = parse_day(s, &ctx.zone, ctx.now)
        .map_err(|e| Fatal(format!("--compare {s}: {e} (a period is FROM..TO or a day)")))?;
    Ok(TimeRange { from: Some(f), to: Some(t) })
}

fn periods_of(ctx: &Ctx, a: &PatternsArgs) -> Result<Option<[TimeRange; 2]>, Fatal> {
    let Some(vals) = &a.compare else {
        if a.before.is_some() || a.after.is_some() {
            return Err(Fatal("--before/--after: only with --compare".into()));
        }
        return Ok(None);
    };
    match vals.as_slice() {
        [x, y] => Ok(Some([period(ctx, x)?, period(ctx, y)?])),
        [] => {
            let point = |flag: &str, v: &Option<String>| -> Result<Option<i64>, Fatal> {
                v.as_deref()
                    .map(|s| parse_point(s, &ctx.zone, ctx.now).map_err(|e| Fatal(format!("{flag} {s}: {e}"))))
                    .transpose()
            };
            let before = point("--before", &a.before)?;
            let after = point("--after", &a.after)?;
            let (before, after) = match (before, after) {
                (None, None) => {
                    return Err(Fatal(
                        "--compare: give two periods (--compare 09:00..10:00 10:00..11:00) or a time (--compare --before 10:00)"
                            .into(),
                    ))
                }
                (b, a) => (b.or(a).unwrap_or_default(), a.or(b).unwrap_or_default()),
            };
            Ok(Some([TimeRange { from: None, to: Some(before) }, TimeRange { from: Some(after), to: None }]))
        }
        _ => Err(Fatal("--compare takes two periods, or none with --before/--after".into())),
    }
}

fn time(ctx: &Ctx, t: Option<i64>) -> String {
    match t {
        Some(n) => {
            let mut v = Vec::new();
            write_local_time(&mut v, n, &ctx.zone);
            String::from_utf8_lossy(&v[..v.len().min(19)]).into_owned()
        }
        None => "-".into(),
    }
}

fn worst(p: &Pattern) -> Option<Level> {
    (0..6).rev().find(|&i| p.levels[i] > 0).map(|i| LEVELS[i])
}

fn levels_text(p: &Pattern) -> String {
    let v: Vec<&str> = (0..6).rev().filter(|&i| p.levels[i] > 0).map(|i| LEVELS[i].as_str()).collect();
    if v.is_empty() {
        "-".into()
    } else {
        v.join(",")
    }
}

/// A sparkline of counts.
pub fn sparkline(b: &[u32]) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let max = b.iter().copied().max().unwrap_or(0);
    b.iter()
        .map(|&v| if v == 0 { ' ' } else { BARS[((v as u64 * 7).div_ceil(max.max(1) as u64) as usize).min(7)] })
        .collect()
}

/// The template with its variables marked (coloured, or as they are).
fn marked(t: &str, color: bool) -> String {
    let t = escaped(t);
    if !color {
        return t.into_owned();
    }
    t.replace("<*>", &format!("{}<*>{}", "\x1b[36m", style::RESET))
}

fn sort(v: &mut [&Pattern], by: &str) {
    match by {
        "first" => {
            v.sort_by(|a, b| a.first.unwrap_or(i64::MAX).cmp(&b.first.unwrap_or(i64::MAX)).then(a.id.cmp(&b.id)))
        }
        "last" => v.sort_by(|a, b| b.last.unwrap_or(i64::MIN).cmp(&a.last.unwrap_or(i64::MIN)).then(a.id.cmp(&b.id))),
        "level" => v.sort_by(|a, b| worst(b).cmp(&worst(a)).then(b.count.cmp(&a.count)).then(a.id.cmp(&b.id))),
        _ => v.sort_by(|a, b| b.count.cmp(&a.count).then(a.id.cmp(&b.id))),
    }
}

fn ts_json(out: &mut Vec<u8>, t: Option<i64>) {
    match t {
        Some(n) => {
            out.push(b'"');
            logx::entry::Timestamp { nanos: n, frac_digits: 3 }.write_rfc3339(out);
            out.push(b'"');
        }
        None => out.extend_from_slice(b"null"),
    }
}

fn pattern_json(out: &mut Vec<u8>, p: &Pattern, total: u64) {
    out.extend_from_slice(format!("{{\"id\":{},\"template\":", p.id).as_bytes());
    write_str(out, &p.template);
    out.extend_from_slice(
        format!(",\"count\":{},\"share\":{:.6},\"levels\":{{", p.count, p.count as f64 / total.max(1) as f64)
            .as_bytes(),
    );
    let mut first = true;
    for (i, &n) in p.levels.iter().enumerate() {
        if n > 0 {
            if !first {
                out.push(b',');
            }
            first = false;
            let name = LEVELS.get(i).map_or("none", |l| l.as_str());
            out.extend_from_slice(format!("\"{name}\":{n}").as_bytes());
        }
    }
    out.extend_from_slice(b"},\"first\":");
    ts_json(out, p.first);
    out.extend_from_slice(b",\"last\":");
    ts_json(out, p.last);
    out.extend_from_slice(b",\"example\":");
    match &p.example {
        Some(e) => write_str(out, e),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"activity\":[");
    for (i, b) in p.buckets.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b.to_string().as_bytes());
    }
    out.extend_from_slice(b"]}");
}

pub(super) fn run(ctx: &mut Ctx, a: PatternsArgs) -> Result<i32, Fatal> {
    let spec = a.filters.spec();
    let mut query = ctx.query(&spec)?;
    let periods = periods_of(ctx, &a)?;
    if !(0.0..=1.0).contains(&a.similarity) {
        return Err(Fatal(format!("--similarity {}: a share between 0 and 1", a.similarity)));
    }
    let miner = MinerConfig { similarity: a.similarity, depth: a.depth.max(3), ..MinerConfig::default() };
    let inputs = ctx.inputs(&a.paths)?;
    let cfg = ctx.engine()?;
    // Sparklines over the span of the logs (or of the query's range).
    let span = engine::probe_span(&inputs, &cfg)
        .map(|(f, l)| (query.range.from.map_or(f, |x| x.max(f)), query.range.to.map_or(l + 1, |x| x.min(l + 1))));
    let buckets = match span {
        Some((f, l)) if l > f => Buckets { start: f, width: ((l - f) / SPARK as i64).max(1) + 1, n: SPARK },
        _ => Buckets::default(),
    };
    // A period outside the logs compares against nothing: say so rather than print a table.
    if let (Some(p), Some((f, l))) = (&periods, span) {
        for (name, r) in ["A", "B"].iter().zip(p.iter()) {
            let (from, to) = (r.from.unwrap_or(i64::MIN), r.to.unwrap_or(i64::MAX));
            if to <= f || from > l {
                return Err(Fatal(format!(
                    "--compare: period {name} ({} → {}) is outside the logs ({} → {}): nothing to compare",
                    time(ctx, r.from),
                    time(ctx, r.to),
                    time(ctx, Some(f)),
                    time(ctx, Some(l))
                )));
            }
        }
    }
    // Template filters here hide rows rather than entries (ids come from the mining itself).
    let hide: Vec<u64> = std::mem::take(&mut query.hide_templates);
    let only: Vec<u64> = std::mem::take(&mut query.only_templates);
    let table = mine(ctx, &inputs, Arc::new(query), periods, buckets, miner)?;
    let color = ctx.color_stdout();
    let mut out = Vec::new();
    let shown: Vec<&Pattern> = table
        .patterns
        .iter()
        .filter(|p| !hide.contains(&(p.id as u64)) && (only.is_empty() || only.contains(&(p.id as u64))))
        .collect();
    let code = match periods {
        Some(p) => compare(ctx, &a, &shown, p, span, color, &mut out),
        None => list(ctx, &a, &shown, color, &mut out),
    };
    let mut stdout = io::stdout().lock();
    let _ = write_out(&mut stdout, &out, true);
    Ok(code)
}

fn list(ctx: &Ctx, a: &PatternsArgs, shown: &[&Pattern], color: bool, out: &mut Vec<u8>) -> i32 {
    let total: u64 = shown.iter().map(|p| p.count).sum();
    let mut v: Vec<&Pattern> = shown.iter().copied().filter(|p| p.count >= a.min_count.max(1)).collect();
    sort(&mut v, &a.sort);
    if a.output == StatsOutput::Json {
        for p in &v {
            pattern_json(out, p, total);
            out.push(b'\n');
        }
        return if v.is_empty() { EXIT_NO_MATCH } else { EXIT_MATCH };
    }
    let paint = |out: &mut Vec<u8>, s: &str| {
        if color {
            out.extend_from_slice(s.as_bytes());
        }
    };
    let n_all = shown.iter().filter(|p| p.count > 0).count();
    paint(out, style::BOLD);
    out.extend_from_slice(
        format!(
            "{} entries, {} templates{}\n",
            thousands(total),
            thousands(n_all as u64),
            if v.len() < n_all {
                format!(" ({} with at least {} entries)", v.len(), a.min_count)
            } else {
                String::new()
            }
        )
        .as_bytes(),
    );
    out.extend_from_slice(
        format!(
            "{:>6} {:>10} {:>6}  {:<17} {:<19}  {:<19}  {:<24}  {}\n",
            "ID", "COUNT", "SHARE", "LEVELS", "FIRST", "LAST", "ACTIVITY", "TEMPLATE"
        )
        .as_bytes(),
    );
    paint(out, style::RESET);
    for p in v.iter().take(a.limit) {
        let lv = levels_text(p);
        paint(out, style::level(worst(p)));
        let row_head = format!(
            "{:>6} {:>10} {:>5.1}%  {:<17}",
            format!("#{}", p.id),
            thousands(p.count),
            p.count as f64 * 100.0 / total.max(1) as f64,
            if lv.len() > 17 { format!("{}…", &lv[..16]) } else { lv },
        );
        out.extend_from_slice(row_head.as_bytes());
        paint(out, style::RESET);
        out.extend_from_slice(
            format!(
                " {:<19}  {:<19}  {:<24}  {}\n",
                time(ctx, p.first),
                time(ctx, p.last),
                sparkline(&p.buckets),
                marked(&p.template, color)
            )
            .as_bytes(),
        );
        if !a.no_examples {
            if let Some(e) = &p.example {
                if *e != p.template {
                    paint(out, style::DIM);
                    out.extend_from_slice(format!("{:>45}e.g. {}\n", "", escaped(e)).as_bytes());
                    paint(out, style::RESET);
                }
            }
        }
    }
    if v.len() > a.limit {
        out.extend_from_slice(format!("… {} more (--limit)\n", v.len() - a.limit).as_bytes());
    }
    if v.is_empty() {
        EXIT_NO_MATCH
    } else {
        EXIT_MATCH
    }
}

/// How one template fares between the periods.
struct Change<'p> {
    p: &'p Pattern,
    a: u64,
    b: u64,
    ratio: f64,
}

fn compare(
    ctx: &Ctx,
    a: &PatternsArgs,
    shown: &[&Pattern],
    periods: [TimeRange; 2],
    span: Option<(i64, i64)>,
    color: bool,
    out: &mut Vec<u8>,
) -> i32 {
    // Open ends of the periods are closed by the span of the logs, to turn counts into rates.
    let (sf, sl) = span.unwrap_or((0, 1));
    let dur = |r: &TimeRange| {
        let f = r.from.unwrap_or(sf).max(sf);
        let t = r.to.unwrap_or(sl).min(sl);
        ((t - f) as f64 / 3.6e12).max(1.0 / 3600.0)
    };
    let (da, db) = (dur(&periods[0]), dur(&periods[1]));
    let (ta, tb): (u64, u64) = (shown.iter().map(|p| p.periods[0]).sum(), shown.iter().map(|p| p.periods[1]).sum());
    let mut new = Vec::new();
    let mut gone = Vec::new();
    let mut changed = Vec::new();
    for p in shown {
        let (x, y) = (p.periods[0], p.periods[1]);
        if x + y < a.min_count.max(1) {
            continue;
        }
        let ratio = ((y as f64 + 0.5) / db) / ((x as f64 + 0.5) / da);
        let c = Change { p, a: x, b: y, ratio };
        match (x, y) {
            (0, _) => new.push(c),
            (_, 0) => gone.push(c),
            _ => changed.push(c),
        }
    }
    new.sort_by(|x, y| y.b.cmp(&x.b).then(x.p.id.cmp(&y.p.id)));
    gone.sort_by(|x, y| y.a.cmp(&x.a).then(x.p.id.cmp(&y.p.id)));
    changed.sort_by(|x, y| {
        y.ratio.ln().abs().total_cmp(&x.ratio.ln().abs()).then((y.a + y.b).cmp(&(x.a + x.b))).then(x.p.id.cmp(&y.p.id))
    });
    if a.output == StatsOutput::Json {
        for (status, v) in [("new", &new), ("gone", &gone), ("changed", &changed)] {
            for c in v.iter() {
                out.extend_from_slice(format!("{{\"status\":\"{status}\",\"id\":{},\"template\":", c.p.id).as_bytes());
                write_str(out, &c.p.template);
                out.extend_from_slice(
                    format!(
                        ",\"a\":{},\"b\":{},\"rate_a_per_hour\":{:.3},\"rate_b_per_hour\":{:.3},\"ratio\":{:.4},\"example\":",
                        c.a,
                        c.b,
                        c.a as f64 / da,
                        c.b as f64 / db,
                        c.ratio
                    )
                    .as_bytes(),
                );
                match &c.p.example {
                    Some(e) => write_str(out, e),
                    None => out.extend_from_slice(b"null"),
                }
                out.extend_from_slice(b"}\n");
            }
        }
        return if new.is_empty() && gone.is_empty() && changed.is_empty() { EXIT_NO_MATCH } else { EXIT_MATCH };
    }
    let paint = |out: &mut Vec<u8>, s: &str| {
        if color {
            out.extend_from_slice(s.as_bytes());
        }
    };
    let when = |r: &TimeRange| {
        format!("{} → {}", time(ctx, r.from.or(span.map(|s| s.0))), time(ctx, r.to.or(span.map(|s| s.1))))
    };
    paint(out, style::BOLD);
    out.extend_from_slice(
        format!(
            "A: {} ({} entries)\nB: {} ({} entries)\n",
            when(&periods[0]),
            thousands(ta),
            when(&periods[1]),
            thousands(tb)
        )
        .as_bytes(),
    );
    paint(out, style::RESET);
    let limit = a.limit;
    let section = |out: &mut Vec<u8>, title: &str, v: &[Change], line: &dyn Fn(&Change) -> String| {
        paint(out, style::BOLD);
        out.extend_from_slice(format!("\n{title} ({})\n", v.len()).as_bytes());
        paint(out, style::RESET);
        for c in v.iter().take(limit) {
            out.extend_from_slice(
                format!("{:>6}  {}  {}\n", format!("#{}", c.p.id), line(c), marked(&c.p.template, color)).as_bytes(),
            );
        }
        if v.len() > limit {
            out.extend_from_slice(format!("        … {} more (--limit)\n", v.len() - limit).as_bytes());
        }
    };
    section(out, "NEW in B", &new, &|c| format!("{:>10} in B", thousands(c.b)));
    section(out, "GONE in B", &gone, &|c| format!("{:>10} in A", thousands(c.a)));
    let rate = |x: f64| if x >= 10.0 { format!("{x:.0}/h") } else { format!("{x:.2}/h") };
    section(out, "CHANGED most (rate per hour, A → B)", &changed, &|c| {
        format!(
            "{:>10} → {:<10} ×{:<6}",
            rate(c.a as f64 / da),
            rate(c.b as f64 / db),
            if c.ratio >= 1.0 { format!("{:.1}", c.ratio) } else { format!("{:.2}", c.ratio) }
        )
    });
    if new.is_empty() && gone.is_empty() && changed.is_empty() {
        EXIT_NO_MATCH
    } else {
        EXIT_MATCH
    }
}
