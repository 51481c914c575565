//! `toaster recipe …`: wrapper recipes for imported sources.

use toaster_core::RecipeImportRequest;
use toaster_core::recipes::SourceRequest;
use toaster_core::views::{ImportedRecipeView, OwnRecipeView};

use super::{Failure, Outcome};
use crate::args::RecipeCommand;
use crate::context::Context;
use crate::output::Output;
use crate::terminal::{escape, escape_lines};

pub fn run(ctx: &Context, out: &Output, command: RecipeCommand) -> Outcome {
    let actor = ctx.actor(&ctx.open()?)?;
    match command {
        RecipeCommand::Import {
            project,
            tarball,
            git,
            reference,
            path,
            name,
            version,
            add_to_image,
            dry_run,
        } => {
            let source = match (tarball, git, path) {
                (Some(t), None, None) => SourceRequest::Tarball(t),
                (None, Some(url), None) => SourceRequest::Git { url, reference },
                (None, None, Some(dir)) => SourceRequest::Path(dir),
                _ => {
                    return Err(Failure::Usage {
                        message: "name the sources once: --tarball, --git or --path".to_owned(),
                        hint: "toaster recipe import demo --tarball hello-1.0.tar.gz".to_owned(),
                    });
                }
            };
            let request = RecipeImportRequest {
                source,
                name,
                version,
                add_to_image,
                dry_run,
            };
            let shows = out.shows_progress();
            let mut shown = false;
            let imported = actor.import_recipe(&project, &request, &mut |seen, total| {
                if shows {
                    shown = true;
                    let total = total.map_or(String::new(), |t| format!(" of {} KiB", t >> 10));
                    eprint!("\rfetched {} KiB{total}", seen >> 10);
                }
            })?;
            if shown {
                eprintln!();
            }
            if dry_run && !out.is_json() {
                print!("{}", escape_lines(&imported.text));
                for note in &imported.notes {
                    eprintln!("note: {}", escape(note));
                }
                return Ok(());
            }
            let view = ImportedRecipeView::from(&imported);
            out.emit(&view, |w| {
                writeln!(
                    w,
                    "imported recipe {} {} into {}",
                    view.name,
                    view.version,
                    escape(&view.path)
                )?;
                for note in &view.notes {
                    writeln!(w, "  note: {}", escape(note))?;
                }
                Ok(())
            })?;
        }
        RecipeCommand::List { project } => {
            let recipes = actor.imported_recipes(&project)?;
            let views: Vec<OwnRecipeView> = recipes
                .iter()
                .map(|(name, version, path, built)| OwnRecipeView::new(name, version, path, *built))
                .collect();
            out.emit(&views, |w| {
                let rows: Vec<Vec<String>> = views
                    .iter()
                    .map(|v| {
                        vec![
                            v.name.clone(),
                            v.version.clone(),
                            if v.built { "yes" } else { "no" }.to_owned(),
                            v.path.clone(),
                        ]
                    })
                    .collect();
                crate::output::table(w, &["NAME", "VERSION", "BUILT", "FILE"], &rows)
            })?;
        }
        RecipeCommand::Show { project, name } => {
            print!("{}", escape_lines(&actor.recipe_text(&project, &name)?));
        }
        RecipeCommand::Remove { project, name } => {
            let outcome = actor.remove_recipe(&project, &name)?;
            eprintln!(
                "note: the recipe's file is deleted; `toaster project undo {project}` brings {name} back into the configuration, not the file"
            );
            super::project::changed(out, &project, outcome)?;
        }
    }
    Ok(())
}
