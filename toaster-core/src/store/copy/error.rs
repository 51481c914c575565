//! Why a copy was refused or failed. Whatever the error, the target holds nothing of it.

use crate::store::StoreError;

/// What [`super::copy`] reports.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CopyError {
    /// The source database could not be opened or read as a Toaster database.
    #[error("cannot copy from {location}: {source}")]
    Source {
        /// The source, as messages show it.
        location: String,
        /// What the store said.
        source: StoreError,
    },
    /// The target could not be opened, or made, as a Toaster database.
    #[error("cannot copy to {location}: {source}")]
    Target {
        /// The target, as messages show it.
        location: String,
        /// What the store said.
        source: StoreError,
    },
    /// The source's schema is not the one this Toaster writes.
    #[error(
        "the source {location} has schema version {found}, but this Toaster copies version {expected} only"
    )]
    SourceVersion {
        /// The source.
        location: String,
        /// Its schema version.
        found: i64,
        /// This code's.
        expected: i64,
    },
    /// The source and the target are one database.
    #[error("the source and the target are the same database ({location})")]
    SameDatabase {
        /// The database.
        location: String,
    },
    /// The target holds rows already.
    #[error("the target {location} is not empty ({}); nothing was copied", tables.join(", "))]
    NotEmpty {
        /// The target.
        location: String,
        /// Its tables that hold rows, each with its count (`owner: 2 rows`).
        tables: Vec<String>,
    },
    /// The two databases' tables differ.
    #[error("the source and the target differ in table {table}: {detail}; nothing was copied")]
    SchemaMismatch {
        /// The table (or tables).
        table: String,
        /// How they differ.
        detail: String,
    },
    /// A column of a type the copy does not map.
    #[error("column {table}.{column} has type {data_type}, which the copy does not map")]
    Unsupported {
        /// The table.
        table: String,
        /// The column.
        column: String,
        /// Its type.
        data_type: String,
    },
    /// A source value the target's column cannot take.
    #[error("row {row} of table {table} holds in column {column} {detail}; nothing was copied")]
    Value {
        /// The table.
        table: String,
        /// The row, by its key.
        row: String,
        /// The column.
        column: String,
        /// The value, and why it does not fit.
        detail: String,
    },
    /// The copy read back differs from the source.
    #[error(
        "the copy of table {table} differs from the source at row {row}: {detail}; nothing was copied"
    )]
    Mismatch {
        /// The table.
        table: String,
        /// The first row that differs, by its key.
        row: String,
        /// How it differs.
        detail: String,
    },
    /// A database failed while copying.
    #[error("{location} failed while the copy {operation}: {detail}; nothing was copied")]
    Database {
        /// The database.
        location: String,
        /// What the copy was doing.
        operation: &'static str,
        /// The driver's message.
        detail: String,
    },
}

impl CopyError {
    /// What to do next, where the store's error has no hint of its own.
    pub fn hint(&self) -> Option<String> {
        Some(match self {
            CopyError::Source { .. } | CopyError::Target { .. } => return None,
            CopyError::SourceVersion {
                found, expected, ..
            } if found < expected => {
                "open it once with this Toaster (any command, such as `toaster status`, with \
                 --db naming it) to bring its schema up to date, then copy again"
                    .to_owned()
            }
            CopyError::SourceVersion { .. } => {
                "copy it with the Toaster that wrote it, or a newer one".to_owned()
            }
            CopyError::SameDatabase { .. } => {
                "name another target with --to: a new SQLite file or an empty PostgreSQL database"
                    .to_owned()
            }
            CopyError::NotEmpty { .. } => {
                "copy into a new SQLite file, or an empty PostgreSQL database (`createdb \
                 toaster`) or schema; db copy never merges into nor overwrites a database"
                    .to_owned()
            }
            CopyError::SchemaMismatch { .. } | CopyError::Unsupported { .. } => {
                "both databases must have this Toaster's schema; report this as a bug".to_owned()
            }
            CopyError::Value { .. } => {
                "correct that value in the source (it breaks its column's type), then copy again"
                    .to_owned()
            }
            CopyError::Mismatch { .. } => {
                "nothing was kept; check that no other program changes the target, and copy \
                 again"
                    .to_owned()
            }
            CopyError::Database { .. } => {
                "check that the database is up and has room, then copy again".to_owned()
            }
        })
    }
}
