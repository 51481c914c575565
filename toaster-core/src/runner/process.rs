//! One BitBake run: `bin/bitbake TARGETS` started as argv in its build directory with a
//! clean environment, its console output going straight into the build's log file (so the
//! log is whole even if the runner dies), and stopped the way a terminal's Ctrl-C stops it:
//! once to let running tasks finish, again to stop them, then harder. BitBake's server
//! lives apart from its client (its own session, holding `TOPDIR/bitbake.lock`): a run
//! has ended only once that lock is free.

use std::ffi::OsString;
use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::process::{ExitStatus, Stdio};
use std::time::Duration;

use rustix::process::{Pid, Signal};
use tokio::process::{Child, Command};

use super::RunnerError;
use super::lock::BuildDirLock;

/// The locale BitBake refuses to start without.
pub const LOCALE: &str = "en_US.UTF-8";

/// How often a stopping run is looked at.
const POLL: Duration = Duration::from_millis(100);

/// What to run.
#[derive(Debug, Clone)]
pub struct BitbakeRun {
    /// The BitBake checkout (with `bin/bitbake`).
    pub bitbake: PathBuf,
    /// The build directory (BitBake's `TOPDIR`; `BUILDDIR` in its environment).
    pub build_dir: PathBuf,
    /// The targets, as `bitbake` takes them.
    pub targets: Vec<String>,
    /// Conf files read after BitBake's own (`bitbake -R FILE`).
    pub post_read: Vec<PathBuf>,
    /// Variables added to the clean environment (the recorder's `TOASTER_DB`, …).
    pub env: Vec<(String, OsString)>,
    /// Searched after BitBake's `bin/` for programs (the `python3` BitBake runs with).
    pub path: Option<OsString>,
}

impl BitbakeRun {
    /// `bin/bitbake` of the checkout, if it is one.
    pub fn program(bitbake: &Path) -> Result<PathBuf, RunnerError> {
        let program = bitbake.join("bin").join("bitbake");
        if program.is_file() && bitbake.join("lib").join("bb").is_dir() {
            Ok(program)
        } else {
            Err(RunnerError::NotBitbake {
                path: bitbake.to_owned(),
            })
        }
    }

    /// Starts BitBake, its output appended to `log`. The build directory must not be in
    /// use by another BitBake (see [`BuildDirLock`]).
    pub fn start(&self, log: &File) -> Result<Bitbake, RunnerError> {
        let program = Self::program(&self.bitbake)?;
        let io_error = |source| RunnerError::Io {
            path: self.build_dir.clone(),
            source,
        };
        let mut path = OsString::from(self.bitbake.join("bin"));
        if let Some(rest) = &self.path {
            path.push(":");
            path.push(rest);
        }
        let mut command = Command::new(&program);
        for file in &self.post_read {
            command.arg("-R").arg(file);
        }
        command
            .args(&self.targets)
            .current_dir(&self.build_dir)
            .env_clear()
            .env("PATH", path)
            .env("LANG", LOCALE)
            .env("LC_ALL", LOCALE)
            .env("BUILDDIR", &self.build_dir)
            .stdin(Stdio::null())
            .stdout(log.try_clone().map_err(io_error)?)
            .stderr(log.try_clone().map_err(io_error)?)
            // Its own group: a signal to the runner's terminal does not reach it unasked.
            .process_group(0);
        for name in ["HOME", "USER", "LOGNAME", "TMPDIR"] {
            if let Some(value) = std::env::var_os(name) {
                command.env(name, value);
            }
        }
        command.envs(self.env.iter().map(|(k, v)| (k, v)));
        let child = command.spawn().map_err(|source| RunnerError::Io {
            path: program.clone(),
            source,
        })?;
        Ok(Bitbake {
            pid: child.id().and_then(|id| Pid::from_raw(id as i32)),
            child,
            build_dir: self.build_dir.clone(),
        })
    }
}

/// A BitBake client running.
#[derive(Debug)]
pub struct Bitbake {
    child: Child,
    pid: Option<Pid>,
    build_dir: PathBuf,
}

impl Bitbake {
    /// Sends `signal` to the BitBake client's process group (while it runs).
    pub fn signal(&self, signal: Signal) {
        if let Some(pid) = self.pid {
            // It may have ended meanwhile: nothing to do then.
            let _ = rustix::process::kill_process_group(pid, signal);
        }
    }

    /// How the client ended, if it has.
    pub fn try_status(&mut self) -> io::Result<Option<ExitStatus>> {
        let status = self.child.try_wait()?;
        if status.is_some() {
            self.pid = None;
        }
        Ok(status)
    }

    /// Stops the run: SIGINT (BitBake lets running tasks finish), a second SIGINT after
    /// `grace` (it stops them), SIGTERM to its group after another `grace`, SIGKILL after a
    /// third; then waits for its server. Returns how the client ended.
    pub async fn stop(&mut self, grace: Duration) -> io::Result<ExitStatus> {
        for signal in [Signal::INT, Signal::INT, Signal::TERM, Signal::KILL] {
            self.signal(signal);
            if let Ok(ended) = tokio::time::timeout(grace, self.child.wait()).await {
                let status = ended?;
                self.pid = None;
                self.wait_for_server(grace).await;
                return Ok(status);
            }
        }
        let status = self.child.wait().await?;
        self.pid = None;
        self.wait_for_server(grace).await;
        Ok(status)
    }

    /// BitBake's server shuts down once its client is gone; one that keeps
    /// `bitbake.lock` after `grace` is sent SIGTERM, and SIGKILL after another `grace`.
    async fn wait_for_server(&self, grace: Duration) {
        for signal in [None, Some(Signal::TERM), Some(Signal::KILL)] {
            let Some(server) = BuildDirLock::holder(&self.build_dir) else {
                return;
            };
            if let (Some(signal), Some(pid)) = (signal, server) {
                let _ = rustix::process::kill_process(pid, signal);
            }
            let deadline = tokio::time::Instant::now() + grace;
            while tokio::time::Instant::now() < deadline {
                if BuildDirLock::holder(&self.build_dir).is_none() {
                    return;
                }
                tokio::time::sleep(POLL).await;
            }
        }
    }
}
