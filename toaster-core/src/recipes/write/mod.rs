//! Writing recipes for imported sources, and the project's own layer that holds them.
//!
//! A recipe is written from what the source analysis found ([`crate::recipes::facts`]) and
//! where the sources come from ([`SourceOrigin`]), following the conventions of the release
//! series it is for (`S` under `${UNPACKDIR}` from styhead on, the git checkout directory,
//! the Python build classes each series has). Every value goes through
//! [`crate::conf::quote`], so nothing from the sources can inject a statement or inline
//! Python. A licence is never guessed: when one is not recognised the recipe carries a
//! placeholder `LICENSE` and BitBake skips it until someone fills it in.

mod build;
mod error;
mod layer;
mod licence;
mod names;
mod origin;
mod recipe;
mod series;
mod text;

#[cfg(test)]
mod tests;

use std::path::PathBuf;

use crate::model::Release;
use crate::recipes::facts::SourceFacts;

pub use error::RecipeWriteError;
pub use layer::own_layer_conf;
#[cfg(test)]
pub use licence::LICENCE_PLACEHOLDER;
pub use names::recipe_path;
pub use recipe::write_recipe;

/// Where a recipe's sources come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceOrigin {
    /// A tarball: SRC_URI keeps the URL (or file:// path) with its sha256; `subdir` is the
    /// single top directory inside it, if any.
    Tarball {
        /// The URL, or the absolute path of a local tarball.
        url: String,
        /// The tarball's SHA-256, in hexadecimal.
        sha256: String,
        /// The single directory at the top of the tarball, if there is one.
        subdir: Option<String>,
    },
    /// A git repository: SRC_URI with protocol and branch, SRCREV pinned.
    Git {
        /// The repository's URL (https, ssh, git, file, `user@host:path` or a path).
        url: String,
        /// The branch that holds `rev`.
        branch: String,
        /// The full commit id.
        rev: String,
    },
    /// An external source tree used where it is (externalsrc).
    Path {
        /// The absolute path of the tree.
        dir: PathBuf,
    },
}

/// What to write a recipe for.
#[derive(Debug, Clone, Copy)]
pub struct RecipeRequest<'a> {
    /// The recipe name (`PN`).
    pub name: &'a str,
    /// The version (`PV`).
    pub version: &'a str,
    /// What the source analysis found.
    pub facts: &'a SourceFacts,
    /// Where the sources come from.
    pub origin: &'a SourceOrigin,
    /// The release series the recipe is written for.
    pub release: Release,
}
