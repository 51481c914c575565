//! A configuration revision, and what changed between two, as frontends show them.

use serde::Serialize;

use crate::model::{ConfigDifference, Revision};

/// One revision, as `project history --json` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RevisionView {
    /// Its number.
    pub revision: u32,
    /// Who made it.
    pub author: String,
    /// When (RFC 3339).
    pub created_at: String,
    /// What it changed.
    pub description: String,
    /// The revision it brought back (undo, revert), if any.
    pub restores: Option<u32>,
}

impl From<&Revision> for RevisionView {
    fn from(revision: &Revision) -> RevisionView {
        RevisionView {
            revision: revision.number.0,
            author: revision.author.to_string(),
            created_at: revision.created_at.to_rfc3339(),
            description: revision.description.clone(),
            restores: revision.restores.map(|r| r.0),
        }
    }
}

/// What changed from one revision to another, as `project diff --json` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiffView {
    /// The project.
    pub project: String,
    /// The revision compared from.
    pub from: u32,
    /// The revision compared to.
    pub to: u32,
    /// Each key whose value differs (`key`, `before`, `after`).
    pub differences: Vec<ConfigDifference>,
}
