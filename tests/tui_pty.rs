//! The real binary in a real pseudo-terminal: keys typed, the screen read back through a
//! terminal emulator (vt100), with deadlines (longer on CI: LOGX_TEST_TIMEOUT_MS).

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize};

use crate::util::{fixture, root, tempdir};

pub struct Tui {
    parser: Arc<Mutex<vt100::Parser>>,
    raw: Arc<Mutex<Vec<u8>>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    master: Box<dyn portable_pty::MasterPty + Send>,
}

fn timeout() -> Duration {
    let ms = std::env::var("LOGX_TEST_TIMEOUT_MS").ok().and_then(|v| v.parse().ok()).unwrap_or(10_000);
    Duration::from_millis(ms)
}

impl Tui {
    pub fn start(args: &[&str], rows: u16, cols: u16) -> Tui {
        let pty = portable_pty::native_pty_system();
        let pair = pty.openpty(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 }).expect("a pty");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_logx"));
        cmd.args(args);
        cmd.cwd(root());
        cmd.env("TZ", "UTC");
        cmd.env("TERM", "xterm-256color");
        cmd.env("XDG_CONFIG_HOME", root().join("target/test-config-none"));
        cmd.env("XDG_CACHE_HOME", std::env::temp_dir().join("logx-pty-cache"));
        cmd.env_remove("NO_COLOR");
        let child = pair.slave.spawn_command(cmd).expect("spawn");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("reader");
        let writer = pair.master.take_writer().expect("writer");
        let parser = Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0)));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let (p2, r2) = (parser.clone(), raw.clone());
        std::thread::spawn(move || {
            let mut buf = [0u8; 65536];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                p2.lock().unwrap().process(&buf[..n]);
                r2.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        Tui { parser, raw, writer, child, master: pair.master }
    }

    pub fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    pub fn raw(&self) -> Vec<u8> {
        self.raw.lock().unwrap().clone()
    }

    pub fn title(&self) -> String {
        self.parser.lock().unwrap().screen().title().to_string()
    }

    /// Waits until the screen holds `text`; returns how long it took.
    pub fn wait_for(&self, text: &str) -> Duration {
        let start = Instant::now();
        loop {
            if self.screen().contains(text) {
                return start.elapsed();
            }
            if start.elapsed() > timeout() {
                panic!("waited {:?} for {text:?}; the screen is:\n{}", timeout(), self.screen());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn wait_gone(&self, text: &str) {
        let start = Instant::now();
        while self.screen().contains(text) {
            if start.elapsed() > timeout() {
                panic!("{text:?} did not go; the screen is:\n{}", self.screen());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
        std::thread::sleep(Duration::from_millis(60));
    }

    pub fn resize(&mut self, rows: u16, cols: u16) {
        self.master.resize(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 }).unwrap();
        self.parser.lock().unwrap().set_size(rows, cols);
    }

    /// Ends a command that does not quit on `q` (`tail` following).
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    pub fn quit(mut self) {
        self.send("q");
        let start = Instant::now();
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                assert!(status.success(), "exit status {status:?}");
                return;
            }
            if start.elapsed() > timeout() {
                let _ = self.child.kill();
                panic!("the TUI did not quit");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

#[test]
fn level_search_and_matches_on_a_real_log() {
    let corpus = need_corpus!();
    let hdfs = corpus.join("loghub/HDFS_2k.log");
    let mut t = Tui::start(&["tui", hdfs.to_str().unwrap()], 30, 120);
    t.wait_for("2,000 of 2,000");
    t.wait_for("PacketResponder 1 for block b");
    // Minimum level: debug, info, warn.
    t.send("lll");
    t.wait_for("80 of 2,000");
    t.wait_for("level ≥ warn");
    // Search within the view, step through matches: warnings about negative block ids.
    let text = std::fs::read_to_string(&hdfs).unwrap();
    let n = text.lines().filter(|l| l.contains(" WARN ") && l.contains("blk_-")).count();
    assert!(n > 2);
    // The first warning is itself a match: `n` moves to the second one.
    let first_warn = text.lines().find(|l| l.contains(" WARN ")).unwrap();
    let k = usize::from(first_warn.contains("blk_-"));
    t.send("/blk_-\r");
    t.wait_for("/blk_-/");
    t.send("n");
    t.wait_for(&format!("match {} of {n}", 1 + k));
    t.send("n");
    t.wait_for(&format!("match {} of {n}", 2 + k));
    t.send("N");
    t.wait_for(&format!("match {} of {n}", 1 + k));
    // Only matches.
    t.send("f");
    t.wait_for("showing only matches");
    t.wait_for(&format!(" {n} of 2,000"));
    t.quit();
}

#[test]
fn detail_view_opens_and_closes() {
    let mut t = Tui::start(&["tui", fixture("app.log").to_str().unwrap()], 30, 120);
    t.wait_for("201 of 201");
    t.send("e");
    t.send("\r");
    t.wait_for("entry (Esc to close)");
    t.wait_for("Caused by: java.io.IOException: Stream closed");
    t.send("\x1b");
    t.wait_gone("entry (Esc to close)");
    t.quit();
}

#[test]
fn pick_a_day_and_undo() {
    let corpus = need_corpus!();
    let hdfs = corpus.join("loghub/HDFS_2k.log");
    let mut t = Tui::start(&["tui", hdfs.to_str().unwrap()], 30, 120);
    t.wait_for("2,000 of 2,000");
    t.send("d");
    t.wait_for("day 2008-11-09");
    // The first day of HDFS_2k has 330 entries (loghub's ground truth dates 081109).
    let truth = std::fs::read_to_string(corpus.join("loghub/ground-truth/HDFS_2k.log_structured.csv")).unwrap();
    let n = truth.lines().skip(1).filter(|l| l.split(',').nth(1) == Some("081109")).count();
    t.wait_for(&format!("{n} of 2,000"));
    t.send(">");
    t.wait_for("day 2008-11-10");
    t.send("u");
    t.wait_for("day 2008-11-09");
    t.quit();
}

#[test]
fn follow_shows_a_new_line_within_a_second() {
    let dir = tempdir();
    let p = dir.path().join("live.log");
    std::fs::write(&p, "2026-11-21 10:00:00 INFO first line\n").unwrap();
    let mut t = Tui::start(&["tui", "-f", p.to_str().unwrap()], 24, 100);
    t.wait_for("first line");
    let mut f = std::fs::OpenOptions::new().append(true).open(&p).unwrap();
    writeln!(f, "2026-11-21 10:00:01 ERROR appended while watching").unwrap();
    drop(f);
    let took = t.wait_for("appended while watching");
    assert!(took < Duration::from_secs(1) || std::env::var("CI").is_ok(), "took {took:?}");
    t.send("q");
    let _ = t.child.wait();
}

#[test]
fn export_from_the_tui_and_read_it_back() {
    let dir = tempdir();
    let out = dir.path().join("view.csv");
    let mut t = Tui::start(&["tui", "--level", "error", fixture("directus.json").to_str().unwrap()], 30, 120);
    t.wait_for("18 of 150");
    t.send("S");
    t.wait_for("export FORMAT PATH");
    // Replace the suggested path.
    t.send(&"\x7f".repeat(40));
    t.send(&format!("csv {}\r", out.display()));
    t.wait_for("exported 18 rows");
    let mut rdr = csv::Reader::from_path(&out).unwrap();
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 18);
    assert!(rows.iter().all(|r| &r[1] == "error"));
    t.quit();
}

#[test]
fn audit_view_and_a_request_timeline() {
    let mut t = Tui::start(&["tui", fixture("audit").to_str().unwrap()], 30, 160);
    t.wait_for("of ");
    t.send("A");
    t.wait_for("groups, ");
    // Pressed while indexing may still run: the groups follow the index as it completes.
    t.wait_for("POST /a/share/link");
    let s = t.screen();
    // The fixture's requests (checked against the CLI in the audit tests): the failed share is
    // among them, with its user and worst level.
    let share = s.lines().find(|l| l.contains("POST /a/share/link")).unwrap_or_else(|| panic!("{s}"));
    assert!(share.contains("ERROR") && share.contains("bob"), "{share}");
    assert!(s.contains("entries without a request id"), "{s}");
    // Sort by duration: the upload (1.2s) comes first.
    t.send("o");
    t.wait_for("sorted by duration");
    let s = t.screen();
    let first_row = s.lines().skip_while(|l| !l.contains("First message")).nth(1).unwrap();
    assert!(first_row.contains("PUT /io/personal-files/report.pdf"), "{s}");
    // Enter: the upload's entries as a timeline, offsets from its first entry.
    t.send("\r");
    t.wait_for("Offset");
    t.wait_for("6 of ");
    t.wait_for("+1.250s");
    let s = t.screen();
    assert!(s.contains("+0 ") && s.contains("+120ms"), "{s}");
    assert!(s.contains("pydio.grpc.meta"), "{s}");
    // Esc: back to the groups, and the filters before.
    t.send("\x1b");
    t.wait_for("sorted by duration");
    t.send("\x1b");
    t.wait_gone("Offset");
    t.quit();
}

#[test]
fn patterns_view_hides_and_shows_templates() {
    let log = fixture("app.log");
    let pats = crate::util::json_lines(&crate::util::run(&["patterns", "-o", "json", log.to_str().unwrap()]).stdout);
    let (top_id, top_count) = (pats[0]["id"].as_u64().unwrap(), pats[0]["count"].as_u64().unwrap());
    let mut t = Tui::start(&["tui", log.to_str().unwrap()], 30, 140);
    t.wait_for("201 of 201");
    t.send("P");
    t.wait_for("templates: ");
    // The same templates as `logx patterns`, the biggest first.
    let s = t.screen();
    let first_row = s.lines().skip_while(|l| !l.contains("Template")).nth(1).unwrap();
    assert!(first_row.contains(&format!("#{top_id} ")) && first_row.contains(&top_count.to_string()), "{s}");
    // Hide it: the view loses its entries, the chip says so; show it again.
    t.send("-");
    t.wait_for("(1 hidden)");
    t.send("\x1b");
    t.wait_for(&format!("{} of 201", 201 - top_count));
    t.wait_for(&format!("hidden templates #{top_id}"));
    t.send("P");
    t.wait_for("[hidden]");
    t.send("G");
    t.send("-");
    t.wait_for("(0 hidden)");
    t.send("\x1b");
    t.wait_for("201 of 201");
    // Enter: only that template's entries.
    t.send("P");
    t.wait_for("templates: ");
    t.send("\r");
    t.wait_for(&format!("{top_count} of 201"));
    t.wait_for(&format!("template_id={top_id}"));
    t.send("u");
    t.wait_for("201 of 201");
    t.quit();
}

#[test]
fn resize_and_small_screens() {
    let mut t = Tui::start(&["tui", fixture("cells").to_str().unwrap()], 24, 80);
    t.wait_for("732 of 732");
    t.resize(40, 160);
    t.wait_for("Service");
    t.resize(24, 80);
    std::thread::sleep(Duration::from_millis(300));
    t.wait_for("732 of 732");
    t.send("?");
    t.wait_for("keys");
    t.send("x");
    t.quit();
}

/// The README's screen capture: the real TUI on the fixtures. Run by `.ci/capture-readme.sh`.
#[test]
#[ignore]
fn readme_screen() {
    let mut t = Tui::start(&["tui", "fixtures/"], 30, 120);
    t.wait_for("1,343 of 1,343");
    t.send("x");
    std::thread::sleep(Duration::from_millis(400));
    let screen = t.screen();
    std::fs::write(root().join("target/readme-screen.txt"), screen).unwrap();
    t.quit();
}

#[test]
fn the_configuration_sets_columns_level_theme_and_named_sources() {
    // columns = time, level, service, user, msg; level = info; @billing with a custom format.
    let t = Tui::start(&["--config", "fixtures/custom/config.toml", "tui", "@billing"], 24, 120);
    t.wait_for("card declined");
    let screen = t.screen();
    let header = screen.lines().find(|l| l.starts_with("Time")).unwrap_or_else(|| panic!("{screen}"));
    assert!(header.contains("Service") && header.contains("User") && header.contains("Message"), "{header}");
    assert!(!header.contains("Host") && !header.contains("IP"), "{header}");
    assert!(screen.contains("level ≥ info"), "{screen}");
    assert!(!screen.contains("gateway pool size"), "the debug entry is below the default level: {screen}");
    let row = screen.lines().find(|l| l.contains("card declined")).unwrap();
    assert!(row.contains("billing") && row.contains("bob") && row.contains("ERROR"), "{row}");
    // The dark theme colours levels (crossterm writes colours as 38;5;N).
    let coloured = String::from_utf8_lossy(&t.raw()).contains("\x1b[38;5;");
    t.quit();
    assert!(coloured, "levels are coloured");
    // theme = "mono": no colour at all, whatever the terminal.
    let dir = tempdir();
    let cfg = dir.path().join("config.toml");
    std::fs::write(&cfg, "theme = \"mono\"\n").unwrap();
    let t = Tui::start(&["--config", cfg.to_str().unwrap(), "tui", "fixtures/syslog"], 24, 120);
    t.wait_for("Accepted publickey");
    let raw = String::from_utf8_lossy(&t.raw()).into_owned();
    t.quit();
    for sgr in ["\x1b[38;5;", "\x1b[48;5;", "\x1b[31m", "\x1b[32m"] {
        assert!(!raw.contains(sgr), "mono theme but {sgr:?} was sent");
    }
}
