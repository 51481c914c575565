//! Build archives: the zip format layer.
//!
//! [`ArchiveWriter`] writes an archive to a temporary file beside its final name and moves it
//! into place only when finished, never over an existing file. [`ArchiveReader`] checks the
//! whole central directory before reading anything (unsafe names, links and other non-files,
//! duplicates, encryption, sizes and zip-bomb ratios against [`ArchiveLimits`], local headers
//! against the central directory) and reads an entry no further than its declared size.
//!
//! The writer and the reader share one rule for entry names ([`unsafe_reason`]), so an archive
//! this module writes is one it reads back.

mod entry;
mod error;
mod limits;
mod manifest;
mod names;
mod partial;
mod reader;
mod sink;
mod validate;
mod writer;

/// What went through a copy of an entry: its size and SHA-256.
pub use super::Digested as EntryFacts;
#[cfg(test)]
pub use entry::EntryReader;
pub use error::ArchiveError;
pub use limits::ArchiveLimits;
pub use manifest::{ManifestProblem, read_manifest};
pub use names::unsafe_reason;
pub use reader::ArchiveReader;
pub use writer::ArchiveWriter;

#[cfg(test)]
mod tests;
