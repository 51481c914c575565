//! Go: the `module` line of `go.mod`.

use super::error::FactsError;
use super::tree::Tree;
use super::{BuildSystem, Meta};

/// Reads `go.mod`: the module path, and its last element (a `/vN` major suffix skipped) as
/// the name. Go modules state no version: it comes from the tag.
pub(crate) fn read(
    tree: &mut Tree,
    notes: &mut Vec<String>,
) -> Result<(BuildSystem, Meta), FactsError> {
    let text = tree.read_text("go.mod")?.unwrap_or_default();
    let module = text.lines().find_map(|l| {
        let rest = l.trim().strip_prefix("module")?;
        let path = rest.split("//").next()?.trim().trim_matches('"');
        (rest.starts_with([' ', '\t']) && !path.is_empty()).then(|| path.to_owned())
    });
    let Some(module) = module else {
        notes.push("go.mod has no module line: fix go.mod or give GO_IMPORT by hand".to_owned());
        return Ok((BuildSystem::Unknown, Meta::default()));
    };
    let mut parts: Vec<&str> = module.split('/').collect();
    if parts.len() > 1 && parts.last().is_some_and(|p| is_major_suffix(p)) {
        parts.pop();
    }
    let meta = Meta {
        name: parts.last().map(|s| (*s).to_owned()),
        ..Meta::default()
    };
    Ok((BuildSystem::Go { module }, meta))
}

/// `v2`, `v3`, … (a Go major-version path element).
fn is_major_suffix(part: &str) -> bool {
    part.strip_prefix('v')
        .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
}
