//! The permission policy: who may do what. Pure functions over the model.
//!
//! A project has an owner, an optional group, and a [`Mode`] with rights for its owner,
//! the group's members, and others. Admins may do everything. The instance's owners and
//! groups are managed by admins.

pub use crate::model::Action;
use crate::model::{GroupId, Mode, Owner, OwnerId, Project, Right};

/// The acting owner as the policy sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// Who.
    pub owner: OwnerId,
    /// Whether they are an admin.
    pub admin: bool,
    /// The groups they belong to.
    pub groups: Vec<GroupId>,
}

impl Principal {
    /// The principal of an owner who belongs to `groups`.
    pub fn new(owner: &Owner, groups: Vec<GroupId>) -> Principal {
        Principal {
            owner: owner.id,
            admin: owner.admin,
            groups,
        }
    }
}

/// How an owner stands to a project; the first that applies counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Relation {
    /// An admin of the instance.
    Admin,
    /// The project's owner.
    Owner,
    /// A member of the project's group.
    GroupMember,
    /// Anyone else.
    Other,
}

/// How `who` stands to `project`.
pub fn relation(who: &Principal, project: &Project) -> Relation {
    if who.admin {
        Relation::Admin
    } else if who.owner == project.owner {
        Relation::Owner
    } else if project.group.is_some_and(|g| who.groups.contains(&g)) {
        Relation::GroupMember
    } else {
        Relation::Other
    }
}

/// Whether `mode` lets someone in `relation` exercise `right`.
pub fn grants(mode: &Mode, relation: Relation, right: Right) -> bool {
    match relation {
        Relation::Admin => true,
        Relation::Owner => mode.owner.has(right),
        Relation::GroupMember => mode.group.has(right),
        Relation::Other => mode.others.has(right),
    }
}

/// Whether `who` may do `action` on `project`. Changing permissions is for the project's
/// owner and admins, whatever the mode says.
pub fn allows(who: &Principal, project: &Project, action: Action) -> bool {
    let relation = relation(who, project);
    match action {
        Action::Project(right) => grants(&project.mode, relation, right),
        Action::ChangePermissions => matches!(relation, Relation::Admin | Relation::Owner),
        Action::ManageOwners | Action::ManageGroups | Action::ChangeDefaults | Action::Maintain => {
            allows_instance(who, action)
        }
    }
}

/// Whether `who` may do an instance-wide `action` (one on no project): only admins may.
/// A project's rights are never granted without the project.
pub fn allows_instance(who: &Principal, action: Action) -> bool {
    match action {
        Action::Project(_) | Action::ChangePermissions => false,
        Action::ManageOwners | Action::ManageGroups | Action::ChangeDefaults | Action::Maintain => {
            who.admin
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Name, ProjectId, Release, RevisionNumber, Timestamp};

    fn project(mode: &str) -> Project {
        Project {
            id: ProjectId(1),
            name: Name::parse("p", "demo").unwrap(),
            dir: "/p".into(),
            release: Release::DEFAULT,
            owner: OwnerId(1),
            owner_name: Name::parse("o", "alice").unwrap(),
            group: Some(GroupId(7)),
            group_name: Some(Name::parse("g", "team").unwrap()),
            mode: Mode::PRIVATE.with(mode).unwrap(),
            created_at: Timestamp(0),
            head: RevisionNumber::FIRST,
        }
    }

    fn who(id: i64, admin: bool, groups: &[i64]) -> Principal {
        Principal {
            owner: OwnerId(id),
            admin,
            groups: groups.iter().map(|g| GroupId(*g)).collect(),
        }
    }

    #[test]
    fn relations_pick_the_first_that_applies() {
        let p = project("owner=rcbd");
        assert_eq!(relation(&who(1, true, &[]), &p), Relation::Admin);
        assert_eq!(relation(&who(1, false, &[7]), &p), Relation::Owner);
        assert_eq!(relation(&who(2, false, &[3, 7]), &p), Relation::GroupMember);
        assert_eq!(relation(&who(2, false, &[3]), &p), Relation::Other);
    }

    #[test]
    fn only_owner_and_admin_change_permissions_and_only_admins_manage() {
        let p = project("owner=r,group=rcbd,others=rcbd");
        assert!(allows(&who(1, false, &[]), &p, Action::ChangePermissions));
        assert!(!allows(&who(2, false, &[7]), &p, Action::ChangePermissions));
        assert!(allows(&who(9, true, &[]), &p, Action::ChangePermissions));
        for action in [
            Action::ManageOwners,
            Action::ManageGroups,
            Action::ChangeDefaults,
        ] {
            assert!(!allows(&who(1, false, &[]), &p, action));
            assert!(allows(&who(9, true, &[]), &p, action));
        }
    }
}
