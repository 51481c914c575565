//! Running builds: BitBake started as argv in a build directory, its output in the build's
//! log file, stopped cleanly. The only async part of the library (tokio), used where
//! processes are supervised.

mod error;
mod lock;
mod process;
mod recording;
mod stop;

pub use error::RunnerError;
pub(crate) use lock::BuildDirLock;
pub(crate) use process::{Bitbake, BitbakeRun};
pub(crate) use recording::RecordingSetup;
pub use stop::Stop;

/// This host's name (`/proc/sys/kernel/hostname`, else `HOSTNAME`, else `localhost`).
pub(crate) fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok().filter(|h| !h.is_empty()))
        .unwrap_or_else(|| "localhost".to_owned())
}
