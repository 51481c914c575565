//! Checking, inside a change's transaction, that the acting owner still holds the right
//! its audit entry says the change requires, or may build what it claims.

use rusqlite::Connection;

use super::SqliteStore;
use crate::access::Principal;
use crate::model::{GroupId, NewAudit, OwnerId, ProjectId};
use crate::store::{StoreError, rights};

impl SqliteStore {
    /// `Denied` unless the owner acting in `audit` may do what it `requires` (on `project`,
    /// for a project's rights), as the database says now. Called first in a write
    /// transaction, so the check and the change see the same data.
    pub(super) fn authorize(
        &self,
        conn: &Connection,
        audit: &NewAudit,
        project: Option<ProjectId>,
    ) -> Result<(), StoreError> {
        rights::authorize(audit, project, |owner, project| {
            let owner = self.owner_with_id(conn, owner)?;
            let principal = Principal::new(&owner, self.groups_with(conn, owner.id)?);
            let project = project.map(|id| self.project_by_id(conn, id)).transpose()?;
            Ok((principal, project))
        })
    }

    /// The first of `candidates` (each with its project) whose project `owner` may build,
    /// as the database says now: what a runner or a hook deliverer may take.
    pub(super) fn first_buildable<T>(
        &self,
        conn: &Connection,
        owner: OwnerId,
        candidates: Vec<(T, ProjectId)>,
    ) -> Result<Option<T>, StoreError> {
        if candidates.is_empty() {
            return Ok(None);
        }
        let owner = self.owner_with_id(conn, owner)?;
        let mut builder =
            rights::Builder::new(Principal::new(&owner, self.groups_with(conn, owner.id)?));
        for (candidate, project) in candidates {
            if builder.may_build(project, |id| self.project_by_id(conn, id))? {
                return Ok(Some(candidate));
            }
        }
        Ok(None)
    }

    /// The groups `owner` belongs to, read through `conn`.
    pub(super) fn groups_with(
        &self,
        conn: &Connection,
        owner: OwnerId,
    ) -> Result<Vec<GroupId>, StoreError> {
        let mut stmt = conn
            .prepare_cached(
                "SELECT group_id FROM group_member WHERE owner_id = ?1 ORDER BY group_id",
            )
            .map_err(|e| self.err(e, "read an owner's groups"))?;
        stmt.query_map([owner.0], |r| r.get(0).map(GroupId))
            .and_then(|rows| rows.collect())
            .map_err(|e| self.err(e, "read an owner's groups"))
    }
}
