//! Reading real kas files from temporary directories: typical files, merging (includes,
//! overrides, lock files), and hostile input.

mod hostile;
mod merging;
mod typical;

use std::path::{Path, PathBuf};

use super::{KasImport, KasInError, read_kas};
use crate::model::{LayerRef, LayerSource};

/// A temporary directory of kas files.
struct Tree {
    dir: tempfile::TempDir,
}

impl Tree {
    /// A directory that is not inside any repository.
    fn new() -> Tree {
        Tree {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    /// A directory that is the top of a (marked) git work tree.
    fn repository() -> Tree {
        let tree = Tree::new();
        std::fs::create_dir(tree.path(".git")).unwrap();
        tree
    }

    /// The real path of `rel` inside.
    fn path(&self, rel: &str) -> PathBuf {
        std::fs::canonicalize(self.dir.path()).unwrap().join(rel)
    }

    /// Writes `text` to `rel`, making directories.
    fn write(&self, rel: &str, text: &str) -> PathBuf {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }

    fn read(&self, rel: &str) -> Result<KasImport, KasInError> {
        read_kas(&self.path(rel))
    }
}

use crate::bundle::test_layer as git;

/// A local layer.
fn local(name: &str, path: &Path) -> LayerRef {
    LayerRef {
        name: name.to_owned(),
        source: LayerSource::Local {
            path: path.to_owned(),
        },
        collections: Vec::new(),
    }
}

/// Whether some note contains every one of `parts`.
fn noted(import: &KasImport, parts: &[&str]) -> bool {
    import
        .notes
        .iter()
        .any(|n| parts.iter().all(|p| n.contains(p)))
}

const C1: &str = "0123456789abcdef0123456789abcdef01234567";
const C2: &str = "89abcdef0123456789abcdef0123456789abcdef";
const C3: &str = "fedcba9876543210fedcba9876543210fedcba98";
