use toaster_core::model::LayerSource;
use toaster_core::views::BitbakeView;

use super::Outcome;
use crate::args::BitbakeCommand;
use crate::context::Context;
use crate::output::Output;
use crate::terminal::escape;

pub fn run(ctx: &Context, out: &Output, command: BitbakeCommand) -> Outcome {
    let actor = ctx.actor(&ctx.open()?)?;
    match command {
        BitbakeCommand::Set {
            project_option,
            project,
            path,
            git,
            reference,
            subdir,
        } => {
            let project = ctx.project(
                &actor,
                project_option.project,
                project,
                "bitbake set [PROJECT]",
            )?;
            let outcome = match (path, git) {
                (Some(path), _) => actor.set_bitbake(&project, &path)?,
                (None, Some(url)) => actor.set_bitbake_git(
                    &project,
                    &toaster_core::BitbakeGit {
                        url: &url,
                        reference: reference.as_deref(),
                        subdir: subdir.as_deref(),
                    },
                    &mut super::layer::fetch_progress(out),
                )?,
                // clap requires one of them.
                (None, None) => return Ok(()),
            };
            super::project::changed(out, &project, outcome)?;
        }
        BitbakeCommand::Update {
            project_option,
            project,
        } => {
            let project = ctx.project(
                &actor,
                project_option.project,
                project,
                "bitbake update [PROJECT]",
            )?;
            let outcome = actor.update_bitbake(&project, &mut super::layer::fetch_progress(out))?;
            super::project::changed(out, &project, outcome)?;
        }
        BitbakeCommand::Show {
            project_option,
            project,
        } => {
            let project = ctx.project(
                &actor,
                project_option.project,
                project,
                "bitbake show [PROJECT]",
            )?;
            let source = actor.bitbake(&project)?;
            let view = BitbakeView::new(&project, source.as_ref());
            out.emit(&view, |w| match &source {
                Some(unfetched @ LayerSource::Git { commit: None, .. }) => writeln!(
                    w,
                    "{} (not fetched yet: `toaster bitbake update {project}`)",
                    escape(&unfetched.to_string())
                ),
                Some(source) => writeln!(w, "{}", escape(&source.to_string())),
                None => writeln!(
                    w,
                    "none: set one with `toaster bitbake set {project} --path DIR`"
                ),
            })?;
        }
    }
    Ok(())
}
