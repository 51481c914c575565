//! Checking, inside a change's transaction, that the acting owner still holds the right
//! its audit entry says the change requires, or may build what it claims.

use super::transaction::Tx;

use super::PostgresStore;
use crate::access::Principal;
use crate::model::{GroupId, NewAudit, OwnerId, ProjectId};
use crate::store::StoreError;
use crate::store::rights;

impl PostgresStore {
    /// `Denied` unless the owner acting in `audit` may do what it `requires` (on `project`,
    /// for a project's rights), as the database says now.
    pub(super) fn authorize(
        &self,
        tx: &mut Tx<'_>,
        audit: &NewAudit,
        project: Option<ProjectId>,
    ) -> Result<(), StoreError> {
        rights::authorize(audit, project, |owner, project| {
            let owner = self.owner_with_id(tx, owner)?;
            let principal = Principal::new(&owner, self.groups_with(tx, owner.id)?);
            let project = project.map(|id| self.project_by_id(tx, id)).transpose()?;
            Ok((principal, project))
        })
    }

    /// Which projects `owner` may build, as the database says now.
    pub(super) fn builder(
        &self,
        tx: &mut Tx<'_>,
        owner: OwnerId,
    ) -> Result<rights::Builder, StoreError> {
        let found = self.owner_with_id(tx, owner)?;
        let principal = Principal::new(&found, self.groups_with(tx, found.id)?);
        Ok(rights::Builder::new(principal))
    }

    /// The groups `owner` belongs to.
    pub(super) fn groups_with(
        &self,
        tx: &mut Tx<'_>,
        owner: OwnerId,
    ) -> Result<Vec<GroupId>, StoreError> {
        self.list(
            tx,
            "SELECT group_id FROM group_member WHERE owner_id = $1 ORDER BY group_id",
            &[&owner.0],
            |r| super::get(r, 0).map(GroupId),
        )
    }
}
