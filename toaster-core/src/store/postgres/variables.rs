//! A build's variables and their history in PostgreSQL: written in the recorder's batches,
//! read back by name.

use super::transaction::Tx;
use super::{PostgresStore, get, rows};
use crate::model::{BuildId, BuildVariable, VariableChange, VariableHistory, VariableRecord};
use crate::store::StoreError;

const VARIABLE: &str = "INSERT INTO build_variable (build_id, name, value, unexpanded, \
     history_kept) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING";
const HISTORY: &str = "INSERT INTO build_variable_history (build_id, name, position, \
     operation, file, line, flag, value) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
     ON CONFLICT DO NOTHING";

/// Inserts one variable of `build` (a name it has already keeps its first record).
pub(super) fn insert_variable(
    tx: &mut Tx<'_>,
    build: BuildId,
    v: &VariableRecord,
) -> Result<u64, postgres::Error> {
    tx.execute(
        VARIABLE,
        &[&build.0, &v.name, &v.value, &v.unexpanded, &v.history_kept],
    )
}

/// Inserts a run of a variable's history, numbered from `h.first` (an entry number the
/// variable has already keeps its first).
pub(super) fn insert_history(
    tx: &mut Tx<'_>,
    build: BuildId,
    h: &VariableHistory,
) -> Result<u64, postgres::Error> {
    (i64::from(h.first)..)
        .zip(&h.changes)
        .try_fold(0, |n, (position, c)| {
            tx.execute(
                HISTORY,
                &[
                    &build.0,
                    &h.name,
                    &position,
                    &c.operation,
                    &c.file,
                    &c.line.map(i64::from),
                    &c.flag,
                    &c.value,
                ],
            )
            .map(|m| n + m)
        })
}

impl PostgresStore {
    pub(super) fn read_variables(&self, build: BuildId) -> Result<Vec<BuildVariable>, StoreError> {
        let sql = "SELECT v.name, v.value, v.unexpanded, v.history_kept, \
                   (SELECT count(*) FROM build_variable_history h \
                    WHERE h.build_id = v.build_id AND h.name = v.name) \
                   FROM build_variable v WHERE v.build_id = $1 ORDER BY v.name";
        self.read(|tx| {
            self.list(tx, sql, &[&build.0], |r| {
                Ok(BuildVariable {
                    record: VariableRecord {
                        name: get(r, 0)?,
                        value: get(r, 1)?,
                        unexpanded: get(r, 2)?,
                        history_kept: get(r, 3)?,
                    },
                    history_entries: rows::count(r, 4)?,
                })
            })
        })
    }

    pub(super) fn read_variable_history(
        &self,
        build: BuildId,
        name: &str,
    ) -> Result<Vec<VariableChange>, StoreError> {
        let sql = "SELECT operation, file, line, flag, value FROM build_variable_history \
                   WHERE build_id = $1 AND name = $2 ORDER BY position";
        self.read(|tx| {
            self.list(tx, sql, &[&build.0, &name], |r| {
                Ok(VariableChange {
                    operation: get(r, 0)?,
                    file: get(r, 1)?,
                    line: rows::count_opt(r, 2)?,
                    flag: get(r, 3)?,
                    value: get(r, 4)?,
                })
            })
        })
    }
}
