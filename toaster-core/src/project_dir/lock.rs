//! The project directory's lock (`flock` on the directory itself): whoever writes the
//! project's files holds it shared, a delete holds it exclusive from its check to the
//! removal of the project's records. So a write either finishes before a delete starts
//! or is refused, and a delete never races a writer into a half-removed directory.

use std::os::fd::{AsFd, OwnedFd};
use std::path::Path;

use rustix::fs::{FlockOperation, Mode, OFlags};
use rustix::io::Errno;

use super::error::{ProjectDirError, errno};
use crate::model::Name;

/// A shared hold on a project's directory, for writing its files; released when dropped.
#[derive(Debug)]
pub struct ConfLock {
    _dir: OwnedFd,
}

impl ConfLock {
    /// Holds `project`'s directory `dir` for writing. Refused when the directory is gone
    /// (it is never made again here: that would make it without its marker) or while a
    /// delete of it runs.
    pub fn shared(dir: &Path, project: &Name) -> Result<ConfLock, ProjectDirError> {
        let missing = || ProjectDirError::Missing {
            path: dir.to_owned(),
            project: project.to_string(),
        };
        let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NONBLOCK | OFlags::CLOEXEC;
        let fd = match rustix::fs::open(dir, flags, Mode::empty()) {
            Ok(fd) => fd,
            Err(Errno::NOENT) => return Err(missing()),
            Err(Errno::NOTDIR) => {
                return Err(ProjectDirError::NotADirectory {
                    path: dir.to_owned(),
                });
            }
            Err(e) => return Err(errno(dir)(e)),
        };
        match rustix::fs::flock(&fd, FlockOperation::NonBlockingLockShared) {
            Ok(()) => {}
            Err(e) if unsupported(e) => {}
            Err(Errno::WOULDBLOCK) => {
                return Err(ProjectDirError::BeingDeleted {
                    path: dir.to_owned(),
                    project: project.to_string(),
                });
            }
            Err(e) => return Err(errno(dir)(e)),
        }
        // Removed between the open and the lock.
        if rustix::fs::fstat(&fd).map_err(errno(dir))?.st_nlink == 0 {
            return Err(missing());
        }
        Ok(ConfLock { _dir: fd })
    }
}

/// Holds the open directory `dir` (at `path`) exclusively, waiting for writers to finish.
pub(super) fn exclusive(dir: &OwnedFd, path: &Path) -> Result<(), ProjectDirError> {
    match rustix::fs::flock(dir.as_fd(), FlockOperation::LockExclusive) {
        Ok(()) => Ok(()),
        Err(e) if unsupported(e) => Ok(()),
        Err(e) => Err(errno(path)(e)),
    }
}

/// Whether the file system cannot lock a directory (NFS emulates `flock` with record locks,
/// which need a file open for writing): then writers and deletes go on without the lock,
/// as they did before it existed.
fn unsupported(e: Errno) -> bool {
    matches!(
        e,
        Errno::BADF | Errno::NOLCK | Errno::OPNOTSUPP | Errno::INVAL
    )
}
