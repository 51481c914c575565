//! Holding a directory open: reached component by component from `/` without following a
//! single link, so the handle is the directory the canonical path named, whatever is
//! swapped in afterwards.

use std::ffi::OsStr;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd};
use std::path::{Component, Path, PathBuf};

use rustix::fs::{Mode, OFlags};
use rustix::io::Errno;

use super::error::{ProjectDirError, errno};

/// Flags for opening a directory that must not be a link (nor block on a FIFO).
pub(super) const DIR_FLAGS: OFlags = OFlags::RDONLY
    .union(OFlags::DIRECTORY)
    .union(OFlags::NOFOLLOW)
    .union(OFlags::NONBLOCK)
    .union(OFlags::CLOEXEC);

/// An open directory, with its parent held open too and its name there.
#[derive(Debug)]
pub(super) struct Held {
    /// The directory.
    pub(super) dir: OwnedFd,
    /// Its parent.
    pub(super) parent: OwnedFd,
    /// Its name in the parent.
    pub(super) name: PathBuf,
}

/// Opens the canonical `path` (which must not be `/`) one component at a time, refusing
/// any link met on the way: one there means the path changed since it was resolved.
pub(super) fn hold(path: &Path) -> Result<Held, ProjectDirError> {
    let moved = || ProjectDirError::Moved {
        path: path.to_owned(),
    };
    let mut names = Vec::new();
    for component in path.components() {
        match component {
            Component::RootDir => {}
            Component::Normal(name) => names.push(name),
            // A canonical path has no `.`, `..` or prefix.
            Component::Prefix(_) | Component::CurDir | Component::ParentDir => {
                return Err(moved());
            }
        }
    }
    let Some(last) = names.pop() else {
        return Err(ProjectDirError::NotTheProjects {
            path: path.to_owned(),
            project: String::new(),
            reason: "it is the root directory".to_owned(),
        });
    };
    let mut parent =
        rustix::fs::open("/", DIR_FLAGS, Mode::empty()).map_err(errno(Path::new("/")))?;
    let mut reached = PathBuf::from("/");
    for name in names {
        reached.push(name);
        parent = open_child(parent.as_fd(), name, path, &reached)?;
    }
    reached.push(last);
    let dir = open_child(parent.as_fd(), last, path, &reached)?;
    Ok(Held {
        dir,
        parent,
        name: PathBuf::from(last),
    })
}

/// Opens the directory `name` in `parent`, refusing a link or anything else.
fn open_child(
    parent: BorrowedFd<'_>,
    name: &OsStr,
    path: &Path,
    reached: &Path,
) -> Result<OwnedFd, ProjectDirError> {
    match rustix::fs::openat(parent, name, DIR_FLAGS, Mode::empty()) {
        Ok(fd) => Ok(fd),
        Err(Errno::NOENT) => Err(ProjectDirError::Gone {
            path: path.to_owned(),
        }),
        Err(Errno::LOOP | Errno::NOTDIR) => Err(ProjectDirError::Moved {
            path: path.to_owned(),
        }),
        Err(e) => Err(errno(reached)(e)),
    }
}

/// The path an open directory has now, as the kernel knows it; `fallback` where that
/// cannot be read.
pub(super) fn real_path(dir: BorrowedFd<'_>, fallback: &Path) -> PathBuf {
    std::fs::read_link(format!("/proc/self/fd/{}", dir.as_raw_fd()))
        .ok()
        .filter(|p| p.is_absolute())
        .unwrap_or_else(|| fallback.to_owned())
}
