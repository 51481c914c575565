//! The build queue on PostgreSQL: claims and leases of runners, cancel requests, and ending
//! builds nobody keeps alive. A claim locks the build it takes with `FOR UPDATE SKIP
//! LOCKED`, so a runner passes over a build another runner is taking at that moment and
//! takes the next one, instead of waiting for it.

use super::transaction::Tx;

use super::{CLOCK, PostgresStore, get};
use crate::model::{Build, BuildId, ClaimRequest, NewAudit, ProjectId, RunnerId, Timestamp};
use crate::store::StoreError;
use crate::store::lifecycle::{self, Release};

/// Whether build `b` is requested, still queued, unclaimed and not asked to cancel.
const WAITING: &str = "b.requested AND b.state = 'queued' AND b.claimed_by IS NULL \
     AND b.cancel_requested_at IS NULL";

/// Requested builds a runner on `$1` could take, oldest first: waiting, of a project of
/// one of the releases `$2` names (space-separated; NULL: any), the oldest waiting build
/// of their project, and with no claimed build that has not ended holding their project
/// or their build directory.
const CANDIDATES: &str = "b.requested AND b.state = 'queued' AND b.claimed_by IS NULL \
     AND b.cancel_requested_at IS NULL AND (b.run_on IS NULL OR b.run_on = $1) \
     AND ($2::text IS NULL OR strpos(' ' || $2 || ' ', \
       ' ' || (SELECT p.release FROM project p WHERE p.id = b.project_id) || ' ') > 0) \
     AND NOT EXISTS (SELECT 1 FROM build e WHERE e.requested AND e.state = 'queued' \
       AND e.claimed_by IS NULL AND e.project_id = b.project_id AND e.id < b.id) \
     AND NOT EXISTS (SELECT 1 FROM build o WHERE o.claimed_by IS NOT NULL \
       AND o.state IN ('queued', 'parsing', 'running') \
       AND (o.project_id = b.project_id OR o.build_dir = b.build_dir))";

const CLAIM: &str = "UPDATE build SET claimed_by = $2, host = $3, claimed_at = $4, \
     lease_until = $5, build_dir = coalesce($6, build_dir) WHERE id = $1";

/// Claimed builds not ended whose lease ended before `$1`.
const EXPIRED: &str = "claimed_by IS NOT NULL AND state IN ('queued', 'parsing', 'running') \
     AND lease_until < $1";

/// Builds recorded by hand, not ended, whose recorder has been silent since before `$1`.
/// Claimed builds are governed by their lease, and requested ones wait for a runner.
const SILENT: &str =
    "state IN ('queued', 'parsing', 'running') AND heartbeat_at < $1 AND NOT requested";

impl PostgresStore {
    pub(super) fn claim_next(&self, claim: &ClaimRequest) -> Result<Option<Build>, StoreError> {
        self.write("claimed a build", |tx| {
            self.expire_in(tx, claim.now)?;
            let sql =
                format!("SELECT b.id, b.project_id FROM build b WHERE {CANDIDATES} ORDER BY b.id");
            let releases = claim.release_names();
            let candidates = self.list(tx, &sql, &[&claim.host, &releases], |r| {
                Ok((BuildId(get(r, 0)?), ProjectId(get(r, 1)?)))
            })?;
            if candidates.is_empty() {
                return Ok(None);
            }
            let mut builder = self.builder(tx, claim.owner)?;
            for (id, project) in candidates {
                if !builder.may_build(project, |p| self.project_by_id(tx, p))? {
                    continue;
                }
                // Another runner taking this one now holds its row: pass it over.
                let lock = format!(
                    "SELECT b.id FROM build b WHERE b.id = $1 AND {WAITING} FOR UPDATE SKIP LOCKED"
                );
                let taken = self.optional(tx, &lock, &[&id.0], |r| get::<i64>(r, 0))?;
                if taken.is_none() {
                    continue;
                }
                let build_dir =
                    claim.build_dir_with(|| Ok(self.build_in(tx, id)?.project_name.to_string()))?;
                self.execute(
                    tx,
                    CLAIM,
                    &[
                        &id.0,
                        &claim.runner.as_str(),
                        &claim.host,
                        &claim.now.0,
                        &claim.lease_until.0,
                        &build_dir,
                    ],
                    "claimed a build",
                )?;
                return self.build_in(tx, id).map(Some);
            }
            Ok(None)
        })
    }

    pub(super) fn renew(
        &self,
        build: BuildId,
        runner: &RunnerId,
        lease_until: Timestamp,
    ) -> Result<Build, StoreError> {
        self.write("renewed a lease", |tx| {
            let renewed = self.execute(
                tx,
                "UPDATE build SET lease_until = $3 WHERE id = $1 AND claimed_by = $2 \
                 AND state IN ('queued', 'parsing', 'running')",
                &[&build.0, &runner.as_str(), &lease_until.0],
                "renewed a lease",
            )?;
            // Read it back either way: a build that is gone is `NotFound`.
            let current = self.build_in(tx, build)?;
            if renewed == 0 {
                return Err(lost(build, runner));
            }
            Ok(current)
        })
    }

    pub(super) fn release(&self, build: BuildId, runner: &RunnerId) -> Result<Build, StoreError> {
        self.write("released a claim", |tx| {
            let current = self.build_in(tx, build)?;
            match lifecycle::release(&current, runner)? {
                Release::Keep => return Ok(current),
                Release::Requeue => self.execute(
                    tx,
                    "UPDATE build SET claimed_by = NULL, claimed_at = NULL, lease_until = NULL \
                     WHERE id = $1",
                    &[&build.0],
                    "released a claim",
                )?,
                Release::End(ending) => self.execute(
                    tx,
                    "UPDATE build SET state = $2, ended_at = $3 WHERE id = $1",
                    &[&build.0, &ending.as_str(), &Timestamp::now().0],
                    "released a claim",
                )?,
            };
            self.build_in(tx, build)
        })
    }

    pub(super) fn cancel(&self, build: BuildId, audit: &NewAudit) -> Result<Build, StoreError> {
        self.write("asked to cancel a build", |tx| {
            let current = self.build_in(tx, build)?;
            self.authorize(tx, audit, Some(current.project))?;
            let cancel = lifecycle::cancel(&current, audit)?;
            let sql = if cancel.at_once {
                "UPDATE build SET state = 'cancelled', ended_at = $2, \
                 cancel_requested_at = $2 WHERE id = $1"
            } else {
                "UPDATE build SET cancel_requested_at = coalesce(cancel_requested_at, $2) \
                 WHERE id = $1"
            };
            self.execute(
                tx,
                sql,
                &[&build.0, &Timestamp::now().0],
                "asked to cancel a build",
            )?;
            self.append_audit(tx, &cancel.entry, Some(current.project))?;
            self.build_in(tx, build)
        })
    }

    pub(super) fn expire(&self, now: Timestamp) -> Result<Vec<BuildId>, StoreError> {
        // Runners call this often: look first, so that the usual answer (none) writes
        // nothing.
        if !self.read(|tx| self.any(tx, EXPIRED, now))? {
            return Ok(Vec::new());
        }
        self.write("expired claims", |tx| self.expire_in(tx, now))
    }

    /// Ends the builds whose claim expired before `now`, at the lease's end.
    fn expire_in(&self, tx: &mut Tx<'_>, now: Timestamp) -> Result<Vec<BuildId>, StoreError> {
        let sql = format!(
            "UPDATE build SET state = 'interrupted', \
             ended_at = greatest(lease_until, started_at) WHERE {EXPIRED} RETURNING id"
        );
        self.list(tx, &sql, &[&now.0], |r| Ok(BuildId(get(r, 0)?)))
    }

    pub(super) fn interrupt_silent(&self, since: Timestamp) -> Result<Vec<BuildId>, StoreError> {
        // The store's clock is the database's. Listings call this every time: look first
        // (in one query), so that the usual answer (none) writes nothing.
        let look = format!(
            "SELECT {CLOCK}, EXISTS (SELECT 1 FROM build WHERE {SILENT}), \
             EXISTS (SELECT 1 FROM build WHERE {})",
            EXPIRED.replace("$1", CLOCK)
        );
        let (now, any) = self.read(|tx| {
            self.one(
                tx,
                &look,
                &[&since.0],
                |r| {
                    Ok((
                        Timestamp(get(r, 0)?),
                        get::<bool>(r, 1)? || get::<bool>(r, 2)?,
                    ))
                },
                ("build", ""),
            )
        })?;
        if !any {
            return Ok(Vec::new());
        }
        self.write("marked silent builds interrupted", |tx| {
            let sql = format!(
                "UPDATE build SET state = 'interrupted', ended_at = heartbeat_at \
                 WHERE {SILENT} RETURNING id"
            );
            let mut ended = self.list(tx, &sql, &[&since.0], |r| Ok(BuildId(get(r, 0)?)))?;
            ended.extend(self.expire_in(tx, now)?);
            Ok(ended)
        })
    }

    /// Whether any build matches `condition` (with `$1` bound to `at`).
    fn any(&self, tx: &mut Tx<'_>, condition: &str, at: Timestamp) -> Result<bool, StoreError> {
        let sql = format!("SELECT 1 FROM build WHERE {condition} LIMIT 1");
        Ok(self
            .optional(tx, &sql, &[&at.0], |r| get::<i32>(r, 0))?
            .is_some())
    }
}

fn lost(build: BuildId, runner: &RunnerId) -> StoreError {
    StoreError::LeaseLost {
        build,
        runner: runner.clone(),
    }
}
