//! Removing a project's directory: held open and locked, checked through that handle, and
//! removed relative to it, never by path after the check.

use std::collections::HashMap;
use std::fs;
use std::io::Read;
use std::os::fd::AsFd;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use rustix::fs::{AtFlags, FileType, Mode, OFlags};
use rustix::io::Errno;

use super::empty::{self, Bounds};
use super::error::{ProjectDirError, errno, io_error};
use super::lock;
use super::marker::{self, MARKER, MARKER_C};
use super::open::{self, Held};
use super::place::{self, Identity, OtherProject};
use crate::model::Name;

/// The most of a marker file that is read.
const MARKER_LIMIT: u64 = 4096;

/// A project directory checked for removal and held: open, locked against writers, and
/// known to carry the project's marker and to hold neither the database nor another
/// project. The lock lasts until this is dropped, so drop it after the project's records
/// are deleted.
#[derive(Debug)]
pub struct Removal {
    held: Held,
    path: PathBuf,
    bounds: Bounds,
}

impl Removal {
    /// Checks that `dir` can be removed as `project`'s directory: it exists, carries the
    /// project's marker, and holds neither `database` nor the directory of any project in
    /// `others` (compared by canonical path and device/inode). Waits for writers of the
    /// directory to finish first.
    pub fn check(
        dir: &Path,
        project: &Name,
        database: Option<&Path>,
        others: &[OtherProject],
    ) -> Result<Removal, ProjectDirError> {
        let path = match fs::canonicalize(dir) {
            Ok(path) => path,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(ProjectDirError::Gone {
                    path: dir.to_owned(),
                });
            }
            Err(e) => return Err(io_error(dir)(e)),
        };
        let held = open::hold(&path)?;
        lock::exclusive(&held.dir, &path)?;
        let stat = rustix::fs::fstat(&held.dir).map_err(errno(&path))?;
        // Removed by another delete while this one waited.
        if stat.st_nlink == 0 {
            return Err(ProjectDirError::Gone { path });
        }
        let identity = Identity::from_stat(&stat);
        let not_ours = |reason: String| ProjectDirError::NotTheProjects {
            path: path.clone(),
            project: project.to_string(),
            reason,
        };
        let text = match read_marker(&held, &path)? {
            Marker::Text(text) => text,
            Marker::None(reason) => return Err(not_ours(reason)),
        };
        if let Some(reason) = marker::mismatch(&text, project) {
            return Err(not_ours(reason));
        }
        let mut protected = HashMap::new();
        if let Some(database) = database {
            if let Some(database) = place::within(database, identity) {
                return Err(ProjectDirError::HoldsDatabase { path, database });
            }
            // Reached another way (a bind mount), its directory is not entered.
            if let Ok(database) = fs::canonicalize(database) {
                if let Some(beside) = database.parent().and_then(Identity::of) {
                    let why = format!("it holds the database {}", database.display());
                    protected.insert(beside, why);
                }
            }
        }
        for other in others {
            if let Some(inner) = place::within(&other.dir, identity) {
                return Err(ProjectDirError::HoldsProject {
                    path,
                    project: other.name.clone(),
                    inner,
                });
            }
            if let Some(id) = Identity::of(&other.dir) {
                protected.insert(
                    id,
                    format!(
                        "it is the directory of project `{}` ({}), reached another way",
                        other.name,
                        other.dir.display()
                    ),
                );
            }
        }
        let bounds = Bounds {
            top: path.clone(),
            dev: identity.dev(),
            protected,
        };
        Ok(Removal { held, path, bounds })
    }

    /// Removes the directory: its contents, the marker last, then the directory itself.
    /// Links inside are removed as links: what they point to (a shared download or sstate
    /// directory) stays. Returns the path the directory had when it was removed.
    pub fn remove(&self) -> Result<PathBuf, ProjectDirError> {
        empty::empty(
            self.held.dir.as_fd(),
            &self.path,
            Some(MARKER_C),
            &self.bounds,
        )?;
        match rustix::fs::unlinkat(&self.held.dir, MARKER_C, AtFlags::empty()) {
            Ok(()) | Err(Errno::NOENT) => {}
            Err(e) => return Err(errno(&self.path.join(MARKER))(e)),
        }
        let real = open::real_path(self.held.dir.as_fd(), &self.path);
        // Its parent is held; the name there must still be this directory.
        let name = self.held.name.as_os_str().as_bytes();
        let there = rustix::fs::statat(&self.held.parent, name, AtFlags::SYMLINK_NOFOLLOW);
        let own = rustix::fs::fstat(&self.held.dir).map_err(errno(&real))?;
        match there {
            Ok(stat) if Identity::from_stat(&stat) == Identity::from_stat(&own) => {}
            _ => return Err(ProjectDirError::Moved { path: real }),
        }
        rustix::fs::unlinkat(&self.held.parent, name, AtFlags::REMOVEDIR).map_err(errno(&real))?;
        Ok(real)
    }
}

/// What the held directory has for a marker.
enum Marker {
    /// A marker file, with its text.
    Text(String),
    /// No marker, and why not.
    None(String),
}

/// Reads the marker through the held directory (a link or anything but a plain file there
/// is not a marker).
fn read_marker(held: &Held, path: &Path) -> Result<Marker, ProjectDirError> {
    let marker_path = path.join(MARKER);
    let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC;
    let fd = match rustix::fs::openat(&held.dir, MARKER, flags, Mode::empty()) {
        Ok(fd) => fd,
        Err(Errno::NOENT) => return Ok(Marker::None(format!("it has no {MARKER} file"))),
        Err(Errno::LOOP) => return Ok(Marker::None(format!("its {MARKER} is a link"))),
        Err(e) => return Err(errno(&marker_path)(e)),
    };
    let stat = rustix::fs::fstat(&fd).map_err(errno(&marker_path))?;
    if FileType::from_raw_mode(stat.st_mode) != FileType::RegularFile {
        return Ok(Marker::None(format!("its {MARKER} is not a file")));
    }
    let mut text = String::new();
    fs::File::from(fd)
        .take(MARKER_LIMIT)
        .read_to_string(&mut text)
        .map_err(io_error(&marker_path))?;
    Ok(Marker::Text(text))
}
