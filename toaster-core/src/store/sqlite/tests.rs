use std::fs;

use super::*;
use crate::model::{AuditAction, AuditFilter, Name, NewAudit, NewOwner};
use crate::store::Store;
use crate::store::conformance;

fn check(name: &str) -> conformance::Check {
    conformance::all_checks()
        .find(|(n, _)| *n == name)
        .expect("a check of that name")
        .1
}

fn temp() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

#[test]
fn passes_the_conformance_suite_on_a_file() {
    let dir = temp();
    let counter = std::sync::atomic::AtomicUsize::new(0);
    conformance::run(&|| {
        let n = counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Box::new(SqliteStore::init(&dir.path().join(format!("store-{n}.sqlite"))).unwrap())
    });
}

#[test]
fn init_sets_wal_foreign_keys_and_schema_version() {
    let dir = temp();
    let path = dir.path().join("t.sqlite");
    let store = SqliteStore::init(&path).unwrap();
    let conn = store.conn();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    let fk: i64 = conn
        .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
        .unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!((mode.as_str(), fk, version), ("wal", 1, migration::LATEST));
}

#[test]
fn init_refuses_an_existing_file_and_open_a_missing_one() {
    let dir = temp();
    let path = dir.path().join("t.sqlite");
    assert!(matches!(
        SqliteStore::open(&path),
        Err(StoreError::Missing { .. })
    ));
    assert!(!path.exists(), "open never creates");
    SqliteStore::init(&path).unwrap();
    assert!(matches!(
        SqliteStore::init(&path),
        Err(StoreError::AlreadyExists { .. })
    ));
    SqliteStore::open(&path).unwrap();
}

#[test]
fn a_file_that_is_not_a_database_is_refused_and_left_alone() {
    let dir = temp();
    let path = dir.path().join("notes.txt");
    let text = "this is not a database\n".repeat(200);
    fs::write(&path, &text).unwrap();
    let err = SqliteStore::open(&path).unwrap_err();
    assert!(matches!(err, StoreError::NotADatabase { .. }), "{err:?}");
    assert_eq!(fs::read_to_string(&path).unwrap(), text);
}

#[test]
fn another_programs_database_is_refused() {
    let dir = temp();
    let path = dir.path().join("other.sqlite");
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch("CREATE TABLE mine (x); INSERT INTO mine VALUES (1);")
        .unwrap();
    drop(conn);
    let err = SqliteStore::open(&path).unwrap_err();
    assert!(matches!(err, StoreError::NotADatabase { .. }), "{err:?}");
    let conn = Connection::open(&path).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, 0, "nothing was migrated");
}

#[test]
fn a_newer_database_is_refused_with_both_versions() {
    let dir = temp();
    let path = dir.path().join("t.sqlite");
    drop(SqliteStore::init(&path).unwrap());
    let conn = Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", migration::LATEST + 1)
        .unwrap();
    drop(conn);
    match SqliteStore::open(&path).unwrap_err() {
        StoreError::TooNew {
            found, supported, ..
        } => {
            assert_eq!(
                (found, supported),
                (migration::LATEST + 1, migration::LATEST)
            );
        }
        other => panic!("expected TooNew, got {other:?}"),
    }
}

#[test]
fn a_damaged_configuration_is_reported_not_panicked() {
    let dir = temp();
    let path = dir.path().join("t.sqlite");
    let store = SqliteStore::init(&path).unwrap();
    check("projects_start_at_revision_one")(&store);
    store
        .conn()
        .execute("UPDATE config_revision SET config = '{not json'", [])
        .unwrap();
    let demo = store.project("demo").unwrap();
    let err = store.history(demo.id).unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::Corrupt {
                what: "configuration",
                ..
            }
        ),
        "{err:?}"
    );
}

#[test]
fn a_writer_waits_for_another_connections_lock_instead_of_failing() {
    let dir = temp();
    let path = dir.path().join("t.sqlite");
    let store = SqliteStore::init(&path).unwrap();
    let other = Connection::open(&path).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let holder = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(300));
        other.execute_batch("COMMIT").unwrap();
    });
    let alice = Name::parse("n", "alice").unwrap();
    let audit = NewAudit {
        owner: None,
        owner_name: alice.clone(),
        client: "test".into(),
        action: AuditAction::OwnerAdd,
        project: None,
        detail: "added".into(),
        requires: None,
    };
    store
        .add_owner(
            &NewOwner {
                name: alice,
                email: None,
            },
            &audit,
        )
        .expect("waits for the lock, then writes");
    holder.join().unwrap();
}

#[test]
fn the_audit_log_refuses_updates_and_deletes_even_through_sql() {
    let dir = temp();
    let store = SqliteStore::init(&dir.path().join("t.sqlite")).unwrap();
    check("projects_start_at_revision_one")(&store);
    let before = store.audit(&AuditFilter::default()).unwrap();
    for sql in ["UPDATE audit SET detail = 'forged'", "DELETE FROM audit"] {
        let err = store.conn().execute(sql, []).unwrap_err();
        assert!(err.to_string().contains("append-only"), "{err}");
    }
    assert_eq!(store.audit(&AuditFilter::default()).unwrap(), before);
}

#[test]
fn a_change_whose_audit_entry_fails_is_not_kept() {
    let dir = temp();
    let store = SqliteStore::init(&dir.path().join("t.sqlite")).unwrap();
    check("projects_start_at_revision_one")(&store);
    let demo = store.project("demo").unwrap();
    let alice = store.owner("alice").unwrap();
    // Make every further audit write fail, as a full disk or a broken connection would.
    store
        .conn()
        .execute_batch(
            "CREATE TEMP TRIGGER audit_fails BEFORE INSERT ON main.audit \
             BEGIN SELECT RAISE(ABORT, 'audit write failed'); END;",
        )
        .unwrap();
    let next = crate::model::NewRevision {
        author: alice.id,
        description: "lost".into(),
        restores: None,
        config: Default::default(),
    };
    let audit = NewAudit {
        owner: Some(alice.id),
        owner_name: alice.name.clone(),
        client: "test".into(),
        action: AuditAction::ConfigChange,
        project: Some(demo.name.clone()),
        detail: "lost".into(),
        requires: None,
    };
    let err = store
        .commit_revision(demo.id, demo.head, &next, &audit)
        .unwrap_err();
    assert!(err.to_string().contains("audit write failed"), "{err}");
    assert_eq!(
        store.project("demo").unwrap().head,
        demo.head,
        "the head did not move"
    );
    assert_eq!(
        store.history(demo.id).unwrap().len(),
        1,
        "no revision without its entry"
    );
}

#[test]
fn a_version_1_database_migrates_keeping_its_data_and_its_first_owner_becomes_admin() {
    let dir = temp();
    let path = dir.path().join("v1.sqlite");
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch(migration::FIRST).unwrap();
    conn.pragma_update(None, "application_id", migration::APPLICATION_ID)
        .unwrap();
    conn.execute_batch(
        "PRAGMA user_version = 1;
         INSERT INTO owner (name, created_at) VALUES ('alice', 1), ('bob', 2);
         INSERT INTO project (name, dir, release, owner_id, created_at, head)
             VALUES ('demo', '/p/demo', 'scarthgap', 2, 3, 1);
         INSERT INTO config_revision VALUES (1, 1, 2, 3, 'created', NULL, '{}');",
    )
    .unwrap();
    drop(conn);
    let store = SqliteStore::open(&path).unwrap();
    let owners = store.owners().unwrap();
    assert_eq!(
        owners
            .iter()
            .map(|o| (o.name.as_str(), o.admin))
            .collect::<Vec<_>>(),
        [("alice", true), ("bob", false)]
    );
    let demo = store.project("demo").unwrap();
    assert_eq!(
        (demo.owner_name.as_str(), demo.mode),
        ("bob", crate::model::Mode::PRIVATE)
    );
    assert_eq!(store.history(demo.id).unwrap().len(), 1);
}

/// Every row of every table, as text, leaving out the rows of build `gone` (and the newest
/// audit entries, `skip_audit` of them).
fn dump(store: &SqliteStore, gone: i64, skip_audit: usize) -> Vec<String> {
    let conn = store.conn();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut out = Vec::new();
    for table in tables {
        let filter = match table.as_str() {
            "build" => format!("WHERE id != {gone}"),
            "build_target"
            | "build_layer"
            | "build_recipe"
            | "task"
            | "task_dependency"
            | "recipe_dependency"
            | "provider"
            | "package"
            | "log_message"
            | "artifact"
            | "build_variable"
            | "build_variable_history"
            | "package_file"
            | "package_relation"
            | "image_package"
            | "image_dependency"
            | "image_file" => {
                format!("WHERE build_id != {gone}")
            }
            "package_dependency" => {
                format!("WHERE package_id NOT IN (SELECT id FROM package WHERE build_id = {gone})")
            }
            "audit" => format!("WHERE id <= (SELECT max(id) - {skip_audit} FROM audit)"),
            // The delete's own audit entry moves the audit key counter, nothing else.
            "sqlite_sequence" => "WHERE name != 'audit'".to_owned(),
            _ => String::new(),
        };
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM {table} {filter} ORDER BY 1, 2"))
            .unwrap();
        let columns = stmt.column_count();
        let rows = stmt
            .query_map([], |r| {
                let cells: Vec<String> = (0..columns)
                    .map(|i| match r.get_ref(i).unwrap() {
                        rusqlite::types::ValueRef::Text(t) => {
                            String::from_utf8_lossy(t).into_owned()
                        }
                        other => format!("{other:?}"),
                    })
                    .collect();
                Ok(format!("{table}: {}", cells.join(" | ")))
            })
            .unwrap()
            .collect::<Result<Vec<_>, _>>()
            .unwrap();
        out.extend(rows);
    }
    out
}

#[test]
fn deleting_a_build_leaves_every_other_row_byte_identical_and_keys_consistent() {
    use crate::ingest::synthetic::Workload;
    use crate::ingest::{BatchPolicy, Recorder};
    use crate::model::{BuildState, NewBuild, Timestamp};
    let dir = temp();
    let store = std::sync::Arc::new(SqliteStore::init(&dir.path().join("t.sqlite")).unwrap());
    check("projects_start_at_revision_one")(&*store);
    let demo = store.project("demo").unwrap();
    let alice = store.owner("alice").unwrap();
    let audit = NewAudit {
        owner: Some(alice.id),
        owner_name: alice.name.clone(),
        client: "test".into(),
        action: AuditAction::BuildStart,
        project: Some(demo.name.clone()),
        detail: "build".into(),
        requires: None,
    };
    let mut ids = Vec::new();
    for _ in 0..3 {
        let new = NewBuild {
            project: demo.id,
            revision: demo.head,
            owner: alice.id,
            client: "test".into(),
            host: "h".into(),
            build_dir: dir.path().join("b"),
            log_dir: dir.path().join("b/logs"),
            machine: None,
            distro: None,
            targets: vec![crate::model::Target::parse("core-image-minimal").unwrap()],
            layers: Workload::SMALL.layers(),
            state: BuildState::Queued,
            started_at: Timestamp::now(),
            requested: false,
            run_on: None,
        };
        let build = store.start_build(&new, &audit).unwrap();
        let mut recorder = Recorder::new(store.clone(), &build, BatchPolicy::default(), 1);
        for event in Workload::SMALL.events(Timestamp(0)) {
            recorder.record(event).unwrap();
        }
        ids.push(build.id);
    }
    let gone = ids[1];
    let before = dump(&store, gone.0, 0);
    store
        .delete_build(
            gone,
            &NewAudit {
                action: AuditAction::BuildDelete,
                ..audit.clone()
            },
        )
        .unwrap();
    let after = dump(&store, gone.0, 1);
    let lost: Vec<&String> = before.iter().filter(|r| !after.contains(r)).collect();
    let gained: Vec<&String> = after.iter().filter(|r| !before.contains(r)).collect();
    assert!(
        lost.is_empty() && gained.is_empty(),
        "lost {lost:#?}\ngained {gained:#?}"
    );
    assert_eq!(after.len(), before.len());
    let conn = store.conn();
    let dangling: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(dangling, 0);
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
    for table in [
        "task",
        "task_dependency",
        "package",
        "log_message",
        "artifact",
        "build_recipe",
        "build_layer",
        "build_target",
        "build_variable",
        "build_variable_history",
        "package_file",
        "package_relation",
        "image_package",
        "image_dependency",
        "image_file",
    ] {
        let left: i64 = conn
            .query_row(
                &format!("SELECT count(*) FROM {table} WHERE build_id = ?1"),
                [gone.0],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(left, 0, "{table}");
    }
    drop(conn);
    // Shared recipes stay while a build uses them, and go with the last one.
    let recipes = |store: &SqliteStore| -> i64 {
        store
            .conn()
            .query_row("SELECT count(*) FROM recipe", [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(recipes(&store), Workload::SMALL.recipes as i64);
    let last = NewAudit {
        action: AuditAction::BuildDelete,
        ..audit.clone()
    };
    store.delete_build(ids[0], &last).unwrap();
    assert_eq!(recipes(&store), Workload::SMALL.recipes as i64);
    store.delete_build(ids[2], &last).unwrap();
    assert_eq!(recipes(&store), 0);
}
