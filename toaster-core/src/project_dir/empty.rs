//! Emptying a held directory through its handle: every entry removed relative to the open
//! directory that holds it, directories entered only as directories (never through a
//! link; a link is removed as a link), and no other file system or protected directory
//! entered.

use std::collections::HashMap;
use std::ffi::{CStr, CString, OsStr};
use std::os::fd::{AsFd, BorrowedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use rustix::fs::{AtFlags, Dir, FileType, Mode};
use rustix::io::Errno;

use super::error::{ProjectDirError, errno};
use super::open::DIR_FLAGS;
use super::place::Identity;

/// What emptying must not enter: directories by identity (with why), and the device of the
/// directory being emptied.
#[derive(Debug)]
pub(super) struct Bounds {
    /// The directory being removed, for messages.
    pub(super) top: PathBuf,
    /// Its device: another one below is a mount point.
    pub(super) dev: u64,
    /// Directories that are not to be removed, and why.
    pub(super) protected: HashMap<Identity, String>,
}

/// Removes everything in `dir` (whose path for messages is `path`) but the entry named
/// `keep`.
pub(super) fn empty(
    dir: BorrowedFd<'_>,
    path: &Path,
    keep: Option<&CStr>,
    bounds: &Bounds,
) -> Result<(), ProjectDirError> {
    for (name, file_type) in entries(dir, path)? {
        if keep == Some(name.as_c_str()) {
            continue;
        }
        let child = path.join(OsStr::from_bytes(name.to_bytes()));
        let maybe_dir = matches!(file_type, FileType::Directory | FileType::Unknown);
        if !maybe_dir && unlink(dir, &name, &child)? {
            continue;
        }
        match rustix::fs::openat(dir, &name, DIR_FLAGS, Mode::empty()) {
            Ok(inner) => {
                let stat = rustix::fs::fstat(&inner).map_err(errno(&child))?;
                let identity = Identity::from_stat(&stat);
                let stop = |reason: String| ProjectDirError::Stopped {
                    path: bounds.top.clone(),
                    at: child.clone(),
                    reason,
                };
                if identity.dev() != bounds.dev {
                    return Err(stop(
                        "another file system is mounted there; unmount it first".to_owned(),
                    ));
                }
                if let Some(why) = bounds.protected.get(&identity) {
                    return Err(stop(why.clone()));
                }
                empty(inner.as_fd(), &child, None, bounds)?;
                drop(inner);
                match rustix::fs::unlinkat(dir, &name, AtFlags::REMOVEDIR) {
                    Ok(()) | Err(Errno::NOENT) => {}
                    Err(e) => return Err(errno(&child)(e)),
                }
            }
            // Not a directory (a link to one included): removed as what it is.
            Err(Errno::NOTDIR | Errno::LOOP) => {
                match rustix::fs::unlinkat(dir, &name, AtFlags::empty()) {
                    Ok(()) | Err(Errno::NOENT) => {}
                    Err(e) => return Err(errno(&child)(e)),
                }
            }
            Err(Errno::NOENT) => {}
            Err(e) => return Err(errno(&child)(e)),
        }
    }
    Ok(())
}

/// Unlinks the non-directory `name` in `dir`; false if it turned out to be a directory.
fn unlink(dir: BorrowedFd<'_>, name: &CStr, child: &Path) -> Result<bool, ProjectDirError> {
    match rustix::fs::unlinkat(dir, name, AtFlags::empty()) {
        Ok(()) | Err(Errno::NOENT) => Ok(true),
        Err(Errno::ISDIR | Errno::PERM) => Ok(false),
        Err(e) => Err(errno(child)(e)),
    }
}

/// The names in `dir` (without `.` and `..`) and their types as the directory says.
fn entries(dir: BorrowedFd<'_>, path: &Path) -> Result<Vec<(CString, FileType)>, ProjectDirError> {
    let mut found = Vec::new();
    for entry in Dir::read_from(dir).map_err(errno(path))? {
        let entry = entry.map_err(errno(path))?;
        let name = entry.file_name();
        if name != c"." && name != c".." {
            found.push((name.to_owned(), entry.file_type()));
        }
    }
    Ok(found)
}
