//! The command line on a PostgreSQL database (`--db postgres://…`, TOASTER_DB, the marker),
//! on the test server (`TOASTER_TEST_PG_URL`, see scripts/postgres.sh).

use serde_json::Value;
use toaster_core::store::test_server;

use super::Scratch;
use super::builds::event_log;

/// Runs `toaster` with TOASTER_DB set to `url` (unless `None`); it must succeed.
fn ok(s: &Scratch, url: Option<&str>, dir: &str, args: &[&str]) -> (String, String) {
    let mut command = s.command(args);
    command.current_dir(s.path().join(dir));
    if let Some(url) = url {
        command.env("TOASTER_DB", url);
    }
    let out = command.output().expect("run toaster");
    let stderr = String::from_utf8(out.stderr).expect("utf-8 errors");
    assert!(out.status.success(), "toaster {args:?} failed: {stderr}");
    (String::from_utf8(out.stdout).expect("utf-8 output"), stderr)
}

fn json(s: &Scratch, url: Option<&str>, dir: &str, args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.push("--json");
    serde_json::from_str(&ok(s, url, dir, &all).0).expect("JSON output")
}

#[test]
fn a_project_and_an_imported_build_live_in_postgres() {
    let Some(server) = test_server::server("a_project_and_an_imported_build_live_in_postgres")
    else {
        return;
    };
    // The test server trusts local connections, so any password does: one given in the
    // URL must never be shown nor written down.
    let url = server.fresh_schema().replacen(
        "postgres://toaster@",
        "postgres://toaster:pw-never-shown@",
        1,
    );
    let s = Scratch::new();
    let (_, created) = ok(&s, Some(&url), ".", &["owner", "add", "alice"]);
    assert!(
        created.contains("created the database postgres://toaster@127.0.0.1:"),
        "{created}"
    );
    assert!(!created.contains("pw-never-shown"), "{created}");
    ok(
        &s,
        Some(&url),
        ".",
        &[
            "project",
            "create",
            "demo",
            "--dir",
            "./demo",
            "--release",
            "scarthgap",
        ],
    );
    ok(
        &s,
        Some(&url),
        ".",
        &["config", "set", "demo", "MACHINE", "qemuarm64"],
    );
    let log = event_log(&s, "farm7.jsonl", false);
    let imported = json(
        &s,
        Some(&url),
        ".",
        &["build", "import-events", log.to_str().expect("path")],
    );
    let id = imported["build"]["id"].as_i64().expect("id");
    // No SQLite file was made: the data is in PostgreSQL.
    assert!(!s.db().exists());
    // The marker records the database without the password, and leads back to it.
    let marker = std::fs::read_to_string(s.path().join("demo/.toaster-project")).expect("marker");
    assert!(!marker.contains("pw-never-shown"), "{marker}");
    let recorded = marker
        .lines()
        .find_map(|l| l.strip_prefix("database = "))
        .expect("the marker records the database");
    assert!(
        recorded.starts_with("postgres://toaster@127.0.0.1:"),
        "{marker}"
    );
    assert!(
        recorded.contains("search_path"),
        "the schema is kept: {marker}"
    );
    let builds = json(&s, None, "demo", &["build", "list"]);
    assert_eq!(builds[0]["id"].as_i64(), Some(id), "{builds}");
    assert_eq!(builds[0]["project"], "demo", "{builds}");
    let config = json(&s, None, "demo", &["config", "show", "demo"]);
    assert!(config.to_string().contains("qemuarm64"), "{config}");
    let status = json(&s, None, "demo", &["status"]);
    assert_eq!(status["database"]["chosen_by"], "marker", "{status}");
    assert!(!status.to_string().contains("pw-never-shown"), "{status}");
    let show = json(&s, Some(&url), ".", &["build", "show", &id.to_string()]);
    assert_eq!(show["state"], "succeeded");
    assert_eq!(show["tasks"]["succeeded"], 1);
}
