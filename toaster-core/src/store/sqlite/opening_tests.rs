//! Opening a database file: `open` opens only a Toaster database, and refuses anything
//! else (a device, a directory, an empty file, a text file, another program's database)
//! leaving it byte for byte as it was, with no journal or WAL file beside it.

use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};

use rusqlite::Connection;

use super::{SqliteStore, migration};
use crate::store::{Store, StoreError};

fn temp() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

/// The journal and WAL files SQLite keeps beside `path` that exist now.
fn companions(path: &Path) -> Vec<PathBuf> {
    ["-journal", "-wal", "-shm"]
        .iter()
        .map(|suffix| {
            let mut name = OsString::from(path.as_os_str());
            name.push(suffix);
            PathBuf::from(name)
        })
        .filter(|p| p.exists())
        .collect()
}

/// `open` refuses `path` with `NotADatabase` whose detail holds `detail`, and leaves it
/// byte for byte as it was, with nothing new beside it.
fn refused_untouched(path: &Path, detail: &str) {
    let before = fs::read(path).unwrap();
    let err = SqliteStore::open(path).unwrap_err();
    match &err {
        StoreError::NotADatabase { detail: d, .. } => assert!(d.contains(detail), "{err}"),
        other => panic!("expected NotADatabase, got {other:?}"),
    }
    assert!(
        fs::read(path).unwrap() == before,
        "{} changed",
        path.display()
    );
    assert_eq!(companions(path), Vec::<PathBuf>::new());
}

#[test]
fn an_empty_file_is_refused_by_open_and_left_empty() {
    let dir = temp();
    let path = dir.path().join("empty.sqlite");
    fs::write(&path, b"").unwrap();
    let err = SqliteStore::open(&path).unwrap_err();
    assert!(matches!(err, StoreError::Empty { .. }), "{err:?}");
    assert!(err.to_string().contains("empty"), "{err}");
    assert_eq!(fs::metadata(&path).unwrap().len(), 0, "nothing was written");
    assert_eq!(companions(&path), Vec::<PathBuf>::new());
}

#[test]
fn init_starts_a_database_in_an_empty_file_but_in_no_other() {
    let dir = temp();
    let path = dir.path().join("empty.sqlite");
    fs::write(&path, b"").unwrap();
    let store = SqliteStore::init(&path).unwrap();
    assert!(store.owners().unwrap().is_empty());
    drop(store);
    SqliteStore::open(&path).unwrap();
    assert!(matches!(
        SqliteStore::init(&path),
        Err(StoreError::AlreadyExists { .. })
    ));
    let notes = dir.path().join("notes.txt");
    fs::write(&notes, "hello\n").unwrap();
    assert!(matches!(
        SqliteStore::init(&notes),
        Err(StoreError::AlreadyExists { .. })
    ));
    assert_eq!(fs::read_to_string(&notes).unwrap(), "hello\n");
}

#[test]
fn an_sqlite_database_with_nothing_in_it_counts_as_empty() {
    let dir = temp();
    let path = dir.path().join("blank.sqlite");
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch("CREATE TABLE t (x); DROP TABLE t;")
        .unwrap();
    drop(conn);
    let before = fs::read(&path).unwrap();
    let err = SqliteStore::open(&path).unwrap_err();
    assert!(matches!(err, StoreError::Empty { .. }), "{err:?}");
    assert!(fs::read(&path).unwrap() == before, "nothing was migrated");
    assert_eq!(companions(&path), Vec::<PathBuf>::new());
    SqliteStore::init(&path).unwrap();
    SqliteStore::open(&path).unwrap();
}

#[test]
fn a_short_text_file_is_refused_and_left_alone() {
    let dir = temp();
    let path = dir.path().join("notes.txt");
    fs::write(&path, "hello\n").unwrap();
    refused_untouched(&path, "not an SQLite database");
}

#[test]
fn another_programs_database_is_left_byte_for_byte() {
    let dir = temp();
    let path = dir.path().join("other.sqlite");
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch("CREATE TABLE mine (x); INSERT INTO mine VALUES (1);")
        .unwrap();
    drop(conn);
    refused_untouched(&path, "another program");
    let conn = Connection::open(&path).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "delete", "not switched to WAL");
}

#[test]
fn a_directory_is_refused() {
    let dir = temp();
    let err = SqliteStore::open(dir.path()).unwrap_err();
    assert!(
        matches!(&err, StoreError::NotADatabase { detail, .. } if detail.contains("directory")),
        "{err:?}"
    );
    assert_eq!(
        fs::read_dir(dir.path()).unwrap().count(),
        0,
        "nothing was made in it"
    );
}

#[test]
fn a_device_is_refused_and_nothing_is_made_beside_it() {
    let device = Path::new("/dev/null");
    if !device.exists() {
        return;
    }
    let there_before = companions(device);
    let dir = temp();
    let link = dir.path().join("toaster.sqlite");
    std::os::unix::fs::symlink(device, &link).unwrap();
    for path in [device, link.as_path()] {
        let err = SqliteStore::open(path).unwrap_err();
        assert!(
            matches!(&err, StoreError::NotADatabase { detail, .. } if detail.contains("device")),
            "{err:?}"
        );
        assert!(matches!(
            SqliteStore::init(path),
            Err(StoreError::AlreadyExists { .. })
        ));
    }
    assert_eq!(
        companions(device),
        there_before,
        "nothing made beside /dev/null"
    );
    assert_eq!(companions(&link), Vec::<PathBuf>::new());
}

#[test]
fn a_current_database_opens_without_writing() {
    let dir = temp();
    let path = dir.path().join("t.sqlite");
    drop(SqliteStore::init(&path).unwrap());
    let before = fs::read(&path).unwrap();
    let store = SqliteStore::open(&path).unwrap();
    store.owners().unwrap();
    drop(store);
    assert!(
        fs::read(&path).unwrap() == before,
        "opening wrote to the file"
    );
    assert_eq!(companions(&path), Vec::<PathBuf>::new());
    let conn = Connection::open(&path).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, migration::LATEST);
}
