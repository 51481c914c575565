//! Recording builds: the [`Recorder`] turns a build's events into batched, transactional
//! writes, the event log keeps or replays those events as JSON lines, and a
//! [`ConsoleLog`] writes them as the build's log file.

mod artifact_event;
mod background;
pub(crate) mod bounds;
mod console_log;
mod error;
mod event;
pub(crate) mod event_log;
mod line_reader;
mod package_contents;
mod recorder;
mod sanitize;
#[cfg(any(test, feature = "test-support"))]
pub mod synthetic;
mod variables;

pub use artifact_event::ArtifactEvent;
pub use background::BackgroundRecorder;
pub use console_log::ConsoleLog;
pub use error::IngestError;
pub use event::{Event, parse_lines};
pub(crate) use event::{LineError, parse_line};
pub use event_log::ReadReport;
pub use recorder::{BatchPolicy, Recorder};
