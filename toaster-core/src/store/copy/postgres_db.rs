//! A PostgreSQL database (or schema) as the source or the target of a copy, on a
//! connection of its own. Rows are read in one stream and written with binary `COPY`.

use std::collections::{BTreeMap, BTreeSet};

use postgres::binary_copy::BinaryCopyInWriter;
use postgres::fallible_iterator::FallibleIterator;
use postgres::types::{ToSql, Type};
use postgres::{Client, Row};

use super::catalog::{Catalog, Column, Table, quote};
use super::error::CopyError;
use super::value::{Kind, Value};
use super::{Rows, Side};
use crate::store::postgres::connection::Target;
use crate::store::postgres::driver::message;
use crate::store::postgres::migration;
use crate::store::{PostgresStore, StoreError};

/// An open PostgreSQL database, in a transaction.
pub(super) struct PostgresDb {
    location: String,
    client: Client,
}

/// A query's parameter, boxed.
type Param = Box<dyn ToSql + Sync>;

impl PostgresDb {
    /// The Toaster database `url` names, in a read-only transaction that sees one state of
    /// the data throughout, its schema exactly this code's.
    pub(super) fn source(url: &str) -> Result<PostgresDb, CopyError> {
        let mut location = PostgresStore::location_of(url).unwrap_or_else(|| url.to_owned());
        let refused = |location: &str, source: StoreError| CopyError::Source {
            location: location.to_owned(),
            source,
        };
        let target = Target::parse(url).map_err(|e| refused(&location, e))?;
        location = target.location();
        let mut client = target.connect().map_err(|e| refused(&location, e))?;
        let version = (|| {
            let mut tx = client.transaction().map_err(|e| backend(&e))?;
            let version = migration::check(&mut tx, &location)?;
            tx.commit().map_err(|e| backend(&e))?;
            Ok(version)
        })()
        .map_err(|e| refused(&location, e))?;
        if version == 0 {
            return Err(refused(
                &location,
                StoreError::Empty {
                    path: location.clone().into(),
                },
            ));
        }
        if version != migration::LATEST {
            return Err(CopyError::SourceVersion {
                location,
                found: version,
                expected: migration::LATEST,
            });
        }
        let mut db = PostgresDb { location, client };
        db.batch(
            "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
            "began reading",
        )?;
        Ok(db)
    }

    /// The Toaster database `url` names, its schema made if it is empty or brought up to
    /// date, in a transaction that holds every table against other writers.
    pub(super) fn target(url: &str) -> Result<PostgresDb, CopyError> {
        let location = PostgresStore::location_of(url).unwrap_or_else(|| url.to_owned());
        let refused = |source: StoreError| CopyError::Target {
            location: location.clone(),
            source,
        };
        drop(PostgresStore::open_or_init(url).map_err(refused)?);
        let client = Target::parse(url)
            .and_then(|t| t.connect())
            .map_err(refused)?;
        let mut db = PostgresDb { location, client };
        db.batch("BEGIN", "began writing")?;
        Ok(db)
    }

    /// The location, for messages.
    pub(super) fn location_of(url: &str) -> String {
        PostgresStore::location_of(url).unwrap_or_else(|| url.to_owned())
    }

    /// Maps a driver error met while doing `operation` (owning what it needs, so that the
    /// client stays free to use).
    fn failed(&self, operation: &'static str) -> impl Fn(postgres::Error) -> CopyError + use<> {
        let location = self.location.clone();
        move |e| CopyError::Database {
            location: location.clone(),
            operation,
            detail: message(&e),
        }
    }

    fn batch(&mut self, sql: &str, operation: &'static str) -> Result<(), CopyError> {
        let outcome = self.client.batch_execute(sql);
        outcome.map_err(self.failed(operation))
    }

    fn query(&mut self, sql: &str, operation: &'static str) -> Result<Vec<Row>, CopyError> {
        let outcome = self.client.query(sql, &[]);
        outcome.map_err(self.failed(operation))
    }
}

fn backend(e: &postgres::Error) -> StoreError {
    StoreError::Backend {
        operation: "read the schema version",
        detail: message(e),
    }
}

/// The PostgreSQL type of a column of `kind`.
fn pg_type(kind: Kind) -> Type {
    match kind {
        Kind::BigInt | Kind::Dynamic => Type::INT8,
        Kind::Integer => Type::INT4,
        Kind::SmallInt => Type::INT2,
        Kind::Boolean => Type::BOOL,
        Kind::Double => Type::FLOAT8,
        Kind::Float => Type::FLOAT4,
        Kind::Text => Type::TEXT,
        Kind::Bytes => Type::BYTEA,
    }
}

/// `value` as a parameter for a column of `kind` (checked with [`Kind::check`] first).
fn param(kind: Kind, value: &Value) -> Param {
    match (kind, value) {
        (Kind::Integer, Value::Integer(v)) => Box::new(i32::try_from(*v).ok()),
        (Kind::SmallInt, Value::Integer(v)) => Box::new(i16::try_from(*v).ok()),
        (Kind::Boolean, Value::Integer(v)) => Box::new(Some(*v != 0)),
        (_, Value::Integer(v)) => Box::new(Some(*v)),
        (Kind::Float, Value::Real(v)) => Box::new(Some(*v as f32)),
        (_, Value::Real(v)) => Box::new(Some(*v)),
        (_, Value::Text(text)) => Box::new(Some(text.clone())),
        (_, Value::Blob(bytes)) => Box::new(Some(bytes.clone())),
        (Kind::BigInt | Kind::Dynamic, Value::Null) => Box::new(None::<i64>),
        (Kind::Integer, Value::Null) => Box::new(None::<i32>),
        (Kind::SmallInt, Value::Null) => Box::new(None::<i16>),
        (Kind::Boolean, Value::Null) => Box::new(None::<bool>),
        (Kind::Double, Value::Null) => Box::new(None::<f64>),
        (Kind::Float, Value::Null) => Box::new(None::<f32>),
        (Kind::Text, Value::Null) => Box::new(None::<String>),
        (Kind::Bytes, Value::Null) => Box::new(None::<Vec<u8>>),
    }
}

/// Column `i` of `row`, of `kind`, as a value.
fn value(row: &Row, i: usize, kind: Kind) -> Result<Value, postgres::Error> {
    fn or_null<T>(v: Option<T>, f: impl FnOnce(T) -> Value) -> Value {
        v.map_or(Value::Null, f)
    }
    Ok(match kind {
        Kind::BigInt | Kind::Dynamic => or_null(row.try_get::<_, Option<i64>>(i)?, Value::Integer),
        Kind::Integer => or_null(row.try_get::<_, Option<i32>>(i)?, |v| {
            Value::Integer(v.into())
        }),
        Kind::SmallInt => or_null(row.try_get::<_, Option<i16>>(i)?, |v| {
            Value::Integer(v.into())
        }),
        Kind::Boolean => or_null(row.try_get::<_, Option<bool>>(i)?, |v| {
            Value::Integer(v.into())
        }),
        Kind::Double => or_null(row.try_get::<_, Option<f64>>(i)?, Value::Real),
        Kind::Float => or_null(row.try_get::<_, Option<f32>>(i)?, |v| Value::Real(v.into())),
        Kind::Text => or_null(row.try_get::<_, Option<String>>(i)?, Value::Text),
        Kind::Bytes => or_null(row.try_get::<_, Option<Vec<u8>>>(i)?, Value::Blob),
    })
}

impl Side for PostgresDb {
    fn location(&self) -> &str {
        &self.location
    }

    fn catalog(&mut self) -> Result<Catalog, CopyError> {
        let operation = "read the catalogue";
        let columns = self.query(
            "SELECT c.table_name::text, c.column_name::text, c.data_type::text, \
                    (c.is_identity = 'YES' OR coalesce(c.column_default, '') LIKE 'nextval(%') \
             FROM information_schema.columns c \
             JOIN information_schema.tables t ON t.table_schema = c.table_schema \
                  AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE' \
             WHERE c.table_schema = current_schema() AND c.table_name <> 'toaster_schema' \
             ORDER BY c.table_name, c.ordinal_position",
            operation,
        )?;
        let keys = self.query(
            "SELECT k.table_name::text, k.column_name::text \
             FROM information_schema.table_constraints c \
             JOIN information_schema.key_column_usage k ON k.constraint_schema = c.constraint_schema \
                  AND k.constraint_name = c.constraint_name AND k.table_name = c.table_name \
             WHERE c.constraint_type = 'PRIMARY KEY' AND c.table_schema = current_schema() \
             ORDER BY k.table_name, k.ordinal_position",
            operation,
        )?;
        let references = self.query(
            "SELECT child.relname::text, parent.relname::text FROM pg_catalog.pg_constraint f \
             JOIN pg_catalog.pg_class child ON child.oid = f.conrelid \
             JOIN pg_catalog.pg_class parent ON parent.oid = f.confrelid \
             WHERE f.contype = 'f' AND child.relnamespace = current_schema()::regnamespace",
            operation,
        )?;
        let failed = self.failed(operation);
        let mut tables: BTreeMap<String, Table> = BTreeMap::new();
        for row in &columns {
            let table: String = row.try_get(0).map_err(&failed)?;
            let name: String = row.try_get(1).map_err(&failed)?;
            let declared: String = row.try_get(2).map_err(&failed)?;
            let counted: bool = row.try_get(3).map_err(&failed)?;
            let kind = Kind::of_postgres(&declared).ok_or_else(|| CopyError::Unsupported {
                table: table.clone(),
                column: name.clone(),
                data_type: declared.clone(),
            })?;
            let entry = tables.entry(table.clone()).or_insert_with(|| Table {
                name: table,
                columns: Vec::new(),
                key: Vec::new(),
                parents: BTreeSet::new(),
                counter: None,
            });
            if counted {
                entry.counter = Some(entry.columns.len());
            }
            entry.columns.push(Column {
                name,
                declared,
                kind,
            });
        }
        for row in &keys {
            let table: String = row.try_get(0).map_err(&failed)?;
            let column: String = row.try_get(1).map_err(&failed)?;
            if let Some(t) = tables.get_mut(&table)
                && let Some(i) = t.columns.iter().position(|c| c.name == column)
            {
                t.key.push(i);
            }
        }
        for row in &references {
            let child: String = row.try_get(0).map_err(&failed)?;
            let parent: String = row.try_get(1).map_err(&failed)?;
            if let Some(t) = tables.get_mut(&child)
                && child != parent
            {
                t.parents.insert(parent);
            }
        }
        Ok(Catalog { tables })
    }

    fn lock(&mut self, catalog: &Catalog) -> Result<(), CopyError> {
        if catalog.tables.is_empty() {
            return Ok(());
        }
        let names: Vec<String> = catalog.tables.keys().map(|t| quote(t)).collect();
        self.batch(
            &format!("LOCK TABLE {} IN EXCLUSIVE MODE", names.join(", ")),
            "locked the target's tables",
        )
    }

    fn row_count(&mut self, table: &Table) -> Result<u64, CopyError> {
        let rows = self.query(
            &format!("SELECT count(*) FROM {}", quote(&table.name)),
            "counted rows",
        )?;
        let count: i64 = rows
            .first()
            .map(|r| r.try_get(0))
            .transpose()
            .map_err(self.failed("counted rows"))?
            .unwrap_or(0);
        Ok(count.max(0) as u64)
    }

    fn read(
        &mut self,
        table: &Table,
        body: &mut dyn FnMut(&mut Rows<'_>) -> Result<u64, CopyError>,
    ) -> Result<u64, CopyError> {
        let whole_row = table.key.is_empty();
        let sql = table.select_ordered(|column| {
            let collate = if column.kind.is_text() {
                " COLLATE \"C\""
            } else {
                ""
            };
            let nulls = if whole_row { " NULLS FIRST" } else { "" };
            format!("{}{collate}{nulls}", quote(&column.name))
        });
        let failed = self.failed("read rows");
        let kinds: Vec<Kind> = table.columns.iter().map(|c| c.kind).collect();
        let mut found = self
            .client
            .query_raw(sql.as_str(), std::iter::empty::<Param>())
            .map_err(&failed)?;
        let mut iter = std::iter::from_fn(|| match found.next() {
            Ok(Some(row)) => Some(
                kinds
                    .iter()
                    .enumerate()
                    .map(|(i, kind)| value(&row, i, *kind))
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(&failed),
            ),
            Ok(None) => None,
            Err(e) => Some(Err(failed(e))),
        });
        body(&mut iter)
    }

    fn insert(&mut self, table: &Table, rows: &mut Rows<'_>) -> Result<u64, CopyError> {
        let location = self.location.clone();
        let failed = |e: postgres::Error| CopyError::Database {
            location: location.clone(),
            operation: "wrote rows",
            detail: format!("{} (table {})", message(&e), table.name),
        };
        let types: Vec<Type> = table.columns.iter().map(|c| pg_type(c.kind)).collect();
        let sql = format!(
            "COPY {} ({}) FROM STDIN (FORMAT binary)",
            quote(&table.name),
            table.column_list()
        );
        let sink = self.client.copy_in(sql.as_str()).map_err(&failed)?;
        let mut writer = BinaryCopyInWriter::new(sink, &types);
        for row in rows {
            let row = row?;
            let mut params: Vec<Param> = Vec::with_capacity(row.len());
            for (column, value) in table.columns.iter().zip(&row) {
                column
                    .kind
                    .check(value)
                    .map_err(|detail| CopyError::Value {
                        table: table.name.clone(),
                        row: table.describe(&row),
                        column: column.name.clone(),
                        detail,
                    })?;
                params.push(param(column.kind, value));
            }
            writer.write_raw(params).map_err(&failed)?;
        }
        writer.finish().map_err(&failed)
    }

    fn counters(&mut self, catalog: &Catalog) -> Result<BTreeMap<String, i64>, CopyError> {
        let mut highs = BTreeMap::new();
        for table in catalog.tables.values() {
            let Some(counter) = table.counter else {
                continue;
            };
            let sequence = self.sequence(table, counter)?;
            let rows = self.query(
                &format!("SELECT last_value, is_called FROM {sequence}"),
                "read the key sequences",
            )?;
            if let Some(row) = rows.first() {
                let failed = self.failed("read the key sequences");
                let last: i64 = row.try_get(0).map_err(&failed)?;
                let called: bool = row.try_get(1).map_err(&failed)?;
                highs.insert(table.name.clone(), if called { last } else { last - 1 });
            }
        }
        Ok(highs)
    }

    fn set_counters(
        &mut self,
        catalog: &Catalog,
        highs: &BTreeMap<String, i64>,
    ) -> Result<(), CopyError> {
        for table in catalog.tables.values() {
            let Some(counter) = table.counter else {
                continue;
            };
            let sequence = self.sequence(table, counter)?;
            let high = highs.get(&table.name).copied().unwrap_or(0);
            let column = quote(&table.columns[counter].name);
            self.query(
                &format!(
                    "SELECT setval('{}', greatest(max({column}), {high}), true) FROM {} \
                     HAVING greatest(max({column}), {high}) > 0",
                    sequence.replace('\'', "''"),
                    quote(&table.name)
                ),
                "set the key sequences",
            )?;
        }
        Ok(())
    }

    fn commit(mut self: Box<Self>) -> Result<(), CopyError> {
        self.batch("COMMIT", "committed")
    }

    fn abandon(mut self: Box<Self>) {
        let _ = self.client.batch_execute("ROLLBACK");
    }
}

impl PostgresDb {
    /// The sequence that numbers `table`'s column `counter`, qualified and quoted.
    fn sequence(&mut self, table: &Table, counter: usize) -> Result<String, CopyError> {
        let failed = self.failed("read the key sequences");
        let row = self
            .client
            .query_one(
                "SELECT pg_get_serial_sequence($1, $2)",
                &[&quote(&table.name), &table.columns[counter].name],
            )
            .map_err(&failed)?;
        let sequence: Option<String> = row.try_get(0).map_err(&failed)?;
        sequence.ok_or_else(|| CopyError::SchemaMismatch {
            table: table.name.clone(),
            detail: format!(
                "its column {} is numbered by no sequence",
                table.columns[counter].name
            ),
        })
    }
}
