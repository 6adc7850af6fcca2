//! The alias table: which key names mean the timestamp, the level, the message and the
//! well-known fields, in every structured format (JSON, logfmt, key=value pairs in text).
//!
//! The table is data ([`ALIASES`]); the README's alias table is generated from it and a test
//! checks that they agree. Lookup goes through a small hash index built once.

use std::sync::OnceLock;

use crate::entry::WellKnown;
use crate::format::json::{Kind, Raw};

/// What a key means.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// The timestamp.
    Ts,
    /// The level.
    Level,
    /// The message.
    Msg,
    /// A message template to render with the other fields (Serilog's `@mt`).
    Template,
    /// A well-known field.
    Known(WellKnown),
}

use Role::*;
use WellKnown::*;

/// Key names and their meaning. The first key found for a role wins; later ones stay fields.
pub const ALIASES: &[(&str, Role)] = &[
    ("time", Ts),
    ("ts", Ts),
    ("timestamp", Ts),
    ("@timestamp", Ts),
    ("@t", Ts),
    ("t", Ts),
    ("date", Ts),
    ("datetime", Ts),
    ("Timestamp", Ts),
    ("asctime", Ts),
    ("eventTime", Ts),
    ("log_time", Ts),
    ("__REALTIME_TIMESTAMP", Ts),
    ("started_at", Ts),
    ("instant", Ts),
    ("EdgeStartTimestamp", Ts),
    ("level", Level),
    ("lvl", Level),
    ("severity", Level),
    ("loglevel", Level),
    ("log_level", Level),
    ("log.level", Level),
    ("levelname", Level),
    ("@l", Level),
    ("PRIORITY", Level),
    ("severityText", Level),
    ("s", Level),
    ("msg", Msg),
    ("message", Msg),
    ("@m", Msg),
    ("MESSAGE", Msg),
    ("short_message", Msg),
    ("event", Msg),
    ("log", Msg),
    ("Message", Msg),
    ("@mt", Template),
    ("messageTemplate", Template),
    ("service", Known(Service)),
    ("service.name", Known(Service)),
    ("service_name", Known(Service)),
    ("logger", Known(Service)),
    ("logger_name", Known(Service)),
    ("loggerName", Known(Service)),
    ("component", Known(Service)),
    ("app", Known(Service)),
    ("application", Known(Service)),
    ("app_name", Known(Service)),
    ("target", Known(Service)),
    ("name", Known(Service)),
    ("SYSLOG_IDENTIFIER", Known(Service)),
    ("c", Known(Service)),
    ("host", Known(Host)),
    ("hostname", Known(Host)),
    ("host.name", Known(Host)),
    ("_HOSTNAME", Known(Host)),
    ("instance", Known(Host)),
    ("node", Known(Host)),
    ("server", Known(Host)),
    ("user", Known(User)),
    ("UserName", Known(User)),
    ("username", Known(User)),
    ("user_name", Known(User)),
    ("userName", Known(User)),
    ("user_id", Known(User)),
    ("userId", Known(User)),
    ("user.name", Known(User)),
    ("usr", Known(User)),
    ("ip", Known(Ip)),
    ("RemoteAddress", Known(Ip)),
    ("remote_addr", Known(Ip)),
    ("remoteAddr", Known(Ip)),
    ("remote_ip", Known(Ip)),
    ("remoteIp", Known(Ip)),
    ("client_ip", Known(Ip)),
    ("clientIp", Known(Ip)),
    ("ClientIP", Known(Ip)),
    ("src_ip", Known(Ip)),
    ("source_ip", Known(Ip)),
    ("ip_address", Known(Ip)),
    ("client.ip", Known(Ip)),
    ("request_id", Known(RequestId)),
    ("requestId", Known(RequestId)),
    ("RequestId", Known(RequestId)),
    ("RequestID", Known(RequestId)),
    ("Request-Id", Known(RequestId)),
    ("reqId", Known(RequestId)),
    ("req_id", Known(RequestId)),
    ("SpanRootUuid", Known(RequestId)),
    ("trace_id", Known(RequestId)),
    ("traceId", Known(RequestId)),
    ("TraceId", Known(RequestId)),
    ("trace.id", Known(RequestId)),
    ("x-request-id", Known(RequestId)),
    ("X-Request-Id", Known(RequestId)),
    ("X-Request-ID", Known(RequestId)),
    ("correlation_id", Known(RequestId)),
    ("correlationId", Known(RequestId)),
    ("rid", Known(RequestId)),
];

/// Paths into nested objects tried for a role the top level did not have.
pub const NESTED: &[(&str, Role)] = &[
    ("fields.message", Msg),
    ("@fields.msg", Msg),
    ("@fields.message", Msg),
    ("attributes.message", Msg),
    ("@fields.lvl", Level),
    ("@fields.level", Level),
    ("log.level", Level),
    ("@fields.ts", Ts),
    ("@fields.timestamp", Ts),
];

/// Paths into nested objects (object key, path inside it) tried for a well-known field the
/// top level did not have.
pub const NESTED_KNOWN: &[(&str, &str, WellKnown)] = &[
    ("service", "name", Service),
    ("log", "logger", Service),
    ("host", "name", Host),
    ("host", "hostname", Host),
    ("user", "name", User),
    ("user", "id", User),
    ("client", "ip", Ip),
    ("source", "ip", Ip),
    ("request", "remote_ip", Ip),
    ("req", "remoteAddress", Ip),
    ("trace", "id", RequestId),
    ("req", "id", RequestId),
    ("req", "headers.x-request-id", RequestId),
];

struct Index {
    buckets: Vec<Vec<u16>>,
}

fn bucket(key: &[u8]) -> usize {
    let mut h: u32 = key.len() as u32;
    for &c in key.iter().take(4) {
        h = h.wrapping_mul(31).wrapping_add(c as u32);
    }
    if let Some(&c) = key.last() {
        h = h.wrapping_mul(31).wrapping_add(c as u32);
    }
    (h as usize) & 255
}

fn index() -> &'static Index {
    static IDX: OnceLock<Index> = OnceLock::new();
    IDX.get_or_init(|| {
        let mut buckets = vec![Vec::new(); 256];
        for (i, (k, _)) in ALIASES.iter().enumerate() {
            buckets[bucket(k.as_bytes())].push(i as u16);
        }
        Index { buckets }
    })
}

/// The role of a key, if it has one.
#[inline]
pub fn lookup(key: &str) -> Option<Role> {
    let idx = index();
    for &i in &idx.buckets[bucket(key.as_bytes())] {
        let (k, r) = ALIASES[i as usize];
        if k == key {
            return Some(r);
        }
    }
    None
}

/// The alias table as Markdown (the README's table, and `logx formats aliases`): one row per
/// normalized key with the source keys that fill it, top level first, then nested paths.
pub fn markdown_table() -> String {
    let rows: [(&str, Role, &str); 9] = [
        ("ts", Ts, "the timestamp"),
        ("level", Level, "the level (words, numbers of pino/bunyan, syslog priorities)"),
        ("msg", Msg, "the message"),
        ("msg", Template, "a message template rendered with the entry's fields (Serilog)"),
        ("service", Known(WellKnown::Service), "the service, logger or component"),
        ("host", Known(WellKnown::Host), "the host or instance"),
        ("user", Known(WellKnown::User), "the user"),
        ("ip", Known(WellKnown::Ip), "the client address"),
        ("request_id", Known(WellKnown::RequestId), "the request (audit grouping)"),
    ];
    let mut out = String::from("| normalized | from these keys | meaning |\n|---|---|---|\n");
    for (key, role, meaning) in rows {
        let mut keys: Vec<String> = ALIASES.iter().filter(|(_, r)| *r == role).map(|(k, _)| format!("`{k}`")).collect();
        keys.extend(NESTED.iter().filter(|(_, r)| *r == role).map(|(k, _)| format!("`{k}`")));
        if let Known(w) = role {
            keys.extend(NESTED_KNOWN.iter().filter(|(_, _, x)| *x == w).map(|(o, p, _)| format!("`{o}.{p}`")));
        }
        let mut seen = std::collections::HashSet::new();
        keys.retain(|k| seen.insert(k.clone()));
        out.push_str(&format!("| `{key}` | {} | {meaning} |\n", keys.join(" ")));
    }
    out
}

/// The contract key a user may write for a role's aliases (`--where user=...` finds
/// `UserName`): the well-known fields resolve through the entry; this lists the aliases.
pub fn aliases_of(w: WellKnown) -> impl Iterator<Item = &'static str> {
    ALIASES.iter().filter(move |(_, r)| *r == Known(w)).map(|(k, _)| *k)
}

/// Key flags used to name the JSON dialect.
pub mod flag {
    /// `log` key (Docker json-file).
    pub const LOG: u32 = 1;
    /// `stream` key (Docker json-file).
    pub const STREAM: u32 = 2;
    /// Docker's json-file: `log` and `stream`.
    pub const DOCKER: u32 = LOG | STREAM;
    /// journald export.
    pub const JOURNALD: u32 = 4;
    /// GELF.
    pub const GELF: u32 = 8;
    /// Serilog compact.
    pub const SERILOG: u32 = 16;
    /// Elastic Common Schema.
    pub const ECS: u32 = 32;
    /// `v` key (bunyan).
    pub const V_KEY: u32 = 64;
    /// `hostname` key.
    pub const HOSTNAME: u32 = 128;
    /// bunyan: `v` and `hostname`.
    pub const BUNYAN: u32 = V_KEY | HOSTNAME;
    /// A numeric `level`.
    pub const NUM_LEVEL: u32 = 256;
    /// A numeric `time`.
    pub const NUM_TIME: u32 = 512;
    /// A `ts` key.
    pub const TS_KEY: u32 = 1024;
    /// A string `level`.
    pub const STR_LEVEL: u32 = 2048;
    /// zap: `ts` and a string `level`.
    pub const ZAP: u32 = TS_KEY | STR_LEVEL;
    /// structlog's `event`.
    pub const STRUCTLOG: u32 = 4096;
    /// A string `time`.
    pub const TIME_STR: u32 = 8192;
    /// A `msg` key.
    pub const MSG_KEY: u32 = 16384;
    /// logrus: string `time`, string `level`, `msg`.
    pub const LOGRUS: u32 = TIME_STR | STR_LEVEL | MSG_KEY;
}

/// Flags a key contributes to dialect naming.
#[inline]
pub fn key_flags(key: &str, v: &Raw<'_>) -> u32 {
    use flag::*;
    match key {
        "log" => LOG,
        "stream" => STREAM,
        "__REALTIME_TIMESTAMP" | "__CURSOR" | "PRIORITY" => JOURNALD,
        "short_message" => GELF,
        "@t" | "@mt" | "@m" | "messageTemplate" => SERILOG,
        "ecs.version" | "log.level" => ECS,
        "v" => V_KEY,
        "hostname" => HOSTNAME,
        "level" if v.kind == Kind::Num => NUM_LEVEL,
        "level" => STR_LEVEL,
        "time" if v.kind == Kind::Num => NUM_TIME,
        "time" => TIME_STR,
        "ts" => TS_KEY,
        "event" => STRUCTLOG,
        "msg" => MSG_KEY,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_alias_is_found_and_unique() {
        let mut seen = std::collections::HashSet::new();
        for (k, r) in ALIASES {
            assert!(seen.insert(*k), "duplicate alias {k}");
            assert_eq!(lookup(k), Some(*r), "{k}");
        }
        assert_eq!(lookup("nope"), None);
        assert_eq!(lookup("Level"), None);
    }
}
