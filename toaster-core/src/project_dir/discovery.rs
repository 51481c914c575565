//! Finding the project directory one stands in, as git and cargo find their workspace: the
//! nearest directory at or above a starting point that carries a marker.

use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use super::error::{ProjectDirError, io_error};
use super::marker::{self, MARKER};

/// The most of a marker file that is read.
const MARKER_LIMIT: u64 = 4096;

/// A project directory found by its marker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkedDir {
    /// The directory holding the marker.
    pub dir: PathBuf,
    /// The project the marker names.
    pub project: String,
    /// The database the marker records (absolute), when it records one.
    pub database: Option<PathBuf>,
}

impl MarkedDir {
    /// The marker file.
    pub fn marker(&self) -> PathBuf {
        self.dir.join(MARKER)
    }
}

/// The nearest marked directory at or above `start` (made absolute from the current
/// directory if relative), or `None`. A marker that is a link, not a plain file, or names
/// no project is no marker: the search goes on above it.
pub fn find_marked(start: &Path) -> Result<Option<MarkedDir>, ProjectDirError> {
    let start = std::path::absolute(start).map_err(io_error(start))?;
    for dir in start.ancestors() {
        let path = dir.join(MARKER);
        let file = match fs::symlink_metadata(&path) {
            Ok(meta) if meta.is_file() => fs::File::open(&path).map_err(io_error(&path))?,
            Ok(_) => continue,
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
                ) =>
            {
                continue;
            }
            Err(e) => return Err(io_error(&path)(e)),
        };
        let mut text = String::new();
        // A marker that is not UTF-8 names no project.
        if file.take(MARKER_LIMIT).read_to_string(&mut text).is_err() {
            continue;
        }
        if let Some(project) = marker::named(&text) {
            return Ok(Some(MarkedDir {
                dir: dir.to_owned(),
                project: project.to_owned(),
                database: marker::database(&text),
            }));
        }
    }
    Ok(None)
}
