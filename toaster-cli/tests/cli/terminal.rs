//! What reaches the terminal: text output shows control characters from stored text (an
//! imported event log, a project directory) escaped, keeps each field on its line, and a
//! client name with control characters is refused before anything is stored.

use std::path::PathBuf;

use super::Scratch;

/// Fails unless `bytes` are UTF-8 text with no control character but line ends: no
/// escape sequence, no NUL, no carriage return, no C1 control.
fn assert_plain(what: &str, bytes: &[u8]) -> String {
    let text = String::from_utf8(bytes.to_vec()).expect("utf-8 output");
    if let Some(c) = text.chars().find(|&c| c != '\n' && c.is_control()) {
        panic!(
            "{what} holds the raw control character {c:?}:\n{}",
            text.escape_debug()
        );
    }
    text
}

/// Runs a command that must succeed and returns its text output, checked to be plain.
fn plain(s: &Scratch, args: &[&str]) -> String {
    let out = s.run(args);
    assert!(
        out.status.success(),
        "toaster {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_plain(&format!("toaster {args:?}"), &out.stdout)
}

/// An event log of a failed build whose build directory, log message and its file carry
/// escape sequences, NUL, a bell, and line breaks (one of them `\r\n`).
fn hostile_log(s: &Scratch, host: &str) -> PathBuf {
    let header = r#"{"format":"toaster-events","version":1,"build":{"project":"demo","host":"HOST","build_dir":"/srv/\u001b[2Jfarm\u0000/build","machine":"qemuarm64","distro":"poky","targets":["core-image-minimal"],"layers":[],"started_at":1795765414000}}"#
        .replace("HOST", host);
    let lines = [
        header.as_str(),
        r#"{"event":"task_started","recipe":"busybox","task":"do_compile","at":1795765416000}"#,
        r#"{"event":"log","level":"error","text":"compiler said \u001b[31merror\u001b[0m\u0000 here\u0007\nsecond line\r\nERROR: not a message of its own","task":"busybox:do_compile","file":"/srv/x\u001b]0;title\u0007.c","line":7,"at":1795765417000}"#,
        r#"{"event":"task_finished","recipe":"busybox","task":"do_compile","outcome":"failed","at":1795765476000}"#,
        r#"{"event":"build_completed","state":"failed","at":1795765500000}"#,
    ];
    let path = s.path().join("hostile.jsonl");
    std::fs::write(&path, lines.join("\n") + "\n").expect("write log");
    path
}

#[test]
fn an_imported_log_with_control_characters_is_shown_escaped() {
    let s = Scratch::new().with_demo();
    let log = hostile_log(&s, "farm7");
    plain(&s, &["build", "import-events", log.to_str().expect("path")]);

    let show = plain(&s, &["build", "show", "1"]);
    assert!(
        show.contains("build dir: /srv/\\u{1b}[2Jfarm\\u{0}/build\n"),
        "{show}"
    );
    plain(&s, &["build", "list"]);
    plain(&s, &["build", "tasks", "1"]);

    let log_out = plain(&s, &["build", "log", "1"]);
    let lines: Vec<&str> = log_out.lines().collect();
    assert_eq!(
        lines,
        [
            "ERROR: busybox:do_compile: compiler said \\u{1b}[31merror\\u{1b}[0m\\u{0} here\\u{7} (/srv/x\\u{1b}]0;title\\u{7}.c:7)",
            "    second line",
            "    ERROR: not a message of its own",
        ],
        "a message's own lines stay lines, indented under it"
    );

    // JSON keeps the text exactly; its own escaping is enough there.
    let json = s.json(&["build", "log", "1"]);
    assert_eq!(
        json[0]["text"],
        "compiler said \u{1b}[31merror\u{1b}[0m\u{0} here\u{7}\nsecond line\r\nERROR: not a message of its own"
    );
}

#[test]
fn a_host_with_control_characters_is_refused_at_import() {
    let s = Scratch::new().with_demo();
    let log = hostile_log(&s, "farm\\u001b[2J7");
    let out = s.run(&["build", "import-events", log.to_str().expect("path")]);
    let err = assert_plain("the error", &out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("invalid host `farm\\u{1b}[2J7`") && err.contains("control character"),
        "{err}"
    );
    assert_eq!(s.json(&["build", "list"]), serde_json::json!([]));
}

#[test]
fn a_client_with_control_characters_is_refused() {
    let s = Scratch::new().with_demo();
    let before = s.state();
    for (client, args) in [
        ("x\ny\u{1b}[2J", &["project", "list"][..]),
        ("x\ny\u{1b}[2J", &["--as", "alice", "audit"][..]),
        (
            "tab\there",
            &["project", "create", "other", "--dir", "other"][..],
        ),
        ("x\ny", &["owner", "use", "alice"][..]),
        ("x\ny", &["owner", "add", "bob"][..]),
    ] {
        let out = s
            .command(args)
            .env("TOASTER_CLIENT", client)
            .output()
            .expect("run");
        let err = assert_plain("the error", &out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(out.stdout.is_empty(), "{args:?}");
        assert!(
            err.contains("invalid TOASTER_CLIENT") && err.contains("control character"),
            "{args:?}: {err}"
        );
    }
    assert_eq!(s.state(), before, "nothing was recorded");
    assert!(!s.path().join("other").exists());

    // A new database is not even started.
    let fresh = Scratch::new();
    let out = fresh
        .command(&["owner", "add", "alice"])
        .env("TOASTER_CLIENT", "x\ny")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert!(!fresh.db().exists(), "no database was made");
}

#[test]
fn a_project_directory_with_control_characters_is_shown_escaped() {
    let s = Scratch::new();
    s.ok(&["owner", "add", "alice"]);
    let created = plain(
        &s,
        &["project", "create", "odd", "--dir", "odd\n\u{1b}[2Jdir"],
    );
    assert!(created.contains("odd\\n\\u{1b}[2Jdir"), "{created}");
    let list = plain(&s, &["project", "list"]);
    assert_eq!(list.lines().count(), 2, "one row under the header:\n{list}");
    plain(&s, &["project", "show", "odd"]);
    let audit = plain(&s, &["audit"]);
    assert_eq!(
        audit.lines().count(),
        3,
        "two entries under the header:\n{audit}"
    );
    let json = s.json(&["project", "show", "odd"]);
    assert!(
        json["dir"]
            .as_str()
            .expect("dir")
            .ends_with("odd\n\u{1b}[2Jdir"),
        "{json}"
    );
}
