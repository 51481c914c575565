use std::path::PathBuf;

use crate::model::ModelError;
use crate::remedy::{CommandLine, Remedy, Wording, option};

/// What went wrong recording or reading an artifact.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ArtifactError {
    /// A record broke a rule (an absolute path, `..`, a bad checksum).
    #[error(transparent)]
    Invalid(#[from] ModelError),
    /// The file, or the directory it was recorded in, is gone.
    #[error("{} is gone (deleted or moved after the build)", path.display())]
    Missing {
        /// What was looked for.
        path: PathBuf,
    },
    /// The path leads out of the directory the artifact was recorded in (through a link).
    #[error("{path} leads out of {} (through a symbolic link)", dir.display())]
    Outside {
        /// The directory it must stay in.
        dir: PathBuf,
        /// The path inside it.
        path: String,
    },
    /// It is not a regular file.
    #[error("{} is {kind}, not a regular file", path.display())]
    NotAFile {
        /// The file.
        path: PathBuf,
        /// What it is.
        kind: &'static str,
    },
    /// Its size or checksum is not what the build recorded: it changed since.
    #[error(
        "{} changed since the build recorded it: {size} bytes with SHA-256 {sha256}, recorded {expected_size} bytes with SHA-256 {expected_sha256}",
        path.display()
    )]
    Changed {
        /// The file.
        path: PathBuf,
        /// The recorded size.
        expected_size: u64,
        /// The recorded checksum.
        expected_sha256: String,
        /// Its size now.
        size: u64,
        /// Its checksum now.
        sha256: String,
    },
    /// The zip file of an archive is unsafe or damaged.
    #[error(transparent)]
    Archive(#[from] super::archive::ArchiveError),
    /// A zip file that is not a Toaster build archive.
    #[error("{} is not a Toaster build archive: {reason}", path.display())]
    NotABuildArchive {
        /// The file.
        path: PathBuf,
        /// Why not.
        reason: String,
    },
    /// A build archive of a format version this Toaster does not read.
    #[error("{} is a build archive of format version {version}; this Toaster reads version 1", path.display())]
    ArchiveVersion {
        /// The file.
        path: PathBuf,
        /// The version it says.
        version: String,
    },
    /// Reading or writing failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

impl ArtifactError {
    /// What the user can do about it.
    pub fn hint(&self) -> Option<String> {
        self.hint_in(&CommandLine)
    }

    /// What to do next, naming each remedy in `words` (a frontend's own).
    pub fn hint_in(&self, words: &dyn Wording) -> Option<String> {
        let archive = || words.remedy(&Remedy::ArchiveBuild);
        Some(match self {
            ArtifactError::Invalid(_) => return None,
            ArtifactError::Missing { .. } => format!(
                "the build directory was cleaned or the file deleted: download it from the build's archive (`{}`) if it has one",
                archive()
            ),
            ArtifactError::Outside { .. } => {
                "an artifact is read inside the directory it was recorded in only; copy the file there if it is genuine".to_owned()
            }
            ArtifactError::NotAFile { .. } => "only regular files are artifacts".to_owned(),
            ArtifactError::Changed { .. } => format!(
                "a later build or someone else changed it; pass {} to take it as it is now",
                words.remedy(&option("force"))
            ),
            ArtifactError::Io { .. } => "check the file's permissions and the disk".to_owned(),
            ArtifactError::Archive(e) => return e.hint().map(|h| h.to_string()),
            ArtifactError::NotABuildArchive { .. } => {
                format!("give a zip written by `{}`", archive())
            }
            ArtifactError::ArchiveVersion { .. } => {
                "import it with the Toaster-rs version that wrote it, or a newer one".to_owned()
            }
        })
    }

    pub(crate) fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> ArtifactError {
        let path = path.into();
        move |source| ArtifactError::Io { path, source }
    }
}
