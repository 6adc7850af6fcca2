//! `logx ship` and `clickhouse://` sources against a real ClickHouse server: Debian's
//! `clickhouse-server` (18.16), started here as a normal process on 127.0.0.1 with a temporary
//! data directory and free ports, killed with the test binary. `.ci/run` installs the package;
//! elsewhere these tests say so and skip when the server is not installed (unless
//! LOGX_REQUIRE_CLICKHOUSE is set, as on CI).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use crate::util::{fixture, logx, root, run, tempdir};

pub struct Server {
    pub http: u16,
    /// The https port and the PEM of the CA that signed its certificate (None: no openssl
    /// here to make one).
    pub https: Option<(u16, PathBuf)>,
}

/// A CA and a certificate for 127.0.0.1 that it signs, made with the openssl command; returns
/// the CA's PEM, or None when openssl is not installed.
fn make_certificates(dir: &Path) -> Option<PathBuf> {
    let openssl = |args: &[&str]| -> bool {
        Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    std::fs::write(
        dir.join("ext.cnf"),
        "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    let ok = openssl(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "30",
        "-subj",
        "/CN=logx test CA",
    ]) && openssl(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
        "-subj",
        "/CN=127.0.0.1",
    ]) && openssl(&[
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "server.pem",
        "-days",
        "30",
        "-extfile",
        "ext.cnf",
    ]);
    ok.then(|| dir.join("ca.pem"))
}

static SERVER: OnceLock<Option<Server>> = OnceLock::new();

fn find_server() -> Option<PathBuf> {
    let path = std::env::var("PATH").unwrap_or_default();
    let found = path
        .split(':')
        .chain(["/usr/sbin", "/usr/bin", "/sbin"])
        .map(|d| Path::new(d).join("clickhouse-server"))
        .find(|p| p.is_file());
    found
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// The shared server, started on first use; None (the test skips) when not installed.
pub fn server() -> Option<&'static Server> {
    SERVER
        .get_or_init(|| {
            let Some(bin) = find_server() else {
                if std::env::var_os("LOGX_REQUIRE_CLICKHOUSE").is_some() {
                    panic!("LOGX_REQUIRE_CLICKHOUSE is set but clickhouse-server is not installed");
                }
                eprintln!("skipped: clickhouse-server is not installed (apt-get install clickhouse-server)");
                return None;
            };
            let base = root().join("target");
            if let Ok(rd) = std::fs::read_dir(&base) {
                for e in rd.flatten() {
                    if e.file_name().to_string_lossy().starts_with("ch-test-") {
                        let _ = std::fs::remove_dir_all(e.path());
                    }
                }
            }
            let dir = base.join(format!("ch-test-{}", std::process::id()));
            std::fs::create_dir_all(&dir).unwrap();
            let (http, tcp) = (free_port(), free_port());
            let d = dir.display();
            let ca = make_certificates(&dir);
            let https_port = free_port();
            let https = match &ca {
                Some(_) => format!(
                    "<https_port>{https_port}</https_port>\n<openSSL><server><certificateFile>{d}/server.pem</certificateFile>\
                     <privateKeyFile>{d}/server.key</privateKeyFile><verificationMode>none</verificationMode>\
                     <loadDefaultCAFile>false</loadDefaultCAFile><disableProtocols>sslv2,sslv3</disableProtocols>\
                     </server></openSSL>\n"
                ),
                None => String::new(),
            };
            std::fs::write(
                dir.join("config.xml"),
                format!(
                    "<yandex>\n<logger><level>warning</level><console>1</console></logger>\n\
                     <http_port>{http}</http_port><tcp_port>{tcp}</tcp_port>\n{https}\
                     <listen_host>127.0.0.1</listen_host>\n<path>{d}/data/</path><tmp_path>{d}/tmp/</tmp_path>\n\
                     <user_files_path>{d}/user_files/</user_files_path>\n\
                     <format_schema_path>{d}/format_schemas/</format_schema_path>\n\
                     <users_config>users.xml</users_config><default_profile>default</default_profile>\n\
                     <default_database>default</default_database><mark_cache_size>268435456</mark_cache_size>\n\
                     <max_concurrent_queries>100</max_concurrent_queries>\n</yandex>\n"
                ),
            )
            .unwrap();
            std::fs::write(
                dir.join("users.xml"),
                "<yandex><profiles><default></default></profiles><users>\
                 <default><password></password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></default>\
                 <ops><password>s3cret'\"pw</password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></ops>\
                 </users><quotas><default></default></quotas></yandex>\n"
                    .replace("s3cret'\"pw", "s3cret&apos;&quot;pw"),
            )
            .unwrap();
            // Started from a thread that never ends: the server gets SIGKILL when the test
            // process goes (PR_SET_PDEATHSIG follows the spawning thread).
            let (tx, rx) = std::sync::mpsc::channel();
            let cfg = dir.join("config.xml");
            let log = std::fs::File::create(dir.join("server.log")).unwrap();
            std::thread::spawn(move || {
                use std::os::unix::process::CommandExt;
                let mut cmd = Command::new(bin);
                cmd.arg(format!("--config-file={}", cfg.display()))
                    .stdin(Stdio::null())
                    .stdout(log.try_clone().unwrap())
                    .stderr(log);
                unsafe {
                    cmd.pre_exec(|| {
                        libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
                        Ok(())
                    });
                }
                let child = cmd.spawn().expect("start clickhouse-server");
                tx.send(()).unwrap();
                let _keep = child;
                loop {
                    std::thread::park();
                }
            });
            rx.recv().unwrap();
            let s = Server { http, https: ca.map(|ca| (https_port, ca)) };
            let start = Instant::now();
            while s.try_query("SELECT 1").is_err() {
                assert!(
                    start.elapsed() < Duration::from_secs(90),
                    "clickhouse-server did not answer on {http}; its log:\n{}",
                    std::fs::read_to_string(dir.join("server.log")).unwrap_or_default()
                );
                std::thread::sleep(Duration::from_millis(200));
            }
            Some(s)
        })
        .as_ref()
}

impl Server {
    pub fn url(&self, table: &str) -> String {
        format!("clickhouse://127.0.0.1:{}/{table}", self.http)
    }

    /// Runs SQL over HTTP (written by hand: the test checks logx's client, not its own).
    pub fn try_query(&self, sql: &str) -> Result<String, String> {
        let mut s = TcpStream::connect(("127.0.0.1", self.http)).map_err(|e| e.to_string())?;
        write!(s, "POST / HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Length: {}\r\n\r\n{sql}", sql.len())
            .map_err(|e| e.to_string())?;
        let mut out = String::new();
        s.read_to_string(&mut out).map_err(|e| e.to_string())?;
        let (head, body) = out.split_once("\r\n\r\n").ok_or("no HTTP answer")?;
        if !head.starts_with("HTTP/1.1 200") && !head.starts_with("HTTP/1.0 200") {
            return Err(format!("{head}\n{body}"));
        }
        Ok(body.to_string())
    }

    pub fn query(&self, sql: &str) -> String {
        self.try_query(sql).unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    pub fn number(&self, sql: &str) -> u64 {
        self.query(sql).trim().parse().unwrap_or_else(|_| panic!("{sql}: not a number"))
    }
}

macro_rules! need_server {
    () => {
        match server() {
            Some(s) => s,
            None => return,
        }
    };
}

fn ship(args: &[&str]) -> crate::util::Run {
    let mut a = vec!["ship"];
    a.extend_from_slice(args);
    let r = run(&a);
    assert_eq!(r.code, 0, "logx ship {args:?}: {}", r.stderr);
    r
}

/// NDJSON of `cat` over one input, without the fields that name where an entry was read
/// (source, line), as a comparable list.
fn cat_json(filters: &[&str], input: &str) -> Vec<String> {
    let mut a = vec!["cat", "-o", "json"];
    a.extend_from_slice(filters);
    a.push(input);
    let r = run(&a);
    assert!(r.code <= 1, "cat {a:?}: {}", r.stderr);
    r.stdout
        .lines()
        .map(|l| {
            let mut v: serde_json::Value = serde_json::from_str(l).unwrap();
            let o = v.as_object_mut().unwrap();
            o.remove("source");
            o.remove("line");
            v.to_string()
        })
        .collect()
}

fn count(filters: &[&str], input: &str) -> String {
    let mut a = vec!["cat", "-c"];
    a.extend_from_slice(filters);
    a.push(input);
    let r = run(&a);
    assert!(r.code <= 1, "cat -c {a:?}: {}", r.stderr);
    r.stdout.trim().to_string()
}

#[test]
fn pushed_down_results_equal_the_local_engine_for_every_filter_kind() {
    let s = need_server!();
    let dir = tempdir();
    let mut inputs: Vec<(String, &str)> = vec![
        (fixture("app.log").display().to_string(), "eq.app"),
        (fixture("cells").display().to_string(), "eq.cells"),
        (fixture("directus.json").display().to_string(), "eq.directus"),
        (fixture("syslog").display().to_string(), "eq.syslog"),
    ];
    // Entries whose text differs from their bytes: escapes, templates, aliases.
    let odd = dir.path().join("odd.json");
    std::fs::write(
        &odd,
        concat!(
            "{\"level\":30,\"time\":1794614400000,\"hostname\":\"d-1\",\"msg\":\"conn\\u0065ction reset\",\"user\":\"b\\u006fb\"}\n",
            "{\"level\":50,\"time\":1794614401000,\"hostname\":\"d-1\",\"msg\":\"a\\/b reset\",\"status\":503}\n",
            "{\"level\":50,\"time\":1794614402000,\"hostname\":\"d-2\",\"@mt\":\"{What} res{Rest}\",\"What\":\"peer\",\"Rest\":\"et\"}\n",
            "{\"level\":40,\"time\":1794614403000,\"hostname\":\"d-2\",\"msg\":\"slow\",\"UserName\":\"erin\",\"req\":{\"method\":\"POST\"},\"status\":500}\n",
            "{\"level\":30,\"time\":1794614404000,\"hostname\":\"d-1\",\"msg\":\"ok\",\"pid\":7,\"status\":\"5\\u0030\\u0030\"}\n",
        ),
    )
    .unwrap();
    inputs.push((odd.display().to_string(), "eq.odd"));
    let gen = root().join("../shared/tools/gen_corpus.py");
    if gen.is_file() {
        let st = Command::new("python3")
            .arg(&gen)
            .arg(dir.path())
            .args(["--size", "3M", "--only", "app.log,cells.json,directus.json,access.log,app.logfmt"])
            .stdout(Stdio::null())
            .status()
            .unwrap();
        assert!(st.success());
        for (f, t) in [
            ("app.log", "eq.gen_app"),
            ("cells.json", "eq.gen_cells"),
            ("directus.json", "eq.gen_directus"),
            ("access.log", "eq.gen_access"),
            ("app.logfmt", "eq.gen_logfmt"),
        ] {
            inputs.push((dir.path().join(f).display().to_string(), t));
        }
    } else {
        eprintln!("../shared/tools/gen_corpus.py is absent: only the fixtures are compared");
    }
    let filters: &[&[&str]] = &[
        &[],
        &["--level", "warn"],
        &["--levels", "info,error"],
        &["--levels", "none"],
        &["-F", "reset"],
        &["-F", "RESET", "-i"],
        &["-e", "time[do]ut|refused"],
        &["-e", "(?i)DENIED"],
        &["-v", "-F", "reset"],
        // case-sensitive literals are answered by the server on the message column: escaped,
        // templated, multi-line messages included
        &["-F", "a/b"],
        &["-F", "peer reset"],
        &["-e", "connection reset"],
        &["-v", "-F", "reset", "-F", "slow"],
        &["-F", "java.net.SocketTimeoutException"],
        &["--all-fields", "-F", "alice"],
        &["--from", "2026-11-20T12:03:00Z", "--to", "2026-11-20T12:05:00Z"],
        &["--from", "2026-11-14T10:00:00Z", "--to", "2026-11-14T11:00:00Z"],
        &["--day", "2026-11-14"],
        &["--service", "billing"],
        &["--service", "bill*"],
        &["--host", "node-1"],
        &["--user", "bob"],
        &["--ip", "10.0.0.7"],
        &["--request-id", "r-0012"],
        &["--where", "user=bob"],
        &["--where", "status>=500"],
        &["--where", "user~=^(bob|erin)$"],
        &["--where", "user!=bob"],
        &["--where", "user=b*", "--where", "user=erin"],
        &["--where", "service!=billing", "--where", "host!=node*"],
        &["--where", "request_id=r-0012"],
        &["--where", "user=-"],
        &["--where", "user!=-"],
        &["--where", "status?"],
        &["--where", "status~=^5"],
        &["--where", "status=500"],
        &["--where", "responseTime>500"],
        &["--where", "req.method=POST"],
        &["--where", "UserName?"],
        &["--where", "user~=^(bob|erin)$", "--where", "fields.pid?"],
        &["--level", "error", "-F", "502", "--service", "checkout"],
    ];
    let mut compared = 0;
    for (path, table) in &inputs {
        let url = s.url(table);
        let ck = dir.path().join(format!("{table}.ck"));
        ship(&[path, "--to", &url, "--checkpoint", ck.to_str().unwrap(), "-q"]);
        for f in filters {
            let local = cat_json(f, path);
            let remote = cat_json(f, &url);
            assert_eq!(
                local.len(),
                remote.len(),
                "{path} {f:?}: {} entries local, {} from {url}",
                local.len(),
                remote.len()
            );
            assert!(local == remote, "{path} {f:?}: entries differ between the files and {url}");
            assert_eq!(count(f, path), count(f, &url), "{path} {f:?}: cat -c");
            compared += local.len();
        }
    }
    eprintln!("{} inputs x {} filters: {compared} entries equal", inputs.len(), filters.len());
    assert!(compared > 1000, "the comparison saw too little: {compared}");
}

/// Rotation as logrotate does it: every numbered file moves up one, the live file becomes .1,
/// and .2 is gzipped (written directly under its .gz name, as gzip does).
fn rotate(log: &Path) {
    let name = log.file_name().unwrap().to_string_lossy().to_string();
    let dir = log.parent().unwrap();
    let mut n = 1;
    while dir.join(format!("{name}.{n}")).exists() || dir.join(format!("{name}.{n}.gz")).exists() {
        n += 1;
    }
    for k in (1..n).rev() {
        for ext in ["", ".gz"] {
            let from = dir.join(format!("{name}.{k}{ext}"));
            if from.exists() {
                std::fs::rename(&from, dir.join(format!("{name}.{}{ext}", k + 1))).unwrap();
            }
        }
    }
    std::fs::rename(log, dir.join(format!("{name}.1"))).unwrap();
    let two = dir.join(format!("{name}.2"));
    if two.exists() {
        let data = std::fs::read(&two).unwrap();
        let gz = std::fs::File::create(dir.join(format!("{name}.2.gz"))).unwrap();
        let mut enc = flate2::write::GzEncoder::new(gz, flate2::Compression::fast());
        for chunk in data.chunks(4096) {
            enc.write_all(chunk).unwrap();
        }
        enc.finish().unwrap();
        std::fs::remove_file(&two).unwrap();
    }
}

#[test]
fn killed_and_restarted_while_a_writer_rotates_the_table_ends_with_exactly_the_files_entries() {
    let s = need_server!();
    let dir = tempdir();
    let logs = dir.path().join("logs");
    std::fs::create_dir(&logs).unwrap();
    let log = logs.join("app.log");
    let url = s.url("crash.app");
    let ck = dir.path().join("ship.ck");
    let total = 6000;
    let write = |log: &Path, i: usize| {
        let mut f = std::fs::OpenOptions::new().create(true).append(true).open(log).unwrap();
        let level = ["INFO", "WARN", "ERROR", "DEBUG"][i % 4];
        let mut line = format!(
            "2026-11-20 12:{:02}:{:02}.{:03} [{level}] svc-{}: entry {i} user=u{} request_id=r{}\n",
            (i / 1000) % 60,
            (i / 10) % 60,
            i % 1000,
            i % 3,
            i % 7,
            i / 5
        );
        if i % 97 == 0 {
            line.push_str("java.lang.IllegalStateException: boom\n\tat a.b.C.d(C.java:1)\n");
        }
        f.write_all(line.as_bytes()).unwrap();
    };
    // The first entry shipped before anything else creates the table; then its background
    // merges stop, so the rows sent twice stay visible until FINAL.
    write(&log, 0);
    ship(&["--checkpoint", ck.to_str().unwrap(), "--to", &url, logs.to_str().unwrap(), "-q"]);
    s.query("SYSTEM STOP MERGES crash.app");
    let writer = {
        let log = log.clone();
        std::thread::spawn(move || {
            for i in 1..total {
                write(&log, i);
                if i % 900 == 899 {
                    rotate(&log);
                }
                std::thread::sleep(Duration::from_micros(900));
            }
        })
    };
    // Kill -9 at pseudo-random points (seeded from the clock, printed), restart each time.
    let seed = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64;
    let mut rng = seed | 1;
    let mut next = || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    let mut kills = 0;
    let mut aborted = 0;
    while !writer.is_finished() {
        let mut cmd = logx();
        if kills % 3 == 0 {
            // every third run dies right after its second acknowledged batch, before its
            // checkpoint: that batch is sent again by the next run
            cmd.env("LOGX_TEST_ABORT_AFTER_INSERTS", "2");
            aborted += 1;
        }
        cmd.args(["ship", "-f", "--batch", "300", "-q"]);
        // every other run wakes on change notices, the others poll
        if kills % 2 == 0 {
            cmd.args(["--poll", "30"]);
        }
        let mut child: Child = cmd
            .arg("--checkpoint")
            .arg(&ck)
            .arg("--to")
            .arg(&url)
            .arg(&logs)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(150 + next() % 900));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        kills += 1;
    }
    writer.join().unwrap();
    // The last run sees the writer done and ships the rest.
    ship(&["--checkpoint", ck.to_str().unwrap(), "--to", &url, logs.to_str().unwrap(), "-q"]);

    let in_files = count(&[], logs.to_str().unwrap()).parse::<u64>().unwrap();
    assert_eq!(in_files, total as u64, "the files hold every entry written");
    let rows = s.number("SELECT count() FROM crash.app");
    s.query("SYSTEM START MERGES crash.app");
    let after_final = s.number("SELECT count() FROM crash.app FINAL");
    let distinct = s.number("SELECT uniqExact(source, offset) FROM crash.app");
    let losses = in_files.saturating_sub(after_final);
    let duplicates = after_final.saturating_sub(distinct) + after_final.saturating_sub(in_files);
    eprintln!(
        "crash test (seed {seed}): {kills} kills -9 ({aborted} of them after an acknowledged batch) while writing {total} entries with {} rotations; \
         entries in files {in_files}; rows inserted {rows} (replayed rows merged by FINAL: {}); rows \
         after FINAL {after_final}; duplicates {duplicates}; losses {losses}",
        total / 900,
        rows - after_final.min(rows)
    );
    assert!(kills >= 3, "the writer finished before logx was killed a few times");
    assert!(rows > after_final, "no batch was replayed ({aborted} runs were to die after an acknowledgement)");
    assert_eq!(after_final, in_files, "rows after FINAL against entries in the files");
    assert_eq!(distinct, in_files, "distinct (source, offset)");
    // and the very entries: every message of the files is in the table once
    let mut table_msgs: Vec<String> = s
        .query("SELECT message FROM crash.app FINAL FORMAT JSONEachRow")
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["message"].as_str().unwrap().to_string())
        .collect();
    table_msgs.sort();
    let r = run(&["cat", "-o", "json", logs.to_str().unwrap()]);
    let mut file_msgs: Vec<String> =
        crate::util::json_lines(&r.stdout).iter().map(|v| v["msg"].as_str().unwrap().to_string()).collect();
    file_msgs.sort();
    assert!(table_msgs == file_msgs, "the table's messages differ from the files'");
}

/// `ship -f` without `--poll` wakes on the system's change notices: what a writer appends,
/// before and after a rotation (rename, gzip of the older file), reaches the table while it
/// runs, once.
#[test]
fn following_on_change_notices_ships_appends_across_a_rotation() {
    let s = need_server!();
    let dir = tempdir();
    let logs = dir.path().join("logs");
    std::fs::create_dir(&logs).unwrap();
    let log = logs.join("app.log");
    let url = s.url("notices.app");
    let append = |from: usize, to: usize| {
        let mut f = std::fs::OpenOptions::new().create(true).append(true).open(&log).unwrap();
        for i in from..to {
            writeln!(f, "2026-11-20 12:{:02}:{:02}.000 [INFO] svc: entry {i}", i / 60 % 60, i % 60).unwrap();
        }
    };
    append(0, 50);
    let mut child = logx()
        .args(["ship", "-f", "-q", "--checkpoint"])
        .arg(dir.path().join("ck"))
        .args(["--to", &url])
        .arg(&logs)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let wait_for = |n: u64| {
        let start = Instant::now();
        loop {
            let got =
                s.try_query("SELECT count() FROM notices.app FINAL").ok().and_then(|t| t.trim().parse::<u64>().ok());
            if got == Some(n) {
                return;
            }
            assert!(start.elapsed() < Duration::from_secs(60), "{got:?} rows, waiting for {n}");
            std::thread::sleep(Duration::from_millis(50));
        }
    };
    wait_for(50);
    append(50, 120);
    wait_for(120);
    rotate(&log);
    append(120, 200);
    rotate(&log);
    append(200, 230);
    wait_for(230);
    child.kill().unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(count(&[], logs.to_str().unwrap()), "230", "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(s.number("SELECT uniqExact(source, offset) FROM notices.app"), 230);
}

#[test]
fn hostile_strings_in_logs_and_filters_never_become_sql() {
    let s = need_server!();
    let dir = tempdir();
    let f = dir.path().join("hostile.log");
    let evil = [
        r#"ts=2026-11-20T12:00:00Z level=info service="x'; DROP TABLE hostile.t; --" msg="it's \\ a \"quote\""#,
        r#"ts=2026-11-20T12:00:01Z level=error service=billing user="a\\'b" msg="'); DROP DATABASE hostile; --""#,
        "ts=2026-11-20T12:00:02Z level=warn service=nul msg=\"nul \u{0} byte and \\\\0 and \\\\' here\"",
        r#"ts=2026-11-20T12:00:03Z level=info service="`backtick`" msg="\x1b[31m red \u2028 sep' OR '1'='1""#,
    ];
    std::fs::write(&f, evil.join("\n") + "\n").unwrap();
    let url = s.url("hostile.t");
    let ck = dir.path().join("ck");
    ship(&[f.to_str().unwrap(), "--to", &url, "--checkpoint", ck.to_str().unwrap(), "-q"]);
    assert_eq!(s.number("SELECT count() FROM hostile.t FINAL"), 4);
    let filters: &[&[&str]] = &[
        &["--service", "x'; DROP TABLE hostile.t; --"],
        &["--user", "a\\'b"],
        &["-F", "'); DROP DATABASE hostile; --"],
        &["-F", "\\"],
        &["-F", "'"],
        &["-e", "nul \\x00"],
        &["--where", "msg~=' OR '1'='1"],
        &["--where", "service=`backtick`"],
        &["--request-id", "'; SELECT 1; --"],
    ];
    for flt in filters {
        assert_eq!(cat_json(flt, f.to_str().unwrap()), cat_json(flt, &url), "{flt:?}");
    }
    // still there, still four rows: nothing was executed
    assert_eq!(s.number("SELECT count() FROM hostile.t FINAL"), 4);
    // a table name that is not an identifier is refused before anything is sent
    let r = run(&["cat", "clickhouse://127.0.0.1:1/db.t;DROP"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("letters, digits and _"), "{}", r.stderr);
}

/// Reads one HTTP request (headers, then a body of Content-Length bytes or chunked) and drops it.
fn read_request(c: &mut TcpStream) {
    let _ = c.set_read_timeout(Some(Duration::from_secs(5)));
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        match c.read(&mut chunk) {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
    let length =
        head.lines().find_map(|l| l.strip_prefix("content-length:")).and_then(|v| v.trim().parse::<usize>().ok());
    let chunked = head.contains("transfer-encoding: chunked");
    loop {
        let body = &buf[head_end..];
        let done = match length {
            Some(n) => body.len() >= n,
            None if chunked => body.ends_with(b"0\r\n\r\n"),
            None => true,
        };
        if done {
            return;
        }
        match c.read(&mut chunk) {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
}

/// A proxy in front of the server that refuses (HTTP 503) while `down` holds.
fn flaky_proxy(http: u16, down: std::sync::Arc<std::sync::atomic::AtomicBool>) -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for c in l.incoming() {
            let Ok(mut c) = c else { continue };
            if down.load(std::sync::atomic::Ordering::SeqCst) {
                // read the whole request first: answering before the client has sent its body
                // makes its write fail (broken pipe) and it never reads the 503
                read_request(&mut c);
                let _ = c.write_all(
                    b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 12\r\nConnection: close\r\n\r\nserver down\n",
                );
                continue;
            }
            let Ok(up) = TcpStream::connect(("127.0.0.1", http)) else { continue };
            let (mut c2, mut up2) = (c.try_clone().unwrap(), up.try_clone().unwrap());
            let mut up = up;
            std::thread::spawn(move || {
                let _ = std::io::copy(&mut c2, &mut up);
                let _ = up.shutdown(std::net::Shutdown::Write);
            });
            std::thread::spawn(move || {
                let _ = std::io::copy(&mut up2, &mut c);
                let _ = c.shutdown(std::net::Shutdown::Write);
            });
        }
    });
    port
}

#[test]
fn a_refusing_server_is_retried_with_status_lines_and_nothing_is_lost() {
    let s = need_server!();
    let down = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let port = flaky_proxy(s.http, down.clone());
    let dir = tempdir();
    let ck = dir.path().join("ck");
    let url = format!("clickhouse://127.0.0.1:{port}/flaky.app");
    let child = logx()
        .args(["ship", "--batch", "50", "--checkpoint"])
        .arg(&ck)
        .arg("--to")
        .arg(&url)
        .arg(fixture("app.log"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    assert!(!ck.exists(), "nothing is checkpointed while the server refuses");
    down.store(false, std::sync::atomic::Ordering::SeqCst);
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(
        err.contains("HTTP 503: server down") && err.contains("attempt 2 in 0.2 s"),
        "status lines say what and when: {err}"
    );
    assert_eq!(
        s.number("SELECT count() FROM flaky.app FINAL"),
        count(&[], fixture("app.log").to_str().unwrap()).parse::<u64>().unwrap()
    );

    // nobody listening, a bounded number of attempts: one clear error, the checkpoint untouched
    let dead = format!("clickhouse://127.0.0.1:{}/flaky.other", free_port());
    let r = run(&[
        "ship",
        "--attempts",
        "2",
        "--checkpoint",
        dir.path().join("ck2").to_str().unwrap(),
        "--to",
        &dead,
        fixture("app.log").to_str().unwrap(),
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("127.0.0.1") && r.stderr.lines().last().unwrap().contains("logx:"), "{}", r.stderr);
    assert!(!dir.path().join("ck2").exists());
}

#[test]
fn credentials_come_from_the_environment_or_the_config_never_the_command_line() {
    let s = need_server!();
    let dir = tempdir();
    let app = fixture("app.log");
    let url = format!("clickhouse://ops@127.0.0.1:{}/creds.app", s.http);
    // a password in the URL is refused, and not echoed
    let r = run(&["cat", &format!("clickhouse://ops:s3cret@127.0.0.1:{}/creds.app", s.http)]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("LOGX_CLICKHOUSE_PASSWORD") && !r.stderr.contains("s3cret"), "{}", r.stderr);
    // the wrong password: the server's refusal, in one line
    let r: crate::util::Run = logx()
        .env("LOGX_CLICKHOUSE_PASSWORD", "wrong")
        .args(["ship", "--attempts", "1", "--checkpoint"])
        .arg(dir.path().join("ck0"))
        .args(["--to", &url])
        .arg(&app)
        .output()
        .unwrap()
        .into();
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("Wrong password"), "{}", r.stderr);
    // from the environment
    let r: crate::util::Run = logx()
        .env("LOGX_CLICKHOUSE_PASSWORD", "s3cret'\"pw")
        .args(["ship", "-q", "--checkpoint"])
        .arg(dir.path().join("ck1"))
        .args(["--to", &url])
        .arg(&app)
        .output()
        .unwrap()
        .into();
    assert_eq!(r.code, 0, "{}", r.stderr);
    // from the config file
    let cfg = dir.path().join("config.toml");
    std::fs::write(&cfg, "[clickhouse]\nuser = \"ops\"\npassword = \"s3cret'\\\"pw\"\n").unwrap();
    let plain = s.url("creds.app");
    let r: crate::util::Run = logx().env("LOGX_CONFIG", &cfg).args(["cat", "-c", &plain]).output().unwrap().into();
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout.trim(), count(&[], app.to_str().unwrap()));
}

/// `clickhouses://` speaks TLS to a server whose certificate a private CA signed: refused
/// without that CA (one line), spoken with it from the environment or the config file, and a
/// CA file that holds no certificate is named in one line.
#[test]
fn https_works_with_the_servers_own_ca() {
    let s = need_server!();
    let Some((port, ca)) = &s.https else {
        assert!(
            std::env::var_os("LOGX_REQUIRE_CLICKHOUSE").is_none(),
            "LOGX_REQUIRE_CLICKHOUSE is set but openssl is not installed to make the test's certificates"
        );
        eprintln!("skipped: no openssl to make certificates");
        return;
    };
    let dir = tempdir();
    let app = fixture("app.log");
    let url = format!("clickhouses://127.0.0.1:{port}/tls.app");
    let ship = |env: &[(&str, &Path)], ck: &str| -> crate::util::Run {
        let mut c = logx();
        for (k, v) in env {
            c.env(k, v);
        }
        c.args(["ship", "-q", "--attempts", "1", "--checkpoint"])
            .arg(dir.path().join(ck))
            .args(["--to", &url])
            .arg(&app)
            .output()
            .unwrap()
            .into()
    };
    // the public roots do not know this CA: one line that says so, nothing written
    let r = ship(&[], "ck0");
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("certificate") && r.stderr.trim().lines().count() == 1, "{}", r.stderr);
    // with the CA from the environment
    let r = ship(&[("LOGX_CLICKHOUSE_CA", ca)], "ck1");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        s.number("SELECT count() FROM tls.app FINAL").to_string(),
        count(&[], app.to_str().unwrap()),
        "every entry went over TLS"
    );
    // read back with the CA from the config file (a path relative to it)
    std::fs::copy(ca, dir.path().join("ch-ca.pem")).unwrap();
    let cfg = dir.path().join("config.toml");
    std::fs::write(&cfg, "[clickhouse]\nca = \"ch-ca.pem\"\n").unwrap();
    let r: crate::util::Run =
        logx().env("LOGX_CONFIG", &cfg).args(["cat", "-c", "--level", "warn", &url]).output().unwrap().into();
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout.trim(), count(&["--level", "warn"], app.to_str().unwrap()));
    // a CA file that is not PEM
    let bad = dir.path().join("bad.pem");
    std::fs::write(&bad, "not a certificate\n").unwrap();
    let r = ship(&[("LOGX_CLICKHOUSE_CA", &bad)], "ck2");
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("bad.pem") && r.stderr.contains("no certificate"), "{}", r.stderr);
}

#[test]
fn stats_export_and_audit_read_a_table_as_they_read_files() {
    let s = need_server!();
    let dir = tempdir();
    let app = fixture("app.log");
    let url = s.url("verbs.app");
    ship(&[app.to_str().unwrap(), "--to", &url, "--checkpoint", dir.path().join("ck").to_str().unwrap(), "-q"]);
    let a = app.to_str().unwrap();
    // export: the same CSV, read back with a CSV reader
    let csv = |input: &str, out: &Path| {
        let r = run(&[
            "export",
            "--all",
            "--csv",
            "--columns",
            "ts,level,service,user,msg",
            "-o",
            out.to_str().unwrap(),
            input,
        ]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let mut rd = csv::Reader::from_path(out).unwrap();
        rd.records().map(|r| r.unwrap().iter().map(str::to_string).collect::<Vec<_>>()).collect::<Vec<_>>()
    };
    let local = csv(a, &dir.path().join("local.csv"));
    let remote = csv(&url, &dir.path().join("remote.csv"));
    assert!(local.len() > 100);
    assert_eq!(local, remote, "export --csv");
    // audit: the same groups
    let audit = |input: &str| -> Vec<serde_json::Value> {
        let r = run(&["audit", "-o", "json", input]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let mut v = crate::util::json_lines(&r.stdout);
        for g in &mut v {
            g.as_object_mut().unwrap().remove("entries_at"); // names the file or the table
        }
        v
    };
    let (la, ra) = (audit(a), audit(&url));
    assert!(la.len() > 10 && la == ra, "audit -o json: {} groups from the file, {} from the table", la.len(), ra.len());
    // stats: the same counts per level (the source line names the table instead of the file)
    let stats = |input: &str| {
        let r = run(&["stats", "-o", "json", input]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
        (v["entries"].clone(), v["levels"].clone())
    };
    assert_eq!(stats(a), stats(&url));
}

#[test]
fn the_tui_opens_a_table_with_the_command_lines_filters_pushed_down() {
    let s = need_server!();
    let dir = tempdir();
    let url = s.url("tui.app");
    let app = fixture("app.log");
    ship(&[app.to_str().unwrap(), "--to", &url, "--checkpoint", dir.path().join("ck").to_str().unwrap(), "-q"]);
    let want = count(&["--level", "error"], app.to_str().unwrap());
    let mut t = crate::tui_pty::Tui::start(&["tui", "--level", "error", &url], 30, 160);
    t.wait_for("payment provider returned");
    // the header counts what the query kept, as on the file
    t.wait_for(&format!("{want} of {want}"));
    assert!(!t.screen().contains("request completed"), "an info entry on an error-only screen");
    t.send("\r");
    t.wait_for("java.net.SocketTimeoutException");
    t.send("\x1b");
    t.wait_for("q quit");
    t.quit();
}

/// The seq numbers on a screen of the paged table, top to bottom.
fn seqs(screen: &str) -> Vec<u32> {
    screen
        .lines()
        .filter_map(|l| l.split("seq=").nth(1).and_then(|s| s.get(..5)).and_then(|s| s.parse().ok()))
        .collect()
}

#[test]
fn the_tui_pages_a_table_a_window_at_a_time_with_the_servers_counts_and_histogram() {
    let s = need_server!();
    let dir = tempdir();
    // 5,000 entries, one a second from midnight: a window (a few hundred rows) is a small part.
    let log = dir.path().join("paged.log");
    let mut text = String::new();
    for i in 0..5000u32 {
        let level = if i % 50 == 49 {
            "ERROR"
        } else if i % 10 == 9 {
            "WARN"
        } else {
            "INFO"
        };
        let extra = if i == 4321 { " needle found here" } else { "" };
        text.push_str(&format!(
            "2026-11-21T{:02}:{:02}:{:02}.000Z {level} [api] seq={i:05} step done{extra}\n",
            i / 3600,
            i / 60 % 60,
            i % 60
        ));
    }
    std::fs::write(&log, text).unwrap();
    let url = s.url("tui.paged");
    ship(&[log.to_str().unwrap(), "--to", &url, "--checkpoint", dir.path().join("ck").to_str().unwrap(), "-q"]);
    let warn = count(&["--level", "warn"], log.to_str().unwrap());
    assert_eq!(warn, "500");

    let mut t = crate::tui_pty::Tui::start(&["tui", &url], 30, 160);
    t.wait_for("seq=00000");
    // The window holds the first rows only; the header and the histogram's scale are the
    // table's (its last entry is at 01:23:19).
    t.wait_for("rows 1–300 of 5,000");
    t.wait_for("01:23:19");
    // the histogram's counts come from the server
    t.wait_gone("counting…");

    // Down through several pages: the rows stay consecutive across the windows fetched.
    for _ in 0..45 {
        t.send("\x1b[6~");
        std::thread::sleep(Duration::from_millis(30));
    }
    t.wait_gone("rows 1–300 ");
    std::thread::sleep(Duration::from_millis(500));
    let on = seqs(&t.screen());
    assert!(on.len() > 10 && on[0] > 600, "{on:?}\n{}", t.screen());
    assert!(on.windows(2).all(|w| w[1] == w[0] + 1), "{on:?}");

    // The end and the start: new windows there.
    t.send("G");
    t.wait_for("seq=04999");
    t.wait_for("of 5,000");
    assert!(t.screen().contains("rows 4,701–5,000 of 5,000"), "{}", t.screen());
    t.send("g");
    t.wait_for("seq=00000");
    t.wait_for("rows 1–300 of 5,000");

    // A time: the window moves there.
    t.send("t");
    t.send("2026-11-21 00:50:00\r");
    t.wait_for("seq=03000");
    let on = seqs(&t.screen());
    assert!(on.windows(2).all(|w| w[1] == w[0] + 1), "{on:?}");

    // A search whose only hit is far past the window is found on the server.
    t.send("g");
    t.wait_for("rows 1–300 of 5,000");
    t.send("/needle\r");
    std::thread::sleep(Duration::from_millis(700));
    t.send("n");
    t.wait_for("seq=04321 step done needle");

    // A level filter is pushed down: the count is the server's, equal to the file's.
    for _ in 0..3 {
        t.send("l");
    }
    let start = Instant::now();
    let screen = loop {
        let s = t.screen();
        let busy = ["fetching…", "filtering…", "indexing…"].iter().any(|b| s.contains(b));
        if s.contains(&format!("of {warn}")) && !busy && s.contains(" WARN ") {
            break s;
        }
        assert!(start.elapsed() < Duration::from_secs(20), "{s}");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(!screen.contains(" INFO ") && screen.contains(" WARN "), "{screen}");

    // The view exported from the TUI is the query's whole result on the table, not the window.
    let out = dir.path().join("warn.csv");
    t.send("S");
    t.wait_for("export FORMAT PATH");
    t.send(&"\x7f".repeat(40));
    t.send(&format!("csv {}\r", out.display()));
    t.wait_for(&format!("exported {warn} rows"));
    let rows: Vec<csv::StringRecord> = csv::Reader::from_path(&out).unwrap().records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 500);
    assert_eq!(rows.iter().filter(|r| &r[1] == "error").count(), 100);
    t.quit();
}

#[test]
fn keyset_pages_walk_a_table_forward_and_back_once_each_even_with_rows_sent_twice() {
    use logx::clickhouse::{density, page, Client, PageFrom, Target};
    let s = need_server!();
    let dir = tempdir();
    // Two files with interleaved times, ties across them and within one.
    let (a, b) = (dir.path().join("a.log"), dir.path().join("b.log"));
    let (mut ta, mut tb) = (String::new(), String::new());
    for i in 0..700u32 {
        let level = if i % 7 == 3 { "ERROR" } else { "INFO" };
        let line = format!("2026-11-21T10:{:02}:{:02}.000Z {level} [svc] n={i}\n", i / 60 % 60, i % 60);
        if i % 3 == 0 {
            tb.push_str(&line);
        } else {
            ta.push_str(&line);
        }
        if i % 2 == 0 {
            tb.push_str(&format!("2026-11-21T10:{:02}:{:02}.000Z INFO [svc] twin={i}\n", i / 60 % 60, i % 60));
        }
    }
    std::fs::write(&a, ta).unwrap();
    std::fs::write(&b, tb).unwrap();
    let url = s.url("paging.t");
    let files = [a.to_str().unwrap(), b.to_str().unwrap()];
    // Sent twice (two checkpoints): every row is in the table twice until merged.
    for ck in ["ck1", "ck2"] {
        ship(&[files[0], files[1], "--to", &url, "--checkpoint", dir.path().join(ck).to_str().unwrap(), "-q"]);
    }
    let c = Client::new(Target::parse(&url).unwrap(), &Default::default(), Duration::from_secs(60)).unwrap();
    for conds in [vec![], vec!["level IN ('error')".to_string()]] {
        let filters: &[&str] = if conds.is_empty() { &[] } else { &["--level", "error"] };
        let mut want = cat_json(filters, files[0]);
        want.extend(cat_json(filters, files[1]));
        let d = density(&c, &conds).unwrap().unwrap();
        assert!(d.rows as usize >= want.len(), "density counts rows (twice before merges)");
        // forward in pages of 37
        let mut fwd = Vec::new();
        let mut from = PageFrom::Start;
        loop {
            let p = page(&c, &conds, &from, 37, &d).unwrap();
            let Some(last) = p.last() else { break };
            from = PageFrom::After(last.key.clone());
            fwd.extend(p);
        }
        // back in pages of 50
        let mut back = Vec::new();
        let mut from = PageFrom::End;
        loop {
            let p = page(&c, &conds, &from, 50, &d).unwrap();
            let Some(first) = p.first() else { break };
            from = PageFrom::Before(first.key.clone());
            back.splice(0..0, p);
        }
        assert_eq!(fwd, back);
        assert_eq!(fwd.len(), want.len(), "each entry once");
        assert!(fwd.windows(2).all(|w| w[0].key < w[1].key), "in the table's order, no repeat");
        // the same entries as the files (their messages), in time order
        let msgs = |v: Vec<String>| {
            let mut m: Vec<String> =
                v.iter().map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["msg"].to_string()).collect();
            m.sort();
            m
        };
        let got: Vec<String> = fwd
            .iter()
            .map(|r| format!("{{\"msg\":{}}}", serde_json::to_string(r.raw.splitn(4, ' ').nth(3).unwrap()).unwrap()))
            .collect();
        assert_eq!(msgs(got), msgs(want.clone()));
        // The histogram the TUI draws: per bucket and level, counted by the server, equal
        // to the files' entries bucketed here.
        let (a, z) = d.span.unwrap();
        let width = (z - a) / 10 + 1;
        let mut expect = vec![[0u64; 7]; 10];
        for l in &want {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            let t = chrono::DateTime::parse_from_rfc3339(v["ts"].as_str().unwrap()).unwrap();
            let b = ((t.timestamp_nanos_opt().unwrap() - a) / width) as usize;
            let li = ["trace", "debug", "info", "warn", "error", "fatal"]
                .iter()
                .position(|n| Some(*n) == v["level"].as_str())
                .unwrap_or(6);
            expect[b][li] += 1;
        }
        assert_eq!(logx::clickhouse::histogram(&c, &conds, a, width, 10).unwrap(), expect);
        // From a key: inclusive, and a time with an empty source starts at that time.
        let mid = &fwd[fwd.len() / 2].key;
        assert_eq!(page(&c, &conds, &PageFrom::From(mid.clone()), 1, &d).unwrap()[0].key, *mid);
        let at = logx::clickhouse::RowKey { time_ns: mid.time_ns, source: String::new(), offset: 0 };
        let first_at = fwd.iter().find(|r| r.key.time_ns >= mid.time_ns).unwrap();
        assert_eq!(page(&c, &conds, &PageFrom::From(at), 1, &d).unwrap()[0], *first_at);
    }
}
