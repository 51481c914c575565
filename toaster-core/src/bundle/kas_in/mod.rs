//! Reading kas project files into a project configuration.
//!
//! [`read_kas`] reads a kas file (format versions 1 to 23, kas 5.4's) the way kas does and
//! returns what a project can hold of it, with a note for everything else. It writes
//! nothing and runs nothing: no clone, no git, no network.
//!
//! - **Files** (see `loader`): the file, its lock file `NAME.lock.EXT`, and its local
//!   `header.includes`, merged in kas's order with kas's merge (mappings key by key, later
//!   files win, a file wins over its includes). Includes from other repositories
//!   (`{repo, file}`) are noted, not followed. Includes stay inside the kas file's
//!   repository (its directory when in none): `..`, absolute paths and links leading out
//!   are refused, as are include cycles.
//! - **Bounds** (see [`limits`]): each file at most 1 MiB, 4 MiB and 64 files together,
//!   YAML nested at most 64 deep, at most 100 000 values and 8 MiB of text once aliases
//!   are expanded (a "billion laughs" document is refused while being read, in
//!   milliseconds).
//! - **Checks**: each file against kas's schema (keys and types; an unknown or newer
//!   `header.version` refused first); machine, distro and targets as `config set` checks
//!   them; repository ids, layer paths and refs as `layer add` checks them; URLs limited to
//!   plain git transports (no `ext::`).
//! - **Taken**: `machine`, `distro` (kas's defaults when absent, noted), `target` with
//!   `task`, `repos` (layers at their commit, branch or tag after `defaults` and
//!   `overrides`; BitBake from a repository `bitbake` or poky), `local_conf_header`
//!   (variables and packages, see `local_conf`). **Noted**: `env`, `bblayers_conf_header`,
//!   patches, signatures, `artifacts`, `buildtools`, `menu_configuration`, `build_system`
//!   other than OpenEmbedded, and every conf line a project cannot hold.
//!
//! The YAML crate is `saphyr-parser`, used event by event: pure Rust, no unsafe code, and
//! the tree is built here, so alias expansion, depth and size are bounded as the tree
//! grows (serde_yaml is unmaintained and expands aliases without bound).

mod confine;
mod error;
pub mod limits;
mod loader;
mod local_conf;
mod merge;
mod node;
mod project;
mod repo;
mod repos;
mod scalar;
mod schema;
mod source;
mod yaml;

#[cfg(test)]
mod tests;

use std::path::Path;

pub use error::{Budget, KasInError, MIN_VERSION, RepoProblem};

use crate::model::ProjectConfig;

/// A kas file read into a project configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KasImport {
    /// The project's configuration as the kas file describes it: machine, distro, targets
    /// (from `target` and `task`), variables and packages (from `local_conf_header`), the
    /// layers of its repositories (git layers at their ref and commit, local ones where
    /// they are), and BitBake when a repository provides it.
    pub config: ProjectConfig,
    /// Things read but not taken, or taken with a change of meaning, one line each,
    /// naming the file and key (`demo.yml: env: HTTP_PROXY noted, not imported: …`).
    pub notes: Vec<String>,
    /// The kas file's `header.version` (the highest of the files merged, as kas takes it).
    pub version: u32,
}

/// Reads the kas file `file` with its lock file and local includes. Fails, naming the file,
/// line and key, on anything kas would refuse, anything hostile (see the module
/// documentation), and values the project would refuse; writes nothing.
pub fn read_kas(file: &Path) -> Result<KasImport, KasInError> {
    let loaded = loader::load(file)?;
    let version = loaded
        .trees
        .iter()
        .map(schema::version)
        .max()
        .unwrap_or(MIN_VERSION);
    let mut notes = loaded.notes;
    let Some(merged) = merge::merge_all(loaded.trees) else {
        return Err(KasInError::NotAMapping {
            file: file.to_owned(),
            found: "nothing",
        });
    };
    let places = repos::Places {
        sources: &loaded.sources,
        dir: &loaded.dir,
        root: &loaded.root,
    };
    let config = project::project(&merged, &places, &mut notes)?;
    Ok(KasImport {
        config,
        notes,
        version,
    })
}
