//! A whole recipe, assembled from its parts in the order recipetool writes them: header,
//! description, licence, sources, dependencies, build.

use super::text::{Lines, one_line};
use super::{RecipeRequest, RecipeWriteError, SourceOrigin, build, licence, names, origin};
use crate::conf::check_value;
use crate::recipes::facts::BuildSystem;

/// The recipe's text.
pub fn write_recipe(request: &RecipeRequest<'_>) -> Result<String, RecipeWriteError> {
    names::check_name(request.name)?;
    names::check_version(request.version)?;
    let facts = request.facts;
    let mut lines = Lines::default();
    lines.comment(&format!(
        "Recipe for {} {}, written by Toaster from its sources for {}.",
        request.name, request.version, request.release
    ));
    lines.comment("Review it before building: the comments below say what could not be known.");
    if !facts.notes.is_empty() {
        lines.comment("Notes from the source analysis:");
        for note in &facts.notes {
            lines.comment(&format!("- {note}"));
        }
    }
    lines.blank();
    free_text(&mut lines, "SUMMARY", facts.summary.as_deref())?;
    free_text(&mut lines, "HOMEPAGE", facts.homepage.as_deref())?;
    lines.blank();
    let go = matches!(facts.build, BuildSystem::Go { .. });
    let prefix = if go { "src/${GO_IMPORT}/" } else { "" };
    licence::write(&mut lines, &facts.licenses, prefix)?;
    lines.blank();
    let bp = format!("{}-{}", request.name, request.version);
    origin::write(&mut lines, &bp, request.origin, request.release, go)?;
    if matches!(request.origin, SourceOrigin::Path { .. })
        && matches!(facts.build, BuildSystem::Make | BuildSystem::Unknown)
    {
        lines.comment("A plain Makefile builds inside the source tree.");
        lines.assign("EXTERNALSRC_BUILD", "${EXTERNALSRC}")?;
    }
    lines.blank();
    build::depends(&mut lines, &facts.depends)?;
    lines.blank();
    build::write(
        &mut lines,
        &facts.build,
        request.release,
        !facts.depends.is_empty(),
    )?;
    Ok(lines.finish())
}

/// A descriptive value from the sources (summary, homepage): put on one line, and written
/// only if BitBake reads it back as plain text; otherwise left out with a comment, since it
/// is not worth refusing the import for.
fn free_text(lines: &mut Lines, name: &str, value: Option<&str>) -> Result<(), RecipeWriteError> {
    let Some(value) = value else {
        return Ok(());
    };
    let value = one_line(value);
    if value.is_empty() {
        return Ok(());
    }
    match check_value(&value) {
        Ok(()) => lines.assign(name, &value),
        Err(why) => {
            lines.comment(&format!(
                "{name} left out: the value found in the sources cannot be written safely: {why}; write it by hand."
            ));
            Ok(())
        }
    }
}
