//! BitBake configuration files: a lossless reader and writer, safe quoting, an evaluator for
//! the plain cases, and the conf files Toaster generates for a project.
//!
//! Reading keeps every byte: [`ConfFile::parse`] then [`ConfFile::text`] gives back the input
//! exactly. It refuses what BitBake refuses (and NUL bytes), with file, line and a hint.
//! Edits rewrite only the statements they change, in the shapes `bitbake-layers` writes.

mod datastore;
mod error;
mod eval;
mod file;
mod quote;
mod statement;
mod text;

pub use datastore::Datastore;
pub use error::{ConfError, Unrepresentable};
pub use eval::{evaluate, values};
pub use file::{ConfFile, Item, ItemKind, MAX_SIZE};
pub use quote::{check as check_value, check_word, quote};
pub use statement::{Assignment, IncludeKind, Op, Problem, Statement};
