use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{
    GroupId, Mode, ModelError, Name, OwnerId, ProjectId, Release, RevisionNumber, Timestamp,
};

/// A BitBake project: a directory on disk, a release series, an owner and a revisioned
/// configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Project {
    /// The store's key.
    pub id: ProjectId,
    /// Unique name (case-insensitive).
    pub name: Name,
    /// The project directory (absolute); the build directory lives inside it.
    pub dir: PathBuf,
    /// The Yocto release series it builds for.
    pub release: Release,
    /// Who owns it.
    pub owner: OwnerId,
    /// The owner's name, for display.
    pub owner_name: Name,
    /// The group it shares rights with, if any.
    pub group: Option<GroupId>,
    /// That group's name, for display.
    pub group_name: Option<Name>,
    /// Who may do what.
    pub mode: Mode,
    /// When it was created.
    pub created_at: Timestamp,
    /// The number of its newest configuration revision.
    pub head: RevisionNumber,
}

impl Project {
    /// The BitBake build directory inside the project directory (`TOPDIR`).
    pub fn build_dir(&self) -> PathBuf {
        self.dir.join("build")
    }
}

/// Checks a project directory as given: the store keeps paths as text, so its path must
/// be UTF-8.
pub fn check_project_dir(dir: &Path) -> Result<(), ModelError> {
    match dir.to_str() {
        Some(_) => Ok(()),
        None => Err(ModelError::invalid(
            "project directory",
            &dir.to_string_lossy(),
            "its path is not UTF-8 text",
            "choose a directory whose path is UTF-8 text: Toaster keeps paths as text",
        )),
    }
}

/// What it takes to create a project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewProject {
    /// Unique name.
    pub name: Name,
    /// The project directory (absolute).
    pub dir: PathBuf,
    /// The release series.
    pub release: Release,
    /// Who will own it.
    pub owner: OwnerId,
    /// The group it will share rights with, if any.
    pub group: Option<GroupId>,
    /// Who may do what.
    pub mode: Mode,
}

/// A project's owner, group and mode, as `chown`, `chgrp` and `chmod` set them together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProjectAccess {
    /// The owner.
    pub owner: OwnerId,
    /// The group, if any.
    pub group: Option<GroupId>,
    /// The rights.
    pub mode: Mode,
}
