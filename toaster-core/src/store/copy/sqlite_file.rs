//! An SQLite file as the source or the target of a copy, on a connection of its own.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};

use super::catalog::{Catalog, Column, Table, quote};
use super::error::CopyError;
use super::value::{Kind, Value};
use super::{Rows, Side};
use crate::store::sqlite::migration;
use crate::store::{SqliteStore, StoreError};

/// How long a statement waits for another process's lock.
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// An open SQLite database, in a transaction.
pub(super) struct SqliteFile {
    path: PathBuf,
    location: String,
    conn: Connection,
    /// The copy made the file: it goes if the copy fails.
    created: bool,
}

impl SqliteFile {
    /// The Toaster database at `path`, opened read-only in a read transaction (one state of
    /// the data throughout), its schema exactly this code's.
    pub(super) fn source(path: &Path) -> Result<SqliteFile, CopyError> {
        let location = path.display().to_string();
        let refused = |source: StoreError| CopyError::Source {
            location: location.clone(),
            source,
        };
        if !path.exists() {
            return Err(refused(StoreError::Missing {
                path: path.to_owned(),
            }));
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags)
            .map_err(|e| refused(migration::map_open_error(e, path)))?;
        conn.busy_timeout(BUSY_TIMEOUT)
            .map_err(|e| refused(migration::map_open_error(e, path)))?;
        let version = migration::check(&conn, path).map_err(refused)?;
        if version == 0 {
            return Err(refused(StoreError::Empty {
                path: path.to_owned(),
            }));
        }
        if version != migration::LATEST {
            return Err(CopyError::SourceVersion {
                location,
                found: version,
                expected: migration::LATEST,
            });
        }
        let file = SqliteFile {
            path: path.to_owned(),
            location,
            conn,
            created: false,
        };
        file.batch("BEGIN", "began reading")?;
        Ok(file)
    }

    /// The Toaster database at `path`, made if there is none (or the file is empty), its
    /// schema brought up to date, in a write transaction that holds the database's lock.
    pub(super) fn target(path: &Path) -> Result<SqliteFile, CopyError> {
        let location = path.display().to_string();
        let refused = |source: StoreError| CopyError::Target {
            location: location.clone(),
            source,
        };
        let created = match SqliteStore::open(path) {
            Ok(_) => false,
            Err(StoreError::Missing { .. }) => {
                SqliteStore::init(path).map_err(refused)?;
                true
            }
            Err(StoreError::Empty { .. }) => {
                SqliteStore::init(path).map_err(refused)?;
                false
            }
            Err(e) => return Err(refused(e)),
        };
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags)
            .map_err(|e| refused(migration::map_open_error(e, path)))?;
        let file = SqliteFile {
            path: path.to_owned(),
            location,
            conn,
            created,
        };
        let set_up = || -> rusqlite::Result<()> {
            file.conn.busy_timeout(BUSY_TIMEOUT)?;
            file.conn.pragma_update(None, "foreign_keys", true)?;
            file.conn.execute_batch("BEGIN IMMEDIATE")
        };
        if let Err(e) = set_up() {
            let e = file.failed("locked the target")(e);
            Box::new(file).abandon();
            return Err(e);
        }
        Ok(file)
    }

    fn failed(&self, operation: &'static str) -> impl Fn(rusqlite::Error) -> CopyError + '_ {
        move |e| CopyError::Database {
            location: self.location.clone(),
            operation,
            detail: e.to_string(),
        }
    }

    fn batch(&self, sql: &str, operation: &'static str) -> Result<(), CopyError> {
        self.conn.execute_batch(sql).map_err(self.failed(operation))
    }

    /// The tables with AUTOINCREMENT keys.
    fn autoincrement(&self) -> Result<BTreeSet<String>, CopyError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT name FROM sqlite_schema WHERE type = 'table' \
                 AND upper(sql) LIKE '%AUTOINCREMENT%'",
            )
            .map_err(self.failed("read the catalogue"))?;
        stmt.query_map([], |r| r.get::<_, String>(0))
            .and_then(|rows| rows.collect::<Result<BTreeSet<_>, _>>())
            .map_err(self.failed("read the catalogue"))
    }

    fn table(&self, name: &str, autoincrement: bool) -> Result<Table, CopyError> {
        let failed = self.failed("read the catalogue");
        let mut stmt = self
            .conn
            .prepare("SELECT name, type, pk FROM pragma_table_info(?1) ORDER BY cid")
            .map_err(&failed)?;
        let found = stmt
            .query_map([name], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)?,
                ))
            })
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(&failed)?;
        let mut key: Vec<(i64, usize)> = found
            .iter()
            .enumerate()
            .filter(|(_, (_, _, pk))| *pk > 0)
            .map(|(i, (_, _, pk))| (*pk, i))
            .collect();
        key.sort_unstable();
        let key: Vec<usize> = key.into_iter().map(|(_, i)| i).collect();
        let mut parents = self
            .conn
            .prepare("SELECT DISTINCT \"table\" FROM pragma_foreign_key_list(?1)")
            .and_then(|mut s| {
                s.query_map([name], |r| r.get::<_, String>(0))?
                    .collect::<Result<BTreeSet<_>, _>>()
            })
            .map_err(&failed)?;
        parents.remove(name);
        let counter = match key.as_slice() {
            [only] if autoincrement => Some(*only),
            _ => None,
        };
        Ok(Table {
            name: name.to_owned(),
            columns: found
                .into_iter()
                .map(|(name, declared, _)| Column {
                    name,
                    declared,
                    kind: Kind::Dynamic,
                })
                .collect(),
            key,
            parents,
            counter,
        })
    }
}

/// The row an SQLite cursor is at, as values.
fn values(row: &rusqlite::Row<'_>, table: &Table, location: &str) -> Result<Vec<Value>, CopyError> {
    let read = |i: usize| {
        row.get_ref(i).map_err(|e| CopyError::Database {
            location: location.to_owned(),
            operation: "read rows",
            detail: e.to_string(),
        })
    };
    let mut values = Vec::with_capacity(table.columns.len());
    for (i, column) in table.columns.iter().enumerate() {
        values.push(match read(i)? {
            ValueRef::Null => Value::Null,
            ValueRef::Integer(v) => Value::Integer(v),
            ValueRef::Real(v) => Value::Real(v),
            ValueRef::Text(bytes) => match std::str::from_utf8(bytes) {
                Ok(text) => Value::Text(text.to_owned()),
                Err(_) => {
                    // The key shown as far as it reads (its text made valid).
                    let lossy: Vec<Value> = (0..table.columns.len())
                        .map(|j| match read(j) {
                            Ok(ValueRef::Integer(v)) => Value::Integer(v),
                            Ok(ValueRef::Text(t)) => {
                                Value::Text(String::from_utf8_lossy(t).into_owned())
                            }
                            _ => Value::Null,
                        })
                        .collect();
                    return Err(CopyError::Value {
                        table: table.name.clone(),
                        row: table.describe(&lossy),
                        column: column.name.clone(),
                        detail: "text that is not UTF-8".to_owned(),
                    });
                }
            },
            ValueRef::Blob(bytes) => Value::Blob(bytes.to_vec()),
        });
    }
    Ok(values)
}

impl Side for SqliteFile {
    fn location(&self) -> &str {
        &self.location
    }

    fn catalog(&mut self) -> Result<Catalog, CopyError> {
        let autoincrement = self.autoincrement()?;
        let mut stmt = self
            .conn
            .prepare(
                "SELECT name FROM sqlite_schema WHERE type = 'table' \
                 AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
            )
            .map_err(self.failed("read the catalogue"))?;
        let names = stmt
            .query_map([], |r| r.get::<_, String>(0))
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(self.failed("read the catalogue"))?;
        let tables = names
            .iter()
            .map(|name| {
                Ok((
                    name.clone(),
                    self.table(name, autoincrement.contains(name))?,
                ))
            })
            .collect::<Result<BTreeMap<_, _>, CopyError>>()?;
        Ok(Catalog { tables })
    }

    fn row_count(&mut self, table: &Table) -> Result<u64, CopyError> {
        let sql = format!("SELECT count(*) FROM {}", quote(&table.name));
        self.conn
            .query_row(&sql, [], |r| r.get::<_, i64>(0))
            .map(|n| n.max(0) as u64)
            .map_err(self.failed("counted rows"))
    }

    fn read(
        &mut self,
        table: &Table,
        body: &mut dyn FnMut(&mut Rows<'_>) -> Result<u64, CopyError>,
    ) -> Result<u64, CopyError> {
        let sql = table.select_ordered(|column| format!("{} COLLATE BINARY", quote(&column.name)));
        let failed = self.failed("read rows");
        let location = self.location.clone();
        let mut stmt = self.conn.prepare(&sql).map_err(&failed)?;
        let mut rows = stmt.query([]).map_err(&failed)?;
        let mut iter = std::iter::from_fn(|| match rows.next() {
            Ok(Some(row)) => Some(values(row, table, &location)),
            Ok(None) => None,
            Err(e) => Some(Err(failed(e))),
        });
        body(&mut iter)
    }

    fn insert(&mut self, table: &Table, rows: &mut Rows<'_>) -> Result<u64, CopyError> {
        let marks: Vec<String> = (1..=table.columns.len()).map(|i| format!("?{i}")).collect();
        let sql = format!(
            "INSERT INTO {} ({}) VALUES ({})",
            quote(&table.name),
            table.column_list(),
            marks.join(", ")
        );
        let mut stmt = self.conn.prepare(&sql).map_err(self.failed("wrote rows"))?;
        let mut written = 0;
        for row in rows {
            let row = row?;
            stmt.execute(rusqlite::params_from_iter(row.iter()))
                .map_err(|e| CopyError::Database {
                    location: self.location.clone(),
                    operation: "wrote rows",
                    detail: format!("{e} (table {}, row {})", table.name, table.describe(&row)),
                })?;
            written += 1;
        }
        Ok(written)
    }

    fn counters(&mut self, catalog: &Catalog) -> Result<BTreeMap<String, i64>, CopyError> {
        let mut highs = BTreeMap::new();
        if catalog.tables.values().all(|t| t.counter.is_none()) {
            return Ok(highs);
        }
        let failed = self.failed("read the key sequences");
        let mut stmt = self
            .conn
            .prepare("SELECT name, seq FROM sqlite_sequence")
            .map_err(&failed)?;
        let found = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
            .map_err(&failed)?;
        for (table, seq) in found {
            if catalog
                .tables
                .get(&table)
                .is_some_and(|t| t.counter.is_some())
            {
                highs.insert(table, seq);
            }
        }
        Ok(highs)
    }

    fn set_counters(
        &mut self,
        catalog: &Catalog,
        highs: &BTreeMap<String, i64>,
    ) -> Result<(), CopyError> {
        let failed = self.failed("set the key sequences");
        for table in catalog.tables.values().filter(|t| t.counter.is_some()) {
            let Some(&high) = highs.get(&table.name) else {
                continue;
            };
            // Inserting explicit keys has moved the sequence to the highest one already.
            self.conn
                .execute(
                    "UPDATE sqlite_sequence SET seq = ?2 WHERE name = ?1 AND seq < ?2",
                    rusqlite::params![table.name, high],
                )
                .map_err(&failed)?;
            self.conn
                .execute(
                    "INSERT INTO sqlite_sequence (name, seq) SELECT ?1, ?2 \
                     WHERE ?2 > 0 AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = ?1)",
                    rusqlite::params![table.name, high],
                )
                .map_err(&failed)?;
        }
        Ok(())
    }

    fn commit(self: Box<Self>) -> Result<(), CopyError> {
        let committed = self.batch("COMMIT", "committed");
        if committed.is_err() {
            self.abandon();
        }
        committed
    }

    fn abandon(self: Box<Self>) {
        let SqliteFile {
            path,
            conn,
            created,
            ..
        } = *self;
        let _ = conn.execute_batch("ROLLBACK");
        drop(conn);
        if created {
            remove_database(&path);
        }
    }
}

/// Removes the database file at `path` and the files SQLite keeps beside it.
fn remove_database(path: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        let _ = std::fs::remove_file(name);
    }
}
