//! The copy against real databases: SQLite files filled through the facade with a recorded
//! build, and the PostgreSQL test server (`TOASTER_TEST_PG_URL`; skipped loudly without).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::*;
use crate::ingest::BatchPolicy;
use crate::ingest::synthetic::Workload;
use crate::model::{AuditFilter, ConfigChange, ConfigKey, HookAction, HookTrigger, Timestamp};
use crate::store::test_server;
use crate::{Actor, BuildRequest, ProjectOptions, Toaster};

/// Every table's rows in key order, as the copy reads them.
fn dump(location: &Path) -> BTreeMap<String, Vec<Vec<Value>>> {
    let mut side = open(location, true).unwrap();
    let catalog = side.catalog().unwrap();
    let mut tables = BTreeMap::new();
    for table in catalog.tables.values() {
        let mut rows = Vec::new();
        side.read(table, &mut |found| {
            for row in found {
                rows.push(row?);
            }
            Ok(0)
        })
        .unwrap();
        // Columns by name, whatever order the backend made them in.
        let mut names: Vec<(usize, &str)> = table
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| (i, c.name.as_str()))
            .collect();
        names.sort_by_key(|(_, name)| *name);
        let rows = rows
            .into_iter()
            .map(|row| names.iter().map(|(i, _)| row[*i].clone()).collect())
            .collect();
        tables.insert(table.name.clone(), rows);
    }
    tables
}

/// An SQLite database with what an instance holds: owners (one admin), a group with a
/// member, settings, a token, a project with several revisions and a hook, a build
/// recorded whole (its hook delivery made as it ended), a queued build, and a deleted
/// build (so the key sequence stands past the highest key).
fn filled(dir: &Path) -> (PathBuf, Actor) {
    let path = dir.join("toaster.sqlite");
    let toaster = Toaster::init_sqlite(&path).unwrap();
    let alice = toaster.add_first_owner("alice", None, "test").unwrap();
    alice.add_owner("bob", Some("bob@example.com")).unwrap();
    alice.add_group("builders").unwrap();
    alice.set_member("builders", "bob", true).unwrap();
    alice
        .set_setting("smtp.host", Some("mail.example.com"))
        .unwrap();
    alice.create_token(Some("laptop"), None).unwrap();
    let runner = crate::model::RunnerId::generate("bh1").unwrap();
    alice
        .register_runner(&runner, "bh1", 2, &crate::RunOptions::default())
        .unwrap();
    alice
        .create_project(
            "demo",
            &dir.join("demo"),
            &ProjectOptions {
                release: Some("scarthgap"),
                ..Default::default()
            },
        )
        .unwrap();
    let targets = ConfigChange::Set {
        key: ConfigKey::Targets,
        value: "core-image-minimal".into(),
    };
    alice.change_config("demo", &[targets], None).unwrap();
    let hook = HookAction::webhook("https://ci.example.com/toaster", None).unwrap();
    alice.add_hook("demo", HookTrigger::Always, hook).unwrap();
    let build = alice.start_build("demo", "buildhost", None).unwrap();
    let mut recorder = alice
        .recorder(
            build.id,
            BatchPolicy {
                max_writes: 500,
                max_age: Duration::from_secs(60),
            },
        )
        .unwrap();
    for event in Workload::SMALL.events(Timestamp(1_795_765_414_000)) {
        recorder.record(event).unwrap();
    }
    let _ = recorder.flush();
    alice
        .request_build(
            "demo",
            &BuildRequest {
                targets: None,
                host: "buildhost".into(),
                run_on: None,
            },
        )
        .unwrap();
    let gone = alice.start_build("demo", "buildhost", None).unwrap();
    alice.delete_build(gone.id).unwrap();
    (path, alice)
}

/// What the facade shows of a database: projects, builds (with their tasks and
/// packages), the audit log.
fn shown(location: &Path) -> String {
    let toaster = Toaster::open(location).unwrap();
    let alice = toaster.act_as("alice", "test").unwrap();
    let builds = alice
        .builds(&crate::BuildQuery {
            project: None,
            visibility: crate::model::Visibility::All,
            limit: 100,
            offset: 0,
        })
        .unwrap();
    let mut shown = format!("{:?}\n{builds:?}\n", alice.projects(false).unwrap());
    for build in &builds {
        let tasks = alice.tasks(build.id, &Default::default()).unwrap();
        let packages = alice.packages(build.id).unwrap();
        shown.push_str(&format!("{tasks:?}\n{packages:?}\n"));
    }
    shown.push_str(&format!(
        "{:?}",
        alice.audit(&AuditFilter::default()).unwrap()
    ));
    shown
}

#[test]
fn a_database_goes_to_postgres_and_back_unchanged() {
    let Some(server) = test_server::server("a_database_goes_to_postgres_and_back_unchanged") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (original, _) = filled(dir.path());
    let url = server.fresh_schema();
    let there = copy(&original, Path::new(&url)).unwrap();
    let back_path = dir.path().join("back.sqlite");
    let back = copy(Path::new(&url), &back_path).unwrap();

    let before = dump(&original);
    assert_eq!(before.len(), 32, "every table: {:?}", before.keys());
    let counts: Vec<TableCount> = before
        .iter()
        .map(|(table, rows)| TableCount {
            table: table.clone(),
            rows: rows.len() as u64,
        })
        .collect();
    assert_eq!(there.tables, counts);
    assert_eq!(back.tables, counts);
    for table in [
        "task",
        "package_file",
        "image_file",
        "hook_delivery",
        "audit",
    ] {
        assert!(!before[table].is_empty(), "{table} has rows");
    }
    assert_eq!(
        dump(Path::new(&url)),
        before,
        "PostgreSQL holds the same rows"
    );
    assert_eq!(
        dump(&back_path),
        before,
        "and so does the SQLite file made from it"
    );
    assert_eq!(shown(Path::new(&url)), shown(&original));
    assert_eq!(shown(&back_path), shown(&original));

    // The key sequences stand where the original's do: past the deleted build.
    let next = |location: &Path| {
        let toaster = Toaster::open(location).unwrap();
        let alice = toaster.act_as("alice", "test").unwrap();
        alice.start_build("demo", "buildhost", None).unwrap().id
    };
    let expected = next(&original);
    assert_eq!(next(Path::new(&url)), expected);
    assert_eq!(next(&back_path), expected);
}

#[test]
fn both_backends_make_the_same_tables_and_columns() {
    let Some(server) = test_server::server("both_backends_make_the_same_tables_and_columns") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("toaster.sqlite");
    drop(crate::store::SqliteStore::init(&path).unwrap());
    let url = server.fresh_schema();
    drop(crate::store::PostgresStore::init(&url).unwrap());
    // Reading PostgreSQL's catalogue also refuses a column type the copy does not map.
    let sqlite = open(&path, true).unwrap().catalog().unwrap();
    let postgres = open(Path::new(&url), true).unwrap().catalog().unwrap();
    let names = |c: &Catalog| c.tables.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(&sqlite), names(&postgres));
    for (name, lite) in &sqlite.tables {
        let pg = &postgres.tables[name];
        let columns = |t: &Table| {
            let mut found: Vec<String> = t.columns.iter().map(|c| c.name.clone()).collect();
            found.sort_unstable();
            found
        };
        assert_eq!(columns(lite), columns(pg), "the columns of {name}");
        let key = |t: &Table| -> Vec<String> {
            t.key.iter().map(|&i| t.columns[i].name.clone()).collect()
        };
        assert_eq!(key(lite), key(pg), "the primary key of {name}");
        assert_eq!(lite.parents, pg.parents, "the tables {name} refers to");
        for column in &lite.columns {
            let other = pg.columns.iter().find(|c| c.name == column.name).unwrap();
            let fits = matches!(
                (column.declared.as_str(), other.kind),
                ("INTEGER", value::Kind::BigInt | value::Kind::Boolean)
                    | ("TEXT", value::Kind::Text)
            );
            assert!(
                fits,
                "{name}.{}: {} on SQLite, {} on PostgreSQL",
                column.name, column.declared, other.declared
            );
        }
    }
}

#[test]
fn a_target_that_is_not_empty_is_refused_and_kept_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let (original, _) = filled(dir.path());
    let other = dir.path().join("other.sqlite");
    let toaster = Toaster::init_sqlite(&other).unwrap();
    toaster.add_first_owner("zed", None, "test").unwrap();
    let before = dump(&other);
    let e = copy(&original, &other).unwrap_err();
    assert!(
        matches!(&e, CopyError::NotEmpty { tables, .. }
            if tables.contains(&"owner: 1 row".to_owned())
            && tables.contains(&"audit: 1 row".to_owned())),
        "{e}"
    );
    assert!(e.to_string().contains("nothing was copied"), "{e}");
    assert_eq!(dump(&other), before);

    let Some(server) = test_server::server("a_target_that_is_not_empty_is_refused (PostgreSQL)")
    else {
        return;
    };
    let url = server.fresh_schema();
    let toaster = Toaster::init(Path::new(&url)).unwrap();
    toaster.add_first_owner("zed", None, "test").unwrap();
    let before = dump(Path::new(&url));
    let e = copy(&original, Path::new(&url)).unwrap_err();
    assert!(matches!(e, CopyError::NotEmpty { .. }), "{e}");
    assert_eq!(dump(Path::new(&url)), before);
}

#[test]
fn a_value_postgres_refuses_leaves_nothing_copied() {
    let Some(server) = test_server::server("a_value_postgres_refuses_leaves_nothing_copied") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (original, _) = filled(dir.path());
    // SQLite keeps any integer in the build's boolean column `hidden`.
    let conn = rusqlite::Connection::open(&original).unwrap();
    conn.execute("UPDATE build SET hidden = 2 WHERE id = 2", [])
        .unwrap();
    drop(conn);
    let url = server.fresh_schema();
    let e = copy(&original, Path::new(&url)).unwrap_err();
    assert_eq!(
        e.to_string(),
        "row id=2 of table build holds in column hidden integer 2, which a boolean column \
         does not take; nothing was copied"
    );
    // Owners, projects and revisions were written before the build table: all undone.
    let left = dump(Path::new(&url));
    assert!(left.values().all(Vec::is_empty), "{left:?}");
}

#[test]
fn a_failed_copy_removes_the_file_it_made() {
    let dir = tempfile::tempdir().unwrap();
    let (original, _) = filled(dir.path());
    let conn = rusqlite::Connection::open(&original).unwrap();
    conn.execute(
        "UPDATE owner SET email = CAST(X'FF' AS TEXT) WHERE name = 'bob'",
        [],
    )
    .unwrap();
    drop(conn);
    let target = dir.path().join("new.sqlite");
    let e = copy(&original, &target).unwrap_err();
    assert_eq!(
        e.to_string(),
        "row id=2 of table owner holds in column email text that is not UTF-8; nothing was copied"
    );
    assert!(!target.exists());
}

#[test]
fn the_source_must_have_this_schema_version_and_not_be_the_target() {
    let dir = tempfile::tempdir().unwrap();
    let (original, _) = filled(dir.path());
    let e = copy(&original, &original).unwrap_err();
    assert!(matches!(e, CopyError::SameDatabase { .. }), "{e}");
    let conn = rusqlite::Connection::open(&original).unwrap();
    conn.pragma_update(None, "user_version", 11).unwrap();
    drop(conn);
    let target = dir.path().join("new.sqlite");
    let e = copy(&original, &target).unwrap_err();
    assert!(
        matches!(e, CopyError::SourceVersion { found: 11, .. }),
        "{e}"
    );
    assert!(!target.exists(), "nothing is made for a source refused");
}

#[test]
fn an_sqlite_file_copies_into_a_new_one() {
    let dir = tempfile::tempdir().unwrap();
    let (original, _) = filled(dir.path());
    let target = dir.path().join("copy.sqlite");
    let report = copy(&original, &target).unwrap();
    assert_eq!(
        report.rows,
        dump(&original)
            .values()
            .map(|r| r.len() as u64)
            .sum::<u64>()
    );
    assert_eq!(dump(&target), dump(&original));
    assert_eq!(shown(&target), shown(&original));
}
