//! What a configuration change did, as frontends show it.

use serde::Serialize;

use super::{RevisionView, WarningView};
use crate::ChangeOutcome;

/// What a configuration change did, as every changing command prints it with `--json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChangeView {
    /// The project.
    pub project: String,
    /// False when the configuration already was that way.
    pub changed: bool,
    /// The project's newest revision after the change.
    #[serde(flatten)]
    pub revision: RevisionView,
    /// What was accepted but is worth a look.
    pub warnings: Vec<WarningView>,
}

impl ChangeView {
    /// The view of `outcome`, a change of `project`.
    pub fn new(project: &str, outcome: &ChangeOutcome) -> ChangeView {
        ChangeView {
            project: project.to_owned(),
            changed: outcome.changed,
            revision: RevisionView::from(&outcome.revision),
            warnings: outcome.warnings.iter().map(WarningView::from).collect(),
        }
    }
}
