//! Copying a whole Toaster database into an empty one, between SQLite and PostgreSQL either
//! way (`toaster db copy --to TARGET`): every table, every row, the keys kept.
//!
//! The source is read in one transaction (one state of it, while others may keep using
//! it); the target is written in one transaction that first finds it empty, then copies
//! the tables parents first, moves the key sequences past the highest key (and past where
//! the source's stood), and compares every table with the source row by row before it
//! commits: on any error the target holds nothing of the copy.

mod catalog;
mod error;
mod postgres_db;
mod sqlite_file;
mod value;
mod verify;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use serde::Serialize;

use self::catalog::{Catalog, Table};
use self::postgres_db::PostgresDb;
use self::sqlite_file::SqliteFile;
use self::value::Value;
pub use error::CopyError;

/// What a copy did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CopyReport {
    /// The source, as messages show it.
    pub source: String,
    /// The target, as messages show it.
    pub target: String,
    /// Each table copied (and found the same in the copy), by name.
    pub tables: Vec<TableCount>,
    /// The rows copied, over all tables.
    pub rows: u64,
    /// How long it took, in milliseconds.
    pub elapsed_ms: u64,
}

/// One table copied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TableCount {
    /// The table.
    pub table: String,
    /// Its rows, in the source and in the copy alike.
    pub rows: u64,
}

/// A table's rows, in key order; a row that could not be read is an error.
type Rows<'a> = dyn Iterator<Item = Result<Vec<Value>, CopyError>> + 'a;

/// One database of a copy, in the transaction the copy runs in.
trait Side {
    /// Where it is, for messages.
    fn location(&self) -> &str;
    /// Its tables (Toaster's; not the backend's own bookkeeping).
    fn catalog(&mut self) -> Result<Catalog, CopyError>;
    /// Keeps other writers out of the tables until the transaction ends.
    fn lock(&mut self, _catalog: &Catalog) -> Result<(), CopyError> {
        Ok(())
    }
    /// How many rows a table holds.
    fn row_count(&mut self, table: &Table) -> Result<u64, CopyError>;
    /// Runs `body` over a table's rows, ordered by its key (text bytewise).
    fn read(
        &mut self,
        table: &Table,
        body: &mut dyn FnMut(&mut Rows<'_>) -> Result<u64, CopyError>,
    ) -> Result<u64, CopyError>;
    /// Writes `rows` into a table; how many.
    fn insert(&mut self, table: &Table, rows: &mut Rows<'_>) -> Result<u64, CopyError>;
    /// The highest key each sequence of `catalog` has handed out, by table.
    fn counters(&mut self, catalog: &Catalog) -> Result<BTreeMap<String, i64>, CopyError>;
    /// Moves each sequence past its table's highest key and past `highs`.
    fn set_counters(
        &mut self,
        catalog: &Catalog,
        highs: &BTreeMap<String, i64>,
    ) -> Result<(), CopyError>;
    /// Commits the transaction.
    fn commit(self: Box<Self>) -> Result<(), CopyError>;
    /// Rolls the transaction back, and removes what opening made.
    fn abandon(self: Box<Self>);
}

/// Copies the Toaster database at `source` (an SQLite file, or a `postgres://` URL) into
/// `target` (a URL naming an empty PostgreSQL database or schema, or any other path an
/// SQLite file, made if missing), then compares every table row by row; all in one
/// transaction on the target. Refuses a target that holds any row, and a source whose
/// schema is not exactly this code's.
pub fn copy(source: &Path, target: &Path) -> Result<CopyReport, CopyError> {
    let started = Instant::now();
    let target_location = location(target);
    let mut from = open(source, true)?;
    if same_database(source, target) {
        return Err(CopyError::SameDatabase {
            location: from.location().to_owned(),
        });
    }
    let mut to = open(target, false)?;
    match transfer(&mut *from, &mut *to) {
        Ok(mut tables) => {
            to.commit()?;
            tables.sort_by(|a, b| a.table.cmp(&b.table));
            Ok(CopyReport {
                source: from.location().to_owned(),
                target: target_location,
                rows: tables.iter().map(|t| t.rows).sum(),
                tables,
                elapsed_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
            })
        }
        Err(e) => {
            to.abandon();
            Err(e)
        }
    }
}

/// Whether `path` names a PostgreSQL database rather than an SQLite file.
fn url(path: &Path) -> Option<&str> {
    path.to_str()
        .filter(|p| crate::store::PostgresStore::is_url(p))
}

fn location(path: &Path) -> String {
    match url(path) {
        Some(url) => PostgresDb::location_of(url),
        None => path.display().to_string(),
    }
}

fn open(path: &Path, source: bool) -> Result<Box<dyn Side>, CopyError> {
    Ok(match (url(path), source) {
        (Some(url), true) => Box::new(PostgresDb::source(url)?),
        (Some(url), false) => Box::new(PostgresDb::target(url)?),
        (None, true) => Box::new(SqliteFile::source(path)?),
        (None, false) => Box::new(SqliteFile::target(path)?),
    })
}

/// Whether two locations name one database: the same file, or URLs of one database
/// (and schema).
fn same_database(a: &Path, b: &Path) -> bool {
    match (url(a), url(b)) {
        (Some(_), Some(_)) => location(a) == location(b),
        (None, None) => match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        },
        _ => false,
    }
}

/// Copies every table, sets the sequences and compares; the counts by table.
fn transfer(from: &mut dyn Side, to: &mut dyn Side) -> Result<Vec<TableCount>, CopyError> {
    let source = from.catalog()?;
    let target = to.catalog()?;
    source.same_tables(&target)?;
    to.lock(&target)?;
    let mut filled = Vec::new();
    for table in target.tables.values() {
        let rows = to.row_count(table)?;
        if rows > 0 {
            filled.push(format!(
                "{}: {rows} row{}",
                table.name,
                if rows == 1 { "" } else { "s" }
            ));
        }
    }
    if !filled.is_empty() {
        return Err(CopyError::NotEmpty {
            location: to.location().to_owned(),
            tables: filled,
        });
    }
    let mut pairs = Vec::new();
    for table in target.in_dependency_order()? {
        pairs.push((source.tables[&table.name].aligned_to(table)?, table));
    }
    let mut copied = BTreeMap::new();
    for (from_table, to_table) in &pairs {
        let rows = from.read(from_table, &mut |rows| to.insert(to_table, rows))?;
        copied.insert(to_table.name.clone(), rows);
    }
    let mut counts = Vec::new();
    for (from_table, to_table) in &pairs {
        let rows = from.read(from_table, &mut |source_rows| {
            to.read(to_table, &mut |copy_rows| {
                verify::compare(to_table, source_rows, copy_rows)
            })
        })?;
        if copied.get(&to_table.name) != Some(&rows) {
            return Err(CopyError::Mismatch {
                table: to_table.name.clone(),
                row: "(all)".to_owned(),
                detail: format!(
                    "{} rows were written but {rows} read back",
                    copied.get(&to_table.name).copied().unwrap_or(0)
                ),
            });
        }
        counts.push(TableCount {
            table: to_table.name.clone(),
            rows,
        });
    }
    let highs = from.counters(&source)?;
    to.set_counters(&target, &highs)?;
    Ok(counts)
}
