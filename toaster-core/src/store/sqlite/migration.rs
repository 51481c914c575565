//! Numbered SQL migrations, applied forward only, tracked in `PRAGMA user_version`.

use rusqlite::{Connection, TransactionBehavior};

use super::driver::{driver_error, is_not_a_database, is_read_only, is_read_only_directory};
use crate::store::StoreError;

/// Migrations in order; migration `n` (from 1) brings the schema to version `n`.
/// A shipped migration is never edited: add a new one.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_initial.sql"),
    include_str!("migrations/0002_access.sql"),
    include_str!("migrations/0003_builds.sql"),
    include_str!("migrations/0004_build_log.sql"),
    include_str!("migrations/0005_build_queue.sql"),
    include_str!("migrations/0006_hook_delivery.sql"),
    include_str!("migrations/0007_artifacts.sql"),
    include_str!("migrations/0008_task_dependencies.sql"),
    include_str!("migrations/0009_recipe_dependencies.sql"),
    include_str!("migrations/0010_package_contents.sql"),
    include_str!("migrations/0011_build_variables.sql"),
    include_str!("migrations/0012_owner_tokens.sql"),
    include_str!("migrations/0013_build_hosts.sql"),
];

/// The first migration, for tests that build a database as an older Toaster left it.
#[cfg(test)]
pub(super) const FIRST: &str = MIGRATIONS[0];

/// Marks a file as Toaster's (`PRAGMA application_id`), ASCII "TSTR".
pub(super) const APPLICATION_ID: i64 = 0x5453_5452;

/// The schema version this code writes.
pub(in crate::store) const LATEST: i64 = MIGRATIONS.len() as i64;

/// Brings the schema up to [`LATEST`] in one transaction, or refuses a database that is not
/// Toaster's or is newer than this code. A database already current is only read: opening
/// it takes no write lock.
pub(super) fn migrate(conn: &mut Connection, location: &std::path::Path) -> Result<(), StoreError> {
    if check(conn, location)? == LATEST {
        return Ok(());
    }
    let tx = conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(|e| map_open_error(e, location))?;
    // Another process may have migrated while this one waited for the lock.
    let version = check(&tx, location)?;
    let failed = |operation: &'static str| {
        move |e: rusqlite::Error| {
            if is_read_only(&e) {
                map_open_error(e, location)
            } else {
                driver_error(e, operation)
            }
        }
    };
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        tx.execute_batch(sql)
            .map_err(failed("applied a schema migration"))?;
        tx.pragma_update(None, "user_version", index as i64 + 1)
            .map_err(failed("recorded the schema version"))?;
    }
    tx.pragma_update(None, "application_id", APPLICATION_ID)
        .map_err(failed("marked the database as Toaster's"))?;
    tx.commit()
        .map_err(failed("committed the schema migration"))
}

/// The schema version of a database that is Toaster's (0: empty) and not newer than this
/// code; refuses any other. Only reads.
pub(in crate::store) fn check(
    conn: &Connection,
    location: &std::path::Path,
) -> Result<i64, StoreError> {
    let read = |sql: &str| {
        conn.query_row(sql, [], |r| r.get::<_, i64>(0))
            .map_err(|e| map_open_error(e, location))
    };
    let app_id = read("PRAGMA application_id")?;
    let version = read("PRAGMA user_version")?;
    let tables = read("SELECT count(*) FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'")?;
    if app_id != APPLICATION_ID && (app_id != 0 || tables > 0) {
        return Err(StoreError::NotADatabase {
            path: location.to_owned(),
            detail: format!(
                "it is an SQLite database of another program (application id {app_id:#x}, {tables} tables)"
            ),
        });
    }
    if version > LATEST {
        return Err(StoreError::TooNew {
            location: location.display().to_string(),
            found: version,
            supported: LATEST,
        });
    }
    Ok(version)
}

/// Errors while opening: "file is not a database" becomes [`StoreError::NotADatabase`],
/// a directory SQLite may not make its WAL files in [`StoreError::ReadOnlyDirectory`], and
/// a write refused [`StoreError::ReadOnly`].
pub(in crate::store) fn map_open_error(
    e: rusqlite::Error,
    location: &std::path::Path,
) -> StoreError {
    if is_not_a_database(&e) {
        StoreError::NotADatabase {
            path: location.to_owned(),
            detail: "the file is not an SQLite database".to_owned(),
        }
    } else if is_read_only_directory(&e) {
        let directory = std::path::absolute(location)
            .ok()
            .and_then(|p| p.parent().map(std::path::Path::to_path_buf))
            .unwrap_or_else(|| std::path::PathBuf::from("."));
        StoreError::ReadOnlyDirectory {
            path: location.to_owned(),
            directory,
        }
    } else if is_read_only(&e) {
        StoreError::ReadOnly {
            location: location.display().to_string(),
        }
    } else {
        driver_error(e, "opened the database")
    }
}
