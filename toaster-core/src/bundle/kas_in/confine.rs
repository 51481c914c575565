//! Where includes may come from, and how a string include is found, as kas finds it
//! (`IncludeHandler.sanitize_include_path`): first from the top of the repository the kas
//! file is in, then, when that file does not exist, beside the including file. Either way
//! the path, links followed, must stay inside that repository (or, for the fallback, inside
//! the including file's directory); the repository is the kas file's directory when it is
//! in none. Absolute paths, `..` and links leading out are refused.

use std::path::{Component, Path, PathBuf};

/// The top of the git or Mercurial work tree `dir` is in (the nearest directory holding
/// `.git` or `.hg`), else `dir` itself. `dir` is a real path (links resolved).
pub(super) fn repository_root(dir: &Path) -> PathBuf {
    dir.ancestors()
        .find(|d| d.join(".git").exists() || d.join(".hg").exists())
        .unwrap_or(dir)
        .to_path_buf()
}

/// What a string include leads to.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Found {
    /// An existing path inside the bounds, links resolved.
    File(PathBuf),
    /// Nothing exists there (the path first looked for).
    Missing(PathBuf),
    /// The path leaves the directory it must stay in.
    Escapes(PathBuf),
}

/// Finds `include`, written in the file `including` (a real path), for a kas file in the
/// repository `root`.
pub(super) fn find_include(root: &Path, including: &Path, include: &str) -> Found {
    let first = match within(root, include) {
        Ok(Some(path)) => return Found::File(path),
        Ok(None) => lexical(&root.join(include)),
        Err(()) => return Found::Escapes(root.to_path_buf()),
    };
    let beside = including.parent().unwrap_or(root);
    match within(beside, include) {
        Ok(Some(path)) => Found::File(path),
        Ok(None) => Found::Missing(first),
        Err(()) => Found::Escapes(beside.to_path_buf()),
    }
}

/// `base/include` resolved: `Ok(Some(real path))` when it exists inside `base`, `Ok(None)`
/// when nothing is there and the path stays inside, `Err` when it leads out.
fn within(base: &Path, include: &str) -> Result<Option<PathBuf>, ()> {
    if include.is_empty() || include.contains('\0') {
        return Err(());
    }
    let joined = base.join(include);
    match std::fs::canonicalize(&joined) {
        Ok(real) if real.starts_with(base) => Ok(Some(real)),
        Ok(_) => Err(()),
        // Nothing there (or a dangling link): the path as written must stay inside.
        Err(_) => {
            if lexical(&joined).starts_with(base) && !dangling_link_out(&joined, base) {
                Ok(None)
            } else {
                Err(())
            }
        }
    }
}

/// Whether `path` is a link (at any level) whose target is outside `base`, though the
/// target does not exist.
fn dangling_link_out(path: &Path, base: &Path) -> bool {
    path.ancestors()
        .take_while(|p| p.starts_with(base) && *p != base)
        .any(|p| {
            std::fs::read_link(p).is_ok_and(|target| {
                let target = p.parent().unwrap_or(base).join(target);
                !lexical(&target).starts_with(base)
            })
        })
}

/// `path` with `.` and `..` folded away, without looking at the file system.
pub(super) fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// The lock file kas reads with `file`: `NAME.lock.EXT` beside `NAME.EXT`.
pub(super) fn lock_file(file: &Path) -> Option<PathBuf> {
    let stem = file.file_stem()?.to_str()?;
    let ext = file.extension()?.to_str()?;
    Some(file.with_file_name(format!("{stem}.lock.{ext}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_files_sit_beside() {
        assert_eq!(
            lock_file(Path::new("/r/kas/demo.yml")),
            Some(PathBuf::from("/r/kas/demo.lock.yml"))
        );
        assert_eq!(
            lock_file(Path::new("/r/demo.lock.json")),
            Some(PathBuf::from("/r/demo.lock.lock.json"))
        );
    }

    #[test]
    fn lexical_folding() {
        assert_eq!(lexical(Path::new("/a/b/../c/./d")), PathBuf::from("/a/c/d"));
        assert_eq!(lexical(Path::new("/a/../../x")), PathBuf::from("/x"));
    }
}
