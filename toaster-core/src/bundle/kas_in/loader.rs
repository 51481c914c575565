//! Reading a kas file with its lock file and includes, in the order kas merges them
//! (`IncludeHandler.get_config`): for each file, depth first, its lock file
//! (`NAME.lock.EXT` beside it, read as if it were its first include), then its includes
//! from top to bottom, then the file itself, so later files win and a file wins over what
//! it includes.
//!
//! Includes naming a file inside another repository (`{repo, file}`) are not followed: that
//! repository is not cloned while reading; each is noted. Files are read only inside the
//! kas file's repository (see [`super::confine`]), at most [`MAX_FILES`] of them and
//! [`MAX_TOTAL_BYTES`] together; an include cycle is refused.

use std::io::Read;
use std::path::{Path, PathBuf};

use super::confine::{self, Found};
use super::error::KasInError;
use super::limits::{MAX_FILE_BYTES, MAX_FILES, MAX_TOTAL_BYTES};
use super::node::{Node, Value};
use super::schema;
use super::source::Sources;
use super::yaml;

/// The files of a kas file, read and checked one by one, in merge order.
pub(super) struct Loaded {
    /// Each file's tree, in the order kas merges them.
    pub trees: Vec<Node>,
    /// The files read.
    pub sources: Sources,
    /// The repository the kas file is in (its directory when in none).
    pub root: PathBuf,
    /// The kas file's directory.
    pub dir: PathBuf,
    /// What was read and not followed.
    pub notes: Vec<String>,
}

struct Loader {
    loaded: Loaded,
    /// The files being read, outermost first, for cycles.
    chain: Vec<PathBuf>,
    bytes: u64,
    spent: yaml::Spent,
}

/// Reads the kas file `file` and everything it brings in.
pub(super) fn load(file: &Path) -> Result<Loaded, KasInError> {
    // kas takes the extension of the name given, links unresolved.
    check_extension(file)?;
    let real = std::fs::canonicalize(file).map_err(|source| KasInError::Io {
        path: file.to_owned(),
        source,
    })?;
    let dir = real.parent().unwrap_or(Path::new("/")).to_path_buf();
    let root = confine::repository_root(&dir);
    let mut loader = Loader {
        loaded: Loaded {
            trees: Vec::new(),
            sources: Sources::new(&dir),
            root,
            dir,
            notes: Vec::new(),
        },
        chain: Vec::new(),
        bytes: 0,
        spent: yaml::Spent::default(),
    };
    loader.file(&real, true)?;
    Ok(loader.loaded)
}

impl Loader {
    /// Reads `path` (a real path inside the bounds) with its lock file and includes.
    fn file(&mut self, path: &Path, top: bool) -> Result<(), KasInError> {
        if self.loaded.sources.len() >= MAX_FILES {
            return Err(KasInError::TooManyFiles {
                path: path.to_owned(),
                limit: MAX_FILES,
            });
        }
        if !top {
            check_extension(path)?;
        }
        let text = self.read(path)?;
        let index = self.loaded.sources.add(path);
        let tree = yaml::parse(&self.loaded.sources, index, &text, &mut self.spent)?;
        drop(text);
        schema::check_file(&self.loaded.sources, &tree, top)?;
        self.chain.push(path.to_owned());
        if let Some(lock) = confine::lock_file(path).filter(|l| l.exists()) {
            let real = std::fs::canonicalize(&lock).map_err(|source| KasInError::Io {
                path: lock.clone(),
                source,
            })?;
            if !real.starts_with(&self.loaded.root) {
                return Err(KasInError::IncludeEscapes {
                    file: path.to_owned(),
                    line: 1,
                    include: lock.display().to_string(),
                    root: self.loaded.root.clone(),
                });
            }
            self.file(&real, false)?;
        }
        let includes = tree
            .get("header")
            .and_then(|h| h.get("includes"))
            .map(|n| match &n.value {
                Value::Seq(items) => items.clone(),
                _ => Vec::new(),
            })
            .unwrap_or_default();
        for (i, include) in includes.iter().enumerate() {
            match &include.value {
                Value::Str(name) => self.include(path, include, name)?,
                Value::Map(_) => {
                    let field = |k| include.get(k).and_then(Node::as_str).unwrap_or_default();
                    self.loaded.notes.push(format!(
                        "{}: header.includes[{i}]: `{}` of repository `{}` not followed: it is read from that repository, which is not cloned while reading; add what it sets to the project afterwards",
                        self.loaded.sources.short(index),
                        crate::model::shorten(field("file")),
                        crate::model::shorten(field("repo")),
                    ));
                }
                _ => {}
            }
        }
        self.chain.pop();
        self.loaded.trees.push(tree);
        Ok(())
    }

    /// Follows the string include `name` written at `node` in `including`.
    fn include(&mut self, including: &Path, node: &Node, name: &str) -> Result<(), KasInError> {
        let shown = crate::model::shorten(name);
        let target = match confine::find_include(&self.loaded.root, including, name) {
            Found::File(path) => path,
            Found::Missing(tried) => {
                return Err(KasInError::IncludeNotFound {
                    file: including.to_owned(),
                    line: node.at.line,
                    include: shown,
                    tried,
                });
            }
            Found::Escapes(root) => {
                return Err(KasInError::IncludeEscapes {
                    file: including.to_owned(),
                    line: node.at.line,
                    include: shown,
                    root,
                });
            }
        };
        if let Some(at) = self.chain.iter().position(|p| *p == target) {
            let mut chain = self.chain[at..].to_vec();
            chain.push(target);
            return Err(KasInError::IncludeCycle {
                file: including.to_owned(),
                line: node.at.line,
                include: shown,
                chain,
            });
        }
        self.file(&target, false)
    }

    /// The text of the regular file `path`, within the bounds.
    fn read(&mut self, path: &Path) -> Result<String, KasInError> {
        let io = |source| KasInError::Io {
            path: path.to_owned(),
            source,
        };
        // Looked at before opening: opening a named pipe would wait for a writer.
        let meta = std::fs::metadata(path).map_err(io)?;
        if !meta.is_file() {
            return Err(KasInError::NotAFile {
                path: path.to_owned(),
                found: crate::model::file_kind(meta.file_type()),
            });
        }
        if meta.len() > MAX_FILE_BYTES {
            return Err(KasInError::TooLarge {
                path: path.to_owned(),
                size: Some(meta.len()),
                limit: MAX_FILE_BYTES,
            });
        }
        let file = std::fs::File::open(path).map_err(io)?;
        let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
        file.take(MAX_FILE_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(io)?;
        let size = bytes.len() as u64;
        if size > MAX_FILE_BYTES {
            return Err(KasInError::TooLarge {
                path: path.to_owned(),
                size: None,
                limit: MAX_FILE_BYTES,
            });
        }
        self.bytes += size;
        if self.bytes > MAX_TOTAL_BYTES {
            return Err(KasInError::TooManyBytes {
                path: path.to_owned(),
                limit: MAX_TOTAL_BYTES,
            });
        }
        String::from_utf8(bytes).map_err(|e| {
            let valid = e.utf8_error().valid_up_to();
            KasInError::Encoding {
                file: path.to_owned(),
                line: 1 + e.as_bytes()[..valid]
                    .iter()
                    .filter(|b| **b == b'\n')
                    .count(),
            }
        })
    }
}

/// kas reads `.yml`, `.yaml` and `.json` files only.
fn check_extension(path: &Path) -> Result<(), KasInError> {
    match path.extension().and_then(|e| e.to_str()) {
        Some("yml" | "yaml" | "json") => Ok(()),
        _ => Err(KasInError::Extension {
            path: path.to_owned(),
        }),
    }
}
