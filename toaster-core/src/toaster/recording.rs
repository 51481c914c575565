//! Starting the recording of a build BitBake runs, in one call: as whom, into which build,
//! and with which log file. The BitBake-side recorder makes this call from a thread of its
//! own while BitBake's event loop runs; one call crosses into the library once.

use std::fmt;
use std::path::PathBuf;

use super::{COMMAND_LINE_PROJECT, Toaster};
use crate::Error;
use crate::ingest::{BatchPolicy, Recorder};
use crate::model::{Build, BuildId, LogLevel, Observed};

/// What recording a build BitBake runs needs to know.
#[derive(Debug, Clone)]
pub struct RecordingRequest {
    /// The owner to act as; `None`: the owner `client` last chose, else the one
    /// `fallback_client` (the command line on this host) last chose.
    pub owner: Option<String>,
    /// The client the build is recorded from (`bitbake:USER@HOST`).
    pub client: String,
    /// Whose remembered owner to take when `client` remembers none.
    pub fallback_client: Option<String>,
    /// The project to start a build of; `None`: the command-line-builds project.
    pub project: Option<String>,
    /// A build already started (by a runner) to record into, instead of a new one.
    pub build: Option<BuildId>,
    /// The host BitBake runs on.
    pub host: String,
    /// BitBake's build directory (`TOPDIR`).
    pub build_dir: PathBuf,
    /// What BitBake builds with, recorded with a new build.
    pub observed: Observed,
    /// Log messages below this level reach the build's log file only.
    pub store_level: LogLevel,
}

/// Something the user should hear about that did not stop the recording.
#[derive(Debug)]
#[non_exhaustive]
pub enum RecordingWarning {
    /// The build's log file could not be made: the build has no `log_path`.
    NoLogFile {
        /// The build.
        build: BuildId,
        /// Why.
        error: Error,
    },
    /// `command-line-builds/` beside the database is not this database's, so builds run
    /// by hand live in another directory.
    CommandLineProjectMoved {
        /// The directory looked for.
        usual: PathBuf,
        /// Where the project is.
        dir: PathBuf,
    },
}

impl fmt::Display for RecordingWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecordingWarning::NoLogFile { build, error } => {
                write!(
                    f,
                    "build {build} has no log file, as it could not be made: {error}"
                )?;
                match error.hint() {
                    Some(hint) => write!(f, " ({hint})"),
                    None => Ok(()),
                }
            }
            RecordingWarning::CommandLineProjectMoved { usual, dir } => write!(
                f,
                "{} is not this database's (an earlier database left it?), so builds run by hand are kept in {}",
                usual.display(),
                dir.display()
            ),
        }
    }
}

/// A recording started.
#[derive(Debug)]
pub struct Recording {
    /// The build, as it was when the recording started.
    pub build: Build,
    /// Its recorder, writing the build's log file unless a warning says otherwise.
    pub recorder: Recorder,
    /// What did not stop the recording.
    pub warnings: Vec<RecordingWarning>,
}

impl Toaster {
    /// Starts recording a build BitBake runs: acts as the owner the request names (or the
    /// one its client remembers), starts a build of its project (or takes the build it
    /// names), and gives it a log file unless the build has one (a runner's). Needs the
    /// build right on the project.
    pub fn start_recording(
        &self,
        request: &RecordingRequest,
        policy: BatchPolicy,
    ) -> Result<Recording, Error> {
        let actor = match (&request.owner, &request.fallback_client) {
            (Some(owner), _) => self.act_as(owner, &request.client)?,
            (None, None) => self.act_as_remembered(&request.client)?,
            (None, Some(fallback)) => match self.act_as_remembered(&request.client) {
                Ok(actor) => actor,
                Err(Error::NoOwner { .. }) => {
                    let owner = self.act_as_remembered(fallback)?.owner.name;
                    self.act_as(owner.as_str(), &request.client)?
                }
                Err(e) => return Err(e),
            },
        };
        let mut warnings = Vec::new();
        let build = match request.build {
            Some(id) => actor.build(id)?.build,
            None => {
                let project = match &request.project {
                    Some(project) => project.clone(),
                    None => {
                        let project = actor.command_line_project()?;
                        let usual = self.database.as_deref().and_then(|d| d.parent());
                        let usual = usual.map(|d| d.join(COMMAND_LINE_PROJECT));
                        if let Some(usual) = usual.filter(|u| *u != project.dir) {
                            warnings.push(RecordingWarning::CommandLineProjectMoved {
                                usual,
                                dir: project.dir.clone(),
                            });
                        }
                        project.name.to_string()
                    }
                };
                actor.start_observed_build(
                    &project,
                    &request.host,
                    Some(&request.build_dir),
                    &request.observed,
                )?
            }
        };
        let mut recorder = actor
            .recorder(build.id, policy)?
            .storing_logs_from(request.store_level);
        if build.log_path.is_none() {
            match actor.open_build_log(build.id) {
                Ok(console) => recorder = recorder.with_console_log(console),
                Err(error) => warnings.push(RecordingWarning::NoLogFile {
                    build: build.id,
                    error,
                }),
            }
        }
        Ok(Recording {
            build,
            recorder,
            warnings,
        })
    }
}
