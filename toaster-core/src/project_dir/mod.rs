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

pub use clean::{BITBAKE_LOCK, Cleaned, clean_tmp};
pub use discovery::{MarkedDir, find_marked};
pub use error::ProjectDirError;
pub use lock::ConfLock;
pub use marker::MARKER;
pub use own_layer::{ensure_own_layer, own_layer_dir, own_layer_name, write_new};
pub use place::OtherProject;
pub use prepare::{PreparedDir, prepare};
pub use removal::Removal;

#[cfg(test)]
mod tests;
