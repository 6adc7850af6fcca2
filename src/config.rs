//! Configuration (`config.toml`) and custom format definitions, with errors that point at
//! the line and column of the bad part.
//!
//! ```toml
//! tz = "Europe/Paris"          # display zone (else TZ, else local)
//! level = "info"               # default minimum level
//! columns = ["time", "level", "host", "service", "user", "msg"]   # TUI columns
//! theme = "dark"               # dark, light, mono
//!
//! [sources.cells]              # `logx tui @cells`
//! paths = ["/var/lib/cells/logs/*.log"]   # relative paths: from this file's directory
//!
//! [formats.myapp]              # a custom format (also: --format-file FILE with the same keys)
//! regex = '^(?P<ts>\S+ \S+) \[(?P<level>\w+)\] (?P<service>[\w.-]+): (?P<msg>.*)$'
//! timestamp = "%Y-%m-%d %H:%M:%S%.f"
//! levels = { W = "warn", E = "error" }
//! continuation = '^\s'         # lines matching this continue the entry before
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use regex::Regex;
use serde::Deserialize;
use toml::Spanned;

use crate::entry::Level;
use crate::format::custom::CustomFormat;
use crate::time::Zone;

/// A configuration or format file error, located.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The file.
    pub path: String,
    /// 1-based line and column, when known.
    pub at: Option<(usize, usize)>,
    /// What is wrong.
    pub msg: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.at {
            Some((l, c)) => write!(f, "{}:{l}:{c}: {}", self.path, self.msg),
            None => write!(f, "{}: {}", self.path, self.msg),
        }
    }
}

impl std::error::Error for ConfigError {}

/// Line and column (1-based) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    tz: Option<Spanned<String>>,
    level: Option<Spanned<String>>,
    columns: Option<Spanned<Vec<String>>>,
    theme: Option<Spanned<String>>,
    #[serde(default)]
    sources: BTreeMap<String, Spanned<RawSource>>,
    #[serde(default)]
    formats: BTreeMap<String, Spanned<RawFormat>>,
    clickhouse: Option<RawClickHouse>,
}

/// `[clickhouse]`: credentials kept off the command line.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawClickHouse {
    user: Option<String>,
    password: Option<String>,
    ca: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    paths: Vec<String>,
    format: Option<Spanned<String>>,
}

/// A custom format as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFormat {
    /// Name (in a format file; in the config, the table's name).
    name: Option<String>,
    description: Option<String>,
    regex: Spanned<String>,
    timestamp: Option<Spanned<String>>,
    levels: Option<Spanned<BTreeMap<String, String>>>,
    continuation: Option<Spanned<String>>,
    #[serde(default)]
    strict: bool,
}

/// A named set of paths (`logx tui @cells`).
#[derive(Debug, Clone, PartialEq)]
pub struct NamedSource {
    /// Paths, globs, directories.
    pub paths: Vec<String>,
    /// A format to force (a built-in or custom name).
    pub format: Option<String>,
}

/// TUI colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Theme {
    /// For dark terminals.
    #[default]
    Dark,
    /// For light terminals.
    Light,
    /// No colours.
    Mono,
}

/// The effective configuration.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Where it was read from (None: no file).
    pub path: Option<PathBuf>,
    /// Display zone.
    pub tz: Option<(String, Zone)>,
    /// Default minimum level.
    pub level: Option<String>,
    /// TUI columns.
    pub columns: Option<Vec<String>>,
    /// TUI theme.
    pub theme: Option<Theme>,
    /// Named sources.
    pub sources: BTreeMap<String, NamedSource>,
    /// Custom formats.
    pub formats: Vec<Arc<CustomFormat>>,
    /// ClickHouse user, password and CA (`[clickhouse]`).
    pub clickhouse: crate::clickhouse::Auth,
    /// Where each key was set (key, line).
    pub lines: BTreeMap<String, usize>,
}

/// Column names the TUI knows (other names are fields of the entries).
pub const COLUMNS: &[&str] = &["time", "level", "host", "service", "user", "ip", "request", "msg"];

fn err(path: &str, text: &str, span: std::ops::Range<usize>, msg: impl Into<String>) -> ConfigError {
    ConfigError { path: path.to_string(), at: Some(line_col(text, span.start)), msg: msg.into() }
}

fn toml_error(path: &str, text: &str, e: &toml::de::Error) -> ConfigError {
    let msg = e.message().trim().to_string();
    ConfigError { path: path.to_string(), at: e.span().map(|s| line_col(text, s.start)), msg }
}

/// Checks a strftime layout: every `%` directive must be one chrono knows.
fn check_layout(layout: &str) -> Result<(), String> {
    use chrono::format::{Item, StrftimeItems};
    for item in StrftimeItems::new(layout) {
        if let Item::Error = item {
            return Err(format!(
                "invalid timestamp format {layout:?} (strftime directives such as %Y-%m-%d %H:%M:%S%.f)"
            ));
        }
    }
    if !layout.contains('%') {
        return Err(format!("timestamp format {layout:?} has no % directive"));
    }
    Ok(())
}

fn compile_format(name: &str, f: RawFormat, path: &str, text: &str) -> Result<CustomFormat, ConfigError> {
    let rspan = f.regex.span();
    let src = f.regex.into_inner();
    // Anchored at the start of the line, as the format describes whole lines.
    let anchored = if src.starts_with('^') { src.clone() } else { format!("^(?:{src})") };
    let regex = Regex::new(&anchored).map_err(|e| {
        let last = e.to_string().lines().last().unwrap_or("").trim().trim_start_matches("error: ").to_string();
        err(path, text, rspan.clone(), format!("formats.{name}.regex: invalid regex: {last}"))
    })?;
    let names: Vec<&str> = regex.capture_names().flatten().collect();
    if names.is_empty() {
        return Err(err(
            path,
            text,
            rspan,
            format!("formats.{name}.regex: no named capture (use (?P<ts>...), (?P<level>...), (?P<msg>...))"),
        ));
    }
    let ts_format = match f.timestamp {
        Some(t) => {
            let span = t.span();
            let t = t.into_inner();
            check_layout(&t).map_err(|m| err(path, text, span.clone(), format!("formats.{name}.timestamp: {m}")))?;
            if !names.contains(&"ts") {
                return Err(err(
                    path,
                    text,
                    span,
                    format!("formats.{name}.timestamp: the regex has no (?P<ts>...) capture"),
                ));
            }
            Some(t)
        }
        None => None,
    };
    let mut levels = Vec::new();
    if let Some(l) = f.levels {
        let span = l.span();
        for (word, level) in l.into_inner() {
            let lv = Level::parse_user(&level).ok_or_else(|| {
                err(
                    path,
                    text,
                    span.clone(),
                    format!("formats.{name}.levels.{word}: unknown level {level:?} (trace, debug, info, warn, error, fatal)"),
                )
            })?;
            levels.push((word, lv));
        }
    }
    let continuation = match f.continuation {
        Some(c) => {
            let span = c.span();
            Some(Regex::new(c.get_ref()).map_err(|e| {
                let last = e.to_string().lines().last().unwrap_or("").trim().trim_start_matches("error: ").to_string();
                err(path, text, span, format!("formats.{name}.continuation: invalid regex: {last}"))
            })?)
        }
        None => None,
    };
    let _ = f.description;
    Ok(CustomFormat {
        name: name.to_string(),
        tag: crate::format::intern(name),
        regex,
        ts_format,
        levels,
        continuation,
        strict_lines: f.strict,
    })
}

/// Reads a format file (`--format-file`): the keys of one `[formats.NAME]` table, and
/// optionally `name`.
///
/// # Errors
/// Syntax, unknown keys, a bad regex, timestamp layout or level, located.
pub fn parse_format_file(text: &str, path: &str) -> Result<CustomFormat, ConfigError> {
    let raw: RawFormat = toml::from_str(text).map_err(|e| toml_error(path, text, &e))?;
    let name = raw
        .name
        .clone()
        .unwrap_or_else(|| Path::new(path).file_stem().and_then(|s| s.to_str()).unwrap_or("custom").to_string());
    compile_format(&name, raw, path, text)
}

/// Reads a configuration.
///
/// # Errors
/// The first problem, located: syntax, an unknown key, a bad value.
pub fn parse(text: &str, path: &str) -> Result<Config, ConfigError> {
    let raw: RawConfig = toml::from_str(text).map_err(|e| toml_error(path, text, &e))?;
    let mut c = Config { path: Some(PathBuf::from(path)), ..Config::default() };
    let mut line = |key: &str, span: std::ops::Range<usize>| {
        c.lines.insert(key.to_string(), line_col(text, span.start).0);
    };
    if let Some(tz) = &raw.tz {
        line("tz", tz.span());
    }
    if let Some(l) = &raw.level {
        line("level", l.span());
    }
    if let Some(l) = &raw.columns {
        line("columns", l.span());
    }
    if let Some(l) = &raw.theme {
        line("theme", l.span());
    }
    if let Some(tz) = raw.tz {
        let span = tz.span();
        let z = Zone::from_spec(tz.get_ref()).map_err(|e| err(path, text, span, format!("tz: {e}")))?;
        c.tz = Some((tz.into_inner(), z));
    }
    if let Some(l) = raw.level {
        if Level::parse_user(l.get_ref()).is_none() {
            return Err(err(
                path,
                text,
                l.span(),
                format!("level: unknown level {:?} (trace, debug, info, warn, error, fatal)", l.get_ref()),
            ));
        }
        c.level = Some(l.into_inner());
    }
    if let Some(cols) = raw.columns {
        let span = cols.span();
        let cols = cols.into_inner();
        if !cols.iter().any(|c| c == "msg") {
            return Err(err(path, text, span, "columns: the message column (msg) must be one of them"));
        }
        c.columns = Some(cols);
    }
    if let Some(t) = raw.theme {
        c.theme = Some(match t.get_ref().as_str() {
            "dark" => Theme::Dark,
            "light" => Theme::Light,
            "mono" => Theme::Mono,
            other => {
                return Err(err(path, text, t.span(), format!("theme: unknown theme {other:?} (dark, light, mono)")))
            }
        });
    }
    for (name, f) in raw.formats {
        let span = f.span();
        c.lines.insert(format!("formats.{name}"), line_col(text, span.start).0);
        c.formats.push(Arc::new(compile_format(&name, f.into_inner(), path, text)?));
    }
    for (name, s) in raw.sources {
        let span = s.span();
        let s = s.into_inner();
        if s.paths.is_empty() {
            return Err(err(path, text, span, format!("sources.{name}.paths: give at least one path")));
        }
        if let Some(f) = &s.format {
            let known =
                c.formats.iter().any(|x| x.name == *f.get_ref()) || crate::format::forced(f.get_ref(), b"").is_ok();
            if !known {
                return Err(err(
                    path,
                    text,
                    f.span(),
                    format!("sources.{name}.format: unknown format {:?}", f.get_ref()),
                ));
            }
        }
        c.lines.insert(format!("sources.{name}"), line_col(text, span.start).0);
        c.sources.insert(name, NamedSource { paths: s.paths, format: s.format.map(Spanned::into_inner) });
    }
    if let Some(ch) = raw.clickhouse {
        // A relative CA path is the config file's neighbour.
        let ca = ch.ca.map(|p| match (Path::new(&p).is_relative(), Path::new(path).parent()) {
            (true, Some(dir)) => dir.join(&p),
            _ => PathBuf::from(&p),
        });
        c.clickhouse = crate::clickhouse::Auth { user: ch.user, password: ch.password, ca };
    }
    Ok(c)
}

/// Where the configuration is read from: `--config`, else `LOGX_CONFIG`, else
/// `$XDG_CONFIG_HOME/logx/config.toml` (`~/.config/logx/config.toml`).
pub fn default_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("LOGX_CONFIG").filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(p));
    }
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))?;
    Some(base.join("logx").join("config.toml"))
}

/// Loads the configuration at `path`; a missing file at the default place is no
/// configuration, a missing file that was asked for is an error.
///
/// # Errors
/// Unreadable or invalid files.
pub fn load(path: &Path, explicit: bool) -> Result<Config, ConfigError> {
    let shown = path.display().to_string();
    match std::fs::read_to_string(path) {
        Ok(text) => {
            let mut c = parse(&text, &shown)?;
            // Relative source paths are relative to the configuration's directory; `~/` is home.
            let dir = path.parent().unwrap_or(Path::new(""));
            let home = std::env::var_os("HOME").map(PathBuf::from);
            for s in c.sources.values_mut() {
                for p in &mut s.paths {
                    if let (Some(rest), Some(h)) = (p.strip_prefix("~/"), &home) {
                        *p = h.join(rest).display().to_string();
                    } else if Path::new(p.as_str()).is_relative() && p != "-" {
                        *p = dir.join(&*p).display().to_string();
                    }
                }
            }
            Ok(c)
        }
        // At the default place, a file that cannot even be looked at (absent, or under a
        // directory this user may not enter, as with `sudo -u` keeping HOME) is no configuration.
        Err(_) if !explicit && std::fs::metadata(path).is_err() => Ok(Config::default()),
        Err(e) => Err(ConfigError { path: shown, at: None, msg: e.to_string() }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_are_located() {
        let e = parse("tz = \"UTC\"\ncolour = 1\n", "c.toml").unwrap_err();
        assert_eq!(e.at, Some((2, 1)), "{e}");
        assert!(e.msg.contains("unknown field `colour`"), "{e}");
        let e = parse("[formats.a]\nregex = '(?P<ts>\\S+'\n", "c.toml").unwrap_err();
        assert_eq!(e.at.map(|a| a.0), Some(2), "{e}");
        assert!(e.msg.starts_with("formats.a.regex: invalid regex"), "{e}");
        let e = parse("[formats.a]\nregex = '(?P<ts>\\S+) (?P<msg>.*)'\ntimestamp = \"%Y-%m-%d %Q\"\n", "c.toml")
            .unwrap_err();
        assert_eq!(e.at.map(|a| a.0), Some(3), "{e}");
        assert!(e.msg.contains("invalid timestamp format"), "{e}");
        let e = parse("level = \"loud\"\n", "c.toml").unwrap_err();
        assert!(e.to_string().starts_with("c.toml:1:9: level: unknown level \"loud\""), "{e}");
    }

    #[test]
    fn a_full_config() {
        let c = parse(
            r#"
tz = "UTC"
level = "warn"
columns = ["time", "level", "service", "msg"]
theme = "mono"
[sources.cells]
paths = ["/var/log/cells/*.log"]
format = "myapp"
[formats.myapp]
regex = '(?P<ts>\S+ \S+) (?P<level>[A-Z]) (?P<msg>.*)'
timestamp = "%Y-%m-%d %H:%M:%S"
levels = { W = "warn" }
"#,
            "c.toml",
        )
        .unwrap();
        assert_eq!(c.level.as_deref(), Some("warn"));
        assert_eq!(c.theme, Some(Theme::Mono));
        assert_eq!(c.sources["cells"].paths, ["/var/log/cells/*.log"]);
        assert_eq!(c.formats[0].name, "myapp");
        assert_eq!(c.lines["theme"], 5);
        assert!(c.formats[0].check("2026-11-21 10:00:00 W disk full").is_ok());
    }
}
