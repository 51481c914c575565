//! Owner tokens on SQLite: the `owner_token` table, keyed by the hash of each secret.

use rusqlite::{Connection, Row, params};

use super::SqliteStore;
use super::rows::name;
use crate::model::{NewAudit, NewToken, OwnerId, OwnerToken, Timestamp};
use crate::store::StoreError;

const TOKEN_SELECT: &str = "SELECT t.id, t.owner_id, o.name, t.name, t.created_at, \
     t.expires_at, t.revoked_at FROM owner_token t JOIN owner o ON o.id = t.owner_id";

fn token(row: &Row<'_>) -> rusqlite::Result<Result<OwnerToken, StoreError>> {
    let (owner_name, token_name): (String, String) = (row.get(2)?, row.get(3)?);
    let (id, owner, created_at, expires_at, revoked_at): (i64, i64, i64, Option<i64>, Option<i64>) = (
        row.get(0)?,
        row.get(1)?,
        row.get(4)?,
        row.get(5)?,
        row.get(6)?,
    );
    Ok(name(owner_name).and_then(|owner_name| {
        Ok(OwnerToken {
            id,
            owner: OwnerId(owner),
            owner_name,
            name: name(token_name)?,
            created_at: Timestamp(created_at),
            expires_at: expires_at.map(Timestamp),
            revoked_at: revoked_at.map(Timestamp),
        })
    }))
}

impl SqliteStore {
    fn token_named(
        &self,
        conn: &Connection,
        owner: OwnerId,
        token_name: &str,
    ) -> Result<OwnerToken, StoreError> {
        let sql = format!("{TOKEN_SELECT} WHERE t.owner_id = ?1 AND t.name = ?2");
        self.one(
            conn,
            &sql,
            params![owner.0, token_name],
            token,
            ("token", token_name),
        )
    }

    pub(super) fn insert_token(
        &self,
        new: &NewToken,
        audit: &NewAudit,
    ) -> Result<OwnerToken, StoreError> {
        self.write("made a token", |tx| {
            self.authorize(tx, audit, None)?;
            self.owner_with_id(tx, new.owner)?;
            tx.prepare_cached(
                "INSERT INTO owner_token (owner_id, name, hash, created_at, expires_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )
            .and_then(|mut s| {
                s.insert(params![
                    new.owner.0,
                    new.name.as_str(),
                    new.hash,
                    Timestamp::now().0,
                    new.expires_at.map(|t| t.0)
                ])
            })
            .map_err(|e| self.unique(e, "made a token", "token", new.name.as_str()))?;
            self.append_audit(tx, audit, None)?;
            self.token_named(tx, new.owner, new.name.as_str())
        })
    }

    pub(super) fn list_tokens(&self, owner: OwnerId) -> Result<Vec<OwnerToken>, StoreError> {
        let sql = format!("{TOKEN_SELECT} WHERE t.owner_id = ?1 ORDER BY t.name");
        self.list(&self.conn(), &sql, [owner.0], token)
    }

    pub(super) fn find_token(&self, hash: &str) -> Result<OwnerToken, StoreError> {
        let sql = format!("{TOKEN_SELECT} WHERE t.hash = ?1");
        // The key in a NotFound is never the hash: it would help nobody and is half a secret.
        self.one(
            &self.conn(),
            &sql,
            [hash],
            token,
            ("token", "(by its secret)"),
        )
    }

    pub(super) fn set_token_revoked(
        &self,
        owner: OwnerId,
        token_name: &str,
        audit: &NewAudit,
    ) -> Result<OwnerToken, StoreError> {
        self.write("revoked a token", |tx| {
            self.authorize(tx, audit, None)?;
            let found = self.token_named(tx, owner, token_name)?;
            if found.revoked_at.is_some() {
                return Ok(found);
            }
            self.execute(
                tx,
                "UPDATE owner_token SET revoked_at = ?2 WHERE id = ?1",
                params![found.id, Timestamp::now().0],
                "revoked a token",
            )?;
            self.append_audit(tx, audit, None)?;
            self.token_named(tx, owner, token_name)
        })
    }
}
