//! Recipes as frontends show them: those a build parsed, and those imported into a
//! project's own layer.

use std::path::Path;

use serde::Serialize;

use crate::ImportedRecipe;
use crate::model::RecipeRecord;

/// A recipe a build parsed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecipeView {
    /// `PN`.
    pub name: String,
    /// `PV` (with `PR` if known).
    pub version: String,
    /// The layer it comes from.
    pub layer: String,
    /// Its `.bb` file.
    pub file: String,
    /// `LICENSE`, if the build reported it.
    pub licence: Option<String>,
    /// `SUMMARY`, if the build reported it.
    pub summary: Option<String>,
    /// `SECTION`, if the build reported it.
    pub section: Option<String>,
    /// `HOMEPAGE`, if the build reported it.
    pub homepage: Option<String>,
}

impl From<&RecipeRecord> for RecipeView {
    fn from(r: &RecipeRecord) -> RecipeView {
        RecipeView {
            name: r.name.clone(),
            version: r.version.clone(),
            layer: r.layer.clone(),
            file: r.file.clone(),
            licence: r.licence.clone(),
            summary: r.summary.clone(),
            section: r.section.clone(),
            homepage: r.homepage.clone(),
        }
    }
}

/// A recipe imported from sources, as `recipe import --json` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportedRecipeView {
    /// Its name.
    pub name: String,
    /// Its version.
    pub version: String,
    /// Its file.
    pub path: String,
    /// Its text.
    pub text: String,
    /// What the look at the sources could not decide.
    pub notes: Vec<String>,
    /// True when nothing was changed (only the text written).
    pub dry_run: bool,
    /// The revision that added it; null for a dry run.
    pub revision: Option<u32>,
}

impl From<&ImportedRecipe> for ImportedRecipeView {
    fn from(imported: &ImportedRecipe) -> ImportedRecipeView {
        ImportedRecipeView {
            name: imported.name.clone(),
            version: imported.version.clone(),
            path: imported.path.display().to_string(),
            text: imported.text.clone(),
            notes: imported.notes.clone(),
            dry_run: imported.outcome.is_none(),
            revision: imported.outcome.as_ref().map(|o| o.revision.number.0),
        }
    }
}

/// A recipe of a project's own layer, as `recipe list --json` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OwnRecipeView {
    /// Its name.
    pub name: String,
    /// Its version.
    pub version: String,
    /// Its file.
    pub path: String,
    /// Whether a build of the project has parsed it.
    pub built: bool,
}

impl OwnRecipeView {
    /// The view of one entry of [`Actor::imported_recipes`](crate::Actor::imported_recipes).
    pub fn new(name: &str, version: &str, path: &Path, built: bool) -> OwnRecipeView {
        OwnRecipeView {
            name: name.to_owned(),
            version: version.to_owned(),
            path: path.display().to_string(),
            built,
        }
    }
}
