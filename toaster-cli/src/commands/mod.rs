//! One module per command group; each turns parsed arguments into facade calls and output.

pub mod archive;
pub mod artifact;
pub mod audit;
pub mod bitbake;
pub mod build;
pub mod build_compare;
pub mod build_graph;
pub mod build_packages;
pub mod build_variables;
pub mod conf;
pub mod config;
pub mod db;
pub mod group;
pub mod hook;
pub mod host;
pub mod layer;
pub mod owner;
pub mod project;
pub mod recipe;
pub mod runner;
pub mod schema;
pub mod serve;
pub mod settings;
pub mod share;
pub mod status;
pub mod token;

use std::io;

/// Why a command failed.
pub enum Failure {
    /// The core refused or failed.
    Core(toaster_core::Error),
    /// Writing the output failed.
    Output(io::Error),
    /// A build waited for ended other than succeeded (already said in the output).
    BuildDidNotSucceed,
    /// `config get` of a key with no value (its JSON, value null, is already printed).
    KeyNotSet { project: String, key: String },
    /// The command line is wrong in a way clap cannot see (exit 2).
    Usage { message: String, hint: String },
    /// Where the command runs does not fit it (a marked directory of another database, an
    /// unreadable current directory): exit 1.
    User { message: String, hint: String },
}

impl From<toaster_core::Error> for Failure {
    fn from(e: toaster_core::Error) -> Failure {
        Failure::Core(e)
    }
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Failure {
        Failure::Output(e)
    }
}

/// What every command returns.
pub type Outcome = Result<(), Failure>;
