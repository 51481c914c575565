//! A transaction on a pooled connection, with that connection's prepared statements: each
//! statement is prepared once per connection and reused, so a query costs one round trip.

use std::collections::HashMap;

use postgres::types::ToSql;
use postgres::{Row, Statement, Transaction};

/// A connection of the pool: the client, and the statements prepared on it by their SQL.
pub(super) struct Connection {
    pub(super) client: postgres::Client,
    pub(super) statements: HashMap<String, Statement>,
}

/// A transaction of a [`Connection`].
pub(super) struct Tx<'c> {
    tx: Transaction<'c>,
    statements: &'c mut HashMap<String, Statement>,
}

impl<'c> Tx<'c> {
    /// Starts a transaction on `connection`, at `isolation`, read-only if `read_only`.
    pub(super) fn start(
        connection: &'c mut Connection,
        isolation: postgres::IsolationLevel,
        read_only: bool,
    ) -> Result<Tx<'c>, postgres::Error> {
        let Connection { client, statements } = connection;
        let tx = client
            .build_transaction()
            .isolation_level(isolation)
            .read_only(read_only)
            .start()?;
        Ok(Tx { tx, statements })
    }

    /// The statement of `sql`, prepared on this connection (once).
    fn statement(&mut self, sql: &str) -> Result<Statement, postgres::Error> {
        if let Some(statement) = self.statements.get(sql) {
            return Ok(statement.clone());
        }
        let statement = self.tx.prepare(sql)?;
        self.statements.insert(sql.to_owned(), statement.clone());
        Ok(statement)
    }

    /// Runs `sql`; how many rows it changed.
    pub(super) fn execute(
        &mut self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<u64, postgres::Error> {
        let statement = self.statement(sql)?;
        self.tx.execute(&statement, params)
    }

    /// The rows `sql` finds.
    pub(super) fn query(
        &mut self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<Row>, postgres::Error> {
        let statement = self.statement(sql)?;
        self.tx.query(&statement, params)
    }

    /// The one row `sql` finds (an error if none or more).
    pub(super) fn query_one(
        &mut self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Row, postgres::Error> {
        let statement = self.statement(sql)?;
        self.tx.query_one(&statement, params)
    }

    /// The row `sql` finds, if any (an error if more).
    pub(super) fn query_opt(
        &mut self,
        sql: &str,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Option<Row>, postgres::Error> {
        let statement = self.statement(sql)?;
        self.tx.query_opt(&statement, params)
    }

    /// Commits.
    pub(super) fn commit(self) -> Result<(), postgres::Error> {
        self.tx.commit()
    }
}
