//! Finding the layers inside a repository or directory tree: every directory below it with
//! a `conf/layer.conf` (poky holds `meta`, `meta-poky`, `meta-yocto-bsp`, …).

use std::path::{Path, PathBuf};

use super::LayerError;
use super::facts::{self, LayerFacts};

/// How deep below the top layers are looked for. Repositories keep their layers near the
/// top; recipes directories are never searched.
const MAX_DEPTH: usize = 4;

/// A layer found below a top directory.
#[derive(Debug, Clone)]
pub struct Found {
    /// Its directory relative to the top (empty for the top itself).
    pub subdir: PathBuf,
    /// What it declares; an error when its `conf/layer.conf` cannot be read.
    pub facts: Result<LayerFacts, String>,
}

impl Found {
    /// `SUBDIR (collection, …)`, for messages.
    pub fn label(&self) -> String {
        let subdir = if self.subdir.as_os_str().is_empty() {
            ".".to_owned()
        } else {
            self.subdir.display().to_string()
        };
        match &self.facts {
            Ok(facts) => {
                let names: Vec<&str> = facts.collections.iter().map(|c| c.name.as_str()).collect();
                format!("{subdir} ({})", names.join(", "))
            }
            Err(_) => format!("{subdir} (unreadable conf/layer.conf)"),
        }
    }
}

/// Every layer below `top` (itself included), sorted by path. Hidden directories
/// (`.git`) and symbolic links are not followed, and a layer's own subdirectories are not
/// searched.
pub fn discover(top: &Path) -> Result<Vec<Found>, LayerError> {
    walk(top, None)
}

/// [`discover`] below `top` in the git repository checked out at `repository`: each
/// layer is read only inside the repository.
pub fn discover_in_repository(top: &Path, repository: &Path) -> Result<Vec<Found>, LayerError> {
    walk(top, Some(repository))
}

fn walk(top: &Path, repository: Option<&Path>) -> Result<Vec<Found>, LayerError> {
    let mut found = Vec::new();
    let mut queue = vec![(PathBuf::new(), 0usize)];
    while let Some((relative, depth)) = queue.pop() {
        let dir = top.join(&relative);
        if facts::layer_conf(&dir).is_file() {
            found.push(Found {
                facts: match repository {
                    Some(repository) => facts::read_in_repository(&dir, repository),
                    None => facts::read(&dir),
                }
                .map_err(|e| e.to_string()),
                subdir: relative,
            });
            continue;
        }
        if depth == MAX_DEPTH {
            continue;
        }
        let entries = std::fs::read_dir(&dir).map_err(LayerError::io(&dir))?;
        for entry in entries {
            let entry = entry.map_err(LayerError::io(&dir))?;
            let hidden = entry.file_name().to_string_lossy().starts_with('.');
            let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
            if is_dir && !hidden {
                queue.push((relative.join(entry.file_name()), depth + 1));
            }
        }
    }
    found.sort_by(|a, b| a.subdir.cmp(&b.subdir));
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_every_layer_of_a_tree_but_not_inside_layers_or_hidden_dirs() {
        let tmp = tempfile::tempdir().unwrap();
        for (dir, name) in [
            ("meta", "core"),
            ("meta-poky", "yocto"),
            ("nested/meta-deep", "deep"),
            ("meta/recipes/inner", "inner"),
            (".git/meta-hidden", "hidden"),
        ] {
            let conf = tmp.path().join(dir).join("conf");
            std::fs::create_dir_all(&conf).unwrap();
            std::fs::write(
                conf.join("layer.conf"),
                format!("BBFILE_COLLECTIONS = \"{name}\"\nBBFILE_PATTERN_{name} = \"\"\n"),
            )
            .unwrap();
        }
        let found = discover(tmp.path()).unwrap();
        let labels: Vec<String> = found.iter().map(Found::label).collect();
        assert_eq!(
            labels,
            [
                "meta (core)",
                "meta-poky (yocto)",
                "nested/meta-deep (deep)"
            ]
        );
    }
}
