//! Build hosts: the runners that take builds from one database (registered as they start,
//! alive while they say so, removed as they stop), the builds each host runs, and each
//! host's own settings (`toaster host set HOST DL_DIR /srv/dl`), which go into the
//! `toaster-host.conf` of every project built or configured on that host.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::Serialize;

use super::{Actor, BuildQuery, RunOptions};
use crate::Error;
use crate::access::Action;
use crate::model::{
    AuditAction, Build, ProjectConfig, RegisteredRunner, Release, RunnerId, RunnerRegistration,
    Timestamp, Variable, Visibility, check_host,
};
use crate::schema::Class;

/// How many of the newest builds are looked through for those a host runs.
const RECENT_BUILDS: u32 = 1000;

/// One build host as `toaster host list` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BuildHost {
    /// The host's name.
    pub host: String,
    /// Whether any of its runners said it was alive within its lease.
    pub alive: bool,
    /// When it last said so, by the store's clock.
    pub heartbeat_at: Option<Timestamp>,
    /// How long it has been silent, by the store's clock.
    pub silent_ms: Option<i64>,
    /// Its runners, as they registered.
    pub runners: Vec<RegisteredRunner>,
    /// The builds it runs (claimed, not ended) that the actor may read.
    pub running: Vec<Build>,
    /// Its settings: variables of `toaster-host.conf`.
    pub settings: BTreeMap<String, String>,
}

/// The instance setting holding a host's settings (a JSON object).
fn setting_key(host: &str) -> String {
    format!("host.{host}")
}

impl Actor {
    /// Registers `runner` on `host`, running `jobs` builds at once with `options`.
    pub fn register_runner(
        &self,
        runner: &RunnerId,
        host: &str,
        jobs: usize,
        options: &RunOptions,
    ) -> Result<RegisteredRunner, Error> {
        check_host(host)?;
        Ok(self.store().register_runner(&RunnerRegistration {
            runner: runner.clone(),
            host: host.to_owned(),
            version: env!("CARGO_PKG_VERSION").to_owned(),
            jobs: u32::try_from(jobs.max(1)).unwrap_or(u32::MAX),
            work_root: options.work_root.clone(),
            lease_ms: i64::try_from(options.lease.as_millis()).unwrap_or(i64::MAX),
            owner: self.owner.id,
            releases: options
                .releases
                .iter()
                .map(|r| r.name().to_owned())
                .collect(),
        })?)
    }

    /// Says `runner` is alive now; `NotFound` (see [`crate::store::StoreError`]) when
    /// it is registered no more.
    pub fn runner_alive(&self, runner: &RunnerId) -> Result<RegisteredRunner, Error> {
        Ok(self.store().runner_alive(runner)?)
    }

    /// Removes `runner` as it stops.
    pub fn unregister_runner(&self, runner: &RunnerId) -> Result<(), Error> {
        Ok(self.store().unregister_runner(runner)?)
    }

    /// Every host with a registered runner or a build running, by name: alive or silent
    /// by the store's clock, its runners, the builds it runs that the actor may read, and
    /// its settings.
    pub fn build_hosts(&self) -> Result<Vec<BuildHost>, Error> {
        let (now, runners) = self.store().runners()?;
        let recent = self.builds(&BuildQuery {
            visibility: Visibility::All,
            limit: RECENT_BUILDS,
            ..BuildQuery::default()
        })?;
        let running: Vec<Build> = recent
            .into_iter()
            .filter(|b| b.claim.is_some() && !b.state.is_final())
            .collect();
        let mut hosts = BTreeMap::new();
        for name in runners
            .iter()
            .map(|r| &r.host)
            .chain(running.iter().map(|b| &b.host))
        {
            if !hosts.contains_key(name) {
                let entry = BuildHost {
                    host: name.clone(),
                    alive: false,
                    heartbeat_at: None,
                    silent_ms: None,
                    runners: Vec::new(),
                    running: Vec::new(),
                    settings: self.host_settings(name)?,
                };
                hosts.insert(name.clone(), entry);
            }
        }
        for runner in runners {
            let Some(entry) = hosts.get_mut(&runner.host) else {
                continue;
            };
            entry.alive |= runner.is_alive(now);
            if entry.heartbeat_at < Some(runner.heartbeat_at) {
                entry.heartbeat_at = Some(runner.heartbeat_at);
                entry.silent_ms = Some((now.0 - runner.heartbeat_at.0).max(0));
            }
            entry.runners.push(runner);
        }
        for build in running {
            if let Some(entry) = hosts.get_mut(&build.host) {
                entry.running.push(build);
            }
        }
        Ok(hosts.into_values().collect())
    }

    /// A host's settings: the variables of its `toaster-host.conf`, by name.
    pub fn host_settings(&self, host: &str) -> Result<BTreeMap<String, String>, Error> {
        check_host(host)?;
        let Some(text) = self.store().setting(&setting_key(host))? else {
            return Ok(BTreeMap::new());
        };
        serde_json::from_str(&text).map_err(|e| {
            Error::Store(crate::store::StoreError::Corrupt {
                what: "host setting",
                detail: e.to_string(),
            })
        })
    }

    /// Sets (`Some`) or unsets (`None`) variables of a host's `toaster-host.conf`, all in
    /// one change (needs admin). Only infrastructure variables (where and how fast builds
    /// run) are host settings; anything else is refused before anything is written.
    pub fn set_host_settings(
        &self,
        host: &str,
        changes: &[(String, Option<String>)],
    ) -> Result<BTreeMap<String, String>, Error> {
        check_host(host)?;
        for (name, value) in changes {
            match self.schema().class(name) {
                Class::Infrastructure => {}
                class => {
                    return Err(Error::NotHostSetting {
                        name: name.clone(),
                        class: class.as_str(),
                    });
                }
            }
            if let Some(value) = value {
                // A host builds projects of every release: its values are checked as the
                // newest release takes them.
                self.schema().check(name, value, &Release::DEFAULT, true)?;
            }
        }
        self.require(Action::ChangeDefaults)?;
        let mut settings = self.host_settings(host)?;
        for (name, value) in changes {
            match value {
                Some(value) => settings.insert(name.clone(), value.clone()),
                None => settings.remove(name),
            };
        }
        let detail = changes
            .iter()
            .map(|(name, value)| match value {
                Some(value) => format!("{host}: {name} = {value}"),
                None => format!("{host}: {name} unset"),
            })
            .collect::<Vec<_>>()
            .join(", ");
        let audit = self.entry(
            Some(Action::ChangeDefaults),
            AuditAction::SettingChange,
            None,
            detail,
        );
        let value = (!settings.is_empty())
            .then(|| serde_json::to_string(&settings))
            .transpose()
            .map_err(|e| {
                Error::Store(crate::store::StoreError::Corrupt {
                    what: "host setting",
                    detail: e.to_string(),
                })
            })?;
        self.store()
            .set_setting(&setting_key(host), value.as_deref(), &audit)?;
        Ok(settings)
    }

    /// `config` as its conf files are written on this host: with this host's settings in
    /// place of the project's own values of those variables.
    pub(super) fn with_host_settings<'c>(
        &self,
        config: Cow<'c, ProjectConfig>,
    ) -> Result<Cow<'c, ProjectConfig>, Error> {
        let settings = self.host_settings(&super::Toaster::host_name())?;
        if settings.is_empty() {
            return Ok(config);
        }
        let mut config = config.into_owned();
        for (name, value) in settings {
            config.variables.insert(name, Variable::plain(value));
        }
        Ok(Cow::Owned(config))
    }
}
