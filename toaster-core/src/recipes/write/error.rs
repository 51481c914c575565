//! What can go wrong writing a recipe or the own layer's `layer.conf`.

use crate::conf::ConfError;

/// Why a recipe or a layer configuration could not be written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RecipeWriteError {
    /// A recipe name BitBake would not accept as a file name.
    #[error(
        "`{name}` is not a valid recipe name: {reason}; use lowercase letters, digits, `+`, `-` and `.`, starting with a letter or digit (e.g. `libfoo`)"
    )]
    InvalidName {
        /// The name given.
        name: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A version that cannot stand after the `_` of a recipe file name.
    #[error(
        "`{version}` is not a valid recipe version: {reason}; use letters, digits, `.`, `+`, `~` and `-` (e.g. `1.2.3` or `1.0+git`)"
    )]
    InvalidVersion {
        /// The version given.
        version: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A project name that gives no usable layer collection name.
    #[error("project `{project}` cannot name its own layer: {reason}; {hint}")]
    InvalidProject {
        /// The project name.
        project: String,
        /// What is wrong with it.
        reason: String,
        /// What to do.
        hint: String,
    },
    /// A value of the source (URL, branch, revision, checksum, path) the recipe cannot hold.
    #[error("cannot write {field} `{value}` into the recipe: {reason}; {hint}")]
    InvalidSource {
        /// Which value (`SRC_URI`, `SRCREV`, a licence file path, …).
        field: &'static str,
        /// The value, shortened.
        value: String,
        /// What is wrong with it.
        reason: String,
        /// What to do.
        hint: String,
    },
    /// A value BitBake could not read back safely (quotes, `${@…}`, line breaks).
    #[error(
        "cannot write {variable} safely: {source}; fix the value in the sources or the request and import again"
    )]
    Unsafe {
        /// The variable.
        variable: String,
        /// What the quoting refused.
        #[source]
        source: ConfError,
    },
}

impl RecipeWriteError {
    /// An [`RecipeWriteError::InvalidSource`].
    pub(super) fn source(
        field: &'static str,
        value: &str,
        reason: impl Into<String>,
        hint: impl Into<String>,
    ) -> RecipeWriteError {
        RecipeWriteError::InvalidSource {
            field,
            value: crate::model::shorten(value),
            reason: reason.into(),
            hint: hint.into(),
        }
    }
}
