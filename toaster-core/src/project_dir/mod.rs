//! The project directory on disk: created empty and marked for a project, never inside or
//! around another project's, locked while its files are written, and removed only when it
//! still carries that mark, through a handle held from the check to the removal.

mod clean;
mod discovery;
mod empty;
mod error;
mod lock;
mod marker;
mod open;
mod own_layer;
mod place;
mod prepare;
mod removal;

pub(crate) use clean::{BITBAKE_LOCK, clean_tmp};
pub use discovery::MarkedDir;
pub(crate) use discovery::find_marked;
pub use error::ProjectDirError;
pub(crate) use lock::ConfLock;
pub use marker::MARKER;
pub(crate) use own_layer::{ensure_own_layer, own_layer_dir, own_layer_name, write_new};
pub(crate) use place::OtherProject;
pub(crate) use prepare::prepare;
pub(crate) use removal::Removal;

#[cfg(test)]
mod tests;
