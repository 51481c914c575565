//! The build queue: asking for builds to be run by a Toaster runner, cancelling them, and
//! what a runner does with them (claim, renew its lease, let go, expire dead runners').
//!
//! A runner acts as an owner, like every client: it takes only builds of projects that
//! owner may build (an admin's runner takes every project's). So one runner under an admin
//! serves a whole instance, and an owner without admin rights may run their own.

use std::time::Duration;

use super::Actor;
use crate::Error;
use crate::access::Action;
use crate::model::{
    AuditAction, Build, BuildId, ClaimRequest, Observed, Right, RunnerId, Target, Timestamp,
    check_host,
};

/// How long a runner's claim on a build holds unless renewed. A runner renews well within
/// it (every third of it, say); when a runner is killed, its builds end interrupted this
/// long after its last renewal, and their projects and build directories are free again.
pub const RUNNER_LEASE: Duration = Duration::from_secs(60);

/// What a build is asked for with.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BuildRequest {
    /// What to build; `None`: the project's targets.
    pub targets: Option<Vec<Target>>,
    /// The host asking (the build's host until a runner claims it).
    pub host: String,
    /// The only host whose runners may run it; `None`: a runner on any host.
    pub run_on: Option<String>,
}

impl Actor {
    /// Queues a build of `project` for a runner (needs build), pinned like
    /// [`Actor::start_build`] to the newest configuration revision, with `request`'s
    /// targets or the project's. A project with neither is refused: there would be nothing
    /// to build. The build waits in state `queued` until a runner claims it.
    pub fn request_build(&self, project: &str, request: &BuildRequest) -> Result<Build, Error> {
        check_host(&request.host)?;
        if let Some(host) = &request.run_on {
            check_host(host)?;
        }
        let project = self.project_for(project, Action::Project(Right::Build))?;
        let observed = Observed {
            targets: request.targets.clone(),
            ..Observed::default()
        };
        let mut new = self.pinned_build(&project, &request.host, None, &observed)?;
        if new.targets.is_empty() {
            return Err(Error::NoTargets {
                project: project.name,
            });
        }
        new.requested = true;
        new.run_on = request.run_on.clone();
        self.start(&project, new)
    }

    /// Cancels a build (needs build). One still waiting for a runner ends `cancelled` at
    /// once and never starts; one a runner has gets a cancel request, which the runner sees
    /// when it renews its lease and acts on (the build ends `cancelled` when BitBake has
    /// stopped). A build run by hand is refused ([`Error::NotCancellable`]), as is one that
    /// has ended.
    pub fn cancel_build(&self, id: BuildId) -> Result<Build, Error> {
        let (build, project) = self.unended_build_for(id, Action::Project(Right::Build))?;
        if !build.requested {
            return Err(Error::NotCancellable {
                build: id,
                host: build.host,
            });
        }
        let audit = self.entry(
            Some(Action::Project(Right::Build)),
            AuditAction::BuildCancel,
            Some(&project.name),
            String::new(),
        );
        Ok(self.store().request_cancel(id, &audit)?)
    }

    /// Claims the next build `runner` on `host` may run, for `lease` from now, or `None`
    /// when none is waiting (placed in `work_root`, when given: see
    /// [`ClaimRequest::work_root`]; of a project of one of `releases`, any when empty): the oldest requested build of a project this actor may build,
    /// asked to run on `host` or anywhere, whose project and build directory no running
    /// claim holds (see [`crate::store::Store::claim_build`]). Claims of dead runners whose
    /// lease ran out are ended `interrupted` first. Racing runners never get the same build.
    pub fn claim_next_build(
        &self,
        runner: &RunnerId,
        host: &str,
        lease: Duration,
        work_root: Option<&std::path::Path>,
        releases: &[crate::model::Release],
    ) -> Result<Option<Build>, Error> {
        check_host(host)?;
        let now = self.store().clock()?;
        let claim = ClaimRequest {
            runner: runner.clone(),
            host: host.to_owned(),
            owner: self.owner.id,
            lease_until: after(now, lease),
            now,
            work_root: work_root.map(ToOwned::to_owned),
            releases: releases.to_vec(),
        };
        Ok(self.store().claim_build(&claim)?)
    }

    /// Extends `runner`'s claim on a build to `lease` from now (needs build) and returns the
    /// build: a cancel request shows in its `cancel_requested_at`. Refused with
    /// [`StoreError::LeaseLost`](crate::store::StoreError::LeaseLost) when the claim is no longer the runner's (it ran out and
    /// the build was interrupted): the runner must stop the build.
    pub fn renew_lease(
        &self,
        id: BuildId,
        runner: &RunnerId,
        lease: Duration,
    ) -> Result<Build, Error> {
        self.build_for(id, Action::Project(Right::Build))?;
        let until = after(self.store().clock()?, lease);
        Ok(self.store().renew_lease(id, runner, until)?)
    }

    /// Lets a build `runner` claimed go (needs build), for a runner that stops: a build
    /// asked to cancel ends `cancelled`; else one it had not started returns to the queue,
    /// and one that started and has not ended ends `interrupted`.
    pub fn release_claim(&self, id: BuildId, runner: &RunnerId) -> Result<Build, Error> {
        self.build_for(id, Action::Project(Right::Build))?;
        Ok(self.store().release_claim(id, runner)?)
    }

    /// Ends the builds of runners whose lease ran out (by this host's clock) as
    /// `interrupted`, freeing their projects and build directories; returns them. Anyone
    /// may: only builds nobody keeps alive end.
    pub fn expire_claims(&self) -> Result<Vec<BuildId>, Error> {
        Ok(self.store().expire_claims(self.store().clock()?)?)
    }
}

impl Actor {
    /// Waits until build `id` has ended (needs read), looking every half second, for at
    /// most `timeout` when one is given; returns the build as last seen (not ended when the
    /// time ran out).
    pub fn wait_for_build(&self, id: BuildId, timeout: Option<Duration>) -> Result<Build, Error> {
        let started = std::time::Instant::now();
        loop {
            let build = self.build(id)?.build;
            let out_of_time = timeout.is_some_and(|t| started.elapsed() >= t);
            if build.state.is_final() || out_of_time {
                return Ok(build);
            }
            let left = timeout.map_or(WAIT_POLL, |t| t.saturating_sub(started.elapsed()));
            std::thread::sleep(left.min(WAIT_POLL));
        }
    }
}

/// How often [`Actor::wait_for_build`] looks.
const WAIT_POLL: Duration = Duration::from_millis(500);

/// `lease` after `now`.
fn after(now: Timestamp, lease: Duration) -> Timestamp {
    let ms = i64::try_from(lease.as_millis()).unwrap_or(i64::MAX);
    Timestamp(now.0.saturating_add(ms))
}
