//! The `conf/layer.conf` of the project's own layer, `meta-<project>`.

use super::RecipeWriteError;
use super::text::Lines;
use crate::model::Release;

/// The collection name of a project's own layer: the project name in lowercase, every
/// character other than a letter or digit turned into `-`.
pub fn own_collection(project: &str) -> Result<String, RecipeWriteError> {
    let refuse = |reason: &str, hint: &str| RecipeWriteError::InvalidProject {
        project: crate::model::shorten(project),
        reason: reason.to_owned(),
        hint: hint.to_owned(),
    };
    let mapped: String = project
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let collection = mapped.trim_matches('-').to_owned();
    if collection.is_empty() {
        return Err(refuse(
            "it holds no ASCII letter or digit",
            "rename the project with at least one letter or digit",
        ));
    }
    if ["append", "prepend", "remove"]
        .iter()
        .any(|op| collection.starts_with(op))
    {
        return Err(refuse(
            "a collection starting with `append`, `prepend` or `remove` makes variable names BitBake refuses as the old override syntax (`BBFILE_PATTERN_remove…`)",
            "rename the project so it starts with another word",
        ));
    }
    if collection == "core" {
        return Err(refuse(
            "its layer collection would be `core`, the collection of openembedded-core",
            "rename the project",
        ));
    }
    Ok(collection)
}

/// The `conf/layer.conf` of the project's own layer `meta-<project>`: collection from
/// [`own_collection`], priority 10, compatible with `release`, depending on `core`.
pub fn own_layer_conf(project: &str, release: Release) -> Result<String, RecipeWriteError> {
    let collection = own_collection(project)?;
    let mut lines = Lines::default();
    lines.comment(&format!(
        "The own layer of the Toaster project {project}: recipes imported into the project."
    ));
    lines.comment("Written by Toaster; recipes added by hand in recipes-*/ are read as well.");
    lines.assign_op("BBPATH", ".=", ":${LAYERDIR}")?;
    lines.list(
        "BBFILES",
        "+=",
        &[
            "${LAYERDIR}/recipes-*/*/*.bb".to_owned(),
            "${LAYERDIR}/recipes-*/*/*.bbappend".to_owned(),
        ],
    )?;
    lines.assign_op("BBFILE_COLLECTIONS", "+=", &collection)?;
    lines.assign(&format!("BBFILE_PATTERN_{collection}"), "^${LAYERDIR}/")?;
    lines.assign(&format!("BBFILE_PRIORITY_{collection}"), "10")?;
    lines.assign(&format!("LAYERVERSION_{collection}"), "1")?;
    lines.assign(&format!("LAYERDEPENDS_{collection}"), "core")?;
    lines.assign(&format!("LAYERSERIES_COMPAT_{collection}"), release.name())?;
    Ok(lines.finish())
}
