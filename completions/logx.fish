# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_logx_global_optspecs
    string join \n tz= format= format-file= config= color= no-rotation no-index threads= q/quiet h/help V/version
end

function __fish_logx_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_logx_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_logx_using_subcommand
    set -l cmd (__fish_logx_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c logx -n "__fish_logx_needs_command" -l tz -d 'Display zone and zone of naive timestamps: UTC, +02:00, Europe/Paris, local (default: the TZ variable, else local)' -r
complete -c logx -n "__fish_logx_needs_command" -l format -d 'Force a format instead of detecting it (`logx formats` lists them; a custom format of the configuration by its name)' -r -f -a "json\t''
logfmt\t''
cri\t''
compose\t''
access\t''
syslog\t''
apache_error\t''
nginx_error\t''
glog\t''
text\t''
raw\t''
pino\t''
bunyan\t''
zap\t''
logrus\t''
ecs\t''
structlog\t''
serilog\t''
gelf\t''
journald\t''
docker\t''"
complete -c logx -n "__fish_logx_needs_command" -l format-file -d 'Read a custom format definition (TOML) and use it for every input' -r
complete -c logx -n "__fish_logx_needs_command" -l config -d 'Configuration file (default: $LOGX_CONFIG, else $XDG_CONFIG_HOME/logx/config.toml)' -r
complete -c logx -n "__fish_logx_needs_command" -l color -d 'Colours: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set'
always\t'Always'
never\t'Never'"
complete -c logx -n "__fish_logx_needs_command" -l threads -d 'Worker threads (default: all cores)' -r
complete -c logx -n "__fish_logx_needs_command" -l no-rotation -d 'Do not group rotated generations (x.log, x.log.1, ...) into one input'
complete -c logx -n "__fish_logx_needs_command" -l no-index -d 'Neither read nor write the persisted index, and scan whole files instead of seeking'
complete -c logx -n "__fish_logx_needs_command" -s q -l quiet -d 'Quiet: no progress, no warnings'
complete -c logx -n "__fish_logx_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c logx -n "__fish_logx_needs_command" -s V -l version -d 'Print version'
complete -c logx -n "__fish_logx_needs_command" -a "cat" -d 'Print normalized entries of logs (files, globs, directories, rotated sets, stdin)'
complete -c logx -n "__fish_logx_needs_command" -a "tui" -d 'Explore logs in the terminal: table, histogram, detail view, filters, search, follow'
complete -c logx -n "__fish_logx_needs_command" -a "export" -d 'Export a filtered slice as CSV, XLSX or NDJSON (spreadsheet-safe, written atomically)'
complete -c logx -n "__fish_logx_needs_command" -a "tail" -d 'Follow logs live through rotations and across files, filtered and coloured'
complete -c logx -n "__fish_logx_needs_command" -a "audit" -d 'Group entries into actions by request id (or any field): duration, services, user, worst level; one action\'s timeline; the activity of resources and users'
complete -c logx -n "__fish_logx_needs_command" -a "patterns" -d 'Message templates: collapse lines into the patterns that matter, with counts, levels, time span and activity; compare two periods (what is new, gone, changed)'
complete -c logx -n "__fish_logx_needs_command" -a "stats" -d 'Summarise logs: entries, levels, time span, a histogram, top values of fields'
complete -c logx -n "__fish_logx_needs_command" -a "config" -d 'Show where the configuration is, what it sets (and where each value comes from), or check it'
complete -c logx -n "__fish_logx_needs_command" -a "completions" -d 'Print a shell completion script (bash, zsh, fish, elvish, powershell)'
complete -c logx -n "__fish_logx_needs_command" -a "generate" -d 'Write the completion scripts and man pages into a directory (for packagers; the committed `completions/` and `man/` are made with it)'
complete -c logx -n "__fish_logx_needs_command" -a "index" -d 'Build the line index of files and print the number of lines (for benchmarks)'
complete -c logx -n "__fish_logx_needs_command" -a "ship" -d 'Ship entries into a ClickHouse table (and follow them with -f), resuming after a crash without losing or repeating an entry'
complete -c logx -n "__fish_logx_needs_command" -a "formats" -d 'List the formats logx reads, or say which one a file has'
complete -c logx -n "__fish_logx_using_subcommand cat" -s l -l level -d 'Minimum level: trace, debug, info, warn, error, fatal; `all` for every entry (those without a level too), overriding the configuration\'s default level' -r -f -a "trace\t''
debug\t''
info\t''
warn\t''
error\t''
fatal\t''
all\t''"
complete -c logx -n "__fish_logx_using_subcommand cat" -l levels -d 'Exact levels, comma-separated (`none` for entries without a level)' -r -f -a "trace\t''
debug\t''
info\t''
warn\t''
error\t''
fatal\t''
none\t''"
complete -c logx -n "__fish_logx_using_subcommand cat" -s e -l grep -d 'Search the message with a regex (repeatable: any of them)' -r
complete -c logx -n "__fish_logx_using_subcommand cat" -s F -l fixed -d 'Search the message for a literal string (repeatable)' -r
complete -c logx -n "__fish_logx_using_subcommand cat" -l in -d 'Search this field instead of the message' -r
complete -c logx -n "__fish_logx_using_subcommand cat" -s w -l where -d 'Field expression: key=value, key!=value, key~=regex, key>n, key<n, key=prefix*, key? (has the field); dotted paths into nested JSON (req.method=POST)' -r
complete -c logx -n "__fish_logx_using_subcommand cat" -l from -d 'From this time (inclusive): 2026-11-21, \'2026-11-21 10:00\', 10:00, -2h, \'30m ago\', today, yesterday, monday' -r
complete -c logx -n "__fish_logx_using_subcommand cat" -l to -d 'Up to this time (exclusive)' -r
complete -c logx -n "__fish_logx_using_subcommand cat" -l day -d 'One whole day in the display zone' -r
complete -c logx -n "__fish_logx_using_subcommand cat" -l last -d 'The last DURATION up to now (2h, 30m, 7d)' -r
complete -c logx -n "__fish_logx_using_subcommand cat" -l host -l instance -d 'Host or instance (repeatable; a trailing * is a prefix)' -r
complete -c logx -n "__fish_logx_using_subcommand cat" -l service -d 'Service, logger or component (repeatable; a trailing * is a prefix)' -r
complete -c logx -n "__fish_logx_using_subcommand cat" -l user -d 'User (repeatable)' -r
complete -c logx -n "__fish_logx_using_subcommand cat" -l ip -d 'Client IP (repeatable; a trailing * is a prefix)' -r
complete -c logx -n "__fish_logx_using_subcommand cat" -l request-id -d 'Request id (repeatable)' -r
complete -c logx -n "__fish_logx_using_subcommand cat" -l hide-template -d 'Hide the entries of a message template (see `logx patterns`)' -r
complete -c logx -n "__fish_logx_using_subcommand cat" -s o -l output -d 'Output: pretty (default on a terminal), json (default when piped), raw, logfmt' -r -f -a "pretty\t'Aligned coloured columns for people (the default on a terminal)'
json\t'Normalized NDJSON, one object per entry (the default when piped)'
raw\t'The original bytes'
logfmt\t'logfmt'"
complete -c logx -n "__fish_logx_using_subcommand cat" -l tz -d 'Display zone and zone of naive timestamps: UTC, +02:00, Europe/Paris, local (default: the TZ variable, else local)' -r
complete -c logx -n "__fish_logx_using_subcommand cat" -l format -d 'Force a format instead of detecting it (`logx formats` lists them; a custom format of the configuration by its name)' -r -f -a "json\t''
logfmt\t''
cri\t''
compose\t''
access\t''
syslog\t''
apache_error\t''
nginx_error\t''
glog\t''
text\t''
raw\t''
pino\t''
bunyan\t''
zap\t''
logrus\t''
ecs\t''
structlog\t''
serilog\t''
gelf\t''
journald\t''
docker\t''"
complete -c logx -n "__fish_logx_using_subcommand cat" -l format-file -d 'Read a custom format definition (TOML) and use it for every input' -r
complete -c logx -n "__fish_logx_using_subcommand cat" -l config -d 'Configuration file (default: $LOGX_CONFIG, else $XDG_CONFIG_HOME/logx/config.toml)' -r
complete -c logx -n "__fish_logx_using_subcommand cat" -l color -d 'Colours: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set'
always\t'Always'
never\t'Never'"
complete -c logx -n "__fish_logx_using_subcommand cat" -l threads -d 'Worker threads (default: all cores)' -r
complete -c logx -n "__fish_logx_using_subcommand cat" -s i -l ignore-case -d 'Case-insensitive search'
complete -c logx -n "__fish_logx_using_subcommand cat" -s v -l invert -d 'Keep the entries that do not match the search'
complete -c logx -n "__fish_logx_using_subcommand cat" -l all-fields -d 'Search the message and every field'
complete -c logx -n "__fish_logx_using_subcommand cat" -s c -l count -d 'Print only the number of matching entries'
complete -c logx -n "__fish_logx_using_subcommand cat" -l unsafe-raw -d 'With -o raw on a terminal, write control characters as they are'
complete -c logx -n "__fish_logx_using_subcommand cat" -l templates -d 'Add each entry\'s message template (`template`, `template_id`) to JSON output'
complete -c logx -n "__fish_logx_using_subcommand cat" -l no-rotation -d 'Do not group rotated generations (x.log, x.log.1, ...) into one input'
complete -c logx -n "__fish_logx_using_subcommand cat" -l no-index -d 'Neither read nor write the persisted index, and scan whole files instead of seeking'
complete -c logx -n "__fish_logx_using_subcommand cat" -s q -l quiet -d 'Quiet: no progress, no warnings'
complete -c logx -n "__fish_logx_using_subcommand cat" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c logx -n "__fish_logx_using_subcommand tui" -s l -l level -d 'Minimum level: trace, debug, info, warn, error, fatal; `all` for every entry (those without a level too), overriding the configuration\'s default level' -r -f -a "trace\t''
debug\t''
info\t''
warn\t''
error\t''
fatal\t''
all\t''"
complete -c logx -n "__fish_logx_using_subcommand tui" -l levels -d 'Exact levels, comma-separated (`none` for entries without a level)' -r -f -a "trace\t''
debug\t''
info\t''
warn\t''
error\t''
fatal\t''
none\t''"
complete -c logx -n "__fish_logx_using_subcommand tui" -s e -l grep -d 'Search the message with a regex (repeatable: any of them)' -r
complete -c logx -n "__fish_logx_using_subcommand tui" -s F -l fixed -d 'Search the message for a literal string (repeatable)' -r
complete -c logx -n "__fish_logx_using_subcommand tui" -l in -d 'Search this field instead of the message' -r
complete -c logx -n "__fish_logx_using_subcommand tui" -s w -l where -d 'Field expression: key=value, key!=value, key~=regex, key>n, key<n, key=prefix*, key? (has the field); dotted paths into nested JSON (req.method=POST)' -r
complete -c logx -n "__fish_logx_using_subcommand tui" -l from -d 'From this time (inclusive): 2026-11-21, \'2026-11-21 10:00\', 10:00, -2h, \'30m ago\', today, yesterday, monday' -r
complete -c logx -n "__fish_logx_using_subcommand tui" -l to -d 'Up to this time (exclusive)' -r
complete -c logx -n "__fish_logx_using_subcommand tui" -l day -d 'One whole day in the display zone' -r
complete -c logx -n "__fish_logx_using_subcommand tui" -l last -d 'The last DURATION up to now (2h, 30m, 7d)' -r
complete -c logx -n "__fish_logx_using_subcommand tui" -l host -l instance -d 'Host or instance (repeatable; a trailing * is a prefix)' -r
complete -c logx -n "__fish_logx_using_subcommand tui" -l service -d 'Service, logger or component (repeatable; a trailing * is a prefix)' -r
complete -c logx -n "__fish_logx_using_subcommand tui" -l user -d 'User (repeatable)' -r
complete -c logx -n "__fish_logx_using_subcommand tui" -l ip -d 'Client IP (repeatable; a trailing * is a prefix)' -r
complete -c logx -n "__fish_logx_using_subcommand tui" -l request-id -d 'Request id (repeatable)' -r
complete -c logx -n "__fish_logx_using_subcommand tui" -l hide-template -d 'Hide the entries of a message template (see `logx patterns`)' -r
complete -c logx -n "__fish_logx_using_subcommand tui" -l tz -d 'Display zone and zone of naive timestamps: UTC, +02:00, Europe/Paris, local (default: the TZ variable, else local)' -r
complete -c logx -n "__fish_logx_using_subcommand tui" -l format -d 'Force a format instead of detecting it (`logx formats` lists them; a custom format of the configuration by its name)' -r -f -a "json\t''
logfmt\t''
cri\t''
compose\t''
access\t''
syslog\t''
apache_error\t''
nginx_error\t''
glog\t''
text\t''
raw\t''
pino\t''
bunyan\t''
zap\t''
logrus\t''
ecs\t''
structlog\t''
serilog\t''
gelf\t''
journald\t''
docker\t''"
complete -c logx -n "__fish_logx_using_subcommand tui" -l format-file -d 'Read a custom format definition (TOML) and use it for every input' -r
complete -c logx -n "__fish_logx_using_subcommand tui" -l config -d 'Configuration file (default: $LOGX_CONFIG, else $XDG_CONFIG_HOME/logx/config.toml)' -r
complete -c logx -n "__fish_logx_using_subcommand tui" -l color -d 'Colours: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set'
always\t'Always'
never\t'Never'"
complete -c logx -n "__fish_logx_using_subcommand tui" -l threads -d 'Worker threads (default: all cores)' -r
complete -c logx -n "__fish_logx_using_subcommand tui" -s i -l ignore-case -d 'Case-insensitive search'
complete -c logx -n "__fish_logx_using_subcommand tui" -s v -l invert -d 'Keep the entries that do not match the search'
complete -c logx -n "__fish_logx_using_subcommand tui" -l all-fields -d 'Search the message and every field'
complete -c logx -n "__fish_logx_using_subcommand tui" -s f -l follow -d 'Start following new entries'
complete -c logx -n "__fish_logx_using_subcommand tui" -l no-rotation -d 'Do not group rotated generations (x.log, x.log.1, ...) into one input'
complete -c logx -n "__fish_logx_using_subcommand tui" -l no-index -d 'Neither read nor write the persisted index, and scan whole files instead of seeking'
complete -c logx -n "__fish_logx_using_subcommand tui" -s q -l quiet -d 'Quiet: no progress, no warnings'
complete -c logx -n "__fish_logx_using_subcommand tui" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c logx -n "__fish_logx_using_subcommand export" -s l -l level -d 'Minimum level: trace, debug, info, warn, error, fatal; `all` for every entry (those without a level too), overriding the configuration\'s default level' -r -f -a "trace\t''
debug\t''
info\t''
warn\t''
error\t''
fatal\t''
all\t''"
complete -c logx -n "__fish_logx_using_subcommand export" -l levels -d 'Exact levels, comma-separated (`none` for entries without a level)' -r -f -a "trace\t''
debug\t''
info\t''
warn\t''
error\t''
fatal\t''
none\t''"
complete -c logx -n "__fish_logx_using_subcommand export" -s e -l grep -d 'Search the message with a regex (repeatable: any of them)' -r
complete -c logx -n "__fish_logx_using_subcommand export" -s F -l fixed -d 'Search the message for a literal string (repeatable)' -r
complete -c logx -n "__fish_logx_using_subcommand export" -l in -d 'Search this field instead of the message' -r
complete -c logx -n "__fish_logx_using_subcommand export" -s w -l where -d 'Field expression: key=value, key!=value, key~=regex, key>n, key<n, key=prefix*, key? (has the field); dotted paths into nested JSON (req.method=POST)' -r
complete -c logx -n "__fish_logx_using_subcommand export" -l from -d 'From this time (inclusive): 2026-11-21, \'2026-11-21 10:00\', 10:00, -2h, \'30m ago\', today, yesterday, monday' -r
complete -c logx -n "__fish_logx_using_subcommand export" -l to -d 'Up to this time (exclusive)' -r
complete -c logx -n "__fish_logx_using_subcommand export" -l day -d 'One whole day in the display zone' -r
complete -c logx -n "__fish_logx_using_subcommand export" -l last -d 'The last DURATION up to now (2h, 30m, 7d)' -r
complete -c logx -n "__fish_logx_using_subcommand export" -l host -l instance -d 'Host or instance (repeatable; a trailing * is a prefix)' -r
complete -c logx -n "__fish_logx_using_subcommand export" -l service -d 'Service, logger or component (repeatable; a trailing * is a prefix)' -r
complete -c logx -n "__fish_logx_using_subcommand export" -l user -d 'User (repeatable)' -r
complete -c logx -n "__fish_logx_using_subcommand export" -l ip -d 'Client IP (repeatable; a trailing * is a prefix)' -r
complete -c logx -n "__fish_logx_using_subcommand export" -l request-id -d 'Request id (repeatable)' -r
complete -c logx -n "__fish_logx_using_subcommand export" -l hide-template -d 'Hide the entries of a message template (see `logx patterns`)' -r
complete -c logx -n "__fish_logx_using_subcommand export" -s o -l output -d 'Write to FILE (atomically); the format may come from its extension. CSV and NDJSON go to stdout without it' -r
complete -c logx -n "__fish_logx_using_subcommand export" -l columns -d 'Columns: any of ts, level, msg, host, service, user, ip, request_id, source, line, format, fields, and field names or dotted paths (fields.status, req.method)' -r
complete -c logx -n "__fish_logx_using_subcommand export" -l redact -d 'Replace values by stable pseudonyms: ip, user, host, request_id, email' -r
complete -c logx -n "__fish_logx_using_subcommand export" -l max-rows -d 'Stop with an error past this many rows (XLSX otherwise continues on a new sheet past Excel\'s 1,048,576 rows)' -r
complete -c logx -n "__fish_logx_using_subcommand export" -l by -d 'With --audit: group by this field instead of the request id' -r
complete -c logx -n "__fish_logx_using_subcommand export" -l tz -d 'Display zone and zone of naive timestamps: UTC, +02:00, Europe/Paris, local (default: the TZ variable, else local)' -r
complete -c logx -n "__fish_logx_using_subcommand export" -l format -d 'Force a format instead of detecting it (`logx formats` lists them; a custom format of the configuration by its name)' -r -f -a "json\t''
logfmt\t''
cri\t''
compose\t''
access\t''
syslog\t''
apache_error\t''
nginx_error\t''
glog\t''
text\t''
raw\t''
pino\t''
bunyan\t''
zap\t''
logrus\t''
ecs\t''
structlog\t''
serilog\t''
gelf\t''
journald\t''
docker\t''"
complete -c logx -n "__fish_logx_using_subcommand export" -l format-file -d 'Read a custom format definition (TOML) and use it for every input' -r
complete -c logx -n "__fish_logx_using_subcommand export" -l config -d 'Configuration file (default: $LOGX_CONFIG, else $XDG_CONFIG_HOME/logx/config.toml)' -r
complete -c logx -n "__fish_logx_using_subcommand export" -l color -d 'Colours: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set'
always\t'Always'
never\t'Never'"
complete -c logx -n "__fish_logx_using_subcommand export" -l threads -d 'Worker threads (default: all cores)' -r
complete -c logx -n "__fish_logx_using_subcommand export" -s i -l ignore-case -d 'Case-insensitive search'
complete -c logx -n "__fish_logx_using_subcommand export" -s v -l invert -d 'Keep the entries that do not match the search'
complete -c logx -n "__fish_logx_using_subcommand export" -l all-fields -d 'Search the message and every field'
complete -c logx -n "__fish_logx_using_subcommand export" -l csv -d 'CSV'
complete -c logx -n "__fish_logx_using_subcommand export" -l xlsx -d 'XLSX (Excel, LibreOffice)'
complete -c logx -n "__fish_logx_using_subcommand export" -l ndjson -d 'NDJSON (the contract of `cat -o json`)'
complete -c logx -n "__fish_logx_using_subcommand export" -l fields-json -d 'Add a column with the other fields as one JSON object'
complete -c logx -n "__fish_logx_using_subcommand export" -l all -d 'Export everything when no filter or period is given'
complete -c logx -n "__fish_logx_using_subcommand export" -l audit -d 'Export audit groups (one row per request), and with --xlsx a second sheet with their entries'
complete -c logx -n "__fish_logx_using_subcommand export" -l no-rotation -d 'Do not group rotated generations (x.log, x.log.1, ...) into one input'
complete -c logx -n "__fish_logx_using_subcommand export" -l no-index -d 'Neither read nor write the persisted index, and scan whole files instead of seeking'
complete -c logx -n "__fish_logx_using_subcommand export" -s q -l quiet -d 'Quiet: no progress, no warnings'
complete -c logx -n "__fish_logx_using_subcommand export" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c logx -n "__fish_logx_using_subcommand tail" -s l -l level -d 'Minimum level: trace, debug, info, warn, error, fatal; `all` for every entry (those without a level too), overriding the configuration\'s default level' -r -f -a "trace\t''
debug\t''
info\t''
warn\t''
error\t''
fatal\t''
all\t''"
complete -c logx -n "__fish_logx_using_subcommand tail" -l levels -d 'Exact levels, comma-separated (`none` for entries without a level)' -r -f -a "trace\t''
debug\t''
info\t''
warn\t''
error\t''
fatal\t''
none\t''"
complete -c logx -n "__fish_logx_using_subcommand tail" -s e -l grep -d 'Search the message with a regex (repeatable: any of them)' -r
complete -c logx -n "__fish_logx_using_subcommand tail" -s F -l fixed -d 'Search the message for a literal string (repeatable)' -r
complete -c logx -n "__fish_logx_using_subcommand tail" -l in -d 'Search this field instead of the message' -r
complete -c logx -n "__fish_logx_using_subcommand tail" -s w -l where -d 'Field expression: key=value, key!=value, key~=regex, key>n, key<n, key=prefix*, key? (has the field); dotted paths into nested JSON (req.method=POST)' -r
complete -c logx -n "__fish_logx_using_subcommand tail" -l from -d 'From this time (inclusive): 2026-11-21, \'2026-11-21 10:00\', 10:00, -2h, \'30m ago\', today, yesterday, monday' -r
complete -c logx -n "__fish_logx_using_subcommand tail" -l to -d 'Up to this time (exclusive)' -r
complete -c logx -n "__fish_logx_using_subcommand tail" -l day -d 'One whole day in the display zone' -r
complete -c logx -n "__fish_logx_using_subcommand tail" -l last -d 'The last DURATION up to now (2h, 30m, 7d)' -r
complete -c logx -n "__fish_logx_using_subcommand tail" -l host -l instance -d 'Host or instance (repeatable; a trailing * is a prefix)' -r
complete -c logx -n "__fish_logx_using_subcommand tail" -l service -d 'Service, logger or component (repeatable; a trailing * is a prefix)' -r
complete -c logx -n "__fish_logx_using_subcommand tail" -l user -d 'User (repeatable)' -r
complete -c logx -n "__fish_logx_using_subcommand tail" -l ip -d 'Client IP (repeatable; a trailing * is a prefix)' -r
complete -c logx -n "__fish_logx_using_subcommand tail" -l request-id -d 'Request id (repeatable)' -r
complete -c logx -n "__fish_logx_using_subcommand tail" -l hide-template -d 'Hide the entries of a message template (see `logx patterns`)' -r
complete -c logx -n "__fish_logx_using_subcommand tail" -s n -l lines -d 'Entries shown first, per file: a number, or `all`' -r
complete -c logx -n "__fish_logx_using_subcommand tail" -l since -d 'Show the entries since this time first (instead of -n)' -r
complete -c logx -n "__fish_logx_using_subcommand tail" -l poll -d 'Poll for changes (optionally how often: 250ms) instead of waiting for notices' -r
complete -c logx -n "__fish_logx_using_subcommand tail" -l merge-delay -d 'How long `--merge` holds entries' -r
complete -c logx -n "__fish_logx_using_subcommand tail" -l partial-timeout -d 'How long an unfinished line is held before it is shown' -r
complete -c logx -n "__fish_logx_using_subcommand tail" -l exit-on -d 'Exit with status 0 at the first entry matching this expression (`level>=error`, `user=alice`, `msg~=timeout`)' -r
complete -c logx -n "__fish_logx_using_subcommand tail" -l timeout -d 'Exit after this long: status 1 when nothing matched (or `--exit-on` never fired)' -r
complete -c logx -n "__fish_logx_using_subcommand tail" -l count-alert -d 'Print an alert (on stderr) when more than N matching entries arrive within WINDOW' -r
complete -c logx -n "__fish_logx_using_subcommand tail" -s o -l output -d 'Output: pretty (default on a terminal), json (default when piped), raw, logfmt' -r -f -a "pretty\t'Aligned coloured columns for people (the default on a terminal)'
json\t'Normalized NDJSON, one object per entry (the default when piped)'
raw\t'The original bytes'
logfmt\t'logfmt'"
complete -c logx -n "__fish_logx_using_subcommand tail" -l tz -d 'Display zone and zone of naive timestamps: UTC, +02:00, Europe/Paris, local (default: the TZ variable, else local)' -r
complete -c logx -n "__fish_logx_using_subcommand tail" -l format -d 'Force a format instead of detecting it (`logx formats` lists them; a custom format of the configuration by its name)' -r -f -a "json\t''
logfmt\t''
cri\t''
compose\t''
access\t''
syslog\t''
apache_error\t''
nginx_error\t''
glog\t''
text\t''
raw\t''
pino\t''
bunyan\t''
zap\t''
logrus\t''
ecs\t''
structlog\t''
serilog\t''
gelf\t''
journald\t''
docker\t''"
complete -c logx -n "__fish_logx_using_subcommand tail" -l format-file -d 'Read a custom format definition (TOML) and use it for every input' -r
complete -c logx -n "__fish_logx_using_subcommand tail" -l config -d 'Configuration file (default: $LOGX_CONFIG, else $XDG_CONFIG_HOME/logx/config.toml)' -r
complete -c logx -n "__fish_logx_using_subcommand tail" -l color -d 'Colours: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set'
always\t'Always'
never\t'Never'"
complete -c logx -n "__fish_logx_using_subcommand tail" -l threads -d 'Worker threads (default: all cores)' -r
complete -c logx -n "__fish_logx_using_subcommand tail" -s i -l ignore-case -d 'Case-insensitive search'
complete -c logx -n "__fish_logx_using_subcommand tail" -s v -l invert -d 'Keep the entries that do not match the search'
complete -c logx -n "__fish_logx_using_subcommand tail" -l all-fields -d 'Search the message and every field'
complete -c logx -n "__fish_logx_using_subcommand tail" -l no-follow -d 'Print the last entries and exit'
complete -c logx -n "__fish_logx_using_subcommand tail" -l merge -d 'Hold entries a moment and release them in time order (several files)'
complete -c logx -n "__fish_logx_using_subcommand tail" -l unsafe-raw -d 'With -o raw on a terminal, write control characters as they are'
complete -c logx -n "__fish_logx_using_subcommand tail" -l no-rotation -d 'Do not group rotated generations (x.log, x.log.1, ...) into one input'
complete -c logx -n "__fish_logx_using_subcommand tail" -l no-index -d 'Neither read nor write the persisted index, and scan whole files instead of seeking'
complete -c logx -n "__fish_logx_using_subcommand tail" -s q -l quiet -d 'Quiet: no progress, no warnings'
complete -c logx -n "__fish_logx_using_subcommand tail" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c logx -n "__fish_logx_using_subcommand audit" -s l -l level -d 'Minimum level: trace, debug, info, warn, error, fatal; `all` for every entry (those without a level too), overriding the configuration\'s default level' -r -f -a "trace\t''
debug\t''
info\t''
warn\t''
error\t''
fatal\t''
all\t''"
complete -c logx -n "__fish_logx_using_subcommand audit" -l levels -d 'Exact levels, comma-separated (`none` for entries without a level)' -r -f -a "trace\t''
debug\t''
info\t''
warn\t''
error\t''
fatal\t''
none\t''"
complete -c logx -n "__fish_logx_using_subcommand audit" -s e -l grep -d 'Search the message with a regex (repeatable: any of them)' -r
complete -c logx -n "__fish_logx_using_subcommand audit" -s F -l fixed -d 'Search the message for a literal string (repeatable)' -r
complete -c logx -n "__fish_logx_using_subcommand audit" -l in -d 'Search this field instead of the message' -r
complete -c logx -n "__fish_logx_using_subcommand audit" -s w -l where -d 'Field expression: key=value, key!=value, key~=regex, key>n, key<n, key=prefix*, key? (has the field); dotted paths into nested JSON (req.method=POST)' -r
complete -c logx -n "__fish_logx_using_subcommand audit" -l from -d 'From this time (inclusive): 2026-11-21, \'2026-11-21 10:00\', 10:00, -2h, \'30m ago\', today, yesterday, monday' -r
complete -c logx -n "__fish_logx_using_subcommand audit" -l to -d 'Up to this time (exclusive)' -r
complete -c logx -n "__fish_logx_using_subcommand audit" -l day -d 'One whole day in the display zone' -r
complete -c logx -n "__fish_logx_using_subcommand audit" -l last -d 'The last DURATION up to now (2h, 30m, 7d)' -r
complete -c logx -n "__fish_logx_using_subcommand audit" -l host -l instance -d 'Host or instance (repeatable; a trailing * is a prefix)' -r
complete -c logx -n "__fish_logx_using_subcommand audit" -l service -d 'Service, logger or component (repeatable; a trailing * is a prefix)' -r
complete -c logx -n "__fish_logx_using_subcommand audit" -l user -d 'User (repeatable)' -r
complete -c logx -n "__fish_logx_using_subcommand audit" -l ip -d 'Client IP (repeatable; a trailing * is a prefix)' -r
complete -c logx -n "__fish_logx_using_subcommand audit" -l request-id -d 'Request id (repeatable)' -r
complete -c logx -n "__fish_logx_using_subcommand audit" -l hide-template -d 'Hide the entries of a message template (see `logx patterns`)' -r
complete -c logx -n "__fish_logx_using_subcommand audit" -l by -d 'Group by this field instead of the request id (dotted paths allowed)' -r
complete -c logx -n "__fish_logx_using_subcommand audit" -l sort -d 'Order: time, duration, size, level' -r -f -a "time\t''
duration\t''
size\t''
level\t''"
complete -c logx -n "__fish_logx_using_subcommand audit" -l min-duration -d 'Only groups lasting at least this long' -r
complete -c logx -n "__fish_logx_using_subcommand audit" -l id -d 'One group\'s entries as a timeline' -r
complete -c logx -n "__fish_logx_using_subcommand audit" -l resource-field -d 'The field that names the resource an action touches (path, node...)' -r
complete -c logx -n "__fish_logx_using_subcommand audit" -l resource -d 'Activity of resources matching this (a trailing * is a prefix)' -r
complete -c logx -n "__fish_logx_using_subcommand audit" -l limit -d 'Rows shown at most (text output)' -r
complete -c logx -n "__fish_logx_using_subcommand audit" -s o -l output -d 'Output: text (default) or json (one object per group, with its entries\' lines)' -r -f -a "text\t'For people'
json\t'One JSON object'"
complete -c logx -n "__fish_logx_using_subcommand audit" -l tz -d 'Display zone and zone of naive timestamps: UTC, +02:00, Europe/Paris, local (default: the TZ variable, else local)' -r
complete -c logx -n "__fish_logx_using_subcommand audit" -l format -d 'Force a format instead of detecting it (`logx formats` lists them; a custom format of the configuration by its name)' -r -f -a "json\t''
logfmt\t''
cri\t''
compose\t''
access\t''
syslog\t''
apache_error\t''
nginx_error\t''
glog\t''
text\t''
raw\t''
pino\t''
bunyan\t''
zap\t''
logrus\t''
ecs\t''
structlog\t''
serilog\t''
gelf\t''
journald\t''
docker\t''"
complete -c logx -n "__fish_logx_using_subcommand audit" -l format-file -d 'Read a custom format definition (TOML) and use it for every input' -r
complete -c logx -n "__fish_logx_using_subcommand audit" -l config -d 'Configuration file (default: $LOGX_CONFIG, else $XDG_CONFIG_HOME/logx/config.toml)' -r
complete -c logx -n "__fish_logx_using_subcommand audit" -l color -d 'Colours: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set'
always\t'Always'
never\t'Never'"
complete -c logx -n "__fish_logx_using_subcommand audit" -l threads -d 'Worker threads (default: all cores)' -r
complete -c logx -n "__fish_logx_using_subcommand audit" -s i -l ignore-case -d 'Case-insensitive search'
complete -c logx -n "__fish_logx_using_subcommand audit" -s v -l invert -d 'Keep the entries that do not match the search'
complete -c logx -n "__fish_logx_using_subcommand audit" -l all-fields -d 'Search the message and every field'
complete -c logx -n "__fish_logx_using_subcommand audit" -l failed -d 'Only groups with an error (or worse)'
complete -c logx -n "__fish_logx_using_subcommand audit" -l by-user -d 'Activity per user'
complete -c logx -n "__fish_logx_using_subcommand audit" -l no-rotation -d 'Do not group rotated generations (x.log, x.log.1, ...) into one input'
complete -c logx -n "__fish_logx_using_subcommand audit" -l no-index -d 'Neither read nor write the persisted index, and scan whole files instead of seeking'
complete -c logx -n "__fish_logx_using_subcommand audit" -s q -l quiet -d 'Quiet: no progress, no warnings'
complete -c logx -n "__fish_logx_using_subcommand audit" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c logx -n "__fish_logx_using_subcommand patterns" -s l -l level -d 'Minimum level: trace, debug, info, warn, error, fatal; `all` for every entry (those without a level too), overriding the configuration\'s default level' -r -f -a "trace\t''
debug\t''
info\t''
warn\t''
error\t''
fatal\t''
all\t''"
complete -c logx -n "__fish_logx_using_subcommand patterns" -l levels -d 'Exact levels, comma-separated (`none` for entries without a level)' -r -f -a "trace\t''
debug\t''
info\t''
warn\t''
error\t''
fatal\t''
none\t''"
complete -c logx -n "__fish_logx_using_subcommand patterns" -s e -l grep -d 'Search the message with a regex (repeatable: any of them)' -r
complete -c logx -n "__fish_logx_using_subcommand patterns" -s F -l fixed -d 'Search the message for a literal string (repeatable)' -r
complete -c logx -n "__fish_logx_using_subcommand patterns" -l in -d 'Search this field instead of the message' -r
complete -c logx -n "__fish_logx_using_subcommand patterns" -s w -l where -d 'Field expression: key=value, key!=value, key~=regex, key>n, key<n, key=prefix*, key? (has the field); dotted paths into nested JSON (req.method=POST)' -r
complete -c logx -n "__fish_logx_using_subcommand patterns" -l from -d 'From this time (inclusive): 2026-11-21, \'2026-11-21 10:00\', 10:00, -2h, \'30m ago\', today, yesterday, monday' -r
complete -c logx -n "__fish_logx_using_subcommand patterns" -l to -d 'Up to this time (exclusive)' -r
complete -c logx -n "__fish_logx_using_subcommand patterns" -l day -d 'One whole day in the display zone' -r
complete -c logx -n "__fish_logx_using_subcommand patterns" -l last -d 'The last DURATION up to now (2h, 30m, 7d)' -r
complete -c logx -n "__fish_logx_using_subcommand patterns" -l host -l instance -d 'Host or instance (repeatable; a trailing * is a prefix)' -r
complete -c logx -n "__fish_logx_using_subcommand patterns" -l service -d 'Service, logger or component (repeatable; a trailing * is a prefix)' -r
complete -c logx -n "__fish_logx_using_subcommand patterns" -l user -d 'User (repeatable)' -r
complete -c logx -n "__fish_logx_using_subcommand patterns" -l ip -d 'Client IP (repeatable; a trailing * is a prefix)' -r
complete -c logx -n "__fish_logx_using_subcommand patterns" -l request-id -d 'Request id (repeatable)' -r
complete -c logx -n "__fish_logx_using_subcommand patterns" -l hide-template -d 'Hide the entries of a message template (see `logx patterns`)' -r
complete -c logx -n "__fish_logx_using_subcommand patterns" -l sort -d 'Order: count, first, last, level' -r -f -a "count\t''
first\t''
last\t''
level\t''"
complete -c logx -n "__fish_logx_using_subcommand patterns" -l min-count -d 'Only templates with at least this many entries' -r
complete -c logx -n "__fish_logx_using_subcommand patterns" -l compare -d 'Compare two periods, each FROM..TO (an empty side is open) or a day; with no value, the periods are before --before and from --after' -r
complete -c logx -n "__fish_logx_using_subcommand patterns" -l before -d 'With --compare: period A ends here (and B starts here, without --after)' -r
complete -c logx -n "__fish_logx_using_subcommand patterns" -l after -d 'With --compare: period B starts here (and A ends here, without --before)' -r
complete -c logx -n "__fish_logx_using_subcommand patterns" -l similarity -d 'Similarity a message needs to join a template (0-1)' -r
complete -c logx -n "__fish_logx_using_subcommand patterns" -l depth -d 'Depth of the prefix tree (3: the first word leads, 4: the first two...)' -r
complete -c logx -n "__fish_logx_using_subcommand patterns" -l limit -d 'Rows shown at most (text output)' -r
complete -c logx -n "__fish_logx_using_subcommand patterns" -s o -l output -d 'Output: text (default) or json (one object per template)' -r -f -a "text\t'For people'
json\t'One JSON object'"
complete -c logx -n "__fish_logx_using_subcommand patterns" -l tz -d 'Display zone and zone of naive timestamps: UTC, +02:00, Europe/Paris, local (default: the TZ variable, else local)' -r
complete -c logx -n "__fish_logx_using_subcommand patterns" -l format -d 'Force a format instead of detecting it (`logx formats` lists them; a custom format of the configuration by its name)' -r -f -a "json\t''
logfmt\t''
cri\t''
compose\t''
access\t''
syslog\t''
apache_error\t''
nginx_error\t''
glog\t''
text\t''
raw\t''
pino\t''
bunyan\t''
zap\t''
logrus\t''
ecs\t''
structlog\t''
serilog\t''
gelf\t''
journald\t''
docker\t''"
complete -c logx -n "__fish_logx_using_subcommand patterns" -l format-file -d 'Read a custom format definition (TOML) and use it for every input' -r
complete -c logx -n "__fish_logx_using_subcommand patterns" -l config -d 'Configuration file (default: $LOGX_CONFIG, else $XDG_CONFIG_HOME/logx/config.toml)' -r
complete -c logx -n "__fish_logx_using_subcommand patterns" -l color -d 'Colours: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set'
always\t'Always'
never\t'Never'"
complete -c logx -n "__fish_logx_using_subcommand patterns" -l threads -d 'Worker threads (default: all cores)' -r
complete -c logx -n "__fish_logx_using_subcommand patterns" -s i -l ignore-case -d 'Case-insensitive search'
complete -c logx -n "__fish_logx_using_subcommand patterns" -s v -l invert -d 'Keep the entries that do not match the search'
complete -c logx -n "__fish_logx_using_subcommand patterns" -l all-fields -d 'Search the message and every field'
complete -c logx -n "__fish_logx_using_subcommand patterns" -l no-examples -d 'No example line under each template'
complete -c logx -n "__fish_logx_using_subcommand patterns" -l no-rotation -d 'Do not group rotated generations (x.log, x.log.1, ...) into one input'
complete -c logx -n "__fish_logx_using_subcommand patterns" -l no-index -d 'Neither read nor write the persisted index, and scan whole files instead of seeking'
complete -c logx -n "__fish_logx_using_subcommand patterns" -s q -l quiet -d 'Quiet: no progress, no warnings'
complete -c logx -n "__fish_logx_using_subcommand patterns" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c logx -n "__fish_logx_using_subcommand stats" -s l -l level -d 'Minimum level: trace, debug, info, warn, error, fatal; `all` for every entry (those without a level too), overriding the configuration\'s default level' -r -f -a "trace\t''
debug\t''
info\t''
warn\t''
error\t''
fatal\t''
all\t''"
complete -c logx -n "__fish_logx_using_subcommand stats" -l levels -d 'Exact levels, comma-separated (`none` for entries without a level)' -r -f -a "trace\t''
debug\t''
info\t''
warn\t''
error\t''
fatal\t''
none\t''"
complete -c logx -n "__fish_logx_using_subcommand stats" -s e -l grep -d 'Search the message with a regex (repeatable: any of them)' -r
complete -c logx -n "__fish_logx_using_subcommand stats" -s F -l fixed -d 'Search the message for a literal string (repeatable)' -r
complete -c logx -n "__fish_logx_using_subcommand stats" -l in -d 'Search this field instead of the message' -r
complete -c logx -n "__fish_logx_using_subcommand stats" -s w -l where -d 'Field expression: key=value, key!=value, key~=regex, key>n, key<n, key=prefix*, key? (has the field); dotted paths into nested JSON (req.method=POST)' -r
complete -c logx -n "__fish_logx_using_subcommand stats" -l from -d 'From this time (inclusive): 2026-11-21, \'2026-11-21 10:00\', 10:00, -2h, \'30m ago\', today, yesterday, monday' -r
complete -c logx -n "__fish_logx_using_subcommand stats" -l to -d 'Up to this time (exclusive)' -r
complete -c logx -n "__fish_logx_using_subcommand stats" -l day -d 'One whole day in the display zone' -r
complete -c logx -n "__fish_logx_using_subcommand stats" -l last -d 'The last DURATION up to now (2h, 30m, 7d)' -r
complete -c logx -n "__fish_logx_using_subcommand stats" -l host -l instance -d 'Host or instance (repeatable; a trailing * is a prefix)' -r
complete -c logx -n "__fish_logx_using_subcommand stats" -l service -d 'Service, logger or component (repeatable; a trailing * is a prefix)' -r
complete -c logx -n "__fish_logx_using_subcommand stats" -l user -d 'User (repeatable)' -r
complete -c logx -n "__fish_logx_using_subcommand stats" -l ip -d 'Client IP (repeatable; a trailing * is a prefix)' -r
complete -c logx -n "__fish_logx_using_subcommand stats" -l request-id -d 'Request id (repeatable)' -r
complete -c logx -n "__fish_logx_using_subcommand stats" -l hide-template -d 'Hide the entries of a message template (see `logx patterns`)' -r
complete -c logx -n "__fish_logx_using_subcommand stats" -l bucket -d 'Histogram bucket (5m, 1h, 1d); chosen from the span by default' -r
complete -c logx -n "__fish_logx_using_subcommand stats" -l top -d 'Most frequent values of a field (repeatable): service, user, ip, host, status...' -r
complete -c logx -n "__fish_logx_using_subcommand stats" -l top-n -d 'How many top values to show' -r
complete -c logx -n "__fish_logx_using_subcommand stats" -s o -l output -d 'Output: text (default) or json' -r -f -a "text\t'For people'
json\t'One JSON object'"
complete -c logx -n "__fish_logx_using_subcommand stats" -l tz -d 'Display zone and zone of naive timestamps: UTC, +02:00, Europe/Paris, local (default: the TZ variable, else local)' -r
complete -c logx -n "__fish_logx_using_subcommand stats" -l format -d 'Force a format instead of detecting it (`logx formats` lists them; a custom format of the configuration by its name)' -r -f -a "json\t''
logfmt\t''
cri\t''
compose\t''
access\t''
syslog\t''
apache_error\t''
nginx_error\t''
glog\t''
text\t''
raw\t''
pino\t''
bunyan\t''
zap\t''
logrus\t''
ecs\t''
structlog\t''
serilog\t''
gelf\t''
journald\t''
docker\t''"
complete -c logx -n "__fish_logx_using_subcommand stats" -l format-file -d 'Read a custom format definition (TOML) and use it for every input' -r
complete -c logx -n "__fish_logx_using_subcommand stats" -l config -d 'Configuration file (default: $LOGX_CONFIG, else $XDG_CONFIG_HOME/logx/config.toml)' -r
complete -c logx -n "__fish_logx_using_subcommand stats" -l color -d 'Colours: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set'
always\t'Always'
never\t'Never'"
complete -c logx -n "__fish_logx_using_subcommand stats" -l threads -d 'Worker threads (default: all cores)' -r
complete -c logx -n "__fish_logx_using_subcommand stats" -s i -l ignore-case -d 'Case-insensitive search'
complete -c logx -n "__fish_logx_using_subcommand stats" -s v -l invert -d 'Keep the entries that do not match the search'
complete -c logx -n "__fish_logx_using_subcommand stats" -l all-fields -d 'Search the message and every field'
complete -c logx -n "__fish_logx_using_subcommand stats" -l no-rotation -d 'Do not group rotated generations (x.log, x.log.1, ...) into one input'
complete -c logx -n "__fish_logx_using_subcommand stats" -l no-index -d 'Neither read nor write the persisted index, and scan whole files instead of seeking'
complete -c logx -n "__fish_logx_using_subcommand stats" -s q -l quiet -d 'Quiet: no progress, no warnings'
complete -c logx -n "__fish_logx_using_subcommand stats" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c logx -n "__fish_logx_using_subcommand config; and not __fish_seen_subcommand_from path show check" -l tz -d 'Display zone and zone of naive timestamps: UTC, +02:00, Europe/Paris, local (default: the TZ variable, else local)' -r
complete -c logx -n "__fish_logx_using_subcommand config; and not __fish_seen_subcommand_from path show check" -l format -d 'Force a format instead of detecting it (`logx formats` lists them; a custom format of the configuration by its name)' -r -f -a "json\t''
logfmt\t''
cri\t''
compose\t''
access\t''
syslog\t''
apache_error\t''
nginx_error\t''
glog\t''
text\t''
raw\t''
pino\t''
bunyan\t''
zap\t''
logrus\t''
ecs\t''
structlog\t''
serilog\t''
gelf\t''
journald\t''
docker\t''"
complete -c logx -n "__fish_logx_using_subcommand config; and not __fish_seen_subcommand_from path show check" -l format-file -d 'Read a custom format definition (TOML) and use it for every input' -r
complete -c logx -n "__fish_logx_using_subcommand config; and not __fish_seen_subcommand_from path show check" -l config -d 'Configuration file (default: $LOGX_CONFIG, else $XDG_CONFIG_HOME/logx/config.toml)' -r
complete -c logx -n "__fish_logx_using_subcommand config; and not __fish_seen_subcommand_from path show check" -l color -d 'Colours: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set'
always\t'Always'
never\t'Never'"
complete -c logx -n "__fish_logx_using_subcommand config; and not __fish_seen_subcommand_from path show check" -l threads -d 'Worker threads (default: all cores)' -r
complete -c logx -n "__fish_logx_using_subcommand config; and not __fish_seen_subcommand_from path show check" -l no-rotation -d 'Do not group rotated generations (x.log, x.log.1, ...) into one input'
complete -c logx -n "__fish_logx_using_subcommand config; and not __fish_seen_subcommand_from path show check" -l no-index -d 'Neither read nor write the persisted index, and scan whole files instead of seeking'
complete -c logx -n "__fish_logx_using_subcommand config; and not __fish_seen_subcommand_from path show check" -s q -l quiet -d 'Quiet: no progress, no warnings'
complete -c logx -n "__fish_logx_using_subcommand config; and not __fish_seen_subcommand_from path show check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c logx -n "__fish_logx_using_subcommand config; and not __fish_seen_subcommand_from path show check" -f -a "path" -d 'The path of the configuration file (whether or not it exists)'
complete -c logx -n "__fish_logx_using_subcommand config; and not __fish_seen_subcommand_from path show check" -f -a "show" -d 'The effective settings and where each one comes from'
complete -c logx -n "__fish_logx_using_subcommand config; and not __fish_seen_subcommand_from path show check" -f -a "check" -d 'Read the configuration and report the first problem with its line and column'
complete -c logx -n "__fish_logx_using_subcommand config; and __fish_seen_subcommand_from path" -l tz -d 'Display zone and zone of naive timestamps: UTC, +02:00, Europe/Paris, local (default: the TZ variable, else local)' -r
complete -c logx -n "__fish_logx_using_subcommand config; and __fish_seen_subcommand_from path" -l format -d 'Force a format instead of detecting it (`logx formats` lists them; a custom format of the configuration by its name)' -r -f -a "json\t''
logfmt\t''
cri\t''
compose\t''
access\t''
syslog\t''
apache_error\t''
nginx_error\t''
glog\t''
text\t''
raw\t''
pino\t''
bunyan\t''
zap\t''
logrus\t''
ecs\t''
structlog\t''
serilog\t''
gelf\t''
journald\t''
docker\t''"
complete -c logx -n "__fish_logx_using_subcommand config; and __fish_seen_subcommand_from path" -l format-file -d 'Read a custom format definition (TOML) and use it for every input' -r
complete -c logx -n "__fish_logx_using_subcommand config; and __fish_seen_subcommand_from path" -l config -d 'Configuration file (default: $LOGX_CONFIG, else $XDG_CONFIG_HOME/logx/config.toml)' -r
complete -c logx -n "__fish_logx_using_subcommand config; and __fish_seen_subcommand_from path" -l color -d 'Colours: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set'
always\t'Always'
never\t'Never'"
complete -c logx -n "__fish_logx_using_subcommand config; and __fish_seen_subcommand_from path" -l threads -d 'Worker threads (default: all cores)' -r
complete -c logx -n "__fish_logx_using_subcommand config; and __fish_seen_subcommand_from path" -l no-rotation -d 'Do not group rotated generations (x.log, x.log.1, ...) into one input'
complete -c logx -n "__fish_logx_using_subcommand config; and __fish_seen_subcommand_from path" -l no-index -d 'Neither read nor write the persisted index, and scan whole files instead of seeking'
complete -c logx -n "__fish_logx_using_subcommand config; and __fish_seen_subcommand_from path" -s q -l quiet -d 'Quiet: no progress, no warnings'
complete -c logx -n "__fish_logx_using_subcommand config; and __fish_seen_subcommand_from path" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c logx -n "__fish_logx_using_subcommand config; and __fish_seen_subcommand_from show" -l tz -d 'Display zone and zone of naive timestamps: UTC, +02:00, Europe/Paris, local (default: the TZ variable, else local)' -r
complete -c logx -n "__fish_logx_using_subcommand config; and __fish_seen_subcommand_from show" -l format -d 'Force a format instead of detecting it (`logx formats` lists them; a custom format of the configuration by its name)' -r -f -a "json\t''
logfmt\t''
cri\t''
compose\t''
access\t''
syslog\t''
apache_error\t''
nginx_error\t''
glog\t''
text\t''
raw\t''
pino\t''
bunyan\t''
zap\t''
logrus\t''
ecs\t''
structlog\t''
serilog\t''
gelf\t''
journald\t''
docker\t''"
complete -c logx -n "__fish_logx_using_subcommand config; and __fish_seen_subcommand_from show" -l format-file -d 'Read a custom format definition (TOML) and use it for every input' -r
complete -c logx -n "__fish_logx_using_subcommand config; and __fish_seen_subcommand_from show" -l config -d 'Configuration file (default: $LOGX_CONFIG, else $XDG_CONFIG_HOME/logx/config.toml)' -r
complete -c logx -n "__fish_logx_using_subcommand config; and __fish_seen_subcommand_from show" -l color -d 'Colours: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set'
always\t'Always'
never\t'Never'"
complete -c logx -n "__fish_logx_using_subcommand config; and __fish_seen_subcommand_from show" -l threads -d 'Worker threads (default: all cores)' -r
complete -c logx -n "__fish_logx_using_subcommand config; and __fish_seen_subcommand_from show" -l no-rotation -d 'Do not group rotated generations (x.log, x.log.1, ...) into one input'
complete -c logx -n "__fish_logx_using_subcommand config; and __fish_seen_subcommand_from show" -l no-index -d 'Neither read nor write the persisted index, and scan whole files instead of seeking'
complete -c logx -n "__fish_logx_using_subcommand config; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Quiet: no progress, no warnings'
complete -c logx -n "__fish_logx_using_subcommand config; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c logx -n "__fish_logx_using_subcommand config; and __fish_seen_subcommand_from check" -l tz -d 'Display zone and zone of naive timestamps: UTC, +02:00, Europe/Paris, local (default: the TZ variable, else local)' -r
complete -c logx -n "__fish_logx_using_subcommand config; and __fish_seen_subcommand_from check" -l format -d 'Force a format instead of detecting it (`logx formats` lists them; a custom format of the configuration by its name)' -r -f -a "json\t''
logfmt\t''
cri\t''
compose\t''
access\t''
syslog\t''
apache_error\t''
nginx_error\t''
glog\t''
text\t''
raw\t''
pino\t''
bunyan\t''
zap\t''
logrus\t''
ecs\t''
structlog\t''
serilog\t''
gelf\t''
journald\t''
docker\t''"
complete -c logx -n "__fish_logx_using_subcommand config; and __fish_seen_subcommand_from check" -l format-file -d 'Read a custom format definition (TOML) and use it for every input' -r
complete -c logx -n "__fish_logx_using_subcommand config; and __fish_seen_subcommand_from check" -l config -d 'Configuration file (default: $LOGX_CONFIG, else $XDG_CONFIG_HOME/logx/config.toml)' -r
complete -c logx -n "__fish_logx_using_subcommand config; and __fish_seen_subcommand_from check" -l color -d 'Colours: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set'
always\t'Always'
never\t'Never'"
complete -c logx -n "__fish_logx_using_subcommand config; and __fish_seen_subcommand_from check" -l threads -d 'Worker threads (default: all cores)' -r
complete -c logx -n "__fish_logx_using_subcommand config; and __fish_seen_subcommand_from check" -l no-rotation -d 'Do not group rotated generations (x.log, x.log.1, ...) into one input'
complete -c logx -n "__fish_logx_using_subcommand config; and __fish_seen_subcommand_from check" -l no-index -d 'Neither read nor write the persisted index, and scan whole files instead of seeking'
complete -c logx -n "__fish_logx_using_subcommand config; and __fish_seen_subcommand_from check" -s q -l quiet -d 'Quiet: no progress, no warnings'
complete -c logx -n "__fish_logx_using_subcommand config; and __fish_seen_subcommand_from check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c logx -n "__fish_logx_using_subcommand completions" -l tz -d 'Display zone and zone of naive timestamps: UTC, +02:00, Europe/Paris, local (default: the TZ variable, else local)' -r
complete -c logx -n "__fish_logx_using_subcommand completions" -l format -d 'Force a format instead of detecting it (`logx formats` lists them; a custom format of the configuration by its name)' -r -f -a "json\t''
logfmt\t''
cri\t''
compose\t''
access\t''
syslog\t''
apache_error\t''
nginx_error\t''
glog\t''
text\t''
raw\t''
pino\t''
bunyan\t''
zap\t''
logrus\t''
ecs\t''
structlog\t''
serilog\t''
gelf\t''
journald\t''
docker\t''"
complete -c logx -n "__fish_logx_using_subcommand completions" -l format-file -d 'Read a custom format definition (TOML) and use it for every input' -r
complete -c logx -n "__fish_logx_using_subcommand completions" -l config -d 'Configuration file (default: $LOGX_CONFIG, else $XDG_CONFIG_HOME/logx/config.toml)' -r
complete -c logx -n "__fish_logx_using_subcommand completions" -l color -d 'Colours: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set'
always\t'Always'
never\t'Never'"
complete -c logx -n "__fish_logx_using_subcommand completions" -l threads -d 'Worker threads (default: all cores)' -r
complete -c logx -n "__fish_logx_using_subcommand completions" -l no-rotation -d 'Do not group rotated generations (x.log, x.log.1, ...) into one input'
complete -c logx -n "__fish_logx_using_subcommand completions" -l no-index -d 'Neither read nor write the persisted index, and scan whole files instead of seeking'
complete -c logx -n "__fish_logx_using_subcommand completions" -s q -l quiet -d 'Quiet: no progress, no warnings'
complete -c logx -n "__fish_logx_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c logx -n "__fish_logx_using_subcommand generate" -l out -d 'Where (completions/ and man/ are created under it)' -r
complete -c logx -n "__fish_logx_using_subcommand generate" -l tz -d 'Display zone and zone of naive timestamps: UTC, +02:00, Europe/Paris, local (default: the TZ variable, else local)' -r
complete -c logx -n "__fish_logx_using_subcommand generate" -l format -d 'Force a format instead of detecting it (`logx formats` lists them; a custom format of the configuration by its name)' -r -f -a "json\t''
logfmt\t''
cri\t''
compose\t''
access\t''
syslog\t''
apache_error\t''
nginx_error\t''
glog\t''
text\t''
raw\t''
pino\t''
bunyan\t''
zap\t''
logrus\t''
ecs\t''
structlog\t''
serilog\t''
gelf\t''
journald\t''
docker\t''"
complete -c logx -n "__fish_logx_using_subcommand generate" -l format-file -d 'Read a custom format definition (TOML) and use it for every input' -r
complete -c logx -n "__fish_logx_using_subcommand generate" -l config -d 'Configuration file (default: $LOGX_CONFIG, else $XDG_CONFIG_HOME/logx/config.toml)' -r
complete -c logx -n "__fish_logx_using_subcommand generate" -l color -d 'Colours: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set'
always\t'Always'
never\t'Never'"
complete -c logx -n "__fish_logx_using_subcommand generate" -l threads -d 'Worker threads (default: all cores)' -r
complete -c logx -n "__fish_logx_using_subcommand generate" -l no-rotation -d 'Do not group rotated generations (x.log, x.log.1, ...) into one input'
complete -c logx -n "__fish_logx_using_subcommand generate" -l no-index -d 'Neither read nor write the persisted index, and scan whole files instead of seeking'
complete -c logx -n "__fish_logx_using_subcommand generate" -s q -l quiet -d 'Quiet: no progress, no warnings'
complete -c logx -n "__fish_logx_using_subcommand generate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c logx -n "__fish_logx_using_subcommand index" -l tz -d 'Display zone and zone of naive timestamps: UTC, +02:00, Europe/Paris, local (default: the TZ variable, else local)' -r
complete -c logx -n "__fish_logx_using_subcommand index" -l format -d 'Force a format instead of detecting it (`logx formats` lists them; a custom format of the configuration by its name)' -r -f -a "json\t''
logfmt\t''
cri\t''
compose\t''
access\t''
syslog\t''
apache_error\t''
nginx_error\t''
glog\t''
text\t''
raw\t''
pino\t''
bunyan\t''
zap\t''
logrus\t''
ecs\t''
structlog\t''
serilog\t''
gelf\t''
journald\t''
docker\t''"
complete -c logx -n "__fish_logx_using_subcommand index" -l format-file -d 'Read a custom format definition (TOML) and use it for every input' -r
complete -c logx -n "__fish_logx_using_subcommand index" -l config -d 'Configuration file (default: $LOGX_CONFIG, else $XDG_CONFIG_HOME/logx/config.toml)' -r
complete -c logx -n "__fish_logx_using_subcommand index" -l color -d 'Colours: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set'
always\t'Always'
never\t'Never'"
complete -c logx -n "__fish_logx_using_subcommand index" -l threads -d 'Worker threads (default: all cores)' -r
complete -c logx -n "__fish_logx_using_subcommand index" -l no-rotation -d 'Do not group rotated generations (x.log, x.log.1, ...) into one input'
complete -c logx -n "__fish_logx_using_subcommand index" -l no-index -d 'Neither read nor write the persisted index, and scan whole files instead of seeking'
complete -c logx -n "__fish_logx_using_subcommand index" -s q -l quiet -d 'Quiet: no progress, no warnings'
complete -c logx -n "__fish_logx_using_subcommand index" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c logx -n "__fish_logx_using_subcommand ship" -s l -l level -d 'Minimum level: trace, debug, info, warn, error, fatal; `all` for every entry (those without a level too), overriding the configuration\'s default level' -r -f -a "trace\t''
debug\t''
info\t''
warn\t''
error\t''
fatal\t''
all\t''"
complete -c logx -n "__fish_logx_using_subcommand ship" -l levels -d 'Exact levels, comma-separated (`none` for entries without a level)' -r -f -a "trace\t''
debug\t''
info\t''
warn\t''
error\t''
fatal\t''
none\t''"
complete -c logx -n "__fish_logx_using_subcommand ship" -s e -l grep -d 'Search the message with a regex (repeatable: any of them)' -r
complete -c logx -n "__fish_logx_using_subcommand ship" -s F -l fixed -d 'Search the message for a literal string (repeatable)' -r
complete -c logx -n "__fish_logx_using_subcommand ship" -l in -d 'Search this field instead of the message' -r
complete -c logx -n "__fish_logx_using_subcommand ship" -s w -l where -d 'Field expression: key=value, key!=value, key~=regex, key>n, key<n, key=prefix*, key? (has the field); dotted paths into nested JSON (req.method=POST)' -r
complete -c logx -n "__fish_logx_using_subcommand ship" -l from -d 'From this time (inclusive): 2026-11-21, \'2026-11-21 10:00\', 10:00, -2h, \'30m ago\', today, yesterday, monday' -r
complete -c logx -n "__fish_logx_using_subcommand ship" -l to -d 'Up to this time (exclusive)' -r
complete -c logx -n "__fish_logx_using_subcommand ship" -l day -d 'One whole day in the display zone' -r
complete -c logx -n "__fish_logx_using_subcommand ship" -l last -d 'The last DURATION up to now (2h, 30m, 7d)' -r
complete -c logx -n "__fish_logx_using_subcommand ship" -l host -l instance -d 'Host or instance (repeatable; a trailing * is a prefix)' -r
complete -c logx -n "__fish_logx_using_subcommand ship" -l service -d 'Service, logger or component (repeatable; a trailing * is a prefix)' -r
complete -c logx -n "__fish_logx_using_subcommand ship" -l user -d 'User (repeatable)' -r
complete -c logx -n "__fish_logx_using_subcommand ship" -l ip -d 'Client IP (repeatable; a trailing * is a prefix)' -r
complete -c logx -n "__fish_logx_using_subcommand ship" -l request-id -d 'Request id (repeatable)' -r
complete -c logx -n "__fish_logx_using_subcommand ship" -l hide-template -d 'Hide the entries of a message template (see `logx patterns`)' -r
complete -c logx -n "__fish_logx_using_subcommand ship" -l into -d 'The table: clickhouse://[USER@]HOST[:PORT]/DB.TABLE (clickhouses:// for https). `--to URL` says the same (a `--to` that is not a URL is the end of the time range)' -r
complete -c logx -n "__fish_logx_using_subcommand ship" -l batch -d 'Entries per insert' -r
complete -c logx -n "__fish_logx_using_subcommand ship" -l checkpoint -d 'Where delivered offsets are kept (default: in the cache directory, per table)' -r -F
complete -c logx -n "__fish_logx_using_subcommand ship" -l poll -d 'Look at the files every MS milliseconds when following, instead of waking on the system\'s change notices (files on network file systems are polled every 250 ms anyway)' -r
complete -c logx -n "__fish_logx_using_subcommand ship" -l attempts -d 'Give up on a batch after this many attempts (0: never; the default when following)' -r
complete -c logx -n "__fish_logx_using_subcommand ship" -l tz -d 'Display zone and zone of naive timestamps: UTC, +02:00, Europe/Paris, local (default: the TZ variable, else local)' -r
complete -c logx -n "__fish_logx_using_subcommand ship" -l format -d 'Force a format instead of detecting it (`logx formats` lists them; a custom format of the configuration by its name)' -r -f -a "json\t''
logfmt\t''
cri\t''
compose\t''
access\t''
syslog\t''
apache_error\t''
nginx_error\t''
glog\t''
text\t''
raw\t''
pino\t''
bunyan\t''
zap\t''
logrus\t''
ecs\t''
structlog\t''
serilog\t''
gelf\t''
journald\t''
docker\t''"
complete -c logx -n "__fish_logx_using_subcommand ship" -l format-file -d 'Read a custom format definition (TOML) and use it for every input' -r
complete -c logx -n "__fish_logx_using_subcommand ship" -l config -d 'Configuration file (default: $LOGX_CONFIG, else $XDG_CONFIG_HOME/logx/config.toml)' -r
complete -c logx -n "__fish_logx_using_subcommand ship" -l color -d 'Colours: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set'
always\t'Always'
never\t'Never'"
complete -c logx -n "__fish_logx_using_subcommand ship" -l threads -d 'Worker threads (default: all cores)' -r
complete -c logx -n "__fish_logx_using_subcommand ship" -s i -l ignore-case -d 'Case-insensitive search'
complete -c logx -n "__fish_logx_using_subcommand ship" -s v -l invert -d 'Keep the entries that do not match the search'
complete -c logx -n "__fish_logx_using_subcommand ship" -l all-fields -d 'Search the message and every field'
complete -c logx -n "__fish_logx_using_subcommand ship" -s f -l follow -d 'Keep shipping what the files gain, through rotations (rename, copytruncate, gzip)'
complete -c logx -n "__fish_logx_using_subcommand ship" -l no-rotation -d 'Do not group rotated generations (x.log, x.log.1, ...) into one input'
complete -c logx -n "__fish_logx_using_subcommand ship" -l no-index -d 'Neither read nor write the persisted index, and scan whole files instead of seeking'
complete -c logx -n "__fish_logx_using_subcommand ship" -s q -l quiet -d 'Quiet: no progress, no warnings'
complete -c logx -n "__fish_logx_using_subcommand ship" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c logx -n "__fish_logx_using_subcommand formats; and not __fish_seen_subcommand_from detect test aliases" -l tz -d 'Display zone and zone of naive timestamps: UTC, +02:00, Europe/Paris, local (default: the TZ variable, else local)' -r
complete -c logx -n "__fish_logx_using_subcommand formats; and not __fish_seen_subcommand_from detect test aliases" -l format -d 'Force a format instead of detecting it (`logx formats` lists them; a custom format of the configuration by its name)' -r -f -a "json\t''
logfmt\t''
cri\t''
compose\t''
access\t''
syslog\t''
apache_error\t''
nginx_error\t''
glog\t''
text\t''
raw\t''
pino\t''
bunyan\t''
zap\t''
logrus\t''
ecs\t''
structlog\t''
serilog\t''
gelf\t''
journald\t''
docker\t''"
complete -c logx -n "__fish_logx_using_subcommand formats; and not __fish_seen_subcommand_from detect test aliases" -l format-file -d 'Read a custom format definition (TOML) and use it for every input' -r
complete -c logx -n "__fish_logx_using_subcommand formats; and not __fish_seen_subcommand_from detect test aliases" -l config -d 'Configuration file (default: $LOGX_CONFIG, else $XDG_CONFIG_HOME/logx/config.toml)' -r
complete -c logx -n "__fish_logx_using_subcommand formats; and not __fish_seen_subcommand_from detect test aliases" -l color -d 'Colours: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set'
always\t'Always'
never\t'Never'"
complete -c logx -n "__fish_logx_using_subcommand formats; and not __fish_seen_subcommand_from detect test aliases" -l threads -d 'Worker threads (default: all cores)' -r
complete -c logx -n "__fish_logx_using_subcommand formats; and not __fish_seen_subcommand_from detect test aliases" -l no-rotation -d 'Do not group rotated generations (x.log, x.log.1, ...) into one input'
complete -c logx -n "__fish_logx_using_subcommand formats; and not __fish_seen_subcommand_from detect test aliases" -l no-index -d 'Neither read nor write the persisted index, and scan whole files instead of seeking'
complete -c logx -n "__fish_logx_using_subcommand formats; and not __fish_seen_subcommand_from detect test aliases" -s q -l quiet -d 'Quiet: no progress, no warnings'
complete -c logx -n "__fish_logx_using_subcommand formats; and not __fish_seen_subcommand_from detect test aliases" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c logx -n "__fish_logx_using_subcommand formats; and not __fish_seen_subcommand_from detect test aliases" -f -a "detect" -d 'Say which format a file has and how confidently'
complete -c logx -n "__fish_logx_using_subcommand formats; and not __fish_seen_subcommand_from detect test aliases" -f -a "test" -d 'Try a format (--format-file, --format, or the configuration\'s) on a file: which lines match, and why the others do not'
complete -c logx -n "__fish_logx_using_subcommand formats; and not __fish_seen_subcommand_from detect test aliases" -f -a "aliases" -d 'The alias table: which keys of structured logs fill ts, level, msg and the well-known fields (Markdown)'
complete -c logx -n "__fish_logx_using_subcommand formats; and __fish_seen_subcommand_from detect" -l tz -d 'Display zone and zone of naive timestamps: UTC, +02:00, Europe/Paris, local (default: the TZ variable, else local)' -r
complete -c logx -n "__fish_logx_using_subcommand formats; and __fish_seen_subcommand_from detect" -l format -d 'Force a format instead of detecting it (`logx formats` lists them; a custom format of the configuration by its name)' -r -f -a "json\t''
logfmt\t''
cri\t''
compose\t''
access\t''
syslog\t''
apache_error\t''
nginx_error\t''
glog\t''
text\t''
raw\t''
pino\t''
bunyan\t''
zap\t''
logrus\t''
ecs\t''
structlog\t''
serilog\t''
gelf\t''
journald\t''
docker\t''"
complete -c logx -n "__fish_logx_using_subcommand formats; and __fish_seen_subcommand_from detect" -l format-file -d 'Read a custom format definition (TOML) and use it for every input' -r
complete -c logx -n "__fish_logx_using_subcommand formats; and __fish_seen_subcommand_from detect" -l config -d 'Configuration file (default: $LOGX_CONFIG, else $XDG_CONFIG_HOME/logx/config.toml)' -r
complete -c logx -n "__fish_logx_using_subcommand formats; and __fish_seen_subcommand_from detect" -l color -d 'Colours: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set'
always\t'Always'
never\t'Never'"
complete -c logx -n "__fish_logx_using_subcommand formats; and __fish_seen_subcommand_from detect" -l threads -d 'Worker threads (default: all cores)' -r
complete -c logx -n "__fish_logx_using_subcommand formats; and __fish_seen_subcommand_from detect" -l no-rotation -d 'Do not group rotated generations (x.log, x.log.1, ...) into one input'
complete -c logx -n "__fish_logx_using_subcommand formats; and __fish_seen_subcommand_from detect" -l no-index -d 'Neither read nor write the persisted index, and scan whole files instead of seeking'
complete -c logx -n "__fish_logx_using_subcommand formats; and __fish_seen_subcommand_from detect" -s q -l quiet -d 'Quiet: no progress, no warnings'
complete -c logx -n "__fish_logx_using_subcommand formats; and __fish_seen_subcommand_from detect" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c logx -n "__fish_logx_using_subcommand formats; and __fish_seen_subcommand_from test" -l limit -d 'Lines shown at most' -r
complete -c logx -n "__fish_logx_using_subcommand formats; and __fish_seen_subcommand_from test" -l tz -d 'Display zone and zone of naive timestamps: UTC, +02:00, Europe/Paris, local (default: the TZ variable, else local)' -r
complete -c logx -n "__fish_logx_using_subcommand formats; and __fish_seen_subcommand_from test" -l format -d 'Force a format instead of detecting it (`logx formats` lists them; a custom format of the configuration by its name)' -r -f -a "json\t''
logfmt\t''
cri\t''
compose\t''
access\t''
syslog\t''
apache_error\t''
nginx_error\t''
glog\t''
text\t''
raw\t''
pino\t''
bunyan\t''
zap\t''
logrus\t''
ecs\t''
structlog\t''
serilog\t''
gelf\t''
journald\t''
docker\t''"
complete -c logx -n "__fish_logx_using_subcommand formats; and __fish_seen_subcommand_from test" -l format-file -d 'Read a custom format definition (TOML) and use it for every input' -r
complete -c logx -n "__fish_logx_using_subcommand formats; and __fish_seen_subcommand_from test" -l config -d 'Configuration file (default: $LOGX_CONFIG, else $XDG_CONFIG_HOME/logx/config.toml)' -r
complete -c logx -n "__fish_logx_using_subcommand formats; and __fish_seen_subcommand_from test" -l color -d 'Colours: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set'
always\t'Always'
never\t'Never'"
complete -c logx -n "__fish_logx_using_subcommand formats; and __fish_seen_subcommand_from test" -l threads -d 'Worker threads (default: all cores)' -r
complete -c logx -n "__fish_logx_using_subcommand formats; and __fish_seen_subcommand_from test" -l no-rotation -d 'Do not group rotated generations (x.log, x.log.1, ...) into one input'
complete -c logx -n "__fish_logx_using_subcommand formats; and __fish_seen_subcommand_from test" -l no-index -d 'Neither read nor write the persisted index, and scan whole files instead of seeking'
complete -c logx -n "__fish_logx_using_subcommand formats; and __fish_seen_subcommand_from test" -s q -l quiet -d 'Quiet: no progress, no warnings'
complete -c logx -n "__fish_logx_using_subcommand formats; and __fish_seen_subcommand_from test" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c logx -n "__fish_logx_using_subcommand formats; and __fish_seen_subcommand_from aliases" -l tz -d 'Display zone and zone of naive timestamps: UTC, +02:00, Europe/Paris, local (default: the TZ variable, else local)' -r
complete -c logx -n "__fish_logx_using_subcommand formats; and __fish_seen_subcommand_from aliases" -l format -d 'Force a format instead of detecting it (`logx formats` lists them; a custom format of the configuration by its name)' -r -f -a "json\t''
logfmt\t''
cri\t''
compose\t''
access\t''
syslog\t''
apache_error\t''
nginx_error\t''
glog\t''
text\t''
raw\t''
pino\t''
bunyan\t''
zap\t''
logrus\t''
ecs\t''
structlog\t''
serilog\t''
gelf\t''
journald\t''
docker\t''"
complete -c logx -n "__fish_logx_using_subcommand formats; and __fish_seen_subcommand_from aliases" -l format-file -d 'Read a custom format definition (TOML) and use it for every input' -r
complete -c logx -n "__fish_logx_using_subcommand formats; and __fish_seen_subcommand_from aliases" -l config -d 'Configuration file (default: $LOGX_CONFIG, else $XDG_CONFIG_HOME/logx/config.toml)' -r
complete -c logx -n "__fish_logx_using_subcommand formats; and __fish_seen_subcommand_from aliases" -l color -d 'Colours: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t'On a terminal, unless NO_COLOR is set'
always\t'Always'
never\t'Never'"
complete -c logx -n "__fish_logx_using_subcommand formats; and __fish_seen_subcommand_from aliases" -l threads -d 'Worker threads (default: all cores)' -r
complete -c logx -n "__fish_logx_using_subcommand formats; and __fish_seen_subcommand_from aliases" -l no-rotation -d 'Do not group rotated generations (x.log, x.log.1, ...) into one input'
complete -c logx -n "__fish_logx_using_subcommand formats; and __fish_seen_subcommand_from aliases" -l no-index -d 'Neither read nor write the persisted index, and scan whole files instead of seeking'
complete -c logx -n "__fish_logx_using_subcommand formats; and __fish_seen_subcommand_from aliases" -s q -l quiet -d 'Quiet: no progress, no warnings'
complete -c logx -n "__fish_logx_using_subcommand formats; and __fish_seen_subcommand_from aliases" -s h -l help -d 'Print help (see more with \'--help\')'
