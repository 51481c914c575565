//! Outside input that is too large, endless, binary, not a file, or arrives through a pipe
//! or a FIFO: each is read once, with bounded memory, and refused as a user error (exit 1)
//! that says what was wrong; no failed import leaves a build behind.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use super::{BIN, Scratch};

/// The first line of an event log for project `demo`.
const HEADER: &str = r#"{"format":"toaster-events","version":1,"build":{"project":"demo","host":"farm7","build_dir":"/srv/farm7/build","started_at":1795765414000}}"#;

/// A whole small event log.
fn small_log() -> String {
    [
        HEADER,
        r#"{"event":"task_started","recipe":"busybox","task":"do_compile","at":1795765416000}"#,
        r#"{"event":"task_finished","recipe":"busybox","task":"do_compile","outcome":"succeeded","at":1795765476000}"#,
        r#"{"event":"build_completed","state":"succeeded","at":1795765500000}"#,
    ]
    .join("\n")
        + "\n"
}

/// Runs `toaster ARGS` with its address space capped at 1 GiB: a reader that does not bound
/// what it keeps is killed by the allocator instead of eating the machine's memory.
fn in_little_memory(s: &Scratch, args: &[&str]) -> Output {
    Command::new("sh")
        .arg("-c")
        .arg(r#"ulimit -v 1048576 && exec "$0" "$@""#)
        .arg(BIN)
        .args(args)
        .current_dir(s.path())
        .env_remove("TOASTER_DB")
        .env_remove("TOASTER_OWNER")
        .env("TOASTER_CLIENT", "cli:tester@testhost")
        .output()
        .expect("run toaster")
}

/// The standard error of a run that failed as a user error (exit 1).
fn user_error(out: &Output) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(out.stdout.is_empty(), "nothing on stdout when failing");
    stderr
}

/// How many builds project `demo` has, hidden or not.
fn builds(s: &Scratch) -> usize {
    s.json(&["build", "list", "demo", "--all"])
        .as_array()
        .expect("list")
        .len()
}

fn text(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

#[test]
fn an_endless_line_is_refused_fast() {
    let s = Scratch::new().with_demo();
    let err = user_error(&in_little_memory(
        &s,
        &["build", "import-events", "/dev/zero"],
    ));
    assert!(
        err.contains("line 1 of /dev/zero is longer than 1 MiB") && err.contains("hint:"),
        "{err}"
    );
    assert_eq!(builds(&s), 0);
}

#[test]
fn an_overlong_line_after_the_header_leaves_no_build() {
    let s = Scratch::new().with_demo();
    let log = s.path().join("long.jsonl");
    let long = format!(
        r#"{{"event":"log","level":"note","text":"{}"}}"#,
        "x".repeat(2 << 20)
    );
    fs::write(&log, format!("{HEADER}\n{long}\n")).expect("write");
    let err = user_error(&in_little_memory(
        &s,
        &["build", "import-events", text(&log)],
    ));
    assert!(
        err.contains("line 2 of") && err.contains("longer than 1 MiB"),
        "{err}"
    );
    assert_eq!(builds(&s), 0, "the build made for the import is deleted");
}

#[test]
fn schema_files_are_bounded() {
    let s = Scratch::new().with_demo();
    let err = user_error(&in_little_memory(
        &s,
        &["--schema", "/dev/zero", "project", "list"],
    ));
    assert!(err.contains("/dev/zero is larger than 4 MiB"), "{err}");
    let big = s.path().join("big.json");
    let mut json = String::from(r#"{"variables": []"#);
    json.push_str(&" ".repeat(5 << 20));
    json.push('}');
    fs::write(&big, json).expect("write");
    let err = user_error(&s.run(&["--schema", text(&big), "config", "schema"]));
    assert!(
        err.contains("is larger than 4 MiB") && err.contains("hint:"),
        "{err}"
    );
    let err = user_error(&s.run(&["--schema", text(s.path()), "config", "schema"]));
    assert!(err.contains("is a directory"), "{err}");
    fs::write(&big, b"{\"variables\": [\xff\xfe]}").expect("write");
    let err = user_error(&s.run(&["--schema", text(&big), "config", "schema"]));
    assert!(err.contains("not UTF-8"), "{err}");
}

#[test]
fn binary_files_and_directories_are_user_errors() {
    let s = Scratch::new().with_demo();
    let err = s.fails(1, &["build", "import-events", text(s.path())]);
    assert!(
        err.contains("is a directory") && err.contains("hint:"),
        "{err}"
    );
    let garbage = s.path().join("garbage.bin");
    let bytes: Vec<u8> = (0..=255u8).rev().cycle().take(100_000).collect();
    fs::write(&garbage, bytes).expect("write");
    let err = s.fails(1, &["build", "import-events", text(&garbage)]);
    assert!(err.contains("line 1 is not UTF-8 text"), "{err}");
    // Binary after a good header stops the import there, as a log cut short does.
    fs::write(&garbage, [HEADER.as_bytes(), b"\n\xff\xfe\x00\n"].concat()).expect("write");
    let out = s.ok(&["build", "import-events", text(&garbage)]);
    assert!(
        out.contains("stopped at line 2: it is not UTF-8 text"),
        "{out}"
    );
    assert_eq!(builds(&s), 1);
}

#[test]
fn an_event_log_imports_from_a_pipe() {
    let s = Scratch::new().with_demo();
    let log = s.path().join("farm7.jsonl");
    fs::write(&log, small_log()).expect("write");
    let mut cat = Command::new("cat")
        .arg(&log)
        .stdout(Stdio::piped())
        .spawn()
        .expect("run cat");
    let out = s
        .command(&["build", "import-events", "/dev/stdin", "--json"])
        .stdin(cat.stdout.take().expect("cat's output"))
        .output()
        .expect("run toaster");
    cat.wait().expect("cat ends");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let imported: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(imported["events"], 3);
    assert_eq!(imported["build"]["state"], "succeeded");
    assert_eq!(builds(&s), 1);
}

/// A FIFO in the scratch directory, made with `mkfifo`.
fn fifo(s: &Scratch) -> PathBuf {
    let path = s.path().join("events.fifo");
    let made = Command::new("mkfifo").arg(&path).status().expect("mkfifo");
    assert!(made.success());
    path
}

/// A shell that opens the FIFO for writing (waiting for a reader) and runs `script` there.
fn writer(fifo: &Path, script: &str) -> Child {
    Command::new("sh")
        .arg("-c")
        .arg(format!("{{ {script} ; }} > \"$0\""))
        .arg(fifo)
        .current_dir(fifo.parent().expect("dir"))
        .spawn()
        .expect("run the writer")
}

/// Imports from the FIFO while `script` writes it; the writer is stopped (by its id) once
/// the import is over, in case the import stopped reading before it finished.
fn import_from_fifo(s: &Scratch, script: &str) -> Output {
    let fifo = fifo(s);
    let mut writer = writer(&fifo, script);
    let out = in_little_memory(s, &["build", "import-events", text(&fifo)]);
    let _ = writer.kill();
    writer.wait().expect("the writer ends");
    out
}

#[test]
fn an_event_log_imports_from_a_fifo() {
    let s = Scratch::new().with_demo();
    fs::write(s.path().join("farm7.jsonl"), small_log()).expect("write");
    let out = import_from_fifo(&s, "cat farm7.jsonl");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("imported 3 events into build 1 of project demo (succeeded)"),
        "{stdout}"
    );
}

#[test]
fn a_fifo_of_garbage_or_nothing_fails_cleanly() {
    let s = Scratch::new().with_demo();
    let err = user_error(&import_from_fifo(&s, "printf 'garbage\\n'"));
    assert!(err.contains("line 1 is not JSON"), "{err}");
    fs::remove_file(s.path().join("events.fifo")).expect("remove");
    let err = user_error(&import_from_fifo(&s, ":"));
    assert!(err.contains("it is empty"), "{err}");
    fs::remove_file(s.path().join("events.fifo")).expect("remove");
    fs::write(s.path().join("header.jsonl"), format!("{HEADER}\n")).expect("write");
    let err = user_error(&import_from_fifo(
        &s,
        "cat header.jsonl; exec cat /dev/zero",
    ));
    assert!(
        err.contains("line 2 of") && err.contains("longer than 1 MiB"),
        "{err}"
    );
    assert_eq!(builds(&s), 0, "no failed import leaves a build");
}

#[test]
fn event_fields_are_bounded() {
    let s = Scratch::new().with_demo();
    let long_name = "n".repeat(256);
    let long_path = format!("/{}", "p".repeat(4096));
    let lines = [
        HEADER.to_owned(),
        format!(r#"{{"event":"task_started","recipe":"{long_name}","task":"do_compile","at":1795765416000}}"#),
        format!(r#"{{"event":"recipe","name":"zlib","version":"1","layer":"meta","file":"{long_path}"}}"#),
        r#"{"event":"package","name":"zlib","version":"1","size":18446744073709551615,"recipe":"zlib","depends":[]}"#.to_owned(),
        r#"{"event":"heartbeat","at":9223372036854775807}"#.to_owned(),
        r#"{"event":"build_completed","state":"succeeded","at":9223372036854775807}"#.to_owned(),
        format!(r#"{{"event":"log","level":"warning","text":"{}","task":null,"file":null,"line":null,"at":1795765417000}}"#, "t".repeat(100_000)),
        r#"{"event":"build_completed","state":"succeeded","at":1795765500000}"#.to_owned(),
    ];
    let log = s.path().join("absurd.jsonl");
    fs::write(&log, lines.join("\n") + "\n").expect("write");
    let imported = s.json(&["build", "import-events", text(&log)]);
    let skipped: Vec<&str> = imported["skipped"]
        .as_array()
        .expect("list")
        .iter()
        .map(|v| v.as_str().expect("text"))
        .collect();
    assert_eq!(skipped.len(), 5, "{skipped:?}");
    assert!(skipped[0].starts_with("line 2:") && skipped[0].contains("longer than 255 bytes"));
    assert!(skipped[1].starts_with("line 3:") && skipped[1].contains("longer than 4096 bytes"));
    assert!(skipped[2].starts_with("line 4:") && skipped[2].contains("18446744073709551615"));
    assert!(skipped[3].starts_with("line 5:") && skipped[3].contains("1970 and 9999"));
    assert!(skipped[4].starts_with("line 6:") && skipped[4].contains("1970 and 9999"));
    let id = imported["build"]["id"].to_string();
    let show = s.json(&["build", "show", &id]);
    assert_eq!(show["ended_at"], "2026-11-27T07:45:00.000Z");
    // Long texts are kept cut, with a marker and a warning.
    let log_out = s.ok(&["build", "log", &id, "--level", "warning"]);
    assert!(log_out.contains("more bytes cut by toaster"), "{log_out}");
    assert!(log_out.contains("was cut to 65536"), "{log_out}");
}

#[test]
fn the_noop_outcome_round_trips() {
    let s = Scratch::new().with_demo();
    let lines = [
        HEADER,
        r#"{"event":"task_finished","recipe":"zlib","task":"do_fetch","outcome":"noop","at":1795765415000}"#,
        r#"{"event":"task_finished","recipe":"zlib","task":"do_unpack","outcome":"no_op","at":1795765415000}"#,
        r#"{"event":"build_completed","state":"succeeded","at":1795765500000}"#,
    ];
    let log = s.path().join("noop.jsonl");
    fs::write(&log, lines.join("\n") + "\n").expect("write");
    let imported = s.json(&["build", "import-events", text(&log)]);
    assert_eq!(imported["events"], 2);
    let skipped = imported["skipped"][0].as_str().expect("skipped");
    assert!(
        skipped.starts_with("line 3:") && skipped.contains("`noop`"),
        "{skipped}"
    );
    let id = imported["build"]["id"].to_string();
    assert_eq!(s.json(&["build", "show", &id])["tasks"]["noop"], 1);
    let tasks = s.json(&["build", "tasks", &id, "--outcome", "noop"]);
    assert_eq!(tasks[0]["outcome"], "noop");
    assert_eq!(tasks[0]["task"], "do_fetch");
    let err = s.fails(1, &["build", "tasks", &id, "--outcome", "no_op"]);
    assert!(err.contains("invalid task outcome `no_op`"), "{err}");
}
