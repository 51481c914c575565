//! `toaster project export`, `import-bundle` and `import-kas`.

use std::path::{Path, PathBuf};

use serde::Serialize;
use toaster_core::Actor;

use super::{Failure, Outcome};
use crate::output::{Output, ProjectView};
use crate::terminal::escape;

/// What `project export --json` prints.
#[derive(Serialize)]
struct ExportedView {
    project: String,
    format: String,
    path: Option<String>,
    revision: u32,
    left_out: Vec<String>,
}

/// `project export NAME [-o FILE] [--revision N] [--with-local-layers] [--format F]`.
pub fn export(
    actor: &Actor,
    out: &Output,
    name: &str,
    output: Option<&Path>,
    revision: Option<u32>,
    with_local_layers: bool,
    format: &str,
) -> Outcome {
    let view = match format {
        "bundle" => {
            let Some(output) = output else {
                return Err(Failure::Usage {
                    message: "a bundle is a zip file: name it with -o FILE".to_owned(),
                    hint: format!("toaster project export {name} -o {name}.zip"),
                });
            };
            let exported = actor.export_bundle(name, revision, with_local_layers, output)?;
            ExportedView {
                project: name.to_owned(),
                format: format.to_owned(),
                path: Some(exported.path.display().to_string()),
                revision: exported.revision.0,
                left_out: exported.left_out,
            }
        }
        _ => {
            let (text, number, left_out) =
                actor.export_kas(name, revision, format == "kas-lock")?;
            match output {
                None => {
                    print!("{text}");
                    for line in &left_out {
                        eprintln!("left out: {}", escape(line));
                    }
                    return Ok(());
                }
                Some(path) => {
                    write_new(path, &text)?;
                    ExportedView {
                        project: name.to_owned(),
                        format: format.to_owned(),
                        path: Some(path.display().to_string()),
                        revision: number.0,
                        left_out,
                    }
                }
            }
        }
    };
    out.emit(&view, |w| {
        writeln!(
            w,
            "wrote revision {} of project {} to {}",
            view.revision,
            view.project,
            escape(view.path.as_deref().unwrap_or("-"))
        )?;
        for line in &view.left_out {
            writeln!(w, "  left out: {}", escape(line))?;
        }
        Ok(())
    })?;
    Ok(())
}

/// Writes `text` to the new file `path` (never over an existing one).
fn write_new(path: &Path, text: &str) -> Result<(), Failure> {
    use std::io::Write;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .and_then(|mut f| f.write_all(text.as_bytes()))
        .map_err(|e| Failure::Usage {
            message: format!("cannot write {}: {e}", path.display()),
            hint: "name a new file with -o".to_owned(),
        })
}

/// What `project import-bundle --json` and `import-kas --json` print.
#[derive(Serialize)]
struct ImportedView {
    #[serde(flatten)]
    project: ProjectView,
    not_imported: Vec<String>,
}

/// `project import-bundle FILE --name N [--dir D] [--strict]` and `project import-kas`.
pub fn import(out: &Output, file: &Path, imported: toaster_core::Imported) -> Outcome {
    let view = ImportedView {
        project: ProjectView::from(&imported.project),
        not_imported: imported.notes,
    };
    out.emit(&view, |w| {
        writeln!(
            w,
            "created project {} from {} in {}",
            view.project.name,
            escape(&file.display().to_string()),
            escape(&view.project.dir)
        )?;
        for note in &view.not_imported {
            writeln!(w, "  not imported: {}", escape(note))?;
        }
        Ok(())
    })?;
    Ok(())
}

/// The project name a kas file gives when none is asked for: its file name without
/// `.yml`/`.yaml`.
pub fn kas_name(file: &Path) -> String {
    let stem = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    stem.trim_end_matches(".yml")
        .trim_end_matches(".yaml")
        .to_owned()
}

/// The directory of a new project: as given, else `./NAME`.
pub fn dir_of(name: &str, dir: Option<PathBuf>) -> PathBuf {
    dir.unwrap_or_else(|| PathBuf::from(name))
}
