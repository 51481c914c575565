//! Where I stand (issue 20): the database and the project found from the current directory
//! through the project directory's marker, explicit options winning, ambiguous names
//! refused, `toaster status`, and every command's help.

use std::path::Path;
use std::process::Output;

use serde_json::Value;

use super::Scratch;

/// Runs `toaster ARGS` in `dir`.
fn run_in(s: &Scratch, dir: &Path, args: &[&str]) -> Output {
    s.command(args)
        .current_dir(dir)
        .output()
        .expect("run toaster")
}

/// Runs a command in `dir` that must succeed; returns its standard output.
fn ok_in(s: &Scratch, dir: &Path, args: &[&str]) -> String {
    let out = run_in(s, dir, args);
    assert!(
        out.status.success(),
        "toaster {args:?} in {}: {}",
        dir.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

/// Runs a command in `dir` that must fail with `code`; returns its standard error.
fn fails_in(s: &Scratch, dir: &Path, code: i32, args: &[&str]) -> String {
    let out = run_in(s, dir, args);
    let stderr = String::from_utf8(out.stderr).expect("utf-8");
    assert_eq!(out.status.code(), Some(code), "toaster {args:?}: {stderr}");
    stderr
}

fn json_in(s: &Scratch, dir: &Path, args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.push("--json");
    serde_json::from_str(&ok_in(s, dir, &all)).expect("JSON")
}

#[test]
fn a_session_in_the_build_directory_needs_neither_db_nor_project() {
    let s = Scratch::new().with_demo();
    let build = s.path().join("demo/build");
    let deeper = build.join("tmp/work");
    std::fs::create_dir_all(&deeper).unwrap();
    let status = json_in(&s, &build, &["status"]);
    let marker = s.path().join("demo/.toaster-project");
    assert_eq!(status["database"]["chosen_by"], "marker");
    assert_eq!(status["database"]["exists"], true);
    assert_eq!(
        status["database"]["marker"],
        marker.canonicalize().unwrap().to_str().unwrap()
    );
    assert_eq!(status["project"]["name"], "demo");
    assert_eq!(status["project"]["in_database"], true);
    assert_eq!(status["owner"]["name"], "alice");
    assert_eq!(status["owner"]["chosen_by"], "remembered");
    assert_eq!(status["client"], "cli:tester@testhost");

    ok_in(&s, &build, &["config", "set", "MACHINE", "qemuarm64"]);
    assert_eq!(
        ok_in(&s, &deeper, &["config", "get", "MACHINE"]),
        "qemuarm64\n"
    );
    ok_in(&s, &build, &["config", "set", "PARALLEL_MAKE", "-j 16"]);
    ok_in(&s, &build, &["config", "add", "EXTRA_OEMAKE", "-k", "-s"]);
    ok_in(
        &s,
        &build,
        &["config", "add", "targets", "core-image-minimal"],
    );
    assert_eq!(
        json_in(&s, &build, &["config", "get", "PARALLEL_MAKE"])["value"],
        "-j 16"
    );
    let shown = json_in(&s, &build, &["config", "show"]);
    assert!(shown["variables"].to_string().contains("-k -s"), "{shown}");
    let history = json_in(&s, &build, &["project", "history"]);
    assert_eq!(history.as_array().unwrap().len(), 5, "{history}");
    assert_eq!(json_in(&s, &build, &["project", "diff", "5"])["to"], 5);
    assert!(
        !json_in(&s, &build, &["layer", "list"])
            .as_array()
            .unwrap()
            .is_empty()
    );
    let build_id = json_in(&s, &build, &["build", "start"])["id"].clone();
    let builds = json_in(&s, &build, &["build", "list"]);
    assert_eq!(builds[0]["id"], build_id);
    assert_eq!(builds[0]["project"], "demo");
    ok_in(&s, &build, &["project", "undo"]);
    // The same changes as seen from the database's directory, naming the project.
    let config = s.json(&["config", "show", "demo"]);
    assert_eq!(config["machine"], "qemuarm64");
    // An unset key exits 1 here too, and prints null with --json.
    let out = run_in(&s, &build, &["config", "get", "UNSET_THING", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["value"], Value::Null);
}

#[test]
fn explicit_options_win_over_the_marker() {
    let s = Scratch::new().with_demo();
    s.ok(&["project", "create", "other", "--dir", "./other"]);
    let build = s.path().join("demo/build");
    // A project named on the command line, positionally or with -p.
    ok_in(
        &s,
        &build,
        &["config", "set", "other", "machine", "qemuarm"],
    );
    ok_in(
        &s,
        &build,
        &["config", "set", "-p", "other", "distro", "poky-tiny"],
    );
    let other = s.json(&["config", "show", "other"]);
    assert_eq!(
        (&other["machine"], &other["distro"]),
        (&"qemuarm".into(), &"poky-tiny".into())
    );
    assert_eq!(s.json(&["config", "show", "demo"])["machine"], "qemux86-64");
    // Another database: the marker's project is not taken for it.
    let elsewhere = s.path().join("elsewhere.sqlite");
    let elsewhere = elsewhere.to_str().unwrap();
    let err = fails_in(
        &s,
        &build,
        1,
        &["--db", elsewhere, "config", "get", "MACHINE"],
    );
    assert!(err.contains("no Toaster database at"), "{err}");
    let status = json_in(&s, &build, &["--db", elsewhere, "status"]);
    assert_eq!(status["database"]["chosen_by"], "option");
    assert_eq!(status["database"]["exists"], false);
    assert_eq!(status["project"], Value::Null);
    assert_eq!(status["other_marker"]["project"], "demo");
    let out = s
        .command(&["status", "--json", "--as", "bob"])
        .current_dir(&build)
        .env("TOASTER_DB", elsewhere)
        .output()
        .unwrap();
    let status: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(status["database"]["chosen_by"], "environment");
    assert_eq!(status["owner"]["chosen_by"], "option");
    assert_eq!(status["owner"]["exists"], Value::Null, "no database to ask");
}

#[test]
fn a_name_that_reads_two_ways_is_refused() {
    let s = Scratch::new().with_demo();
    s.ok(&["project", "create", "other", "--dir", "./other"]);
    let build = s.path().join("demo/build");
    let before = s.state();
    let err = fails_in(&s, &build, 2, &["config", "add", "other", "targets", "x"]);
    assert!(
        err.contains("`other` could be the project") && err.contains("-p other"),
        "{err}"
    );
    let err = fails_in(&s, &build, 2, &["build", "start", "other"]);
    assert!(err.contains("-p demo"), "{err}");
    assert_eq!(s.state(), before, "nothing changed");
    // The directory's own project's name is the project.
    ok_in(
        &s,
        &build,
        &["config", "add", "demo", "targets", "core-image-minimal"],
    );
    // Too many or too few arguments are said as such.
    let err = fails_in(&s, &build, 2, &["config", "set", "MACHINE"]);
    assert!(err.contains("config set [PROJECT] KEY [OP] VALUE"), "{err}");
    fails_in(&s, &build, 2, &["config", "set", "demo", "a", "b", "c"]);
    let err = fails_in(&s, s.path(), 2, &["config", "get", "MACHINE"]);
    assert!(err.contains("not in a project directory"), "{err}");
}

#[test]
fn markers_of_old_or_of_elsewhere_are_checked() {
    let s = Scratch::new().with_demo();
    let demo = s.path().join("demo");
    let marker = demo.join(".toaster-project");
    let text = std::fs::read_to_string(&marker).unwrap();
    assert!(text.contains("database = /"), "{text}");
    // A marker written before databases were recorded: the project still counts, with
    // the database given.
    std::fs::write(&marker, "project = demo\n").unwrap();
    let build = demo.join("build");
    let err = fails_in(&s, &build, 1, &["config", "get", "machine"]);
    assert!(
        err.contains("no project directory") || err.contains("no Toaster database"),
        "{err}"
    );
    let db = s.db();
    let db = db.to_str().unwrap();
    assert_eq!(
        ok_in(&s, &build, &["--db", db, "config", "get", "machine"]),
        "qemux86-64\n"
    );
    // A copy of the directory elsewhere names a project that lives somewhere else.
    let copy = s.path().join("copy");
    std::fs::create_dir(&copy).unwrap();
    std::fs::write(copy.join(".toaster-project"), text).unwrap();
    let err = fails_in(&s, &copy, 1, &["config", "get", "machine"]);
    assert!(
        err.contains("is marked for project `demo`") && err.contains("lives in"),
        "{err}"
    );
}

#[test]
fn without_a_marker_or_a_database_the_default_says_where_it_looked() {
    let s = Scratch::new();
    let err = s.fails(1, &["config", "get", "MACHINE"]);
    assert!(
        err.contains("there is no Toaster database at toaster.sqlite")
            && err.contains("current directory or above it"),
        "{err}"
    );
    let status = s.ok(&["status"]);
    assert!(
        status.contains("the default") && status.contains("no Toaster database there yet"),
        "{status}"
    );
}

/// The commands `toaster [GROUP] --help` lists.
fn commands(s: &Scratch, group: &[&str]) -> Vec<String> {
    let mut args = group.to_vec();
    args.push("--help");
    let help = s.ok(&args);
    help.lines()
        .skip_while(|l| *l != "Commands:")
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        // A wrapped description goes on indented deeper.
        .filter(|l| !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .map(str::to_owned)
        .collect()
}

#[test]
fn every_command_has_examples_and_global_options_apart() {
    let s = Scratch::new();
    let mut checked = 0;
    for command in commands(&s, &[]) {
        let subcommands = commands(&s, &[&command]);
        let leaves: Vec<Vec<&str>> = if subcommands.is_empty() {
            vec![vec![command.as_str()]]
        } else {
            subcommands
                .iter()
                .map(|sub| vec![command.as_str(), sub.as_str()])
                .collect()
        };
        for mut leaf in leaves {
            leaf.push("--help");
            let help = s.ok(&leaf);
            assert!(help.contains("Example"), "{leaf:?} has no example:\n{help}");
            let global = help
                .split("Global options:")
                .nth(1)
                .expect("a global heading");
            assert!(
                global.contains("--db <PATH>") && global.contains("--json"),
                "{help}"
            );
            let own = help.split("Global options:").next().unwrap();
            assert!(
                !own.contains("--db <PATH>"),
                "{leaf:?}: --db among its own options"
            );
            checked += 1;
        }
    }
    assert!(checked > 60, "{checked} commands");
    let help = s.ok(&["config", "set", "--help"]);
    for key in [
        "machine",
        "distro",
        "targets",
        "packages",
        "recipes",
        "PARALLEL_MAKE",
    ] {
        assert!(help.contains(key), "{key}: {help}");
    }
    assert!(!help.contains("The key\n"), "{help}");
}
