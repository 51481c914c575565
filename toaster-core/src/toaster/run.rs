//! Running a claimed build on this host: its pinned configuration made ready (BitBake, the
//! layers at their commits, the conf files, the recorder), BitBake run into the build's log
//! file, the claim kept alive, a cancel request or a stop acted on, and the build's end made
//! true whatever BitBake did.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::ExitStatus;
use std::time::{Duration, Instant};

use super::{Actor, RUNNER_LEASE};
use crate::Error;
use crate::access::Action;
use crate::ingest::{BatchPolicy, Event};
use crate::layers;
use crate::model::{
    Build, BuildFilter, BuildId, BuildState, LayerRef, LayerSource, LogLevel, LogRecord, Project,
    Right, RunnerId, Timestamp, Visibility,
};
use crate::runner::{Bitbake, BitbakeRun, BuildDirLock, RecordingSetup, RunnerError, Stop};

/// How often a running build is looked at (its end, a stop).
const POLL: Duration = Duration::from_millis(200);
/// How often the store is asked whether the build was cancelled.
const CANCEL_POLL: Duration = Duration::from_secs(1);

/// How builds are run on this host.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Searched after BitBake's `bin/` for programs: where the `python3` BitBake runs with
    /// is (it must import `toaster_rs`). Default: this process's `PATH`.
    pub path: Option<OsString>,
    /// How long each step of stopping BitBake may take (SIGINT, SIGINT, SIGTERM, SIGKILL).
    pub grace: Duration,
    /// How long a claim holds unless renewed (renewed every third of it).
    pub lease: Duration,
    /// Where this runner places the projects it builds (`runner --workdir`): each in
    /// `WORK_ROOT/PROJECT`, its layers cloned there at the commits its build pins and its
    /// conf files generated there with this host's settings. `None`: in the project's own
    /// directory.
    pub work_root: Option<PathBuf>,
    /// The release series this runner builds (`runner --release`); empty: every one. A
    /// host without what older releases need leaves their builds to other hosts.
    pub releases: Vec<crate::model::Release>,
}

impl Default for RunOptions {
    fn default() -> RunOptions {
        RunOptions {
            path: std::env::var_os("PATH"),
            grace: Duration::from_secs(30),
            lease: RUNNER_LEASE,
            work_root: None,
            releases: Vec::new(),
        }
    }
}

/// How a run ended, beside the build's state.
#[derive(Debug)]
pub struct RunOutcome {
    /// The build as it ended.
    pub build: Build,
    /// BitBake's exit status, when it ran.
    pub exit: Option<ExitStatus>,
    /// Why BitBake did not start, when it did not (also recorded as the build's error).
    pub refused: Option<Error>,
}

impl Actor {
    /// Runs `build`, which `runner` claimed, here (needs build), to its end: a build whose
    /// BitBake, layers or build directory are not ready fails before BitBake starts,
    /// saying why; otherwise BitBake runs in the build directory with the build's targets,
    /// its console output in the build's log file, recorded by meta-toaster's class with no
    /// step by the user. A cancel request (looked for every second) or `stop` stops BitBake
    /// and the build ends `cancelled`; a build BitBake left unended ends `failed`.
    pub fn run_claimed(
        &self,
        build: &Build,
        runner: &RunnerId,
        options: &RunOptions,
        stop: &Stop,
    ) -> Result<RunOutcome, Error> {
        let (build, project) = self.build_for(build.id, Action::Project(Right::Build))?;
        let ready = self
            .placed(project.clone(), &build)
            .and_then(|placed| self.make_ready(&build, &placed, options));
        let (bitbake, recording, log) = match ready {
            Ok(ready) => ready,
            Err(refused) => {
                let build = self.end_build(&build, BuildState::Failed, &refused.to_string())?;
                return Ok(RunOutcome {
                    build,
                    exit: None,
                    refused: Some(refused),
                });
            }
        };
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|source| RunnerError::Io {
                path: build.build_dir.clone(),
                source,
            })?;
        let run = BitbakeRun {
            bitbake,
            build_dir: build.build_dir.clone(),
            targets: build.targets.iter().map(ToString::to_string).collect(),
            post_read: vec![recording],
            env: Vec::new(),
            path: options.path.clone(),
        };
        // The child is watched by the runtime's process driver: it starts inside it.
        let inside = runtime.enter();
        let started = run.start(&log);
        drop(inside);
        let mut bitbake = match started {
            Ok(bitbake) => bitbake,
            Err(e) => {
                let refused = Error::from(e);
                let build = self.end_build(&build, BuildState::Failed, &refused.to_string())?;
                return Ok(RunOutcome {
                    build,
                    exit: None,
                    refused: Some(refused),
                });
            }
        };
        let (exit, stopped) =
            self.supervise(&runtime, &mut bitbake, &build, runner, options, stop)?;
        // Changes made while it ran were kept out of its build directory: now they go in.
        if let Ok(project) = self.store().project(project.name.as_str()) {
            if let Ok(newest) = self.store().revision(project.id, project.head) {
                let _ = self.write_conf_of(&project, &newest.config, newest.number);
            }
        }
        let ended = self.build(build.id)?.build;
        let build = if ended.state.is_final() {
            ended
        } else if stopped {
            self.end_build(&ended, BuildState::Cancelled, "the build was stopped")?
        } else {
            let text = format!("BitBake ended ({exit}) before its recorder ended the build");
            self.end_build(&ended, BuildState::Failed, &text)?
        };
        // BitBake's client has exited: the log it wrote is whole. A log that cannot be
        // read now stays on the build by its path, unrecorded as an artifact.
        let _ = self.seal_build_log(build.id);
        // An archive that cannot be written leaves the build as it is: `build archive`
        // tries again and says why.
        let _ = self.archive_on_end(build.id);
        let build = self.store().build(build.id)?;
        Ok(RunOutcome {
            build,
            exit: Some(exit),
            refused: None,
        })
    }

    /// Waits for BitBake to end, renewing the claim; stops it on a cancel request, a stop
    /// or a lost claim. Returns its exit status and whether it was stopped. The store is
    /// called outside the runtime, which runs only while waiting: a store's blocking
    /// client (PostgreSQL's runs a runtime of its own) must not be called from inside one.
    fn supervise(
        &self,
        runtime: &tokio::runtime::Runtime,
        bitbake: &mut Bitbake,
        build: &Build,
        runner: &RunnerId,
        options: &RunOptions,
        stop: &Stop,
    ) -> Result<(ExitStatus, bool), Error> {
        let io = |source| RunnerError::Io {
            path: build.build_dir.clone(),
            source,
        };
        let (mut renewed, mut looked) = (Instant::now(), Instant::now());
        loop {
            // The build's end is recorded before BitBake's client exits; its server goes
            // by itself a moment later (the next build here waits for it).
            if let Some(status) = bitbake.try_status().map_err(io)? {
                return Ok((status, false));
            }
            let mut stopping = stop.requested();
            if renewed.elapsed() >= options.lease / 3 {
                renewed = Instant::now();
                stopping |= match self.renew_lease(build.id, runner, options.lease) {
                    Ok(current) => current.cancel_requested_at.is_some(),
                    // Lost: the build was ended for a dead runner; it must not go on.
                    Err(e) if e.kind() == crate::ErrorKind::Conflict => true,
                    // The database is busy or gone for a moment: try again later.
                    Err(_) => false,
                };
            } else if looked.elapsed() >= CANCEL_POLL {
                looked = Instant::now();
                stopping |= self
                    .store()
                    .build(build.id)
                    .is_ok_and(|current| current.cancel_requested_at.is_some());
            }
            if stopping {
                let status = runtime.block_on(bitbake.stop(options.grace)).map_err(io)?;
                return Ok((status, true));
            }
            // The timer is made inside the runtime: outside, it has no clock to use.
            runtime.block_on(async { tokio::time::sleep(POLL).await });
        }
    }

    /// Checks and writes what the build needs before BitBake starts; returns BitBake's
    /// checkout, the conf file that enables the recorder, and the build's log file.
    fn make_ready(
        &self,
        build: &Build,
        project: &Project,
        options: &RunOptions,
    ) -> Result<(PathBuf, PathBuf, std::fs::File), Error> {
        let config = self.store().revision(build.project, build.revision)?.config;
        let bitbake = match &config.bitbake {
            Some(LayerSource::Local { path }) => path.clone(),
            Some(LayerSource::Git {
                url,
                reference,
                commit: None,
                ..
            }) => {
                return Err(RunnerError::BitbakeNotFetched {
                    project: project.name.to_string(),
                    origin: format!("{url} @ {reference}"),
                }
                .into());
            }
            Some(source @ LayerSource::Git { .. }) => {
                // Cloned like a layer: there, at the commit the revision pins.
                let clone = LayerRef {
                    name: "bitbake".to_owned(),
                    source: source.clone(),
                    collections: Vec::new(),
                };
                let problems = layers::ready_for_build(
                    &project.dir,
                    std::slice::from_ref(&clone),
                    &mut |_| {},
                );
                if !problems.is_empty() {
                    return Err(RunnerError::LayersNotReady { problems }.into());
                }
                clone.path(&project.dir)
            }
            None => {
                return Err(Error::NoBitbake {
                    project: project.name.clone(),
                });
            }
        };
        BitbakeRun::program(&bitbake)?;
        let problems = layers::ready_for_build(&project.dir, &config.layers, &mut |_| {});
        if !problems.is_empty() {
            return Err(RunnerError::LayersNotReady { problems }.into());
        }
        // A server that is going (the last build's) gets `grace` to let go.
        let deadline = Instant::now() + options.grace;
        while let Some(pid) = BuildDirLock::holder(&build.build_dir) {
            if Instant::now() >= deadline {
                return Err(RunnerError::BuildDirBusy {
                    build_dir: build.build_dir.clone(),
                    pid: pid.map_or("?".to_owned(), |p| p.as_raw_nonzero().to_string()),
                }
                .into());
            }
            std::thread::sleep(POLL);
        }
        check_python(&bitbake, options)?;
        self.write_conf_of(project, &config, build.revision)?;
        let Some(database) = self.toaster.reach.as_deref() else {
            return Err(Error::NoDirectory {
                project: project.name.to_string(),
            });
        };
        let recording = RecordingSetup {
            database,
            build: build.id,
            owner: self.owner.name.as_str(),
        }
        .write(&build.build_dir)?;
        let (_, log) = self.create_build_log(build.id)?;
        Ok((bitbake, recording, log))
    }

    /// The build a runner runs in `project`'s build directory, if one does: changes to the
    /// project must not reach the files it reads.
    pub(super) fn running_in(&self, project: &Project) -> Option<BuildId> {
        let recent = self
            .store()
            .builds(&BuildFilter {
                projects: Some(vec![project.id]),
                visibility: Visibility::All,
                limit: 100,
                offset: 0,
            })
            .ok()?;
        let build_dir = project.build_dir();
        recent
            .iter()
            .find(|b| b.claim.is_some() && !b.state.is_final() && b.build_dir == build_dir)
            .map(|b| b.id)
    }

    /// Ends a build BitBake did not end, with `text` as its last error message.
    fn end_build(&self, build: &Build, state: BuildState, text: &str) -> Result<Build, Error> {
        let mut recorder = self.recorder(build.id, BatchPolicy::default())?;
        recorder.record(Event::Log(LogRecord {
            level: if state == BuildState::Cancelled {
                LogLevel::Note
            } else {
                LogLevel::Error
            },
            text: format!("toaster: {text}"),
            task: None,
            file: None,
            line: None,
            at: Some(Timestamp::now()),
        }))?;
        recorder.finish(state, None)?;
        Ok(self.build(build.id)?.build)
    }
}

/// Checks that the `python3` BitBake will run with imports the recorder.
fn check_python(bitbake: &Path, options: &RunOptions) -> Result<(), RunnerError> {
    let mut path = OsString::from(bitbake.join("bin"));
    if let Some(rest) = &options.path {
        path.push(":");
        path.push(rest);
    }
    let checked = std::process::Command::new("python3")
        .args([
            "-c",
            "import sys, toaster_rs.bitbake; print(sys.executable)",
        ])
        .env_clear()
        .env("PATH", &path)
        .output();
    match checked {
        Ok(out) if out.status.success() => Ok(()),
        Ok(out) => Err(RunnerError::NoRecorder {
            detail: String::from_utf8_lossy(&out.stderr)
                .lines()
                .last()
                .unwrap_or("")
                .to_owned(),
        }),
        Err(e) => Err(RunnerError::NoRecorder {
            detail: format!("no python3 on PATH ({e})"),
        }),
    }
}
