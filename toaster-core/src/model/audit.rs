use std::fmt;

use serde::{Deserialize, Serialize};

use super::{Action, ModelError, Name, OwnerId, ProjectId, Timestamp};

/// What an audit entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AuditAction {
    /// An owner was added.
    OwnerAdd,
    /// An owner was renamed or their e-mail address changed.
    OwnerEdit,
    /// An owner became an admin, or stopped being one.
    AdminChange,
    /// A group was made.
    GroupAdd,
    /// A group's members changed.
    GroupMembers,
    /// A project was created (or cloned).
    ProjectCreate,
    /// A project was deleted.
    ProjectDelete,
    /// A project's configuration changed (set, undo, revert, reset).
    ConfigChange,
    /// A project's owner, group or mode changed.
    PermissionChange,
    /// The instance's default mode changed.
    DefaultModeChange,
    /// A build started, was imported, or was queued for a runner.
    BuildStart,
    /// A build was hidden or shown again.
    BuildHide,
    /// A build was deleted.
    BuildDelete,
    /// Someone asked to cancel a build.
    BuildCancel,
    /// An instance setting changed.
    SettingChange,
    /// A build was archived (or its archive forgotten).
    BuildArchive,
    /// A project's build directory was cleaned (its `tmp/` removed).
    ProjectClean,
    /// An owner made a sign-in token.
    TokenCreate,
    /// An owner revoked a sign-in token.
    TokenRevoke,
}

impl AuditAction {
    const NAMES: [(AuditAction, &'static str); 19] = [
        (AuditAction::OwnerAdd, "owner.add"),
        (AuditAction::OwnerEdit, "owner.edit"),
        (AuditAction::AdminChange, "owner.admin"),
        (AuditAction::GroupAdd, "group.add"),
        (AuditAction::GroupMembers, "group.members"),
        (AuditAction::ProjectCreate, "project.create"),
        (AuditAction::ProjectDelete, "project.delete"),
        (AuditAction::ConfigChange, "config.change"),
        (AuditAction::PermissionChange, "project.permissions"),
        (AuditAction::DefaultModeChange, "instance.default_mode"),
        (AuditAction::BuildStart, "build.start"),
        (AuditAction::BuildHide, "build.hide"),
        (AuditAction::BuildDelete, "build.delete"),
        (AuditAction::BuildCancel, "build.cancel"),
        (AuditAction::SettingChange, "instance.setting"),
        (AuditAction::BuildArchive, "build.archive"),
        (AuditAction::ProjectClean, "project.clean"),
        (AuditAction::TokenCreate, "owner.token.create"),
        (AuditAction::TokenRevoke, "owner.token.revoke"),
    ];

    /// The stable name stored and shown (`project.create`).
    pub fn as_str(self) -> &'static str {
        Self::NAMES
            .iter()
            .find(|(action, _)| *action == self)
            .map_or("unknown", |(_, name)| name)
    }

    /// The action of a stored name.
    pub fn parse(name: &str) -> Result<AuditAction, ModelError> {
        Self::NAMES
            .iter()
            .find(|(_, n)| *n == name)
            .map(|(action, _)| *action)
            .ok_or_else(|| {
                let known: Vec<&str> = Self::NAMES.iter().map(|(_, n)| *n).collect();
                ModelError::invalid(
                    "audit action",
                    name,
                    "it is not known",
                    format!("use one of {}", known.join(", ")),
                )
            })
    }
}

impl fmt::Display for AuditAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One line of the append-only audit log: who did what, when, from which client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// Its position in the log.
    pub id: i64,
    /// When.
    pub at: Timestamp,
    /// Who: their key (none only for entries of owners since removed), and name at the time.
    pub owner_id: Option<OwnerId>,
    /// Who (their name at the time).
    pub owner: Name,
    /// From which client.
    pub client: String,
    /// What kind of change.
    pub action: AuditAction,
    /// The project it concerned, if any, by its key (kept after the project is deleted).
    pub project_id: Option<ProjectId>,
    /// That project's name at the time.
    pub project: Option<Name>,
    /// What changed, in a line.
    pub detail: String,
}

/// An audit entry to write together with the change it records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAudit {
    /// Who acts; `None` only for the first owner, who adds themself.
    pub owner: Option<OwnerId>,
    /// Their name.
    pub owner_name: Name,
    /// From which client.
    pub client: String,
    /// What kind of change.
    pub action: AuditAction,
    /// The project's name, if the change concerns one.
    pub project: Option<Name>,
    /// What changed.
    pub detail: String,
    /// The right the acting owner must still hold when the change is written: the store
    /// checks it in the change's transaction, so a right revoked since the caller looked
    /// is never used. `None` for changes anyone may make (creating a project, adding the
    /// first owner).
    pub requires: Option<Action>,
}

/// Which audit entries to read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// Only entries about the project of this name.
    pub project: Option<String>,
    /// Only entries made by the owner of this name.
    pub owner: Option<String>,
    /// Only entries at or after this time.
    pub since: Option<Timestamp>,
    /// At most this many, newest first.
    pub limit: Option<u32>,
    /// Only entries this owner made or that concern these projects (what a non-admin may
    /// see); `None` for every entry.
    pub visible_to: Option<(OwnerId, Vec<ProjectId>)>,
}
