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

/// Keys that name a JSON dialect: the flags each sets for a number and for any other value.
const FLAG_KEYS: &[(&str, u32, u32)] = {
    use flag::*;
    &[
        ("log", LOG, LOG),
        ("stream", STREAM, STREAM),
        ("__REALTIME_TIMESTAMP", JOURNALD, JOURNALD),
        ("__CURSOR", JOURNALD, JOURNALD),
        ("PRIORITY", JOURNALD, JOURNALD),
        ("short_message", GELF, GELF),
        ("@t", SERILOG, SERILOG),
        ("@mt", SERILOG, SERILOG),
        ("@m", SERILOG, SERILOG),
        ("messageTemplate", SERILOG, SERILOG),
        ("ecs.version", ECS, ECS),
        ("log.level", ECS, ECS),
        ("v", V_KEY, V_KEY),
        ("hostname", HOSTNAME, HOSTNAME),
        ("level", NUM_LEVEL, STR_LEVEL),
        ("time", NUM_TIME, TIME_STR),
        ("ts", TS_KEY, TS_KEY),
        ("event", STRUCTLOG, STRUCTLOG),
        ("msg", MSG_KEY, MSG_KEY),
    ]
};

/// Slots of the open-addressing index: a power of two, under a quarter full, so that a key
/// that is neither an alias nor a dialect's key mostly ends at its first, empty, slot.
const SLOTS: usize = 512;

/// What a key means and which dialect flags it sets (for a number and for any other value).
#[derive(Clone, Copy)]
struct KeyInfo {
    key: &'static str,
    role: Option<Role>,
    flags_num: u32,
    flags_other: u32,
}

struct Index {
    keys: Vec<KeyInfo>,
    /// Position in `keys` plus one; 0 is an empty slot.
    slots: [u8; SLOTS],
}

/// From the length and the first, middle and last bytes: no loop over the key.
#[inline]
fn slot_of(key: &[u8]) -> usize {
    let n = key.len();
    let (Some(&first), Some(&last)) = (key.first(), key.last()) else { return 0 };
    let h = (n as u32).wrapping_mul(0x9E37_79B1)
        ^ u32::from(first).wrapping_mul(0x85EB_CA77)
        ^ u32::from(last).wrapping_mul(0xC2B2_AE3D)
        ^ u32::from(key[n / 2]).wrapping_mul(0x27D4_EB2F);
    (h >> 23) as usize & (SLOTS - 1)
}

fn index() -> &'static Index {
    static IDX: OnceLock<Index> = OnceLock::new();
    IDX.get_or_init(|| {
        let mut keys: Vec<KeyInfo> = Vec::new();
        for k in ALIASES.iter().map(|(k, _)| *k).chain(FLAG_KEYS.iter().map(|(k, _, _)| *k)) {
            if keys.iter().any(|x| x.key == k) {
                continue;
            }
            let role = ALIASES.iter().find(|(a, _)| *a == k).map(|(_, r)| *r);
            let (flags_num, flags_other) =
                FLAG_KEYS.iter().find(|(f, _, _)| *f == k).map_or((0, 0), |(_, n, o)| (*n, *o));
            keys.push(KeyInfo { key: k, role, flags_num, flags_other });
        }
        assert!(keys.len() < 255 && keys.len() * 4 <= SLOTS, "the alias index is too full");
        let mut slots = [0u8; SLOTS];
        for (i, info) in keys.iter().enumerate() {
            let mut h = slot_of(info.key.as_bytes());
            while slots[h] != 0 {
                h = (h + 1) & (SLOTS - 1);
            }
            slots[h] = i as u8 + 1;
        }
        Index { keys, slots }
    })
}

#[inline]
fn info(key: &str) -> Option<&'static KeyInfo> {
    let idx = index();
    let key = key.as_bytes();
    let mut h = slot_of(key);
    loop {
        let s = idx.slots[h];
        if s == 0 {
            return None;
        }
        let info = &idx.keys[s as usize - 1];
        if info.key.as_bytes() == key {
            return Some(info);
        }
        h = (h + 1) & (SLOTS - 1);
    }
}

/// The role of a key, if it has one.
#[inline]
pub fn lookup(key: &str) -> Option<Role> {
    info(key).and_then(|i| i.role)
}

/// [`lookup`] and [`key_flags`] of a key and its value, from one probe of the index.
#[inline]
pub fn lookup_with_flags(key: &str, v: &Raw<'_>) -> (Option<Role>, u32) {
    match info(key) {
        Some(i) => (i.role, if v.kind == Kind::Num { i.flags_num } else { i.flags_other }),
        None => (None, 0),
    }
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
    lookup_with_flags(key, v).1
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
        // Every key of both tables is found with its role and flags; near misses are not.
        let others =
            ["nope", "", "Level", "levels", "msg2", "x-request-i", "__CURSOR_", "@", "trace.idx", "log.levels"];
        for k in ALIASES.iter().map(|(k, _)| *k).chain(FLAG_KEYS.iter().map(|(k, _, _)| *k)).chain(others) {
            let role = ALIASES.iter().find(|(a, _)| *a == k).map(|(_, r)| *r);
            let flags = FLAG_KEYS.iter().find(|(f, _, _)| *f == k).map_or((0, 0), |(_, n, o)| (*n, *o));
            assert_eq!(lookup(k), role, "{k}");
            for (kind, want) in [(Kind::Num, flags.0), (Kind::Str, flags.1), (Kind::Obj, flags.1)] {
                let v = Raw { kind, text: "", escaped: false };
                assert_eq!(lookup_with_flags(k, &v), (role, want), "{k} {kind:?}");
            }
        }
        assert_eq!(key_flags("level", &Raw { kind: Kind::Num, text: "30", escaped: false }), flag::NUM_LEVEL);
        assert_eq!(key_flags("level", &Raw { kind: Kind::Str, text: "info", escaped: false }), flag::STR_LEVEL);
        assert_eq!(lookup("Level"), None);
    }
}
