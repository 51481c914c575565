//! `toaster project …`: one function per subcommand.

use std::path::Path;

use serde::Serialize;
use toaster_core::model::{Project, RevisionNumber, Timestamp};
use toaster_core::{Actor, ChangeOutcome};

use super::share::dir_of;
use super::{Failure, Outcome};
use crate::args::{ProjectCommand, ProjectOption};
use crate::context::Context;
use crate::output::{ChangeView, ClonedView, DiffView, Output, ProjectView, RevisionView, table};
use crate::project_choice::Shape;
use crate::terminal::{escape, escape_lines};

pub fn run(ctx: &Context, out: &Output, command: ProjectCommand) -> Outcome {
    let actor = ctx.actor(&ctx.open()?)?;
    // The project of a command that takes `[PROJECT]` and nothing else.
    let project = |option: ProjectOption, name: Option<String>, usage: &'static str| {
        ctx.project(&actor, option.project, name, usage)
    };
    match command {
        ProjectCommand::Create {
            name,
            dir,
            release,
            group,
        } => {
            let options = toaster_core::ProjectOptions {
                release: release.as_deref(),
                group: group.as_deref(),
            };
            create(out, &actor, &name, &dir_of(&name, dir), &options)
        }
        ProjectCommand::Clone { source, name, dir } => {
            clone(out, &actor, &source, &name, &dir_of(&name, dir))
        }
        ProjectCommand::Import {
            name,
            from,
            dir,
            release,
        } => {
            let dir = dir_of(&name, dir);
            import(out, &actor, &name, &from, &dir, release.as_deref())
        }
        ProjectCommand::Export {
            project_option,
            name,
            output,
            revision,
            with_local_layers,
            format,
        } => super::share::export(
            &actor,
            out,
            &project(project_option, name, "project export [PROJECT]")?,
            output.as_deref(),
            revision,
            with_local_layers,
            &format,
        ),
        ProjectCommand::ImportBundle {
            file,
            name,
            dir,
            strict,
        } => {
            let imported = actor.import_bundle(&file, &name, &dir_of(&name, dir), strict)?;
            super::share::import(out, &file, imported)
        }
        ProjectCommand::ImportKas {
            file,
            name,
            dir,
            release,
        } => {
            let name = name.unwrap_or_else(|| super::share::kas_name(&file));
            let dir = dir_of(&name, dir);
            let imported = actor.import_kas(&file, &name, &dir, release.as_deref())?;
            super::share::import(out, &file, imported)
        }
        ProjectCommand::List { mine } => list(out, &actor, mine),
        ProjectCommand::Show {
            project_option,
            name,
        } => {
            let name = project(project_option, name, "project show [PROJECT]")?;
            Ok(show(out, &actor.project(&name)?)?)
        }
        ProjectCommand::Chmod {
            project_option,
            name,
            mode,
        } => {
            let args = name.into_iter().chain(mode).collect();
            let (name, [mode]) = own(ctx, &actor, project_option, args, CHMOD)?;
            Ok(show(out, &actor.chmod(&name, &mode)?)?)
        }
        ProjectCommand::Chown {
            project_option,
            name,
            owner,
        } => {
            let args = name.into_iter().chain(owner).collect();
            let (name, [owner]) = own(ctx, &actor, project_option, args, CHOWN)?;
            Ok(show(out, &actor.chown(&name, &owner)?)?)
        }
        ProjectCommand::Chgrp {
            project_option,
            name,
            group,
            none,
        } => {
            let args = name.into_iter().chain(group).collect();
            let (name, mut group) =
                ctx.project_and_args(&actor, project_option.project, args, CHGRP)?;
            let group = match (group.pop(), none) {
                (Some(group), false) => Some(group),
                (None, true) => None,
                (given, _) => {
                    return Err(Failure::Usage {
                        message: match given {
                            Some(_) => "give a group or --none, not both".to_owned(),
                            None => "no group given".to_owned(),
                        },
                        hint: "write `toaster project chgrp [PROJECT] GROUP`, or `--none` to share it with no group".to_owned(),
                    });
                }
            };
            Ok(show(out, &actor.chgrp(&name, group.as_deref())?)?)
        }
        ProjectCommand::DefaultMode { mode } => default_mode(out, &actor, mode.as_deref()),
        ProjectCommand::Delete { name, files } => delete(out, &actor, &name, files),
        ProjectCommand::Clean {
            project_option,
            name,
            force,
        } => {
            let name = project(project_option, name, "project clean [PROJECT]")?;
            clean(out, &actor, name, force)
        }
        ProjectCommand::History {
            project_option,
            name,
            limit,
            since,
        } => {
            let name = project(project_option, name, "project history [PROJECT]")?;
            let since = since
                .map(|t| Timestamp::parse(&t, Timestamp::now()))
                .transpose()
                .map_err(toaster_core::Error::from)?;
            history(out, &actor, &name, since, limit)
        }
        ProjectCommand::Diff {
            project_option,
            name,
            rev,
            rev2,
        } => {
            let args = name.into_iter().chain(rev).chain(rev2).collect();
            let (name, revisions) =
                ctx.project_and_args(&actor, project_option.project, args, DIFF)?;
            let revisions = revisions
                .iter()
                .map(|r| revision(r))
                .collect::<Result<Vec<u32>, Failure>>()?;
            let (rev, rev2) = match revisions[..] {
                [rev, rev2] => (rev, Some(rev2)),
                [rev] => (rev, None),
                // The shape lets only one or two through.
                _ => {
                    return Err(Failure::Usage {
                        message: "give one or two revisions".to_owned(),
                        hint: "write `toaster project diff [PROJECT] REV [REV2]`".to_owned(),
                    });
                }
            };
            diff(out, &actor, name, rev, rev2)
        }
        ProjectCommand::Undo {
            project_option,
            name,
        } => {
            let name = project(project_option, name, "project undo [PROJECT]")?;
            Ok(changed(out, &name, actor.undo(&name)?)?)
        }
        ProjectCommand::Revert {
            project_option,
            name,
            to,
        } => {
            let name = project(project_option, name, "project revert [PROJECT] --to N")?;
            Ok(changed(
                out,
                &name,
                actor.revert(&name, RevisionNumber(to))?,
            )?)
        }
        ProjectCommand::Reset {
            project_option,
            name,
        } => {
            let name = project(project_option, name, "project reset [PROJECT]")?;
            Ok(changed(out, &name, actor.reset(&name)?)?)
        }
    }
}

const CHMOD: Shape = Shape::fixed("project chmod [PROJECT] MODE", 1);
const CHOWN: Shape = Shape::fixed("project chown [PROJECT] OWNER", 1);
const CHGRP: Shape = Shape::range("project chgrp [PROJECT] GROUP|--none", 0, 1);
const DIFF: Shape = Shape::range("project diff [PROJECT] REV [REV2]", 1, 2);

/// The project and exactly `N` own arguments of a command of fixed shape.
fn own<const N: usize>(
    ctx: &Context,
    actor: &Actor,
    option: ProjectOption,
    args: Vec<String>,
    shape: Shape,
) -> Result<(String, [String; N]), Failure> {
    let (project, args) = ctx.project_and_args(actor, option.project, args, shape)?;
    let args = args
        .try_into()
        .map_err(|args: Vec<String>| Failure::Usage {
            message: format!("expected {N} argument(s), got {}", args.len()),
            hint: "see --help".to_owned(),
        })?;
    Ok((project, args))
}

/// A revision number as given on the command line.
fn revision(text: &str) -> Result<u32, Failure> {
    text.parse().map_err(|_| Failure::Usage {
        message: format!("`{}` is not a revision number", escape(text)),
        hint: "give revisions as numbers, as `toaster project history` lists them".to_owned(),
    })
}

fn create(
    out: &Output,
    actor: &Actor,
    name: &str,
    dir: &Path,
    options: &toaster_core::ProjectOptions<'_>,
) -> Outcome {
    let project = actor.create_project(name, dir, options)?;
    let view = ProjectView::from(&project);
    Ok(out.emit(&view, |w| {
        writeln!(
            w,
            "created project {} ({}) in {}",
            view.name,
            view.release,
            escape(&view.dir)
        )
    })?)
}

fn clone(out: &Output, actor: &Actor, source: &str, name: &str, dir: &Path) -> Outcome {
    let cloned = actor.clone_project(source, name, dir)?;
    for warning in &cloned.warnings {
        eprintln!("warning: {}", escape_lines(&warning.to_string()));
    }
    let view = ClonedView::from(&cloned);
    Ok(out.emit(&view, |w| {
        writeln!(
            w,
            "created project {} from {} in {}",
            view.project.name,
            escape(source),
            escape(&view.project.dir)
        )
    })?)
}

fn import(
    out: &Output,
    actor: &Actor,
    name: &str,
    from: &Path,
    dir: &Path,
    release: Option<&str>,
) -> Outcome {
    let (project, warnings) = actor.import_project(name, from, dir, release)?;
    // What was left out is the report's; other warnings (the release chosen) are said.
    let (notes, others): (Vec<_>, Vec<_>) =
        warnings.iter().partition(|w| w.kind() == "not_reproduced");
    for warning in others {
        eprintln!("warning: {}", escape_lines(&warning.to_string()));
    }
    let notes = notes.iter().map(ToString::to_string).collect();
    let imported = toaster_core::Imported { project, notes };
    super::share::import(out, from, imported)
}

fn list(out: &Output, actor: &Actor, mine: bool) -> Outcome {
    let projects = actor.projects(mine)?;
    let views: Vec<ProjectView> = projects.iter().map(ProjectView::from).collect();
    Ok(out.emit(&views, |w| {
        let rows: Vec<Vec<String>> = views
            .iter()
            .map(|p| {
                vec![
                    p.name.clone(),
                    p.release.clone(),
                    p.revision.to_string(),
                    p.owner.clone(),
                    p.group.clone().unwrap_or_else(|| "-".to_owned()),
                    p.mode.clone(),
                    p.dir.clone(),
                ]
            })
            .collect();
        let header = [
            "NAME",
            "RELEASE",
            "REVISION",
            "OWNER",
            "GROUP",
            "MODE",
            "DIRECTORY",
        ];
        table(w, &header, &rows)
    })?)
}

fn default_mode(out: &Output, actor: &Actor, mode: Option<&str>) -> Outcome {
    let mode = match mode {
        Some(mode) => actor.set_default_mode(mode)?,
        None => actor.default_mode()?,
    };
    let view = DefaultMode {
        default_mode: mode.to_string(),
    };
    Ok(out.emit(&view, |w| writeln!(w, "{}", view.default_mode))?)
}

fn delete(out: &Output, actor: &Actor, name: &str, files: bool) -> Outcome {
    let project = actor.delete_project(name, files)?;
    let view = Deleted {
        project: project.name.to_string(),
        dir: project.dir.display().to_string(),
        files_removed: files,
    };
    Ok(out.emit(&view, |w| {
        writeln!(w, "deleted project {}", view.project)?;
        if files {
            writeln!(w, "removed {}", escape(&view.dir))
        } else {
            writeln!(w, "kept its directory {}", escape(&view.dir))
        }
    })?)
}

fn clean(out: &Output, actor: &Actor, name: String, force: bool) -> Outcome {
    let report = actor.clean_project(&name, force)?;
    let view = CleanedView {
        project: name,
        removed: report.removed.as_ref().map(|p| p.display().to_string()),
        unarchived: report.unarchived.iter().map(|b| b.0).collect(),
    };
    Ok(out.emit(&view, |w| match &view.removed {
        Some(path) => writeln!(w, "removed {}", escape(path)),
        None => writeln!(w, "project {} has no TMPDIR to remove", view.project),
    })?)
}

fn history(
    out: &Output,
    actor: &Actor,
    name: &str,
    since: Option<Timestamp>,
    limit: Option<usize>,
) -> Outcome {
    let history = actor.history_since(name, since, limit)?;
    let views: Vec<RevisionView> = history.iter().map(RevisionView::from).collect();
    Ok(out.emit(&views, |w| {
        let rows: Vec<Vec<String>> = views
            .iter()
            .map(|r| {
                vec![
                    r.revision.to_string(),
                    r.created_at.clone(),
                    r.author.clone(),
                    r.description.clone(),
                ]
            })
            .collect();
        table(w, &["REV", "WHEN", "AUTHOR", "WHAT"], &rows)
    })?)
}

fn diff(out: &Output, actor: &Actor, name: String, rev: u32, rev2: Option<u32>) -> Outcome {
    let (from, to, differences) = actor.diff_revisions(&name, rev, rev2)?;
    let view = DiffView {
        project: name,
        from: from.0,
        to: to.0,
        differences,
    };
    Ok(out.emit(&view, |w| {
        writeln!(
            w,
            "project {}: revision {} to revision {}",
            view.project, view.from, view.to
        )?;
        if view.differences.is_empty() {
            return writeln!(w, "  no difference");
        }
        for d in &view.differences {
            let text = |v: &Option<String>| escape(v.as_deref().unwrap_or("")).into_owned();
            match (&d.before, &d.after) {
                (None, Some(_)) => writeln!(w, "+ {} = {}", escape(&d.key), text(&d.after))?,
                (Some(_), None) => writeln!(w, "- {} = {}", escape(&d.key), text(&d.before))?,
                _ => {
                    writeln!(w, "- {} = {}", escape(&d.key), text(&d.before))?;
                    writeln!(w, "+ {} = {}", escape(&d.key), text(&d.after))?;
                }
            }
        }
        Ok(())
    })?)
}

fn show(out: &Output, project: &Project) -> std::io::Result<()> {
    let view = ProjectView::from(project);
    out.emit(&view, |w| {
        writeln!(w, "name:      {}", view.name)?;
        writeln!(w, "release:   {}", view.release)?;
        writeln!(w, "owner:     {}", view.owner)?;
        writeln!(w, "group:     {}", view.group.as_deref().unwrap_or("-"))?;
        writeln!(w, "mode:      {}", view.mode)?;
        writeln!(w, "directory: {}", escape(&view.dir))?;
        writeln!(w, "revision:  {}", view.revision)?;
        writeln!(w, "created:   {}", view.created_at)
    })
}

/// What `project default-mode --json` prints.
#[derive(Serialize)]
struct DefaultMode {
    default_mode: String,
}

/// What `project delete --json` prints.
#[derive(Serialize)]
struct Deleted {
    project: String,
    dir: String,
    files_removed: bool,
}

/// Reports a configuration change: the new revision, or that nothing changed.
pub fn changed(out: &Output, project: &str, outcome: ChangeOutcome) -> std::io::Result<()> {
    for warning in &outcome.warnings {
        eprintln!("warning: {}", escape_lines(&warning.to_string()));
    }
    let view = ChangeView::new(project, &outcome);
    out.emit(&view, |w| {
        if view.changed {
            writeln!(
                w,
                "{}: revision {}: {}",
                view.project,
                view.revision.revision,
                escape(&view.revision.description)
            )
        } else {
            writeln!(
                w,
                "{}: unchanged, still revision {}",
                view.project, view.revision.revision
            )
        }
    })
}

/// What `project clean` did.
#[derive(Serialize)]
struct CleanedView {
    project: String,
    /// The TMPDIR removed, if there was one.
    removed: Option<String>,
    /// Builds of the directory that had no archive (cleaned with --force).
    unarchived: Vec<i64>,
}
