//! The project directory on disk: created empty and marked for a project, and removed only
//! when it still carries that mark.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::model::Name;

/// The file that marks a directory as a project's own.
pub const MARKER: &str = ".toaster-project";

/// What can go wrong with a project directory.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ProjectDirError {
    /// The directory exists and holds files.
    #[error("the project directory {path} exists and is not empty")]
    NotEmpty {
        /// The directory.
        path: PathBuf,
    },
    /// Something other than a directory is in the way.
    #[error("{path} exists and is not a directory")]
    NotADirectory {
        /// The path.
        path: PathBuf,
    },
    /// The directory is gone.
    #[error("the project directory {path} does not exist any more")]
    Gone {
        /// The directory.
        path: PathBuf,
    },
    /// The directory does not carry this project's mark, so it is not removed.
    #[error(
        "{path} does not look like the directory Toaster created for project `{project}`: {reason}"
    )]
    NotTheProjects {
        /// The directory.
        path: PathBuf,
        /// The project.
        project: String,
        /// What is missing or different.
        reason: String,
    },
    /// The directory would sit inside another project's directory.
    #[error("{path} is inside the directory of another project ({outer})")]
    Nested {
        /// The directory asked for.
        path: PathBuf,
        /// The other project's directory.
        outer: PathBuf,
    },
    /// The database itself lives inside the directory.
    #[error("the project directory {path} holds the database {database}")]
    HoldsDatabase {
        /// The directory.
        path: PathBuf,
        /// The database file.
        database: PathBuf,
    },
    /// The file system refused.
    #[error("{path}: {source}")]
    Io {
        /// The path involved.
        path: PathBuf,
        /// The cause.
        source: io::Error,
    },
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> ProjectDirError + '_ {
    move |source| ProjectDirError::Io {
        path: path.to_owned(),
        source,
    }
}

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

fn marker_text(project: &Name) -> String {
    format!(
        "# This directory belongs to the Toaster project below. `toaster project delete --files`\n\
         # removes it only while this file names that project.\n\
         project = {project}\n"
    )
}

/// Makes `dir` (relative paths are taken from the current directory) ready for `project`:
/// creates it with its parents if absent, accepts it if it is an empty directory, refuses it
/// otherwise, and writes the marker.
pub fn prepare(dir: &Path, project: &Name) -> Result<PreparedDir, ProjectDirError> {
    let path = std::path::absolute(dir).map_err(io_error(dir))?;
    // Deleting the outer project with its files would take this one's along.
    if let Some(outer) = path.ancestors().skip(1).find(|a| a.join(MARKER).is_file()) {
        return Err(ProjectDirError::Nested {
            outer: outer.to_owned(),
            path,
        });
    }
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
    let path = fs::canonicalize(&path).map_err(io_error(&path))?;
    let prepared = PreparedDir { path, created };
    let marker = prepared.path.join(MARKER);
    // `create_new`: of two processes preparing the same empty directory at once, one wins;
    // the other is told the directory is taken and removes nothing.
    let written = fs::File::options()
        .write(true)
        .create_new(true)
        .open(&marker)
        .and_then(|mut file| std::io::Write::write_all(&mut file, marker_text(project).as_bytes()));
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

/// Checks that `dir` can be removed as `project`'s directory: it exists, carries the
/// project's marker, and does not hold `database`.
pub fn check_removable(
    dir: &Path,
    project: &Name,
    database: Option<&Path>,
) -> Result<PathBuf, ProjectDirError> {
    let path = match fs::canonicalize(dir) {
        Ok(path) => path,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(ProjectDirError::Gone {
                path: dir.to_owned(),
            });
        }
        Err(e) => return Err(io_error(dir)(e)),
    };
    let not_ours = |reason: String| ProjectDirError::NotTheProjects {
        path: path.clone(),
        project: project.to_string(),
        reason,
    };
    let marker = path.join(MARKER);
    let text = match fs::read_to_string(&marker) {
        Ok(text) => text,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(not_ours(format!("it has no {MARKER} file")));
        }
        Err(e) => return Err(io_error(&marker)(e)),
    };
    let named = text
        .lines()
        .find_map(|line| line.strip_prefix("project = "))
        .map(str::trim);
    if named != Some(project.as_str()) {
        return Err(not_ours(format!(
            "its {MARKER} names {}",
            named.map_or("no project".to_owned(), |n| format!("project `{n}`"))
        )));
    }
    if let Some(database) = database.and_then(|d| fs::canonicalize(d).ok()) {
        if database.starts_with(&path) {
            return Err(ProjectDirError::HoldsDatabase { path, database });
        }
    }
    Ok(path)
}

/// Removes a directory that [`check_removable`] accepted. Symbolic links inside it are
/// removed as links: what they point to (a shared download or sstate directory) stays.
pub fn remove(path: &Path) -> Result<(), ProjectDirError> {
    fs::remove_dir_all(path).map_err(io_error(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(n: &str) -> Name {
        Name::parse("project name", n).unwrap()
    }

    #[test]
    fn prepare_creates_marks_and_refuses_non_empty() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("a/b/demo");
        let prepared = prepare(&dir, &name("demo")).unwrap();
        assert!(prepared.path().join(MARKER).is_file());
        let err = prepare(&dir, &name("other")).unwrap_err();
        assert!(matches!(err, ProjectDirError::NotEmpty { .. }), "{err}");
        let file = tmp.path().join("file");
        fs::write(&file, "x").unwrap();
        assert!(matches!(
            prepare(&file, &name("x")),
            Err(ProjectDirError::NotADirectory { .. })
        ));
        prepared.abandon();
        assert!(!dir.exists());
    }

    #[test]
    fn a_project_directory_inside_another_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let outer = prepare(&tmp.path().join("outer"), &name("outer")).unwrap();
        let err = prepare(&outer.path().join("deeper/inner"), &name("inner")).unwrap_err();
        assert!(matches!(err, ProjectDirError::Nested { .. }), "{err}");
        assert!(!outer.path().join("deeper").exists(), "nothing was made");
    }

    #[test]
    fn an_existing_empty_directory_is_kept_on_abandon() {
        let tmp = tempfile::tempdir().unwrap();
        let prepared = prepare(tmp.path(), &name("demo")).unwrap();
        prepared.abandon();
        assert!(tmp.path().is_dir());
        assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 0);
    }

    #[test]
    fn removal_needs_the_projects_marker_and_spares_link_targets() {
        let tmp = tempfile::tempdir().unwrap();
        let shared = tmp.path().join("sstate-cache");
        fs::create_dir(&shared).unwrap();
        fs::write(shared.join("keep"), "shared").unwrap();
        let dir = prepare(&tmp.path().join("demo"), &name("demo"))
            .unwrap()
            .path()
            .to_owned();
        fs::create_dir_all(dir.join("build/conf")).unwrap();
        std::os::unix::fs::symlink(&shared, dir.join("build/sstate-cache")).unwrap();

        let err = check_removable(&dir, &name("other"), None).unwrap_err();
        assert!(
            matches!(err, ProjectDirError::NotTheProjects { .. }),
            "{err}"
        );
        let db = dir.join("toaster.sqlite");
        fs::write(&db, "").unwrap();
        let err = check_removable(&dir, &name("demo"), Some(&db)).unwrap_err();
        assert!(
            matches!(err, ProjectDirError::HoldsDatabase { .. }),
            "{err}"
        );
        fs::remove_file(&db).unwrap();

        let path = check_removable(&dir, &name("demo"), None).unwrap();
        remove(&path).unwrap();
        assert!(!dir.exists());
        assert_eq!(fs::read_to_string(shared.join("keep")).unwrap(), "shared");
        assert!(matches!(
            check_removable(&dir, &name("demo"), None),
            Err(ProjectDirError::Gone { .. })
        ));
    }

    #[test]
    fn an_unmarked_directory_is_never_removed() {
        let tmp = tempfile::tempdir().unwrap();
        fs::write(tmp.path().join("precious"), "x").unwrap();
        let err = check_removable(tmp.path(), &name("demo"), None).unwrap_err();
        assert!(err.to_string().contains("no .toaster-project"), "{err}");
        assert!(tmp.path().join("precious").exists());
    }
}
