//! The command line (clap derive). Arguments are validated here and nothing more; the verbs
//! turn them into a [`logx::query::QuerySpec`] and engine settings.

use clap::{Args, Parser, Subcommand, ValueEnum};

use logx::query::QuerySpec;

const ABOUT: &str = "A terminal log explorer: read, follow, filter, explore and export local logs.";

const AFTER: &str = "\
Examples:
  logx fixtures/                         open the TUI on a directory (on a terminal)
  logx cat --level warn /var/log/app.log   warnings and worse, aligned and coloured
  logx cat -o json app.log | jq .msg      normalized NDJSON for pipelines
  logx tail -F 'connection reset' logs/   follow every log under logs/, filtered
  logx export --day yesterday --csv -o audit.csv logs/
  logx audit --failed logs/               request groups that contain an error

Exit status: 0 when something matched, 1 when nothing did, 2 on an error.
Environment: TZ (display zone), NO_COLOR, LOGX_CONFIG, XDG_CONFIG_HOME, XDG_CACHE_HOME.";

/// logx: the log tool for people who run servers.
#[derive(Debug, Parser)]
#[command(name = "logx", version, about = ABOUT, long_about = None, after_help = AFTER)]
#[command(disable_help_subcommand = true)]
pub struct Cli {
    /// Settings shared by every verb.
    #[command(flatten)]
    pub global: GlobalArgs,

    /// The verb.
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Paths to open in the TUI (on a terminal) or print (when piped).
    #[arg(value_name = "PATHS")]
    pub paths: Vec<String>,
}

/// Settings every verb takes.
#[derive(Debug, Clone, Args, Default)]
pub struct GlobalArgs {
    /// Display zone and zone of naive timestamps: UTC, +02:00, Europe/Paris, local
    /// (default: the TZ variable, else local).
    #[arg(long, global = true, value_name = "ZONE")]
    pub tz: Option<String>,

    /// Force a format instead of detecting it (`logx formats` lists them; a custom format of
    /// the configuration by its name).
    #[arg(long = "format", global = true, value_name = "NAME", value_parser = Hinted(format_names), hide_possible_values = true)]
    pub format: Option<String>,

    /// Read a custom format definition (TOML) and use it for every input.
    #[arg(long, global = true, value_name = "FILE")]
    pub format_file: Option<String>,

    /// Configuration file (default: $LOGX_CONFIG, else $XDG_CONFIG_HOME/logx/config.toml).
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<String>,

    /// Colours: auto (on a terminal, unless NO_COLOR is set), always, never.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Do not group rotated generations (x.log, x.log.1, ...) into one input.
    #[arg(long, global = true)]
    pub no_rotation: bool,

    /// Neither read nor write the persisted index, and scan whole files instead of seeking.
    #[arg(long, global = true)]
    pub no_index: bool,

    /// Worker threads (default: all cores).
    #[arg(long, global = true, value_name = "N")]
    pub threads: Option<usize>,

    /// Quiet: no progress, no warnings.
    #[arg(short = 'q', long, global = true)]
    pub quiet: bool,
}

/// When to colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ColorChoice {
    /// On a terminal, unless NO_COLOR is set.
    #[default]
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// Output formats of `cat` and `tail`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Aligned coloured columns for people (the default on a terminal).
    Pretty,
    /// Normalized NDJSON, one object per entry (the default when piped).
    Json,
    /// The original bytes.
    Raw,
    /// logfmt.
    Logfmt,
}

/// The filters every verb shares.
#[derive(Debug, Clone, Args, Default)]
#[command(next_help_heading = "Filters")]
pub struct FilterArgs {
    /// Minimum level: trace, debug, info, warn, error, fatal; `all` for every entry (those
    /// without a level too), overriding the configuration's default level.
    #[arg(short = 'l', long, value_name = "LEVEL", value_parser = Hinted(level_names))]
    pub level: Option<String>,

    /// Exact levels, comma-separated (`none` for entries without a level).
    #[arg(long, value_name = "LEVELS", value_delimiter = ',', value_parser = Hinted(level_set_names))]
    pub levels: Vec<String>,

    /// Search the message with a regex (repeatable: any of them).
    #[arg(short = 'e', long = "grep", value_name = "REGEX")]
    pub grep: Vec<String>,

    /// Search the message for a literal string (repeatable).
    #[arg(short = 'F', long = "fixed", value_name = "STRING")]
    pub fixed: Vec<String>,

    /// Case-insensitive search.
    #[arg(short = 'i', long)]
    pub ignore_case: bool,

    /// Keep the entries that do not match the search.
    #[arg(short = 'v', long)]
    pub invert: bool,

    /// Search this field instead of the message.
    #[arg(long = "in", value_name = "FIELD")]
    pub in_field: Option<String>,

    /// Search the message and every field.
    #[arg(long)]
    pub all_fields: bool,

    /// Field expression: key=value, key!=value, key~=regex, key>n, key<n, key=prefix*,
    /// key? (has the field); dotted paths into nested JSON (req.method=POST).
    #[arg(short = 'w', long = "where", value_name = "EXPR")]
    pub wheres: Vec<String>,

    /// From this time (inclusive): 2026-11-21, '2026-11-21 10:00', 10:00, -2h, '30m ago',
    /// today, yesterday, monday.
    #[arg(long, value_name = "TIME", allow_hyphen_values = true)]
    pub from: Option<String>,

    /// Up to this time (exclusive).
    #[arg(long, value_name = "TIME", allow_hyphen_values = true)]
    pub to: Option<String>,

    /// One whole day in the display zone.
    #[arg(long, value_name = "DATE")]
    pub day: Option<String>,

    /// The last DURATION up to now (2h, 30m, 7d).
    #[arg(long, value_name = "DURATION")]
    pub last: Option<String>,

    /// Host or instance (repeatable; a trailing * is a prefix).
    #[arg(long = "host", visible_alias = "instance", value_name = "HOST")]
    pub hosts: Vec<String>,

    /// Service, logger or component (repeatable; a trailing * is a prefix).
    #[arg(long = "service", value_name = "SERVICE")]
    pub services: Vec<String>,

    /// User (repeatable).
    #[arg(long = "user", value_name = "USER")]
    pub users: Vec<String>,

    /// Client IP (repeatable; a trailing * is a prefix).
    #[arg(long = "ip", value_name = "IP")]
    pub ips: Vec<String>,

    /// Request id (repeatable).
    #[arg(long = "request-id", value_name = "ID")]
    pub request_ids: Vec<String>,

    /// Hide the entries of a message template (see `logx patterns`).
    #[arg(long = "hide-template", value_name = "ID")]
    pub hide_templates: Vec<u64>,
}

impl FilterArgs {
    /// The filters as a query spec.
    pub fn spec(&self) -> QuerySpec {
        QuerySpec {
            level: self.level.clone(),
            levels: self.levels.clone(),
            grep: self.grep.clone(),
            fixed: self.fixed.clone(),
            ignore_case: self.ignore_case,
            smart_case: false,
            invert: self.invert,
            in_field: self.in_field.clone(),
            all_fields: self.all_fields,
            wheres: self.wheres.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
            day: self.day.clone(),
            last: self.last.clone(),
            hosts: self.hosts.clone(),
            services: self.services.clone(),
            users: self.users.clone(),
            ips: self.ips.clone(),
            request_ids: self.request_ids.clone(),
            hide_templates: self.hide_templates.clone(),
        }
    }
}

/// The verbs.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print normalized entries of logs (files, globs, directories, rotated sets, stdin).
    #[command(after_help = "Examples:
  logx cat app.log                       pretty on a terminal, NDJSON when piped
  logx cat -o json logs/ | jq 'select(.level==\"error\")'
  logx cat -c --level warn cells.json    count warnings and worse (exit 1 if none)
  logx cat --from '2026-11-21 10:00' --to '2026-11-21 11:00' app.log
  zcat old.log.gz | logx cat -o logfmt -")]
    Cat(CatArgs),

    /// Explore logs in the terminal: table, histogram, detail view, filters, search, follow.
    #[command(after_help = "Examples:
  logx tui /var/log/cells/               every log under a directory, merged by time
  logx tui --level warn --day yesterday app.log
  journalctl -o json -f | logx tui       stdin works too (keys come from the terminal)
  logx fixtures/                         the same, when stdout is a terminal

Press ? inside for every key.")]
    Tui(TuiArgs),

    /// Export a filtered slice as CSV, XLSX or NDJSON (spreadsheet-safe, written atomically).
    #[command(after_help = "Examples:
  logx export --day yesterday --csv -o audit.csv /var/log/cells/
  logx export --from '2026-11-16' --to '2026-11-23' --xlsx -o week.xlsx logs/
  logx export --level error --last 24h --ndjson logs/ | gzip > errors.ndjson.gz
  logx export --all --columns ts,level,user,msg,fields.path --redact user,ip,email -o share.csv app.log")]
    Export(ExportArgs),

    /// Follow logs live through rotations and across files, filtered and coloured.
    #[command(after_help = "Examples:
  logx tail /var/log/app.log                 the last 10 entries, then every new one
  logx tail -n 0 --level error logs/         only new errors, from every log under logs/
  logx tail --merge cells-1.log cells-2.log  two instances, interleaved in time order
  logx tail -o json app.log | jq .msg        live NDJSON
  logx tail --exit-on 'level>=error' --timeout 5m app.log   wait for the first error (CI)
  logx tail --count-alert 5/1m -F 'connection refused' app.log")]
    Tail(TailArgs),

    /// Group entries into actions by request id (or any field): duration, services, user,
    /// worst level; one action's timeline; the activity of resources and users.
    #[command(after_help = "Examples:
  logx audit /var/log/cells/                      one row per request
  logx audit --failed --sort duration logs/       failed actions, slowest first
  logx audit --id 3f2a9c0e-... logs/               one action as a timeline
  logx audit --by trace_id --min-duration 2s logs/
  logx audit --resource-field path --resource 'pydio/personal/*' logs/
  logx audit --by-user logs/                      what each user did
  logx audit -o json logs/ | jq 'select(.failed)'")]
    Audit(AuditArgs),

    /// Message templates: collapse lines into the patterns that matter, with counts, levels,
    /// time span and activity; compare two periods (what is new, gone, changed).
    #[command(after_help = "Examples:
  logx patterns app.log                          templates by count, with an example each
  logx patterns --level warn --min-count 10 logs/
  logx patterns --sort first -o json logs/ | jq .template
  logx patterns --compare --before '2026-11-21 14:00' logs/     what changed after a deploy
  logx patterns --compare 09:00..10:00 10:00..11:00 app.log
  logx cat -o json --templates app.log           every entry with its template and template_id
  logx cat --hide-template 3 --hide-template 7 app.log        without the noise")]
    Patterns(PatternsArgs),

    /// Summarise logs: entries, levels, time span, a histogram, top values of fields.
    #[command(after_help = "Examples:
  logx stats app.log
  logx stats --bucket 1h --top service --top user logs/
  logx stats -o json cells.json")]
    Stats(StatsArgs),

    /// Show where the configuration is, what it sets (and where each value comes from), or
    /// check it.
    #[command(after_help = "Examples:
  logx config path          where logx looks for config.toml
  logx config show          the effective settings and where each comes from
  logx config check         errors with their line and column (exit 2)")]
    Config {
        /// What to do.
        #[command(subcommand)]
        action: ConfigAction,
    },

    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    #[command(after_help = "Examples:
  logx completions bash > ~/.local/share/bash-completion/completions/logx
  logx completions zsh > ~/.zfunc/_logx
  logx completions fish > ~/.config/fish/completions/logx.fish")]
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },

    /// Write the completion scripts and man pages into a directory (for packagers; the
    /// committed `completions/` and `man/` are made with it).
    #[command(hide = true)]
    Generate {
        /// Where (completions/ and man/ are created under it).
        #[arg(long, default_value = ".")]
        out: String,
    },

    /// Build the line index of files and print the number of lines (for benchmarks).
    #[command(hide = true)]
    Index {
        /// Files.
        files: Vec<String>,
    },

    /// Ship entries into a ClickHouse table (and follow them with -f), resuming after a crash
    /// without losing or repeating an entry.
    #[command(after_help = "Examples:
  logx ship /var/log/app/ --to clickhouse://127.0.0.1:8123/logs.app
  logx ship -f --level info app.log --to clickhouse://ch.internal/logs.app    follow, through rotations
  LOGX_CLICKHOUSE_PASSWORD=... logx ship app.log --to clickhouses://ops@ch.example.org/logs.app
  logx cat --level error --last 1h clickhouse://127.0.0.1:8123/logs.app       read it back, pushed down

Credentials: LOGX_CLICKHOUSE_USER, LOGX_CLICKHOUSE_PASSWORD or [clickhouse] user, password
in the config; never a password in the URL. clickhouses:// is https; LOGX_CLICKHOUSE_CA or
[clickhouse] ca names the CA of a server with its own.")]
    Ship(ShipArgs),

    /// List the formats logx reads, or say which one a file has.
    #[command(after_help = "Examples:
  logx formats                          the built-in formats
  logx formats detect app.log           which format matched, and how confidently
  logx formats test --format-file my.toml app.log")]
    Formats(FormatsArgs),
}

/// `logx cat`.
#[derive(Debug, Args)]
pub struct CatArgs {
    /// Filters.
    #[command(flatten)]
    pub filters: FilterArgs,

    /// Output: pretty (default on a terminal), json (default when piped), raw, logfmt.
    #[arg(short = 'o', long = "output", value_enum)]
    pub output: Option<OutputFormat>,

    /// Print only the number of matching entries.
    #[arg(short = 'c', long)]
    pub count: bool,

    /// With -o raw on a terminal, write control characters as they are.
    #[arg(long)]
    pub unsafe_raw: bool,

    /// Add each entry's message template (`template`, `template_id`) to JSON output.
    #[arg(long)]
    pub templates: bool,

    /// Paths, globs, directories, or - for stdin (default: stdin when piped).
    #[arg(value_name = "PATHS")]
    pub paths: Vec<String>,
}

/// `logx ship`.
#[derive(Debug, Args)]
pub struct ShipArgs {
    /// Filters: only matching entries are shipped.
    #[command(flatten)]
    pub filters: FilterArgs,

    /// The table: clickhouse://[USER@]HOST[:PORT]/DB.TABLE (clickhouses:// for https). `--to URL`
    /// says the same (a `--to` that is not a URL is the end of the time range).
    #[arg(long, value_name = "URL")]
    pub into: Option<String>,

    /// Keep shipping what the files gain, through rotations (rename, copytruncate, gzip).
    #[arg(short = 'f', long)]
    pub follow: bool,

    /// Entries per insert.
    #[arg(long, default_value = "20000", value_name = "N")]
    pub batch: usize,

    /// Where delivered offsets are kept (default: in the cache directory, per table).
    #[arg(long, value_name = "FILE")]
    pub checkpoint: Option<std::path::PathBuf>,

    /// Look at the files every MS milliseconds when following, instead of waking on the
    /// system's change notices (files on network file systems are polled every 250 ms anyway).
    #[arg(long, value_name = "MS")]
    pub poll: Option<u64>,

    /// Give up on a batch after this many attempts (0: never; the default when following).
    #[arg(long, value_name = "N")]
    pub attempts: Option<u32>,

    /// Paths, globs, directories.
    #[arg(value_name = "PATHS", required = true)]
    pub paths: Vec<String>,
}

/// `logx tail`.
#[derive(Debug, Args)]
pub struct TailArgs {
    /// Filters (applied live).
    #[command(flatten)]
    pub filters: FilterArgs,

    /// Entries shown first, per file: a number, or `all`.
    #[arg(short = 'n', long = "lines", default_value = "10", value_name = "N")]
    pub lines: String,

    /// Show the entries since this time first (instead of -n).
    #[arg(long, value_name = "TIME", allow_hyphen_values = true)]
    pub since: Option<String>,

    /// Print the last entries and exit.
    #[arg(long)]
    pub no_follow: bool,

    /// Poll for changes (optionally how often: 250ms) instead of waiting for notices.
    #[arg(long, value_name = "INTERVAL", num_args = 0..=1, default_missing_value = "")]
    pub poll: Option<String>,

    /// Hold entries a moment and release them in time order (several files).
    #[arg(long)]
    pub merge: bool,

    /// How long `--merge` holds entries.
    #[arg(long, default_value = "500ms", value_name = "DURATION")]
    pub merge_delay: String,

    /// How long an unfinished line is held before it is shown.
    #[arg(long, default_value = "500ms", value_name = "DURATION")]
    pub partial_timeout: String,

    /// Exit with status 0 at the first entry matching this expression (`level>=error`,
    /// `user=alice`, `msg~=timeout`).
    #[arg(long, value_name = "EXPR")]
    pub exit_on: Option<String>,

    /// Exit after this long: status 1 when nothing matched (or `--exit-on` never fired).
    #[arg(long, value_name = "DURATION")]
    pub timeout: Option<String>,

    /// Print an alert (on stderr) when more than N matching entries arrive within WINDOW.
    #[arg(long, value_name = "N/WINDOW")]
    pub count_alert: Option<String>,

    /// Output: pretty (default on a terminal), json (default when piped), raw, logfmt.
    #[arg(short = 'o', long = "output", value_enum)]
    pub output: Option<OutputFormat>,

    /// With -o raw on a terminal, write control characters as they are.
    #[arg(long)]
    pub unsafe_raw: bool,

    /// Paths, globs, directories (default: stdin when piped).
    #[arg(value_name = "PATHS")]
    pub paths: Vec<String>,
}

/// `logx audit`.
#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Filters (which entries take part).
    #[command(flatten)]
    pub filters: FilterArgs,

    /// Group by this field instead of the request id (dotted paths allowed).
    #[arg(long, value_name = "FIELD")]
    pub by: Option<String>,

    /// Order: time, duration, size, level.
    #[arg(long, default_value = "time", value_parser = ["time", "duration", "size", "level"])]
    pub sort: String,

    /// Only groups lasting at least this long.
    #[arg(long, value_name = "DURATION")]
    pub min_duration: Option<String>,

    /// Only groups with an error (or worse).
    #[arg(long)]
    pub failed: bool,

    /// One group's entries as a timeline.
    #[arg(long, value_name = "ID")]
    pub id: Option<String>,

    /// The field that names the resource an action touches (path, node...).
    #[arg(long, value_name = "FIELD")]
    pub resource_field: Option<String>,

    /// Activity of resources matching this (a trailing * is a prefix).
    #[arg(long, value_name = "PATTERN")]
    pub resource: Option<String>,

    /// Activity per user.
    #[arg(long)]
    pub by_user: bool,

    /// Rows shown at most (text output).
    #[arg(long, default_value_t = 1000)]
    pub limit: usize,

    /// Output: text (default) or json (one object per group, with its entries' lines).
    #[arg(short = 'o', long = "output", value_enum, default_value_t = StatsOutput::Text)]
    pub output: StatsOutput,

    /// Paths (default: stdin when piped).
    #[arg(value_name = "PATHS")]
    pub paths: Vec<String>,
}

/// `logx patterns`.
#[derive(Debug, Args)]
pub struct PatternsArgs {
    /// Filters (which entries are counted; templates are mined from every entry, so their
    /// ids do not depend on filters).
    #[command(flatten)]
    pub filters: FilterArgs,

    /// Order: count, first, last, level.
    #[arg(long, default_value = "count", value_parser = ["count", "first", "last", "level"])]
    pub sort: String,

    /// Only templates with at least this many entries.
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub min_count: u64,

    /// Compare two periods, each FROM..TO (an empty side is open) or a day; with no value,
    /// the periods are before --before and from --after.
    #[arg(long, num_args = 0..=2, value_name = "PERIOD")]
    pub compare: Option<Vec<String>>,

    /// With --compare: period A ends here (and B starts here, without --after).
    #[arg(long, value_name = "TIME")]
    pub before: Option<String>,

    /// With --compare: period B starts here (and A ends here, without --before).
    #[arg(long, value_name = "TIME")]
    pub after: Option<String>,

    /// Similarity a message needs to join a template (0-1).
    #[arg(long, default_value_t = 0.8, value_name = "SHARE")]
    pub similarity: f64,

    /// Depth of the prefix tree (3: the first word leads, 4: the first two...).
    #[arg(long, default_value_t = 4, value_name = "N")]
    pub depth: usize,

    /// Rows shown at most (text output).
    #[arg(long, default_value_t = 200)]
    pub limit: usize,

    /// No example line under each template.
    #[arg(long)]
    pub no_examples: bool,

    /// Output: text (default) or json (one object per template).
    #[arg(short = 'o', long = "output", value_enum, default_value_t = StatsOutput::Text)]
    pub output: StatsOutput,

    /// Paths (default: stdin when piped).
    #[arg(value_name = "PATHS")]
    pub paths: Vec<String>,
}

/// `logx tui`.
#[derive(Debug, Args, Default)]
pub struct TuiArgs {
    /// Filters (the starting state).
    #[command(flatten)]
    pub filters: FilterArgs,

    /// Start following new entries.
    #[arg(short = 'f', long)]
    pub follow: bool,

    /// Paths (default: stdin when piped).
    #[arg(value_name = "PATHS")]
    pub paths: Vec<String>,
}

/// `logx export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Filters.
    #[command(flatten)]
    pub filters: FilterArgs,

    /// CSV.
    #[arg(long, group = "fmt")]
    pub csv: bool,

    /// XLSX (Excel, LibreOffice).
    #[arg(long, group = "fmt")]
    pub xlsx: bool,

    /// NDJSON (the contract of `cat -o json`).
    #[arg(long, group = "fmt")]
    pub ndjson: bool,

    /// Write to FILE (atomically); the format may come from its extension. CSV and NDJSON go
    /// to stdout without it.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<String>,

    /// Columns: any of ts, level, msg, host, service, user, ip, request_id, source, line,
    /// format, fields, and field names or dotted paths (fields.status, req.method).
    #[arg(long, value_name = "LIST")]
    pub columns: Option<String>,

    /// Add a column with the other fields as one JSON object.
    #[arg(long)]
    pub fields_json: bool,

    /// Replace values by stable pseudonyms: ip, user, host, request_id, email.
    #[arg(long, value_name = "KINDS")]
    pub redact: Option<String>,

    /// Stop with an error past this many rows (XLSX otherwise continues on a new sheet past
    /// Excel's 1,048,576 rows).
    #[arg(long, value_name = "N")]
    pub max_rows: Option<u64>,

    /// Export everything when no filter or period is given.
    #[arg(long)]
    pub all: bool,

    /// Export audit groups (one row per request), and with --xlsx a second sheet with their
    /// entries.
    #[arg(long)]
    pub audit: bool,

    /// With --audit: group by this field instead of the request id.
    #[arg(long, value_name = "FIELD")]
    pub by: Option<String>,

    /// Paths (default: stdin when piped).
    #[arg(value_name = "PATHS")]
    pub paths: Vec<String>,
}

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// CSV.
    Csv,
    /// XLSX.
    Xlsx,
    /// NDJSON.
    Ndjson,
}

/// `logx stats`.
#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Filters.
    #[command(flatten)]
    pub filters: FilterArgs,

    /// Histogram bucket (5m, 1h, 1d); chosen from the span by default.
    #[arg(long, value_name = "DURATION")]
    pub bucket: Option<String>,

    /// Most frequent values of a field (repeatable): service, user, ip, host, status...
    #[arg(long, value_name = "FIELD")]
    pub top: Vec<String>,

    /// How many top values to show.
    #[arg(long, default_value_t = 10)]
    pub top_n: usize,

    /// Output: text (default) or json.
    #[arg(short = 'o', long = "output", value_enum, default_value_t = StatsOutput::Text)]
    pub output: StatsOutput,

    /// Paths (default: stdin when piped).
    #[arg(value_name = "PATHS")]
    pub paths: Vec<String>,
}

/// Output of `stats`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatsOutput {
    /// For people.
    Text,
    /// One JSON object.
    Json,
}

/// `logx formats`.
#[derive(Debug, Args)]
pub struct FormatsArgs {
    /// What to do (default: list).
    #[command(subcommand)]
    pub action: Option<FormatsAction>,
}

/// `logx config` actions.
#[derive(Debug, Subcommand)]
pub enum ConfigAction {
    /// The path of the configuration file (whether or not it exists).
    Path,
    /// The effective settings and where each one comes from.
    Show,
    /// Read the configuration and report the first problem with its line and column.
    Check,
}

/// `logx formats` actions.
#[derive(Debug, Subcommand)]
pub enum FormatsAction {
    /// Say which format a file has and how confidently.
    Detect {
        /// Files.
        #[arg(required = true)]
        files: Vec<String>,
    },
    /// Try a format (--format-file, --format, or the configuration's) on a file: which lines
    /// match, and why the others do not.
    Test {
        /// Lines shown at most.
        #[arg(long, default_value_t = 50)]
        limit: usize,
        /// The file.
        file: String,
    },
    /// The alias table: which keys of structured logs fill ts, level, msg and the
    /// well-known fields (Markdown).
    Aliases,
}

/// Any text is taken (the query or the engine checks it and says what is wrong); the names a
/// function gives are offered to shell completion.
#[derive(Clone, Copy, Debug)]
pub struct Hinted(pub fn() -> Vec<&'static str>);

impl clap::builder::TypedValueParser for Hinted {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        clap::builder::StringValueParser::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new((self.0)().into_iter().map(clap::builder::PossibleValue::new)))
    }
}

/// `--level`: the level names (aliases such as `warning` are taken too) and `all`.
fn level_names() -> Vec<&'static str> {
    logx::entry::LEVELS.iter().map(|l| l.as_str()).chain(["all"]).collect()
}

/// `--levels`: the level names and `none` (no level).
fn level_set_names() -> Vec<&'static str> {
    logx::entry::LEVELS.iter().map(|l| l.as_str()).chain(["none"]).collect()
}

/// `--format`: the built-in names and JSON dialects (custom names are checked with the
/// configuration).
fn format_names() -> Vec<&'static str> {
    logx::format::BUILTIN.iter().map(|f| f.name).chain(logx::format::JSON_DIALECTS.iter().copied()).collect()
}
