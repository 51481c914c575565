//! What can go wrong with a project directory.

use std::io;
use std::path::{Path, PathBuf};

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
    /// A symbolic link on the way to the directory points nowhere.
    #[error("{path} is a symbolic link to {target}, which does not exist")]
    DanglingLink {
        /// The link.
        path: PathBuf,
        /// What it points to.
        target: PathBuf,
    },
    /// The directory is gone (found so by a delete).
    #[error("the project directory {path} does not exist any more")]
    Gone {
        /// The directory.
        path: PathBuf,
    },
    /// The directory of a project whose files are to be changed is gone.
    #[error(
        "the directory of project `{project}`, {path}, does not exist any more; nothing was changed"
    )]
    Missing {
        /// The directory.
        path: PathBuf,
        /// The project.
        project: String,
    },
    /// A delete of the project's directory is under way.
    #[error("project `{project}` is being deleted with its directory {path}; nothing was changed")]
    BeingDeleted {
        /// The directory.
        path: PathBuf,
        /// The project.
        project: String,
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
    #[error("{path} is inside the directory of project `{project}` ({outer})")]
    Nested {
        /// The directory asked for (its canonical path).
        path: PathBuf,
        /// The other project.
        project: String,
        /// The other project's directory.
        outer: PathBuf,
    },
    /// The directory asked for would hold another project's directory.
    #[error("{path} would hold the directory of project `{project}` ({inner})")]
    Encloses {
        /// The directory asked for (its canonical path).
        path: PathBuf,
        /// The other project.
        project: String,
        /// The other project's directory.
        inner: PathBuf,
    },
    /// The directory to remove holds another project's directory.
    #[error(
        "the project directory {path} holds the directory of project `{project}` ({inner}); nothing was deleted"
    )]
    HoldsProject {
        /// The directory.
        path: PathBuf,
        /// The other project.
        project: String,
        /// The other project's directory.
        inner: PathBuf,
    },
    /// The database itself lives inside the directory.
    #[error("the project directory {path} holds the database {database}")]
    HoldsDatabase {
        /// The directory.
        path: PathBuf,
        /// The database file.
        database: PathBuf,
    },
    /// Part of the path was replaced or moved while the directory was checked or removed.
    #[error(
        "{path} changed while it was being checked or removed (a part of it was replaced or moved); nothing more was deleted"
    )]
    Moved {
        /// The directory.
        path: PathBuf,
    },
    /// Removal met something inside the directory it must not remove, and stopped there.
    #[error(
        "removing {path} stopped at {at}: {reason}; what was removed before is gone, the rest and the project's records are kept"
    )]
    Stopped {
        /// The directory being removed.
        path: PathBuf,
        /// What removal stopped at.
        at: PathBuf,
        /// Why.
        reason: String,
    },
    /// The TMPDIR to clean is not a directory inside the build directory.
    #[error("TMPDIR {} is not cleaned: {reason}", tmp.display())]
    TmpOutside {
        /// The TMPDIR.
        tmp: PathBuf,
        /// The build directory.
        build_dir: PathBuf,
        /// Why.
        reason: String,
    },
    /// A BitBake server holds the build directory.
    #[error("BitBake is running in {} (it holds bitbake.lock); nothing was removed", build_dir.display())]
    BitbakeRunning {
        /// The build directory.
        build_dir: PathBuf,
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

/// Maps an I/O error to [`ProjectDirError::Io`] on `path`.
pub(super) fn io_error(path: &Path) -> impl FnOnce(io::Error) -> ProjectDirError + '_ {
    move |source| ProjectDirError::Io {
        path: path.to_owned(),
        source,
    }
}

/// Maps a system call's error to [`ProjectDirError::Io`] on `path`.
pub(super) fn errno(path: &Path) -> impl FnOnce(rustix::io::Errno) -> ProjectDirError + '_ {
    move |e| ProjectDirError::Io {
        path: path.to_owned(),
        source: e.into(),
    }
}
