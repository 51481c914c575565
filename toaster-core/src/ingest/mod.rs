//! Recording builds: the [`Recorder`] turns a build's events into batched, transactional
//! writes, and [`event_log`] keeps or replays those events as JSON lines.

mod background;
mod error;
mod event;
pub mod event_log;
mod recorder;
mod sanitize;
#[cfg(any(test, feature = "test-support"))]
pub mod synthetic;

pub use background::BackgroundRecorder;
pub use error::IngestError;
pub use event::{Event, LineError, parse_line, parse_lines};
pub use recorder::{BatchPolicy, Recorder};
