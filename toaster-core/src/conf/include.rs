//! Finding the file an `include`, `require` or `include_all` name refers to, as BitBake's
//! `ConfHandler` does (an absolute name as it is; a relative one beside the including file,
//! then along `BBPATH`, the first that exists), refusing what is not a regular file and,
//! when reading is confined to a directory, anything outside it.

use std::path::{Component, Path, PathBuf};

use super::error::ConfError;
use crate::model::shorten;

/// One name of an include line to look for.
pub(super) struct Wanted<'a> {
    /// The including file.
    pub parent: &'a Path,
    /// Its line.
    pub line: usize,
    /// The name, expanded.
    pub name: &'a str,
    /// Whether the name was written by the file (not made from `BBPATH` by `include_all`).
    pub explicit: bool,
}

/// The file `wanted` names, absolute; `None` when none exists. With `within`, a place
/// outside that directory (by name, or by its real path with links followed) is refused
/// before it is looked at; for `include_all` such places are passed over.
pub(super) fn find(
    wanted: &Wanted<'_>,
    bbpath: &str,
    within: Option<&Path>,
) -> Result<Option<PathBuf>, ConfError> {
    let name = Path::new(wanted.name);
    let escapes = || ConfError::Escapes {
        file: wanted.parent.to_owned(),
        line: wanted.line,
        wanted: shorten(wanted.name),
        root: within.map(Path::to_path_buf).unwrap_or_default(),
    };
    let candidates: Vec<PathBuf> = if name.is_absolute() {
        vec![name.to_owned()]
    } else {
        let beside = wanted.parent.parent().map(Path::to_path_buf);
        beside
            .into_iter()
            .chain(
                bbpath
                    .split(':')
                    .filter(|d| !d.is_empty())
                    .map(PathBuf::from),
            )
            .map(|dir| dir.join(name))
            .collect()
    };
    let mut found = None;
    for candidate in candidates {
        let candidate = std::path::absolute(&candidate).map_err(ConfError::io(&candidate))?;
        if let Some(root) = within {
            if !lexical(&candidate).starts_with(root) {
                if wanted.explicit {
                    return Err(escapes());
                }
                continue;
            }
        }
        if candidate.exists() {
            found = Some(candidate);
            break;
        }
    }
    let Some(found) = found else {
        return Ok(None);
    };
    if let Some(root) = within {
        let real = std::fs::canonicalize(&found).map_err(ConfError::io(&found))?;
        if !real.starts_with(root) {
            return Err(escapes());
        }
    }
    let kind = std::fs::metadata(&found)
        .map_err(ConfError::io(&found))?
        .file_type();
    if !kind.is_file() {
        return Err(ConfError::IncludedNotAFile {
            file: wanted.parent.to_owned(),
            line: wanted.line,
            wanted: found,
            found: crate::model::file_kind(kind),
        });
    }
    Ok(Some(found))
}

/// `path` with `.` and `..` resolved by name only (no links followed).
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}
