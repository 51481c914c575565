use std::path::PathBuf;

use crate::model::{Action, Name, ProjectId, RevisionNumber};

/// What a store reports, whatever its backend.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// No record with that key.
    #[error("no {entity} named `{key}`")]
    NotFound {
        /// The kind of record ("owner", "project").
        entity: &'static str,
        /// The key looked up.
        key: String,
    },
    /// A record with that key exists already.
    #[error("{entity} `{key}` already exists")]
    AlreadyExists {
        /// The kind of record.
        entity: &'static str,
        /// The key that is taken.
        key: String,
    },
    /// A change based on a revision that is no longer the newest.
    #[error("project {project} is at revision {head}, but the change was based on revision {base}")]
    Conflict {
        /// The project.
        project: ProjectId,
        /// The revision the change was based on.
        base: RevisionNumber,
        /// The project's newest revision.
        head: RevisionNumber,
    },
    /// A record changed between reading it and writing it.
    #[error("the {entity} `{key}` was changed by someone else meanwhile")]
    Changed {
        /// The kind of record.
        entity: &'static str,
        /// Its key.
        key: String,
    },
    /// The acting owner no longer holds the right the change requires (checked in the
    /// change's transaction); nothing was written.
    #[error("owner `{owner}` may not {action}{}", project.as_ref().map(|p| format!(" project `{p}`")).unwrap_or_default())]
    Denied {
        /// Who tried.
        owner: Name,
        /// What they tried.
        action: Action,
        /// On which project, if any.
        project: Option<Name>,
    },
    /// A build that has ended takes no more records.
    #[error("build {build} has ended ({state}); it takes no more records")]
    BuildEnded {
        /// The build.
        build: crate::model::BuildId,
        /// How it ended.
        state: crate::model::BuildState,
    },
    /// A runner renewed or released a claim it no longer holds: its lease ran out (and the
    /// build was interrupted), or the claim was released.
    #[error(
        "runner `{runner}` no longer holds build {build}: its lease ran out or it let the build go"
    )]
    LeaseLost {
        /// The build.
        build: crate::model::BuildId,
        /// The runner that asked.
        runner: crate::model::RunnerId,
    },
    /// A deliverer recorded an attempt at a delivery it no longer holds: its claim ran out
    /// and another deliverer took it, or it was delivered already.
    #[error(
        "`{by}` no longer holds hook delivery {delivery}: its claim ran out or it was delivered"
    )]
    DeliveryLost {
        /// The delivery.
        delivery: crate::model::DeliveryId,
        /// The deliverer that asked.
        by: String,
    },
    /// A change would leave the instance without an admin.
    #[error("`{owner}` is the last admin")]
    LastAdmin {
        /// The owner who would stop being admin.
        owner: String,
    },
    /// The database stayed locked by others for longer than the store waits.
    #[error("the database {location} stayed locked by another process for {waited_ms} ms")]
    Busy {
        /// The database.
        location: String,
        /// How long the store waited.
        waited_ms: u64,
    },
    /// The database file does not exist.
    #[error("there is no Toaster database at {path}")]
    Missing {
        /// The path looked at.
        path: PathBuf,
    },
    /// The file is empty (no bytes, or an SQLite database with nothing in it): no Toaster
    /// database is there yet.
    #[error("{path} is empty: it holds no Toaster database yet")]
    Empty {
        /// The file.
        path: PathBuf,
    },
    /// SQLite must create the database's WAL files beside it, even to read it, and this
    /// user may not write in that directory.
    #[error(
        "cannot open the database {path}: SQLite must create its -wal and -shm files in {directory}, even to read it, and this user may not write there"
    )]
    ReadOnlyDirectory {
        /// The database.
        path: PathBuf,
        /// Its directory.
        directory: PathBuf,
    },
    /// A change was refused: this user may not write the database.
    #[error("the database {location} is read-only for this user; nothing was changed")]
    ReadOnly {
        /// The database.
        location: String,
    },
    /// The file is not a Toaster database.
    #[error("{path} is not a Toaster database: {detail}")]
    NotADatabase {
        /// The file.
        path: PathBuf,
        /// What was found instead.
        detail: String,
    },
    /// The database was written by a newer Toaster.
    #[error(
        "the database {location} has schema version {found}, newer than the {supported} this Toaster knows"
    )]
    TooNew {
        /// The database.
        location: String,
        /// Its schema version.
        found: i64,
        /// The newest this code knows.
        supported: i64,
    },
    /// A stored record could not be read back.
    #[error("a stored {what} is damaged: {detail}")]
    Corrupt {
        /// What was being read.
        what: &'static str,
        /// The decoder's message.
        detail: String,
    },
    /// The file system refused.
    #[error("{path}: {source}")]
    Io {
        /// The path involved.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// Any other failure of the database itself.
    #[error("the database failed while it {operation}: {detail}")]
    Backend {
        /// What the store was doing.
        operation: &'static str,
        /// The driver's message.
        detail: String,
    },
}
