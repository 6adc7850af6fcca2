//! `logx tail`: the last entries, then every new one, through rotations, across files.

use std::collections::{BinaryHeap, VecDeque};
use std::io::{self, IsTerminal, Write};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::args::{OutputFormat, TailArgs};
use super::{write_out, Ctx, Fatal, EXIT_ERROR, EXIT_MATCH, EXIT_NO_MATCH};
use logx::entry::Entry;
use logx::format::Parser;
use logx::index::lines::SpanIter;
use logx::query::timeexpr::parse_duration;
use logx::query::{Query, Where};
use logx::sink::{JsonRender, LogfmtRender, PrettyRender, RawRender, Render};
use logx::source::follow::{Batch, FollowEvent, FollowOptions, Follower};
use logx::time::Resolver;

/// An entry rendered and waiting (merge mode), ordered by time then arrival.
struct Held {
    ts: i64,
    seq: u64,
    arrived: Instant,
    bytes: Vec<u8>,
}

impl PartialEq for Held {
    fn eq(&self, o: &Self) -> bool {
        (self.ts, self.seq) == (o.ts, o.seq)
    }
}
impl Eq for Held {}
impl PartialOrd for Held {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Held {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        (o.ts, o.seq).cmp(&(self.ts, self.seq))
    }
}

struct Alert {
    max: usize,
    window: Duration,
    times: VecDeque<Instant>,
    quiet_until: Option<Instant>,
}

fn parse_alert(s: &str) -> Result<Alert, Fatal> {
    let (n, w) = s.split_once('/').ok_or_else(|| Fatal(format!("--count-alert {s}: expected N/WINDOW, like 5/1m")))?;
    let max = n.trim().parse().map_err(|_| Fatal(format!("--count-alert {s}: '{n}' is not a number")))?;
    let window = parse_duration(w).map_err(|e| Fatal(format!("--count-alert {e}")))?;
    Ok(Alert { max, window: Duration::from_nanos(window.max(1) as u64), times: VecDeque::new(), quiet_until: None })
}

pub(super) fn run(ctx: &mut Ctx, a: TailArgs) -> Result<i32, Fatal> {
    let mut a = a;
    a.paths = ctx.expand(&a.paths)?;
    let mut spec = a.filters.spec();
    ctx.default_level(&mut spec);
    let mut query = ctx.query(&spec)?;
    if query.uses_templates() {
        // Template ids as `logx patterns` gives them for what the files hold now; new messages
        // take the most similar template.
        let inputs = if a.paths.is_empty() {
            vec![logx::source::Input::Stdin]
        } else {
            ctx.inputs(&a.paths).unwrap_or_else(|_| vec![logx::source::Input::Stdin])
        };
        super::patterns::attach(ctx, &mut query, &inputs)?;
    }
    let query = Arc::new(query);
    // --since: the initial entries start at a time.
    let since_query = match &a.since {
        Some(s) => {
            spec.from = Some(s.clone());
            let mut q = ctx.query(&spec)?;
            q.templates = query.templates.clone();
            Some(q)
        }
        None => None,
    };
    let exit_on = match &a.exit_on {
        Some(e) => Some(Where::parse(e).map_err(|r| Fatal(format!("--exit-on {e}: {r}")))?),
        None => None,
    };
    let timeout = match &a.timeout {
        Some(t) => Some(Duration::from_nanos(parse_duration(t).map_err(|e| Fatal(format!("--timeout {e}")))? as u64)),
        None => None,
    };
    let merge_delay =
        Duration::from_nanos(parse_duration(&a.merge_delay).map_err(|e| Fatal(format!("--merge-delay {e}")))? as u64);
    let partial = Duration::from_nanos(
        parse_duration(&a.partial_timeout).map_err(|e| Fatal(format!("--partial-timeout {e}")))? as u64,
    );
    let mut alert = match &a.count_alert {
        Some(s) => Some(parse_alert(s)?),
        None => None,
    };
    let n = match a.lines.as_str() {
        "all" | "+0" => None,
        s => Some(s.parse::<usize>().map_err(|_| Fatal(format!("-n {s}: expected a number or 'all'")))?),
    };
    let n = if since_query.is_some() { None } else { n };
    let cfg = ctx.engine()?;
    let poll = match &a.poll {
        Some(p) if p.is_empty() => Some(Duration::from_millis(250)),
        Some(p) => Some(Duration::from_nanos(parse_duration(p).map_err(|e| Fatal(format!("--poll {e}")))? as u64)),
        None => None,
    };
    let zone = ctx.zone.clone();
    let cfg2 = cfg.clone();
    let make_parser = Box::new(move |head: &[u8], path: &std::path::Path| {
        let format = logx::engine::choose_format(&cfg2, head).map(|(f, _)| f).unwrap_or(logx::format::Format::Raw);
        let mut p = Parser::new(format, Resolver::new(zone.clone(), logx::source::mtime_secs(path)));
        p.fallback = cfg2.forced_format.is_none();
        p
    });
    let opts = FollowOptions { poll, partial_timeout: partial, no_rotation: ctx.global.no_rotation };
    let stdin = a.paths.is_empty() && !io::stdin().is_terminal();
    if a.paths.is_empty() && !stdin {
        return Err(Fatal("no input: give paths (files, globs, directories) or pipe logs into logx tail".into()));
    }
    // Devices (/dev/zero, /dev/urandom) never end and are not logs; FIFOs are followed.
    let paths: Vec<String> = a
        .paths
        .iter()
        .filter(|p| {
            use std::os::unix::fs::FileTypeExt;
            let device =
                std::fs::metadata(p).is_ok_and(|m| m.file_type().is_char_device() || m.file_type().is_block_device());
            if device {
                ctx.report(&logx::source::SourceError::NotALog {
                    path: p.to_string(),
                    reason: "a device, not a log".into(),
                });
            }
            !device
        })
        .cloned()
        .collect();
    let (mut follower, errs) = Follower::new(&paths, opts, make_parser);
    for e in &errs {
        ctx.report(e);
    }
    if stdin {
        follower.add_stdin();
    }
    for (i, s) in follower.sources.iter().enumerate() {
        if !s.path.exists() && !ctx.global.quiet && s.display != "-" {
            super::error_line(&format!("{}: does not exist yet, waiting for it", follower.sources[i].display));
        }
    }
    let tty = io::stdout().is_terminal();
    let output = a.output.unwrap_or(if tty { OutputFormat::Pretty } else { OutputFormat::Json });
    let color = ctx.color_stdout();
    let make_renderer = |names: Arc<Vec<String>>| -> Arc<dyn Render> {
        match output {
            OutputFormat::Pretty => {
                let mut r = PrettyRender::new(names, ctx.zone.clone(), color, query.clone());
                r.show_label =
                    r.names.len() > 1 || a.paths.iter().any(|p| std::path::Path::new(p).is_dir() || p.contains('*'));
                Arc::new(r)
            }
            OutputFormat::Json => Arc::new(JsonRender::new(names, None)),
            OutputFormat::Logfmt => Arc::new(LogfmtRender { names }),
            OutputFormat::Raw => Arc::new(RawRender { sanitize: tty && !a.unsafe_raw }),
        }
    };
    let names = |f: &Follower| Arc::new(f.sources.iter().map(|s| s.display.clone()).collect::<Vec<_>>());
    let mut renderer = make_renderer(names(&follower));
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut matched = 0u64;
    let mut seq = 0u64;
    let mut held: BinaryHeap<Held> = BinaryHeap::new();
    let start = Instant::now();
    let mut exit: Option<i32> = None;
    let quiet = ctx.global.quiet;
    let mut errors = 0usize;

    // Renders the entries of a batch that pass the query; returns (ts, bytes, exit-on hit).
    let render_batch =
        |follower: &mut Follower, b: &Batch, q: &Query, r: &Arc<dyn Render>| -> Vec<(i64, Vec<u8>, bool)> {
            let mut outv = Vec::new();
            let Some(src) = follower.sources.get_mut(b.source) else { return outv };
            let probe = src.parser.clone();
            let mut line = b.first_line;
            for span in SpanIter::new(&b.data, 0, &probe, true) {
                let mut e = Entry {
                    source: b.source as u32,
                    raw: &b.data[span.start..span.end],
                    lines: span.lines,
                    eol: span.eol,
                    line_no: line,
                    offset: b.offset + span.start as u64,
                    ..Entry::default()
                };
                line += span.lines as u64;
                src.parser.parse(&mut e);
                if q.matches(&e) {
                    let mut bytes = Vec::new();
                    r.render(&e, &mut bytes);
                    let hit = exit_on.as_ref().is_some_and(|w| w.matches(&e));
                    outv.push((e.ts.map_or(i64::MIN, |t| t.nanos), bytes, hit));
                }
            }
            outv
        };

    // Initial entries, merged by time across files.
    let initial = follower.initial(n);
    let iq = since_query.as_ref().unwrap_or(&query).clone();
    let mut first: Vec<(i64, u64, Vec<u8>, bool)> = Vec::new();
    for b in &initial {
        for (ts, bytes, hit) in render_batch(&mut follower, b, &iq, &renderer) {
            first.push((ts, seq, bytes, hit));
            seq += 1;
        }
    }
    if initial.len() > 1 {
        first.sort_by_key(|(ts, s, _, _)| (*ts, *s));
    }
    for (_, _, bytes, hit) in first {
        matched += 1;
        if !write_out(&mut out, &bytes, false).map_err(|e| Fatal(e.to_string()))? {
            return Ok(EXIT_MATCH);
        }
        if hit {
            exit = Some(EXIT_MATCH);
            break;
        }
    }
    let _ = out.flush();
    if exit.is_none() && !a.no_follow {
        'follow: loop {
            let wait = if a.merge { merge_delay.min(Duration::from_millis(200)) } else { Duration::from_secs(1) };
            let wait = match timeout {
                Some(t) => wait.min(t.saturating_sub(start.elapsed()).max(Duration::from_millis(1))),
                None => wait,
            };
            let events = follower.wait(wait);
            let mut wrote = false;
            for ev in events {
                match ev {
                    FollowEvent::Data(b) => {
                        for (ts, bytes, hit) in render_batch(&mut follower, &b, &query, &renderer) {
                            matched += 1;
                            if let Some(al) = alert.as_mut() {
                                let now = Instant::now();
                                al.times.push_back(now);
                                while al.times.front().is_some_and(|t| now.duration_since(*t) > al.window) {
                                    al.times.pop_front();
                                }
                                if al.times.len() > al.max && al.quiet_until.is_none_or(|q| now >= q) {
                                    let msg = format!(
                                        "alert: {} matching entries in the last {} (more than {})",
                                        al.times.len(),
                                        logx::stats::human_duration(al.window.as_nanos() as i64),
                                        al.max
                                    );
                                    let _ = out.flush();
                                    super::error_line(&msg);
                                    al.quiet_until = Some(now + al.window);
                                }
                            }
                            if a.merge {
                                held.push(Held { ts, seq, arrived: Instant::now(), bytes });
                                seq += 1;
                            } else {
                                wrote = true;
                                if !write_out(&mut out, &bytes, false).map_err(|e| Fatal(e.to_string()))? {
                                    break 'follow;
                                }
                            }
                            if hit {
                                exit = Some(EXIT_MATCH);
                            }
                        }
                    }
                    FollowEvent::Added(_) => renderer = make_renderer(names(&follower)),
                    FollowEvent::Notice(m) => {
                        if !quiet {
                            let _ = out.flush();
                            super::error_line(&m);
                        }
                    }
                    FollowEvent::Error(e) => {
                        let _ = out.flush();
                        if super::report_line(&e, quiet) {
                            errors += 1;
                        }
                    }
                }
            }
            // Merge mode: release, in time order, what has waited long enough.
            while held.peek().is_some_and(|h| h.arrived.elapsed() >= merge_delay || exit.is_some()) {
                let h = held.pop().expect("peeked");
                wrote = true;
                if !write_out(&mut out, &h.bytes, false).map_err(|e| Fatal(e.to_string()))? {
                    break 'follow;
                }
            }
            if wrote {
                // Live: each arrival reaches a pipe at once.
                if out.flush().is_err() {
                    break;
                }
            }
            if exit.is_some() {
                break;
            }
            if timeout.is_some_and(|t| start.elapsed() >= t) {
                exit = Some(if exit_on.is_none() && matched > 0 { EXIT_MATCH } else { EXIT_NO_MATCH });
                break;
            }
        }
    }
    while let Some(h) = held.pop() {
        let _ = write_out(&mut out, &h.bytes, false);
    }
    let _ = out.flush();
    ctx.errors += errors;
    if errors > 0 && exit.is_none() {
        return Ok(EXIT_ERROR);
    }
    Ok(exit.unwrap_or(if matched > 0 { EXIT_MATCH } else { EXIT_NO_MATCH }))
}
