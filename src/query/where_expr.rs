//! `--where` expressions: `key=value`, `key!=value`, `key~=regex`, `key!~=regex`, `key>n`,
//! `key<n`, `key>=n`, `key<=n`, `key=prefix*`, `key?` (has the field), `!key?` (has not).
//! Keys are contract keys (`msg`, `level`, `user`, ...), field names, aliases (`UserName`)
//! or dotted paths into nested JSON (`req.method`). On `level`, comparisons follow severity.

use crate::entry::{Entry, Level};
use crate::query::Pattern;

/// The comparison.
#[derive(Clone, Debug)]
pub enum Op {
    /// `=` (with a trailing `*`, a prefix).
    Eq(Pattern),
    /// `!=`.
    Ne(Pattern),
    /// `~=`.
    Re(regex::Regex),
    /// `!~=`.
    NotRe(regex::Regex),
    /// `>`, `>=`, `<`, `<=` on numbers (or levels).
    Cmp(std::cmp::Ordering, bool, f64),
    /// `?`.
    Has,
    /// `!key?`.
    HasNot,
}

impl Op {
    /// `=` and `~=` of one key combine with OR.
    pub fn is_positive_match(&self) -> bool {
        matches!(self, Op::Eq(_) | Op::Re(_))
    }
}

/// One expression.
#[derive(Clone, Debug)]
pub struct Where {
    /// The key.
    pub key: String,
    /// The comparison.
    pub op: Op,
}

fn valid_key(k: &str) -> bool {
    !k.is_empty()
        && k.bytes().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'@' | b'$' | b'-' | b'/'))
}

const SYNTAX: &str = "expected key=value, key!=value, key~=regex, key>n, key<n, key=prefix* or key?";

impl Where {
    /// Parses an expression.
    ///
    /// # Errors
    /// A message saying what is wrong.
    pub fn parse(s: &str) -> Result<Where, String> {
        let t = s.trim();
        if let Some(k) = t.strip_suffix('?') {
            let (neg, k) = match k.strip_prefix('!') {
                Some(k) => (true, k),
                None => (false, k),
            };
            if !valid_key(k) {
                return Err(format!("'{k}' is not a field name; {SYNTAX}"));
            }
            return Ok(Where { key: k.to_string(), op: if neg { Op::HasNot } else { Op::Has } });
        }
        let ops: [(&str, u8); 8] =
            [("!~=", 0), ("~=", 1), ("!=", 2), (">=", 3), ("<=", 4), ("=", 5), (">", 6), ("<", 7)];
        // The first operator character in the string decides.
        let pos = t.find(['=', '!', '~', '<', '>']).ok_or_else(|| SYNTAX.to_string())?;
        let key = &t[..pos];
        if !valid_key(key) {
            return Err(if key.is_empty() {
                format!("missing field name; {SYNTAX}")
            } else {
                format!("'{key}' is not a field name; {SYNTAX}")
            });
        }
        let rest = &t[pos..];
        let (op_s, kind) = ops.iter().find(|(o, _)| rest.starts_with(o)).ok_or_else(|| SYNTAX.to_string())?;
        let value = &rest[op_s.len()..];
        let num = |v: &str| -> Result<f64, String> {
            if key == "level" {
                return Level::parse_user(v).map(|l| l.index() as f64).ok_or_else(|| format!("'{v}' is not a level"));
            }
            v.trim().parse::<f64>().map_err(|_| format!("'{v}' is not a number"))
        };
        use std::cmp::Ordering::*;
        let op = match kind {
            0 => Op::NotRe(regex::Regex::new(value).map_err(|e| format!("invalid regex: {e}"))?),
            1 => Op::Re(regex::Regex::new(value).map_err(|e| format!("invalid regex: {e}"))?),
            2 => Op::Ne(Pattern::new(value)),
            3 => Op::Cmp(Greater, true, num(value)?),
            4 => Op::Cmp(Less, true, num(value)?),
            5 => Op::Eq(Pattern::new(value)),
            6 => Op::Cmp(Greater, false, num(value)?),
            _ => Op::Cmp(Less, false, num(value)?),
        };
        Ok(Where { key: key.to_string(), op })
    }

    /// Whether an entry satisfies the expression.
    pub fn matches(&self, e: &Entry<'_>) -> bool {
        let v = e.field(&self.key);
        match &self.op {
            Op::Has => v.is_some(),
            Op::HasNot => v.is_none(),
            Op::Eq(p) => v.is_some_and(|v| p.matches(&v)),
            Op::Ne(p) => !v.is_some_and(|v| p.matches(&v)),
            Op::Re(r) => v.is_some_and(|v| r.is_match(&v)),
            Op::NotRe(r) => !v.is_some_and(|v| r.is_match(&v)),
            Op::Cmp(ord, or_eq, n) => {
                let x = if self.key == "level" {
                    e.level.map(|l| l.index() as f64)
                } else {
                    v.and_then(|v| v.trim().parse::<f64>().ok())
                };
                match x.and_then(|x| x.partial_cmp(n)) {
                    Some(o) => o == *ord || (*or_eq && o == std::cmp::Ordering::Equal),
                    None => false,
                }
            }
        }
    }
}
