//! Layers: where they come from (a local directory, or a git repository at a requested
//! ref, cloned into the project's `layers/` directory with git2), what their
//! `conf/layer.conf` declares, and the checks made when a project's layers change
//! (dependencies with versions, release-series compatibility, cycles, the order BitBake
//! reads them in).
//!
//! A clone's local work is never thrown away: a checkout that would overwrite or hide
//! uncommitted changes or unpublished commits is refused and the clone left as it was.
//! A git layer's files are read only inside its repository (links leading out, and
//! includes of files outside, are refused), and a layer's path must be UTF-8.
//!
//! Remotes are fetched over https (system CAs, the proxy git would use, the git credential
//! helper) and ssh (the ssh agent, then `~/.ssh/id_ed25519`, `id_ecdsa`, `id_rsa`; host keys
//! checked against `~/.ssh/known_hosts` by libgit2, unknown hosts refused).

mod credentials;
mod depends;
mod discover;
mod error;
mod facts;
mod fetch_failure;
mod git;
mod import;
mod provides;
mod recipe_file;
mod resolve;
mod source;
mod sync;
mod update;
pub(crate) mod url;
mod version;

#[cfg(test)]
pub(crate) use depends::parse as parse_dependencies;
pub use error::{Dependent, LayerError, Missing};
pub(crate) use facts::read;
pub use fetch_failure::FetchFailure;
pub use git::Transfer;
pub(crate) use git::{ClonedRepo, Progress};
pub(crate) use import::import;
pub(crate) use provides::{core_series, layer_values};
pub(crate) use recipe_file::recipe_file;
pub use resolve::Options;
pub(crate) use resolve::{plan_add, plan_remove, plan_update};
pub use source::LayerRequest;
#[cfg(test)]
pub(crate) use source::Prepared;
pub(crate) use source::{check_name, check_ref, check_subdir, check_url, prepare};
pub(crate) use sync::{check_out_recorded, copy_clones, ready_for_build};
pub(crate) use update::{update, with_facts};

#[cfg(test)]
mod confinement_tests;
#[cfg(any(test, feature = "test-support"))]
pub mod test_repos;
#[cfg(test)]
mod tests;
