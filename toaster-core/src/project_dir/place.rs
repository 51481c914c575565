//! Where a directory really is: canonical paths, and device/inode identities to compare
//! directories however they are reached.

use std::fs;
use std::io;
use std::os::unix::fs::MetadataExt;
use std::path::{Component, Path, PathBuf};

use super::error::{ProjectDirError, io_error};

/// Another project, as the containment checks see it.
#[derive(Debug, Clone)]
pub struct OtherProject {
    /// Its name.
    pub name: String,
    /// Its directory as recorded.
    pub dir: PathBuf,
}

/// A file's device and inode: the same for every path that reaches it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) struct Identity {
    dev: u64,
    ino: u64,
}

impl Identity {
    /// The identity of what `path` leads to, if it exists.
    pub(super) fn of(path: &Path) -> Option<Identity> {
        fs::metadata(path).ok().map(|m| Identity {
            dev: m.dev(),
            ino: m.ino(),
        })
    }

    /// The identity in a `stat` result.
    pub(super) fn from_stat(stat: &rustix::fs::Stat) -> Identity {
        Identity {
            dev: stat.st_dev,
            ino: stat.st_ino,
        }
    }

    /// The device.
    pub(super) fn dev(self) -> u64 {
        self.dev
    }
}

/// The canonical path `dir` (relative paths from the current directory) has, or will have
/// once made: the part that exists resolved with its links, the rest appended (`..` in
/// that rest taken as written, since nothing there exists to link elsewhere). A link on the
/// way that points nowhere is refused, naming it.
pub(super) fn prospective(dir: &Path) -> Result<PathBuf, ProjectDirError> {
    let absolute = std::path::absolute(dir).map_err(io_error(dir))?;
    // Always canonical: links resolved while the path exists, plain names after.
    let mut resolved = PathBuf::from("/");
    let mut exists = true;
    for component in absolute.components() {
        match component {
            Component::Prefix(_) | Component::RootDir | Component::CurDir => {}
            Component::ParentDir => {
                resolved.pop();
                // Back from names that do not exist to the part that does.
                exists = fs::symlink_metadata(&resolved).is_ok();
            }
            Component::Normal(name) => {
                let next = resolved.join(name);
                resolved = if exists {
                    match fs::symlink_metadata(&next) {
                        Ok(meta) if meta.file_type().is_symlink() => {
                            match fs::canonicalize(&next) {
                                Ok(target) => target,
                                Err(e) if e.kind() == io::ErrorKind::NotFound => {
                                    let target = fs::read_link(&next).map_err(io_error(&next))?;
                                    return Err(ProjectDirError::DanglingLink {
                                        path: next,
                                        target,
                                    });
                                }
                                Err(e) => return Err(io_error(&next)(e)),
                            }
                        }
                        Ok(_) => next,
                        Err(e) if e.kind() == io::ErrorKind::NotFound => {
                            exists = false;
                            next
                        }
                        Err(e) => return Err(io_error(&next)(e)),
                    }
                } else {
                    next
                };
            }
        }
    }
    Ok(resolved)
}

/// Whether `path` (followed through its links) is the directory `outer` or lies inside it,
/// compared by identity along its canonical ancestors; gives its canonical path if so.
pub(super) fn within(path: &Path, outer: Identity) -> Option<PathBuf> {
    let canonical = fs::canonicalize(path).ok()?;
    canonical
        .ancestors()
        .any(|a| Identity::of(a) == Some(outer))
        .then_some(canonical)
}
