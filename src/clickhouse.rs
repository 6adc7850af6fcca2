//! ClickHouse, past one machine: entries shipped into a table over the HTTP interface, and the
//! same queries read back from it, pushed down as SQL.
//!
//! Works with the old server in Debian's packages (18.16: no DateTime64, no query parameters)
//! as with current ones: the exact time is an `Int64` of nanoseconds, with a `DateTime`
//! derived from it for partitions and pruning; every literal is escaped by [`quote`]; nothing
//! of a log line or a user's filter is ever spliced into SQL otherwise.
//!
//! The table is a `ReplacingMergeTree` whose sorting key ends with the entry's source (a
//! fingerprint of its file's first line, stable across rename, copy and gzip) and byte offset,
//! so a batch sent twice (a crash between the server's acknowledgement and the checkpoint)
//! leaves one row per entry once merged, and reads use `FINAL`.

use std::fmt;
use std::io::Read;
use std::time::Duration;

use crate::entry::{Entry, WellKnown};
use crate::query::{Pattern, Query, NO_LEVEL_BIT};

/// Whether an input names a ClickHouse table.
pub fn is_url(s: &str) -> bool {
    s.starts_with("clickhouse://") || s.starts_with("clickhouses://")
}

/// A table on a server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// `http://host:port` or `https://host:port`.
    pub base: String,
    /// Database.
    pub db: String,
    /// Table.
    pub table: String,
    /// User named in the URL (never a password).
    pub user: Option<String>,
}

fn ident(s: &str, what: &str) -> Result<String, String> {
    let ok = !s.is_empty()
        && s.len() <= 128
        && s.bytes().next().is_some_and(|c| c.is_ascii_alphabetic() || c == b'_')
        && s.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_');
    if ok {
        Ok(s.to_string())
    } else {
        Err(format!("{what} {s:?}: letters, digits and _ only"))
    }
}

impl Target {
    /// Reads `clickhouse://[user@]host[:port]/db.table` (`clickhouses://` for https; ports
    /// 8123 and 8443 by default). A password in the URL is refused: a command line is visible
    /// to every user of the machine.
    pub fn parse(url: &str) -> Result<Target, String> {
        let (scheme, rest) = if let Some(r) = url.strip_prefix("clickhouse://") {
            ("http", r)
        } else if let Some(r) = url.strip_prefix("clickhouses://") {
            ("https", r)
        } else {
            return Err(format!("{url}: expected clickhouse://HOST[:PORT]/DB.TABLE"));
        };
        let (auth, rest) = match rest.split_once('@') {
            Some((a, r)) => (Some(a), r),
            None => (None, rest),
        };
        let user = match auth {
            Some(a) if a.contains(':') => {
                return Err(format!(
                    "{}: a password on the command line is visible to every user of this machine; set \
                     LOGX_CLICKHOUSE_PASSWORD or [clickhouse] password in the config",
                    url.split('@').next_back().unwrap_or("")
                ))
            }
            Some(a) => Some(ident(a, "user")?),
            None => None,
        };
        let (hostport, path) =
            rest.split_once('/').ok_or_else(|| format!("{url}: expected /DB.TABLE after the host"))?;
        if hostport.is_empty() {
            return Err(format!("{url}: no host"));
        }
        if !hostport.bytes().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-' | b':' | b'[' | b']')) {
            return Err(format!("{url}: host {hostport:?} is not a host name or address"));
        }
        let hostport =
            if hostport.rsplit_once(':').is_some_and(|(_, p)| p.parse::<u16>().is_ok()) && !hostport.ends_with(']') {
                hostport.to_string()
            } else {
                format!("{hostport}:{}", if scheme == "https" { 8443 } else { 8123 })
            };
        let (db, table) = path.split_once('.').ok_or_else(|| format!("{url}: expected DB.TABLE, not {path:?}"))?;
        Ok(Target {
            base: format!("{scheme}://{hostport}"),
            db: ident(db, "database")?,
            table: ident(table, "table")?,
            user,
        })
    }

    /// The table's name in SQL.
    pub fn sql_name(&self) -> String {
        format!("`{}`.`{}`", self.db, self.table)
    }

    /// As shown to people.
    pub fn display(&self) -> String {
        format!("{}/{}.{}", self.base, self.db, self.table)
    }
}

/// A SQL string literal: every byte that could end or bend it escaped.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '\0' => out.push_str("\\0"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => out.push_str(&format!("\\x{:02X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// What went wrong talking to the server.
#[derive(Debug)]
pub enum ChError {
    /// No answer (refused, reset, timed out, TLS).
    Transport(String),
    /// The server answered with an error.
    Server(u16, String),
}

impl fmt::Display for ChError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChError::Transport(m) => write!(f, "{m}"),
            ChError::Server(code, m) => {
                let first = m.lines().next().unwrap_or("").trim();
                let first: String = first.chars().filter(|c| !c.is_control()).take(300).collect();
                write!(f, "HTTP {code}: {first}")
            }
        }
    }
}

/// Who logx is to the server, and whom it trusts: from the configuration (`[clickhouse]`
/// user, password, ca) and the environment (`LOGX_CLICKHOUSE_USER`, `LOGX_CLICKHOUSE_PASSWORD`,
/// `LOGX_CLICKHOUSE_CA`), never from a command line.
#[derive(Clone, Debug, Default)]
pub struct Auth {
    /// User.
    pub user: Option<String>,
    /// Password.
    pub password: Option<String>,
    /// A PEM file of the certificates to trust for `clickhouses://` instead of the public
    /// roots (a server with its own CA).
    pub ca: Option<std::path::PathBuf>,
}

/// The TLS setup that trusts the certificates of a PEM file (and nothing else), as
/// `curl --cacert` does.
fn tls_trusting(ca: &std::path::Path) -> Result<std::sync::Arc<rustls::ClientConfig>, String> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::CertificateDer;
    let what = |e: &dyn fmt::Display| format!("clickhouse CA {}: {e}", ca.display());
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_file_iter(ca).map_err(|e| what(&e))? {
        roots.add(cert.map_err(|e| what(&e))?).map_err(|e| what(&e))?;
    }
    if roots.is_empty() {
        return Err(what(&"no certificate in it (expected PEM)"));
    }
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| what(&e))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(std::sync::Arc::new(config))
}

/// A connection to a table.
#[derive(Clone)]
pub struct Client {
    agent: ureq::Agent,
    /// The table.
    pub target: Target,
    user: Option<String>,
    password: Option<String>,
}

impl Client {
    /// A client; credentials from the URL's user, `LOGX_CLICKHOUSE_USER` and
    /// `LOGX_CLICKHOUSE_PASSWORD`, or the given ones (the config file); for `clickhouses://`,
    /// the CA of `LOGX_CLICKHOUSE_CA` or the config, else the public roots.
    ///
    /// # Errors
    /// A CA file that cannot be read or holds no certificate.
    pub fn new(target: Target, auth: &Auth, timeout: Duration) -> Result<Client, String> {
        let mut agent = ureq::AgentBuilder::new().timeout_connect(Duration::from_secs(5)).timeout(timeout);
        let ca = std::env::var_os("LOGX_CLICKHOUSE_CA").map(std::path::PathBuf::from).or_else(|| auth.ca.clone());
        if let Some(ca) = ca.filter(|_| target.base.starts_with("https:")) {
            agent = agent.tls_config(tls_trusting(&ca)?);
        }
        let user = target.user.clone().or_else(|| std::env::var("LOGX_CLICKHOUSE_USER").ok()).or(auth.user.clone());
        let password = std::env::var("LOGX_CLICKHOUSE_PASSWORD").ok().or(auth.password.clone());
        Ok(Client { agent: agent.build(), target, user, password })
    }

    fn post(&self, query: Option<&str>, body: &[u8]) -> Result<ureq::Response, ChError> {
        let mut req = self.agent.post(&format!("{}/", self.target.base));
        if let Some(q) = query {
            req = req.query("query", q);
        }
        if let Some(u) = &self.user {
            let pass = self.password.clone().unwrap_or_default();
            let token = crate::sink::base64(format!("{u}:{pass}").as_bytes());
            req = req.set("Authorization", &format!("Basic {token}"));
        }
        match req.send_bytes(body) {
            Ok(r) => Ok(r),
            Err(ureq::Error::Status(code, r)) => {
                let mut text = String::new();
                let _ = r.into_reader().take(4096).read_to_string(&mut text);
                Err(ChError::Server(code, text))
            }
            Err(ureq::Error::Transport(t)) => Err(ChError::Transport(t.to_string())),
        }
    }

    /// Runs a statement; its whole answer.
    pub fn exec(&self, sql: &str) -> Result<String, ChError> {
        let mut text = String::new();
        self.post(None, sql.as_bytes())?
            .into_reader()
            .read_to_string(&mut text)
            .map_err(|e| ChError::Transport(e.to_string()))?;
        Ok(text)
    }

    /// Runs a query; its answer as a stream.
    pub fn stream(&self, sql: &str) -> Result<Box<dyn Read + Send>, ChError> {
        Ok(Box::new(self.post(None, sql.as_bytes())?.into_reader()))
    }

    /// Inserts rows written by [`write_row`].
    pub fn insert(&self, rows: &[u8]) -> Result<(), ChError> {
        let q = format!("INSERT INTO {} FORMAT JSONEachRow", self.target.sql_name());
        self.post(Some(&q), rows).map(|_| ())
    }

    /// Creates the database and the table when missing.
    pub fn ensure_table(&self) -> Result<(), ChError> {
        self.exec(&format!("CREATE DATABASE IF NOT EXISTS `{}`", self.target.db))?;
        self.exec(&schema(&self.target))?;
        Ok(())
    }
}

/// The table: partitioned by day, sorted for time ranges and service/host queries, one row per
/// (source, offset) after merges.
pub fn schema(t: &Target) -> String {
    format!(
        "CREATE TABLE IF NOT EXISTS {} (\
         time_ns Int64, \
         has_time UInt8, \
         ts DateTime MATERIALIZED toDateTime(intDiv(time_ns, 1000000000)), \
         level String, \
         host String, service String, user String, ip String, request_id String, \
         message String, \
         fields String, \
         raw String, \
         format String, \
         path String, \
         source String, \
         offset UInt64\
         ) ENGINE = ReplacingMergeTree() \
         PARTITION BY toYYYYMMDD(ts) \
         ORDER BY (toStartOfHour(ts), service, host, time_ns, source, offset)",
        t.sql_name()
    )
}

/// The well-known fields and their columns.
const KNOWN_COLUMNS: [(WellKnown, &str); 5] = [
    (WellKnown::Host, "host"),
    (WellKnown::Service, "service"),
    (WellKnown::User, "user"),
    (WellKnown::Ip, "ip"),
    (WellKnown::RequestId, "request_id"),
];

/// Appends one JSONEachRow row for an entry. `key` is its sort time (its own, or the one before
/// it in its file); `source` the file's fingerprint, `path` the name it is shown under;
/// `scratch` a buffer reused between rows for the fields' JSON.
pub fn write_row(e: &Entry<'_>, key: i64, source: &str, path: &str, out: &mut Vec<u8>, scratch: &mut Vec<u8>) {
    use crate::format::json::write_str;
    out.extend_from_slice(b"{\"time_ns\":");
    if key < 0 {
        out.push(b'-');
    }
    crate::sink::push_u64(out, key.unsigned_abs());
    out.extend_from_slice(if e.ts.is_some() { b",\"has_time\":1" } else { b",\"has_time\":0" });
    out.extend_from_slice(b",\"level\":");
    write_str(out, e.level.map_or("", |l| l.as_str()));
    for (w, col) in KNOWN_COLUMNS {
        out.extend_from_slice(b",\"");
        out.extend_from_slice(col.as_bytes());
        out.extend_from_slice(b"\":");
        write_str(out, e.get_known(w).unwrap_or(""));
    }
    out.extend_from_slice(b",\"message\":");
    write_str(out, &e.msg);
    scratch.clear();
    crate::sink::write_fields_object(e, scratch);
    out.extend_from_slice(b",\"fields\":");
    write_str(out, &String::from_utf8_lossy(scratch));
    out.extend_from_slice(b",\"raw\":");
    write_str(out, &String::from_utf8_lossy(e.raw));
    out.extend_from_slice(b",\"format\":");
    write_str(out, e.format);
    out.extend_from_slice(b",\"path\":");
    write_str(out, path);
    out.extend_from_slice(b",\"source\":");
    write_str(out, source);
    out.extend_from_slice(b",\"offset\":");
    crate::sink::push_u64(out, e.offset);
    out.extend_from_slice(b"}\n");
}

/// The SQL conditions a query pushes down, and whether they are the whole query (then the
/// server's answer needs no second look). Each condition keeps a superset of what the query
/// keeps: the local engine filters the rows again, so results are the local engine's.
pub fn pushdown(q: &Query) -> (Vec<String>, bool) {
    let mut conds = Vec::new();
    let mut exact = true;
    if let Some(mask) = q.level_mask {
        let mut names: Vec<String> =
            crate::entry::LEVELS.iter().filter(|l| mask & (1 << l.index()) != 0).map(|l| quote(l.as_str())).collect();
        if mask & NO_LEVEL_BIT != 0 {
            names.push("''".into());
        }
        conds.push(if names.is_empty() { "0".into() } else { format!("level IN ({})", names.join(", ")) });
    }
    // Entries without a time of their own are ordered by the one before them: they are kept
    // for the local engine to judge.
    let mut time = Vec::new();
    if let Some(from) = q.range.from {
        time.push(format!("time_ns >= {from}"));
        conds.push(format!("ts >= toDateTime({})", from.div_euclid(1_000_000_000)));
    }
    if let Some(to) = q.range.to {
        time.push(format!("time_ns < {to}"));
        conds.push(format!("ts <= toDateTime({})", to.div_euclid(1_000_000_000)));
    }
    if !time.is_empty() {
        conds.push(format!("(has_time = 0 OR ({}))", time.join(" AND ")));
        exact = false;
    }
    for (w, pats) in &q.known {
        let Some((_, col)) = KNOWN_COLUMNS.iter().find(|(k, _)| k == w) else {
            exact = false;
            continue;
        };
        let alts: Vec<String> = pats.iter().map(|p| pattern_sql(col, p)).collect();
        conds.push(format!("({})", alts.join(" OR ")));
    }
    if let Some(s) = &q.search {
        if let (crate::query::Scope::Msg, Some(lits)) = (&s.scope, &s.literals) {
            // Case-sensitive literals in the message: its column holds the message as the
            // local engine reads it (rendered, unescaped, its lines joined), so the server
            // answers exactly, inverted or not.
            let alts: Vec<String> = lits.iter().map(|l| format!("position(message, {}) > 0", quote(l))).collect();
            let any = alts.join(" OR ");
            conds.push(if s.invert { format!("NOT ({any})") } else { format!("({any})") });
        } else if let Some(pre) = &s.prefilter {
            exact = false;
            // The prefilter is escaped ASCII literals. Old servers get `(?i)` with capitals
            // wrong, so a case-insensitive one compares lower-cased text instead. Entries whose
            // message may differ from their bytes (an escape, a template) are kept, as the
            // local engine checks them.
            conds.push(match pre.as_str().strip_prefix("(?i)") {
                Some(p) => format!("(match(lower(raw), {}) OR {})", quote(&p.to_ascii_lowercase()), MAY_DIFFER),
                None => format!("(match(raw, {}) OR {})", quote(pre.as_str()), MAY_DIFFER),
            });
        } else {
            exact = false;
        }
    }
    for group in &q.wheres {
        exact = false;
        let alts: Option<Vec<String>> = group.iter().map(where_sql).collect();
        if let Some(alts) = alts {
            conds.push(format!("({})", alts.join(" OR ")));
        }
    }
    if !q.hide_templates.is_empty() || !q.only_templates.is_empty() {
        exact = false;
    }
    (conds, exact)
}

/// Entries whose text may differ from their bytes: an escape (`\\u0065`, `\\/`), a message
/// template (`@mt`, `messageTemplate`).
const MAY_DIFFER: &str = r#"match(raw, '[\\\\@]|emplate"')"#;

/// A column equal to a value, or starting with a prefix.
fn pattern_sql(col: &str, p: &Pattern) -> String {
    match p {
        Pattern::Exact(v) => format!("{col} = {}", quote(v)),
        Pattern::Prefix(v) => format!("substring({col}, 1, {}) = {}", v.len(), quote(v)),
    }
}

/// Rows whose raw text holds a string, or whose text may differ from their bytes.
fn raw_has(s: &str) -> String {
    format!("(position(raw, {}) > 0 OR {MAY_DIFFER})", quote(s))
}

/// The SQL condition of one `--where` expression that keeps a superset of its entries, if
/// there is one.
///
/// On a well-known field's contract key (`user`, `service`, `host`, `ip`, `request_id`),
/// `=` and `!=` compare its column: `Entry::field` answers such a key from the well-known
/// value, which is the column, whenever there is one; without one it falls back to an
/// ordinary field of that name, which only a value the parser did not take (`-`, an object)
/// can be: values that are empty or start with `-` are left to the local engine. Elsewhere,
/// `key=value` with a plain value needs the value in the raw text as written. Any other
/// comparison that needs the field (`?`, `~=`, `>`, `<`) needs its key in the raw text, or the
/// well-known value the key names.
fn where_sql(w: &crate::query::where_expr::Where) -> Option<String> {
    use crate::query::where_expr::Op;
    let col = crate::entry::WellKnown::from_key(&w.key)
        .and_then(|k| KNOWN_COLUMNS.iter().find(|(c, _)| *c == k))
        .map(|(_, col)| *col);
    let plain = |v: &str| !v.is_empty() && !v.starts_with('-');
    match (&w.op, col) {
        (Op::Eq(p @ (Pattern::Exact(v) | Pattern::Prefix(v))), Some(col)) if plain(v) => Some(pattern_sql(col, p)),
        (Op::Ne(p @ (Pattern::Exact(v) | Pattern::Prefix(v))), Some(col)) if plain(v) => {
            Some(format!("NOT ({})", pattern_sql(col, p)))
        }
        (Op::Eq(Pattern::Exact(v) | Pattern::Prefix(v)), _)
            if !v.is_empty() && v.bytes().all(|c| c.is_ascii_alphanumeric() || b"_.:-/@".contains(&c)) =>
        {
            Some(raw_has(v))
        }
        (Op::Eq(_) | Op::Re(_) | Op::Cmp(..) | Op::Has, _) => presence_sql(&w.key),
        _ => None,
    }
}

/// A superset of the rows that have a field (None: every row may, or the key is not one of a
/// field: the message, the level, the time). Only formats that write their keys (JSON,
/// logfmt) are judged by the key's text: the others name fields by position.
fn presence_sql(key: &str) -> Option<String> {
    use crate::format::alias::{self, Role};
    if matches!(key, "msg" | "message" | "level" | "ts" | "time" | "format" | "line") {
        return None;
    }
    let name = key.strip_prefix("fields.").unwrap_or(key);
    // A dotted path is looked up from a key that starts with its first part.
    let first = name.split('.').next().filter(|f| !f.is_empty())?;
    let known = crate::entry::WellKnown::from_key(key).or(match alias::lookup(name) {
        Some(Role::Known(w)) => Some(w),
        _ => None,
    });
    let keyed: Vec<String> = crate::format::JSON_DIALECTS
        .iter()
        .filter(|d| **d != "docker")
        .chain(["json", "logfmt"].iter())
        .map(|d| quote(d))
        .collect();
    let mut alts = vec![format!("format NOT IN ({})", keyed.join(", ")), raw_has(first)];
    if let Some((_, col)) = known.and_then(|k| KNOWN_COLUMNS.iter().find(|(c, _)| *c == k)) {
        alts.push(format!("{col} != ''"));
    }
    Some(format!("({})", alts.join(" OR ")))
}

/// `WHERE ...` of conditions (empty: nothing).
pub fn where_clause(conds: &[String]) -> String {
    if conds.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", conds.join(" AND "))
    }
}

/// The streams of a query over a table: one per file shipped into it (its first time, its
/// matching raw entries), the query pushed down.
pub fn open_streams(url: &str, auth: &Auth, q: &Query) -> Result<Vec<RemoteStream>, String> {
    let target = Target::parse(url)?;
    let c = Client::new(target, auth, Duration::from_secs(3600))?;
    let (conds, _) = pushdown(q);
    let show = |e: ChError| format!("clickhouse {}: {e}", c.target.display());
    let mut out = Vec::new();
    for (source, first) in sources(&c, &conds).map_err(show)? {
        let head = head(&c, &source).map_err(show)?;
        out.push(RemoteStream { first: Some(first), head, reader: raw_stream(&c, &source, &conds).map_err(show)? });
    }
    Ok(out)
}

/// The entries of one file shipped into a table, as a query keeps them.
pub struct RemoteStream {
    /// The first sort time.
    pub first: Option<i64>,
    /// The file's first entries, whatever the query (format detection looks at these, as it
    /// looks at the file's start: a filtered stream could look like another format).
    pub head: Vec<u8>,
    /// The raw entries the query keeps, each followed by a newline.
    pub reader: Box<dyn Read + Send>,
}

/// Rows of a table under a query's pushed-down conditions.
pub fn count_url(url: &str, auth: &Auth, q: &Query) -> Result<u64, String> {
    let target = Target::parse(url)?;
    let c = Client::new(target, auth, Duration::from_secs(3600))?;
    let (conds, _) = pushdown(q);
    count(&c, &conds).map_err(|e| format!("clickhouse {}: {e}", c.target.display()))
}

/// The sources of a table that hold rows for a query: (fingerprint, first time).
pub fn sources(c: &Client, conds: &[String]) -> Result<Vec<(String, i64)>, ChError> {
    let sql = format!(
        "SELECT source, min(time_ns) FROM {}{} GROUP BY source ORDER BY min(time_ns) FORMAT TabSeparated",
        c.target.sql_name(),
        where_clause(conds)
    );
    let text = c.exec(&sql)?;
    Ok(text
        .lines()
        .filter_map(|l| {
            let mut it = l.split('\t').map(unescape_tsv);
            Some((it.next()?, it.next()?.parse().ok()?))
        })
        .collect())
}

/// The raw entries of one source matching conditions, in file order, each followed by a
/// newline: the bytes of the file, less what the conditions leave out.
pub fn raw_stream(c: &Client, source: &str, conds: &[String]) -> Result<Box<dyn Read + Send>, ChError> {
    let mut all = vec![format!("source = {}", quote(source))];
    all.extend(conds.iter().cloned());
    c.stream(&format!(
        "SELECT raw FROM {} FINAL{} ORDER BY offset FORMAT TabSeparatedRaw",
        c.target.sql_name(),
        where_clause(&all)
    ))
}

/// Rows matching conditions, counted on the server (duplicates merged).
pub fn count(c: &Client, conds: &[String]) -> Result<u64, ChError> {
    let text = c.exec(&format!("SELECT count() FROM {} FINAL{}", c.target.sql_name(), where_clause(conds)))?;
    text.trim().parse().map_err(|_| ChError::Server(200, format!("unexpected count {text:?}")))
}

/// A row's place in the order a table is browsed in: its sort time, its file (fingerprint),
/// its byte offset. Rows compare in that order, which is the order the pages come in.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RowKey {
    /// The sort time (the entry's own, or the one before it in its file).
    pub time_ns: i64,
    /// The file's fingerprint.
    pub source: String,
    /// The entry's byte offset in its file.
    pub offset: u64,
}

impl RowKey {
    /// The condition of the rows strictly after (`after`) or before this key. The time bound
    /// is repeated on `ts` (the partition and index key) so the server skips the parts that
    /// cannot hold such rows.
    fn beyond_sql(&self, after: bool) -> String {
        let op = if after { ">" } else { "<" };
        let t = self.time_ns;
        let s = quote(&self.source);
        let mut sql = format!(
            "(time_ns {op} {t} OR (time_ns = {t} AND (source {op} {s} OR (source = {s} AND offset {op} {}))))",
            self.offset
        );
        // (only below: a row without any time before it has a negative time, whose `ts` wraps)
        if after && t >= 0 {
            sql.push_str(&format!(" AND ts >= toDateTime({})", t.div_euclid(1_000_000_000)));
        }
        sql
    }
}

/// Where a page of rows is taken.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PageFrom {
    /// The first rows.
    Start,
    /// The last rows.
    End,
    /// The rows right after a row.
    After(RowKey),
    /// The rows right before a row.
    Before(RowKey),
    /// The rows from a row on (it included, if the query keeps it). A key of a time with an
    /// empty source and offset 0 starts at that time.
    From(RowKey),
}

/// One row of a page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageRow {
    /// Its place.
    pub key: RowKey,
    /// The name its file is shown under.
    pub path: String,
    /// The entry's bytes.
    pub raw: String,
}

/// Where the rows of a query lie in time, read without `FINAL` (rows not merged yet change
/// no minimum or maximum; `rows` may count them twice: it only sizes time ranges).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Density {
    /// The first and last sort time.
    pub min: i64,
    /// (see `min`)
    pub max: i64,
    /// About how many rows.
    pub rows: u64,
    /// The first and last time of the rows with a time of their own.
    pub span: Option<(i64, i64)>,
}

/// The [`Density`] of the rows `conds` keep (None: no row).
///
/// # Errors
/// The server's or the connection's.
pub fn density(c: &Client, conds: &[String]) -> Result<Option<Density>, ChError> {
    let text = c.exec(&format!(
        "SELECT count(), min(time_ns), max(time_ns), countIf(has_time = 1), minIf(time_ns, has_time = 1), \
         maxIf(time_ns, has_time = 1) FROM {}{} FORMAT TabSeparated",
        c.target.sql_name(),
        where_clause(conds)
    ))?;
    let v: Vec<i64> = text.trim().split('\t').filter_map(|s| s.parse().ok()).collect();
    let [rows, min, max, timed, first, last] = v[..] else {
        return Err(ChError::Server(200, format!("unexpected answer {text:?}")));
    };
    Ok((rows > 0).then_some(Density { min, max, rows: rows as u64, span: (timed > 0).then_some((first, last)) }))
}

/// Up to `n` rows of the rows `conds` keep, from a place, in the table's order (the rows
/// before a place or at the end come in that order too).
///
/// Two reads: the keys of the page first (a top-n over the key columns only), then the text of
/// just those rows. The keys are looked for in a time range next to the place, sized from the
/// density for a few pages and widened sixteenfold until it holds `n` rows or covers the rest
/// of the table: with the range on the partition and index key, a page costs about the same
/// at the start of ten million rows as in their middle.
///
/// # Errors
/// The server's or the connection's.
pub fn page(c: &Client, conds: &[String], from: &PageFrom, n: usize, d: &Density) -> Result<Vec<PageRow>, ChError> {
    let mut base = conds.to_vec();
    let desc = matches!(from, PageFrom::End | PageFrom::Before(_));
    let anchor = match from {
        PageFrom::Start => d.min,
        PageFrom::End => d.max,
        PageFrom::After(k) | PageFrom::Before(k) | PageFrom::From(k) => k.time_ns,
    };
    match from {
        PageFrom::Start | PageFrom::End => {}
        PageFrom::After(k) => base.push(k.beyond_sql(true)),
        PageFrom::Before(k) => base.push(k.beyond_sql(false)),
        PageFrom::From(k) => {
            base.push(format!("NOT {}", k.beyond_sql(false)));
            if k.time_ns >= 0 {
                base.push(format!("ts >= toDateTime({})", k.time_ns.div_euclid(1_000_000_000)));
            }
        }
    }
    let dir = if desc { " DESC" } else { "" };
    let per_row = (d.max.saturating_sub(d.min) / d.rows.max(1) as i64).max(1);
    let mut width = per_row.saturating_mul(n as i64 * 4).max(1_000_000_000);
    let keys = loop {
        let mut all = base.clone();
        let bound = if desc { anchor.saturating_sub(width) } else { anchor.saturating_add(width) };
        let last = if desc { bound <= d.min } else { bound >= d.max };
        if !last {
            if desc {
                all.push(format!("time_ns >= {bound}"));
                if bound >= 0 {
                    all.push(format!("ts >= toDateTime({})", bound.div_euclid(1_000_000_000)));
                }
            } else {
                all.push(format!("time_ns <= {bound}"));
                if anchor >= 0 {
                    all.push(format!("ts <= toDateTime({})", bound.div_euclid(1_000_000_000)));
                }
            }
        }
        let text = c.exec(&format!(
            "SELECT time_ns, source, offset FROM {} FINAL{} ORDER BY time_ns{dir}, source{dir}, offset{dir} LIMIT {n} FORMAT TabSeparated",
            c.target.sql_name(),
            where_clause(&all)
        ))?;
        let keys: Vec<RowKey> = text
            .lines()
            .filter_map(|l| {
                let mut it = l.split('\t');
                let time_ns = it.next()?.parse().ok()?;
                let source = unescape_tsv(it.next()?);
                let offset = it.next()?.parse().ok()?;
                Some(RowKey { time_ns, source, offset })
            })
            .collect();
        if keys.len() >= n || last {
            break keys;
        }
        width = width.saturating_mul(16);
    };
    let mut keys = keys;
    keys.sort();
    let (Some(lo), Some(hi)) = (keys.first(), keys.last()) else { return Ok(Vec::new()) };
    let mut conds = vec![format!("time_ns >= {}", lo.time_ns), format!("time_ns <= {}", hi.time_ns)];
    if lo.time_ns >= 0 {
        conds.push(format!("ts >= toDateTime({})", lo.time_ns.div_euclid(1_000_000_000)));
        conds.push(format!("ts <= toDateTime({})", hi.time_ns.div_euclid(1_000_000_000)));
    }
    let tuples: Vec<String> = keys.iter().map(|k| format!("({}, {})", quote(&k.source), k.offset)).collect();
    conds.push(format!("(source, offset) IN ({})", tuples.join(", ")));
    let text = c.exec(&format!(
        "SELECT time_ns, source, offset, path, raw FROM {} FINAL{} ORDER BY time_ns, source, offset FORMAT TabSeparated",
        c.target.sql_name(),
        where_clause(&conds)
    ))?;
    let mut rows: Vec<PageRow> = Vec::with_capacity(keys.len());
    for l in text.lines() {
        let mut it = l.splitn(5, '\t');
        let (Some(t), Some(s), Some(o), Some(p), Some(r)) = (it.next(), it.next(), it.next(), it.next(), it.next())
        else {
            continue;
        };
        let (Ok(time_ns), Ok(offset)) = (t.parse(), o.parse()) else { continue };
        let key = RowKey { time_ns, source: unescape_tsv(s), offset };
        // Only the rows of the page (an equal key twice: rows not merged yet, one kept).
        if keys.binary_search(&key).is_ok() && rows.last().is_none_or(|r| r.key != key) {
            rows.push(PageRow { key, path: unescape_tsv(p), raw: unescape_tsv(r) });
        }
    }
    Ok(rows)
}

/// How many of the rows `conds` keep come before a row.
///
/// # Errors
/// The server's or the connection's.
pub fn count_before(c: &Client, conds: &[String], key: &RowKey) -> Result<u64, ChError> {
    let mut all = conds.to_vec();
    all.push(key.beyond_sql(false));
    count(c, &all)
}

/// The rows `conds` keep with a time of their own, per time bucket and level (index 6: none):
/// `n` buckets of `width` ns from `start`, rows before the first counted in it and rows past
/// the last in the last (as the TUI counts its local entries).
///
/// # Errors
/// The server's or the connection's.
pub fn histogram(c: &Client, conds: &[String], start: i64, width: i64, n: usize) -> Result<Vec<[u64; 7]>, ChError> {
    let mut all = conds.to_vec();
    all.push("has_time = 1".into());
    let last = n.max(1) as i64 - 1;
    let text = c.exec(&format!(
        "SELECT least(greatest(intDiv(time_ns - ({start}), {width}), 0), {last}) AS b, level, count() FROM {} FINAL{} \
         GROUP BY b, level FORMAT TabSeparated",
        c.target.sql_name(),
        where_clause(&all),
        width = width.max(1)
    ))?;
    let mut out = vec![[0u64; 7]; n.max(1)];
    for l in text.lines() {
        let mut it = l.split('\t');
        let (Some(b), Some(level), Some(k)) = (it.next(), it.next(), it.next()) else { continue };
        let (Ok(b), Ok(k)) = (b.parse::<usize>(), k.parse::<u64>()) else { continue };
        let li = crate::entry::LEVELS.iter().position(|l| l.as_str() == level).unwrap_or(6);
        if let Some(slot) = out.get_mut(b) {
            slot[li] += k;
        }
    }
    Ok(out)
}

/// The most frequent values (up to 500) of a well-known field (`host`, `service`, `user`,
/// `ip`, `request_id`) among the rows `conds` keep; None for another field.
///
/// # Errors
/// The server's or the connection's.
pub fn top_values(c: &Client, conds: &[String], field: &str) -> Option<Result<Vec<(String, u64)>, ChError>> {
    let w = WellKnown::from_key(field)?;
    let (_, col) = KNOWN_COLUMNS.iter().find(|(k, _)| *k == w)?;
    let mut all = conds.to_vec();
    all.push(format!("{col} != ''"));
    let sql = format!(
        "SELECT {col}, count() AS n FROM {} FINAL{} GROUP BY {col} ORDER BY n DESC, {col} LIMIT 500 FORMAT TabSeparated",
        c.target.sql_name(),
        where_clause(&all)
    );
    Some(c.exec(&sql).map(|text| {
        text.lines()
            .filter_map(|l| {
                let (v, n) = l.rsplit_once('\t')?;
                Some((unescape_tsv(v), n.parse().ok()?))
            })
            .collect()
    }))
}

/// The first entries of a file shipped into a table (format detection reads these, as it
/// reads a file's start).
///
/// # Errors
/// The server's or the connection's.
pub fn head(c: &Client, source: &str) -> Result<Vec<u8>, ChError> {
    // The text of the first 64 KiB only (PREWHERE reads `raw` of the rows it keeps), else of
    // the whole file (a first entry longer than that).
    for bound in [" AND offset < 65536", ""] {
        let text = c.exec(&format!(
            "SELECT raw FROM {} PREWHERE source = {}{bound} ORDER BY offset LIMIT 64 FORMAT TabSeparatedRaw",
            c.target.sql_name(),
            quote(source)
        ))?;
        if !text.is_empty() || bound.is_empty() {
            return Ok(text.into_bytes());
        }
    }
    Ok(Vec::new())
}

fn unescape_tsv(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut it = s.chars();
    while let Some(c) = it.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match it.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('0') => out.push('\0'),
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some(o) => out.push(o),
            None => out.push('\\'),
        }
    }
    out
}

/// A stable fingerprint of a file's first line (FNV-1a, 64 bits, with its length): the
/// same for the file under any name, renamed, copied or gzipped.
pub fn fingerprint(first_line: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in first_line {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}-{}", first_line.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        let t = Target::parse("clickhouse://127.0.0.1/logs.app").unwrap();
        assert_eq!(t.base, "http://127.0.0.1:8123");
        assert_eq!(t.sql_name(), "`logs`.`app`");
        let t = Target::parse("clickhouses://ops@ch.example.org:9443/logs.app").unwrap();
        assert_eq!(t.base, "https://ch.example.org:9443");
        assert_eq!(t.user.as_deref(), Some("ops"));
        let e = Target::parse("clickhouse://ops:hunter2@h/logs.app").unwrap_err();
        assert!(e.contains("LOGX_CLICKHOUSE_PASSWORD") && !e.contains("hunter2"), "{e}");
        assert!(Target::parse("clickhouse://h/logs.app`; DROP TABLE x").is_err());
        assert!(Target::parse("clickhouse://h/logs").is_err());
        assert!(Target::parse("clickhouse://h;rm/logs.t").is_err());
    }

    #[test]
    fn rows_are_json_whatever_the_time() {
        let mut e = Entry { raw: b"x", offset: 42, ..Entry::default() };
        e.msg = "say \"hi\"".into();
        for key in [i64::MIN, -5, 0, 1_763_078_400_010_000_000] {
            let (mut out, mut scratch) = (Vec::new(), Vec::new());
            write_row(&e, key, "fp", "app.log", &mut out, &mut scratch);
            let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
            assert_eq!(v["time_ns"].as_i64(), Some(key));
            assert_eq!(v["offset"].as_u64(), Some(42));
            assert_eq!(v["message"], "say \"hi\"");
            assert_eq!(v["fields"], "{}");
        }
    }

    #[test]
    fn where_expressions_on_well_known_fields_use_their_columns() {
        let sql = |exprs: &[&str]| {
            let spec = crate::query::QuerySpec {
                wheres: exprs.iter().map(|e| e.to_string()).collect(),
                ..crate::query::QuerySpec::default()
            };
            let q = crate::query::Query::compile(&spec, &crate::time::Zone::Utc, 0).unwrap();
            pushdown(&q).0
        };
        assert_eq!(sql(&["user=bob"]), ["(user = 'bob')"]);
        assert_eq!(sql(&["user=bob", "user=b'x*"]), [r"(user = 'bob' OR substring(user, 1, 3) = 'b\'x')"]);
        assert_eq!(sql(&["service!=billing"]), ["(NOT (service = 'billing'))"]);
        assert_eq!(
            sql(&["request_id=r-1", "host!=node*"]),
            ["(request_id = 'r-1')", "(NOT (substring(host, 1, 4) = 'node'))"]
        );
        // Left to the local engine: values a field of that name may hold instead, other keys'
        // comparisons, regexes.
        let has = |s: &str| format!("(position(raw, '{s}') > 0 OR {MAY_DIFFER})");
        let keyed = "format NOT IN ('pino', 'bunyan', 'zap', 'logrus', 'ecs', 'structlog', 'serilog', 'gelf', 'journald', 'json', 'logfmt')";
        assert_eq!(sql(&["user=-"]), [format!("({})", has("-"))]);
        assert!(sql(&["user!="]).is_empty());
        assert!(sql(&["status!=500"]).is_empty());
        assert!(sql(&["status!~=5.."]).is_empty());
        assert!(sql(&["!pid?"]).is_empty());
        assert_eq!(sql(&["status=500"]), [format!("({})", has("500"))]);
        // Comparisons that need the field need its key (or the well-known value it names).
        assert_eq!(sql(&["status>=500"]), [format!("(({keyed} OR {}))", has("status"))]);
        assert_eq!(sql(&["req.method~=^P"]), [format!("(({keyed} OR {}))", has("req"))]);
        assert_eq!(sql(&["fields.pid?"]), [format!("(({keyed} OR {}))", has("pid"))]);
        assert_eq!(sql(&["user~=^b"]), [format!("(({keyed} OR {} OR user != ''))", has("user"))]);
        assert_eq!(sql(&["UserName?"]), [format!("(({keyed} OR {} OR user != ''))", has("UserName"))]);
        assert!(sql(&["msg~=x", "level>=3", "ts?"]).is_empty());
    }

    #[test]
    fn case_sensitive_literal_searches_are_answered_on_the_message_column() {
        let push = |spec: crate::query::QuerySpec| {
            pushdown(&crate::query::Query::compile(&spec, &crate::time::Zone::Utc, 0).unwrap())
        };
        let fixed = |f: &[&str]| f.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let spec = crate::query::QuerySpec { fixed: fixed(&["it's", "a/b"]), ..Default::default() };
        assert_eq!(
            push(spec),
            (vec![r"(position(message, 'it\'s') > 0 OR position(message, 'a/b') > 0)".into()], true)
        );
        let spec = crate::query::QuerySpec { fixed: fixed(&["x"]), invert: true, ..Default::default() };
        assert_eq!(push(spec), (vec!["NOT (position(message, 'x') > 0)".into()], true));
        // case-insensitive, a regex, another scope: a superset, checked locally
        let spec = crate::query::QuerySpec { fixed: fixed(&["x"]), ignore_case: true, ..Default::default() };
        assert!(!push(spec).1);
        let spec = crate::query::QuerySpec { grep: fixed(&["x+"]), ..Default::default() };
        assert!(!push(spec).1);
        let spec = crate::query::QuerySpec { fixed: fixed(&["x"]), all_fields: true, ..Default::default() };
        assert!(!push(spec).1);
    }

    #[test]
    fn literals_cannot_escape() {
        assert_eq!(quote("it's"), r"'it\'s'");
        assert_eq!(quote(r"a\'b"), r"'a\\\'b'");
        assert_eq!(quote("a\0b\nc"), r"'a\0b\nc'");
        assert_eq!(quote("\u{1b}[31m"), r"'\x1B[31m'");
        assert_eq!(unescape_tsv(r"a\tb\\c\nd"), "a\tb\\c\nd");
    }
}
