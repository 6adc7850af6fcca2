//! `logx formats`: the formats logx reads, and which one a file has.

use std::io::{self, Write};

use super::args::{FormatsAction, FormatsArgs};
use super::{Ctx, Fatal, EXIT_MATCH, EXIT_NO_MATCH};
use logx::format::{self, Format, BUILTIN, JSON_DIALECTS};
use logx::sink::safe::escaped;
use logx::source::{self, DiscoverOptions, Input, Opened};

pub(super) fn run(ctx: &mut Ctx, a: FormatsArgs) -> Result<i32, Fatal> {
    let mut out = io::stdout().lock();
    match a.action {
        None => {
            for f in BUILTIN {
                writeln!(out, "{:<13} {}", f.name, f.description)?;
            }
            writeln!(out, "\nJSON dialects (also accepted by --format): {}", JSON_DIALECTS.join(", "))?;
            Ok(EXIT_MATCH)
        }
        Some(FormatsAction::Test { limit, file }) => test(ctx, &file, limit),
        Some(FormatsAction::Aliases) => {
            out.write_all(logx::format::alias::markdown_table().as_bytes())?;
            Ok(EXIT_MATCH)
        }
        Some(FormatsAction::Detect { files }) => {
            let (inputs, errs) = source::discover(&files, &DiscoverOptions { no_rotation: true });
            for e in &errs {
                ctx.report(e);
            }
            for input in inputs {
                let Input::Files(fs) = input else { continue };
                for f in fs {
                    let opened = match source::open(&f) {
                        Ok(o) => o,
                        Err(e) => {
                            ctx.report(&e);
                            continue;
                        }
                    };
                    let head = match opened {
                        Opened::Mapped(m) => m.bytes()[..m.bytes().len().min(256 * 1024)].to_vec(),
                        Opened::Stream(mut r) => {
                            let mut v = Vec::new();
                            let _ = io::Read::read_to_end(&mut io::Read::take(&mut r, 256 * 1024), &mut v);
                            v
                        }
                    };
                    let d = format::detect(&head);
                    let detail = match &d.format {
                        Format::Text(l) => format!(
                            " (timestamp {:?} at token {}, level {})",
                            l.shape,
                            l.ts_token,
                            match l.level_pos {
                                Some(p) => format!("at token {p} after it"),
                                None => "not found".into(),
                            }
                        ),
                        _ => String::new(),
                    };
                    writeln!(
                        out,
                        "{}: {}{} — {} of {} sampled lines ({:.0}%)",
                        f.display,
                        d.format.name(),
                        detail,
                        d.matched,
                        d.sampled,
                        d.confidence() * 100.0
                    )?;
                }
            }
            Ok(EXIT_MATCH)
        }
    }
}

/// `logx formats test`: each line of a file against a format.
fn test(ctx: &mut Ctx, file: &str, limit: usize) -> Result<i32, Fatal> {
    use logx::format::custom::Mismatch;
    let cfg = ctx.engine()?;
    let text = read_all(file)?;
    let mut out = io::stdout().lock();
    let Some(c) = cfg.custom.clone() else {
        // A built-in format: how each entry reads.
        let (format, conf) = logx::engine::choose_format(&cfg, text.as_bytes()).map_err(Fatal)?;
        writeln!(out, "{file}: {} ({:.0}% of the first lines)", format.name(), conf * 100.0)?;
        let mut parser = logx::format::Parser::new(
            format,
            logx::time::Resolver::new(ctx.zone.clone(), logx::source::mtime_secs(std::path::Path::new(file))),
        );
        let probe = parser.clone();
        let (mut n, mut bad) = (0usize, 0usize);
        for span in logx::index::lines::SpanIter::new(text.as_bytes(), 0, &probe, true) {
            let mut e = logx::entry::Entry {
                raw: &text.as_bytes()[span.start..span.end],
                lines: span.lines,
                ..Default::default()
            };
            parser.parse(&mut e);
            n += 1;
            let ok = e.ts.is_some();
            bad += usize::from(!ok);
            if n <= limit {
                let mut ts = Vec::new();
                if let Some(t) = e.ts {
                    t.write_rfc3339(&mut ts);
                }
                writeln!(
                    out,
                    "{:>5} {} {:<8} ts={} level={} msg={}",
                    n,
                    if ok { "ok " } else { "?? " },
                    e.format,
                    if ts.is_empty() { "-".into() } else { String::from_utf8_lossy(&ts).into_owned() },
                    e.level.map_or("-", |l| l.as_str()),
                    escaped(e.msg.lines().next().unwrap_or(""))
                )?;
            }
        }
        writeln!(out, "{n} entries, {bad} without a timestamp")?;
        return Ok(if bad == 0 { EXIT_MATCH } else { EXIT_NO_MATCH });
    };
    writeln!(out, "{file}: format {} (regex {})", c.name, c.regex.as_str())?;
    let (mut starts, mut conts, mut bad, mut nomatch) = (0usize, 0usize, 0usize, 0usize);
    let mut shown = 0usize;
    for (i, line) in text.lines().enumerate() {
        let verdict = if c.starts_entry(line.as_bytes()) {
            match c.check(line) {
                Ok(()) => {
                    starts += 1;
                    let caps = c.regex.captures(line).expect("matched");
                    let fields: Vec<String> = c
                        .regex
                        .capture_names()
                        .flatten()
                        .filter_map(|n| caps.name(n).map(|m| format!("{n}={}", escaped(m.as_str()))))
                        .collect();
                    format!("ok   {}", fields.join(" "))
                }
                Err(Mismatch::Timestamp(t)) => {
                    bad += 1;
                    format!(
                        "BAD  ts {:?} does not read as {}",
                        escaped(&t),
                        c.ts_format.as_deref().unwrap_or("any known timestamp")
                    )
                }
                Err(Mismatch::Level(l)) => {
                    bad += 1;
                    format!("BAD  level {:?} is not a level (map it in `levels`)", escaped(&l))
                }
                Err(Mismatch::Regex) => unreachable!("the regex matched"),
            }
        } else {
            let continues = match &c.continuation {
                Some(re) => re.is_match(line),
                None => !c.strict_lines,
            };
            if continues && starts > 0 {
                conts += 1;
                match &c.continuation {
                    Some(_) => "cont matches the continuation rule: joins the entry above".to_string(),
                    None => "cont the regex does not match: joins the entry above (no continuation rule)".to_string(),
                }
            } else {
                nomatch += 1;
                "NO   the regex does not match: read as a raw entry".to_string()
            }
        };
        if shown < limit && (!verdict.starts_with("cont") || shown < limit / 2) {
            shown += 1;
            writeln!(out, "{:>5} {verdict}", i + 1)?;
            writeln!(out, "      {}", escaped(&line.chars().take(160).collect::<String>()))?;
        }
    }
    writeln!(
        out,
        "{starts} ok, {conts} continuation lines, {bad} with a bad field (entry kept without it), {nomatch} not matched (raw entries)"
    )?;
    Ok(if bad + nomatch == 0 { EXIT_MATCH } else { EXIT_NO_MATCH })
}

fn read_all(file: &str) -> Result<String, Fatal> {
    let f = logx::source::SourceFile {
        path: std::path::PathBuf::from(file),
        display: file.to_string(),
        gz: file.ends_with(".gz"),
    };
    let text = match source::open(&f).map_err(|e| Fatal(e.to_string()))? {
        Opened::Mapped(m) => String::from_utf8_lossy(m.bytes()).into_owned(),
        Opened::Stream(mut r) => {
            let mut v = Vec::new();
            io::Read::read_to_end(&mut r, &mut v)?;
            String::from_utf8_lossy(&v).into_owned()
        }
    };
    Ok(text)
}
