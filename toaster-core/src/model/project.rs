use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::{Name, OwnerId, ProjectId, Release, RevisionNumber, Timestamp};

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
}
