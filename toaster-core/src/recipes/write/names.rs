//! Recipe names, versions and where a recipe goes inside the project's own layer.

use super::RecipeWriteError;

/// Checks a BitBake recipe name: lowercase letters, digits, `+`, `-`, `.`, starting with a
/// letter or digit.
pub fn check_name(name: &str) -> Result<(), RecipeWriteError> {
    let refuse = |reason: &str| RecipeWriteError::InvalidName {
        name: crate::model::shorten(name),
        reason: reason.to_owned(),
    };
    let Some(first) = name.chars().next() else {
        return Err(refuse("it is empty"));
    };
    if !(first.is_ascii_lowercase() || first.is_ascii_digit()) {
        return Err(refuse("it must start with a lowercase letter or a digit"));
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || "+-.".contains(*c)))
    {
        let reason = if bad == '_' {
            "`_` separates the name from the version in a recipe file name".to_owned()
        } else {
            format!("it contains `{}`", bad.escape_default())
        };
        return Err(refuse(&reason));
    }
    Ok(())
}

/// Checks a recipe version: no `_`, whitespace or `/`, and nothing BitBake would expand.
pub fn check_version(version: &str) -> Result<(), RecipeWriteError> {
    let refuse = |reason: String| RecipeWriteError::InvalidVersion {
        version: crate::model::shorten(version),
        reason,
    };
    if version.is_empty() {
        return Err(refuse("it is empty".to_owned()));
    }
    if let Some(bad) = version
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || ".+~-".contains(*c)))
    {
        let reason = match bad {
            '_' => "`_` separates the name from the version in a recipe file name".to_owned(),
            '/' => "`/` would make it a directory".to_owned(),
            c if c.is_whitespace() => "it contains whitespace".to_owned(),
            c => format!("it contains `{}`", c.escape_default()),
        };
        return Err(refuse(reason));
    }
    Ok(())
}

/// Where a recipe goes inside the own layer: `recipes-imported/<name>/<name>_<version>.bb`.
pub fn recipe_path(name: &str, version: &str) -> Result<String, RecipeWriteError> {
    check_name(name)?;
    check_version(version)?;
    Ok(format!("recipes-imported/{name}/{name}_{version}.bb"))
}
