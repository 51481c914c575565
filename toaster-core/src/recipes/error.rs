use std::path::PathBuf;

use crate::layers::LayerError;
use crate::remedy::{CommandLine, Wording, option};

/// What went wrong getting the sources of a recipe to import.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SourceError {
    /// The path given is not a directory.
    #[error("{} is not a directory", path.display())]
    NotADirectory {
        /// The path.
        path: PathBuf,
    },
    /// A file that is not a tar archive (plain or gzip).
    #[error("{} is not a tarball Toaster can unpack: {reason}", path.display())]
    NotATarball {
        /// The file.
        path: PathBuf,
        /// What the reader said.
        reason: String,
    },
    /// An entry of a tarball that is unsafe to unpack.
    #[error("{} holds `{entry}`, refused: {reason}", path.display())]
    UnsafeEntry {
        /// The tarball.
        path: PathBuf,
        /// The entry.
        entry: String,
        /// Why.
        reason: String,
    },
    /// A tarball with nothing in it.
    #[error("{} holds no files", path.display())]
    Empty {
        /// The tarball.
        path: PathBuf,
    },
    /// A tarball that could not be downloaded.
    #[error("cannot download {url}: {reason}")]
    Download {
        /// The URL.
        url: String,
        /// Why.
        reason: String,
    },
    /// A git repository that could not be fetched or checked out.
    #[error(transparent)]
    Git(#[from] LayerError),
    /// Neither the request nor the sources name the recipe.
    #[error("the sources do not say their name")]
    NoName,
    /// Reading or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

impl SourceError {
    /// What the user can do about it.
    pub fn hint(&self) -> Option<String> {
        self.hint_in(&CommandLine)
    }

    /// What to do next, naming each remedy in `words` (a frontend's own).
    pub fn hint_in(&self, words: &dyn Wording) -> Option<String> {
        let path = || words.remedy(&option("path"));
        Some(
            match self {
                SourceError::NotADirectory { .. } => {
                    return Some(format!("give the source tree's directory with {}", path()));
                }
                SourceError::NotATarball { .. } => {
                    return Some(format!(
                        "give a .tar or .tar.gz; unpack other archives yourself and use {}",
                        path()
                    ));
                }
                SourceError::UnsafeEntry { .. } | SourceError::Empty { .. } => {
                    "check where the tarball came from; nothing was imported"
                }
                SourceError::Download { .. } => {
                    "check the URL and the network, or download it and give its path"
                }
                SourceError::Git(e) => return e.hint(),
                SourceError::NoName => {
                    return Some(format!(
                        "name the recipe with {}",
                        words.remedy(&option("name"))
                    ));
                }
                SourceError::Io { .. } => return None,
            }
            .to_owned(),
        )
    }

    pub(crate) fn io(
        path: impl AsRef<std::path::Path>,
    ) -> impl FnOnce(std::io::Error) -> SourceError {
        let path = path.as_ref().to_owned();
        move |source| SourceError::Io { path, source }
    }
}
