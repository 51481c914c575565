use std::path::PathBuf;

use crate::artifacts::archive::ArchiveError;
use crate::remedy::{CommandLine, Remedy, Wording, option};

/// What went wrong writing or reading a project bundle.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BundleError {
    /// The zip itself is unsafe or damaged.
    #[error(transparent)]
    Archive(#[from] ArchiveError),
    /// A zip that is not a Toaster project bundle.
    #[error("{} is not a Toaster project bundle: {reason}", path.display())]
    NotABundle {
        /// The file.
        path: PathBuf,
        /// Why not.
        reason: String,
    },
    /// A bundle of a format version this Toaster does not read.
    #[error("{} is a project bundle of format version {version}; this Toaster reads version 1", path.display())]
    Version {
        /// The file.
        path: PathBuf,
        /// The version it says.
        version: String,
    },
    /// A value of the manifest that a project cannot take.
    #[error("{} : {field} is refused: {reason}", path.display())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// Which field (`config.variables.FOO`, `layers[2].subdir`).
        field: String,
        /// Why.
        reason: String,
    },
    /// A local layer too large (or with too many files) to put in a bundle.
    #[error("local layer {layer} is too large to include: {reason}")]
    TooLarge {
        /// The layer.
        layer: String,
        /// What limit it passed.
        reason: String,
    },
    /// Reading or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

impl BundleError {
    /// What the user can do about it.
    pub fn hint(&self) -> Option<String> {
        self.hint_in(&CommandLine)
    }

    /// What to do next, naming each remedy in `words` (a frontend's own).
    pub fn hint_in(&self, words: &dyn Wording) -> Option<String> {
        Some(match self {
            BundleError::Archive(e) => return e.hint(),
            BundleError::NotABundle { .. } | BundleError::Invalid { .. } => format!(
                "give a file written by `{}`, unchanged",
                words.remedy(&Remedy::ExportBundle)
            ),
            BundleError::Version { .. } => {
                "import it with the Toaster-rs version that wrote it, or a newer one".to_owned()
            }
            BundleError::TooLarge { .. } => format!(
                "keep the layer in git and add it with `{}`, or export without {}",
                words.remedy(&Remedy::AddGitLayer),
                words.remedy(&option("with-local-layers"))
            ),
            BundleError::Io { .. } => return None,
        })
    }
}
