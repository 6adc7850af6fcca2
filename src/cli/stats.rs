//! `logx stats`: entries, levels, span, formats (and raw fallbacks), a histogram coloured by
//! level, and the most frequent values of fields.

use logx::stats::thousands;
use std::io::{self, IsTerminal, Write};
use std::sync::Arc;

use super::args::{StatsArgs, StatsOutput};
use super::{write_out, Ctx, Fatal, EXIT_MATCH, EXIT_NO_MATCH};
use logx::engine;
use logx::entry::LEVELS;
use logx::format::json::write_str;
use logx::query::timeexpr::parse_duration;
use logx::sink::{style, write_local_time};
use logx::source::SourceError;
use logx::stats::{auto_bucket, human_duration, Stats, StatsCollector, NO_LEVEL};

const MINUTE: i64 = 60_000_000_000;

pub(super) fn run(ctx: &mut Ctx, a: StatsArgs) -> Result<i32, Fatal> {
    let mut query = ctx.query(&a.filters.spec())?;
    let mut cfg = ctx.engine()?;
    cfg.need_line_numbers = false;
    let bucket = match &a.bucket {
        Some(b) => Some(parse_duration(b).map_err(|e| Fatal(format!("--bucket {e}")))?),
        None => None,
    };
    let inputs = ctx.inputs(&a.paths)?;
    super::patterns::attach(ctx, &mut query, &inputs)?;
    let query = Arc::new(query);
    let quiet = ctx.global.quiet;
    let mut errors = 0usize;
    let mut report = |e: SourceError| {
        if super::report_line(&e, quiet) {
            errors += 1;
        }
    };
    // Without --bucket, count per minute (or finer for a short --bucket) and re-bucket at the end.
    let store = bucket.map_or(MINUTE, |b| if b % MINUTE == 0 { MINUTE } else { b });
    let top = Arc::new(a.top.clone());
    let mut total = Stats::new(store, &top);
    let summary = engine::run(
        &inputs,
        &cfg,
        &query,
        || StatsCollector::new(store, top.clone()),
        |s| {
            total.merge(s);
            Ok(true)
        },
        &mut report,
    )?;
    ctx.errors += errors;
    let span = match (total.first, total.last) {
        (Some(f), Some(l)) => l.nanos - f.nanos,
        _ => 0,
    };
    let width = bucket.unwrap_or_else(|| auto_bucket(span, 48).max(store));
    let offset = total.first.map_or(0, |f| ctx.zone.offset_at_utc(f.secs()) as i64 * 1_000_000_000);
    let hist = total.histogram(width, offset);
    let mut out = Vec::new();
    match a.output {
        StatsOutput::Json => json(&mut out, &total, &hist, width, &a, &summary.formats),
        StatsOutput::Text => text(&mut out, &total, &hist, width, &a, ctx, &summary.formats),
    }
    let mut stdout = io::stdout().lock();
    write_out(&mut stdout, &out, true)?;
    let _ = stdout.flush();
    Ok(if total.entries > 0 { EXIT_MATCH } else { EXIT_NO_MATCH })
}

fn ts_json(out: &mut Vec<u8>, t: Option<logx::entry::Timestamp>) {
    match t {
        Some(t) => {
            out.push(b'"');
            t.write_rfc3339(out);
            out.push(b'"');
        }
        None => out.extend_from_slice(b"null"),
    }
}

fn levels_json(out: &mut Vec<u8>, counts: &[u64; 7]) {
    out.push(b'{');
    for (i, l) in LEVELS.iter().enumerate() {
        out.extend_from_slice(format!("\"{}\":{},", l.as_str(), counts[i]).as_bytes());
    }
    out.extend_from_slice(format!("\"none\":{}}}", counts[NO_LEVEL]).as_bytes());
}

fn json(
    out: &mut Vec<u8>,
    s: &Stats,
    hist: &[(i64, [u64; 7])],
    width: i64,
    a: &StatsArgs,
    sources: &[(String, String, f64)],
) {
    out.extend_from_slice(format!("{{\"entries\":{},\"levels\":", s.entries).as_bytes());
    levels_json(out, &s.levels);
    out.extend_from_slice(b",\"first_ts\":");
    ts_json(out, s.first);
    out.extend_from_slice(b",\"last_ts\":");
    ts_json(out, s.last);
    out.extend_from_slice(format!(",\"untimed\":{},\"formats\":{{", s.untimed).as_bytes());
    for (i, (k, v)) in s.formats.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_str(out, k);
        out.extend_from_slice(format!(":{v}").as_bytes());
    }
    let raw = s.formats.get("raw").copied().unwrap_or(0);
    out.extend_from_slice(format!("}},\"raw_fallback\":{raw},\"sources\":[").as_bytes());
    for (i, (path, fmt, conf)) in sources.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"source\":");
        write_str(out, path);
        out.extend_from_slice(b",\"format\":");
        write_str(out, fmt);
        out.extend_from_slice(format!(",\"confidence\":{:.3}}}", conf).as_bytes());
    }
    out.extend_from_slice(format!("],\"bucket_seconds\":{},\"histogram\":[", width / 1_000_000_000).as_bytes());
    for (i, (t, counts)) in hist.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"ts\":");
        ts_json(out, Some(logx::entry::Timestamp { nanos: *t, frac_digits: 0 }));
        out.extend_from_slice(format!(",\"count\":{},\"levels\":", counts.iter().sum::<u64>()).as_bytes());
        levels_json(out, counts);
        out.push(b'}');
    }
    out.extend_from_slice(b"],\"top\":{");
    for (i, f) in a.top.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_str(out, f);
        out.extend_from_slice(b":[");
        for (j, (v, c)) in s.top_values(f, a.top_n).iter().enumerate() {
            if j > 0 {
                out.push(b',');
            }
            out.extend_from_slice(b"{\"value\":");
            write_str(out, v);
            out.extend_from_slice(format!(",\"count\":{c}}}").as_bytes());
        }
        out.push(b']');
    }
    out.extend_from_slice(b"}}\n");
}

fn text(
    out: &mut Vec<u8>,
    s: &Stats,
    hist: &[(i64, [u64; 7])],
    width: i64,
    a: &StatsArgs,
    ctx: &Ctx,
    sources: &[(String, String, f64)],
) {
    let color =
        ctx.color_stdout() && io::stdout().is_terminal() || ctx.global.color == super::args::ColorChoice::Always;
    let paint = |out: &mut Vec<u8>, c: &str| {
        if color {
            out.extend_from_slice(c.as_bytes());
        }
    };
    out.extend_from_slice(format!("entries   {}\n", thousands(s.entries)).as_bytes());
    if let (Some(f), Some(l)) = (s.first, s.last) {
        out.extend_from_slice(b"first     ");
        write_local_time(out, f.nanos, &ctx.zone);
        out.extend_from_slice(b"\nlast      ");
        write_local_time(out, l.nanos, &ctx.zone);
        out.extend_from_slice(format!("\nspan      {}\n", human_duration(l.nanos - f.nanos)).as_bytes());
    }
    if s.untimed > 0 {
        out.extend_from_slice(format!("untimed   {}\n", thousands(s.untimed)).as_bytes());
    }
    out.extend_from_slice(b"levels   ");
    for (i, l) in LEVELS.iter().enumerate() {
        if s.levels[i] == 0 {
            continue;
        }
        out.push(b' ');
        paint(out, style::level(Some(*l)));
        out.extend_from_slice(l.as_str().as_bytes());
        paint(out, style::RESET);
        out.extend_from_slice(format!(" {}", thousands(s.levels[i])).as_bytes());
    }
    if s.levels[NO_LEVEL] > 0 {
        out.extend_from_slice(format!("  none {}", thousands(s.levels[NO_LEVEL])).as_bytes());
    }
    out.extend_from_slice(b"\nformats  ");
    for (k, v) in &s.formats {
        out.extend_from_slice(format!(" {k} {}", thousands(*v)).as_bytes());
    }
    let raw = s.formats.get("raw").copied().unwrap_or(0);
    out.extend_from_slice(format!("  (raw fallback: {})\n", thousands(raw)).as_bytes());
    if sources.len() > 1 {
        out.extend_from_slice(format!("sources   {}\n", sources.len()).as_bytes());
    }
    if !hist.is_empty() {
        out.extend_from_slice(format!("\nper {}\n", human_duration(width)).as_bytes());
        let max = hist.iter().map(|(_, c)| c.iter().sum::<u64>()).max().unwrap_or(1).max(1);
        const BAR: usize = 50;
        for (t, counts) in hist {
            write_local_time(out, *t, &ctx.zone);
            out.truncate(out.len() - 7);
            out.extend_from_slice(b"  ");
            let total: u64 = counts.iter().sum();
            let cells = ((total as f64 / max as f64) * BAR as f64).round() as usize;
            // Segments per level, most severe last, proportional to their counts.
            let mut drawn = 0usize;
            let mut acc = 0u64;
            for li in [NO_LEVEL, 0, 1, 2, 3, 4, 5] {
                if counts[li] == 0 {
                    continue;
                }
                acc += counts[li];
                let upto = if total == 0 { 0 } else { (acc as f64 / total as f64 * cells as f64).round() as usize };
                let n = upto.saturating_sub(drawn);
                if n > 0 {
                    paint(out, style::level(if li == NO_LEVEL { None } else { Some(LEVELS[li]) }));
                    for _ in 0..n {
                        out.extend_from_slice("█".as_bytes());
                    }
                    paint(out, style::RESET);
                    drawn += n;
                }
            }
            if total > 0 && drawn == 0 {
                out.extend_from_slice("▏".as_bytes());
                drawn = 1;
            }
            out.resize(out.len() + BAR.saturating_sub(drawn) + 1, b' ');
            out.extend_from_slice(thousands(total).as_bytes());
            out.push(b'\n');
        }
    }
    for f in &a.top {
        out.extend_from_slice(format!("\ntop {f}\n").as_bytes());
        let vals = s.top_values(f, a.top_n);
        let total: u64 = s.top.iter().find(|(n, _, _)| n == f).map_or(0, |(_, c, o)| c.values().sum::<u64>() + o);
        let w = vals.iter().map(|(v, _)| v.chars().count()).max().unwrap_or(0).min(40);
        for (v, c) in vals {
            let shown = logx::sink::safe::escaped(&v).chars().take(40).collect::<String>();
            let pad = w.saturating_sub(shown.chars().count());
            out.extend_from_slice(
                format!(
                    "  {shown}{}  {:>10}  {:5.1}%\n",
                    " ".repeat(pad),
                    thousands(c),
                    c as f64 * 100.0 / total.max(1) as f64
                )
                .as_bytes(),
            );
        }
    }
}
