//! What source analysis reports when it cannot look at a tree at all.

use std::path::PathBuf;

/// Everything analysing a source refuses. Doubtful facts are not errors: they become notes.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FactsError {
    /// The path given is not a directory (or does not exist).
    #[error("{} is not a directory: give the unpacked source tree", path.display())]
    NotADirectory {
        /// The path given.
        path: PathBuf,
    },
    /// Reading a file or listing a directory inside the tree failed.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

impl FactsError {
    /// What the user can do about it.
    pub fn hint(&self) -> Option<String> {
        Some(
            match self {
                FactsError::NotADirectory { .. } => {
                    "unpack the sources first and give the directory that holds the top-level build files"
                }
                FactsError::Io { .. } => {
                    "check the file's permissions (the analysis only reads), then run the import again"
                }
            }
            .to_owned(),
        )
    }

    /// Wraps an I/O error with the path it happened on.
    pub(crate) fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> FactsError {
        let path = path.into();
        move |source| FactsError::Io { path, source }
    }
}
