//! A build as frontends show it and hooks send it: stable field names, times as RFC 3339.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::BuildDetail;
use crate::model::{Build, BuildLayer, Progress, TaskOutcome, Timestamp, Variable};

/// A build, as `build list|show --json` prints it (`show` adds `layers` and `tasks`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BuildView {
    /// The build's id.
    pub id: i64,
    /// Its project's name.
    pub project: String,
    /// Its state (`running`, `succeeded`, …).
    pub state: &'static str,
    /// What it built.
    pub targets: Vec<String>,
    /// `MACHINE`, when known.
    pub machine: Option<String>,
    /// `DISTRO`, when known.
    pub distro: Option<String>,
    /// The configuration revision it ran with; null for a build imported from an archive
    /// or an event log (it ran with another database's configuration).
    pub revision: Option<u32>,
    /// Who started it.
    pub owner: String,
    /// From which client.
    pub client: String,
    /// The host it ran on.
    pub host: String,
    /// Its build directory.
    pub build_dir: String,
    /// Its console log, once written and when it is on this host.
    pub log_path: Option<String>,
    /// The host the build ran on, when its console log was written (or, for a build
    /// imported, may have been) but is not here.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub log_host: Option<String>,
    /// When it started (RFC 3339).
    pub started_at: String,
    /// When it ended (RFC 3339).
    pub ended_at: Option<String>,
    /// How long it ran (so far), in milliseconds.
    pub duration_ms: i64,
    /// How far it got.
    pub progress: Progress,
    /// Error messages logged.
    pub errors: u32,
    /// Warning messages logged.
    pub warnings: u32,
    /// Whether it is hidden from listings.
    pub hidden: bool,
    /// Its archive (a zip file), once it has one.
    pub archive: Option<String>,
    /// Where a build imported from an archive came from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
    /// The layers it ran with (`show` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub layers: Option<Vec<BuildLayer>>,
    /// Its tasks counted by outcome (`show` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tasks: Option<BTreeMap<String, u32>>,
    /// The variables of the configuration revision it ran with (`show` only; absent when
    /// that revision is not known here).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub variables: Option<BTreeMap<String, Variable>>,
}

impl From<&Build> for BuildView {
    fn from(build: &Build) -> BuildView {
        // A log recorded elsewhere (a build imported, or run by another host's runner) is
        // named by its host, never by a path that does not exist here.
        let log_here = build.log_path.as_deref().filter(|p| p.is_file());
        BuildView {
            id: build.id.0,
            project: build.project_name.to_string(),
            state: build.state.as_str(),
            targets: build.targets.iter().map(ToString::to_string).collect(),
            machine: build.machine.clone(),
            distro: build.distro.clone(),
            revision: build.origin.is_none().then_some(build.revision.0),
            owner: build.owner.to_string(),
            client: build.client.clone(),
            host: build.host.clone(),
            build_dir: build.build_dir.display().to_string(),
            log_path: log_here.map(|p| p.display().to_string()),
            log_host: ((build.log_path.is_some() || build.origin.is_some()) && log_here.is_none())
                .then(|| build.host.clone()),
            started_at: build.started_at.to_rfc3339(),
            ended_at: build.ended_at.map(Timestamp::to_rfc3339),
            duration_ms: build.duration_ms(Timestamp::now()),
            progress: build.progress,
            errors: build.errors,
            warnings: build.warnings,
            hidden: build.hidden,
            archive: build.archive.as_ref().map(|a| a.path.display().to_string()),
            origin: build.origin.clone(),
            layers: None,
            tasks: None,
            variables: None,
        }
    }
}

impl From<&BuildDetail> for BuildView {
    /// The whole view `build show` prints: with layers, task counts and variables, and
    /// progress no less than the tasks recorded (an imported build's counters may be 0).
    fn from(detail: &BuildDetail) -> BuildView {
        let mut view = BuildView::from(&detail.build);
        view.layers = Some(detail.build.layers.clone());
        view.variables = detail.config.as_ref().map(|c| c.variables.clone());
        let recorded: u32 = detail.tasks.iter().map(|(_, n)| n).sum();
        let ended: u32 = detail
            .tasks
            .iter()
            .filter(|(outcome, _)| outcome.is_some())
            .map(|(_, n)| n)
            .sum();
        view.progress.tasks_total = view.progress.tasks_total.max(recorded);
        view.progress.tasks_done = view.progress.tasks_done.max(ended);
        view.tasks = Some(
            detail
                .tasks
                .iter()
                .map(|(outcome, n)| {
                    (
                        outcome.map_or("running", TaskOutcome::as_str).to_owned(),
                        *n,
                    )
                })
                .collect(),
        );
        view
    }
}
