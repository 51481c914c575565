//! Builds through the command line: importing an event log, listing, showing, tasks,
//! hiding and deleting.

use std::path::PathBuf;

use super::Scratch;

/// A small event log as a recorder on another host writes it (format version 1).
pub(super) fn event_log(s: &Scratch, name: &str, cut: bool) -> PathBuf {
    let mut lines = vec![
        r#"{"format":"toaster-events","version":1,"build":{"project":"demo","host":"farm7","build_dir":"/srv/farm7/build","machine":"qemuarm64","distro":"poky","targets":["core-image-minimal"],"layers":[{"name":"meta","source":"https://git.openembedded.org/openembedded-core","reference":"scarthgap","commit":"0123456789abcdef0123456789abcdef01234567"}],"started_at":1795765414000}}"#,
        r#"{"event":"parse_started","total":2}"#,
        r#"{"event":"recipe","name":"busybox","version":"1.36.1-r0","layer":"meta","file":"/srv/meta/recipes-core/busybox/busybox_1.36.1.bb"}"#,
        r#"{"event":"recipe","name":"zlib","version":"1.3.1-r0","layer":"meta","file":"/srv/meta/recipes-core/zlib/zlib_1.3.1.bb"}"#,
        r#"{"event":"parse_completed","total":2}"#,
        r#"{"event":"task_finished","recipe":"zlib","task":"do_populate_sysroot_setscene","outcome":"cached","at":1795765415000}"#,
        r#"{"event":"task_started","recipe":"busybox","task":"do_compile","at":1795765416000}"#,
        r#"{"event":"log","level":"warning","text":"busybox: QA issue: something to look at","task":"busybox:do_compile","file":null,"line":null,"at":1795765417000}"#,
        r#"{"event":"task_finished","recipe":"busybox","task":"do_compile","outcome":"succeeded","at":1795765476000,"cpu_ms":58000}"#,
        r#"{"event":"from_a_newer_toaster","x":1}"#,
        r#"{"event":"package","name":"busybox","version":"1.36.1-r0","size":720896,"recipe":"busybox","depends":["libc6"]}"#,
    ];
    if cut {
        lines.push(r#"{"event":"task_sta"#);
    } else {
        lines.push(r#"{"event":"artifact","kind":"image","path":"/srv/farm7/build/tmp/deploy/images/core-image-minimal.ext4","size":41943040}"#);
        lines.push(r#"{"event":"build_completed","state":"succeeded","at":1795765500000}"#);
    }
    let path = s.path().join(name);
    std::fs::write(&path, lines.join("\n") + "\n").expect("write log");
    path
}

#[test]
fn an_imported_build_lists_shows_and_goes() {
    let s = Scratch::new().with_demo();
    let log = event_log(&s, "farm7.jsonl", false);
    let imported = s.json(&["build", "import-events", log.to_str().expect("path")]);
    assert_eq!(imported["events"], 11);
    assert_eq!(
        imported["skipped"][0],
        "line 10: event `from_a_newer_toaster` is not known to this version"
    );
    let id = imported["build"]["id"].as_i64().expect("id").to_string();
    let show = s.json(&["build", "show", &id]);
    assert_eq!(show["state"], "succeeded");
    assert_eq!(show["host"], "farm7");
    assert_eq!(show["duration_ms"], 86_000);
    assert_eq!(show["tasks"]["cached"], 1);
    assert_eq!(show["tasks"]["succeeded"], 1);
    assert_eq!(show["warnings"], 1);
    assert_eq!(
        show["layers"][0]["commit"],
        "0123456789abcdef0123456789abcdef01234567"
    );
    // What it recorded, and nothing it did not: no revision or variables of this
    // database, progress from its tasks, its log named by the host it is on.
    assert!(show["revision"].is_null(), "{show}");
    assert!(show.get("variables").is_none(), "{show}");
    assert_eq!(show["progress"]["tasks_done"], 2);
    assert_eq!(show["progress"]["tasks_total"], 2);
    assert!(show["log_path"].is_null(), "{show}");
    assert_eq!(show["log_host"], "farm7");
    assert!(
        show["origin"]
            .as_str()
            .expect("origin")
            .contains("recorded on farm7"),
        "{show}"
    );
    let text = s.ok(&["build", "show", &id]);
    assert!(text.contains("(configuration revision unknown"), "{text}");
    assert!(text.contains("tasks 2/2"), "{text}");
    assert!(
        text.contains("log:       not here (the build ran on farm7)"),
        "{text}"
    );
    assert!(!text.contains("variables"), "{text}");
    let tasks = s.json(&["build", "tasks", &id, "--sort", "elapsed"]);
    assert_eq!(tasks[0]["task"], "do_compile");
    assert_eq!(tasks[0]["elapsed_ms"], 60_000);
    assert_eq!(
        s.json(&["build", "tasks", &id, "--outcome", "cached"])
            .as_array()
            .expect("list")
            .len(),
        1
    );
    let err = s.fails(1, &["build", "tasks", &id, "--outcome", "exploded"]);
    assert!(err.contains("invalid task outcome `exploded`"), "{err}");
    let log_out = s.ok(&["build", "log", &id, "--level", "warning"]);
    assert_eq!(
        log_out,
        "WARNING: busybox:do_compile: busybox: QA issue: something to look at\n"
    );

    s.ok(&["build", "hide", &id]);
    assert_eq!(
        s.json(&["build", "list"]).as_array().expect("list").len(),
        0
    );
    assert_eq!(
        s.json(&["build", "list", "--hidden"])
            .as_array()
            .expect("list")
            .len(),
        1
    );
    assert_eq!(
        s.json(&["build", "list", "demo", "--all"])
            .as_array()
            .expect("list")
            .len(),
        1
    );
    s.ok(&["build", "unhide", &id]);
    assert_eq!(
        s.json(&["build", "list"]).as_array().expect("list").len(),
        1
    );
    let out = s.ok(&["build", "delete", &id]);
    assert!(out.contains("its files stay"), "{out}");
    s.fails(1, &["build", "show", &id]);
    let actions: Vec<String> = s
        .json(&["audit", "--limit", "4"])
        .as_array()
        .expect("list")
        .iter()
        .map(|e| e["action"].as_str().expect("a").to_owned())
        .collect();
    assert_eq!(
        actions,
        ["build.delete", "build.hide", "build.hide", "build.start"]
    );
}

#[test]
fn a_cut_event_log_imports_what_is_valid() {
    let s = Scratch::new().with_demo();
    let log = event_log(&s, "cut.jsonl", true);
    let out = s.ok(&["build", "import-events", log.to_str().expect("path")]);
    assert!(
        out.contains("imported 9 events into build 1 of project demo (interrupted)"),
        "{out}"
    );
    assert!(out.contains("stopped at line 12: it is not JSON"), "{out}");
    let err = s.fails(1, &["build", "import-events", "no-such-file.jsonl"]);
    assert!(err.contains("no-such-file.jsonl"), "{err}");
    std::fs::write(s.path().join("x.jsonl"), "hello\n").expect("write");
    let err = s.fails(1, &["build", "import-events", "x.jsonl"]);
    assert!(
        err.contains("line 1 is not JSON") && err.contains("hint:"),
        "{err}"
    );
}

#[test]
fn build_listing_follows_permissions() {
    let s = Scratch::new().with_demo();
    let log = event_log(&s, "farm7.jsonl", false);
    s.ok(&["build", "import-events", log.to_str().expect("path")]);
    s.ok(&["owner", "add", "bob"]);
    assert_eq!(
        s.json(&["--as", "bob", "build", "list"])
            .as_array()
            .expect("list")
            .len(),
        0
    );
    let err = s.fails(1, &["--as", "bob", "build", "show", "1"]);
    assert!(err.contains("may not read project `demo`"), "{err}");
    let err = s.fails(
        1,
        &[
            "--as",
            "bob",
            "build",
            "import-events",
            log.to_str().expect("path"),
        ],
    );
    assert!(err.contains("may not build project `demo`"), "{err}");
}

#[test]
fn builds_of_another_host_are_archived_in_bulk_and_their_files_said_elsewhere() {
    let s = Scratch::new().with_demo();
    for name in ["a.jsonl", "b.jsonl"] {
        let log = event_log(&s, name, false);
        s.ok(&["build", "import-events", log.to_str().expect("path")]);
    }
    let artifacts = s.json(&["build", "artifacts", "1"]);
    assert_eq!(artifacts[0]["name"], "core-image-minimal.ext4");
    assert_eq!(artifacts[0]["size"], 41_943_040);
    assert!(
        artifacts[0]["sha256"].is_null(),
        "an older recorder's: no checksum"
    );
    let elsewhere = s.fails(1, &["build", "download", "1", "core-image-minimal.ext4"]);
    assert!(elsewhere.contains("ran on host `farm7`"), "{elsewhere}");

    // They ended in 2026-11, not 30000 days ago.
    let none = s.json(&["build", "archive", "--older-than", "30000d"]);
    assert_eq!(none, serde_json::json!([]));
    let archived = s.json(&[
        "build",
        "archive",
        "--older-than",
        "0d",
        "--project",
        "demo",
    ]);
    assert_eq!(archived.as_array().map(Vec::len), Some(2));
    assert_eq!(
        archived[0]["files_left_out"][0]["why"],
        "an image, SDK or other large file (--with-images keeps it)"
    );
    let again = s.json(&["build", "archive", "--older-than", "0d"]);
    assert_eq!(
        again,
        serde_json::json!([]),
        "archived builds are not archived again"
    );
    let show = s.json(&["build", "show", "1"]);
    assert!(
        show["archive"]
            .as_str()
            .expect("archive")
            .ends_with("demo-build-1.zip")
    );

    let refused = s.fails(1, &["build", "archive", "--older-than", "3w"]);
    assert!(
        refused.contains("an age like `45m`, `12h`, `7d`"),
        "{refused}"
    );
    s.fails(2, &["build", "archive"]);
}
