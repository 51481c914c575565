//! The embedded SQLite backend: one database file, shared safely by many processes
//! (WAL, immediate write transactions, a busy timeout).

mod archives;
mod audit;
mod batch;
mod builds;
mod connection;
mod deliveries;
mod driver;
mod inspect;
pub(in crate::store) mod migration;
mod operations;
mod package_contents;
mod permission;
mod queue;
pub(in crate::store) mod rows;
mod runners;
mod tokens;
mod variables;

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use rusqlite::{
    Connection, OpenFlags, OptionalExtension, Params, Transaction, TransactionBehavior,
};

use self::connection::Sharing;
use self::driver::{driver_error, is_read_only, is_unique_violation};
use self::inspect::Found;
use self::rows::Decode;
use crate::store::StoreError;

/// How long a statement waits for other processes' locks before it reports `Busy`.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// Why a database file is opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Purpose {
    /// To use the Toaster database there.
    Open,
    /// To start one in an empty file.
    Init,
}

/// A [`crate::store::Store`] in one SQLite file.
#[derive(Debug)]
pub struct SqliteStore {
    path: PathBuf,
    conn: Mutex<Connection>,
}

impl SqliteStore {
    /// Creates the database at `path` with the current schema: a new file, or one that is
    /// empty (no bytes, or an SQLite database with nothing in it). `AlreadyExists` if
    /// anything else is there.
    pub fn init(path: &Path) -> Result<SqliteStore, StoreError> {
        let taken = || StoreError::AlreadyExists {
            entity: "database",
            key: path.display().to_string(),
        };
        match inspect::inspect(path).map_err(|_| taken())? {
            Found::Nothing => Self::connect(path, Purpose::Init, OpenFlags::SQLITE_OPEN_CREATE),
            Found::EmptyFile | Found::File => {
                Self::connect(path, Purpose::Init, OpenFlags::empty()).map_err(|e| match e {
                    StoreError::NotADatabase { .. } | StoreError::TooNew { .. } => taken(),
                    other => other,
                })
            }
        }
    }

    /// Opens the Toaster database at `path`, bringing its schema up to date. Anything else
    /// is refused and left as it was, with nothing written beside it: `Missing` if there
    /// is no file, `Empty` if it is empty, `NotADatabase` or `TooNew` if it cannot be used.
    /// A database this user may not write, or not write beside, is opened read-only when
    /// no process has it open (its changes fail with `ReadOnly`); `ReadOnlyDirectory` if
    /// one has, and SQLite still cannot make its WAL files beside it.
    pub fn open(path: &Path) -> Result<SqliteStore, StoreError> {
        match inspect::inspect(path)? {
            Found::Nothing => Err(StoreError::Missing {
                path: path.to_owned(),
            }),
            Found::EmptyFile => Err(StoreError::Empty {
                path: path.to_owned(),
            }),
            Found::File => Self::connect(path, Purpose::Open, OpenFlags::empty()),
        }
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Opens a connection, checks that the file is what `purpose` takes (reading only),
    /// and only then sets WAL and migrates.
    fn connect(path: &Path, purpose: Purpose, extra: OpenFlags) -> Result<SqliteStore, StoreError> {
        let (mut conn, sharing, version) = connection::open(path, extra, purpose == Purpose::Open)?;
        match (purpose, version) {
            (Purpose::Open, 0) => {
                return Err(StoreError::Empty {
                    path: path.to_owned(),
                });
            }
            (Purpose::Init, version) if version > 0 => {
                return Err(StoreError::AlreadyExists {
                    entity: "database",
                    key: path.display().to_string(),
                });
            }
            _ => {}
        }
        let settings = || -> rusqlite::Result<()> {
            conn.pragma_update(None, "foreign_keys", true)?;
            if sharing == Sharing::Immutable {
                return Ok(());
            }
            let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
            if !mode.eq_ignore_ascii_case("wal") {
                return Err(rusqlite::Error::InvalidParameterName(format!(
                    "journal_mode stayed {mode}"
                )));
            }
            conn.pragma_update(None, "synchronous", "NORMAL")?;
            Ok(())
        };
        settings().map_err(|e| migration::map_open_error(e, path))?;
        migration::migrate(&mut conn, path)?;
        conn.set_prepared_statement_cache_capacity(64);
        Ok(SqliteStore {
            path: path.to_owned(),
            conn: Mutex::new(conn),
        })
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock leaves the connection usable: every write is a
        // transaction that rolls back when dropped.
        self.conn
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Runs `body` in an immediate (write-locking) transaction and commits it; on any error
    /// the transaction rolls back and nothing is written.
    fn write<T>(
        &self,
        operation: &'static str,
        body: impl FnOnce(&Transaction<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut conn = self.conn();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| self.err(e, operation))?;
        let value = body(&tx)?;
        tx.commit().map_err(|e| self.err(e, operation))?;
        Ok(value)
    }

    /// Maps a driver error, naming this database when it was busy or read-only.
    fn err(&self, e: rusqlite::Error, operation: &'static str) -> StoreError {
        if is_read_only(&e) {
            return StoreError::ReadOnly {
                location: self.path.display().to_string(),
            };
        }
        match driver_error(e, operation) {
            StoreError::Busy { waited_ms, .. } => StoreError::Busy {
                location: self.path.display().to_string(),
                waited_ms,
            },
            other => other,
        }
    }

    /// A UNIQUE violation becomes `AlreadyExists { entity, key }`; anything else is mapped
    /// as usual.
    fn unique(
        &self,
        e: rusqlite::Error,
        operation: &'static str,
        entity: &'static str,
        key: &str,
    ) -> StoreError {
        if is_unique_violation(&e) {
            StoreError::AlreadyExists {
                entity,
                key: key.to_owned(),
            }
        } else {
            self.err(e, operation)
        }
    }

    /// Runs a statement that changes rows and returns how many it changed.
    fn execute(
        &self,
        conn: &Connection,
        sql: &str,
        params: impl Params,
        operation: &'static str,
    ) -> Result<usize, StoreError> {
        conn.prepare_cached(sql)
            .and_then(|mut s| s.execute(params))
            .map_err(|e| self.err(e, operation))
    }

    /// The one row a query finds, decoded, or `NotFound { entity, key }`.
    fn one<T>(
        &self,
        conn: &Connection,
        sql: &str,
        params: impl Params,
        decode: Decode<T>,
        (entity, key): (&'static str, &str),
    ) -> Result<T, StoreError> {
        let row = conn
            .prepare_cached(sql)
            .and_then(|mut s| s.query_row(params, decode).optional())
            .map_err(|e| self.err(e, "read a record"))?;
        row.unwrap_or_else(|| {
            Err(StoreError::NotFound {
                entity,
                key: key.to_owned(),
            })
        })
    }

    /// Every row a query finds, decoded.
    fn list<T>(
        &self,
        conn: &Connection,
        sql: &str,
        params: impl Params,
        decode: Decode<T>,
    ) -> Result<Vec<T>, StoreError> {
        let mut stmt = conn
            .prepare_cached(sql)
            .map_err(|e| self.err(e, "listed records"))?;
        let rows = stmt
            .query_map(params, decode)
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(|e| self.err(e, "listed records"))?;
        rows.into_iter().collect()
    }
}

#[cfg(test)]
mod opening_tests;
#[cfg(test)]
mod queue_tests;
#[cfg(test)]
mod tests;
