//! Owner tokens on PostgreSQL: the `owner_token` table, keyed by the hash of each secret.

use postgres::Row;

use super::transaction::Tx;
use super::{PostgresStore, get};
use crate::model::{NewAudit, NewToken, OwnerId, OwnerToken, Timestamp};
use crate::store::StoreError;
use crate::store::sqlite::rows::name;

const TOKEN_SELECT: &str = "SELECT t.id, t.owner_id, o.name, t.name, t.created_at, \
     t.expires_at, t.revoked_at FROM owner_token t JOIN owner o ON o.id = t.owner_id";

fn token(row: &Row) -> Result<OwnerToken, StoreError> {
    Ok(OwnerToken {
        id: get(row, 0)?,
        owner: OwnerId(get(row, 1)?),
        owner_name: name(get(row, 2)?)?,
        name: name(get(row, 3)?)?,
        created_at: Timestamp(get(row, 4)?),
        expires_at: get::<Option<i64>>(row, 5)?.map(Timestamp),
        revoked_at: get::<Option<i64>>(row, 6)?.map(Timestamp),
    })
}

impl PostgresStore {
    fn token_named(
        &self,
        tx: &mut Tx<'_>,
        owner: OwnerId,
        token_name: &str,
    ) -> Result<OwnerToken, StoreError> {
        let sql = format!("{TOKEN_SELECT} WHERE t.owner_id = $1 AND lower(t.name) = lower($2)");
        self.one(
            tx,
            &sql,
            &[&owner.0, &token_name],
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
            tx.execute(
                "INSERT INTO owner_token (owner_id, name, hash, created_at, expires_at) \
                 VALUES ($1, $2, $3, $4, $5)",
                &[
                    &new.owner.0,
                    &new.name.as_str(),
                    &new.hash,
                    &Timestamp::now().0,
                    &new.expires_at.map(|t| t.0),
                ],
            )
            .map_err(|e| self.unique(e, "made a token", "token", new.name.as_str()))?;
            self.append_audit(tx, audit, None)?;
            self.token_named(tx, new.owner, new.name.as_str())
        })
    }

    pub(super) fn list_tokens(&self, owner: OwnerId) -> Result<Vec<OwnerToken>, StoreError> {
        let sql = format!("{TOKEN_SELECT} WHERE t.owner_id = $1 ORDER BY lower(t.name)");
        self.read(|tx| self.list(tx, &sql, &[&owner.0], token))
    }

    pub(super) fn find_token(&self, hash: &str) -> Result<OwnerToken, StoreError> {
        let sql = format!("{TOKEN_SELECT} WHERE t.hash = $1");
        // The key in a NotFound is never the hash: it would help nobody and is half a secret.
        self.read(|tx| self.one(tx, &sql, &[&hash], token, ("token", "(by its secret)")))
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
                "UPDATE owner_token SET revoked_at = $2 WHERE id = $1",
                &[&found.id, &Timestamp::now().0],
                "revoked a token",
            )?;
            self.append_audit(tx, audit, None)?;
            self.token_named(tx, owner, token_name)
        })
    }
}
