//! Numbered SQL migrations (the same numbers and meaning as SQLite's), applied forward
//! only, tracked in the `toaster_schema` table, which also marks the schema as Toaster's.

use std::path::PathBuf;

use postgres::Client;

use super::driver::message;
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

/// The schema version this code writes.
pub(in crate::store) const LATEST: i64 = MIGRATIONS.len() as i64;

/// The application the marker table names.
const APPLICATION: &str = "toaster";

/// Taken (per transaction) while migrating, so that two processes opening an old database
/// at once migrate it once. The number is "TSTR" in ASCII.
const MIGRATION_LOCK: i64 = 0x5453_5452;

/// Why a database is opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Purpose {
    /// To use the Toaster database there.
    Open,
    /// To start one in an empty database.
    Init,
    /// Either.
    Either,
}

/// Brings the schema up to [`LATEST`] in one transaction, or refuses a database that is not
/// what `purpose` takes, is not Toaster's, or is newer than this code. A database already
/// current is only read.
pub(super) fn migrate(
    client: &mut Client,
    location: &str,
    purpose: Purpose,
) -> Result<(), StoreError> {
    let failed = |operation: &'static str| {
        move |e: postgres::Error| StoreError::Backend {
            operation,
            detail: format!("{} ({location})", message(&e)),
        }
    };
    let mut tx = client
        .transaction()
        .map_err(failed("opened the database"))?;
    let mut version = check(&mut tx, location)?;
    match (purpose, version) {
        (Purpose::Open, 0) => {
            return Err(StoreError::Empty {
                path: PathBuf::from(location),
            });
        }
        (Purpose::Init, v) if v > 0 => {
            return Err(StoreError::AlreadyExists {
                entity: "database",
                key: location.to_owned(),
            });
        }
        (_, v) if v == LATEST => return Ok(()),
        _ => {}
    }
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .map_err(failed("locked the schema to migrate it"))?;
    // Another process may have migrated while this one waited for the lock.
    version = check(&mut tx, location)?;
    if version == 0 {
        tx.batch_execute(
            "CREATE TABLE toaster_schema (application TEXT NOT NULL, version BIGINT NOT NULL)",
        )
        .map_err(failed("marked the database as Toaster's"))?;
        tx.execute(
            "INSERT INTO toaster_schema (application, version) VALUES ($1, 0)",
            &[&APPLICATION],
        )
        .map_err(failed("marked the database as Toaster's"))?;
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        tx.batch_execute(sql)
            .map_err(failed("applied a schema migration"))?;
        tx.execute(
            "UPDATE toaster_schema SET version = $1",
            &[&(index as i64 + 1)],
        )
        .map_err(failed("recorded the schema version"))?;
    }
    tx.commit()
        .map_err(failed("committed the schema migration"))
}

/// The schema version of a database (its current schema) that is Toaster's (0: empty) and
/// not newer than this code; refuses any other. Only reads.
pub(in crate::store) fn check(
    tx: &mut postgres::Transaction<'_>,
    location: &str,
) -> Result<i64, StoreError> {
    let failed = |e: postgres::Error| StoreError::Backend {
        operation: "read the schema version",
        detail: format!("{} ({location})", message(&e)),
    };
    let tables: i64 = tx
        .query_one(
            "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema()",
            &[],
        )
        .and_then(|r| r.try_get(0))
        .map_err(failed)?;
    let marked: bool = tx
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_tables \
             WHERE schemaname = current_schema() AND tablename = 'toaster_schema')",
            &[],
        )
        .and_then(|r| r.try_get(0))
        .map_err(failed)?;
    if !marked {
        if tables > 0 {
            return Err(StoreError::NotADatabase {
                path: PathBuf::from(location),
                detail: format!(
                    "it holds {tables} tables of another program (no toaster_schema table); \
                     give Toaster a database or schema of its own"
                ),
            });
        }
        return Ok(0);
    }
    let row = tx
        .query_opt("SELECT application, version FROM toaster_schema", &[])
        .map_err(failed)?;
    let (application, version): (String, i64) = match &row {
        Some(row) => (
            row.try_get(0).map_err(failed)?,
            row.try_get(1).map_err(failed)?,
        ),
        None => (String::new(), -1),
    };
    if application != APPLICATION || version < 0 {
        return Err(StoreError::NotADatabase {
            path: PathBuf::from(location),
            detail: format!("its toaster_schema table names `{application}`, not Toaster"),
        });
    }
    if version > LATEST {
        return Err(StoreError::TooNew {
            location: location.to_owned(),
            found: version,
            supported: LATEST,
        });
    }
    Ok(version)
}
