//! `toaster`: the command line of Toaster-rs. Parsing, output and exit codes only; every
//! rule lives in `toaster-core`.

mod args;
mod commands;
mod context;
mod junit;
mod output;
mod progress;
mod terminal;

use std::process::ExitCode;

use clap::Parser;
use toaster_core::ErrorKind;

use crate::args::{Cli, Command};
use crate::commands::Failure;
use crate::context::Context;
use crate::output::Output;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let ctx = Context {
        db: cli.db,
        acting: cli.acting,
        schema: cli.schema,
    };
    let out = Output::new(cli.json);
    let outcome = match cli.command {
        Command::Owner(command) => commands::owner::run(&ctx, &out, command),
        Command::Project(command) => commands::project::run(&ctx, &out, command),
        Command::Config(command) => commands::config::run(&ctx, &out, command),
        Command::Build(command) => commands::build::run(&ctx, &out, command),
        Command::Group(command) => commands::group::run(&ctx, &out, command),
        Command::Audit(args) => commands::audit::run(&ctx, &out, args),
        Command::Conf(command) => commands::conf::run(&ctx, &out, command),
        Command::Layer(command) => commands::layer::run(&ctx, &out, command),
        Command::Bitbake(command) => commands::bitbake::run(&ctx, &out, command),
        Command::Runner(args) => commands::runner::run(&ctx, &out, args),
        Command::Hook(command) => commands::hook::run(&ctx, &out, command),
        Command::Settings(command) => commands::settings::run(&ctx, &out, command),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Core(e)) => {
            eprintln!("error: {}", terminal::escape_lines(&e.to_string()));
            if let Some(hint) = e.hint() {
                eprintln!("hint: {}", terminal::escape_lines(&hint));
            }
            ExitCode::from(exit_code(e.kind()))
        }
        Err(Failure::BuildDidNotSucceed) => ExitCode::from(1),
        Err(Failure::Output(e)) => {
            eprintln!("error: could not write the output: {e}");
            ExitCode::from(3)
        }
    }
}

/// The documented exit code of each kind of error (see `toaster --help`).
fn exit_code(kind: ErrorKind) -> u8 {
    match kind {
        ErrorKind::NotFound
        | ErrorKind::AlreadyExists
        | ErrorKind::Invalid
        | ErrorKind::Conflict
        | ErrorKind::Denied
        | ErrorKind::Database => 1,
        ErrorKind::Internal => 3,
        ErrorKind::Busy => 4,
    }
}
