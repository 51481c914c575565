//! Event logs: a build's events as JSON lines, to record offline or on another host and
//! replay later. Plain data only (no pickle: nothing in a log can run code).
//!
//! Format, version 1 (UTF-8, one JSON object per line):
//! - line 1, the header: `{"format": "toaster-events", "version": 1, "build": {...}}` with
//!   the build's `project` (optional), `host`, `build_dir`, `machine`, `distro`, `targets`
//!   (`recipe` or `recipe:task` strings), `layers` (`name`, `source`, `reference`,
//!   `commit`) and `started_at`;
//! - every further line, one [`Event`]: `{"event": "task_started", "recipe": "busybox",
//!   "task": "do_compile", "at": 1795765414120}`. Times are milliseconds since the Unix
//!   epoch. The `event` names and fields are those of [`Event`], in snake case.
//!
//! A reader skips events it does not know (a newer writer's) and stops at the first line
//! that is not JSON (a log cut short), saying where.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{Event, IngestError, LineError, parse_line};
use crate::model::{BuildLayer, Timestamp};

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
    /// A header of the current format for `build`.
    pub fn new(build: BuildHeader) -> Header {
        Header {
            format: FORMAT.to_owned(),
            version: VERSION,
            build,
        }
    }
}

/// Appends events to an event log.
#[derive(Debug)]
pub struct EventLogWriter {
    path: PathBuf,
    out: BufWriter<File>,
}

impl EventLogWriter {
    /// Creates `path` (refusing to overwrite a file) and writes the header.
    pub fn create(path: &Path, header: &Header) -> Result<EventLogWriter, IngestError> {
        let io = |source| IngestError::Io {
            path: path.to_owned(),
            source,
        };
        let file = File::options()
            .write(true)
            .create_new(true)
            .open(path)
            .map_err(io)?;
        let mut writer = EventLogWriter {
            path: path.to_owned(),
            out: BufWriter::new(file),
        };
        writer.line(header)?;
        Ok(writer)
    }

    /// Appends one event.
    pub fn append(&mut self, event: &Event) -> Result<(), IngestError> {
        self.line(event)
    }

    /// Pushes what is buffered to the file.
    pub fn flush(&mut self) -> Result<(), IngestError> {
        self.out.flush().map_err(|source| IngestError::Io {
            path: self.path.clone(),
            source,
        })
    }

    fn line<T: Serialize>(&mut self, value: &T) -> Result<(), IngestError> {
        let io = |source| IngestError::Io {
            path: self.path.clone(),
            source,
        };
        serde_json::to_writer(&mut self.out, value).map_err(|e| io(e.into()))?;
        self.out.write_all(b"\n").map_err(io)
    }
}

/// What reading an event log came to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadReport {
    /// Events read and handed on.
    pub events: usize,
    /// Lines skipped because their event is unknown, with their line numbers.
    pub skipped: Vec<(usize, String)>,
    /// Where reading stopped early, and why: a line that is not a JSON event.
    pub stopped: Option<(usize, String)>,
}

/// Reads and checks only the header of an event log.
pub fn read_header(path: &Path) -> Result<Header, IngestError> {
    let io = |source| IngestError::Io {
        path: path.to_owned(),
        source,
    };
    let first = BufReader::new(File::open(path).map_err(io)?)
        .lines()
        .next()
        .transpose()
        .map_err(io)?;
    header_of(path, first)
}

fn header_of(path: &Path, first: Option<String>) -> Result<Header, IngestError> {
    let not_log = |reason: String| IngestError::NotAnEventLog {
        path: path.to_owned(),
        reason,
    };
    let first = first.ok_or_else(|| not_log("the file is empty".to_owned()))?;
    let value: serde_json::Value =
        serde_json::from_str(&first).map_err(|e| not_log(format!("line 1 is not JSON: {e}")))?;
    let format = value
        .get("format")
        .and_then(|f| f.as_str())
        .unwrap_or("(none)");
    if format != FORMAT {
        return Err(not_log(format!("its format is `{format}`, not `{FORMAT}`")));
    }
    let version = value.get("version").and_then(|v| v.as_u64()).unwrap_or(0);
    if version != u64::from(VERSION) {
        return Err(not_log(format!(
            "it is version {version} of the format; this Toaster reads version {VERSION}"
        )));
    }
    let header: Header = serde_json::from_value(value)
        .map_err(|e| not_log(format!("line 1 is not a valid header: {e}")))?;
    Ok(header)
}

/// Reads an event log: returns its header after checking it, then hands each event to
/// `each` in order.
pub fn read(
    path: &Path,
    mut each: impl FnMut(Event) -> Result<(), IngestError>,
) -> Result<(Header, ReadReport), IngestError> {
    let io = |source| IngestError::Io {
        path: path.to_owned(),
        source,
    };
    let mut lines = BufReader::new(File::open(path).map_err(io)?).lines();
    let first = lines.next().transpose().map_err(io)?;
    let header = header_of(path, first)?;
    let mut report = ReadReport::default();
    for (index, line) in lines.enumerate() {
        let number = index + 2;
        let line = match line {
            Ok(line) => line,
            Err(e) => {
                report.stopped = Some((number, format!("it could not be read: {e}")));
                break;
            }
        };
        if line.trim().is_empty() {
            continue;
        }
        match parse_line(&line) {
            Ok(Some(event)) => {
                each(event)?;
                report.events += 1;
            }
            Ok(None) => {
                let kind = serde_json::from_str::<serde_json::Value>(&line)
                    .ok()
                    .and_then(|v| v.get("event").and_then(|k| k.as_str()).map(str::to_owned))
                    .unwrap_or_else(|| "(none)".to_owned());
                report.skipped.push((
                    number,
                    format!("event `{kind}` is not known to this version"),
                ));
            }
            Err(LineError::Malformed(reason)) => report.skipped.push((number, reason)),
            Err(LineError::NotJson(reason)) => {
                report.stopped = Some((
                    number,
                    format!("it is not JSON ({reason}); the log may be cut short"),
                ));
                break;
            }
        }
    }
    Ok((header, report))
}
