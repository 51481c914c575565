//! Mapping rusqlite's errors onto [`StoreError`], so no driver type leaves the backend.

use rusqlite::ErrorCode;

use super::BUSY_TIMEOUT;
use crate::store::StoreError;

/// A driver error seen while the store did `operation`.
pub(super) fn driver_error(e: rusqlite::Error, operation: &'static str) -> StoreError {
    match code(&e) {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => StoreError::Busy {
            location: String::new(),
            waited_ms: BUSY_TIMEOUT.as_millis() as u64,
        },
        _ => StoreError::Backend {
            operation,
            detail: e.to_string(),
        },
    }
}

/// Whether SQLite said the file is not a database.
pub(super) fn is_not_a_database(e: &rusqlite::Error) -> bool {
    code(e) == Some(ErrorCode::NotADatabase)
}

/// Whether SQLite could not make a file it needs (the WAL's -wal and -shm) beside the
/// database, as the directory is read-only to this user.
pub(super) fn is_read_only_directory(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _)
        if f.extended_code == rusqlite::ffi::SQLITE_READONLY_DIRECTORY)
}

/// Whether a write was refused as the database is read-only to this connection.
pub(super) fn is_read_only(e: &rusqlite::Error) -> bool {
    code(e) == Some(ErrorCode::ReadOnly)
}

/// Whether a write broke a UNIQUE or PRIMARY KEY constraint.
pub(super) fn is_unique_violation(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _)
        if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
            || f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY)
}

fn code(e: &rusqlite::Error) -> Option<ErrorCode> {
    match e {
        rusqlite::Error::SqliteFailure(f, _) => Some(f.code),
        _ => None,
    }
}

/// Whether a write pointed at a record that does not exist (deleted meanwhile).
pub(super) fn is_foreign_key_violation(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _)
        if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY)
}
