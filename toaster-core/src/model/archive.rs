//! Build archives: where a build's archive is, and a build brought in from one.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::{BuildWrite, Progress, Timestamp};

/// Where a build was archived: one zip file with its record, logs, conf files and the
/// checksums of its artifacts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuildArchive {
    /// The zip file.
    pub path: PathBuf,
    /// When it was written.
    pub at: Timestamp,
    /// Whether it holds the images and SDKs too (`--with-images`), not only their checksums.
    pub images: bool,
}

/// What a build imported from an archive brings besides what starting a build records:
/// how it ended, its counts, and its whole record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedRecord {
    /// When it ended.
    pub ended_at: Option<Timestamp>,
    /// When its recorder last wrote.
    pub heartbeat_at: Timestamp,
    /// How far it got.
    pub progress: Progress,
    /// Log messages of level error or worse, as counted where it ran.
    pub errors: u32,
    /// Log messages of level warning, as counted where it ran.
    pub warnings: u32,
    /// Its recipes, tasks, packages, log messages and artifacts (no state changes).
    pub writes: Vec<BuildWrite>,
    /// Where it came from (the archive, its build and host).
    pub origin: String,
    /// The archive it now lives in.
    pub archive: BuildArchive,
}
