use std::path::PathBuf;

use crate::store::StoreError;

/// What can go wrong while recording a build or reading an event log.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum IngestError {
    /// The store refused or failed; the batch it was given is kept if it was only busy.
    #[error("recording build {build} failed: {source}")]
    Store {
        /// The build.
        build: crate::model::BuildId,
        /// The cause.
        #[source]
        source: StoreError,
    },
    /// An event log could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A line given as an event is not one; the batch it came in is refused whole.
    #[error("line {line} is not an event: {reason}")]
    NotAnEvent {
        /// Its number in the batch, from 1.
        line: usize,
        /// Why.
        reason: String,
    },
    /// The background recorder's thread is gone (it panicked); nothing more is recorded.
    #[error("the recorder of build {build} stopped")]
    Stopped {
        /// The build.
        build: crate::model::BuildId,
    },
    /// A line of an event log goes on past the bound (an endless or binary input).
    #[error(
        "line {line} of {path} is longer than {} MiB: an event log holds one event per line, and no event is that large",
        limit >> 20
    )]
    LineTooLong {
        /// The file.
        path: PathBuf,
        /// The line's number, from 1.
        line: usize,
        /// The bound, in bytes.
        limit: usize,
    },
    /// An event log does not start with a header this version understands.
    #[error("{path}: {reason}")]
    NotAnEventLog {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
}
