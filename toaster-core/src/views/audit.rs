//! An audit entry as frontends show it.

use serde::Serialize;

use crate::model::AuditEntry;

/// An audit entry, as `audit --json` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditView {
    /// Its number.
    pub id: i64,
    /// When it happened (RFC 3339).
    pub at: String,
    /// Who did it.
    pub owner: String,
    /// From which client.
    pub client: String,
    /// What was done (`config_change`, …).
    pub action: &'static str,
    /// The project it concerned, if any.
    pub project: Option<String>,
    /// What exactly.
    pub detail: String,
}

impl From<&AuditEntry> for AuditView {
    fn from(entry: &AuditEntry) -> AuditView {
        AuditView {
            id: entry.id,
            at: entry.at.to_rfc3339(),
            owner: entry.owner.to_string(),
            client: entry.client.clone(),
            action: entry.action.as_str(),
            project: entry.project.as_ref().map(ToString::to_string),
            detail: entry.detail.clone(),
        }
    }
}
