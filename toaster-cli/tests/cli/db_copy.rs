//! `toaster db copy --to TARGET`: a database with an imported build copied into a new
//! SQLite file and into PostgreSQL (the test server, `TOASTER_TEST_PG_URL`) and back; a
//! target that holds rows refused.

use serde_json::Value;
use toaster_core::store::test_server;

use super::Scratch;
use super::builds::event_log;

/// A database with a project, a configuration change and an imported build.
fn filled() -> Scratch {
    let s = Scratch::new().with_demo();
    s.ok(&["config", "set", "demo", "MACHINE", "qemuarm64"]);
    let log = event_log(&s, "farm7.jsonl", false);
    s.ok(&["build", "import-events", log.to_str().expect("path")]);
    s
}

/// What the CLI shows of the database `db`: owners, projects, builds, one build's tasks
/// and packages, and the audit log.
fn shown(s: &Scratch, db: &str) -> String {
    let mut shown = String::new();
    for args in [
        &["owner", "list"][..],
        &["project", "list"],
        &["project", "history", "demo"],
        &["build", "list", "--all"],
        &["build", "tasks", "1"],
        &["build", "packages", "1"],
        &["audit"],
    ] {
        let mut all = vec!["--db", db, "--json"];
        all.extend_from_slice(args);
        shown.push_str(&s.ok(&all));
    }
    shown
}

/// The rows of each table, from a `db copy --json` report.
fn counts(report: &Value) -> Vec<(String, u64)> {
    report["tables"]
        .as_array()
        .expect("tables")
        .iter()
        .map(|t| {
            (
                t["table"].as_str().expect("table").to_owned(),
                t["rows"].as_u64().expect("rows"),
            )
        })
        .collect()
}

#[test]
fn a_database_copies_into_a_new_sqlite_file_and_a_full_one_is_refused() {
    let s = filled();
    let report = s.json(&["db", "copy", "--to", "copy.sqlite"]);
    let counts = counts(&report);
    assert_eq!(counts.len(), 32, "{counts:?}");
    let rows = |table: &str| counts.iter().find(|(t, _)| t == table).map(|(_, n)| *n);
    assert_eq!(rows("owner"), Some(1));
    assert_eq!(rows("build"), Some(1));
    assert_eq!(rows("task"), Some(2));
    assert_eq!(rows("config_revision"), Some(2));
    assert_eq!(
        report["rows"].as_u64(),
        Some(counts.iter().map(|(_, n)| n).sum())
    );
    assert_eq!(report["target"], "copy.sqlite");
    let original = s.db();
    let original = original.to_str().expect("path");
    assert_eq!(shown(&s, "copy.sqlite"), shown(&s, original));

    // Again into the copy, now full: refused, and the copy stays as it was.
    let before = shown(&s, "copy.sqlite");
    let refused = s.fails(1, &["db", "copy", "--to", "copy.sqlite"]);
    assert!(
        refused.contains("error: the target copy.sqlite is not empty (")
            && refused.contains("owner: 1 row")
            && refused.contains("nothing was copied"),
        "{refused}"
    );
    assert!(
        refused.contains("hint: copy into a new SQLite file, or an empty PostgreSQL database"),
        "{refused}"
    );
    assert_eq!(shown(&s, "copy.sqlite"), before);

    // Text: the tables and their rows, and how to use the copy.
    let text = s.ok(&["db", "copy", "--to", "second.sqlite"]);
    assert!(
        text.starts_with("copied toaster.sqlite to second.sqlite: "),
        "{text}"
    );
    assert!(text.contains("\nTABLE "), "{text}");
    assert!(text.contains("\nconfig_revision "), "{text}");
    assert!(
        text.contains("Use the copy with --db second.sqlite"),
        "{text}"
    );
}

#[test]
fn a_database_moves_to_postgres_and_back() {
    let Some(server) = test_server::server("a_database_moves_to_postgres_and_back") else {
        return;
    };
    let s = filled();
    let url = server.fresh_schema();
    let there = s.json(&["db", "copy", "--to", &url]);
    assert!(
        there["target"]
            .as_str()
            .is_some_and(|t| t.starts_with("postgres://toaster@127.0.0.1:")),
        "{there}"
    );
    let original = s.db();
    let original = original.to_str().expect("path");
    assert_eq!(shown(&s, &url), shown(&s, original));

    let back = s.json(&["--db", &url, "db", "copy", "--to", "back.sqlite"]);
    assert_eq!(counts(&back), counts(&there));
    assert_eq!(shown(&s, "back.sqlite"), shown(&s, original));

    // PostgreSQL now holds rows: a second copy into it is refused.
    let refused = s.fails(1, &["db", "copy", "--to", &url]);
    assert!(refused.contains("is not empty ("), "{refused}");
}
