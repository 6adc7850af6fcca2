//! The text family: `timestamp [level] [component] message`, which covers Python logging,
//! log4j/logback, Go's log, env_logger/tracing, zap's console output, glog/klog, Apache's and
//! nginx's error logs, plain level-tagged text, and the system logs of loghub.
//!
//! Detection learns a [`TextLayout`] per file from its first lines: which timestamp
//! [`Shape`], at which whitespace-separated token, and where the level word sits after it.
//! A number elsewhere in a message is never taken for a timestamp, because only the learned
//! position is read.

use std::borrow::Cow;

use crate::entry::{Entry, Level, Value, WellKnown};
use crate::format::logfmt;
use crate::time::{self, Parsed, Resolver, Shape};

/// Where a text format keeps its timestamp and level, learned per file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextLayout {
    /// Format name reported for entries (`text`, `apache_error`, `nginx_error`, `glog`).
    pub name: &'static str,
    /// Timestamp shape.
    pub shape: Shape,
    /// Index of the whitespace-separated token where the timestamp starts.
    pub ts_token: u8,
    /// Index (0-based) of the token after the timestamp that holds the level.
    pub level_pos: Option<u8>,
    /// Whether single-letter levels (`D`, `W`) are read at `level_pos`.
    pub letter_level: bool,
    /// Whether the level sits in the token just before the timestamp.
    pub level_before: bool,
    /// Whether fields are separated by tabs only (TSV logs: every line has several tabs).
    pub tabs: bool,
    /// Whether the layout was learned from a constant prefix before a mid-line timestamp
    /// (`# Time: ...` in MySQL's slow log): strong evidence even on a minority of lines.
    pub anchored: bool,
}

/// Byte position where the `k`-th whitespace-separated token starts.
#[inline]
pub fn token_start(line: &[u8], k: usize) -> Option<usize> {
    token_start_sep(line, k, false)
}

#[inline]
fn is_sep(c: u8, tabs: bool) -> bool {
    c == b'\t' || (!tabs && c == b' ')
}

/// Byte position where the `k`-th token starts; tokens are separated by tabs only when
/// `tabs`, else by spaces and tabs.
#[inline]
pub fn token_start_sep(line: &[u8], k: usize, tabs: bool) -> Option<usize> {
    let mut i = 0;
    let n = line.len();
    while i < n && is_sep(line[i], tabs) {
        i += 1;
    }
    for _ in 0..k {
        while i < n && !is_sep(line[i], tabs) {
            i += 1;
        }
        while i < n && is_sep(line[i], tabs) {
            i += 1;
        }
    }
    (i < n).then_some(i)
}

/// Skips an opening bracket before a timestamp.
#[inline]
fn skip_open(line: &[u8], i: usize) -> usize {
    match line.get(i) {
        Some(b'[' | b'(' | b'<' | b'"') => i + 1,
        _ => i,
    }
}

/// The timestamp of `line` at the layout's position: (parsed, start, end).
#[inline]
pub fn ts_at(line: &[u8], layout_shape: Shape, ts_token: usize) -> Option<(Parsed, usize, usize)> {
    ts_at_sep(line, layout_shape, ts_token, false)
}

/// [`ts_at`] with a choice of separators.
#[inline]
pub fn ts_at_sep(line: &[u8], layout_shape: Shape, ts_token: usize, tabs: bool) -> Option<(Parsed, usize, usize)> {
    let i = skip_open(line, token_start_sep(line, ts_token, tabs)?);
    let (p, n) = time::parse_shape(&line[i..], layout_shape)?;
    Some((p, i, i + n))
}

/// Any timestamp starting within the first `max` tokens: (shape, token index).
pub fn ts_within(line: &[u8], max: usize) -> Option<(Shape, u8)> {
    for k in 0..max {
        let i = skip_open(line, token_start(line, k)?);
        if let Some((_, _, shape)) = time::parse_at(&line[i..]) {
            return Some((shape, k as u8));
        }
    }
    None
}

/// Any timestamp at the first token (per-line fallback for lines of another shape).
pub fn ts_at_start(line: &[u8]) -> Option<(Parsed, usize, usize, Shape)> {
    let i = skip_open(line, token_start(line, 0)?);
    let (p, n, shape) = time::parse_at(&line[i..])?;
    Some((p, i, i + n, shape))
}

/// Where the header after a timestamp starts: past a closing bracket or quote
/// (`[Sat Nov 21 10:00:00 2026]`, `"2014-06-15 01:04:52"`).
#[inline]
fn after_ts(line: &[u8], end: usize) -> usize {
    if matches!(line.get(end), Some(b']' | b')' | b'>' | b'"')) {
        end + 1
    } else {
        end
    }
}

/// Strips the punctuation that surrounds a level word (`[INFO]`, `<warn>`, `ERROR:`).
fn strip_punct(t: &[u8]) -> &[u8] {
    let is_p = |c: &u8| {
        matches!(
            c,
            b'[' | b']' | b'(' | b')' | b'<' | b'>' | b':' | b',' | b'-' | b'|' | b'=' | b'"' | b'*' | b'{' | b'}'
        )
    };
    let start = t.iter().position(|c| !is_p(c)).unwrap_or(t.len());
    let end = t.iter().rposition(|c| !is_p(c)).map_or(start, |e| e + 1);
    &t[start..end.max(start)]
}

/// The level a token names: `INFO`, `[warn]`, `<error>`, `[core:error]`, `laravel.ERROR:`,
/// `DEBUG:foo`; a single upper-case letter only when `letters` allows.
pub fn level_in_token(tok: &[u8], letters: bool) -> Option<Level> {
    let t = strip_punct(tok);
    if t.is_empty() {
        return None;
    }
    if t.len() == 1 {
        return if letters { Level::from_letter(t[0]) } else { None };
    }
    if let Some(l) = std::str::from_utf8(t).ok().and_then(Level::parse_word) {
        return Some(l);
    }
    // `core:error`, `laravel.EMERGENCY`, `DEBUG:foo`: the first or the last segment.
    if let Some(p) = t.iter().position(|&c| c == b':' || c == b'.') {
        let first = std::str::from_utf8(&t[..p]).ok().and_then(Level::parse_word);
        if first.is_some() {
            return first;
        }
        let q = t.iter().rposition(|&c| c == b':' || c == b'.').unwrap_or(p);
        return std::str::from_utf8(&t[q + 1..]).ok().and_then(Level::parse_word);
    }
    None
}

/// Tokens after byte `from`: (start, end) pairs, at most `max`.
fn tokens_after(line: &[u8], from: usize, max: usize, tabs: bool, out: &mut Vec<(usize, usize)>) {
    out.clear();
    let n = line.len();
    let mut i = from;
    while out.len() < max {
        while i < n && is_sep(line[i], tabs) {
            i += 1;
        }
        if i >= n {
            break;
        }
        let s = i;
        while i < n && !is_sep(line[i], tabs) {
            i += 1;
        }
        out.push((s, i));
    }
}

/// The learned layout of a sample of lines, with the number of lines it recognises.
pub fn learn(lines: &[&[u8]]) -> Option<(TextLayout, usize)> {
    use std::collections::HashMap;
    let tabs = lines.len() >= 2 && lines.iter().all(|l| l.iter().filter(|&&c| c == b'\t').count() >= 3);
    let mut votes: HashMap<(Shape, u8), usize> = HashMap::new();
    for line in lines {
        for k in 0..10u8 {
            let Some(i) = token_start_sep(line, k as usize, tabs) else { break };
            let i = skip_open(line, i);
            if let Some((_, _, shape)) = time::parse_at(&line[i..]) {
                *votes.entry((shape, k)).or_default() += 1;
                break;
            }
        }
    }
    let mut best = votes.into_iter().max_by_key(|&((shape, k), n)| (n, std::cmp::Reverse(k), shape == Shape::Iso));
    // Time of day alone (strace, also after a pid): trusted only when most lines have it.
    if best.is_none() || best.is_some_and(|(_, n)| n * 2 < lines.len()) {
        for k in 0..2u8 {
            let n = lines
                .iter()
                .filter(|l| {
                    token_start_sep(l, k as usize, tabs)
                        .is_some_and(|i| time::parse_shape(&l[i..], Shape::TimeOnly).is_some())
                })
                .count();
            if n * 2 >= lines.len() && n > 0 {
                best = Some(((Shape::TimeOnly, k), n));
                break;
            }
        }
    }
    let ((shape, ts_token), matched) = best?;
    // A timestamp in the middle of a line is only trusted when most lines have it there, or
    // when every line that has it shows the same prefix before it (`# Time: ...`);
    // otherwise it is a number inside a message.
    let mut anchored = false;
    if ts_token > 0 && matched * 2 <= lines.len() {
        let mut prefixes =
            lines.iter().filter_map(|l| ts_at_sep(l, shape, ts_token as usize, tabs).map(|(_, s, _)| &l[..s]));
        let first = prefixes.next()?;
        anchored = matched >= 2 && shape != Shape::Epoch && !first.is_empty() && prefixes.all(|p| p == first);
        if !anchored {
            return None;
        }
    }
    // Where the level is: the most common token index after the timestamp.
    let mut level_votes = [0usize; 12];
    let mut letter_votes = [0usize; 12];
    let mut before_votes = 0;
    let mut toks = Vec::new();
    for line in lines {
        let Some((_, start, end)) = ts_at_sep(line, shape, ts_token as usize, tabs) else { continue };
        tokens_after(line, after_ts(line, end), 12, tabs, &mut toks);
        for (idx, &(s, e)) in toks.iter().enumerate() {
            let tok = &line[s..e];
            if level_in_token(tok, false).is_some() {
                level_votes[idx] += 1;
                break;
            }
            if e - s == 1 && level_in_token(tok, true).is_some() {
                letter_votes[idx] += 1;
                break;
            }
        }
        if ts_token > 0 {
            if let Some(ps) = token_start_sep(line, ts_token as usize - 1, tabs) {
                let tok_end = line[ps..start].iter().position(|c| is_sep(*c, tabs)).map_or(start, |e| ps + e);
                if level_in_token(&line[ps..tok_end], false).is_some() {
                    before_votes += 1;
                }
            }
        }
    }
    let (word_idx, word_n) = level_votes
        .iter()
        .enumerate()
        .max_by_key(|&(i, n)| (*n, std::cmp::Reverse(i)))
        .map(|(i, n)| (i, *n))
        .unwrap_or((0, 0));
    let (letter_idx, letter_n) = letter_votes
        .iter()
        .enumerate()
        .max_by_key(|&(i, n)| (*n, std::cmp::Reverse(i)))
        .map(|(i, n)| (i, *n))
        .unwrap_or((0, 0));
    let threshold = (matched / 3).max(1);
    let (level_pos, letter_level) = if word_n >= letter_n && word_n >= threshold {
        (Some(word_idx as u8), false)
    } else if letter_n > word_n && letter_n * 2 >= matched {
        (Some(letter_idx as u8), true)
    } else {
        (None, false)
    };
    let level_before = level_pos.is_none() && before_votes * 2 >= matched && before_votes > 0;
    let name = match shape {
        Shape::Ctime if ts_token == 0 && lines.iter().any(|l| l.first() == Some(&b'[')) => "apache_error",
        Shape::Glog => "glog",
        Shape::Iso
            if ts_token == 0
                && lines
                    .iter()
                    .filter(|l| l.get(4) == Some(&b'/') && memchr::memmem::find(l, b"#").is_some())
                    .count()
                    * 2
                    > matched =>
        {
            "nginx_error"
        }
        _ => "text",
    };
    Some((TextLayout { name, shape, ts_token, level_pos, letter_level, level_before, tabs, anchored }, matched))
}

impl TextLayout {
    /// A layout for a line of unknown shape (per-line fallback): a timestamp at the start,
    /// a level word among the next three tokens.
    pub fn adhoc(shape: Shape) -> TextLayout {
        TextLayout::adhoc_at(shape, 0)
    }

    /// An ad-hoc layout with the timestamp at token `k`.
    pub fn adhoc_at(shape: Shape, k: u8) -> TextLayout {
        TextLayout {
            name: "text",
            shape,
            ts_token: k,
            level_pos: None,
            letter_level: false,
            level_before: false,
            tabs: false,
            anchored: false,
        }
    }

    /// Whether `line` starts an entry of this layout.
    #[inline]
    pub fn matches(&self, line: &[u8]) -> bool {
        // The commonest head, decided without the full time parse (the line starts with its
        // first digit, so the first token is at 0 with no bracket to skip).
        if self.ts_token == 0 && self.shape == Shape::Iso && time::plain_iso_head(line) {
            return true;
        }
        ts_at_sep(line, self.shape, self.ts_token as usize, self.tabs).is_some()
    }

    /// Only the time and the level of a line (for counting and statistics).
    pub fn facts(&self, line: &[u8], r: &mut Resolver) -> Option<(Option<crate::entry::Timestamp>, Option<Level>)> {
        let (p, start, end) = ts_at_sep(line, self.shape, self.ts_token as usize, self.tabs)?;
        // (a time the layout found but no instant holds, a damaged year: not this layout's line)
        let ts = Some(r.resolve(&p)?);
        if self.shape == Shape::Glog {
            return Some((ts, time::glog_level(&line[start..])));
        }
        if self.level_before && self.ts_token > 0 {
            let ps = token_start_sep(line, self.ts_token as usize - 1, self.tabs)?;
            return Some((ts, level_in_token(&line[ps..start], false)));
        }
        let lp = self.level_pos?;
        let mut toks = Vec::with_capacity(lp as usize + 1);
        tokens_after(line, after_ts(line, end), lp as usize + 1, self.tabs, &mut toks);
        let level = toks.get(lp as usize).and_then(|&(s, e)| level_in_token(&line[s..e], self.letter_level));
        // A bracketed level right after the header (`[notice]`) is found by the full parse.
        level.map(|l| (ts, Some(l)))
    }

    /// Parses the first line of an entry; false when it has no timestamp at the layout's
    /// position.
    pub fn parse<'a>(&self, line: &'a str, e: &mut Entry<'a>, r: &mut Resolver) -> bool {
        self.parse_with(line, e, r, true)
    }

    /// [`TextLayout::parse`], optionally without extracting `key=value` pairs from the
    /// message (when only time, level and message are needed).
    pub fn parse_with<'a>(&self, line: &'a str, e: &mut Entry<'a>, r: &mut Resolver, pairs: bool) -> bool {
        let b = line.as_bytes();
        let Some((p, start, end)) = ts_at_sep(b, self.shape, self.ts_token as usize, self.tabs) else {
            return false;
        };
        // A time no instant holds (a damaged year): the line is not read by this layout.
        let Some(ts) = r.resolve(&p) else { return false };
        e.format = self.name;
        e.ts = Some(ts);
        if self.shape == Shape::Glog {
            e.level = time::glog_level(&b[start..]);
        }
        if self.level_before && self.ts_token > 0 {
            if let Some(ps) = token_start_sep(b, self.ts_token as usize - 1, self.tabs) {
                e.level = level_in_token(&b[ps..start], false);
            }
        }
        let mut toks = Vec::with_capacity(12);
        let mut pos = after_ts(b, end);
        let mut structured = e.level.is_some();
        match self.level_pos {
            Some(lp) => {
                tokens_after(b, pos, lp as usize + 1, self.tabs, &mut toks);
                if let Some(&(s, t_end)) = toks.get(lp as usize) {
                    let lvl = level_in_token(&b[s..t_end], self.letter_level);
                    if lvl.is_some() {
                        e.level = lvl;
                        structured = true;
                        // Fields in the header before the level: numbers are pid, tid.
                        let mut nums = 0;
                        for &(hs, he) in &toks[..lp as usize] {
                            let tok = &line[hs..he];
                            if tok.bytes().all(|c| c.is_ascii_digit()) {
                                let key = if nums == 0 { "pid" } else { "tid" };
                                e.fields.push((Cow::Borrowed(key), Value::Str(Cow::Borrowed(tok))));
                                nums += 1;
                            }
                        }
                        // `DEBUG:foo bar` glues the message to the level.
                        let tok = &b[s..t_end];
                        let lead = tok.iter().position(|c| c.is_ascii_alphanumeric()).unwrap_or(0);
                        pos = match tok[lead..].iter().position(|&c| c == b':') {
                            Some(c)
                                if lead + c + 1 < tok.len()
                                    && level_in_token(&tok[lead..lead + c], false).is_some() =>
                            {
                                s + lead + c + 1
                            }
                            _ => t_end,
                        };
                    }
                }
            }
            None => {
                // No learned level: a level word right after the timestamp still counts.
                tokens_after(b, pos, 3, self.tabs, &mut toks);
                let mut skip_to = pos;
                for &(s, t_end) in toks.iter() {
                    let tok = &b[s..t_end];
                    if e.level.is_none() {
                        if let Some(l) = level_in_token(tok, false) {
                            if tok.iter().filter(|c| c.is_ascii_alphabetic()).count() >= 3
                                && (tok[0] == b'['
                                    || tok[0] == b'<'
                                    || tok.iter().all(|c| !c.is_ascii_lowercase())
                                    || s == toks[0].0)
                            {
                                e.level = Some(l);
                                structured = true;
                                skip_to = t_end;
                                break;
                            }
                        }
                    }
                    if tok.iter().all(|c| c.is_ascii_digit()) || tok == b"-" || tok == b"|" {
                        skip_to = t_end;
                        continue;
                    }
                    break;
                }
                pos = skip_to;
            }
        }
        let rest = &line[pos.min(line.len())..];
        self.header_tail(rest, structured, e, pairs);
        true
    }

    /// After the level: `[thread]` groups, a `component:`, and the message; zap console's
    /// tab-separated logger and trailing JSON fields.
    fn header_tail<'a>(&self, rest: &'a str, structured: bool, e: &mut Entry<'a>, pairs: bool) {
        // zap console: `ts<TAB>LEVEL<TAB>logger<TAB>msg<TAB>{json}`.
        if structured && rest.starts_with('\t') {
            let mut parts = rest[1..].splitn(2, '\t');
            let first = parts.next().unwrap_or("");
            if let Some(after) = parts.next() {
                e.set_known(WellKnown::Service, Cow::Borrowed(first));
                let (msg, json) = match after.rfind("\t{") {
                    Some(p) if after.trim_end().ends_with('}') => (&after[..p], Some(&after[p + 1..])),
                    _ => (after, None),
                };
                e.msg = Cow::Borrowed(msg.trim_end());
                if let Some(j) = json {
                    let mut tmp = Entry::default();
                    let mut r = Resolver::new(crate::time::Zone::Utc, 0);
                    if crate::format::json::parse_entry(j.trim_end(), &mut tmp, &mut r).is_ok() {
                        for (k, v) in tmp.known.iter_mut().enumerate() {
                            if let Some(v) = v.take() {
                                e.set_known(WellKnown::ALL[k], v);
                            }
                        }
                        if !tmp.msg.is_empty() {
                            e.fields.push((Cow::Borrowed("msg"), Value::Str(tmp.msg)));
                        }
                        e.fields.append(&mut tmp.fields);
                    }
                }
                return;
            }
        }
        // `ts|component|pid|message` (HealthApp and other pipe-delimited headers).
        if let Some(piped) = rest.strip_prefix('|') {
            let parts: Vec<&str> = piped.splitn(3, '|').collect();
            if parts.len() == 3 && !parts[0].contains(' ') {
                e.set_known(WellKnown::Service, Cow::Borrowed(parts[0]));
                let msg = if parts[1].bytes().all(|c| c.is_ascii_digit()) && !parts[1].is_empty() {
                    e.fields.push((Cow::Borrowed("pid"), Value::Str(Cow::Borrowed(parts[1]))));
                    parts[2]
                } else {
                    &piped[parts[0].len() + 1..]
                };
                e.msg = Cow::Borrowed(msg.trim_end_matches('\r'));
                if pairs {
                    logfmt::extract_pairs(msg, e);
                }
                return;
            }
        }
        let b = rest.as_bytes();
        let mut i = 0;
        let skip_ws = |i: &mut usize| {
            while *i < b.len() && (b[*i] == b' ' || b[*i] == b'\t') {
                *i += 1;
            }
        };
        skip_ws(&mut i);
        // `nova.compute.manager [req-...] message`: a dotted logger name before the groups.
        if structured {
            let end = b[i..].iter().position(|&c| c == b' ').map_or(b.len(), |p| i + p);
            let tok = &rest[i..end];
            if end + 1 < b.len()
                && b[end + 1] == b'['
                && tok.contains('.')
                && tok.bytes().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'-' | b'$'))
            {
                e.set_known(WellKnown::Service, Cow::Borrowed(tok));
                i = end;
                skip_ws(&mut i);
            }
        }
        // `[thread]`, `[pid 123:tid 4]`, `[client 1.2.3.4:5]`, `[req-uuid ...]` groups.
        let mut groups = 0;
        while i < b.len() && b[i] == b'[' && groups < 4 {
            let mut depth = 0;
            let mut j = i;
            while j < b.len() {
                match b[j] {
                    b'[' => depth += 1,
                    b']' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            if j >= b.len() {
                break;
            }
            let inner = rest[i + 1..j].trim();
            self.bracket_group(inner, groups, e);
            groups += 1;
            i = j + 1;
            skip_ws(&mut i);
        }
        if i + 1 < b.len() && (b[i] == b'-' || b[i] == b'|') && b[i + 1] == b' ' {
            i += 2;
            skip_ws(&mut i);
        }
        // `component:` or `component  : ` or glog's `file.cc:253]`.
        let tok_end = b[i..].iter().position(|&c| c == b' ' || c == b'\t').map_or(b.len(), |p| i + p);
        let tok = &rest[i..tok_end];
        let tb = tok.as_bytes();
        let looks_named =
            |t: &str| structured || t.bytes().any(|c| matches!(c, b'.' | b'[' | b'(' | b'$' | b'_' | b'/' | b'#'));
        let mut msg_start = i;
        if tb.len() > 1
            && (tb[tb.len() - 1] == b':' || (self.name == "glog" && tb[tb.len() - 1] == b']'))
            && !tok.contains("://")
        {
            let name = &tok[..tok.len() - 1];
            if looks_named(name) && !name.is_empty() && name.bytes().all(|c| !c.is_ascii_control()) {
                self.component(name, e);
                msg_start = tok_end;
            }
        } else if !tok.is_empty() && structured {
            // `FarmApplication          : Starting`
            let mut j = tok_end;
            while j < b.len() && b[j] == b' ' {
                j += 1;
            }
            if b.get(j) == Some(&b':') && b.get(j + 1).is_none_or(|c| *c == b' ') && j > tok_end {
                self.component(tok, e);
                msg_start = j + 1;
            }
        }
        let msg = rest[msg_start..].trim_start_matches([' ', '\t']).trim_end_matches('\r');
        let msg = msg.strip_prefix("- ").unwrap_or(msg);
        e.msg = Cow::Borrowed(msg);
        if self.name == "nginx_error" {
            nginx_tail(msg, e);
        }
        if pairs {
            logfmt::extract_pairs(msg, e);
        }
    }

    fn component<'a>(&self, name: &'a str, e: &mut Entry<'a>) {
        // `sshd[24200]` and `1234#5678` carry a pid.
        if let Some(open) = name.find('[') {
            if name.ends_with(']') {
                let pid = &name[open + 1..name.len() - 1];
                if pid.bytes().all(|c| c.is_ascii_digit()) && !pid.is_empty() {
                    e.fields.push((Cow::Borrowed("pid"), Value::Str(Cow::Borrowed(pid))));
                    e.set_known(WellKnown::Service, Cow::Borrowed(&name[..open]));
                    return;
                }
            }
        }
        if let Some((pid, _)) = name.split_once('#') {
            if pid.bytes().all(|c| c.is_ascii_digit()) && !pid.is_empty() {
                e.fields.push((Cow::Borrowed("pid"), Value::Str(Cow::Borrowed(pid))));
                return;
            }
        }
        e.set_known(WellKnown::Service, Cow::Borrowed(name));
    }

    fn bracket_group<'a>(&self, inner: &'a str, idx: usize, e: &mut Entry<'a>) {
        if let Some(c) = inner.strip_prefix("client ") {
            let ip = c.rsplit_once(':').filter(|(h, p)| !h.contains(':') || p.len() <= 5).map_or(c, |(h, _)| h);
            e.set_known(WellKnown::Ip, Cow::Borrowed(ip));
        } else if let Some(p) = inner.strip_prefix("pid ") {
            let (pid, tid) = p.split_once(":tid ").unwrap_or((p, ""));
            e.fields.push((Cow::Borrowed("pid"), Value::Str(Cow::Borrowed(pid))));
            if !tid.is_empty() {
                e.fields.push((Cow::Borrowed("tid"), Value::Str(Cow::Borrowed(tid))));
            }
        } else if inner.starts_with("req-") {
            let id = inner.split(' ').next().unwrap_or(inner);
            e.set_known(WellKnown::RequestId, Cow::Borrowed(id));
        } else if e.level.is_none() && level_in_token(inner.as_bytes(), false).is_some() {
            e.level = level_in_token(inner.as_bytes(), false);
        } else {
            let key = if idx == 0 { "thread" } else { "context" };
            e.fields.push((Cow::Borrowed(key), Value::Str(Cow::Borrowed(inner))));
        }
    }
}

/// nginx's error log ends with `, client: 1.2.3.4, server: x, request: "GET / HTTP/1.1"`.
fn nginx_tail<'a>(msg: &'a str, e: &mut Entry<'a>) {
    let Some(p) = msg.find(", client: ") else { return };
    for part in msg[p + 2..].split(", ") {
        if let Some((k, v)) = part.split_once(": ") {
            let v = v.trim_matches('"');
            match k {
                "client" => {
                    e.set_known(WellKnown::Ip, Cow::Borrowed(v));
                }
                "server" | "request" | "upstream" | "host" | "referrer" => {
                    e.fields.push((Cow::Borrowed(k), Value::Str(Cow::Borrowed(v))));
                }
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::Zone;

    fn learn_one(lines: &[&str]) -> TextLayout {
        let v: Vec<&[u8]> = lines.iter().map(|l| l.as_bytes()).collect();
        learn(&v).expect("a layout").0
    }

    fn parse<'a>(layout: &TextLayout, line: &'a str) -> Entry<'a> {
        let mut e = Entry::default();
        let mut r = Resolver::new(Zone::Utc, 1_795_000_000);
        assert!(layout.parse(line, &mut e, &mut r), "{line}");
        e
    }

    #[test]
    fn hdfs_and_hadoop_shapes() {
        let lines = ["081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 for block blk_38865049064139660 terminating",
            "081109 203807 222 WARN dfs.DataNode$PacketResponder: x"];
        let l = learn_one(&lines);
        assert_eq!((l.shape, l.ts_token, l.level_pos), (Shape::YyMmDd, 0, Some(1)));
        let e = parse(&l, lines[0]);
        assert_eq!(e.level, Some(Level::Info));
        assert_eq!(e.get_known(WellKnown::Service), Some("dfs.DataNode$PacketResponder"));
        assert_eq!(e.msg, "PacketResponder 1 for block blk_38865049064139660 terminating");
        let l = learn_one(&[
            "2015-10-18 18:01:47,978 INFO [main] org.apache.hadoop.mapreduce.v2.app.MRAppMaster: Created MRAppMaster",
        ]);
        let e = parse(
            &l,
            "2015-10-18 18:01:47,978 INFO [main] org.apache.hadoop.mapreduce.v2.app.MRAppMaster: Created MRAppMaster",
        );
        assert_eq!(e.field("thread").as_deref(), Some("main"));
        assert_eq!(e.msg, "Created MRAppMaster");
    }

    #[test]
    fn epoch_in_a_later_column_and_levels_far_right() {
        let lines = [
            "- 1117838570 2005.06.03 R02-M1-N0-C:J12-U11 2005-06-03-15.42.50.675872 R02-M1-N0-C:J12-U11 RAS KERNEL INFO instruction cache parity error corrected",
            "- 1117838573 2005.06.03 R02-M1-N0-C:J12-U11 2005-06-03-15.42.53.276129 R02-M1-N0-C:J12-U11 RAS KERNEL FATAL data TLB error interrupt",
        ];
        let l = learn_one(&lines);
        assert_eq!((l.shape, l.ts_token, l.level_pos), (Shape::Epoch, 1, Some(6)));
        let e = parse(&l, lines[1]);
        assert_eq!(e.level, Some(Level::Fatal));
        assert_eq!(e.msg, "data TLB error interrupt");
        assert_eq!(e.ts.unwrap().to_rfc3339(), "2005-06-03T22:42:53Z");
    }

    #[test]
    fn android_letters_and_apache_error() {
        let lines = [
            "03-17 16:13:38.811  1702  2395 D WindowManager: printFreezingDisplayLogs",
            "03-17 16:13:38.819  1702  8671 I PowerManagerService: acquire",
        ];
        let l = learn_one(&lines);
        assert!(l.letter_level);
        let e = parse(&l, lines[0]);
        assert_eq!((e.level, e.get_known(WellKnown::Service)), (Some(Level::Debug), Some("WindowManager")));
        assert_eq!(e.field("tid").as_deref(), Some("2395"));
        let lines = ["[Sun Dec 04 04:47:44 2005] [notice] workerEnv.init() ok /etc/httpd/conf/workers2.properties",
            "[Fri Sep 09 10:42:29.902022 2011] [core:error] [pid 35708:tid 4328636416] [client 72.15.99.187:5000] File does not exist"];
        let l = learn_one(&lines);
        assert_eq!(l.name, "apache_error");
        let e = parse(&l, lines[1]);
        assert_eq!(
            (e.level, e.get_known(WellKnown::Ip), e.msg.as_ref()),
            (Some(Level::Error), Some("72.15.99.187"), "File does not exist")
        );
    }

    #[test]
    fn zap_console_and_glued_levels() {
        let line = "2026-11-21T10:00:00.000Z\tINFO\tpydio.grpc.tree\tlisting folder\t{\"UserName\":\"alice\",\"SpanRootUuid\":\"r1\"}";
        let l = learn_one(&[line]);
        let e = parse(&l, line);
        assert_eq!(e.get_known(WellKnown::Service), Some("pydio.grpc.tree"));
        assert_eq!((e.msg.as_ref(), e.get_known(WellKnown::User)), ("listing folder", Some("alice")));
        let l = learn_one(&["2009-07-20 22:59:27,672:DEBUG:Hello, World!"]);
        let e = parse(&l, "2009-07-20 22:59:27,672:DEBUG:Hello, World!");
        assert_eq!((e.level, e.msg.as_ref()), (Some(Level::Debug), "Hello, World!"));
    }

    #[test]
    fn message_numbers_are_not_timestamps() {
        // No layout can be learned from lines whose only numbers sit inside the message.
        let v: Vec<&[u8]> = vec![b"Processed 1763719200 records in 5s", b"hello world"];
        assert!(learn(&v).is_none());
        let l = learn_one(&["2026-11-21 10:00:00 [warning] disk at 91%"]);
        let e = parse(&l, "2026-11-21 10:00:00 [warning] disk at 91% user=bob request_id=r-9");
        assert_eq!(
            (e.level, e.get_known(WellKnown::User), e.get_known(WellKnown::RequestId)),
            (Some(Level::Warn), Some("bob"), Some("r-9"))
        );
    }
}
