//! What can stop a project's configuration from being written as a kas file.

use std::path::PathBuf;

use crate::conf::ConfError;
use crate::remedy::{CommandLine, Remedy, Wording, option};

/// Why a kas file cannot be written for a configuration. Each says which layer or variable
/// is at fault; [`KasOutError::hint`] says what to do.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KasOutError {
    /// A variable (or the packages line) that cannot go into kas's `local.conf` text so
    /// that BitBake reads it back unchanged.
    #[error("cannot write variable {name} into the kas file's local.conf text: {source}")]
    Variable {
        /// The variable (`IMAGE_INSTALL:append` for the packages).
        name: String,
        /// Why.
        source: ConfError,
    },
    /// A local layer (or BitBake checkout) whose directory is relative: kas would look for
    /// it under its work directory instead.
    #[error("layer `{layer}`: its directory {} is relative, and kas would look for it under KAS_WORK_DIR instead", path.display())]
    RelativePath {
        /// The layer (`bitbake` for the BitBake checkout).
        layer: String,
        /// Its directory.
        path: PathBuf,
    },
    /// A local directory whose name is not UTF-8, which a kas file (YAML) cannot hold.
    #[error("layer `{layer}`: its directory {} is not valid UTF-8, which a kas file cannot hold", path.display())]
    NonUtf8Path {
        /// The layer (`bitbake` for the BitBake checkout).
        layer: String,
        /// Its directory.
        path: PathBuf,
    },
    /// A git layer's subdirectory that is absolute or climbs out of its repository.
    #[error(
        "layer `{layer}`: its subdirectory `{subdir}` is not a directory inside its repository"
    )]
    Subdir {
        /// The layer (`bitbake` for BitBake).
        layer: String,
        /// The subdirectory (shortened).
        subdir: String,
    },
    /// A recorded commit that is not a full commit id, which kas cannot check out.
    #[error(
        "layer `{layer}`: the recorded commit `{commit}` is not a full commit id (40 or 64 hex digits)"
    )]
    Commit {
        /// The layer (`bitbake` for BitBake).
        layer: String,
        /// The commit as recorded (shortened).
        commit: String,
    },
    /// A git layer with neither a recorded commit nor a ref: kas needs one of them.
    #[error(
        "layer `{layer}` from {url} has neither a recorded commit nor a branch, tag or commit to check out"
    )]
    NoRevision {
        /// The layer (`bitbake` for BitBake).
        layer: String,
        /// Its repository (shortened).
        url: String,
    },
}

impl KasOutError {
    /// What to do next.
    pub fn hint(&self) -> String {
        self.hint_in(&CommandLine)
    }

    /// What to do next, naming each remedy in `words` (a frontend's own).
    pub fn hint_in(&self, words: &dyn Wording) -> String {
        match self {
            KasOutError::Variable { source, .. } => source
                .hint()
                .unwrap_or_else(|| "change the variable's value".to_owned()),
            KasOutError::RelativePath { layer, .. } => format!(
                "add the layer again by its absolute directory (remove `{layer}`, then `{}`)",
                words.remedy(&Remedy::AddLocalLayer {
                    path: "/ABSOLUTE/DIR"
                })
            ),
            KasOutError::NonUtf8Path { .. } => {
                "move or link the directory to a path whose name is UTF-8, then add the layer again from there"
                    .to_owned()
            }
            KasOutError::Subdir { .. } => format!(
                "add the layer again with {} naming a directory inside the repository, such as `meta`",
                words.remedy(&option("subdir"))
            ),
            KasOutError::Commit { .. } | KasOutError::NoRevision { .. } => format!(
                "fetch the project's layers again (`{}`; for BitBake `{}`) so the commit is recorded, then export again",
                words.remedy(&Remedy::UpdateLayers { project: None }),
                words.remedy(&Remedy::UpdateBitbake { project: None })
            ),
        }
    }
}
