//! `toaster serve` under load on a database of 10,000 builds, beside the cheapest answer
//! the server has (its stylesheet, which touches no database) under the same load in the
//! same run, and 500 event-stream watchers held with the server's memory measured.
//!
//! The server runs in a child process (this benchmark started again as the server, as
//! `toaster serve` runs it) on 127.0.0.1 and a free port; Debian's `wrk` loads it
//! (`wrk --latency -t2 -c16`) for the API list `/api/v1/builds` (bearer token), the page of
//! my builds `/builds` (the session cookie of a browser that signed in) and the stylesheet.
//! The watchers are plain TCP connections from this process to a running build's
//! `/api/v1/builds/{id}/events`; the server's VmRSS is read before and after.
//!
//! `cargo bench --bench serve` prints a table and, last, the line
//! `serve: list <rps> rps p99 <ms> ms, page <rps> rps p99 <ms> ms, baseline <rps> rps p99 <ms> ms, <KiB> KiB per watcher`.
//! RUNS (default 3) sets how many times each endpoint is loaded (medians are shown, the
//! endpoints taking turns); DURATION (default 10) each load's length in seconds; BUILDS (default
//! 10000) the builds in the database; WATCHERS (default 500) the event streams held.
//! Needs `wrk` (`apt-get install wrk`).

use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use toaster::ingest::{BatchPolicy, Event, Recorder};
use toaster::model::{BuildId, BuildState, LogLevel, LogRecord};
use toaster::{Actor, Toaster};
use toaster_web::ServeOptions;

/// Set (to the database) in the child process that serves.
const SERVER_DB: &str = "TOASTER_BENCH_SERVE_DB";
/// The projects the builds belong to, all owned by one owner.
const PROJECTS: [&str; 4] = ["poky", "webkit", "kernel", "sdk"];
/// Builds left running (the newest), which the watchers follow.
const RUNNING: usize = 8;
/// Tasks of every build.
const TASKS: u32 = 4200;

fn main() {
    if let Ok(db) = std::env::var(SERVER_DB) {
        serve(Path::new(&db));
        return;
    }
    let runs = env_number("RUNS", 3);
    let seconds = env_number("DURATION", 10);
    let builds = env_number("BUILDS", 10_000);
    let watchers = env_number("WATCHERS", 500);
    require_wrk();

    let scratch = tempfile::tempdir().expect("scratch directory");
    let db = scratch.path().join("toaster.sqlite");
    let started = Instant::now();
    let (alice, mut running) = database(scratch.path(), &db, builds);
    let token = alice
        .create_token(Some("bench"), None)
        .expect("token")
        .secret;
    println!(
        "database: {builds} builds of {} projects of one owner ({RUNNING} running), made in {:.1} s",
        PROJECTS.len(),
        started.elapsed().as_secs_f64()
    );

    let server = Server::start(&db);
    let cookie = sign_in(server.addr, &token);
    let bearer = format!("Authorization: Bearer {token}");
    let session = format!("Cookie: {cookie}");
    let endpoints = [
        Endpoint {
            figure: "API list `/api/v1/builds` (20 newest)",
            path: "/api/v1/builds",
            header: &bearer,
        },
        Endpoint {
            figure: "builds page `/builds` (25 of mine)",
            path: "/builds",
            header: &session,
        },
        Endpoint {
            figure: "baseline `/static/site.css` (no database)",
            path: "/static/site.css",
            header: &session,
        },
    ];
    for e in &endpoints {
        let answer = request(server.addr, "GET", e.path, &[e.header], "");
        assert_eq!(answer.status, 200, "GET {}: {}", e.path, answer.head);
        println!("{}: {} bytes", e.path, answer.body.len());
    }
    println!(
        "load: wrk --latency -t2 -c16 -d{seconds}s, {runs} runs each, medians; 2 cores shared by wrk, the server and anything else running"
    );
    for e in &endpoints {
        wrk(server.addr, e, 2);
    }
    let mut loads: Vec<Vec<Load>> = endpoints.iter().map(|_| Vec::new()).collect();
    for _ in 0..runs {
        for (e, loads) in endpoints.iter().zip(&mut loads) {
            loads.push(wrk(server.addr, e, seconds));
        }
    }

    for recorder in &mut running {
        recorder
            .record(Event::Heartbeat { at: None })
            .expect("heartbeat");
        recorder.flush().expect("heartbeat");
    }
    let held = watch(&server, &cookie, &mut running, watchers);
    assert_eq!(
        request(server.addr, "GET", "/api/v1/builds", &[&bearer], "").status,
        200,
        "the server answers after the watchers left"
    );

    let figures: Vec<Load> = loads.iter_mut().map(|l| Load::median(l)).collect();
    println!();
    println!("| figure | requests/s | p50 | p99 | target |");
    println!("|---|---:|---:|---:|---|");
    for (e, f) in endpoints.iter().zip(&figures) {
        let target = if e.path == "/api/v1/builds" {
            if f.p99_ms < 20.0 {
                "p99 under 20 ms: met"
            } else {
                "p99 under 20 ms: MISSED"
            }
        } else {
            ""
        };
        println!(
            "| {} | {:.0} | {:.2} ms | {:.2} ms | {target} |",
            e.figure, f.rps, f.p50_ms, f.p99_ms
        );
    }
    println!(
        "| {watchers} event-stream watchers (server VmRSS {} → {} MiB) | | | | {:.1} KiB each; under 64 KiB: {} |",
        held.before_kib / 1024,
        held.after_kib / 1024,
        held.per_watcher_kib,
        if held.per_watcher_kib < 64.0 {
            "met"
        } else {
            "MISSED"
        }
    );
    println!();
    let [list, page, baseline] = [&figures[0], &figures[1], &figures[2]];
    println!(
        "serve: list {:.0} rps p99 {:.2} ms, page {:.0} rps p99 {:.2} ms, baseline {:.0} rps p99 {:.2} ms, {:.1} KiB per watcher",
        list.rps,
        list.p99_ms,
        page.rps,
        page.p99_ms,
        baseline.rps,
        baseline.p99_ms,
        held.per_watcher_kib
    );
}

/// The child process: serves `db` as `toaster serve` does, on 127.0.0.1 and a free port,
/// saying where on its first line.
fn serve(db: &Path) {
    let toaster = Toaster::open_sqlite(db).expect("open the database");
    let listen: SocketAddr = "127.0.0.1:0".parse().expect("address");
    toaster_web::serve(toaster, ServeOptions::new(listen), |addr| {
        println!("listening {addr}");
    })
    .expect("serve");
}

fn require_wrk() {
    match Command::new("wrk").arg("--version").output() {
        Ok(_) => {}
        Err(e) if e.kind() == ErrorKind::NotFound => {
            eprintln!();
            eprintln!(
                "*** The serve benchmark needs the load generator `wrk`, which is not installed."
            );
            eprintln!("*** Install it (Debian, Ubuntu): apt-get install wrk");
            eprintln!();
            std::process::exit(2);
        }
        Err(e) => panic!("could not run wrk: {e}"),
    }
}

/// A database of `count` builds of [`PROJECTS`], made through the facade as a recorder
/// makes them (started, progress, a warning or an error, ended), the newest [`RUNNING`]
/// left running with their recorders open.
fn database(dir: &Path, db: &Path, count: usize) -> (Actor, Vec<Recorder>) {
    let toaster = Toaster::init_sqlite(db).expect("database");
    let alice = toaster
        .add_first_owner("alice", None, "bench")
        .expect("owner");
    for name in PROJECTS {
        alice
            .create_project(name, &dir.join(name), &Default::default())
            .expect("project");
    }
    let mut running = Vec::new();
    for n in 0..count {
        let project = PROJECTS[n % PROJECTS.len()];
        let build = alice.start_build(project, "bench", None).expect("start");
        let mut recorder = alice
            .recorder(build.id, BatchPolicy::default())
            .expect("recorder");
        let live = n + RUNNING >= count;
        let failed = n % 10 == 3;
        let done = if live { TASKS / 3 } else { TASKS };
        for event in [
            Event::ParseStarted { total: 900 },
            Event::ParseCompleted { total: 900 },
            Event::RunQueueProgress { done, total: TASKS },
            Event::Log(LogRecord {
                level: if failed {
                    LogLevel::Error
                } else {
                    LogLevel::Warning
                },
                text: format!("build {n}: QA issue in package{}", n % 97),
                task: Some(format!("recipe{}:do_package_qa", n % 97)),
                file: None,
                line: None,
                at: None,
            }),
        ] {
            recorder.record(event).expect("record");
        }
        if live {
            recorder.flush().expect("record");
            running.push(recorder);
        } else {
            let state = if failed {
                BuildState::Failed
            } else {
                BuildState::Succeeded
            };
            recorder.finish(state, None).expect("end the build");
        }
    }
    (alice, running)
}

/// The server in its child process; dropping it stops it.
struct Server {
    child: Child,
    addr: SocketAddr,
}

impl Server {
    fn start(db: &Path) -> Server {
        let mut child = Command::new(std::env::current_exe().expect("this benchmark"))
            .env(SERVER_DB, db)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the server");
        let mut line = String::new();
        let stdout = child.stdout.take().expect("the server's output");
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("the server's address");
        let addr = line
            .trim()
            .strip_prefix("listening ")
            .and_then(|a| a.parse().ok())
            .unwrap_or_else(|| panic!("the server said {line:?}, not where it listens"));
        Server { child, addr }
    }

    /// The server's resident memory (VmRSS), in KiB.
    fn rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .expect("the server's status");
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("VmRSS")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An answer read whole from a connection the server closes.
struct Answer {
    status: u16,
    head: String,
    body: Vec<u8>,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }
}

/// One HTTP/1.1 request on a connection of its own, `headers` given as `Name: value`.
fn request(addr: SocketAddr, method: &str, path: &str, headers: &[&str], body: &str) -> Answer {
    let mut stream = TcpStream::connect(addr).expect("connect");
    let mut text = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for h in headers {
        text.push_str(h);
        text.push_str("\r\n");
    }
    if !body.is_empty() {
        text.push_str(&format!(
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
            body.len()
        ));
    }
    text.push_str("\r\n");
    text.push_str(body);
    stream.write_all(text.as_bytes()).expect("send");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("answer");
    let split = find(&raw, b"\r\n\r\n").expect("an HTTP answer");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("a status");
    Answer {
        status,
        head,
        body: raw[split + 4..].to_vec(),
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Signs in with the token as the browser's form does; the session cookie (`name=value`).
fn sign_in(addr: SocketAddr, token: &str) -> String {
    let answer = request(addr, "POST", "/signin", &[], &format!("token={token}"));
    assert_eq!(answer.status, 303, "sign in: {}", answer.head);
    answer
        .header("set-cookie")
        .and_then(|c| c.split(';').next())
        .expect("a session cookie")
        .to_owned()
}

/// An endpoint loaded, with the header that lets it in.
struct Endpoint<'a> {
    figure: &'static str,
    path: &'static str,
    header: &'a str,
}

/// What one wrk run measured.
#[derive(Debug, Clone, Copy)]
struct Load {
    rps: f64,
    p50_ms: f64,
    p99_ms: f64,
}

impl Load {
    fn median(loads: &mut [Load]) -> Load {
        let mid = loads.len() / 2;
        let mut pick = |key: fn(&Load) -> f64| {
            loads.sort_by(|a, b| key(a).total_cmp(&key(b)));
            key(&loads[mid])
        };
        Load {
            rps: pick(|l| l.rps),
            p50_ms: pick(|l| l.p50_ms),
            p99_ms: pick(|l| l.p99_ms),
        }
    }
}

/// Loads `e` with wrk for `seconds`; every answer must be 2xx or 3xx.
fn wrk(addr: SocketAddr, e: &Endpoint<'_>, seconds: usize) -> Load {
    let out = Command::new("wrk")
        .args(["--latency", "-t2", "-c16"])
        .arg(format!("-d{seconds}s"))
        .args(["-H", e.header])
        .arg(format!("http://{addr}{}", e.path))
        .output()
        .expect("run wrk");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "wrk failed: {text}");
    assert!(
        !text.contains("Non-2xx or 3xx responses"),
        "{}: the server refused requests under load:\n{text}",
        e.path
    );
    if let Some(errors) = text.lines().find(|l| l.contains("Socket errors")) {
        eprintln!("{}: wrk saw {}", e.path, errors.trim());
    }
    let value = |prefix: &str| {
        text.lines()
            .find_map(|l| l.trim().strip_prefix(prefix))
            .map(str::trim)
            .unwrap_or_else(|| panic!("no `{prefix}` in wrk's output:\n{text}"))
    };
    Load {
        rps: value("Requests/sec:").parse().expect("requests/sec"),
        p50_ms: wrk_ms(value("50%")),
        p99_ms: wrk_ms(value("99%")),
    }
}

/// A time as wrk prints it (`812.00us`, `1.52ms`, `2.01s`, `1.00m`), in milliseconds.
fn wrk_ms(text: &str) -> f64 {
    let split = text
        .find(|c: char| c.is_ascii_alphabetic())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let n: f64 = number.parse().expect("a wrk time");
    n * match unit {
        "us" => 0.001,
        "ms" => 1.0,
        "s" => 1000.0,
        "m" => 60_000.0,
        other => panic!("wrk time unit `{other}`"),
    }
}

/// What holding the watchers cost.
struct Held {
    before_kib: u64,
    after_kib: u64,
    per_watcher_kib: f64,
}

/// Opens `count` event streams over the running builds with the session cookie, checks
/// each is a 200 `text/event-stream` that sends the build's progress, moves every running
/// build on and sees each stream tell of it, and reads the server's memory before and
/// after; then closes them.
fn watch(server: &Server, cookie: &str, running: &mut [Recorder], count: usize) -> Held {
    let before_kib = server.rss_kib();
    let mut streams: Vec<TcpStream> = (0..count)
        .map(|n| {
            let build: BuildId = running[n % running.len()].build();
            let mut stream = TcpStream::connect(server.addr).expect("connect a watcher");
            stream
                .set_read_timeout(Some(Duration::from_secs(30)))
                .expect("timeout");
            write!(
                stream,
                "GET /api/v1/builds/{}/events HTTP/1.1\r\nHost: {}\r\nAccept: text/event-stream\r\nCookie: {cookie}\r\n\r\n",
                build.0, server.addr
            )
            .expect("ask for events");
            stream
        })
        .collect();
    for stream in &mut streams {
        let head = read_until(stream, b"\r\n\r\n");
        let head = String::from_utf8_lossy(&head).to_ascii_lowercase();
        assert!(
            head.starts_with("http/1.1 200") && head.contains("content-type: text/event-stream"),
            "a watcher was answered {head}"
        );
        read_until(stream, b"event: progress");
    }
    for recorder in running.iter_mut() {
        recorder
            .record(Event::RunQueueProgress {
                done: TASKS / 2,
                total: TASKS,
            })
            .expect("progress");
        recorder.flush().expect("progress");
    }
    for stream in &mut streams {
        read_until(stream, b"event: progress");
    }
    let after_kib = server.rss_kib();
    drop(streams);
    std::thread::sleep(Duration::from_millis(500));
    println!(
        "watchers: {count} streams over {} running builds, each sent its build's progress twice; server VmRSS {before_kib} KiB before, {after_kib} KiB holding them, {} KiB after they closed",
        running.len(),
        server.rss_kib()
    );
    Held {
        before_kib,
        after_kib,
        per_watcher_kib: after_kib.saturating_sub(before_kib) as f64 / count as f64,
    }
}

/// Reads `stream` up to and including `marker`.
fn read_until(stream: &mut TcpStream, marker: &[u8]) -> Vec<u8> {
    let mut seen = Vec::new();
    let mut byte = [0u8; 1];
    while !seen.ends_with(marker) {
        match stream.read(&mut byte) {
            Ok(1) => seen.push(byte[0]),
            Ok(_) => panic!(
                "a watcher's stream ended early: {}",
                String::from_utf8_lossy(&seen)
            ),
            Err(e) => panic!(
                "a watcher's stream: {e} after {}",
                String::from_utf8_lossy(&seen)
            ),
        }
    }
    seen
}

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}
