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

/// Those of `candidates` (each with its project), in order, whose project `principal` may
/// build: what a runner or a hook deliverer may take. `project` reads a project.
pub(crate) fn buildable<T>(
    principal: &Principal,
    candidates: Vec<(T, ProjectId)>,
    mut project: impl FnMut(ProjectId) -> Result<Project, StoreError>,
) -> Result<Vec<T>, StoreError> {
    let mut may_build = HashMap::new();
    let mut found = Vec::new();
    for (candidate, id) in candidates {
        let allowed = match may_build.get(&id) {
            Some(allowed) => *allowed,
            None => {
                let allowed =
                    access::allows(principal, &project(id)?, Action::Project(Right::Build));
                may_build.insert(id, allowed);
                allowed
            }
        };
        if allowed {
            found.push(candidate);
        }
    }
    Ok(found)
}
