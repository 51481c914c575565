//! `LICENSE` and `LIC_FILES_CHKSUM`, and the placeholder that keeps an unknown licence from
//! being built.

use super::RecipeWriteError;
use super::text::Lines;
use crate::recipes::facts::LicenseFile;

/// The `LICENSE` written when a licence file is not recognised or there is none: a name no
/// licence has, which the anonymous function of [`write`] recognises.
pub const LICENCE_PLACEHOLDER: &str = "TODO-SPDX-ID";

/// Writes `LICENSE` and `LIC_FILES_CHKSUM` for `files`, whose paths are relative to `S`;
/// `prefix` goes before each path (`src/${GO_IMPORT}/` for Go).
pub(super) fn write(
    lines: &mut Lines,
    files: &[LicenseFile],
    prefix: &str,
) -> Result<(), RecipeWriteError> {
    let ids = recognised(files);
    match ids {
        Some(ids) => lines.assign("LICENSE", &ids.join(" & "))?,
        None => placeholder(lines, files)?,
    }
    let mut entries = Vec::with_capacity(files.len());
    for file in files {
        entries.push(entry(file, prefix)?);
    }
    if !entries.is_empty() {
        lines.list("LIC_FILES_CHKSUM", "=", &entries)?;
    }
    Ok(())
}

/// The SPDX ids of `files`, first seen first, when every file has one and there is at least
/// one; `None` otherwise: a licence is never guessed.
fn recognised(files: &[LicenseFile]) -> Option<Vec<String>> {
    let mut ids: Vec<String> = Vec::new();
    for file in files {
        let id = file.spdx.as_deref().filter(|id| is_spdx_id(id))?;
        if !ids.iter().any(|known| known == id) {
            ids.push(id.to_owned());
        }
    }
    (!ids.is_empty()).then_some(ids)
}

/// Whether `id` looks like an SPDX licence id (`MIT`, `GPL-2.0-only`, `LGPL-2.1-or-later`).
fn is_spdx_id(id: &str) -> bool {
    id.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".+-".contains(c))
}

/// The placeholder `LICENSE` and the function that makes BitBake skip the recipe until
/// `LICENSE` is filled in. A skipped recipe still parses, so the rest of the layer and the
/// project keep working; asking BitBake to build it fails with the reason given here.
fn placeholder(lines: &mut Lines, files: &[LicenseFile]) -> Result<(), RecipeWriteError> {
    if files.is_empty() {
        lines.comment("No licence file was found in the sources: find the licence, add it to");
        lines.comment(
            "LIC_FILES_CHKSUM, set LICENSE to its SPDX id, then remove the function below.",
        );
    } else {
        lines.comment("Not every licence file was recognised: read the files in LIC_FILES_CHKSUM,");
        lines.comment(
            "set LICENSE to their SPDX ids joined with \" & \", then remove the function below.",
        );
        for file in files {
            let seen = file.spdx.as_deref().unwrap_or("not recognised");
            lines.comment(&format!("  {}: {seen}", file.path));
        }
    }
    lines.comment("Until then BitBake skips this recipe (SkipRecipe): the layer still parses, but");
    lines.comment(
        "building the recipe is refused with the reason below instead of guessing a licence.",
    );
    lines.assign("LICENSE", LICENCE_PLACEHOLDER)?;
    lines.line("python () {");
    lines.line(&format!(
        "    if d.getVar(\"LICENSE\") == \"{LICENCE_PLACEHOLDER}\":"
    ));
    lines.line("        raise bb.parse.SkipRecipe(\"LICENSE is not filled in: read the licence files of the sources and set LICENSE to their SPDX ids\")");
    lines.line("}");
    Ok(())
}

/// `file://PATH;md5=MD5`, checked.
fn entry(file: &LicenseFile, prefix: &str) -> Result<String, RecipeWriteError> {
    let path = &file.path;
    if path.is_empty()
        || path.starts_with('/')
        || path.contains(';')
        || path.split('/').any(|part| part == "..")
    {
        return Err(RecipeWriteError::source(
            "a licence file path",
            path,
            "it must be a path relative to the source tree, without `..` or `;`",
            "report this to the Toaster developers: the source analysis gave a bad path",
        ));
    }
    let md5 = &file.md5;
    if md5.len() != 32 || !md5.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(RecipeWriteError::source(
            "a licence file checksum",
            md5,
            "it is not an MD5 sum (32 hexadecimal digits)",
            "report this to the Toaster developers: the source analysis gave a bad checksum",
        ));
    }
    Ok(format!(
        "file://{prefix}{path};md5={}",
        md5.to_ascii_lowercase()
    ))
}
