//! Owners and groups, as an actor manages them.

use super::Actor;
use crate::Error;
use crate::access::Action;
use crate::model::{AuditAction, Group, Name, NewOwner, Owner, OwnerUpdate, check_email};

/// What [`Actor::edit_owner`] changes; `None` leaves it as it is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OwnerEdit<'a> {
    /// The owner's new name.
    pub name: Option<&'a str>,
    /// The new e-mail address; `Some("")` clears it.
    pub email: Option<&'a str>,
}

impl Actor {
    /// Adds an owner (admins only).
    pub fn add_owner(&self, name: &str, email: Option<&str>) -> Result<Owner, Error> {
        let new = NewOwner::new(Name::parse("owner name", name)?, email.map(str::to_owned))?;
        self.require(Action::ManageOwners)?;
        let audit = self.entry(
            Some(Action::ManageOwners),
            AuditAction::OwnerAdd,
            None,
            format!("added owner {}", new.name),
        );
        Ok(self.store().add_owner(&new, &audit)?)
    }

    /// Every owner, by name.
    pub fn owners(&self) -> Result<Vec<Owner>, Error> {
        Ok(self.store().owners()?)
    }

    /// One owner.
    pub fn owner_named(&self, name: &str) -> Result<Owner, Error> {
        Ok(self.store().owner(name)?)
    }

    /// Renames an owner or changes their e-mail address (`Some("")` clears it). Owners edit
    /// themselves; admins edit anyone.
    pub fn edit_owner(&self, name: &str, edit: &OwnerEdit<'_>) -> Result<Owner, Error> {
        let update = OwnerUpdate {
            name: edit
                .name
                .map(|n| Name::parse("owner name", n))
                .transpose()?,
            email: match edit.email {
                None => None,
                Some("") => Some(None),
                Some(email) => {
                    check_email(email)?;
                    Some(Some(email.to_owned()))
                }
            },
            admin: None,
        };
        let owner = self.store().owner(name)?;
        if owner.id != self.owner.id {
            self.require(Action::ManageOwners)?;
        }
        let mut changes = Vec::new();
        if let Some(new_name) = &update.name {
            changes.push(format!("renamed to {new_name}"));
        }
        if let Some(email) = &update.email {
            changes.push(format!("e-mail {}", email.as_deref().unwrap_or("cleared")));
        }
        let detail = format!("edited owner {}: {}", owner.name, changes.join(", "));
        let audit = self.entry(
            (owner.id != self.owner.id).then_some(Action::ManageOwners),
            AuditAction::OwnerEdit,
            None,
            detail,
        );
        Ok(self.store().update_owner(owner.id, &update, &audit)?)
    }

    /// Grants or revokes admin (admins only; the last admin stays).
    pub fn set_admin(&self, name: &str, admin: bool) -> Result<Owner, Error> {
        let owner = self.store().owner(name)?;
        self.require(Action::ManageOwners)?;
        let verb = if admin {
            "granted admin to"
        } else {
            "revoked admin from"
        };
        let audit = self.entry(
            Some(Action::ManageOwners),
            AuditAction::AdminChange,
            None,
            format!("{verb} {}", owner.name),
        );
        let update = OwnerUpdate {
            admin: Some(admin),
            ..OwnerUpdate::default()
        };
        Ok(self.store().update_owner(owner.id, &update, &audit)?)
    }

    /// Makes a group (admins only).
    pub fn add_group(&self, name: &str) -> Result<Group, Error> {
        let name = Name::parse("group name", name)?;
        self.require(Action::ManageGroups)?;
        let audit = self.entry(
            Some(Action::ManageGroups),
            AuditAction::GroupAdd,
            None,
            format!("made group {name}"),
        );
        Ok(self.store().add_group(&name, &audit)?)
    }

    /// Every group with its members, by name.
    pub fn groups(&self) -> Result<Vec<Group>, Error> {
        Ok(self.store().groups()?)
    }

    /// Adds (`member`) or removes an owner from a group (admins only).
    pub fn set_member(&self, group: &str, owner: &str, member: bool) -> Result<Group, Error> {
        let group = self.store().group(group)?;
        let owner = self.store().owner(owner)?;
        self.require(Action::ManageGroups)?;
        let detail = if member {
            format!("added {} to group {}", owner.name, group.name)
        } else {
            format!("removed {} from group {}", owner.name, group.name)
        };
        let audit = self.entry(
            Some(Action::ManageGroups),
            AuditAction::GroupMembers,
            None,
            detail,
        );
        Ok(self
            .store()
            .set_membership(group.id, owner.id, member, &audit)?)
    }
}
