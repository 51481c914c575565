//! Making a directory ready for a new project: checked against every other project's
//! directory by canonical path and identity, created if absent, and marked.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::error::{ProjectDirError, io_error};
use super::marker::{self, MARKER};
use super::place::{self, Identity, OtherProject};
use crate::model::Name;

/// A directory made ready for a new project: absolute, canonical, empty but for the marker.
#[derive(Debug)]
pub struct PreparedDir {
    path: PathBuf,
    created: bool,
}

impl PreparedDir {
    /// The canonical path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Takes back what [`prepare`] did: the marker, and the directory if it made it.
    /// Best effort, for when recording the project failed.
    pub fn abandon(self) {
        let _ = fs::remove_file(self.path.join(MARKER));
        if self.created {
            let _ = fs::remove_dir(&self.path);
        }
    }
}

/// Makes `dir` (relative paths are taken from the current directory) ready for `project`:
/// refuses it inside or around the directory of a project in `others` or of any marked
/// one (compared by canonical path and by device/inode, so links do not hide them),
/// creates it with its parents if absent, accepts it if it is an empty directory, refuses
/// it otherwise, and writes the marker naming `project` and `database` (the database file
/// the project is recorded in, made absolute here, or its PostgreSQL URL).
pub fn prepare(
    dir: &Path,
    project: &Name,
    database: Option<&Path>,
    others: &[OtherProject],
) -> Result<PreparedDir, ProjectDirError> {
    let path = place::prospective(dir)?;
    check_placement(&path, others)?;
    let created = match fs::metadata(&path) {
        Ok(meta) if !meta.is_dir() => return Err(ProjectDirError::NotADirectory { path }),
        Ok(_) => {
            if fs::read_dir(&path)
                .map_err(io_error(&path))?
                .next()
                .is_some()
            {
                return Err(ProjectDirError::NotEmpty { path });
            }
            false
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            fs::create_dir_all(&path).map_err(io_error(&path))?;
            true
        }
        Err(e) => return Err(io_error(&path)(e)),
    };
    // What was made must be where it was checked to be.
    let canonical = fs::canonicalize(&path).map_err(io_error(&path))?;
    if canonical != path {
        if created {
            let _ = fs::remove_dir(&path);
        }
        return Err(ProjectDirError::Moved { path });
    }
    let prepared = PreparedDir { path, created };
    let marker = prepared.path.join(MARKER);
    // A PostgreSQL URL is kept as it is; a file is made absolute.
    let database = database.map(|db| match crate::store::is_database_url(db) {
        true => Ok(db.to_owned()),
        false => fs::canonicalize(db).or_else(|_| std::path::absolute(db)),
    });
    let database = database.and_then(Result::ok);
    // `create_new`: of two processes preparing the same empty directory at once, one wins;
    // the other is told the directory is taken and removes nothing.
    let written = fs::File::options()
        .write(true)
        .create_new(true)
        .open(&marker)
        .and_then(|mut file| {
            io::Write::write_all(
                &mut file,
                marker::text(project, database.as_deref()).as_bytes(),
            )
        });
    match written {
        Ok(()) => Ok(prepared),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(ProjectDirError::NotEmpty {
            path: prepared.path,
        }),
        Err(e) => {
            prepared.abandon();
            Err(io_error(&marker)(e))
        }
    }
}

/// Another project's directory as recorded, canonical, and its identity.
struct Other<'a> {
    project: &'a OtherProject,
    canonical: Option<PathBuf>,
    identity: Option<Identity>,
}

impl Other<'_> {
    /// Whether `dir` is this project's directory, by path or by identity.
    fn is(&self, dir: &Path, identity: Option<Identity>) -> bool {
        self.project.dir == dir
            || self.canonical.as_deref() == Some(dir)
            || (identity.is_some() && identity == self.identity)
    }
}

/// Refuses the canonical `path` inside a marked directory or another project's, or around
/// another project's directory.
fn check_placement(path: &Path, others: &[OtherProject]) -> Result<(), ProjectDirError> {
    let others: Vec<Other<'_>> = others
        .iter()
        .map(|project| Other {
            project,
            canonical: fs::canonicalize(&project.dir).ok(),
            identity: Identity::of(&project.dir),
        })
        .collect();
    for ancestor in path.ancestors().skip(1) {
        let identity = Identity::of(ancestor);
        let recorded = others.iter().find(|o| o.is(ancestor, identity));
        let nested = |project: String| ProjectDirError::Nested {
            path: path.to_owned(),
            project,
            outer: ancestor.to_owned(),
        };
        if let Some(other) = recorded {
            return Err(nested(other.project.name.clone()));
        }
        // A project of another database, or one whose records are gone, marks it too.
        let marker = ancestor.join(MARKER);
        if marker.is_file() {
            let mut text = String::new();
            let _ = fs::File::open(&marker)
                .and_then(|f| io::Read::read_to_string(&mut io::Read::take(f, 4096), &mut text));
            let named = marker::named(&text).unwrap_or("(unnamed)");
            return Err(nested(named.to_owned()));
        }
    }
    let own = Identity::of(path);
    for other in &others {
        let below = |dir: &Path| dir != path && dir.starts_with(path);
        let around_by_identity = own.is_some()
            && other
                .canonical
                .as_deref()
                .is_some_and(|c| c.ancestors().skip(1).any(|a| Identity::of(a) == own));
        if below(&other.project.dir)
            || other.canonical.as_deref().is_some_and(below)
            || around_by_identity
        {
            return Err(ProjectDirError::Encloses {
                path: path.to_owned(),
                project: other.project.name.clone(),
                inner: other.project.dir.clone(),
            });
        }
    }
    Ok(())
}
