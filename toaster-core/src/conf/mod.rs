//! BitBake configuration files: a lossless reader and writer, safe quoting, an evaluator for
//! the plain cases, and the conf files Toaster generates for a project.
//!
//! Reading keeps every byte: `ConfFile::parse` then `ConfFile::text` gives back the input
//! exactly. It refuses what BitBake refuses (and NUL bytes), with file, line and a hint; an
//! error quotes at most the offending token of a file the user named, and nothing of any
//! other file (an include, a layer's `layer.conf`). Only regular files are read.
//! Edits rewrite only the statements they change, in the shapes `bitbake-layers` writes.
//!
//! A project's build directory is `PROJECT/build`; Toaster writes `conf/toaster.conf`,
//! `conf/toaster-host.conf` and `conf/toaster-bblayers.conf` there and adds one include line
//! to `conf/local.conf` and `conf/bblayers.conf`.

use std::path::Path;

/// Checks that `NAME = "value"` can be written so that BitBake reads back exactly this
/// name and value (no injection, no old override syntax, a name BitBake accepts).
pub(crate) fn check_assignment(name: &str, value: &str) -> Result<(), ConfError> {
    ConfFile::empty(Path::new(TOASTER_CONF))
        .set(name, value)
        .map(|_| ())
        .map_err(|e| e.about_given(name))
}

/// Checks that what a project writes for the left-hand side `key` can be written so that
/// BitBake reads it back exactly (see [`ConfFile::append_variable`]).
pub(crate) fn check_variable(
    key: &str,
    variable: &crate::model::Variable,
) -> Result<(), ConfError> {
    ConfFile::empty(Path::new(TOASTER_CONF))
        .append_variable(key, variable)
        .map_err(|e| e.about_given(key))
}

mod build_dir;
mod datastore;
mod error;
mod eval;
mod excerpt;
mod file;
mod generate;
mod import;
mod include;
mod quote;
mod read;
mod statement;
mod text;

pub(crate) use build_dir::replace as replace_file;
pub(crate) use build_dir::write as write_build_conf;
pub(crate) use datastore::Datastore;
pub use datastore::KeyReplaced;
pub use error::{ConfError, Unrepresentable};
pub(crate) use eval::{Evaluation, apply, apply_within, evaluate, read_as_bitbake};
pub(crate) use file::ConfFile;
#[cfg(test)]
pub(crate) use generate::HOST_CONF;
pub(crate) use generate::{TOASTER_CONF, generate};
pub(crate) use import::{Imported, import};
pub(crate) use quote::{check as check_value, check_word, quote};
pub use statement::Problem;
pub(crate) use statement::{Assignment, Op, Statement};
