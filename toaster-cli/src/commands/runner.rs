use std::time::Duration;

use toaster_core::model::Build;
use toaster_core::runner::Stop;
use toaster_core::{Actor, RunOptions, RunnerEvent, Until};

use super::{Failure, Outcome};
use crate::args::RunnerArgs;
use crate::context::Context;
use crate::output::Output;
use crate::terminal::{escape, escape_lines};

pub fn run(ctx: &Context, _out: &Output, args: RunnerArgs) -> Outcome {
    let actor = ctx.actor(&ctx.open()?)?;
    let until = if args.once {
        Until::QueueEmpty
    } else {
        Until::Stopped
    };
    let work_root = match &args.workdir {
        Some(dir) => Some(work_root(dir)?),
        None => None,
    };
    let releases = args
        .releases
        .iter()
        .map(|r| toaster_core::model::Release::parse(r))
        .collect::<Result<Vec<_>, _>>()
        .map_err(toaster_core::Error::from)?;
    let options = RunOptions {
        lease: Duration::from_secs(args.lease),
        work_root,
        releases,
        ..RunOptions::default()
    };
    serve(
        &actor,
        args.jobs as usize,
        until,
        &options,
        &Stop::on_signals().map_err(toaster_core::Error::from)?,
    )?;
    Ok(())
}

/// The work root of `runner --workdir`, made if missing, absolute and canonical: the
/// build directories recorded under it must name it the same way from every process.
fn work_root(dir: &std::path::Path) -> Result<std::path::PathBuf, Failure> {
    let made = std::fs::create_dir_all(dir).and_then(|()| std::fs::canonicalize(dir));
    made.map_err(|e| Failure::User {
        message: format!(
            "the work root {} cannot be made: {e}",
            escape(&dir.display().to_string())
        ),
        hint: "give --workdir a directory this user may create and write".to_owned(),
    })
}

/// Runs queued builds of this host until `until`, saying on standard error what starts
/// and ends; `stop` (see [`Stop::on_signals`]) stops the running builds cleanly.
pub fn serve(
    actor: &Actor,
    jobs: usize,
    until: Until,
    options: &RunOptions,
    stop: &Stop,
) -> Result<Vec<Build>, Failure> {
    let tell = |event: RunnerEvent<'_>| match event {
        RunnerEvent::Started(build) => eprintln!(
            "build {} of {} started: {}",
            build.id,
            build.project_name,
            build
                .targets
                .iter()
                .map(|t| escape(&t.to_string()).into_owned())
                .collect::<Vec<_>>()
                .join(" ")
        ),
        RunnerEvent::Ended(outcome) => {
            let build = &outcome.build;
            let log = build
                .log_path
                .as_ref()
                .map(|p| format!(" (log: {})", escape(&p.display().to_string())))
                .unwrap_or_default();
            eprintln!("build {} {}{log}", build.id, build.state);
            if let Some(refused) = &outcome.refused {
                eprintln!("  {}", escape_lines(&refused.to_string()));
                if let Some(hint) = refused.hint() {
                    eprintln!("  hint: {}", escape_lines(&hint));
                }
            }
        }
        RunnerEvent::Delivered(report) => super::hook::say(report),
        RunnerEvent::Problem(e) => eprintln!("warning: {}", escape_lines(&e.to_string())),
    };
    Ok(actor.serve(
        &toaster_core::Toaster::host_name(),
        jobs,
        until,
        options,
        stop,
        &tell,
    )?)
}
