//! Finding a recipe by name in a project's layers (to refuse importing a second one).

use std::fs;
use std::path::{Path, PathBuf};

use crate::model::LayerRef;

/// Entries looked at, at most, before giving up (a layer tree of that size holds no more
/// recipes worth finding this way).
const MAX_ENTRIES: usize = 100_000;
/// How deep below a layer's directory recipes are looked for.
const MAX_DEPTH: usize = 4;

/// The file of a recipe named `name` (`NAME.bb` or `NAME_VERSION.bb`) that one of `layers`
/// of the project in `project_dir` has, if any. Links are not followed into directories.
pub fn recipe_file(layers: &[LayerRef], project_dir: &Path, name: &str) -> Option<PathBuf> {
    let prefix = format!("{name}_");
    let exact = format!("{name}.bb");
    for layer in layers {
        let mut stack = vec![(layer.path(project_dir), 0)];
        let mut seen = 0;
        while let Some((dir, depth)) = stack.pop() {
            for entry in fs::read_dir(&dir).into_iter().flatten().flatten() {
                seen += 1;
                if seen > MAX_ENTRIES {
                    return None;
                }
                let file_name = entry.file_name().to_string_lossy().into_owned();
                let kind = entry.file_type().ok();
                if kind.is_some_and(|k| k.is_dir())
                    && depth < MAX_DEPTH
                    && !file_name.starts_with('.')
                {
                    stack.push((entry.path(), depth + 1));
                } else if file_name == exact
                    || (file_name.starts_with(&prefix) && file_name.ends_with(".bb"))
                {
                    return Some(entry.path());
                }
            }
        }
    }
    None
}
