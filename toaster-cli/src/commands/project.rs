use serde::Serialize;
use toaster_core::ChangeOutcome;
use toaster_core::model::{Project, RevisionNumber, Timestamp};

use super::Outcome;
use crate::args::ProjectCommand;
use crate::context::Context;
use crate::output::{ChangeView, ClonedView, DiffView, Output, ProjectView, RevisionView, table};
use crate::terminal::{escape, escape_lines};

pub fn run(ctx: &Context, out: &Output, command: ProjectCommand) -> Outcome {
    let actor = ctx.actor(&ctx.open()?)?;
    let default_dir = super::share::dir_of;
    match command {
        ProjectCommand::Create {
            name,
            dir,
            release,
            group,
        } => {
            let dir = default_dir(&name, dir);
            let project = actor.create_project(
                &name,
                &dir,
                &toaster_core::ProjectOptions {
                    release: release.as_deref(),
                    group: group.as_deref(),
                },
            )?;
            let view = ProjectView::from(&project);
            out.emit(&view, |w| {
                writeln!(
                    w,
                    "created project {} ({}) in {}",
                    view.name,
                    view.release,
                    escape(&view.dir)
                )
            })?;
        }
        ProjectCommand::Clone { source, name, dir } => {
            let cloned = actor.clone_project(&source, &name, &default_dir(&name, dir))?;
            for warning in &cloned.warnings {
                eprintln!("warning: {}", escape_lines(&warning.to_string()));
            }
            let view = ClonedView::from(&cloned);
            out.emit(&view, |w| {
                writeln!(
                    w,
                    "created project {} from {} in {}",
                    view.project.name,
                    escape(&source),
                    escape(&view.project.dir)
                )
            })?;
        }
        ProjectCommand::Import {
            name,
            from,
            dir,
            release,
        } => {
            let (project, warnings) =
                actor.import_project(&name, &from, &default_dir(&name, dir), release.as_deref())?;
            // What was left out is the report's; other warnings (the release chosen) are said.
            let (notes, others): (Vec<_>, Vec<_>) = warnings
                .iter()
                .partition(|w| w.kind() == "not_reproduced");
            for warning in others {
                eprintln!("warning: {}", escape_lines(&warning.to_string()));
            }
            let notes = notes.iter().map(ToString::to_string).collect();
            let imported = toaster_core::Imported { project, notes };
            super::share::import(out, &from, imported)?;
        }
        ProjectCommand::Export {
            name,
            output,
            revision,
            with_local_layers,
            format,
        } => super::share::export(
            &actor,
            out,
            &name,
            output.as_deref(),
            revision,
            with_local_layers,
            &format,
        )?,
        ProjectCommand::ImportBundle {
            file,
            name,
            dir,
            strict,
        } => {
            let dir = super::share::dir_of(&name, dir);
            let imported = actor.import_bundle(&file, &name, &dir, strict)?;
            super::share::import(out, &file, imported)?;
        }
        ProjectCommand::ImportKas {
            file,
            name,
            dir,
            release,
        } => {
            let name = name.unwrap_or_else(|| super::share::kas_name(&file));
            let dir = super::share::dir_of(&name, dir);
            let imported = actor.import_kas(&file, &name, &dir, release.as_deref())?;
            super::share::import(out, &file, imported)?;
        }
        ProjectCommand::List { mine } => {
            let projects = actor.projects(mine)?;
            let views: Vec<ProjectView> = projects.iter().map(ProjectView::from).collect();
            out.emit(&views, |w| {
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
            })?;
        }
        ProjectCommand::Show { name } => show(out, &actor.project(&name)?)?,
        ProjectCommand::Chmod { name, mode } => show(out, &actor.chmod(&name, &mode)?)?,
        ProjectCommand::Chown { name, owner } => show(out, &actor.chown(&name, &owner)?)?,
        ProjectCommand::Chgrp {
            name,
            group,
            none: _,
        } => {
            show(out, &actor.chgrp(&name, group.as_deref())?)?;
        }
        ProjectCommand::DefaultMode { mode } => {
            let mode = match mode {
                Some(mode) => actor.set_default_mode(&mode)?,
                None => actor.default_mode()?,
            };
            let view = DefaultMode {
                default_mode: mode.to_string(),
            };
            out.emit(&view, |w| writeln!(w, "{}", view.default_mode))?;
        }
        ProjectCommand::Delete { name, files } => {
            let project = actor.delete_project(&name, files)?;
            let view = Deleted {
                project: project.name.to_string(),
                dir: project.dir.display().to_string(),
                files_removed: files,
            };
            out.emit(&view, |w| {
                writeln!(w, "deleted project {}", view.project)?;
                if files {
                    writeln!(w, "removed {}", escape(&view.dir))
                } else {
                    writeln!(w, "kept its directory {}", escape(&view.dir))
                }
            })?;
        }
        ProjectCommand::Clean { name, force } => {
            let report = actor.clean_project(&name, force)?;
            let view = CleanedView {
                project: name,
                removed: report.removed.as_ref().map(|p| p.display().to_string()),
                unarchived: report.unarchived.iter().map(|b| b.0).collect(),
            };
            out.emit(&view, |w| match &view.removed {
                Some(path) => writeln!(w, "removed {}", escape(path)),
                None => writeln!(w, "project {} has no TMPDIR to remove", view.project),
            })?;
        }
        ProjectCommand::History { name, limit, since } => {
            let since = since
                .map(|t| Timestamp::parse(&t, Timestamp::now()))
                .transpose()
                .map_err(toaster_core::Error::from)?;
            let history = actor.history_since(&name, since, limit)?;
            let views: Vec<RevisionView> = history.iter().map(RevisionView::from).collect();
            out.emit(&views, |w| {
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
            })?;
        }
        ProjectCommand::Diff { name, rev, rev2 } => {
            let (from, to, differences) = actor.diff_revisions(&name, rev, rev2)?;
            let view = DiffView {
                project: name,
                from: from.0,
                to: to.0,
                differences,
            };
            out.emit(&view, |w| {
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
                        (None, Some(_)) => {
                            writeln!(w, "+ {} = {}", escape(&d.key), text(&d.after))?
                        }
                        (Some(_), None) => {
                            writeln!(w, "- {} = {}", escape(&d.key), text(&d.before))?
                        }
                        _ => {
                            writeln!(w, "- {} = {}", escape(&d.key), text(&d.before))?;
                            writeln!(w, "+ {} = {}", escape(&d.key), text(&d.after))?;
                        }
                    }
                }
                Ok(())
            })?;
        }
        ProjectCommand::Undo { name } => changed(out, &name, actor.undo(&name)?)?,
        ProjectCommand::Revert { name, to } => {
            changed(out, &name, actor.revert(&name, RevisionNumber(to))?)?;
        }
        ProjectCommand::Reset { name } => changed(out, &name, actor.reset(&name)?)?,
    }
    Ok(())
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
