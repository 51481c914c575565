//! A project as frontends show it.

use serde::Serialize;

use super::WarningView;
use crate::ClonedProject;
use crate::model::Project;

/// A project, as `project list|show --json` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProjectView {
    /// Its name.
    pub name: String,
    /// Its directory.
    pub dir: String,
    /// Its Yocto release.
    pub release: String,
    /// Its owner's name.
    pub owner: String,
    /// The group it is shared with, if any.
    pub group: Option<String>,
    /// Who may do what (`rwxr-x---`).
    pub mode: String,
    /// When it was made (RFC 3339).
    pub created_at: String,
    /// Its newest configuration revision.
    pub revision: u32,
}

impl From<&Project> for ProjectView {
    fn from(project: &Project) -> ProjectView {
        ProjectView {
            name: project.name.to_string(),
            dir: project.dir.display().to_string(),
            release: project.release.to_string(),
            owner: project.owner_name.to_string(),
            group: project.group_name.as_ref().map(ToString::to_string),
            mode: project.mode.to_string(),
            created_at: project.created_at.to_rfc3339(),
            revision: project.head.0,
        }
    }
}

/// A project made by `project clone`: the project, and what could not be copied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClonedView {
    /// The new project.
    #[serde(flatten)]
    pub project: ProjectView,
    /// Layer clones that could not be copied.
    pub warnings: Vec<WarningView>,
}

impl From<&ClonedProject> for ClonedView {
    fn from(cloned: &ClonedProject) -> ClonedView {
        ClonedView {
            project: ProjectView::from(&cloned.project),
            warnings: cloned.warnings.iter().map(WarningView::from).collect(),
        }
    }
}
