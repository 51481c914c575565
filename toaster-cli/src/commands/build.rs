//! `toaster build …`: one function per subcommand.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use toaster_core::model::{
    BuildId, BuildState, FileQuery, LogLevel, Target, TaskFilter, TaskOutcome, Visibility,
};
use toaster_core::runner::Stop;
use toaster_core::views::ImportedEventsView;
use toaster_core::{Actor, BuildRequest, RunOptions, TaskWalk, Until};

use super::{Failure, Outcome};
use crate::args::BuildCommand;
use crate::context::Context;
use crate::output::{BuildView, Output, TaskView, duration, table};
use crate::project_choice::Shape;
use crate::terminal::{escape, escaped_lines};

pub fn run(ctx: &Context, out: &Output, command: BuildCommand) -> Outcome {
    let actor = ctx.actor(&ctx.open()?)?;
    match command {
        BuildCommand::Start {
            project_option,
            project,
            targets,
            wait,
            junit,
            host,
        } => {
            let args = project.into_iter().chain(targets).collect();
            let (project, targets) =
                ctx.project_and_args(&actor, project_option.project, args, START)?;
            let on = match host {
                Some(host) => RunOn::Host(host),
                None if wait => RunOn::Here,
                None => RunOn::Anywhere,
            };
            start(out, &actor, &project, &targets, on, junit.as_deref())
        }
        BuildCommand::Watch { id, junit } => {
            let build = crate::progress::follow(&actor, BuildId(id), &|| false)?;
            ended(out, &actor, &build, junit.as_deref())
        }
        BuildCommand::Cancel { id } => cancel(out, &actor, BuildId(id)),
        BuildCommand::List {
            project_option,
            project,
            hidden,
            all,
            limit,
            page,
        } => {
            // Every project's builds unless one is named or the directory is a project's.
            let project = match (&project_option.project, &project, ctx.marked_project()) {
                (None, None, None) => None,
                _ => Some(ctx.project(&actor, project_option.project, project, LIST)?),
            };
            let visibility = match (all, hidden) {
                (true, _) => Visibility::All,
                (false, true) => Visibility::Hidden,
                (false, false) => Visibility::Visible,
            };
            let query = toaster_core::BuildQuery {
                project: project.as_deref(),
                visibility,
                limit,
                offset: (page - 1).saturating_mul(limit),
            };
            list(out, &actor, &query)
        }
        BuildCommand::Hooks { id } => Ok(super::hook::show_deliveries(
            out,
            &actor.deliveries(BuildId(id))?,
        )?),
        BuildCommand::Show { id } => show(out, &actor, BuildId(id)),
        BuildCommand::Packages { id, in_image, why } => super::build_packages::packages(
            out,
            &actor,
            BuildId(id),
            in_image.as_deref(),
            why.as_deref(),
        ),
        BuildCommand::Files {
            id,
            target,
            under,
            largest,
        } => super::build_packages::files(
            out,
            &actor,
            BuildId(id),
            target.as_deref(),
            FileQuery { under, largest },
        ),
        BuildCommand::Compare { from, to } => {
            super::build_compare::compare(out, &actor, BuildId(from), BuildId(to))
        }
        BuildCommand::Variables { id, name, history } => {
            super::build_variables::show(out, &actor, BuildId(id), name.as_deref(), history)
        }
        BuildCommand::Recipes {
            id,
            depends_on,
            needed_by,
        } => {
            let walk = match (depends_on, needed_by) {
                (Some(recipe), _) => Some((recipe, TaskWalk::DependingOn)),
                (None, Some(recipe)) => Some((recipe, TaskWalk::NeededBy)),
                (None, None) => None,
            };
            super::build_graph::recipes(out, &actor, BuildId(id), walk)
        }
        BuildCommand::Tasks {
            id,
            outcome,
            recipe,
            sort,
            limit,
            depends_on,
            needed_by,
        } => {
            let walk = match (depends_on, needed_by) {
                (Some(task), _) => Some((task, TaskWalk::DependingOn)),
                (None, Some(task)) => Some((task, TaskWalk::NeededBy)),
                (None, None) => None,
            };
            if let Some((task, walk)) = walk {
                return super::build_graph::tasks(out, &actor, BuildId(id), &task, walk);
            }
            let outcome = match outcome.as_deref() {
                None => None,
                Some("running") => Some(None),
                Some(text) => Some(Some(
                    TaskOutcome::parse(text).map_err(toaster_core::Error::from)?,
                )),
            };
            let filter = TaskFilter {
                outcome,
                recipe,
                by_elapsed: sort == "elapsed",
                limit,
                offset: 0,
            };
            tasks(out, &actor, BuildId(id), &filter)
        }
        BuildCommand::Artifacts { id, kind } => {
            super::artifact::list(&actor, out, id, kind.as_deref())
        }
        BuildCommand::Download {
            id,
            names,
            output,
            force,
        } => super::artifact::download(&actor, out, id, &names, &output, force),
        BuildCommand::Archive {
            id,
            with_images,
            older_than,
            project,
        } => super::archive::archive(
            &actor,
            out,
            id,
            with_images,
            older_than.as_deref(),
            project.as_deref(),
        ),
        BuildCommand::Log { id, level } => {
            let level = LogLevel::parse(&level).map_err(toaster_core::Error::from)?;
            log(out, &actor, BuildId(id), level)
        }
        BuildCommand::Hide { id } => Ok(hidden(out, &actor.hide_build(BuildId(id), true)?)?),
        BuildCommand::Unhide { id } => Ok(hidden(out, &actor.hide_build(BuildId(id), false)?)?),
        BuildCommand::Delete { id } => delete(out, &actor, BuildId(id)),
        BuildCommand::ImportEvents { file, project } => {
            import_events(out, &actor, project.as_deref(), &file)
        }
    }
}

/// `build start [PROJECT] [TARGET...]`: its own arguments are the targets.
const START: Shape = Shape::list("build start [PROJECT] [TARGET...]", 0);
/// `build list [PROJECT]`.
const LIST: &str = "build list [PROJECT]";

/// Queues a build of `project` (of `targets`, else the project's), or with `wait` runs it
/// here and waits for its end.
/// Where a build started from the command line may run.
#[derive(Debug, Clone, PartialEq, Eq)]
enum RunOn {
    /// Here, by this process, which waits for its end (`--wait`).
    Here,
    /// On this host only (`--host`).
    Host(String),
    /// On any host with a runner.
    Anywhere,
}

fn start(
    out: &Output,
    actor: &Actor,
    project: &str,
    targets: &[String],
    on: RunOn,
    junit: Option<&Path>,
) -> Outcome {
    let wait = on == RunOn::Here;
    let targets = (!targets.is_empty())
        .then(|| targets.iter().map(|t| Target::parse(t)).collect())
        .transpose()
        .map_err(toaster_core::Error::from)?;
    let here = toaster_core::Toaster::host_name();
    let request = BuildRequest {
        targets,
        host: here.clone(),
        run_on: match on {
            RunOn::Here => Some(here.clone()),
            RunOn::Host(host) => Some(host),
            RunOn::Anywhere => None,
        },
    };
    let build = actor.request_build(project, &request)?;
    if !wait {
        let view = BuildView::from(&build);
        let by = match &build.run_on {
            Some(host) => format!("a runner on {} takes it", escape(host)),
            None => "a runner takes it (`toaster runner`)".to_owned(),
        };
        return Ok(out.emit(&view, |w| {
            writeln!(
                w,
                "build {} queued: {by}; follow it with `toaster build show {}`",
                view.id, view.id
            )
        })?);
    }
    // No daemon needed: this process is the runner until the build has ended (builds
    // queued for this host before it run first). Ctrl-C cancels it.
    let stop = Stop::on_signals().map_err(toaster_core::Error::from)?;
    let finished = AtomicBool::new(false);
    let served = std::thread::scope(|scope| {
        let follower = scope.spawn(|| {
            let done = || stop.requested() || finished.load(Ordering::SeqCst);
            crate::progress::follow(actor, build.id, &done)
        });
        let served = serve_until_ended(actor, build.id, &stop);
        // Also when serving failed: the follower must not wait for an end forever.
        finished.store(true, Ordering::SeqCst);
        let _ = follower.join();
        served
    });
    served?;
    ended(out, actor, &actor.build(build.id)?.build, junit)
}

fn cancel(out: &Output, actor: &Actor, id: BuildId) -> Outcome {
    let build = actor.cancel_build(id)?;
    let view = BuildView::from(&build);
    Ok(out.emit(&view, |w| {
        if build.state.is_final() {
            writeln!(w, "build {} cancelled before it started", view.id)
        } else {
            writeln!(
                w,
                "build {}: its runner is stopping it (`toaster build show {}` shows when it has)",
                view.id, view.id
            )
        }
    })?)
}

fn list(out: &Output, actor: &Actor, query: &toaster_core::BuildQuery) -> Outcome {
    let views: Vec<BuildView> = actor.builds(query)?.iter().map(BuildView::from).collect();
    Ok(out.emit(&views, |w| {
        let rows: Vec<Vec<String>> = views
            .iter()
            .map(|b| {
                let state = if b.hidden {
                    format!("{} (hidden)", b.state)
                } else {
                    b.state.to_owned()
                };
                vec![
                    b.id.to_string(),
                    b.project.clone(),
                    state,
                    b.targets.join(" "),
                    b.started_at.clone(),
                    duration(b.duration_ms),
                    format!("{}/{}", b.errors, b.warnings),
                ]
            })
            .collect();
        table(
            w,
            &[
                "ID", "PROJECT", "STATE", "TARGETS", "STARTED", "DURATION", "ERR/WARN",
            ],
            &rows,
        )
    })?)
}

fn show(out: &Output, actor: &Actor, id: BuildId) -> Outcome {
    let detail = actor.build(id)?;
    let view = BuildView::from(&detail);
    Ok(out.emit(&view, |w| show_text(w, &view))?)
}

/// `build show` as text.
fn show_text(w: &mut dyn std::io::Write, view: &BuildView) -> std::io::Result<()> {
    let revision = view.revision.map_or_else(
        || "unknown: imported, it ran with another database's".to_owned(),
        |r| r.to_string(),
    );
    writeln!(
        w,
        "build {} of project {} (configuration revision {revision})",
        view.id, view.project
    )?;
    writeln!(
        w,
        "state:     {}{}",
        view.state,
        if view.hidden { " (hidden)" } else { "" }
    )?;
    writeln!(w, "targets:   {}", escape(&view.targets.join(" ")))?;
    let or_dash = |v: &Option<String>| escape(v.as_deref().unwrap_or("-")).into_owned();
    writeln!(w, "machine:   {}", or_dash(&view.machine))?;
    writeln!(w, "distro:    {}", or_dash(&view.distro))?;
    writeln!(
        w,
        "started:   {} by {} ({}) on {}",
        view.started_at,
        view.owner,
        escape(&view.client),
        escape(&view.host)
    )?;
    writeln!(w, "ended:     {}", view.ended_at.as_deref().unwrap_or("-"))?;
    writeln!(w, "duration:  {}", duration(view.duration_ms))?;
    let p = &view.progress;
    writeln!(
        w,
        "progress:  recipes {}/{}, tasks {}/{}",
        p.recipes_parsed, p.recipes_total, p.tasks_done, p.tasks_total
    )?;
    writeln!(
        w,
        "messages:  {} errors, {} warnings",
        view.errors, view.warnings
    )?;
    writeln!(w, "build dir: {}", escape(&view.build_dir))?;
    let log = match (&view.log_path, &view.log_host) {
        (Some(path), _) => escape(path).into_owned(),
        (None, Some(host)) => format!("not here (the build ran on {})", escape(host)),
        (None, None) => "(none written)".to_owned(),
    };
    writeln!(w, "log:       {log}")?;
    if let Some(archive) = &view.archive {
        writeln!(w, "archive:   {}", escape(archive))?;
    }
    if let Some(origin) = &view.origin {
        writeln!(w, "origin:    {}", escape(origin))?;
    }
    let tasks = view
        .tasks
        .iter()
        .flatten()
        .map(|(o, n)| format!("{o} {n}"))
        .collect::<Vec<_>>();
    writeln!(
        w,
        "tasks:     {}",
        if tasks.is_empty() {
            "-".to_owned()
        } else {
            tasks.join(", ")
        }
    )?;
    let layers = view.layers.as_deref().unwrap_or_default();
    if !layers.is_empty() {
        writeln!(w, "layers:")?;
    }
    for layer in layers {
        let at = match (&layer.reference, &layer.commit) {
            (Some(r), Some(c)) => format!(" @ {r} ({c})"),
            (Some(r), None) => format!(" @ {r}"),
            (None, Some(c)) => format!(" ({c})"),
            (None, None) => String::new(),
        };
        writeln!(
            w,
            "  {:<20} {}{}",
            escape(&layer.name),
            escape(&layer.source),
            escape(&at)
        )?;
    }
    let variables = view.variables.as_ref().filter(|v| !v.is_empty());
    if let (Some(revision), Some(variables)) = (view.revision, variables) {
        writeln!(w, "variables (revision {revision}):")?;
        for (name, value) in variables {
            for line in value.conf_lines(name) {
                writeln!(w, "  {}", escape(&line))?;
            }
        }
    }
    Ok(())
}

fn tasks(out: &Output, actor: &Actor, id: BuildId, filter: &TaskFilter) -> Outcome {
    let views: Vec<TaskView> = actor
        .tasks(id, filter)?
        .iter()
        .map(TaskView::from)
        .collect();
    out.emit(&views, |w| {
        let rows: Vec<Vec<String>> = views
            .iter()
            .map(|t| {
                vec![
                    t.order.map_or("-".to_owned(), |o| o.to_string()),
                    t.recipe.clone(),
                    t.task.clone(),
                    t.outcome.unwrap_or("running").to_owned(),
                    t.elapsed_ms.map_or("-".to_owned(), duration),
                    t.sstate.unwrap_or("-").to_owned(),
                    t.script.unwrap_or("-").to_owned(),
                ]
            })
            .collect();
        let head = [
            "ORDER", "RECIPE", "TASK", "OUTCOME", "ELAPSED", "SSTATE", "SCRIPT",
        ];
        table(w, &head, &rows)
    })?;
    Ok(())
}

fn log(out: &Output, actor: &Actor, id: BuildId, level: LogLevel) -> Outcome {
    let messages = actor.log_messages(id, level)?;
    out.emit(&messages, |w| {
        for m in &messages {
            let place = match (&m.file, m.line) {
                (Some(f), Some(l)) => format!(" ({}:{l})", escape(f)),
                (Some(f), None) => format!(" ({})", escape(f)),
                _ => String::new(),
            };
            let task = m
                .task
                .as_deref()
                .map(|t| format!("{}: ", escape(t)))
                .unwrap_or_default();
            // A message's further lines go indented under it, so none of them
            // reads as a message of its own.
            let mut lines = escaped_lines(&m.text);
            let first = lines.next().unwrap_or_default();
            let level = m.level.as_str().to_uppercase();
            writeln!(w, "{level}: {task}{first}{place}")?;
            for line in lines {
                writeln!(w, "    {line}")?;
            }
        }
        Ok(())
    })?;
    Ok(())
}

fn delete(out: &Output, actor: &Actor, id: BuildId) -> Outcome {
    let build = actor.delete_build(id)?;
    let view = BuildView::from(&build);
    out.emit(&view, |w| {
        writeln!(
            w,
            "deleted build {} of project {}; its files stay in {}",
            view.id,
            view.project,
            escape(&view.build_dir)
        )
    })?;
    Ok(())
}

fn import_events(out: &Output, actor: &Actor, project: Option<&str>, file: &Path) -> Outcome {
    let report = actor.import_events(project, file)?;
    let view = ImportedEventsView::from(&report);
    out.emit(&view, |w| {
        writeln!(
            w,
            "imported {} events into build {} of project {} ({})",
            view.events, view.build.id, view.build.project, view.build.state
        )?;
        for skipped in &view.skipped {
            writeln!(w, "skipped {}", escape(skipped))?;
        }
        if let Some(stopped) = &view.stopped {
            writeln!(
                w,
                "stopped at {}; what came before it was imported",
                escape(stopped)
            )?;
        }
        Ok(())
    })?;
    Ok(())
}

fn hidden(out: &Output, build: &toaster_core::model::Build) -> std::io::Result<()> {
    let view = BuildView::from(build);
    let word = if view.hidden { "hidden" } else { "shown again" };
    out.emit(&view, |w| writeln!(w, "build {} {word}", view.id))
}

/// Runs this host's queue here until build `id` has ended, or `stop` (then it is cancelled).
fn serve_until_ended(actor: &Actor, id: BuildId, stop: &Stop) -> Outcome {
    let options = RunOptions::default();
    loop {
        super::runner::serve(actor, 1, Until::QueueEmpty, &options, stop)?;
        if actor.build(id)?.build.state.is_final() {
            return Ok(());
        }
        if stop.requested() {
            actor.cancel_build(id)?;
            return Ok(());
        }
        // Another runner holds its project or build directory for now.
        std::thread::sleep(std::time::Duration::from_secs(1));
    }
}

/// Says how a build waited for ended (and writes its tasks as JUnit XML to `junit`): exit
/// 0 when it succeeded, 1 otherwise.
fn ended(
    out: &Output,
    actor: &Actor,
    build: &toaster_core::model::Build,
    junit: Option<&Path>,
) -> Outcome {
    if let Some(path) = junit {
        let all = TaskFilter {
            limit: u32::MAX,
            ..TaskFilter::default()
        };
        crate::junit::write(path, build, &actor.tasks(build.id, &all)?)?;
    }
    let view = BuildView::from(build);
    out.emit(&view, |w| {
        writeln!(w, "build {} {}", view.id, view.state)?;
        if let Some(log) = &view.log_path {
            writeln!(w, "log: {}", escape(log))?;
        }
        Ok(())
    })?;
    if build.state == BuildState::Succeeded {
        Ok(())
    } else {
        Err(Failure::BuildDidNotSucceed)
    }
}
