//! Stopping a runner's builds: a flag the runner looks at, set by a frontend or by the
//! process's SIGINT and SIGTERM.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use super::RunnerError;

/// Set to stop the builds a runner runs (Ctrl-C, SIGTERM): they are stopped as a cancel
/// stops them, and end `cancelled`.
#[derive(Debug, Clone, Default)]
pub struct Stop(Arc<AtomicBool>);

impl Stop {
    /// A stop not asked for yet.
    pub fn new() -> Stop {
        Stop::default()
    }

    /// Asks for the stop.
    pub fn request(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    /// Whether the stop was asked for.
    pub fn requested(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }

    /// A stop asked for by SIGINT (Ctrl-C) or SIGTERM to this process, from now on (the
    /// signals no longer end the process by themselves).
    pub fn on_signals() -> Result<Stop, RunnerError> {
        use tokio::signal::unix::{SignalKind, signal};
        let io = |source| RunnerError::Io {
            path: PathBuf::from("(signals)"),
            source,
        };
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .build()
            .map_err(io)?;
        let (mut interrupt, mut terminate) = {
            let _inside = runtime.enter();
            (
                signal(SignalKind::interrupt()).map_err(io)?,
                signal(SignalKind::terminate()).map_err(io)?,
            )
        };
        let stop = Stop::new();
        let flag = stop.clone();
        std::thread::Builder::new()
            .name("toaster-signals".to_owned())
            .spawn(move || {
                runtime.block_on(async {
                    tokio::select! {
                        _ = interrupt.recv() => {}
                        _ = terminate.recv() => {}
                    }
                });
                flag.request();
            })
            .map_err(io)?;
        Ok(stop)
    }
}
