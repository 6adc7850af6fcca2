//! `logx export`: CSV, XLSX or NDJSON of a filtered slice, written atomically, with a progress
//! bar on a terminal.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

use super::args::{ExportArgs, ExportFormat};
use super::{write_out, Ctx, Fatal, EXIT_MATCH, EXIT_NO_MATCH};
use logx::engine::{self, EngineConfig};
use logx::sink::csv::CsvRender;
use logx::sink::table::{default_columns, parse_columns, Redactor, Table};
use logx::sink::xlsx::{RowCollector, XlsxExportError, XlsxWriter};
use logx::sink::{JsonRender, Render, RenderCollector};
use logx::source::{Input, SourceError};

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

extern "C" fn on_sigint(_: libc::c_int) {
    INTERRUPTED.store(true, Ordering::SeqCst);
}

fn catch_interrupts() {
    // SAFETY: the handler only stores to an atomic, which is async-signal-safe. Without
    // SA_RESTART, a read blocked on a pipe returns so the export can stop.
    unsafe {
        let mut sa: libc::sigaction = std::mem::zeroed();
        sa.sa_sigaction = on_sigint as *const () as usize;
        libc::sigemptyset(&mut sa.sa_mask);
        libc::sigaction(libc::SIGINT, &sa, std::ptr::null_mut());
        libc::sigaction(libc::SIGTERM, &sa, std::ptr::null_mut());
    }
}

/// The file being written: a temporary beside the target, renamed at the end; removed on
/// any failure, so an interrupted export leaves nothing behind.
struct Atomic {
    tmp: PathBuf,
    target: PathBuf,
    done: bool,
}

impl Atomic {
    fn new(target: &Path) -> Atomic {
        let dir = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "export".into());
        Atomic {
            tmp: dir.join(format!(".{name}.logx-{}.tmp", std::process::id())),
            target: target.to_path_buf(),
            done: false,
        }
    }

    fn commit(mut self) -> io::Result<()> {
        std::fs::rename(&self.tmp, &self.target)?;
        self.done = true;
        Ok(())
    }
}

impl Drop for Atomic {
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

fn total_bytes(inputs: &[Input]) -> u64 {
    inputs
        .iter()
        .map(|i| match i {
            Input::Stdin | Input::ClickHouse(_) => 0,
            Input::Files(fs) => fs.iter().map(|f| std::fs::metadata(&f.path).map_or(0, |m| m.len())).sum(),
        })
        .sum()
}

/// A progress bar on stderr while the export runs (only on a terminal, not with -q).
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    rows: Arc<AtomicU64>,
}

impl Progress {
    fn new(show: bool, total: u64, bytes: Arc<AtomicU64>) -> Progress {
        let rows = Arc::new(AtomicU64::new(0));
        if !show {
            return Progress { bar: None, rows };
        }
        let bar = indicatif::ProgressBar::with_draw_target(
            Some(total.max(1)),
            indicatif::ProgressDrawTarget::stderr_with_hz(8),
        );
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} {bytes}/{total_bytes} scanned  {msg}  {binary_bytes_per_sec}  ETA {eta}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        // A moment before showing anything: short exports stay silent.
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
        let b2 = bar.clone();
        let r2 = rows.clone();
        std::thread::spawn(move || {
            let start = std::time::Instant::now();
            let mut shown = false;
            while !b2.is_finished() {
                std::thread::sleep(std::time::Duration::from_millis(100));
                if !shown && start.elapsed().as_millis() > 500 {
                    b2.set_draw_target(indicatif::ProgressDrawTarget::stderr_with_hz(8));
                    shown = true;
                }
                b2.set_position(bytes.load(Ordering::Relaxed));
                b2.set_message(format!("{} rows", r2.load(Ordering::Relaxed)));
            }
        });
        Progress { bar: Some(bar), rows }
    }

    fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

pub(super) fn run(ctx: &mut Ctx, a: ExportArgs) -> Result<i32, Fatal> {
    let spec = a.filters.spec();
    let mut query = ctx.query(&spec)?;
    // Like the operators' tools: an export needs a filter or a period, unless --all.
    if spec.is_empty() && !a.all {
        return Err(Fatal(
            "export needs a filter or a period (--from/--to, --day, --last, a search, --level, --where...); use --all to export everything"
                .into(),
        ));
    }
    let format = match (a.csv, a.xlsx, a.ndjson, a.output.as_deref()) {
        (true, _, _, _) => ExportFormat::Csv,
        (_, true, _, _) => ExportFormat::Xlsx,
        (_, _, true, _) => ExportFormat::Ndjson,
        (_, _, _, Some(p)) if p.ends_with(".csv") => ExportFormat::Csv,
        (_, _, _, Some(p)) if p.ends_with(".xlsx") => ExportFormat::Xlsx,
        (_, _, _, Some(p)) if p.ends_with(".json") || p.ends_with(".ndjson") || p.ends_with(".jsonl") => {
            ExportFormat::Ndjson
        }
        _ => {
            return Err(Fatal(
                "choose a format: --csv, --xlsx or --ndjson (or an -o FILE ending in .csv, .xlsx, .ndjson)".into(),
            ))
        }
    };
    if format == ExportFormat::Xlsx && a.output.is_none() && io::stdout().is_terminal() {
        return Err(Fatal("XLSX is a binary file: give -o FILE.xlsx, or redirect stdout to a file".into()));
    }
    let columns = match &a.columns {
        Some(c) => parse_columns(c).map_err(|e| Fatal(format!("--columns {e}")))?,
        None => default_columns(),
    };
    let mut columns = columns;
    if a.fields_json && !columns.iter().any(|c| c.kind == logx::sink::table::ColumnKind::FieldsJson) {
        columns
            .push(logx::sink::table::Column { name: "fields".into(), kind: logx::sink::table::ColumnKind::FieldsJson });
    }
    let redact = match &a.redact {
        Some(r) => Some(Redactor::new(r).map_err(Fatal)?),
        None => None,
    };
    let mut cfg = ctx.engine()?;
    let inputs = ctx.inputs(&a.paths)?;
    super::patterns::attach(ctx, &mut query, &inputs)?;
    let query = Arc::new(query);
    let names = super::names(&inputs);
    if a.audit {
        return export_audit(ctx, &a, format, &inputs, &query, names);
    }
    let table = Arc::new(Table { columns, names: names.clone(), redact });
    let bytes = Arc::new(AtomicU64::new(0));
    cfg.progress = Some(bytes.clone());
    cfg.need_line_numbers = true;
    let show = io::stderr().is_terminal() && !ctx.global.quiet;
    let progress = Progress::new(show, total_bytes(&inputs), bytes);
    catch_interrupts();
    let quiet = ctx.global.quiet;
    let mut errors = 0usize;
    let mut report = |e: SourceError| {
        if super::report_line(&e, quiet) {
            errors += 1;
        }
    };
    let outcome = match format {
        ExportFormat::Xlsx => export_xlsx(&a, &inputs, &cfg, &query, table, ctx.zone.clone(), &progress, &mut report),
        _ => export_text(&a, format, &inputs, &cfg, &query, table, &progress, &mut report),
    };
    progress.finish();
    ctx.errors += errors;
    let rows = outcome?;
    if INTERRUPTED.load(Ordering::SeqCst) {
        return Err(Fatal("interrupted: no file was written".into()));
    }
    Ok(if rows > 0 { EXIT_MATCH } else { EXIT_NO_MATCH })
}

#[allow(clippy::too_many_arguments)]
fn export_text(
    a: &ExportArgs,
    format: ExportFormat,
    inputs: &[Input],
    cfg: &EngineConfig,
    query: &Arc<logx::query::Query>,
    table: Arc<Table>,
    progress: &Progress,
    report: &mut dyn FnMut(SourceError),
) -> Result<u64, Fatal> {
    let renderer: Arc<dyn Render> = match format {
        ExportFormat::Csv => Arc::new(CsvRender { table: table.clone() }),
        _ => Arc::new(JsonRender::new(table.names.clone(), None)),
    };
    let atomic = a.output.as_deref().map(|p| Atomic::new(Path::new(p)));
    let mut out: Box<dyn Write> = match &atomic {
        Some(t) => Box::new(io::BufWriter::with_capacity(
            1 << 20,
            std::fs::File::create(&t.tmp).map_err(|e| Fatal(format!("{}: {e}", t.target.display())))?,
        )),
        None => Box::new(io::BufWriter::with_capacity(256 << 10, io::stdout().lock())),
    };
    if format == ExportFormat::Csv {
        // A byte-order mark helps spreadsheets read a .csv file as UTF-8.
        if atomic.is_some() {
            out.write_all("\u{feff}".as_bytes()).map_err(|e| write_failed(&atomic, e))?;
        }
        let header = CsvRender { table: table.clone() }.header();
        out.write_all(&header).map_err(|e| write_failed(&atomic, e))?;
    }
    let mut rows = 0u64;
    let mut failed: Option<io::Error> = None;
    engine::run(
        inputs,
        cfg,
        query,
        || RenderCollector::new(renderer.clone()),
        |(bytes, n)| {
            if INTERRUPTED.load(Ordering::SeqCst) {
                return Ok(false);
            }
            rows += n;
            progress.rows.store(rows, Ordering::Relaxed);
            let written = write_out(&mut out, &bytes, false);
            logx::sink::recycle(bytes);
            match written {
                Ok(open) => Ok(open),
                Err(e) => {
                    failed = Some(e);
                    Ok(false)
                }
            }
        },
        report,
    )
    .map_err(|e| Fatal(e.to_string()))?;
    if let Some(e) = failed {
        return Err(write_failed(&atomic, e));
    }
    if INTERRUPTED.load(Ordering::SeqCst) {
        return Ok(rows);
    }
    if let Err(e) = out.flush() {
        if !super::is_broken_pipe(&e) {
            return Err(write_failed(&atomic, e));
        }
    }
    drop(out);
    if let Some(t) = atomic {
        let target = t.target.clone();
        t.commit().map_err(|e| Fatal(format!("{}: {e}", target.display())))?;
    }
    Ok(rows)
}

fn write_failed(atomic: &Option<Atomic>, e: io::Error) -> Fatal {
    match atomic {
        Some(t) => Fatal(format!("{}: {e}; the export was stopped and no file was written", t.target.display())),
        None => Fatal(format!("writing the export: {e}")),
    }
}

#[allow(clippy::too_many_arguments)]
fn export_xlsx(
    a: &ExportArgs,
    inputs: &[Input],
    cfg: &EngineConfig,
    query: &Arc<logx::query::Query>,
    table: Arc<Table>,
    zone: logx::time::Zone,
    progress: &Progress,
    report: &mut dyn FnMut(SourceError),
) -> Result<u64, Fatal> {
    let target = match &a.output {
        Some(p) => PathBuf::from(p),
        None => std::env::temp_dir().join(format!("logx-export-{}.xlsx", std::process::id())),
    };
    let atomic = Atomic::new(&target);
    let mut w = XlsxWriter::new(&table, zone, "entries", a.max_rows).map_err(|e| Fatal(e.to_string()))?;
    let mut failed: Option<XlsxExportError> = None;
    let mut rows = 0u64;
    engine::run(
        inputs,
        cfg,
        query,
        || RowCollector::new(table.clone()),
        |batch| {
            if INTERRUPTED.load(Ordering::SeqCst) {
                return Ok(false);
            }
            for r in &batch {
                if let Err(e) = w.write(r) {
                    failed = Some(e);
                    return Ok(false);
                }
                rows += 1;
            }
            progress.rows.store(rows, Ordering::Relaxed);
            Ok(true)
        },
        report,
    )
    .map_err(|e| Fatal(e.to_string()))?;
    if let Some(e) = failed {
        return Err(Fatal(format!("{}: {e}; no file was written", target.display())));
    }
    if INTERRUPTED.load(Ordering::SeqCst) {
        return Ok(rows);
    }
    w.save(&atomic.tmp).map_err(|e| Fatal(format!("{}: {e}; no file was written", target.display())))?;
    if a.output.is_some() {
        atomic.commit().map_err(|e| Fatal(format!("{}: {e}", target.display())))?;
    } else {
        // To stdout (a pipe or a file): copy the finished workbook.
        let mut f = std::fs::File::open(&atomic.tmp).map_err(|e| Fatal(e.to_string()))?;
        let mut stdout = io::stdout().lock();
        io::copy(&mut f, &mut stdout).map_err(|e| Fatal(format!("writing the export: {e}")))?;
        drop(atomic);
    }
    Ok(rows)
}

/// An export of a query to a file, for the TUI's export dialog: `format` is csv, xlsx or
/// ndjson. Returns the rows written.
pub(crate) fn export_file(
    inputs: &[Input],
    cfg: &EngineConfig,
    query: &Arc<logx::query::Query>,
    format: &str,
    path: &str,
    zone: logx::time::Zone,
    progress_rows: &mut dyn FnMut(u64),
) -> Result<u64, String> {
    let format = match format {
        "csv" => ExportFormat::Csv,
        "xlsx" => ExportFormat::Xlsx,
        "ndjson" | "json" | "jsonl" => ExportFormat::Ndjson,
        other => return Err(format!("unknown export format '{other}' (csv, xlsx, ndjson)")),
    };
    let a = ExportArgs {
        filters: Default::default(),
        csv: format == ExportFormat::Csv,
        xlsx: format == ExportFormat::Xlsx,
        ndjson: format == ExportFormat::Ndjson,
        output: Some(path.to_string()),
        columns: None,
        fields_json: false,
        redact: None,
        max_rows: None,
        all: true,
        audit: false,
        by: None,
        paths: Vec::new(),
    };
    let names = super::names(inputs);
    let table = Arc::new(Table { columns: default_columns(), names, redact: None });
    let progress = Progress::new(false, 0, Arc::new(AtomicU64::new(0)));
    let mut errors = Vec::new();
    let mut report = |e: SourceError| errors.push(e.to_string());
    let res = match format {
        ExportFormat::Xlsx => export_xlsx(&a, inputs, cfg, query, table, zone, &progress, &mut report),
        _ => export_text(&a, format, inputs, cfg, query, table, &progress, &mut report),
    };
    progress_rows(progress.rows.load(Ordering::Relaxed));
    match res {
        Ok(n) if errors.is_empty() => Ok(n),
        Ok(n) => Err(format!("{n} rows written; {}", errors.join("; "))),
        Err(Fatal(m)) => Err(m),
    }
}

/// The columns of an audit export.
const AUDIT_COLUMNS: [&str; 13] = [
    "key",
    "first",
    "last",
    "duration_ms",
    "entries",
    "services",
    "hosts",
    "user",
    "ip",
    "worst_level",
    "failed",
    "resource",
    "first_message",
];

fn audit_cells(g: &logx::audit::Group) -> Vec<String> {
    let ts =
        |t: Option<i64>| t.map_or(String::new(), |n| logx::entry::Timestamp { nanos: n, frac_digits: 3 }.to_rfc3339());
    let opt = |v: &Option<(i64, logx::audit::Text)>| v.as_ref().map_or(String::new(), |(_, s)| s.to_string());
    vec![
        g.key.to_string(),
        ts(g.first),
        ts(g.last),
        format!("{:.3}", g.duration() as f64 / 1e6),
        g.count.to_string(),
        g.services.join(" "),
        g.hosts.join(" "),
        opt(&g.user),
        opt(&g.ip),
        g.worst.map_or(String::new(), |l| l.as_str().to_string()),
        g.failed().to_string(),
        opt(&g.resource),
        opt(&g.first_msg),
    ]
}

/// Rows of the entries that have a group key: every group of the same query is exported, so
/// they are the entries of the exported groups.
struct KeyedRows {
    key: logx::audit::GroupKey,
    inner: RowCollector,
}

impl logx::engine::Collector for KeyedRows {
    type Out = Vec<logx::sink::xlsx::Row>;
    fn entry(&mut self, e: &logx::entry::Entry<'_>) {
        let k = match &self.key {
            logx::audit::GroupKey::Known(w) => e.get_known(*w).map(std::borrow::Cow::Borrowed),
            logx::audit::GroupKey::Field(f) => e.field(f),
        };
        if let Some(k) = k.filter(|k| !k.is_empty()) {
            let mut row = logx::sink::xlsx::row_of(&self.inner.table, e);
            row.cells.insert(0, Some(logx::sink::table::cell_safe(&k).into_owned()));
            self.inner.rows.push(row);
        }
    }
    fn take(&mut self) -> Vec<logx::sink::xlsx::Row> {
        self.inner.take()
    }
}

fn export_audit(
    ctx: &mut Ctx,
    a: &ExportArgs,
    format: ExportFormat,
    inputs: &[Input],
    query: &Arc<logx::query::Query>,
    names: logx::sink::Names,
) -> Result<i32, Fatal> {
    use logx::sink::table::{cell_safe, Column, ColumnKind};
    let key = logx::audit::GroupKey::parse(a.by.as_deref().unwrap_or("request_id"));
    // Groups are read back one at a time from the grouper's file and written as they come.
    let groups = super::audit::groups_of(ctx, inputs, query, &key, None, false, "time")?;
    let target = a.output.as_deref().map(Path::new);
    match format {
        ExportFormat::Xlsx => {
            let Some(target) = target else {
                return Err(Fatal("an XLSX audit export needs -o FILE.xlsx".into()));
            };
            let atomic = Atomic::new(target);
            let group_table = Table {
                columns: AUDIT_COLUMNS
                    .iter()
                    .map(|c| Column { name: c.to_string(), kind: ColumnKind::Field(c.to_string()) })
                    .collect(),
                names: names.clone(),
                redact: None,
            };
            let fail = |e: String| Fatal(format!("{}: {e}; no file was written", target.display()));
            let mut w = XlsxWriter::new(&group_table, ctx.zone.clone(), "groups", a.max_rows)
                .map_err(|e| fail(e.to_string()))?;
            for g in groups.iter() {
                let r = audit_cells(&g);
                let row = logx::sink::xlsx::Row {
                    ts: None,
                    level: None,
                    cells: r.iter().map(|c| Some(cell_safe(c).into_owned())).collect(),
                };
                w.write(&row).map_err(|e| fail(e.to_string()))?;
            }
            // The entries of the exported groups, with their group.
            let mut cols =
                vec![Column { name: key.name().to_string(), kind: ColumnKind::Field(key.name().to_string()) }];
            cols.extend(default_columns());
            let entry_table = Arc::new(Table { columns: default_columns(), names: names.clone(), redact: None });
            let sheet_table = Table { columns: cols, names: names.clone(), redact: None };
            w.new_sheet("entries", &sheet_table).map_err(|e| fail(e.to_string()))?;
            let cfg = ctx.engine()?;
            let mut failed = None;
            let quiet = ctx.global.quiet;
            let mut report = |e: SourceError| {
                super::report_line(&e, quiet);
            };
            engine::run(
                inputs,
                &cfg,
                query,
                || KeyedRows { key: key.clone(), inner: RowCollector::new(entry_table.clone()) },
                |batch| {
                    for r in &batch {
                        if let Err(e) = w.write(r) {
                            failed = Some(e.to_string());
                            return Ok(false);
                        }
                    }
                    Ok(true)
                },
                &mut report,
            )
            .map_err(|e| Fatal(e.to_string()))?;
            if let Some(e) = failed {
                return Err(fail(e));
            }
            w.save(&atomic.tmp).map_err(|e| fail(e.to_string()))?;
            atomic.commit().map_err(|e| fail(e.to_string()))?;
        }
        _ => {
            // Written a megabyte at a time: to the temporary file renamed at the end, or stdout.
            let atomic = target.map(Atomic::new);
            let mut file = match &atomic {
                Some(t) => {
                    Some(io::BufWriter::new(std::fs::File::create(&t.tmp).map_err(|e| write_failed(&atomic, e))?))
                }
                None => None,
            };
            let mut stdout = io::stdout().lock();
            let mut emit = |out: &mut Vec<u8>, last: bool| -> Result<bool, Fatal> {
                let ok = match file.as_mut() {
                    Some(f) => {
                        f.write_all(out)
                            .and_then(|_| if last { f.flush() } else { Ok(()) })
                            .map_err(|e| write_failed(&atomic, e))?;
                        true
                    }
                    None => write_out(&mut stdout, out, last)?,
                };
                out.clear();
                Ok(ok)
            };
            let mut out = Vec::new();
            if format == ExportFormat::Csv {
                if target.is_some() {
                    out.extend_from_slice("\u{feff}".as_bytes());
                }
                logx::sink::csv::push_record(&mut out, AUDIT_COLUMNS);
            }
            for g in groups.iter() {
                let r = audit_cells(&g);
                if format == ExportFormat::Csv {
                    let safe: Vec<String> = r.iter().map(|c| cell_safe(c).into_owned()).collect();
                    logx::sink::csv::push_record(&mut out, safe.iter().map(String::as_str));
                } else {
                    out.push(b'{');
                    for (i, (k, v)) in AUDIT_COLUMNS.iter().zip(&r).enumerate() {
                        if i > 0 {
                            out.push(b',');
                        }
                        logx::format::json::write_str(&mut out, k);
                        out.push(b':');
                        logx::format::json::write_str(&mut out, v);
                    }
                    out.extend_from_slice(b"}\n");
                }
                if out.len() >= 1 << 20 && !emit(&mut out, false)? {
                    return Ok(EXIT_MATCH);
                }
            }
            if !emit(&mut out, true)? {
                return Ok(EXIT_MATCH);
            }
            drop(file);
            if let (Some(atomic), Some(t)) = (atomic, target) {
                atomic.commit().map_err(|e| Fatal(format!("{}: {e}", t.display())))?;
            }
        }
    }
    Ok(if groups.is_empty() { EXIT_NO_MATCH } else { EXIT_MATCH })
}
