//! Importing sources as wrapper recipes into the project's own layer
//! (`PROJECT/layers/meta-PROJECT`): the sources looked at (build system, licences,
//! dependencies), the recipe written, and the recipe added to the project in one revision
//! (the file and the revision land together, or neither).

use std::fs;
use std::path::PathBuf;

use super::{Actor, ChangeOutcome};
use crate::Error;
use crate::access::Action;
use crate::layers;
use crate::model::{LayerRef, LayerSource, Right};
use crate::project_dir;
use crate::recipes::facts::analyse;
use crate::recipes::write::{RecipeRequest, own_layer_conf, recipe_path, write_recipe};
use crate::recipes::{SourceError, SourceRequest, fetch};

/// Where the imported recipes go inside the project's own layer.
pub const IMPORTED: &str = "recipes-imported";

/// What to import, and how.
#[derive(Debug, Clone)]
pub struct RecipeImportRequest {
    /// Where the sources come from.
    pub source: SourceRequest,
    /// The recipe's name (default: the one the sources give).
    pub name: Option<String>,
    /// Its version (default: the sources', else `1.0`).
    pub version: Option<String>,
    /// Also install its package in every image.
    pub add_to_image: bool,
    /// Only write the recipe's text; change nothing.
    pub dry_run: bool,
}

/// A recipe imported (or, for a dry run, what it would be).
#[derive(Debug, Clone)]
pub struct ImportedRecipe {
    /// Its name.
    pub name: String,
    /// Its version.
    pub version: String,
    /// Its file (inside the project's own layer).
    pub path: PathBuf,
    /// Its text.
    pub text: String,
    /// What the look at the sources could not decide.
    pub notes: Vec<String>,
    /// The revision that added it; `None` for a dry run.
    pub outcome: Option<ChangeOutcome>,
}

impl Actor {
    /// Imports sources as a wrapper recipe into `project`'s own layer (made on first use and
    /// added to the project's layers) and adds the recipe to the project's recipes (and
    /// packages, with `add_to_image`), in one revision. Needs configure. A name already in
    /// the project's layers is refused.
    pub fn import_recipe(
        &self,
        project: &str,
        request: &RecipeImportRequest,
        progress: &mut dyn FnMut(u64, Option<u64>),
    ) -> Result<ImportedRecipe, Error> {
        let current = self.project_for(project, Action::Project(Right::Configure))?;
        let fetched = fetch(&request.source, progress)?;
        let facts = analyse(&fetched.dir)?;
        let name = request
            .name
            .clone()
            .or_else(|| facts.name.clone())
            .map(|n| n.to_lowercase().replace(['_', ' '], "-"))
            .ok_or_else(|| Error::from(SourceError::NoName))?;
        let version = request
            .version
            .clone()
            .or_else(|| facts.version.clone())
            .or_else(|| fetched.version_hint.clone())
            .unwrap_or_else(|| "1.0".to_owned());
        let text = write_recipe(&RecipeRequest {
            name: &name,
            version: &version,
            facts: &facts,
            origin: &fetched.origin,
            release: current.release,
        })?;
        let layer_dir = project_dir::own_layer_dir(&current.dir, &current.name);
        let path = layer_dir.join(recipe_path(&name, &version)?);
        let mut notes = facts.notes.clone();
        if request.dry_run {
            return Ok(ImportedRecipe {
                name,
                version,
                path,
                text,
                notes,
                outcome: None,
            });
        }
        let _writing = self.hold_dir(&current)?;
        let head = self.store().revision(current.id, current.head)?;
        if let Some(found) = layers::recipe_file(&head.config.layers, &current.dir, &name) {
            return Err(Error::RecipeExists { name, file: found });
        }
        let layer_conf = own_layer_conf(current.name.as_str(), current.release)?;
        let made_layer = project_dir::ensure_own_layer(&layer_dir, &layer_conf)?;
        let written = project_dir::write_new(&path, &text).map_err(Error::from);
        let outcome = written.and_then(|()| {
            let layer = layers::read(&layer_dir)?;
            let own = LayerRef {
                name: project_dir::own_layer_name(&current.name),
                source: LayerSource::Local {
                    path: layer_dir.clone(),
                },
                collections: layer.collections,
            };
            self.commit(project, None, |head| {
                let mut config = head.config.clone();
                if !config.layers.iter().any(|l| l.name == own.name) {
                    config.layers.push(own.clone());
                }
                if !config.recipes.contains(&name) {
                    config.recipes.push(name.clone());
                }
                if request.add_to_image && !config.packages.contains(&name) {
                    config.packages.push(name.clone());
                }
                Ok(Some((
                    format!("import recipe {name} {version}"),
                    None,
                    config,
                )))
            })
        });
        match outcome {
            Ok(outcome) => {
                if made_layer {
                    notes.push(format!(
                        "made the project's own layer {} and added it to the project",
                        layer_dir.display()
                    ));
                }
                Ok(ImportedRecipe {
                    name,
                    version,
                    path,
                    text,
                    notes,
                    outcome: Some(outcome),
                })
            }
            Err(e) => {
                let _ = fs::remove_file(&path);
                if made_layer {
                    let _ = fs::remove_dir_all(&layer_dir);
                }
                Err(e)
            }
        }
    }

    /// The recipes imported into `project`'s own layer: name, version, file, and whether
    /// the project builds it (needs read).
    pub fn imported_recipes(
        &self,
        project: &str,
    ) -> Result<Vec<(String, String, PathBuf, bool)>, Error> {
        let current = self.project_for(project, Action::Project(Right::Read))?;
        let head = self.store().revision(current.id, current.head)?;
        let dir = project_dir::own_layer_dir(&current.dir, &current.name).join(IMPORTED);
        let mut found = Vec::new();
        for recipe in fs::read_dir(&dir).into_iter().flatten().flatten() {
            for file in fs::read_dir(recipe.path()).into_iter().flatten().flatten() {
                let file_name = file.file_name().to_string_lossy().into_owned();
                let Some((name, version)) = file_name
                    .strip_suffix(".bb")
                    .and_then(|stem| stem.split_once('_'))
                else {
                    continue;
                };
                let built = head.config.recipes.iter().any(|r| r == name);
                found.push((name.to_owned(), version.to_owned(), file.path(), built));
            }
        }
        found.sort();
        Ok(found)
    }

    /// The text of the imported recipe `name` of `project` (needs read).
    pub fn recipe_text(&self, project: &str, name: &str) -> Result<String, Error> {
        let found = self
            .imported_recipes(project)?
            .into_iter()
            .find(|(n, ..)| n == name);
        let Some((_, _, path, _)) = found else {
            return Err(Error::NoRecipe {
                project: project.to_owned(),
                name: name.to_owned(),
            });
        };
        Ok(fs::read_to_string(&path).map_err(SourceError::io(&path))?)
    }

    /// Takes an imported recipe out of `project` (its recipes and packages: a revision, so
    /// `project undo` brings it back) and deletes its file (needs configure).
    pub fn remove_recipe(&self, project: &str, name: &str) -> Result<ChangeOutcome, Error> {
        let files: Vec<PathBuf> = self
            .imported_recipes(project)?
            .into_iter()
            .filter(|(n, ..)| n == name)
            .map(|(_, _, path, _)| path)
            .collect();
        if files.is_empty() {
            return Err(Error::NoRecipe {
                project: project.to_owned(),
                name: name.to_owned(),
            });
        }
        let outcome = self.commit(project, None, |head| {
            let mut config = head.config.clone();
            config.recipes.retain(|r| r != name);
            config.packages.retain(|p| p != name);
            Ok(Some((
                format!("remove imported recipe {name}"),
                None,
                config,
            )))
        })?;
        for file in files {
            let _ = fs::remove_file(&file);
            if let Some(dir) = file.parent() {
                let _ = fs::remove_dir(dir);
            }
        }
        Ok(outcome)
    }
}
