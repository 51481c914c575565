//! Event logs: a build's events as JSON lines, to record offline or on another host and
//! replay later. Plain data only (no pickle: nothing in a log can run code).
//!
//! Format, version 1 (UTF-8, one JSON object per line):
//! - line 1, the header: `{"format": "toaster-events", "version": 1, "build": {...}}` with
//!   the build's `project` (optional), `host`, `build_dir`, `machine`, `distro`, `targets`
//!   (`recipe` or `recipe:task` strings), `layers` (`name`, `source`, `reference`,
//!   `commit`) and `started_at`;
//! - every further line, one [`Event`](super::Event): `{"event": "task_started",
//!   "recipe": "busybox", "task": "do_compile", "at": 1795765414120}`. Times are
//!   milliseconds since the Unix epoch. The `event` names and fields are those of
//!   [`Event`](super::Event), in snake case; values (outcomes, levels, states) are spelled
//!   as the command line shows them (`noop`, `succeeded`, `warning`).
//!
//! Lines hold at most 1 MiB; names at most 255 bytes, paths 4096, times lie in the years
//! 1970 to 9999 and sizes fit a signed 64-bit integer (see [`super::bounds`]).
//!
//! A reader reads a log once, from the start (a file, a pipe or a FIFO), one bounded line
//! at a time. It skips events it does not know (a newer writer's), malformed ones and those
//! beyond the bounds, saying which, and stops at the first line that is not JSON (a log cut
//! short), saying where. A line past 1 MiB is an error.

mod reader;
mod writer;

use serde::{Deserialize, Serialize};

use crate::model::{BuildLayer, Timestamp};

pub use reader::{EventLogReader, ReadReport};
pub use writer::EventLogWriter;

/// The `format` value of a header.
pub const FORMAT: &str = "toaster-events";
/// The version this code writes and reads.
pub const VERSION: u32 = 1;

/// The first line of an event log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// Always [`FORMAT`].
    pub format: String,
    /// Always [`VERSION`] for logs this code writes.
    pub version: u32,
    /// The build the events belong to.
    pub build: BuildHeader,
}

/// What an event log says of its build.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuildHeader {
    /// The project it was recorded for, if any.
    #[serde(default)]
    pub project: Option<String>,
    /// The host it ran on.
    pub host: String,
    /// Its build directory there.
    pub build_dir: String,
    /// `MACHINE`.
    #[serde(default)]
    pub machine: Option<String>,
    /// `DISTRO`.
    #[serde(default)]
    pub distro: Option<String>,
    /// Targets, as `recipe` or `recipe:task`.
    #[serde(default)]
    pub targets: Vec<String>,
    /// The layers it ran with.
    #[serde(default)]
    pub layers: Vec<BuildLayer>,
    /// When it started.
    pub started_at: Timestamp,
}

impl Header {
    #[cfg(test)]
    /// A header of the current format for `build`.
    pub fn new(build: BuildHeader) -> Header {
        Header {
            format: FORMAT.to_owned(),
            version: VERSION,
            build,
        }
    }
}
