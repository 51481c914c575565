//! Running builds: BitBake started as argv in a build directory, its output in the build's
//! log file, stopped cleanly. The only async part of the library (tokio), used where
//! processes are supervised.

mod error;
mod lock;
mod process;
mod recording;

pub use error::RunnerError;
pub use lock::{BuildDirLock, LOCK_FILE};
pub use process::{Bitbake, BitbakeRun, LOCALE};
pub use recording::{CLASS_DIR, CONF_FILE, RecordingSetup};
