//! Bounded, confined reading of a source tree: no symlinks, no `..`, capped sizes and counts.

use std::fs::{self, File};
use std::io::{ErrorKind, Read};
use std::path::{Path, PathBuf};

use super::error::FactsError;

/// The largest file read (bigger files are skipped with a note).
pub(crate) const MAX_FILE_BYTES: u64 = 1024 * 1024;
/// The most top-level entries listed.
pub(crate) const MAX_ENTRIES: usize = 4096;
/// The most build files read while following `subdir()` / `add_subdirectory()`.
pub(crate) const MAX_BUILD_FILES: usize = 256;

/// A source tree being read, with the notes its reading produced.
pub(crate) struct Tree {
    root: PathBuf,
    /// What the reading skipped, one line each.
    pub(crate) notes: Vec<String>,
}

impl Tree {
    /// Opens `root`, which must be a directory.
    pub(crate) fn open(root: &Path) -> Result<Tree, FactsError> {
        match fs::metadata(root) {
            Ok(meta) if meta.is_dir() => Ok(Tree {
                root: root.to_owned(),
                notes: Vec::new(),
            }),
            Ok(_) => Err(FactsError::NotADirectory {
                path: root.to_owned(),
            }),
            Err(e) if e.kind() == ErrorKind::NotFound => Err(FactsError::NotADirectory {
                path: root.to_owned(),
            }),
            Err(e) => Err(FactsError::io(root)(e)),
        }
    }

    /// Whether a regular file (not a symlink) exists at the relative path `rel`.
    pub(crate) fn is_file(&self, rel: &str) -> Result<bool, FactsError> {
        Ok(self.regular_file(rel)?.is_some())
    }

    /// The top-level regular files and symlinks, sorted by name; other entries are left out.
    pub(crate) fn top_entries(&mut self) -> Result<Vec<TopEntry>, FactsError> {
        let reader = fs::read_dir(&self.root).map_err(FactsError::io(&self.root))?;
        let mut entries = Vec::new();
        for (count, entry) in reader.enumerate() {
            if count >= MAX_ENTRIES {
                self.notes.push(format!(
                    "only the first {MAX_ENTRIES} top-level entries were looked at"
                ));
                break;
            }
            let entry = entry.map_err(FactsError::io(&self.root))?;
            let kind = entry.file_type().map_err(FactsError::io(entry.path()))?;
            let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
                continue;
            };
            if kind.is_symlink() || kind.is_file() {
                entries.push(TopEntry {
                    name,
                    symlink: kind.is_symlink(),
                });
            }
        }
        entries.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(entries)
    }

    /// Reads the relative path `rel` as text, or `None` when it is absent, a symlink, not a
    /// regular file, or bigger than [`MAX_FILE_BYTES`] (that last case is noted).
    pub(crate) fn read_text(&mut self, rel: &str) -> Result<Option<String>, FactsError> {
        Ok(self
            .read_bytes(rel)?
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned()))
    }

    /// Reads the relative path `rel` whole, with the same rules as [`Tree::read_text`].
    pub(crate) fn read_bytes(&mut self, rel: &str) -> Result<Option<Vec<u8>>, FactsError> {
        let Some((path, len)) = self.regular_file(rel)? else {
            return Ok(None);
        };
        if len > MAX_FILE_BYTES {
            self.notes.push(format!(
                "{rel} is bigger than {MAX_FILE_BYTES} bytes and was not read"
            ));
            return Ok(None);
        }
        let mut bytes = Vec::new();
        File::open(&path)
            .and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
            .map_err(FactsError::io(&path))?;
        Ok(Some(bytes))
    }

    /// The full path and size of `rel` when every component is a plain name, no component
    /// is a symlink, and the last one is a regular file.
    fn regular_file(&self, rel: &str) -> Result<Option<(PathBuf, u64)>, FactsError> {
        let mut path = self.root.clone();
        let parts: Vec<&str> = rel
            .split('/')
            .filter(|p| !p.is_empty() && *p != ".")
            .collect();
        if parts.is_empty() || parts.iter().any(|p| *p == ".." || p.contains('\\')) {
            return Ok(None);
        }
        for (i, part) in parts.iter().enumerate() {
            path.push(part);
            let meta = match fs::symlink_metadata(&path) {
                Ok(meta) => meta,
                Err(e) if matches!(e.kind(), ErrorKind::NotFound | ErrorKind::NotADirectory) => {
                    return Ok(None);
                }
                Err(e) => return Err(FactsError::io(&path)(e)),
            };
            let last = i + 1 == parts.len();
            if meta.file_type().is_symlink()
                || (last && !meta.is_file())
                || (!last && !meta.is_dir())
            {
                return Ok(None);
            }
            if last {
                return Ok(Some((path, meta.len())));
            }
        }
        Ok(None)
    }
}

/// One top-level entry of the tree.
pub(crate) struct TopEntry {
    /// Its file name.
    pub(crate) name: String,
    /// Whether it is a symlink (never followed).
    pub(crate) symlink: bool,
}

/// Reads the build file `name` at the top of `tree` and in every subdirectory the files
/// name, at most [`MAX_BUILD_FILES`] of them (a note says when there were more): `each`
/// gets a file's path, its text without `#` comments and whether it is the top one, and
/// returns the subdirectories it names (relative to its own directory).
pub(crate) fn walk_build_files(
    tree: &mut Tree,
    name: &str,
    notes: &mut Vec<String>,
    each: &mut dyn FnMut(&str, &str, bool) -> Vec<String>,
) -> Result<(), FactsError> {
    let mut queue = vec![String::new()];
    let mut read = 0;
    while let Some(dir) = queue.pop() {
        if read == MAX_BUILD_FILES {
            notes.push(format!("only {MAX_BUILD_FILES} {name} files were read"));
            break;
        }
        let path = if dir.is_empty() {
            name.to_owned()
        } else {
            format!("{dir}/{name}")
        };
        let Some(text) = tree.read_text(&path)? else {
            continue;
        };
        read += 1;
        let text = super::calls::strip_hash_comments(&text);
        for sub in each(&path, &text, dir.is_empty()) {
            queue.push(if dir.is_empty() {
                sub
            } else {
                format!("{dir}/{sub}")
            });
        }
    }
    Ok(())
}
