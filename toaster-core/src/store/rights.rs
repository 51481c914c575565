//! The rights a store checks inside a change's transaction, whatever its backend: each
//! backend reads the owner, their groups and the project; the rules are here.

use std::collections::HashMap;

use crate::access::{self, Principal};
use crate::model::{Action, NewAudit, OwnerId, Project, ProjectId, Right};
use crate::store::StoreError;

/// `Denied` unless the owner acting in `audit` may do what it `requires` (on `project`, for
/// a project's rights). `load` reads the acting owner as a principal, and the project.
pub(crate) fn authorize(
    audit: &NewAudit,
    project: Option<ProjectId>,
    load: impl FnOnce(OwnerId, Option<ProjectId>) -> Result<(Principal, Option<Project>), StoreError>,
) -> Result<(), StoreError> {
    let Some(action) = audit.requires else {
        return Ok(());
    };
    let denied = |project| StoreError::Denied {
        owner: audit.owner_name.clone(),
        action,
        project,
    };
    let Some(owner) = audit.owner else {
        return Err(denied(audit.project.clone()));
    };
    let (principal, found) = load(owner, project)?;
    let (allowed, project) = match found {
        Some(project) => (
            access::allows(&principal, &project, action),
            Some(project.name),
        ),
        None => (
            access::allows_instance(&principal, action),
            audit.project.clone(),
        ),
    };
    if allowed {
        Ok(())
    } else {
        Err(denied(project))
    }
}

/// Which projects an owner may build (what a runner or a hook deliverer may take), each
/// project read once.
pub(crate) struct Builder {
    principal: Principal,
    known: HashMap<ProjectId, bool>,
}

impl Builder {
    /// The projects `principal` may build.
    pub(crate) fn new(principal: Principal) -> Builder {
        Builder {
            principal,
            known: HashMap::new(),
        }
    }

    /// Whether the owner may build `id`; `load` reads the project the first time.
    pub(crate) fn may_build(
        &mut self,
        id: ProjectId,
        load: impl FnOnce(ProjectId) -> Result<Project, StoreError>,
    ) -> Result<bool, StoreError> {
        if let Some(allowed) = self.known.get(&id) {
            return Ok(*allowed);
        }
        let allowed = access::allows(&self.principal, &load(id)?, Action::Project(Right::Build));
        self.known.insert(id, allowed);
        Ok(allowed)
    }
}
