//! Drawing the TUI. Reads the app's state; records geometry for mouse hits. Every piece of
//! log text goes through `safe::escaped` first: no log line can send escape sequences.

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use ratatui::Frame;
use unicode_width::UnicodeWidthStr;

use logx::entry::{Level, WellKnown, LEVELS};
/// Log text for the screen: tabs become spaces, every other control character is escaped.
fn escaped(s: &str) -> std::borrow::Cow<'_, str> {
    if s.contains('\t') {
        std::borrow::Cow::Owned(logx::sink::safe::escaped(&s.replace('\t', "    ")).into_owned())
    } else {
        logx::sink::safe::escaped(s)
    }
}

use super::app::{App, Col, Mode};
use super::data::Shown;

/// Counts with separators; the TUI counts in usize.
fn thousands(n: usize) -> String {
    logx::stats::thousands(n as u64)
}

fn level_style(app: &App, l: Option<Level>) -> Style {
    if !app.color {
        return match l {
            Some(Level::Error | Level::Fatal) => Style::default().add_modifier(Modifier::BOLD),
            _ => Style::default(),
        };
    }
    if app.light {
        // 256-colour shades that stay readable on a white background.
        return match l {
            Some(Level::Trace) | None => Style::default().fg(Color::Indexed(244)),
            Some(Level::Debug) => Style::default().fg(Color::Indexed(25)),
            Some(Level::Info) => Style::default().fg(Color::Indexed(28)),
            Some(Level::Warn) => Style::default().fg(Color::Indexed(130)),
            Some(Level::Error) => Style::default().fg(Color::Indexed(160)),
            Some(Level::Fatal) => Style::default().fg(Color::White).bg(Color::Red).add_modifier(Modifier::BOLD),
        };
    }
    match l {
        Some(Level::Trace) => Style::default().fg(Color::DarkGray),
        Some(Level::Debug) => Style::default().fg(Color::Cyan),
        Some(Level::Info) => Style::default().fg(Color::Green),
        Some(Level::Warn) => Style::default().fg(Color::Yellow),
        Some(Level::Error) => Style::default().fg(Color::Red),
        Some(Level::Fatal) => Style::default().fg(Color::White).bg(Color::Red).add_modifier(Modifier::BOLD),
        None => Style::default().fg(Color::DarkGray),
    }
}

fn level_color(i: usize) -> Color {
    [Color::DarkGray, Color::Cyan, Color::Green, Color::Yellow, Color::Red, Color::Magenta, Color::Gray][i.min(6)]
}

fn fmt_time(app: &App, nanos: i64) -> String {
    let mut v = Vec::new();
    logx::sink::write_local_time(&mut v, nanos, &app.zone);
    String::from_utf8(v).unwrap_or_default()
}

/// Cuts text to a display width (wide characters counted as two).
fn fit(s: &str, width: usize) -> String {
    let mut w = 0;
    let mut out = String::new();
    for c in s.chars() {
        let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if w + cw > width {
            break;
        }
        w += cw;
        out.push(c);
    }
    out
}

fn pad(s: &str, width: usize) -> String {
    let f = fit(s, width);
    let w = f.width();
    format!("{f}{}", " ".repeat(width.saturating_sub(w)))
}

/// Draws everything.
pub fn draw(f: &mut Frame, app: &mut App) {
    let area = f.area();
    let hist_h = if app.histogram && area.height >= 16 { 7 } else { 0 };
    let chunks = Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(hist_h),
        Constraint::Min(3),
        Constraint::Length(1),
    ])
    .split(area);
    header(f, app, chunks[0]);
    if hist_h > 0 {
        histogram(f, app, chunks[1]);
    } else {
        app.hist_geom = None;
    }
    table(f, app, chunks[2]);
    footer(f, app, chunks[3]);
    match app.mode.clone() {
        Mode::Detail { field, scroll } => detail(f, app, area, field, scroll),
        Mode::Help => help(f, app, area),
        Mode::Picker { field, cursor } => picker(f, app, area, &field, cursor),
        Mode::Levels { cursor } => levels(f, app, area, cursor),
        Mode::Columns { cursor } => columns(f, app, area, cursor),
        Mode::Audit { cursor, sort } => audit(f, app, chunks[1].union(chunks[2]), cursor, sort),
        Mode::Patterns { cursor } => patterns(f, app, chunks[1].union(chunks[2]), cursor),
        _ => {}
    }
    if !app.color {
        monochrome(f.buffer_mut());
    }
}

/// No colours (NO_COLOR, `--color never`, the mono theme): every colour goes; what was shown
/// by a background (selection, popups' cursor) is shown reversed instead.
fn monochrome(buf: &mut ratatui::buffer::Buffer) {
    for cell in &mut buf.content {
        if cell.bg != Color::Reset {
            cell.modifier.insert(Modifier::REVERSED);
        }
        cell.fg = Color::Reset;
        cell.bg = Color::Reset;
    }
}

fn chips(app: &App) -> Vec<String> {
    let s = &app.spec;
    let mut v = Vec::new();
    if let Some(l) = s.level.as_ref().filter(|l| !l.eq_ignore_ascii_case("all")) {
        v.push(format!("level ≥ {l}"));
    }
    if !s.levels.is_empty() {
        v.push(format!("levels {}", s.levels.join(",")));
    }
    if let Some(d) = &s.day {
        v.push(format!("day {d}"));
    }
    if let Some(x) = &s.from {
        v.push(format!("from {x}"));
    }
    if let Some(x) = &s.to {
        v.push(format!("to {x}"));
    }
    if let Some(x) = &s.last {
        v.push(format!("last {x}"));
    }
    for (name, vals) in
        [("host", &s.hosts), ("service", &s.services), ("user", &s.users), ("ip", &s.ips), ("request", &s.request_ids)]
    {
        if !vals.is_empty() {
            v.push(format!("{name}={}", vals.join("|")));
        }
    }
    for w in &s.wheres {
        v.push(w.clone());
    }
    for g in &s.grep {
        if Some(g) != app.search.as_ref() {
            v.push(format!("/{g}/"));
        }
    }
    for g in &s.fixed {
        v.push(format!("\"{g}\""));
    }
    if !s.hide_templates.is_empty() {
        let ids: Vec<String> = s.hide_templates.iter().map(|i| format!("#{i}")).collect();
        v.push(format!("hidden templates {}", ids.join(",")));
    }
    if let Some(sr) = &app.search {
        v.push(format!("/{sr}/{}", if app.only_matches { " only" } else { "" }));
    }
    if app.follow {
        v.push("following".into());
    }
    v
}

fn header(f: &mut Frame, app: &App, area: Rect) {
    let names: Vec<String> =
        app.srcs.iter().map(|s| escaped(logx::sink::short_name(&s.display)).into_owned()).collect();
    let mut src = names.iter().take(3).cloned().collect::<Vec<_>>().join(", ");
    if names.len() > 3 {
        src.push_str(&format!(" (+{})", names.len() - 3));
    }
    let ends = match &app.remote {
        Some(r) => r.density.and_then(|d| d.span),
        None => app.recs.iter().find_map(|r| r.ts()).zip(app.recs.iter().rev().find_map(|r| r.ts())),
    };
    let span = match ends {
        Some((a, b)) => format!("{} → {}", fmt_time(app, a), fmt_time(app, b)),
        _ => "no timestamps".into(),
    };
    let (shown, src) = match &app.remote {
        // A window of the table: which of the query's rows it holds (counted on the server,
        // where a filter it cannot take makes the count one of a superset: "≤").
        Some(r) => {
            use super::remote::Place;
            let of = match r.total {
                Some(n) => format!("{}{}", if r.exact { "" } else { "≤" }, thousands(n as usize)),
                None => "… (counting)".into(),
            };
            let before = match (r.place, r.total) {
                (Place::Before(b), _) => Some(b),
                (Place::After(a), Some(n)) => Some(n.saturating_sub(a + r.rows.len() as u64)),
                _ => None,
            };
            let shown = match before {
                _ if !r.more_before && !r.more_after => format!("{} of {of}", thousands(app.len())),
                Some(b) => {
                    format!("rows {}–{} of {of}", thousands(b as usize + 1), thousands(b as usize + r.rows.len()))
                }
                None => format!("{} rows of {of}", thousands(r.rows.len())),
            };
            (shown, escaped(&r.display).into_owned())
        }
        None => (format!("{} of {}", thousands(app.len()), thousands(app.recs.len())), src),
    };
    let busy = if app.remote.as_ref().is_some_and(|r| r.loading) {
        " (fetching…)"
    } else if app.filtering {
        " (filtering…)"
    } else {
        ""
    };
    let bold = Style::default().add_modifier(Modifier::BOLD);
    let l1 = Line::from(vec![
        Span::styled(" logx ", if app.color { Style::default().fg(Color::Black).bg(Color::Cyan) } else { bold }),
        Span::raw(" "),
        Span::styled(shown, bold),
        Span::raw(busy),
        Span::raw("  "),
        Span::styled(src, bold),
        Span::raw("  "),
        Span::raw(span),
    ]);
    let chip_style = if app.color {
        Style::default().fg(Color::Black).bg(Color::Yellow)
    } else {
        Style::default().add_modifier(Modifier::REVERSED)
    };
    let mut l2 = vec![Span::raw(" ")];
    let cs = chips(app);
    if cs.is_empty() {
        l2.push(Span::styled("no filter", Style::default().fg(Color::DarkGray)));
    }
    for c in cs {
        l2.push(Span::styled(format!(" {} ", escaped(&c)), chip_style));
        l2.push(Span::raw(" "));
    }
    f.render_widget(Paragraph::new(vec![l1, Line::from(l2)]), area);
}

fn histogram(f: &mut Frame, app: &mut App, area: Rect) {
    let label_w = 0u16;
    let w = area.width.saturating_sub(label_w).max(1) as usize;
    let n = app.len();
    let ends = match &app.remote {
        // The whole table's rows of the query, not the window's.
        Some(r) => r.density.and_then(|d| d.span),
        None => (0..n)
            .find_map(|i| app.rec(i).and_then(|r| r.ts()))
            .zip((0..n).rev().find_map(|i| app.rec(i).and_then(|r| r.ts()))),
    };
    let (a, z) = match ends {
        Some((a, z)) => (a, z),
        _ => {
            app.hist_geom = None;
            let msg = if n == 0 { " (nothing to chart)" } else { " (no timestamps to chart)" };
            f.render_widget(Paragraph::new(msg).style(Style::default().fg(Color::DarkGray)), area);
            return;
        }
    };
    let span = (z - a).max(1);
    let width = (span / w as i64 + 1).max(1);
    let (counts, _current) = match app.hist_counts((a, width, w)) {
        Some(c) => c,
        None => {
            let msg = " counting…";
            f.render_widget(Paragraph::new(msg).style(Style::default().fg(Color::DarkGray)), area);
            return;
        }
    };
    let max = counts.iter().map(|c| c.iter().sum::<u64>()).max().unwrap_or(1).max(1);
    let bars_h = area.height.saturating_sub(2) as usize;
    let sel_bucket =
        app.rec(app.selected).and_then(|r| r.ts()).map(|t| ((t.saturating_sub(a).max(0) / width) as usize).min(w - 1));
    app.hist_cursor = app.hist_cursor.min(w - 1);
    let focused = app.mode == Mode::Histogram;
    // Top row: the marker of the selected entry, and the cursor.
    let mut marker = vec![Span::raw(" ".repeat(label_w as usize))];
    for b in 0..w {
        let ch = if focused && b == app.hist_cursor {
            "^"
        } else if Some(b) == sel_bucket {
            "▼"
        } else {
            " "
        };
        marker.push(Span::styled(ch, Style::default().fg(Color::White).add_modifier(Modifier::BOLD)));
    }
    let mut lines = vec![Line::from(marker)];
    // Stacked bars: most severe on top.
    let eighths = [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"];
    let mut grid: Vec<Vec<Span>> = vec![Vec::new(); bars_h];
    for (b, c) in counts.iter().enumerate() {
        let total: u64 = c.iter().sum();
        let units = (total as f64 / max as f64 * (bars_h * 8) as f64).round() as usize;
        let units = if total > 0 { units.max(1) } else { 0 };
        // Level of each unit from the bottom: none, trace .. fatal in proportion.
        let mut bounds = Vec::new();
        let mut acc = 0u64;
        for li in [6usize, 0, 1, 2, 3, 4, 5] {
            acc += c[li];
            bounds.push((li, if total == 0 { 0 } else { (acc as f64 / total as f64 * units as f64).round() as usize }));
        }
        let level_at = |u: usize| bounds.iter().find(|(_, hi)| u < *hi).map_or(6, |(li, _)| *li);
        for (row, cells) in grid.iter_mut().enumerate() {
            let from_bottom = bars_h - 1 - row;
            let lo = from_bottom * 8;
            let fill = units.saturating_sub(lo).min(8);
            let li = level_at(lo + fill.saturating_sub(1));
            let mut style = if app.color { Style::default().fg(level_color(li)) } else { Style::default() };
            if focused && b == app.hist_cursor {
                style = style.add_modifier(Modifier::REVERSED);
            }
            cells.push(Span::styled(eighths[fill], style));
        }
    }
    for row in grid {
        let mut l = vec![Span::raw(" ".repeat(label_w as usize))];
        l.extend(row);
        lines.push(Line::from(l));
    }
    let scale =
        format!("{}  ·  {} per column  ·  {}", fmt_time(app, a), logx::stats::human_duration(width), fmt_time(app, z));
    lines.push(Line::from(Span::styled(format!(" {scale}"), Style::default().fg(Color::DarkGray))));
    app.hist_geom = Some((area.x + label_w, area.y + 1, w as u16, a, width));
    f.render_widget(Paragraph::new(lines), area);
}

/// The width of each column for a screen width.
fn widths(app: &App, total: u16) -> Vec<usize> {
    let fixed: Vec<usize> = app
        .columns
        .iter()
        .map(|c| match c {
            Col::Time => 23,
            Col::Level => 5,
            Col::Host => 14,
            Col::Service => 18,
            Col::User => 10,
            Col::Ip => 15,
            Col::RequestId => 16,
            Col::Offset => 10,
            Col::Field(_) => 14,
            Col::Msg => 0,
        })
        .collect();
    let gaps = app.columns.len().saturating_sub(1);
    let used: usize = fixed.iter().sum::<usize>() + gaps;
    let mut w = fixed;
    // On narrow screens the less important columns go first.
    let mut avail = total as usize;
    if used + 20 > avail {
        for (i, c) in app.columns.iter().enumerate().rev() {
            if matches!(c, Col::Ip | Col::User | Col::RequestId | Col::Field(_) | Col::Service | Col::Host)
                && w.iter().sum::<usize>() + gaps + 20 > avail
            {
                w[i] = 0;
            }
        }
    }
    let used: usize = w.iter().sum::<usize>() + w.iter().filter(|x| **x > 0).count().saturating_sub(1);
    avail = avail.saturating_sub(used + 1);
    if let Some(i) = app.columns.iter().position(|c| *c == Col::Msg) {
        w[i] = avail.max(10);
    }
    w
}

fn cell_text(app: &App, s: &Shown, col: &Col) -> String {
    let raw = match col {
        Col::Time => return s.ts.map_or(String::new(), |t| fmt_time(app, t.nanos)),
        Col::Level => return logx::sink::level_label(s.level).trim_end().to_string(),
        Col::Host => s.get(WellKnown::Host).unwrap_or_else(|| logx::sink::short_name(&s.source)).to_string(),
        Col::Service => s.get(WellKnown::Service).unwrap_or("").to_string(),
        Col::User => s.get(WellKnown::User).unwrap_or("").to_string(),
        Col::Ip => s.get(WellKnown::Ip).unwrap_or("").to_string(),
        Col::RequestId => s.get(WellKnown::RequestId).unwrap_or("").to_string(),
        Col::Offset => {
            return match (s.ts, &app.timeline) {
                (Some(t), Some((_, first))) if *first != i64::MIN => offset_text(t.nanos - first),
                _ => String::new(),
            }
        }
        Col::Field(f) => s.field(f).unwrap_or("").to_string(),
        Col::Msg => s.msg.clone(),
    };
    escaped(&raw).into_owned()
}

/// Message spans with search highlights, from a horizontal offset, cut to a width.
fn msg_spans(app: &App, msg: &str, width: usize, base: Style) -> Vec<Line<'static>> {
    let first_line = msg.split('\n').next().unwrap_or("");
    let more = msg.contains('\n');
    let text = escaped(first_line).into_owned();
    let hl = app.search_query.as_ref().map(|q| q.highlight_spans(&text)).unwrap_or_default();
    let mark = if app.color {
        Style::default().fg(Color::Black).bg(Color::Yellow)
    } else {
        Style::default().add_modifier(Modifier::REVERSED)
    };
    // Characters with their style, then scrolled and cut (or wrapped).
    let mut styled: Vec<(char, Style)> = Vec::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        let on = hl.iter().any(|(s, e)| i >= *s && i < *e);
        styled.push((c, if on { mark } else { base }));
    }
    if more {
        for c in " ⏎".chars() {
            styled.push((c, base.fg(Color::DarkGray)));
        }
    }
    let skip = if app.wrap { 0 } else { app.hscroll };
    let chars: Vec<(char, Style)> = styled.into_iter().skip(skip).collect();
    let mut lines = Vec::new();
    let mut cur: Vec<Span> = Vec::new();
    let mut w = 0;
    for (c, st) in chars {
        let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if w + cw > width {
            lines.push(Line::from(std::mem::take(&mut cur)));
            w = 0;
            if !app.wrap || lines.len() >= 4 {
                break;
            }
        }
        cur.push(Span::styled(c.to_string(), st));
        w += cw;
    }
    if !cur.is_empty() || lines.is_empty() {
        lines.push(Line::from(cur));
    }
    lines
}

fn table(f: &mut Frame, app: &mut App, area: Rect) {
    let head_style = Style::default().add_modifier(Modifier::BOLD | Modifier::UNDERLINED);
    let ws = widths(app, area.width);
    let mut head = Vec::new();
    for (c, w) in app.columns.iter().zip(&ws) {
        if *w == 0 {
            continue;
        }
        head.push(Span::styled(pad(&c.title(), *w), head_style));
        head.push(Span::raw(" "));
    }
    let mut lines = vec![Line::from(head)];
    app.table_y = area.y + 1;
    let rows_h = area.height.saturating_sub(1) as usize;
    app.page = rows_h.max(1);
    app.clamp();
    if app.is_empty() {
        let msg = if !app.indexed {
            let (d, t) = app.index_progress;
            format!(" indexing… {}%", (d * 100).checked_div(t).unwrap_or(0))
        } else if app.filtering {
            " filtering…".to_string()
        } else {
            " no entries match (u: undo the last filter, : edit filters)".to_string()
        };
        lines.push(Line::from(Span::styled(msg, Style::default().fg(Color::DarkGray))));
        f.render_widget(Paragraph::new(lines), area);
        return;
    }
    let mut row = app.top;
    let mut used = 0;
    while used < rows_h && row < app.len() {
        let Some(s) = app.shown(row) else { break };
        let selected = row == app.selected;
        let marked = app.rec(row).is_some_and(|r| app.marks.contains(&(r.file(), r.offset())));
        let base = if selected {
            if app.color {
                Style::default().bg(Color::DarkGray).add_modifier(Modifier::BOLD)
            } else {
                Style::default().add_modifier(Modifier::REVERSED)
            }
        } else {
            Style::default()
        };
        let mut spans = Vec::new();
        let mut msg_lines = Vec::new();
        let mut indent = 0;
        for (c, w) in app.columns.iter().zip(&ws) {
            if *w == 0 {
                continue;
            }
            if *c == Col::Msg {
                msg_lines = msg_spans(app, &s.msg, *w, base);
                if let Some(first) = msg_lines.first() {
                    spans.extend(first.spans.clone());
                }
            } else {
                let text = cell_text(app, &s, c);
                let style = match c {
                    Col::Level => level_style(app, s.level).patch(base),
                    Col::Time if marked => base.add_modifier(Modifier::UNDERLINED),
                    Col::Time => {
                        if app.color {
                            base.fg(Color::Gray)
                        } else {
                            base
                        }
                    }
                    Col::Host if app.color => base.fg(Color::Cyan),
                    _ => base,
                };
                spans.push(Span::styled(pad(&text, *w), style));
                spans.push(Span::styled(" ", base));
                indent += w + 1;
            }
        }
        lines.push(Line::from(spans).style(base));
        used += 1;
        for extra in msg_lines.into_iter().skip(1) {
            if used >= rows_h {
                break;
            }
            let mut sp = vec![Span::styled(" ".repeat(indent), base)];
            sp.extend(extra.spans);
            lines.push(Line::from(sp).style(base));
            used += 1;
        }
        row += 1;
    }
    f.render_widget(Paragraph::new(lines), area);
}

fn footer(f: &mut Frame, app: &App, area: Rect) {
    let keys = match &app.mode {
        Mode::Search(s) => format!("/{s}▏   Enter: search  Esc: cancel  (regex, smart case)"),
        Mode::Query(s) => format!(":{s}▏   Enter: apply  Esc: cancel  (--level warn --user bob -e timeout --day 2026-11-20)"),
        Mode::Goto(s) => format!("go to time: {s}▏   (10:00, 2026-11-20 10:00, -2h)"),
        Mode::Export(s) => format!("export FORMAT PATH: {s}▏   (csv|xlsx|ndjson FILE)  Enter: start  Esc: cancel"),
        Mode::Detail { .. } => "↑↓ prev/next  Tab field  + only this value  - hide it  y copy raw  Y copy JSON  PgUp/PgDn  Esc close".into(),
        Mode::Histogram => "←→ bucket  Enter jump  z zoom  Esc back".into(),
        Mode::Picker { .. } => "↑↓ choose  Enter only this  - hide this  Esc cancel".into(),
        Mode::Levels { .. } => "↑↓ choose  Space toggle  Enter done".into(),
        Mode::Columns { .. } => "↑↓ choose  Space show/hide  Enter done".into(),
        Mode::Audit { .. } => "↑↓ choose  Enter timeline of this request  o sort  Esc back".into(),
        Mode::Patterns { .. } => "↑↓ choose  Enter only this template  - hide/show it  0 show all  Esc back".into(),
        Mode::Help => "any key: close help".into(),
        Mode::Table => "q quit  / search  n/N next  l level  d day  : filters  Enter detail  e/x next error/warn  F follow  S export  ? help".into(),
    };
    let mut status = String::new();
    if !app.indexed {
        let (d, t) = app.index_progress;
        status.push_str(&format!(" indexing {}%", (d * 100).checked_div(t).unwrap_or(0)));
    }
    if let Some(n) = app.exporting {
        status.push_str(&format!(" exporting: {n} rows"));
    }
    let msg = app.message.as_ref().filter(|(_, t)| t.elapsed().as_secs() < 6).map(|(m, _)| escaped(m).into_owned());
    let text = match msg {
        Some(m) => format!(" {m}{status}"),
        None => format!(" {keys}{status}"),
    };
    let style = if app.color {
        Style::default().fg(Color::Black).bg(Color::Gray)
    } else {
        Style::default().add_modifier(Modifier::REVERSED)
    };
    f.render_widget(Paragraph::new(fit(&text, area.width as usize)).style(style), area);
}

fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect { x: area.x + (area.width - w) / 2, y: area.y + (area.height - h) / 2, width: w, height: h }
}

fn detail(f: &mut Frame, app: &mut App, area: Rect, field: usize, scroll: u16) {
    let Some(s) = app.shown(app.selected) else { return };
    let r = Rect {
        x: area.x + 1,
        y: area.y + 1,
        width: area.width.saturating_sub(2),
        height: area.height.saturating_sub(3),
    };
    f.render_widget(Clear, r);
    let bold = Style::default().add_modifier(Modifier::BOLD);
    let dim = Style::default().fg(Color::DarkGray);
    let mut lines = Vec::new();
    lines.push(Line::from(vec![
        Span::styled(s.ts.map_or("(no time)".into(), |t| fmt_time(app, t.nanos)), bold),
        Span::raw("  "),
        Span::styled(logx::sink::level_label(s.level).trim_end().to_string(), level_style(app, s.level)),
        Span::raw("  "),
        Span::styled(format!("{} · {}", escaped(&s.source), s.format), dim),
        Span::raw(format!("  entry {} of {}", app.selected + 1, app.len())),
    ]));
    lines.push(Line::raw(""));
    lines.push(Line::styled("Message", bold));
    for l in s.msg.split('\n') {
        lines.push(Line::raw(format!("  {}", escaped(l))));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled("Fields  (Tab to choose, + only this value, - hide it)", bold));
    let mut i = 0;
    let cursor_style = if app.color {
        Style::default().bg(Color::Blue).fg(Color::White)
    } else {
        Style::default().add_modifier(Modifier::REVERSED)
    };
    for w in WellKnown::ALL {
        if let Some(v) = s.get(w) {
            let st = if i == field { cursor_style } else { Style::default() };
            lines.push(Line::from(vec![
                Span::styled(format!("  {:<14}", w.key()), st.add_modifier(Modifier::BOLD)),
                Span::styled(escaped(v).into_owned(), st),
            ]));
            i += 1;
        }
    }
    for (k, v, json) in &s.fields {
        if *json {
            continue;
        }
        let st = if i == field { cursor_style } else { Style::default() };
        lines.push(Line::from(vec![
            Span::styled(format!("  {:<14}", escaped(k)), st.add_modifier(Modifier::BOLD)),
            Span::styled(escaped(v).into_owned(), st),
        ]));
        i += 1;
    }
    for (k, v, json) in &s.fields {
        if !*json {
            continue;
        }
        lines.push(Line::styled(format!("  {}", escaped(k)), Style::default().add_modifier(Modifier::BOLD)));
        let pretty = serde_json::from_str::<serde_json::Value>(v)
            .ok()
            .and_then(|j| serde_json::to_string_pretty(&j).ok())
            .unwrap_or_else(|| v.clone());
        for l in pretty.lines() {
            lines.push(Line::raw(format!("    {}", escaped(l))));
        }
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled("Raw", bold));
    for l in s.raw.split('\n') {
        lines.push(Line::styled(format!("  {}", escaped(l)), dim));
    }
    let block = Block::default().borders(Borders::ALL).title(" entry (Esc to close) ");
    f.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }).scroll((scroll, 0)), r);
}

fn help(f: &mut Frame, _app: &App, area: Rect) {
    let keys = [
        ("q / Ctrl-C", "quit"),
        ("↑↓ j k, PgUp PgDn, g G", "move, page, top, bottom"),
        ("← →, w", "scroll long messages, wrap them"),
        ("Enter, click", "open the entry (Enter/Esc closes)"),
        ("/, n N, f", "search (regex, smart case), next/previous match, only matches"),
        ("Esc", "clear the search"),
        ("l, L", "minimum level (cycles), pick exact levels"),
        ("d, < >, D", "this entry's day, previous/next day, clear the period"),
        (":", "filters in the command line's syntax (--from 10:00 --to 11:00 --user bob)"),
        ("i, s, U", "pick a host/instance, service, user (with counts)"),
        ("u", "undo the last filter change"),
        ("t", "go to a time"),
        ("e E, x X", "next/previous error, warning"),
        ("m, '", "mark the entry, go to the next mark"),
        ("h, H", "show/hide the histogram, select a bar (Enter jumps, z zooms)"),
        ("c", "choose columns (fields of the entry too)"),
        ("A", "request groups (audit); Enter shows one as a timeline"),
        ("P", "message templates; Enter shows one, - hides one (noise)"),
        ("F", "follow new entries"),
        ("S", "export the view (csv, xlsx, ndjson)"),
        ("C", "show and copy the equivalent logx command"),
        ("r", "reload"),
        ("wheel, click", "scroll, select; click again to open"),
    ];
    let lines: Vec<Line> = keys
        .iter()
        .map(|(k, d)| {
            Line::from(vec![
                Span::styled(format!(" {k:<26}"), Style::default().add_modifier(Modifier::BOLD)),
                Span::raw(d.to_string()),
            ])
        })
        .collect();
    let r = centered(area, 96, lines.len() as u16 + 2);
    f.render_widget(Clear, r);
    f.render_widget(Paragraph::new(lines).block(Block::default().borders(Borders::ALL).title(" keys ")), r);
}

fn list_popup(f: &mut Frame, app: &App, area: Rect, title: &str, items: Vec<String>, cursor: usize) {
    let h = (items.len() as u16 + 2).clamp(3, area.height.saturating_sub(2));
    let r = centered(area, 60, h);
    f.render_widget(Clear, r);
    let visible = h.saturating_sub(2) as usize;
    let start = cursor.saturating_sub(visible.saturating_sub(1));
    let sel = if app.color {
        Style::default().bg(Color::Blue).fg(Color::White)
    } else {
        Style::default().add_modifier(Modifier::REVERSED)
    };
    let lines: Vec<Line> = items
        .iter()
        .enumerate()
        .skip(start)
        .take(visible)
        .map(|(i, t)| Line::styled(format!(" {}", escaped(t)), if i == cursor { sel } else { Style::default() }))
        .collect();
    f.render_widget(Paragraph::new(lines).block(Block::default().borders(Borders::ALL).title(format!(" {title} "))), r);
}

fn picker(f: &mut Frame, app: &App, area: Rect, field: &str, cursor: usize) {
    let items: Vec<String> = if app.values.is_empty() {
        vec!["counting…".into()]
    } else {
        app.values.iter().map(|(v, n)| format!("{:<40} {:>10}", fit(v, 40), thousands(*n as usize))).collect()
    };
    list_popup(f, app, area, &format!("{field} values"), items, cursor);
}

fn levels(f: &mut Frame, app: &App, area: Rect, cursor: usize) {
    let mut counts = [0usize; 7];
    for r in app.recs.iter() {
        counts[r.level_index()] += 1;
    }
    let set: Vec<String> = app.spec.levels.iter().flat_map(|s| s.split(',').map(String::from)).collect();
    let items: Vec<String> = (0..7)
        .map(|i| {
            let name = if i == 6 { "none".to_string() } else { LEVELS[i].as_str().to_string() };
            format!("[{}] {:<6} {:>10}", if set.contains(&name) { "x" } else { " " }, name, thousands(counts[i]))
        })
        .collect();
    list_popup(f, app, area, "levels (Space toggles)", items, cursor);
}

fn columns(f: &mut Frame, app: &mut App, area: Rect, cursor: usize) {
    let choices = app.column_choices();
    let items: Vec<String> = choices
        .iter()
        .map(|c| format!("[{}] {}", if app.columns.contains(c) { "x" } else { " " }, c.title()))
        .collect();
    list_popup(f, app, area, "columns (Space shows/hides)", items, cursor);
}

/// An offset from the start of a request: `+0`, `+12ms`, `+1.250s`, `+2m 5s`.
fn offset_text(ns: i64) -> String {
    if ns <= 0 {
        return "+0".into();
    }
    if ns < 1_000_000_000 {
        let us = ns / 1000;
        return if us < 10_000 { format!("+{}.{:03}ms", us / 1000, us % 1000) } else { format!("+{}ms", us / 1000) };
    }
    if ns < 60_000_000_000 {
        return format!("+{}.{:03}s", ns / 1_000_000_000, (ns / 1_000_000) % 1000);
    }
    format!("+{}", logx::stats::human_duration(ns))
}

fn audit(f: &mut Frame, app: &mut App, area: Rect, cursor: usize, sort: &str) {
    f.render_widget(Clear, area);
    let Some(groups) = app.audit.as_ref() else {
        f.render_widget(
            Paragraph::new(" grouping by request id…")
                .block(Block::default().borders(Borders::ALL).title(" requests ")),
            area,
        );
        return;
    };
    let title = format!(
        " requests: {} groups, {} entries without a request id; sorted by {sort} ",
        thousands(groups.len()),
        thousands(groups.without_key as usize)
    );
    let inner_h = area.height.saturating_sub(3) as usize;
    let width = area.width.saturating_sub(2) as usize;
    let head = format!(
        "{:<23} {:>9} {:>6} {:<5} {:<10} {:<24} {}",
        "First", "Duration", "Lines", "Level", "User", "Services", "First message"
    );
    let mut lines: Vec<Line> = vec![Line::styled(fit(&head, width), Style::default().add_modifier(Modifier::BOLD))];
    if groups.is_empty() {
        lines.push(Line::raw(" no entry carries a request id (Request-Id, SpanRootUuid, reqId, trace_id...)"));
    }
    let start = cursor.saturating_sub(inner_h.saturating_sub(1));
    let sel = if app.color {
        Style::default().bg(Color::Blue).fg(Color::White)
    } else {
        Style::default().add_modifier(Modifier::REVERSED)
    };
    for (i, g) in (start..groups.len().min(start + inner_h)).filter_map(|i| Some((i, groups.get(i)?))) {
        let first = g.first.map_or(String::new(), |t| fmt_time(app, t));
        let dur = logx::stats::human_duration(g.duration());
        let lvl = logx::sink::level_label(g.worst).trim_end().to_string();
        let user = g.user.as_ref().map_or("", |(_, u)| &**u);
        let mut services = g.services.join(",");
        if g.more_services {
            services.push('…');
        }
        let msg = g.first_msg.as_ref().map_or("", |(_, m)| &**m);
        let text = format!(
            "{:<23} {:>9} {:>6} {:<5} {:<10} {:<24} {}",
            first,
            dur,
            g.count,
            lvl,
            fit(&escaped(user), 10),
            fit(&escaped(&services), 24),
            escaped(msg.split('\n').next().unwrap_or(""))
        );
        let style = if i == cursor {
            sel
        } else if g.failed() {
            level_style(app, g.worst)
        } else {
            Style::default()
        };
        lines.push(Line::styled(fit(&text, width), style));
    }
    f.render_widget(Paragraph::new(lines).block(Block::default().borders(Borders::ALL).title(title)), area);
}

fn patterns(f: &mut Frame, app: &mut App, area: Rect, cursor: usize) {
    f.render_widget(Clear, area);
    let rows = app.pattern_rows();
    if app.patterns.is_none() || (app.mining && rows.is_empty()) {
        f.render_widget(
            Paragraph::new(" mining message templates…")
                .block(Block::default().borders(Borders::ALL).title(" templates ")),
            area,
        );
        return;
    }
    let total: u64 = rows.iter().map(|p| p.count).sum();
    let hidden = &app.spec.hide_templates;
    let title = format!(
        " templates: {} ({} hidden){} ",
        thousands(rows.len()),
        hidden.len(),
        if app.mining { ", updating…" } else { "" }
    );
    let inner_h = area.height.saturating_sub(3) as usize;
    let width = area.width.saturating_sub(2) as usize;
    let head = format!("{:>6} {:>10} {:>6}  {:<30}  {}", "ID", "Count", "Share", "Activity", "Template");
    let mut lines: Vec<Line> = vec![Line::styled(fit(&head, width), Style::default().add_modifier(Modifier::BOLD))];
    let start = cursor.saturating_sub(inner_h.saturating_sub(1));
    let sel = if app.color {
        Style::default().bg(Color::Blue).fg(Color::White)
    } else {
        Style::default().add_modifier(Modifier::REVERSED)
    };
    for (i, p) in rows.iter().enumerate().skip(start).take(inner_h) {
        let is_hidden = hidden.contains(&(p.id as u64));
        let text = format!(
            "{:>6} {:>10} {:>5.1}%  {:<30}  {}{}",
            format!("#{}", p.id),
            thousands(p.count as usize),
            p.count as f64 * 100.0 / total.max(1) as f64,
            crate::cli::patterns::sparkline(&p.buckets),
            if is_hidden { "[hidden] " } else { "" },
            escaped(&p.template)
        );
        let worst = (0..6).rev().find(|&l| p.levels[l] > 0).map(|l| LEVELS[l]);
        let style = if i == cursor {
            sel
        } else if is_hidden {
            Style::default().add_modifier(Modifier::DIM)
        } else if worst.is_some_and(|l| l >= Level::Warn) {
            level_style(app, worst)
        } else {
            Style::default()
        };
        lines.push(Line::styled(fit(&text, width), style));
    }
    f.render_widget(Paragraph::new(lines).block(Block::default().borders(Borders::ALL).title(title)), area);
}
