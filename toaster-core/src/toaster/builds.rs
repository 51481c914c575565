//! Builds: starting one, recording it, reading it back, hiding and deleting it.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::{Actor, ProjectOptions};
use crate::Error;
use crate::access::{self, Action};
use crate::ingest::event_log::{BuildHeader, EventLogReader, ReadReport};
use crate::ingest::{BatchPolicy, ConsoleLog, IngestError, Recorder};
use crate::model::{
    ArtifactRecord, AuditAction, Build, BuildFilter, BuildId, BuildLayer, BuildState, BuildWrite,
    LayerSource, LogLevel, LogRecord, NewBuild, Observed, PackageRecord, Project, ProjectConfig,
    RecipeRecord, Right, Target, Task, TaskFilter, TaskOutcome, Timestamp, Visibility,
};
use crate::project_dir::ProjectDirError;
use crate::store::StoreError;

/// How long a parsing or running build may stay silent before it counts as interrupted.
/// BitBake sends a heartbeat every second, so minutes of silence mean its recorder is gone.
pub const BUILD_LEASE: Duration = Duration::from_secs(10 * 60);

/// How many names a build's log file may try (`build-7.log`, `build-7-2.log`, …) where
/// builds of other databases left theirs in the same directory.
const LOG_NAMES: u32 = 100;

/// A build with its tasks counted by outcome, as `build show` needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildDetail {
    /// The build.
    pub build: Build,
    /// How many tasks ended each way (`None`: not ended).
    pub tasks: Vec<(Option<TaskOutcome>, u32)>,
    /// The configuration it ran with (its pinned revision's); `None` for a build imported
    /// from an archive or an event log, which ran with a configuration this database does
    /// not have.
    pub config: Option<ProjectConfig>,
}

/// Which builds [`Actor::builds`] lists: of one project or all the actor may read, which
/// of them by visibility, and which page, newest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BuildQuery<'a> {
    /// Only this project's builds; `None`: every project the actor may read.
    pub project: Option<&'a str>,
    /// Visible builds (the default), hidden ones, or all.
    pub visibility: Visibility,
    /// The most builds listed (default 20).
    pub limit: u32,
    /// How many of the newest to skip (default 0).
    pub offset: u32,
}

impl Default for BuildQuery<'_> {
    fn default() -> Self {
        BuildQuery {
            project: None,
            visibility: Visibility::Visible,
            limit: 20,
            offset: 0,
        }
    }
}

/// What importing an event log came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportReport {
    /// The build made from it.
    pub build: Build,
    /// What the reader saw.
    pub read: ReadReport,
}

impl Actor {
    /// Starts recording a build of `project` on `host` (needs build). It pins the newest
    /// configuration revision, with its machine, distro, targets and layers, from the start.
    pub fn start_build(
        &self,
        project: &str,
        host: &str,
        build_dir: Option<&Path>,
    ) -> Result<Build, Error> {
        self.start_observed_build(project, host, build_dir, &Observed::default())
    }

    /// [`Actor::start_build`] for a build whose machine, distro, targets or layers BitBake
    /// reports (a build run by hand): those replace the project's in the build's record.
    pub fn start_observed_build(
        &self,
        project: &str,
        host: &str,
        build_dir: Option<&Path>,
        observed: &Observed,
    ) -> Result<Build, Error> {
        observed.check()?;
        let project = self.project_for(project, Action::Project(Right::Build))?;
        let new = self.pinned_build(&project, host, build_dir, observed)?;
        self.start(&project, new)
    }

    /// A build of `project` by this actor, pinned to the project's newest revision with
    /// its machine, distro, targets and layers (those `observed` replace), on `host`, in
    /// `build_dir` (`None`: the project's `build/`). Not requested for a runner.
    pub(super) fn pinned_build(
        &self,
        project: &Project,
        host: &str,
        build_dir: Option<&Path>,
        observed: &Observed,
    ) -> Result<NewBuild, Error> {
        let revision = self.store().revision(project.id, project.head)?;
        let config = revision.config;
        let build_dir = build_dir.map_or_else(|| project.dir.join("build"), Path::to_path_buf);
        Ok(NewBuild {
            project: project.id,
            revision: project.head,
            owner: self.owner.id,
            client: self.client.clone(),
            host: host.to_owned(),
            log_dir: build_dir.join("toaster-logs"),
            build_dir,
            machine: observed.machine.clone().or(config.machine),
            distro: observed.distro.clone().or(config.distro),
            targets: observed.targets.clone().unwrap_or(config.targets),
            layers: match &observed.layers {
                Some(layers) => layers.clone(),
                None => config.layers.iter().map(build_layer).collect(),
            },
            state: BuildState::Queued,
            started_at: Timestamp::now(),
            requested: false,
            run_on: None,
        })
    }

    /// Writes `new` with its audit entry (needs build, checked in the store's transaction).
    pub(super) fn start(&self, project: &Project, new: NewBuild) -> Result<Build, Error> {
        crate::model::check_host(&new.host)?;
        let targets: Vec<String> = new.targets.iter().map(Target::to_string).collect();
        let place = match (new.requested, &new.run_on) {
            (false, _) => format!("on {}", new.host),
            (true, Some(host)) => format!("for a runner on {host}"),
            (true, None) => "for a runner on any host".to_owned(),
        };
        let detail = format!(
            "{} {place}",
            if targets.is_empty() {
                "(no targets)".to_owned()
            } else {
                targets.join(" ")
            },
        );
        let audit = self.entry(
            Some(Action::Project(Right::Build)),
            AuditAction::BuildStart,
            Some(&project.name),
            detail,
        );
        Ok(self.store().start_build(&new, &audit)?)
    }

    /// A recorder for a build that has not ended (needs build).
    pub fn recorder(&self, build: BuildId, policy: BatchPolicy) -> Result<Recorder, Error> {
        let (build, _) = self.unended_build_for(build, Action::Project(Right::Build))?;
        let next_order = self.store().next_task_order(build.id)?;
        Ok(Recorder::new(
            self.toaster.store.clone(),
            &build,
            policy,
            next_order,
        ))
    }

    /// Creates the log file of a build that has not ended (needs build), in
    /// `BUILD_DIR/toaster-logs`, shows it as the build's `log_path`, and returns a
    /// [`ConsoleLog`] that writes it (give it to [`Recorder::with_console_log`]). The file
    /// is `build-<id>.log`, or `build-<id>-<n>.log` where a build of another database left
    /// that name: two builds never share a file, and nothing already there (a file or a
    /// link) is ever opened. Refused when the build has a log already: the process that made
    /// it writes it.
    pub fn open_build_log(&self, id: BuildId) -> Result<ConsoleLog, Error> {
        let (path, file) = self.create_build_log(id)?;
        Ok(ConsoleLog::new(path, file))
    }

    /// [`Actor::open_build_log`]'s file itself, for a writer of its own (BitBake's console
    /// output, when a runner runs the build).
    pub fn create_build_log(&self, id: BuildId) -> Result<(PathBuf, File), Error> {
        let (build, _) = self.unended_build_for(id, Action::Project(Right::Build))?;
        if let Some(path) = build.log_path {
            return Err(StoreError::AlreadyExists {
                entity: "build log",
                key: path.display().to_string(),
            }
            .into());
        }
        let dir = build.build_dir.join("toaster-logs");
        let io_error = |path: &Path| {
            let path = path.to_owned();
            move |source| IngestError::Io { path, source }
        };
        if dir.exists() && !dir.is_dir() {
            return Err(io_error(&dir)(io::Error::new(
                io::ErrorKind::NotADirectory,
                "it is a file, not a directory",
            ))
            .into());
        }
        std::fs::create_dir_all(&dir).map_err(io_error(&dir))?;
        for n in 1..=LOG_NAMES {
            let path = dir.join(match n {
                1 => format!("build-{id}.log"),
                n => format!("build-{id}-{n}.log"),
            });
            // create_new never follows a link and never opens a file that exists.
            let file = match File::options().append(true).create_new(true).open(&path) {
                Ok(file) => file,
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(source) => return Err(IngestError::Io { path, source }.into()),
            };
            return match self.store().set_build_log(id, &path) {
                Ok(_) => Ok((path, file)),
                Err(e) => {
                    // Leave no file that no build names.
                    let _ = std::fs::remove_file(&path);
                    Err(e.into())
                }
            };
        }
        Err(io_error(&dir)(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("{LOG_NAMES} log files of builds numbered {id} are there already"),
        ))
        .into())
    }

    /// Marks builds whose recorder has been silent for `lease` as interrupted (admins only:
    /// a short lease would end builds that are alive). Listings do this with
    /// [`BUILD_LEASE`] by themselves.
    pub fn interrupt_silent_builds(&self, lease: Duration) -> Result<Vec<BuildId>, Error> {
        self.require(Action::Maintain)?;
        self.interrupt_silent(lease)
    }

    pub(super) fn interrupt_silent(&self, lease: Duration) -> Result<Vec<BuildId>, Error> {
        let lease_ms = i64::try_from(lease.as_millis()).unwrap_or(i64::MAX);
        let since = Timestamp(self.store().clock()?.0.saturating_sub(lease_ms));
        Ok(self.store().interrupt_silent_builds(since)?)
    }

    /// Builds the actor may read, newest first, as `query` picks them.
    pub fn builds(&self, query: &BuildQuery<'_>) -> Result<Vec<Build>, Error> {
        self.interrupt_silent(BUILD_LEASE)?;
        let BuildQuery {
            project,
            visibility,
            limit,
            offset,
        } = *query;
        let projects = match project {
            Some(name) => Some(vec![self.project(name)?.id]),
            None if self.principal()?.admin => None,
            None => Some(self.projects(false)?.iter().map(|p| p.id).collect()),
        };
        Ok(self.store().builds(&BuildFilter {
            projects,
            visibility,
            limit,
            offset,
        })?)
    }

    /// One build with its tasks counted by outcome (needs read).
    pub fn build(&self, id: BuildId) -> Result<BuildDetail, Error> {
        self.interrupt_silent(BUILD_LEASE)?;
        let (build, _) = self.build_for(id, Action::Project(Right::Read))?;
        let tasks = self.store().task_counts(id)?;
        let config = match build.origin {
            Some(_) => None,
            None => Some(self.store().revision(build.project, build.revision)?.config),
        };
        Ok(BuildDetail {
            build,
            tasks,
            config,
        })
    }

    /// A build's tasks (needs read).
    pub fn tasks(&self, id: BuildId, filter: &TaskFilter) -> Result<Vec<Task>, Error> {
        self.build_for(id, Action::Project(Right::Read))?;
        Ok(self.store().tasks(id, filter)?)
    }

    /// The recipes a build used (needs read).
    pub fn recipes(&self, id: BuildId) -> Result<Vec<RecipeRecord>, Error> {
        self.build_for(id, Action::Project(Right::Read))?;
        Ok(self.store().recipes(id)?)
    }

    /// The packages a build made (needs read).
    pub fn packages(&self, id: BuildId) -> Result<Vec<PackageRecord>, Error> {
        self.build_for(id, Action::Project(Right::Read))?;
        Ok(self.store().packages(id)?)
    }

    /// A build's log messages at `min_level` or above (needs read).
    pub fn log_messages(&self, id: BuildId, min_level: LogLevel) -> Result<Vec<LogRecord>, Error> {
        self.build_for(id, Action::Project(Right::Read))?;
        Ok(self.store().log_messages(id, min_level)?)
    }

    /// The files a build made (needs read).
    pub fn artifacts(&self, id: BuildId) -> Result<Vec<ArtifactRecord>, Error> {
        self.build_for(id, Action::Project(Right::Read))?;
        Ok(self.store().artifacts(id)?)
    }

    /// Hides a build from listings, or shows it again (needs build).
    pub fn hide_build(&self, id: BuildId, hidden: bool) -> Result<Build, Error> {
        let (build, project) = self.build_for(id, Action::Project(Right::Build))?;
        let verb = if hidden { "hid" } else { "showed again" };
        let audit = self.entry(
            Some(Action::Project(Right::Build)),
            AuditAction::BuildHide,
            Some(&project.name),
            format!("{verb} build {}", build.id),
        );
        Ok(self.store().set_build_hidden(id, hidden, &audit)?)
    }

    /// Deletes every record of a build and nothing else (needs delete). Its files stay.
    pub fn delete_build(&self, id: BuildId) -> Result<Build, Error> {
        let (build, project) = self.build_for(id, Action::Project(Right::Delete))?;
        let detail = format!(
            "deleted build {} ({}, started {})",
            build.id, build.state, build.started_at
        );
        let audit = self.entry(
            Some(Action::Project(Right::Delete)),
            AuditAction::BuildDelete,
            Some(&project.name),
            detail,
        );
        self.store().delete_build(id, &audit)?;
        Ok(build)
    }

    /// Replays an event log into a new build of `project` (or the project its header
    /// names); needs build. The log is read once, as it comes (a file, a pipe or a FIFO),
    /// and the build is made only once its header is read. A log cut short imports what is
    /// valid and the build is marked interrupted; the report says where reading stopped.
    /// An import that fails leaves no build behind.
    pub fn import_events(&self, project: Option<&str>, path: &Path) -> Result<ImportReport, Error> {
        // Read the header first, to know the project, without recording anything.
        let reader = EventLogReader::open(path)?;
        let header = reader.header().build.clone();
        let name = match (project, header.project.as_deref()) {
            (Some(name), _) | (None, Some(name)) => name.to_owned(),
            (None, None) => {
                return Err(Error::NoProjectForImport {
                    path: path.to_owned(),
                });
            }
        };
        let project = self.project_for(&name, Action::Project(Right::Build))?;
        let new = imported_build(self, &project, header)?;
        let build = self.start(&project, new)?;
        // It ran with a configuration this database does not have: its revision is not one
        // of the project's.
        let origin = format!(
            "imported from event log {}: recorded on {} in {}",
            path.display(),
            build.host,
            build.build_dir.display()
        );
        if let Err(e) = self.store().set_build_origin(build.id, &origin) {
            self.discard_import(&project, build.id, path);
            return Err(e.into());
        }
        let mut recorder = Recorder::new(
            self.toaster.store.clone(),
            &build,
            BatchPolicy::default(),
            1,
        );
        let replayed = reader
            .events(|event| recorder.record(event))
            .and_then(|read| {
                if !recorder.ended() {
                    // The log stopped before the build's end: it will not go on.
                    recorder.interrupt()?;
                } else if recorder.pending() > 0 {
                    recorder.flush()?;
                }
                Ok(read)
            });
        let read = match replayed {
            Ok(read) => read,
            Err(e) => {
                self.discard_import(&project, build.id, path);
                return Err(e.into());
            }
        };
        Ok(ImportReport {
            build: self.store().build(build.id)?,
            read,
        })
    }

    /// Deletes the build of an import that failed, with an audit entry saying why. Should
    /// that fail too, the build is marked interrupted so that it does not look alive.
    fn discard_import(&self, project: &Project, id: BuildId, path: &Path) {
        let audit = self.entry(
            Some(Action::Project(Right::Build)),
            AuditAction::BuildDelete,
            Some(&project.name),
            format!("deleted build {id}: importing {} failed", path.display()),
        );
        if self.store().delete_build(id, &audit).is_err() {
            let _ = self.store().record(
                id,
                &[BuildWrite::State(BuildState::Interrupted, Timestamp::now())],
            );
        }
    }

    /// [`Actor::build_for`] for a build that has not ended: `BuildEnded` otherwise.
    pub(super) fn unended_build_for(
        &self,
        id: BuildId,
        action: Action,
    ) -> Result<(Build, Project), Error> {
        let (build, project) = self.build_for(id, action)?;
        if build.state.is_final() {
            return Err(StoreError::BuildEnded {
                build: build.id,
                state: build.state,
            }
            .into());
        }
        Ok((build, project))
    }

    /// The build `id` and its project, if the actor may do `action` on that project.
    pub(super) fn build_for(&self, id: BuildId, action: Action) -> Result<(Build, Project), Error> {
        let build = self.store().build(id)?;
        let project = self.store().project(build.project_name.as_str())?;
        if access::allows(&self.principal()?, &project, action) {
            Ok((build, project))
        } else {
            Err(Error::Denied {
                owner: self.owner.name.clone(),
                action,
                project: Some(project.name),
            })
        }
    }
}

fn build_layer(layer: &crate::model::LayerRef) -> BuildLayer {
    match &layer.source {
        LayerSource::Local { path } => BuildLayer {
            name: layer.name.clone(),
            source: path.display().to_string(),
            reference: None,
            commit: None,
        },
        LayerSource::Git {
            url,
            reference,
            commit,
            ..
        } => BuildLayer {
            name: layer.name.clone(),
            source: url.clone(),
            reference: Some(reference.clone()),
            commit: commit.clone(),
        },
    }
}

fn imported_build(
    actor: &Actor,
    project: &Project,
    header: BuildHeader,
) -> Result<NewBuild, Error> {
    let targets = header
        .targets
        .iter()
        .map(|t| Target::parse(t))
        .collect::<Result<Vec<_>, _>>()?;
    // Checked as those of a build run by hand are.
    let observed = Observed {
        machine: header.machine,
        distro: header.distro,
        targets: None,
        layers: Some(header.layers),
    };
    observed.check()?;
    let build_dir = PathBuf::from(header.build_dir);
    Ok(NewBuild {
        project: project.id,
        revision: project.head,
        owner: actor.owner.id,
        client: actor.client.clone(),
        host: header.host,
        log_dir: build_dir.join("toaster-logs"),
        build_dir,
        machine: observed.machine,
        distro: observed.distro,
        targets,
        layers: observed.layers.unwrap_or_default(),
        state: BuildState::Queued,
        started_at: header.started_at,
        requested: false,
        run_on: None,
    })
}

/// The name of the project that builds run by hand with plain `bitbake` land in.
pub const COMMAND_LINE_PROJECT: &str = "command-line-builds";

/// How many directories beside the database [`Actor::command_line_project`] tries.
const COMMAND_LINE_DIRS: u32 = 20;

impl Actor {
    /// The project for builds run by hand with plain `bitbake`: made on first use (one
    /// only, in `command-line-builds/` beside the database), and open to every owner for
    /// reading and recording builds. Where that directory is taken (left by an earlier
    /// database, or not a directory), the project is made in `command-line-builds-2/`
    /// (or the next free name) and the directory left as it is: compare the project's
    /// `dir` with [`COMMAND_LINE_PROJECT`] to tell the user.
    pub fn command_line_project(&self) -> Result<Project, Error> {
        match self.store().project(COMMAND_LINE_PROJECT) {
            Ok(project) => return Ok(project),
            Err(StoreError::NotFound { .. }) => {}
            Err(e) => return Err(e.into()),
        }
        let Some(database) = self.toaster.database.as_deref() else {
            return Err(Error::NoDirectory {
                project: COMMAND_LINE_PROJECT.to_owned(),
            });
        };
        let beside = database.parent().unwrap_or(Path::new("."));
        let mut taken = None;
        for n in 1..=COMMAND_LINE_DIRS {
            let dir = beside.join(match n {
                1 => COMMAND_LINE_PROJECT.to_owned(),
                n => format!("{COMMAND_LINE_PROJECT}-{n}"),
            });
            match self.create_project(COMMAND_LINE_PROJECT, &dir, &ProjectOptions::default()) {
                Ok(_) => return self.chmod(COMMAND_LINE_PROJECT, "others=rb"),
                Err(e) => match self.store().project(COMMAND_LINE_PROJECT) {
                    // Another process made it first.
                    Ok(project) => return Ok(project),
                    Err(StoreError::NotFound { .. }) => match e {
                        Error::ProjectDir(
                            ProjectDirError::NotEmpty { .. }
                            | ProjectDirError::NotADirectory { .. }
                            | ProjectDirError::Nested { .. },
                        ) => taken = Some(e),
                        other => return Err(other),
                    },
                    Err(lookup) => return Err(lookup.into()),
                },
            }
        }
        Err(taken.unwrap_or(Error::NoDirectory {
            project: COMMAND_LINE_PROJECT.to_owned(),
        }))
    }
}
