//! The `logx` command line: a thin shell over the engine. Each verb builds a query and engine
//! settings from its arguments, runs the engine, and turns the outcome into an exit code:
//! 0 something matched, 1 nothing matched, 2 an error (reported as one `logx: ...` line).

pub mod args;
pub(crate) mod audit;
mod cat;
mod config;
pub(crate) mod export;
mod formats;
pub(crate) mod patterns;
mod ship;
mod stats;
mod tail;

use std::io::{self, IsTerminal, Write};
use std::sync::Arc;

use args::{Cli, ColorChoice, Command, GlobalArgs};
use logx::config::Config;
use logx::engine::EngineConfig;
use logx::query::{Query, QuerySpec};
use logx::source::{self, DiscoverOptions, Input, SourceError};
use logx::time::Zone;

/// Exit status: something matched.
pub const EXIT_MATCH: i32 = 0;
/// Exit status: nothing matched.
pub const EXIT_NO_MATCH: i32 = 1;
/// Exit status: an error.
pub const EXIT_ERROR: i32 = 2;

/// A failure that ends the command with exit status 2 after one message.
#[derive(Debug)]
pub struct Fatal(pub String);

impl<E: std::fmt::Display> From<E> for Fatal {
    fn from(e: E) -> Self {
        Fatal(e.to_string())
    }
}

/// Prints `logx: message` on stderr.
pub fn error_line(msg: &str) {
    let mut err = io::stderr().lock();
    let mut b = Vec::new();
    logx::sink::safe::write_escaped(&mut b, msg, true);
    let _ = writeln!(err, "logx: {}", String::from_utf8_lossy(&b));
}

/// Settings resolved from the global arguments.
pub struct Ctx {
    /// Display zone.
    pub zone: Zone,
    /// Global arguments.
    pub global: GlobalArgs,
    /// Now, ns since the epoch.
    pub now: i64,
    /// Errors seen (exit 2 at the end).
    pub errors: usize,
    /// The configuration (empty when there is no file).
    pub config: Config,
    /// Where the configuration was looked for, and whether it was asked for explicitly.
    pub config_path: Option<(std::path::PathBuf, bool)>,
    /// A configuration that could not be read (fatal for every verb but `config`).
    pub config_error: Option<logx::config::ConfigError>,
    /// Where the display zone came from.
    pub zone_from: String,
}

impl Ctx {
    fn new(global: GlobalArgs) -> Result<Ctx, Fatal> {
        let config_path = match &global.config {
            Some(p) => Some((std::path::PathBuf::from(p), true)),
            None => logx::config::default_path()
                .map(|p| (p, std::env::var_os("LOGX_CONFIG").is_some_and(|v| !v.is_empty()))),
        };
        let (config, config_error) = match &config_path {
            Some((p, explicit)) => match logx::config::load(p, *explicit) {
                Ok(c) => (c, None),
                Err(e) => (Config::default(), Some(e)),
            },
            None => (Config::default(), None),
        };
        // The zone: --tz, else the configuration's, else TZ, else local.
        let (zone, zone_from) = match (&global.tz, &config.tz) {
            (Some(z), _) => (Zone::from_spec(z).map_err(|e| Fatal(format!("--tz {e}")))?, "--tz".to_string()),
            (None, Some((_, z))) => (z.clone(), "config".to_string()),
            (None, None) => (
                Zone::from_env(),
                if std::env::var_os("TZ").is_some() { "TZ".to_string() } else { "local".to_string() },
            ),
        };
        if let Some(n) = global.threads {
            let _ = rayon::ThreadPoolBuilder::new().num_threads(n.max(1)).build_global();
        }
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos() as i64);
        Ok(Ctx { zone, global, now, errors: 0, config, config_path, config_error, zone_from })
    }

    /// Whether stdout gets colours.
    pub fn color_stdout(&self) -> bool {
        match self.global.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                io::stdout().is_terminal()
                    && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::env::var("TERM").map_or(true, |t| t != "dumb")
            }
        }
    }

    /// Compiles a query spec, before any reading.
    pub fn query(&self, spec: &QuerySpec) -> Result<Query, Fatal> {
        Query::compile(spec, &self.zone, self.now).map_err(|e| Fatal(e.to_string()))
    }

    /// The configured default level applies when the command line gives no level filter.
    pub fn default_level(&self, spec: &mut QuerySpec) {
        if spec.level.is_none() && spec.levels.is_empty() {
            spec.level = self.config.level.clone();
        }
    }

    /// Engine settings.
    pub fn engine(&self) -> Result<EngineConfig, Fatal> {
        let mut forced = self.global.format.clone();
        let mut custom = match &self.global.format_file {
            Some(p) => {
                let text = std::fs::read_to_string(p).map_err(|e| Fatal(format!("--format-file {p}: {e}")))?;
                Some(Arc::new(logx::config::parse_format_file(&text, p).map_err(|e| Fatal(e.to_string()))?))
            }
            None => None,
        };
        if let (None, Some(f)) = (&custom, &forced) {
            // A format of the configuration, by name.
            if let Some(c) = self.config.formats.iter().find(|c| c.name == *f) {
                custom = Some(c.clone());
                forced = None;
            } else {
                logx::format::forced(f, b"").map_err(|e| Fatal(format!("--format {e}")))?;
            }
        }
        Ok(EngineConfig {
            zone: self.zone.clone(),
            forced_format: forced,
            custom,
            candidates: self.config.formats.clone(),
            use_index: !self.global.no_index,
            clickhouse_auth: self.config.clickhouse.clone(),
            ..EngineConfig::default()
        })
    }

    /// Paths with named sources (`@cells`) expanded.
    pub fn expand(&mut self, paths: &[String]) -> Result<Vec<String>, Fatal> {
        let mut out = Vec::new();
        for p in paths {
            match p.strip_prefix('@') {
                Some(name) => match self.config.sources.get(name) {
                    Some(s) => {
                        if let (Some(f), None) = (&s.format, &self.global.format) {
                            self.global.format = Some(f.clone());
                        }
                        out.extend(s.paths.iter().cloned());
                    }
                    None => {
                        let names: Vec<&str> = self.config.sources.keys().map(String::as_str).collect();
                        let hint = match logx::suggest::closest(name, &names) {
                            Some(c) => format!(" (did you mean @{c}?)"),
                            None if names.is_empty() => " (the configuration names no sources)".to_string(),
                            None => format!(" (known: @{})", names.join(", @")),
                        };
                        return Err(Fatal(format!("{p}: no such source in the configuration{hint}")));
                    }
                },
                None => out.push(p.clone()),
            }
        }
        Ok(out)
    }

    /// Reports a source error (warnings are silenced by `-q`).
    pub fn report(&mut self, e: &SourceError) {
        if e.is_warning() {
            if !self.global.quiet {
                error_line(&format!("warning: {e}"));
            }
        } else {
            self.errors += 1;
            error_line(&e.to_string());
        }
    }

    /// Expands paths into inputs, reporting what cannot be found. No paths: stdin when it is
    /// not a terminal.
    pub fn inputs(&mut self, paths: &[String]) -> Result<Vec<Input>, Fatal> {
        let paths = &self.expand(paths)?;
        if paths.is_empty() {
            if io::stdin().is_terminal() {
                return Err(Fatal("no input: give paths (files, globs, directories) or pipe logs into logx".into()));
            }
            return Ok(vec![Input::Stdin]);
        }
        // ClickHouse tables first, checked now so that a bad URL fails before any work.
        let mut tables = Vec::new();
        for p in paths.iter().filter(|p| logx::clickhouse::is_url(p)) {
            logx::clickhouse::Target::parse(p).map_err(Fatal)?;
            tables.push(Input::ClickHouse(p.clone()));
        }
        let paths: Vec<String> = paths.iter().filter(|p| !logx::clickhouse::is_url(p)).cloned().collect();
        if paths.is_empty() {
            return Ok(tables);
        }
        let (mut inputs, errs) = source::discover(&paths, &DiscoverOptions { no_rotation: self.global.no_rotation });
        inputs.extend(tables);
        for e in &errs {
            self.report(e);
        }
        if inputs.is_empty() && errs.iter().all(|e| e.is_warning()) {
            return Err(Fatal(format!("no log files found under {}", paths.join(" "))));
        }
        Ok(inputs)
    }
}

/// Prints a source error; returns true when it counts as an error (not a warning).
pub fn report_line(e: &SourceError, quiet: bool) -> bool {
    if e.is_warning() {
        if !quiet {
            error_line(&format!("warning: {e}"));
        }
        false
    } else {
        error_line(&e.to_string());
        true
    }
}

fn index_files(ctx: &mut Ctx, files: &[String]) -> Result<i32, Fatal> {
    let mut total = 0usize;
    for f in files {
        match logx::source::MappedFile::open_path(std::path::Path::new(f)) {
            Ok(m) => total += logx::index::lines::line_offsets(m.bytes()).len(),
            Err(e) => ctx.report(&SourceError::from_io(f, e)),
        }
    }
    println!("{total}");
    Ok(EXIT_MATCH)
}

/// Whether an I/O error is a closed pipe (`logx ... | head`): not an error.
pub fn is_broken_pipe(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::BrokenPipe
}

/// Runs the command line; returns the exit status.
pub fn main(cli: Cli) -> i32 {
    let mut ctx = match Ctx::new(cli.global) {
        Ok(c) => c,
        Err(Fatal(m)) => {
            error_line(&m);
            return EXIT_ERROR;
        }
    };
    if let Some(e) = &ctx.config_error {
        if !matches!(cli.command, Some(Command::Config { .. } | Command::Completions { .. } | Command::Generate { .. }))
        {
            error_line(&format!("{e} (logx config check)"));
            return EXIT_ERROR;
        }
    }
    let result = match cli.command {
        Some(Command::Config { action }) => config::run(&mut ctx, action),
        Some(Command::Completions { shell }) => config::completions(shell),
        Some(Command::Generate { out }) => config::generate(&out),
        Some(Command::Cat(a)) => cat::run(&mut ctx, a),
        Some(Command::Stats(a)) => stats::run(&mut ctx, a),
        Some(Command::Export(a)) => export::run(&mut ctx, a),
        Some(Command::Tui(a)) => crate::tui::run(&mut ctx, a),
        Some(Command::Tail(a)) => tail::run(&mut ctx, a),
        Some(Command::Ship(a)) => ship::run(&mut ctx, a),
        Some(Command::Audit(a)) => audit::run(&mut ctx, a),
        Some(Command::Patterns(a)) => patterns::run(&mut ctx, a),
        Some(Command::Formats(a)) => formats::run(&mut ctx, a),
        Some(Command::Index { files }) => index_files(&mut ctx, &files),
        None => {
            if cli.paths.is_empty() && io::stdin().is_terminal() {
                use clap::CommandFactory;
                let _ = args::Cli::command().print_help();
                return EXIT_ERROR;
            }
            // `logx PATHS`: the TUI on a terminal, the entries when piped.
            if io::stdout().is_terminal() {
                let r = crate::tui::run(&mut ctx, args::TuiArgs { paths: cli.paths, ..Default::default() });
                return match r {
                    Ok(code) if ctx.errors == 0 => code,
                    Ok(_) => EXIT_ERROR,
                    Err(Fatal(m)) => {
                        error_line(&m);
                        EXIT_ERROR
                    }
                };
            }
            cat::run(
                &mut ctx,
                args::CatArgs {
                    filters: Default::default(),
                    output: None,
                    count: false,
                    unsafe_raw: false,
                    templates: false,
                    paths: cli.paths,
                },
            )
        }
    };
    match result {
        Ok(code) => {
            if ctx.errors > 0 {
                EXIT_ERROR
            } else {
                code
            }
        }
        Err(Fatal(m)) => {
            error_line(&m);
            EXIT_ERROR
        }
    }
}

/// Writes a chunk of output; a closed pipe stops quietly.
pub fn write_out(out: &mut dyn Write, bytes: &[u8], flush: bool) -> io::Result<bool> {
    match out.write_all(bytes).and_then(|_| if flush { out.flush() } else { Ok(()) }) {
        Ok(()) => Ok(true),
        Err(e) if is_broken_pipe(&e) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Source names shared with renderers.
pub fn names(inputs: &[Input]) -> Arc<Vec<String>> {
    Arc::new(logx::engine::source_names(inputs))
}
