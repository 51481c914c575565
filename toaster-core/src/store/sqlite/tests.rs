use std::fs;

use super::*;
use crate::store::conformance;

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
fn an_older_empty_sqlite_file_is_migrated() {
    let dir = temp();
    let path = dir.path().join("empty.sqlite");
    fs::write(&path, b"").unwrap();
    let store = SqliteStore::open(&path).unwrap();
    assert!(store.owners().unwrap().is_empty());
}

#[test]
fn a_damaged_configuration_is_reported_not_panicked() {
    let dir = temp();
    let path = dir.path().join("t.sqlite");
    let store = SqliteStore::init(&path).unwrap();
    conformance::CHECKS[3].1(&store);
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
    store
        .add_owner(&NewOwner {
            name: Name::parse("n", "alice").unwrap(),
            email: None,
        })
        .expect("waits for the lock, then writes");
    holder.join().unwrap();
}
