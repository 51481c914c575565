//! A build's artifacts, and copies of them, as frontends show them.

use serde::Serialize;

use crate::Downloaded;
use crate::model::ArtifactRecord;

/// A file a build made or read, as `build artifacts --json` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArtifactView {
    /// Its name, unique among the build's artifacts.
    pub name: String,
    /// What it is (`image`, `sdk`, `log`, …).
    pub kind: &'static str,
    /// Its size in bytes when recorded.
    pub size: u64,
    /// Its SHA-256 when recorded.
    pub sha256: Option<String>,
    /// Where the file is (its directory joined with its path there).
    pub path: String,
}

impl From<&ArtifactRecord> for ArtifactView {
    fn from(a: &ArtifactRecord) -> ArtifactView {
        ArtifactView {
            name: a.name.clone(),
            kind: a.kind.as_str(),
            size: a.size,
            sha256: a.sha256.clone(),
            path: a.location().display().to_string(),
        }
    }
}

/// An artifact copied out, as `build download --json` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DownloadView {
    /// The artifact's name.
    pub name: String,
    /// Where the copy is.
    pub path: String,
    /// Its size in bytes.
    pub size: u64,
    /// The SHA-256 of what was copied.
    pub sha256: String,
    /// Copied with `force` although it differs from the record.
    pub changed: bool,
    /// Copied from the build's archive.
    pub from_archive: bool,
}

impl From<&Downloaded> for DownloadView {
    fn from(d: &Downloaded) -> DownloadView {
        DownloadView {
            name: d.artifact.name.clone(),
            path: d.path.display().to_string(),
            size: d.copied.size,
            sha256: d.copied.sha256.clone(),
            changed: d.changed,
            from_archive: d.from_archive,
        }
    }
}
