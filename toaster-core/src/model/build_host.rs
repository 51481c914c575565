//! Build hosts: the runners taking builds from one database, each on a host, as they
//! registered and as they last said they were alive.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::{Name, OwnerId, RunnerId, Timestamp};

/// What a runner says of itself when it starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunnerRegistration {
    /// The runner (unique per process).
    pub runner: RunnerId,
    /// Its host's name (checked with [`super::check_host`]).
    pub host: String,
    /// Toaster's version it runs.
    pub version: String,
    /// How many builds it runs at once.
    pub jobs: u32,
    /// Where it places the projects it builds (`runner --workdir`); `None`: in each
    /// project's own directory.
    pub work_root: Option<PathBuf>,
    /// How long its claims hold unless renewed; it says it is alive well within it.
    pub lease_ms: i64,
    /// The owner it acts as.
    pub owner: OwnerId,
    /// The release series it builds; empty: every release.
    pub releases: Vec<String>,
}

/// A runner as the store keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisteredRunner {
    /// The runner.
    pub runner: RunnerId,
    /// Its host's name.
    pub host: String,
    /// Its address as the database server saw it (PostgreSQL); `None` for an embedded
    /// database.
    pub address: Option<String>,
    /// Toaster's version it runs.
    pub version: String,
    /// How many builds it runs at once.
    pub jobs: u32,
    /// Where it places the projects it builds, if not in their own directories.
    pub work_root: Option<PathBuf>,
    /// How long its claims hold unless renewed.
    pub lease_ms: i64,
    /// The owner it acts as.
    pub owner: OwnerId,
    /// The release series it builds; empty: every release.
    pub releases: Vec<String>,
    /// That owner's name.
    pub owner_name: Name,
    /// When it registered, by the store's clock.
    pub started_at: Timestamp,
    /// When it last said it was alive, by the store's clock.
    pub heartbeat_at: Timestamp,
}

/// Releases as the stores keep them: space-separated, `None` for every release (as
/// [`super::ClaimRequest::release_names`] matches them).
pub(crate) fn releases_text(releases: &[String]) -> Option<String> {
    (!releases.is_empty()).then(|| releases.join(" "))
}

/// Releases as the stores keep them, read back.
pub(crate) fn releases_from_text(stored: Option<String>) -> Vec<String> {
    stored
        .map(|s| s.split_whitespace().map(str::to_owned).collect())
        .unwrap_or_default()
}

impl RegisteredRunner {
    /// Whether it said it was alive within its lease before `now` (the store's clock).
    pub fn is_alive(&self, now: Timestamp) -> bool {
        now.0 - self.heartbeat_at.0 <= self.lease_ms
    }
}
