//! The files read for one kas file (it, its lock files and its includes), by index, with
//! the short names notes show them by.

use std::path::{Component, Path, PathBuf};

/// The files read, in the order they were first read.
#[derive(Debug, Default)]
pub(super) struct Sources {
    /// Their real paths.
    paths: Vec<PathBuf>,
    /// The directory of the kas file asked for, which short names are relative to.
    base: PathBuf,
}

impl Sources {
    /// A table whose short names are relative to `base`, the kas file's directory.
    pub fn new(base: &Path) -> Sources {
        Sources {
            paths: Vec::new(),
            base: base.to_owned(),
        }
    }

    /// Adds a file; returns its index.
    pub fn add(&mut self, path: &Path) -> usize {
        self.paths.push(path.to_owned());
        self.paths.len() - 1
    }

    /// How many files were read.
    pub fn len(&self) -> usize {
        self.paths.len()
    }

    /// The real path of file `index`.
    pub fn path(&self, index: usize) -> &Path {
        self.paths
            .get(index)
            .map_or(Path::new(""), PathBuf::as_path)
    }

    /// File `index` as notes name it: relative to the kas file's directory (`../common.yml`
    /// for a file beside it), else its whole path.
    pub fn short(&self, index: usize) -> String {
        let path = self.path(index);
        relative(path, &self.base)
            .unwrap_or_else(|| path.to_path_buf())
            .display()
            .to_string()
    }
}

/// `path` relative to `base` (both absolute, without `..`), climbing with `..` where
/// needed; `None` when they share no prefix but the root.
fn relative(path: &Path, base: &Path) -> Option<PathBuf> {
    let path: Vec<Component> = path.components().collect();
    let base: Vec<Component> = base.components().collect();
    let common = path.iter().zip(&base).take_while(|(a, b)| a == b).count();
    if common <= 1 {
        return None;
    }
    let mut out = PathBuf::new();
    for _ in common..base.len() {
        out.push("..");
    }
    for part in &path[common..] {
        out.push(part);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names_are_relative_to_the_kas_file() {
        let mut sources = Sources::new(Path::new("/r/kas"));
        let a = sources.add(Path::new("/r/kas/demo.yml"));
        let b = sources.add(Path::new("/r/common/x.yml"));
        let c = sources.add(Path::new("/other/y.yml"));
        assert_eq!(sources.short(a), "demo.yml");
        assert_eq!(sources.short(b), "../common/x.yml");
        assert_eq!(sources.short(c), "/other/y.yml");
    }
}
