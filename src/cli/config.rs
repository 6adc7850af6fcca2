//! `logx config`: where the configuration is, what it sets, whether it is valid; and the
//! generated completions and man pages.

use std::io::{self, Write};
use std::path::Path;

use clap::CommandFactory;

use super::args::{Cli, ConfigAction};
use super::{Ctx, Fatal, EXIT_ERROR, EXIT_MATCH};

pub(super) fn run(ctx: &mut Ctx, action: ConfigAction) -> Result<i32, Fatal> {
    let mut out = io::stdout().lock();
    let (path, explicit) = match &ctx.config_path {
        Some((p, e)) => (Some(p.clone()), *e),
        None => (None, false),
    };
    match action {
        ConfigAction::Path => {
            match &path {
                Some(p) => writeln!(out, "{}", p.display())?,
                None => writeln!(out, "(no HOME, XDG_CONFIG_HOME or LOGX_CONFIG: no configuration)")?,
            }
            Ok(EXIT_MATCH)
        }
        ConfigAction::Check => {
            if let Some(e) = &ctx.config_error {
                super::error_line(&e.to_string());
                return Ok(EXIT_ERROR);
            }
            match &path {
                Some(p) if p.exists() => {
                    let c = &ctx.config;
                    writeln!(out, "{}: ok ({} sources, {} formats)", p.display(), c.sources.len(), c.formats.len())?;
                }
                Some(p) => writeln!(out, "{}: no configuration file (defaults apply)", p.display())?,
                None => writeln!(out, "no configuration file (defaults apply)")?,
            }
            Ok(EXIT_MATCH)
        }
        ConfigAction::Show => {
            if let Some(e) = &ctx.config_error {
                super::error_line(&e.to_string());
                return Ok(EXIT_ERROR);
            }
            let c = &ctx.config;
            let file = path.as_ref().map(|p| p.display().to_string()).unwrap_or_default();
            let from = |key: &str| -> String {
                match c.lines.get(key) {
                    Some(l) => format!("{file}:{l}"),
                    None => "default".into(),
                }
            };
            writeln!(
                out,
                "# configuration: {}",
                match &path {
                    Some(p) if p.exists() => format!("{}{}", p.display(), if explicit { " (given)" } else { "" }),
                    Some(p) => format!("{} (absent: defaults)", p.display()),
                    None => "none".into(),
                }
            )?;
            let tz_value = match (&ctx.global.tz, &c.tz) {
                (Some(z), _) => z.clone(),
                (None, Some((z, _))) => z.clone(),
                _ => std::env::var("TZ").unwrap_or_else(|_| "local".into()),
            };
            let tz_from = match ctx.zone_from.as_str() {
                "config" => from("tz"),
                "TZ" => "environment (TZ)".into(),
                "--tz" => "command line (--tz)".into(),
                _ => "default (the system's local zone)".into(),
            };
            writeln!(out, "tz = {:?}    # {tz_from}", tz_value)?;
            match &c.level {
                Some(l) => writeln!(out, "level = {l:?}    # {}", from("level"))?,
                None => writeln!(out, "# level: none (every level shown)    # default")?,
            }
            let cols = c.columns.clone().unwrap_or_else(|| {
                ["time", "level", "host", "service", "user", "ip", "msg"].iter().map(|s| s.to_string()).collect()
            });
            writeln!(out, "columns = {cols:?}    # {}", from("columns"))?;
            let theme = match c.theme {
                Some(logx::config::Theme::Light) => "light",
                Some(logx::config::Theme::Mono) => "mono",
                _ => "dark",
            };
            writeln!(out, "theme = {theme:?}    # {}", from("theme"))?;
            writeln!(
                out,
                "# colours: {}",
                match std::env::var_os("NO_COLOR") {
                    Some(v) if !v.is_empty() => "off (NO_COLOR is set)",
                    _ => "on a terminal (--color always|never to force)",
                }
            )?;
            let cache = logx::index::cache::cache_dir()
                .map_or("none (indexes are not persisted)".to_string(), |d| d.display().to_string());
            writeln!(out, "# index cache: {cache}")?;
            for (name, s) in &c.sources {
                writeln!(out, "\n[sources.{name}]    # {}", from(&format!("sources.{name}")))?;
                writeln!(out, "paths = {:?}", s.paths)?;
                if let Some(f) = &s.format {
                    writeln!(out, "format = {f:?}")?;
                }
            }
            for f in &c.formats {
                writeln!(out, "\n[formats.{}]    # {}", f.name, from(&format!("formats.{}", f.name)))?;
                writeln!(out, "regex = '{}'", f.regex.as_str())?;
                if let Some(t) = &f.ts_format {
                    writeln!(out, "timestamp = {t:?}")?;
                }
                if !f.levels.is_empty() {
                    let l: Vec<String> = f.levels.iter().map(|(w, l)| format!("{w:?} = {:?}", l.as_str())).collect();
                    writeln!(out, "levels = {{ {} }}", l.join(", "))?;
                }
                if let Some(c) = &f.continuation {
                    writeln!(out, "continuation = '{}'", c.as_str())?;
                }
            }
            Ok(EXIT_MATCH)
        }
    }
}

/// `logx completions SHELL`.
pub(super) fn completions(shell: clap_complete::Shell) -> Result<i32, Fatal> {
    let mut cmd = Cli::command();
    clap_complete::generate(shell, &mut cmd, "logx", &mut io::stdout());
    Ok(EXIT_MATCH)
}

/// The completion scripts: (file name, shell).
pub const COMPLETIONS: [(&str, clap_complete::Shell); 5] = [
    ("logx.bash", clap_complete::Shell::Bash),
    ("_logx", clap_complete::Shell::Zsh),
    ("logx.fish", clap_complete::Shell::Fish),
    ("logx.elv", clap_complete::Shell::Elvish),
    ("_logx.ps1", clap_complete::Shell::PowerShell),
];

const ENVIRONMENT: &[(&str, &str)] = &[
    ("TZ", "The display zone and the zone of timestamps written without one, unless --tz or the configuration's tz is given."),
    ("NO_COLOR", "When set and not empty, no colours (https://no-color.org)."),
    ("LOGX_CONFIG", "The configuration file, instead of $XDG_CONFIG_HOME/logx/config.toml."),
    ("XDG_CONFIG_HOME", "Base of the configuration directory (default ~/.config)."),
    ("XDG_CACHE_HOME", "Base of the index cache (default ~/.cache); LOGX_CACHE_DIR overrides the whole path."),
    ("LOGX_CACHE_DIR", "Where persisted indexes of large files (and logx ship's checkpoints) are kept."),
    ("LOGX_CLICKHOUSE_USER", "The ClickHouse user of clickhouse:// tables, unless the URL names one."),
    ("LOGX_CLICKHOUSE_PASSWORD", "The ClickHouse password (never in a URL: a command line is visible to every user)."),
    ("LOGX_CLICKHOUSE_CA", "A PEM file of the certificates to trust for clickhouses:// (a server with its own CA), instead of the public roots."),
];

const FILES: &[(&str, &str)] = &[
    (
        "$XDG_CONFIG_HOME/logx/config.toml",
        "The configuration: tz, level, columns, theme, [sources.NAME], [formats.NAME], [clickhouse].",
    ),
    ("$XDG_CACHE_HOME/logx/", "Persisted indexes (line offsets and time blocks) of files of 16 MiB and more."),
];

fn roff_escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('-', "\\-")
        .lines()
        .map(|l| if l.starts_with('.') || l.starts_with('\'') { format!("\\&{l}") } else { l.to_string() })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A man page: clap_mangen's sections, then EXAMPLES (from the command's after_help),
/// EXIT STATUS, ENVIRONMENT and FILES.
fn man_page(cmd: clap::Command, out: &mut Vec<u8>) -> io::Result<()> {
    let examples = cmd.get_after_help().map(|s| s.to_string());
    let cmd = cmd.after_help(None::<&str>).after_long_help(None::<&str>);
    let man = clap_mangen::Man::new(cmd.clone());
    man.render_title(out)?;
    man.render_name_section(out)?;
    man.render_synopsis_section(out)?;
    man.render_description_section(out)?;
    if cmd.get_arguments().any(|a| !a.is_hide_set()) {
        man.render_options_section(out)?;
    }
    if cmd.has_subcommands() {
        man.render_subcommands_section(out)?;
    }
    if let Some(ex) = examples {
        out.extend_from_slice(b".SH EXAMPLES\n.nf\n");
        let body = ex.trim_start_matches("Examples:").trim_matches('\n');
        out.extend_from_slice(roff_escape(body).as_bytes());
        out.extend_from_slice(b"\n.fi\n");
    }
    out.extend_from_slice(
        b".SH \"EXIT STATUS\"\n.TP\n0\nSomething matched (or the command did its work).\n.TP\n1\nNothing matched.\n.TP\n2\nAn error (reported as one line on standard error).\n",
    );
    out.extend_from_slice(b".SH ENVIRONMENT\n");
    for (k, v) in ENVIRONMENT {
        out.extend_from_slice(format!(".TP\n\\fB{}\\fR\n{}\n", roff_escape(k), roff_escape(v)).as_bytes());
    }
    out.extend_from_slice(b".SH FILES\n");
    for (k, v) in FILES {
        out.extend_from_slice(format!(".TP\n\\fI{}\\fR\n{}\n", roff_escape(k), roff_escape(v)).as_bytes());
    }
    if cmd.get_version().is_some() {
        man.render_version_section(out)?;
    }
    Ok(())
}

/// Every generated file: (relative path, contents).
pub fn generated() -> io::Result<Vec<(String, Vec<u8>)>> {
    let mut files = Vec::new();
    for (name, shell) in COMPLETIONS {
        let mut cmd = Cli::command();
        let mut buf = Vec::new();
        clap_complete::generate(shell, &mut cmd, "logx", &mut buf);
        files.push((format!("completions/{name}"), buf));
    }
    let mut cmd = Cli::command();
    cmd.build();
    let mut buf = Vec::new();
    man_page(cmd.clone(), &mut buf)?;
    files.push(("man/logx.1".to_string(), buf));
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = format!("logx-{}", sub.get_name());
        let sub = sub
            .clone()
            .name(name.clone())
            .display_name(name.clone())
            .bin_name(format!("logx {}", sub.get_name()))
            .version(env!("CARGO_PKG_VERSION"));
        let mut buf = Vec::new();
        man_page(sub, &mut buf)?;
        files.push((format!("man/{name}.1"), buf));
    }
    Ok(files)
}

/// `logx generate --out DIR`.
pub(super) fn generate(out: &str) -> Result<i32, Fatal> {
    for (rel, data) in generated()? {
        let p = Path::new(out).join(&rel);
        if let Some(d) = p.parent() {
            std::fs::create_dir_all(d)?;
        }
        std::fs::write(&p, data)?;
        println!("{}", p.display());
    }
    Ok(EXIT_MATCH)
}
