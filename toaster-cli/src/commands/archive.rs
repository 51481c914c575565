//! `toaster build archive` and `toaster archive import`.

use std::time::Duration;

use toaster_core::Actor;
use toaster_core::model::{BuildId, Timestamp};
use toaster_core::views::ArchivedView;

use super::{Failure, Outcome};
use crate::args::ArchiveCommand;
use crate::context::Context;
use crate::output::{BuildView, Output};
use crate::terminal::escape;

/// `toaster archive …`
pub fn run(ctx: &Context, out: &Output, command: ArchiveCommand) -> Outcome {
    let actor = ctx.actor(&ctx.open()?)?;
    match command {
        ArchiveCommand::Import { file, project } => {
            let build = actor.import_archive(&file, &project)?;
            let view = BuildView::from(&build);
            out.emit(&view, |w| {
                writeln!(
                    w,
                    "imported build {} into project {} as build {} ({})",
                    escape(&file.display().to_string()),
                    view.project,
                    view.id,
                    view.state
                )?;
                if let Some(origin) = &build.origin {
                    writeln!(w, "{}", escape(origin))?;
                }
                Ok(())
            })?;
        }
    }
    Ok(())
}

/// `build archive ID | --older-than AGE [--project P]`.
pub fn archive(
    actor: &Actor,
    out: &Output,
    id: Option<i64>,
    with_images: bool,
    older_than: Option<&str>,
    project: Option<&str>,
) -> Outcome {
    let results = match (id, older_than) {
        // One build: its failure is the command's.
        (Some(id), _) => vec![(
            BuildId(id),
            Ok(actor.archive_build(BuildId(id), with_images)?),
        )],
        (None, Some(age)) => actor.archive_older_than(parse_age(age)?, project, with_images)?,
        (None, None) => Vec::new(),
    };
    let single = id.is_some();
    let views: Vec<ArchivedView> = results
        .iter()
        .map(|(id, r)| ArchivedView::new(*id, r))
        .collect();
    out.emit(&views, |w| {
        if views.is_empty() {
            return writeln!(w, "no build to archive");
        }
        for v in &views {
            match (&v.archive, &v.error) {
                (Some(path), _) => {
                    writeln!(
                        w,
                        "archived build {} to {} ({} files kept{})",
                        v.build,
                        escape(path),
                        v.files_stored,
                        if v.files_left_out.is_empty() {
                            String::new()
                        } else {
                            format!(", {} left out", v.files_left_out.len())
                        }
                    )?;
                    if single {
                        for left in &v.files_left_out {
                            writeln!(
                                w,
                                "  left out {}: {}",
                                escape(&left.name),
                                escape(&left.why)
                            )?;
                        }
                    }
                }
                (None, Some(error)) => {
                    writeln!(w, "build {} not archived: {}", v.build, escape(error))?
                }
                (None, None) => {}
            }
        }
        Ok(())
    })?;
    Ok(())
}

/// An age (`30d`, `12h`, `45m`, `90s`; or a time, `2026-11-01`): how long ago.
fn parse_age(text: &str) -> Result<Duration, Failure> {
    let now = Timestamp::now();
    let then = Timestamp::parse(text, now).map_err(toaster_core::Error::from)?;
    Ok(Duration::from_millis(
        u64::try_from(now.0.saturating_sub(then.0)).unwrap_or(0),
    ))
}
