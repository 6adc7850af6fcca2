//! `logx formats`: the formats logx reads, and which one a file has.

use std::io::{self, Write};

use super::args::{FormatsAction, FormatsArgs};
use super::{Ctx, Fatal, EXIT_MATCH};
use logx::format::{self, Format, BUILTIN, JSON_DIALECTS};
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
