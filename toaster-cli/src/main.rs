//! `toaster`: the command line of Toaster-rs. Parsing, output and exit codes only; every
//! rule lives in `toaster-core`.

mod args;
mod commands;
mod context;
mod junit;
mod output;
mod progress;
mod project_choice;
mod terminal;

use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches};
use toaster_core::ErrorKind;

use crate::args::{Cli, Command};
use crate::commands::Failure;
use crate::context::Context;
use crate::output::Output;

fn main() -> ExitCode {
    let matches = match Cli::command().try_get_matches() {
        Ok(matches) => matches,
        Err(e) => usage_error(e),
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => usage_error(e),
    };
    let json = cli.json;
    let out = Output::new(json);
    let ctx = match Context::new(&matches, cli.db, cli.acting, cli.schema) {
        Ok(ctx) => ctx,
        Err(failure) => return report(None, json, failure),
    };
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
        Command::Serve(args) => commands::serve::run(&ctx, args),
        Command::Hook(command) => commands::hook::run(&ctx, &out, command),
        Command::Settings(command) => commands::settings::run(&ctx, &out, command),
        Command::Host(command) => commands::host::run(&ctx, &out, command),
        Command::Archive(command) => commands::archive::run(&ctx, &out, command),
        Command::Recipe(command) => commands::recipe::run(&ctx, &out, command),
        Command::Status => commands::status::run(&ctx, &out),
        Command::Db(command) => commands::db::run(&ctx, &out, command),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => report(Some(&ctx), json, failure),
    }
}

/// Says why a command failed, on standard error (and as JSON with `--json`), and gives its
/// exit code.
fn report(ctx: Option<&Context>, json: bool, failure: Failure) -> ExitCode {
    match failure {
        Failure::Core(e) => {
            let message = e.to_string();
            let hint = match ctx {
                Some(ctx) => ctx.hint(&e),
                None => e.hint(),
            };
            eprintln!("error: {}", terminal::escape_lines(&message));
            if let Some(hint) = &hint {
                eprintln!("hint: {}", terminal::escape_lines(hint));
            }
            let code = exit_code(e.kind());
            if json {
                output::error_json(&message, kind_name(e.kind()), hint.as_deref(), code);
            }
            ExitCode::from(code)
        }
        Failure::BuildDidNotSucceed => ExitCode::from(1),
        Failure::KeyNotSet { project, key } => {
            // With --json the document (value null) is already on stdout.
            eprintln!(
                "error: `{}` is not set in project {}",
                terminal::escape(&key),
                terminal::escape(&project)
            );
            eprintln!(
                "hint: `toaster config show {}` lists what is set",
                terminal::escape(&project)
            );
            ExitCode::from(1)
        }
        Failure::Usage { message, hint } => {
            eprintln!("error: {message}\nhint: {hint}");
            if json || json_in_args() {
                output::error_json(&message, "usage", Some(&hint), 2);
            }
            ExitCode::from(2)
        }
        Failure::User { message, hint } => {
            eprintln!("error: {message}\nhint: {hint}");
            if json {
                output::error_json(&message, "invalid", Some(&hint), 1);
            }
            ExitCode::from(1)
        }
        Failure::Output(e) => {
            eprintln!("error: could not write the output: {e}");
            ExitCode::from(3)
        }
    }
}

/// A command line clap refused (exit 2); with `--json` among the arguments, also as JSON.
fn usage_error(e: clap::Error) -> ! {
    // Help and version asked for exit 0 and print no error.
    if json_in_args() && e.exit_code() == 2 {
        let rendered = e.render().to_string();
        let message = match e.kind() {
            clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
                "the command is incomplete: a subcommand or argument is missing"
            }
            _ => rendered
                .lines()
                .next()
                .unwrap_or_default()
                .trim_start_matches("error: "),
        };
        output::error_json(
            message,
            "usage",
            Some("see `toaster --help`, or `--help` after the command"),
            2,
        );
    }
    e.exit()
}

/// Whether `--json` is among the raw arguments (before any `--`), for errors found while
/// or after clap reads them.
fn json_in_args() -> bool {
    std::env::args_os()
        .skip(1)
        .take_while(|arg| arg != "--")
        .any(|arg| arg == "--json")
}

/// The name of each kind of error in `--json` errors.
fn kind_name(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::NotFound => "not_found",
        ErrorKind::AlreadyExists => "already_exists",
        ErrorKind::Invalid => "invalid",
        ErrorKind::Conflict => "conflict",
        ErrorKind::Denied => "denied",
        ErrorKind::Database => "database",
        ErrorKind::Internal => "internal",
        ErrorKind::Busy => "busy",
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
