//! The PostgreSQL backend: one database (or one schema of it, by the connection's
//! `search_path`) shared by many hosts, through a pool of connections.
//!
//! Every change is one SERIALIZABLE transaction, retried when PostgreSQL reports a
//! serialization failure or a deadlock, so concurrent changes behave as if they ran one at
//! a time (as on SQLite, whose write transactions do); runners claim builds with
//! `FOR UPDATE SKIP LOCKED`, so racing runners each take a different one.

mod archives;
mod audit;
mod batch;
mod builds;
pub(in crate::store) mod connection;
mod deliveries;
pub(in crate::store) mod driver;
pub(in crate::store) mod migration;
mod operations;
mod package_contents;
mod password;
mod permission;
mod queue;
mod rows;
mod runners;
mod server_clock;
mod tokens;
mod transaction;
mod variables;

use std::time::{Duration, Instant};

use postgres::types::ToSql;
use postgres::{IsolationLevel, Row};
use r2d2::{Pool, PooledConnection};

use self::connection::{Manager, Target};
use self::driver::{Failure, classify};
use self::transaction::Tx;
use crate::model::Timestamp;
use crate::store::StoreError;

/// Query parameters, as the driver takes them.
type Params<'a> = &'a [&'a (dyn ToSql + Sync)];

/// The database server's clock in ms since the epoch, in SQL.
const CLOCK: &str = "(extract(epoch FROM clock_timestamp()) * 1000)::bigint";

/// How often a change that lost a race (serialization failure, deadlock) is tried again.
const ATTEMPTS: u32 = 60;

/// A [`crate::store::Store`] in a PostgreSQL database.
pub struct PostgresStore {
    location: String,
    pool: Pool<Manager>,
    server_clock: server_clock::ServerClock,
}

impl std::fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresStore")
            .field("location", &self.location)
            .finish_non_exhaustive()
    }
}

impl PostgresStore {
    /// Creates the current schema in the empty database (or schema) `url` names.
    /// `AlreadyExists` if it holds any table.
    pub fn init(url: &str) -> Result<PostgresStore, StoreError> {
        Self::connect(url, migration::Purpose::Init)
    }

    /// Opens the Toaster database `url` names (`postgres://USER@HOST:PORT/DB`, with
    /// `sslmode` and `options` as libpq reads them; the password from `PGPASSWORD` or the
    /// password file), bringing its schema up to date. `Empty` if it holds no table yet,
    /// `NotADatabase` if it holds another program's tables, `TooNew` if a newer Toaster
    /// wrote it.
    pub fn open(url: &str) -> Result<PostgresStore, StoreError> {
        Self::connect(url, migration::Purpose::Open)
    }

    /// Opens the Toaster database at `url`, making its schema if the database is empty.
    pub fn open_or_init(url: &str) -> Result<PostgresStore, StoreError> {
        Self::connect(url, migration::Purpose::Either)
    }

    fn connect(url: &str, purpose: migration::Purpose) -> Result<PostgresStore, StoreError> {
        let target = Target::parse(url)?;
        let location = target.location();
        let mut client = target.connect()?;
        migration::migrate(&mut client, &location, purpose)?;
        drop(client);
        let pool = target.pool()?;
        Ok(PostgresStore {
            location,
            pool,
            server_clock: server_clock::ServerClock::default(),
        })
    }

    /// Whether `text` names a PostgreSQL database rather than a file.
    pub fn is_url(text: &str) -> bool {
        text.starts_with("postgres://") || text.starts_with("postgresql://")
    }

    /// The URL `url` as [`crate::store::Store::location`] shows it: without the password,
    /// the same for every way of writing one database. `None` if it is not a valid URL.
    pub fn location_of(url: &str) -> Option<String> {
        Target::parse(url).ok().map(|t| t.location())
    }

    fn connection(&self) -> Result<PooledConnection<Manager>, StoreError> {
        self.pool.get().map_err(|e| StoreError::Backend {
            operation: "connected to the database",
            detail: format!("{e}; check that the server at {} is up", self.location),
        })
    }

    /// Runs `body` in a SERIALIZABLE transaction and commits it; a transaction that lost a
    /// race, or whose connection was lost before it committed (the server restarted), is
    /// rolled back and run again (on a new connection). On any other error nothing is
    /// written.
    fn write<T>(
        &self,
        operation: &'static str,
        mut body: impl FnMut(&mut Tx<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut conn = self.connection()?;
        let mut pause = Duration::from_millis(1);
        let started = Instant::now();
        for _ in 0..ATTEMPTS {
            let outcome = (|| {
                let mut tx = Tx::start(&mut conn, IsolationLevel::Serializable, false)
                    .map_err(Retry::before_commit)?;
                let value = body(&mut tx).map_err(Retry::Store)?;
                tx.commit().map_err(Retry::at_commit)?;
                Ok(value)
            })();
            match outcome {
                Ok(value) => return Ok(value),
                Err(Retry::Again) => {}
                Err(Retry::Store(StoreError::Backend { detail, .. }))
                    if detail.starts_with(driver::RACE_LOST) => {}
                Err(Retry::Store(StoreError::Backend { detail, .. }))
                    if detail.starts_with(driver::CONNECTION_LOST) =>
                {
                    conn = self.connection()?;
                }
                Err(Retry::Reconnect) => conn = self.connection()?,
                Err(Retry::Store(e)) => return Err(e),
                Err(Retry::Driver(e)) => return Err(self.err(e, operation)),
            }
            std::thread::sleep(pause);
            pause = (pause * 2).min(Duration::from_millis(50));
        }
        // Others kept winning: as busy as a lock held too long.
        Err(StoreError::Busy {
            location: self.location.clone(),
            waited_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        })
    }

    /// Runs `body`, which only reads, in one transaction (it sees one state of the data).
    fn read<T>(
        &self,
        body: impl FnOnce(&mut Tx<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut conn = self.connection()?;
        let mut tx = Tx::start(&mut conn, IsolationLevel::RepeatableRead, true)
            .map_err(|e| self.err(e, "read records"))?;
        let value = body(&mut tx)?;
        tx.commit().map_err(|e| self.err(e, "read records"))?;
        Ok(value)
    }

    /// Maps a driver error, naming this database when it was busy or read-only.
    fn err(&self, e: postgres::Error, operation: &'static str) -> StoreError {
        match classify(&e) {
            Failure::Busy => StoreError::Busy {
                location: self.location.clone(),
                waited_ms: connection::LOCK_TIMEOUT.as_millis() as u64,
            },
            Failure::ReadOnly => StoreError::ReadOnly {
                location: self.location.clone(),
            },
            Failure::RaceLost => StoreError::Backend {
                operation,
                detail: format!("{}: {e}", driver::RACE_LOST),
            },
            Failure::ConnectionLost => StoreError::Backend {
                operation,
                detail: format!("{}: {e}", driver::CONNECTION_LOST),
            },
            Failure::Unique(_) | Failure::ForeignKey | Failure::Other => StoreError::Backend {
                operation,
                detail: driver::message(&e),
            },
        }
    }

    /// A UNIQUE violation becomes `AlreadyExists { entity, key }`; anything else is mapped
    /// as usual.
    fn unique(
        &self,
        e: postgres::Error,
        operation: &'static str,
        entity: &'static str,
        key: &str,
    ) -> StoreError {
        match classify(&e) {
            Failure::Unique(_) => StoreError::AlreadyExists {
                entity,
                key: key.to_owned(),
            },
            _ => self.err(e, operation),
        }
    }

    /// The database server's clock: what heartbeats and the silence of builds are measured
    /// by, so that a host whose clock is off neither loses its builds nor keeps dead ones.
    fn clock(&self, tx: &mut Tx<'_>) -> Result<Timestamp, StoreError> {
        self.one(
            tx,
            &format!("SELECT {CLOCK}"),
            &[],
            |r| get(r, 0).map(Timestamp),
            ("clock", ""),
        )
    }

    /// Runs a statement that changes rows and returns how many it changed.
    fn execute(
        &self,
        tx: &mut Tx<'_>,
        sql: &str,
        params: Params<'_>,
        operation: &'static str,
    ) -> Result<u64, StoreError> {
        tx.execute(sql, params).map_err(|e| self.err(e, operation))
    }

    /// The one row a query finds, decoded, or `NotFound { entity, key }`.
    fn one<T>(
        &self,
        tx: &mut Tx<'_>,
        sql: &str,
        params: Params<'_>,
        decode: rows::Decode<T>,
        (entity, key): (&'static str, &str),
    ) -> Result<T, StoreError> {
        let row = tx
            .query_opt(sql, params)
            .map_err(|e| self.err(e, "read a record"))?;
        match row {
            Some(row) => decode(&row),
            None => Err(StoreError::NotFound {
                entity,
                key: key.to_owned(),
            }),
        }
    }

    /// The row a query finds, if any, decoded.
    fn optional<T>(
        &self,
        tx: &mut Tx<'_>,
        sql: &str,
        params: Params<'_>,
        decode: rows::Decode<T>,
    ) -> Result<Option<T>, StoreError> {
        let row = tx
            .query_opt(sql, params)
            .map_err(|e| self.err(e, "read a record"))?;
        row.as_ref().map(decode).transpose()
    }

    /// Every row a query finds, decoded.
    fn list<T>(
        &self,
        tx: &mut Tx<'_>,
        sql: &str,
        params: Params<'_>,
        decode: rows::Decode<T>,
    ) -> Result<Vec<T>, StoreError> {
        let found = tx
            .query(sql, params)
            .map_err(|e| self.err(e, "listed records"))?;
        found.iter().map(decode).collect()
    }
}

/// Why a try of a change ended without a commit.
enum Retry {
    /// It lost a race: run it again.
    Again,
    /// Its connection was lost before it committed: run it again on a new one.
    Reconnect,
    /// The store refused (nothing written).
    Store(StoreError),
    /// The driver failed otherwise (or the connection was lost while committing: whether
    /// it committed is not known, so it is not run again).
    Driver(postgres::Error),
}

impl Retry {
    fn before_commit(e: postgres::Error) -> Retry {
        match classify(&e) {
            Failure::RaceLost => Retry::Again,
            Failure::ConnectionLost => Retry::Reconnect,
            _ => Retry::Driver(e),
        }
    }

    fn at_commit(e: postgres::Error) -> Retry {
        match classify(&e) {
            Failure::RaceLost => Retry::Again,
            _ => Retry::Driver(e),
        }
    }
}

/// Reads column `index` of `row`; a value of another type is damage.
fn get<'a, T: postgres::types::FromSql<'a>>(row: &'a Row, index: usize) -> Result<T, StoreError> {
    row.try_get(index).map_err(|e| StoreError::Corrupt {
        what: "column",
        detail: e.to_string(),
    })
}

#[cfg(test)]
mod opening_tests;
#[cfg(test)]
mod queue_tests;
#[cfg(test)]
mod tests;
