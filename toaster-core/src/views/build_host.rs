//! Build hosts as frontends show them (`toaster host list --json`).

use std::collections::BTreeMap;

use serde::Serialize;

use super::BuildView;
use crate::BuildHost;
use crate::model::{RegisteredRunner, Timestamp};

/// A build host: whether it is alive, its runners, the builds it runs and its settings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HostView {
    /// The host's name.
    pub host: String,
    /// `alive` (a runner said so within its lease), `silent` (its runners stopped saying
    /// so: their builds end interrupted when their lease runs out), `gone` (no runner
    /// registered, a build of it not ended yet) or `unknown` (nothing of it but its
    /// settings, as `host show` says of a host no runner has registered from).
    pub state: &'static str,
    /// When it last said it was alive (RFC 3339), by the database's clock.
    pub heartbeat_at: Option<String>,
    /// How long it has been silent, in seconds.
    pub silent_s: Option<f64>,
    /// Its runners.
    pub runners: Vec<RunnerView>,
    /// The builds it runs.
    pub running: Vec<BuildView>,
    /// Its settings (variables of `toaster-host.conf`).
    pub settings: BTreeMap<String, String>,
}

/// A runner of a build host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RunnerView {
    /// Its id (`host/pid/random`).
    pub runner: String,
    /// Its address as the database server saw it (PostgreSQL only).
    pub address: Option<String>,
    /// Toaster's version it runs.
    pub version: String,
    /// Builds it runs at once.
    pub jobs: u32,
    /// Where it builds projects (`runner --workdir`), if not in their own directories.
    pub work_root: Option<String>,
    /// The owner it acts as.
    pub owner: String,
    /// The release series it builds; empty: every release.
    pub releases: Vec<String>,
    /// When it started (RFC 3339).
    pub started_at: String,
    /// When it last said it was alive (RFC 3339).
    pub heartbeat_at: String,
}

impl From<&RegisteredRunner> for RunnerView {
    fn from(r: &RegisteredRunner) -> RunnerView {
        RunnerView {
            runner: r.runner.to_string(),
            address: r.address.clone(),
            version: r.version.clone(),
            jobs: r.jobs,
            work_root: r.work_root.as_ref().map(|p| p.display().to_string()),
            owner: r.owner_name.to_string(),
            releases: r.releases.clone(),
            started_at: r.started_at.to_rfc3339(),
            heartbeat_at: r.heartbeat_at.to_rfc3339(),
        }
    }
}

impl HostView {
    /// A host no runner has registered from and that runs nothing: only its settings.
    pub fn unknown(host: &str, settings: BTreeMap<String, String>) -> HostView {
        HostView {
            host: host.to_owned(),
            state: "unknown",
            heartbeat_at: None,
            silent_s: None,
            runners: Vec::new(),
            running: Vec::new(),
            settings,
        }
    }
}

impl From<&BuildHost> for HostView {
    fn from(h: &BuildHost) -> HostView {
        let state = match (h.alive, h.runners.is_empty()) {
            (true, _) => "alive",
            (false, false) => "silent",
            (false, true) => "gone",
        };
        HostView {
            host: h.host.clone(),
            state,
            heartbeat_at: h.heartbeat_at.map(Timestamp::to_rfc3339),
            silent_s: h.silent_ms.map(|ms| ms as f64 / 1000.0),
            runners: h.runners.iter().map(RunnerView::from).collect(),
            running: h.running.iter().map(BuildView::from).collect(),
            settings: h.settings.clone(),
        }
    }
}
