//! Toaster-rs core: the domain of BitBake/Yocto build projects behind a storage trait.
//!
//! Frontends (the `toaster` command, the Python binding) call the [`Toaster`] facade only:
//! it opens a store, acts as an owner, and composes the modules below it.
//!
//! Module order (lower never imports higher): [`model`] → [`schema`] → [`conf`] → [`store`]
//! → [`project_dir`] → the facade ([`Toaster`], [`Actor`]).

pub mod conf;
pub mod model;
pub mod project_dir;
pub mod schema;
pub mod store;

mod error;
mod toaster;

pub use error::{Error, ErrorKind};
pub use toaster::{Actor, ChangeOutcome, Toaster};
