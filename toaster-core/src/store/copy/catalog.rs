//! The tables of a database as its catalogue describes them: columns, primary key, the
//! tables each one refers to, and the column a sequence numbers.

use std::collections::{BTreeMap, BTreeSet};

use super::error::CopyError;
use super::value::{Kind, Value};

/// One column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Column {
    pub(super) name: String,
    /// Its type as declared (SQLite) or as `information_schema` names it (PostgreSQL).
    pub(super) declared: String,
    pub(super) kind: Kind,
}

/// One table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Table {
    pub(super) name: String,
    pub(super) columns: Vec<Column>,
    /// The primary key's columns, in the key's order (indexes into `columns`).
    pub(super) key: Vec<usize>,
    /// The tables its foreign keys refer to.
    pub(super) parents: BTreeSet<String>,
    /// The column whose values a sequence hands out (an identity column, or SQLite's
    /// AUTOINCREMENT key), if any.
    pub(super) counter: Option<usize>,
}

impl Table {
    /// The columns rows are ordered by: the primary key, else every column.
    pub(super) fn order(&self) -> Vec<usize> {
        if self.key.is_empty() {
            (0..self.columns.len()).collect()
        } else {
            self.key.clone()
        }
    }

    /// The column names, quoted, separated by commas.
    pub(super) fn column_list(&self) -> String {
        let names: Vec<String> = self.columns.iter().map(|c| quote(&c.name)).collect();
        names.join(", ")
    }

    /// The query of every row, ordered by [`Table::order`]'s columns, each as `term` writes
    /// it (with the collation that sorts text bytewise on its backend).
    pub(super) fn select_ordered(&self, term: impl Fn(&Column) -> String) -> String {
        let order: Vec<String> = self
            .order()
            .into_iter()
            .map(|i| term(&self.columns[i]))
            .collect();
        format!(
            "SELECT {} FROM {} ORDER BY {}",
            self.column_list(),
            quote(&self.name),
            order.join(", ")
        )
    }

    /// This table with its columns in the order of `other`'s (the same table in another
    /// database); `SchemaMismatch` when they do not have the same columns.
    pub(super) fn aligned_to(&self, other: &Table) -> Result<Table, CopyError> {
        let names =
            |t: &Table| -> BTreeSet<String> { t.columns.iter().map(|c| c.name.clone()).collect() };
        if names(self) != names(other) {
            return Err(CopyError::SchemaMismatch {
                table: self.name.clone(),
                detail: format!(
                    "its columns differ ({} in the source, {} in the target)",
                    self.column_names().join(", "),
                    other.column_names().join(", ")
                ),
            });
        }
        let position = |name: &str| other.columns.iter().position(|c| c.name == name);
        let mut columns = self.columns.clone();
        columns.sort_by_key(|c| position(&c.name));
        let at = |index: usize| position(&self.columns[index].name);
        Ok(Table {
            name: self.name.clone(),
            columns,
            key: self.key.iter().filter_map(|&i| at(i)).collect(),
            parents: self.parents.clone(),
            counter: self.counter.and_then(at),
        })
    }

    /// A row as messages name it: its key's columns and values (`id=5`).
    pub(super) fn describe(&self, row: &[Value]) -> String {
        let parts: Vec<String> = self
            .order()
            .into_iter()
            .filter_map(|i| Some(format!("{}={}", self.columns[i].name, row.get(i)?.short())))
            .collect();
        parts.join(", ")
    }

    /// The column names, in order.
    pub(super) fn column_names(&self) -> Vec<String> {
        self.columns.iter().map(|c| c.name.clone()).collect()
    }
}

/// An identifier quoted for SQL (both backends read double quotes alike).
pub(super) fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The tables of one database, by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Catalog {
    pub(super) tables: BTreeMap<String, Table>,
}

impl Catalog {
    /// The tables in an order in which every table comes after those it refers to (by
    /// name where that leaves a choice).
    pub(super) fn in_dependency_order(&self) -> Result<Vec<&Table>, CopyError> {
        let mut done: BTreeSet<&str> = BTreeSet::new();
        let mut order = Vec::with_capacity(self.tables.len());
        while order.len() < self.tables.len() {
            let next = self.tables.values().find(|t| {
                !done.contains(t.name.as_str())
                    && t.parents
                        .iter()
                        .all(|p| p == &t.name || done.contains(p.as_str()))
            });
            let Some(next) = next else {
                let left: Vec<&str> = self
                    .tables
                    .keys()
                    .map(String::as_str)
                    .filter(|t| !done.contains(t))
                    .collect();
                return Err(CopyError::SchemaMismatch {
                    table: left.join(", "),
                    detail: "these tables refer to each other in a cycle, or to a table the \
                             database does not have"
                        .to_owned(),
                });
            };
            done.insert(&next.name);
            order.push(next);
        }
        Ok(order)
    }

    /// `SchemaMismatch` unless `other` has the same tables.
    pub(super) fn same_tables(&self, other: &Catalog) -> Result<(), CopyError> {
        let mine: BTreeSet<&String> = self.tables.keys().collect();
        let theirs: BTreeSet<&String> = other.tables.keys().collect();
        if let Some(missing) = mine.symmetric_difference(&theirs).next() {
            let side = if mine.contains(missing) {
                "the source has it, the target does not"
            } else {
                "the target has it, the source does not"
            };
            return Err(CopyError::SchemaMismatch {
                table: (*missing).clone(),
                detail: side.to_owned(),
            });
        }
        Ok(())
    }
}
