//! A build's variables and their history in SQLite: written in the recorder's batches,
//! read back by name.

use rusqlite::{Transaction, params};

use super::SqliteStore;
use crate::model::{BuildId, BuildVariable, VariableChange, VariableHistory, VariableRecord};
use crate::store::StoreError;

const VARIABLE: &str = "INSERT OR IGNORE INTO build_variable (build_id, name, value, unexpanded, \
     history_kept) VALUES (?1, ?2, ?3, ?4, ?5)";
const HISTORY: &str = "INSERT OR IGNORE INTO build_variable_history (build_id, name, position, \
     operation, file, line, flag, value) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";

/// Inserts one variable of `build` (a name it has already keeps its first record).
pub(super) fn insert_variable(
    tx: &Transaction<'_>,
    build: BuildId,
    v: &VariableRecord,
) -> rusqlite::Result<usize> {
    tx.prepare_cached(VARIABLE).and_then(|mut st| {
        st.execute(params![
            build.0,
            v.name,
            v.value,
            v.unexpanded,
            v.history_kept
        ])
    })
}

/// Inserts a run of a variable's history, numbered from `h.first` (an entry number the
/// variable has already keeps its first).
pub(super) fn insert_history(
    tx: &Transaction<'_>,
    build: BuildId,
    h: &VariableHistory,
) -> rusqlite::Result<usize> {
    let mut st = tx.prepare_cached(HISTORY)?;
    (h.first..).zip(&h.changes).try_fold(0, |n, (position, c)| {
        st.execute(params![
            build.0,
            h.name,
            position,
            c.operation,
            c.file,
            c.line,
            c.flag,
            c.value
        ])
        .map(|m| n + m)
    })
}

impl SqliteStore {
    pub(super) fn read_variables(&self, build: BuildId) -> Result<Vec<BuildVariable>, StoreError> {
        let sql = "SELECT v.name, v.value, v.unexpanded, v.history_kept, \
                   (SELECT count(*) FROM build_variable_history h \
                    WHERE h.build_id = v.build_id AND h.name = v.name) \
                   FROM build_variable v WHERE v.build_id = ?1 ORDER BY v.name";
        self.list(&self.conn(), sql, [build.0], |r| {
            Ok(Ok(BuildVariable {
                record: VariableRecord {
                    name: r.get(0)?,
                    value: r.get(1)?,
                    unexpanded: r.get(2)?,
                    history_kept: r.get(3)?,
                },
                history_entries: r.get(4)?,
            }))
        })
    }

    pub(super) fn read_variable_history(
        &self,
        build: BuildId,
        name: &str,
    ) -> Result<Vec<VariableChange>, StoreError> {
        let sql = "SELECT operation, file, line, flag, value FROM build_variable_history \
                   WHERE build_id = ?1 AND name = ?2 ORDER BY position";
        self.list(&self.conn(), sql, params![build.0, name], |r| {
            Ok(Ok(VariableChange {
                operation: r.get(0)?,
                file: r.get(1)?,
                line: r.get(2)?,
                flag: r.get(3)?,
                value: r.get(4)?,
            }))
        })
    }
}
