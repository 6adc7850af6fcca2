//! `logx cat`: print normalized entries, or count them.

use std::io::{self, BufWriter, IsTerminal, Write};
use std::sync::Arc;

use super::args::{CatArgs, OutputFormat};
use super::{names, write_out, Ctx, Fatal, EXIT_MATCH, EXIT_NO_MATCH};
use logx::engine;
use logx::sink::{CountCollector, JsonRender, LogfmtRender, PrettyRender, RawRender, Render, RenderCollector};
use logx::source::SourceError;

pub(super) fn run(ctx: &mut Ctx, a: CatArgs) -> Result<i32, Fatal> {
    let mut spec = a.filters.spec();
    ctx.default_level(&mut spec);
    let mut query = ctx.query(&spec)?;
    let mut cfg = ctx.engine()?;
    let inputs = ctx.inputs(&a.paths)?;
    super::patterns::attach(ctx, &mut query, &inputs)?;
    let templates = match (a.templates, &query.templates) {
        (false, _) => None,
        (true, Some(t)) => Some(t.0.clone()),
        (true, None) => Some(super::patterns::lookup_for(ctx, &inputs)?),
    };
    let query = Arc::new(query);
    let quiet = ctx.global.quiet;
    let mut errors = 0usize;
    let mut report = |e: SourceError| {
        if super::report_line(&e, quiet) {
            errors += 1;
        }
    };
    let tty = io::stdout().is_terminal();
    if a.count {
        cfg.need_line_numbers = false;
        let tables: Option<Vec<&String>> = inputs
            .iter()
            .map(|i| match i {
                logx::source::Input::ClickHouse(url) => Some(url),
                _ => None,
            })
            .collect();
        // Tables only, and a query the SQL says whole: counted on the server.
        let on_server = match &tables {
            Some(urls) if !urls.is_empty() && logx::clickhouse::pushdown(&query).1 => {
                let mut n = 0u64;
                for url in urls {
                    n += logx::clickhouse::count_url(url, &cfg.clickhouse_auth, &query).map_err(Fatal)?;
                }
                Some(n)
            }
            _ => None,
        };
        let total = if let Some(n) = on_server {
            n
        } else if query.is_all() {
            engine::count_all(&inputs, &cfg, &mut report)?
        } else {
            let mut total = 0u64;
            engine::run(
                &inputs,
                &cfg,
                &query,
                CountCollector::default,
                |n| {
                    total += n;
                    Ok(true)
                },
                &mut report,
            )?;
            total
        };
        ctx.errors += errors;
        let mut out = io::stdout().lock();
        let _ = write_out(&mut out, format!("{total}\n").as_bytes(), true);
        return Ok(if total > 0 { EXIT_MATCH } else { EXIT_NO_MATCH });
    }
    let output = a.output.unwrap_or(if tty { OutputFormat::Pretty } else { OutputFormat::Json });
    let names = names(&inputs);
    cfg.need_line_numbers = output == OutputFormat::Json;
    let renderer: Arc<dyn Render> = match output {
        OutputFormat::Pretty => {
            Arc::new(PrettyRender::new(names.clone(), ctx.zone.clone(), ctx.color_stdout(), query.clone()))
        }
        OutputFormat::Json => Arc::new(JsonRender::new(names.clone(), templates.clone())),
        OutputFormat::Logfmt => Arc::new(LogfmtRender { names: names.clone() }),
        OutputFormat::Raw => Arc::new(RawRender { sanitize: tty && !a.unsafe_raw }),
    };
    if a.templates && output != OutputFormat::Json {
        return Err(Fatal("--templates: only with -o json".into()));
    }
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(256 * 1024, stdout.lock());
    let mut matched = 0u64;
    let mut open = true;
    engine::run(
        &inputs,
        &cfg,
        &query,
        || RenderCollector::new(renderer.clone()),
        |(bytes, n)| {
            matched += n;
            open = write_out(&mut out, &bytes, tty)?;
            logx::sink::recycle(bytes);
            Ok(open)
        },
        &mut report,
    )?;
    if open {
        if let Err(e) = out.flush() {
            if !super::is_broken_pipe(&e) {
                return Err(e.into());
            }
        }
    }
    ctx.errors += errors;
    Ok(if matched > 0 { EXIT_MATCH } else { EXIT_NO_MATCH })
}
