use std::path::PathBuf;

use serde::Serialize;
use toaster_core::Toaster;

use super::Outcome;
use crate::args::ConfCommand;
use crate::context::Context;
use crate::output::Output;
use crate::terminal::escape;

pub fn run(ctx: &Context, out: &Output, command: ConfCommand) -> Outcome {
    match command {
        ConfCommand::Write {
            project_option,
            project,
        } => {
            let actor = ctx.actor(&ctx.open()?)?;
            let project = ctx.project(
                &actor,
                project_option.project,
                project,
                "conf write [PROJECT]",
            )?;
            let written = actor.write_conf(&project)?;
            let view = Written {
                project,
                written: written.iter().map(|p| p.display().to_string()).collect(),
            };
            out.emit(&view, |w| {
                if view.written.is_empty() {
                    return writeln!(w, "{}: conf files already up to date", view.project);
                }
                for path in &view.written {
                    writeln!(w, "wrote {}", escape(path))?;
                }
                Ok(())
            })?;
        }
        ConfCommand::Eval { args } => {
            let (files, names): (Vec<String>, Vec<String>) =
                args.into_iter().partition(|a| is_file_argument(a));
            let files: Vec<PathBuf> = files.into_iter().map(PathBuf::from).collect();
            let evaluation = Toaster::evaluate_conf(&files, &names)?;
            for replaced in &evaluation.replaced_keys {
                eprintln!(
                    "warning: variable key {} ({}) replaces original key {} ({}), as BitBake warns",
                    escape(&replaced.key),
                    escape(&replaced.value),
                    escape(&replaced.replaced),
                    escape(&replaced.replaced_value)
                );
            }
            let view = evaluation.view;
            out.emit(&view, |w| {
                for (name, value) in &view.variables {
                    let name = escape(name);
                    match value {
                        Some(value) => writeln!(w, "{name}=\"{}\"", escape(value))?,
                        None => writeln!(w, "{name} is not set")?,
                    }
                }
                for (name, why) in &view.unexpandable {
                    writeln!(
                        w,
                        "{}: {} (BitBake fails for it too)",
                        escape(name),
                        escape(why)
                    )?;
                }
                Ok(())
            })?;
        }
    }
    Ok(())
}

/// A file argument ends in `.conf`, starts like a path (`/`, `./`, `../`), or holds a `/`
/// and names something that exists: variable names hold `/` too
/// (`PREFERRED_PROVIDER_virtual/kernel`) but never start so.
fn is_file_argument(arg: &str) -> bool {
    arg.ends_with(".conf")
        || ["/", "./", "../"]
            .iter()
            .any(|start| arg.starts_with(start))
        || (arg.contains('/') && std::path::Path::new(arg).exists())
}

/// What `conf write --json` prints.
#[derive(Serialize)]
struct Written {
    project: String,
    written: Vec<String>,
}
