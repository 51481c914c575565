use serde::{Deserialize, Serialize};

use super::{Name, OwnerId, ProjectConfig, ProjectId, RevisionNumber, Timestamp};

/// One revision of a project's configuration: who changed what, when, and the whole
/// configuration that resulted. Revisions are never changed or removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revision {
    /// The project it belongs to.
    pub project: ProjectId,
    /// Its number within the project, from 1.
    pub number: RevisionNumber,
    /// Who made it.
    pub author: Name,
    /// When it was made.
    pub created_at: Timestamp,
    /// What changed, in a short line.
    pub description: String,
    /// The earlier revision whose configuration it restored (undo, revert), if any.
    pub restores: Option<RevisionNumber>,
    /// The whole configuration from this revision on.
    pub config: ProjectConfig,
}

impl Revision {
    /// The revision whose configuration is in effect at this one: the one it restored, or
    /// itself. Undo steps back from here.
    pub fn effective(&self) -> RevisionNumber {
        self.restores.unwrap_or(self.number)
    }
}

/// A revision about to be committed on top of a known head.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRevision {
    /// Who makes it.
    pub author: OwnerId,
    /// What changed.
    pub description: String,
    /// The revision whose configuration it restores, if any.
    pub restores: Option<RevisionNumber>,
    /// The whole new configuration.
    pub config: ProjectConfig,
}
