//! The build queue on SQLite: claims and leases of runners, cancel requests, and ending
//! builds nobody keeps alive. Every operation is one immediate (write-locking) transaction,
//! so two runners never see the same build free.

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::SqliteStore;
use crate::model::{Build, BuildId, ClaimRequest, NewAudit, ProjectId, RunnerId, Timestamp};
use crate::store::StoreError;
use crate::store::lifecycle::{self, Release};

/// Requested builds a runner on `?1` could take, oldest first: queued, unclaimed, of a
/// project of one of the releases `?2` names (space-separated; NULL: any), the oldest
/// waiting build of their project, and with no claimed build that has not ended holding
/// their project or their build directory.
const CANDIDATES: &str = "SELECT b.id, b.project_id FROM build b \
     WHERE b.requested = 1 AND b.state = 'queued' AND b.claimed_by IS NULL \
     AND b.cancel_requested_at IS NULL AND (b.run_on IS NULL OR b.run_on = ?1) \
     AND (?2 IS NULL OR instr(' ' || ?2 || ' ', \
       ' ' || (SELECT p.release FROM project p WHERE p.id = b.project_id) || ' ') > 0) \
     AND NOT EXISTS (SELECT 1 FROM build e WHERE e.requested = 1 AND e.state = 'queued' \
       AND e.claimed_by IS NULL AND e.project_id = b.project_id AND e.id < b.id) \
     AND NOT EXISTS (SELECT 1 FROM build o WHERE o.claimed_by IS NOT NULL \
       AND o.state IN ('queued', 'parsing', 'running') \
       AND (o.project_id = b.project_id OR o.build_dir = b.build_dir)) \
     ORDER BY b.id";

const CLAIM: &str = "UPDATE build SET claimed_by = ?2, host = ?3, claimed_at = ?4, \
     lease_until = ?5, build_dir = coalesce(?6, build_dir) WHERE id = ?1";

/// Claimed builds not ended whose lease ended before `?1`.
const EXPIRED: &str = "claimed_by IS NOT NULL AND state IN ('queued', 'parsing', 'running') \
     AND lease_until < ?1";

/// Builds recorded by hand, not ended, whose recorder has been silent since before `?1`.
/// Claimed builds are governed by their lease, and requested ones wait for a runner.
const SILENT: &str =
    "state IN ('queued', 'parsing', 'running') AND heartbeat_at < ?1 AND requested = 0";

impl SqliteStore {
    pub(super) fn claim_next(&self, claim: &ClaimRequest) -> Result<Option<Build>, StoreError> {
        self.write("claimed a build", |tx| {
            self.expire_in(tx, claim.now)?;
            let releases = claim.release_names();
            let candidates = self.list(tx, CANDIDATES, params![claim.host, releases], |r| {
                Ok(Ok((BuildId(r.get(0)?), ProjectId(r.get(1)?))))
            })?;
            let Some(id) = self.first_buildable(tx, claim.owner, candidates)? else {
                return Ok(None);
            };
            let build_dir =
                claim.build_dir_with(|| Ok(self.build_in(tx, id)?.project_name.to_string()))?;
            self.execute(
                tx,
                CLAIM,
                params![
                    id.0,
                    claim.runner.as_str(),
                    claim.host,
                    claim.now.0,
                    claim.lease_until.0,
                    build_dir
                ],
                "claimed a build",
            )?;
            self.build_in(tx, id).map(Some)
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
                "UPDATE build SET lease_until = ?3 WHERE id = ?1 AND claimed_by = ?2 \
                 AND state IN ('queued', 'parsing', 'running')",
                params![build.0, runner.as_str(), lease_until.0],
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
                     WHERE id = ?1",
                    [build.0],
                    "released a claim",
                )?,
                Release::End(ending) => self.execute(
                    tx,
                    "UPDATE build SET state = ?2, ended_at = ?3 WHERE id = ?1",
                    params![build.0, ending.as_str(), Timestamp::now().0],
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
                "UPDATE build SET state = 'cancelled', ended_at = ?2, \
                 cancel_requested_at = ?2 WHERE id = ?1"
            } else {
                "UPDATE build SET cancel_requested_at = coalesce(cancel_requested_at, ?2) \
                 WHERE id = ?1"
            };
            self.execute(
                tx,
                sql,
                params![build.0, Timestamp::now().0],
                "asked to cancel a build",
            )?;
            self.append_audit(tx, &cancel.entry, Some(current.project))?;
            self.build_in(tx, build)
        })
    }

    pub(super) fn expire(&self, now: Timestamp) -> Result<Vec<BuildId>, StoreError> {
        // Runners call this often: look first, so that the usual answer (none) takes no
        // write lock.
        if !self.any(&self.conn(), EXPIRED, now)? {
            return Ok(Vec::new());
        }
        self.write("expired claims", |tx| self.expire_in(tx, now))
    }

    /// Ends the builds whose claim expired before `now`, at the lease's end.
    fn expire_in(&self, tx: &Transaction<'_>, now: Timestamp) -> Result<Vec<BuildId>, StoreError> {
        let sql = format!(
            "UPDATE build SET state = 'interrupted', ended_at = max(lease_until, started_at) \
             WHERE {EXPIRED} RETURNING id"
        );
        self.list(tx, &sql, [now.0], |r| Ok(Ok(BuildId(r.get(0)?))))
    }

    pub(super) fn interrupt_silent(&self, since: Timestamp) -> Result<Vec<BuildId>, StoreError> {
        let now = Timestamp::now();
        // Listings call this every time: look first, so that the usual answer (none) takes
        // no write lock.
        let conn = self.conn();
        if !self.any(&conn, SILENT, since)? && !self.any(&conn, EXPIRED, now)? {
            return Ok(Vec::new());
        }
        drop(conn);
        self.write("marked silent builds interrupted", |tx| {
            let sql = format!(
                "UPDATE build SET state = 'interrupted', ended_at = heartbeat_at \
                 WHERE {SILENT} RETURNING id"
            );
            let mut ended = self.list(tx, &sql, [since.0], |r| Ok(Ok(BuildId(r.get(0)?))))?;
            ended.extend(self.expire_in(tx, now)?);
            Ok(ended)
        })
    }

    /// Whether any build matches `condition` (with `?1` bound to `at`).
    fn any(&self, conn: &Connection, condition: &str, at: Timestamp) -> Result<bool, StoreError> {
        conn.prepare_cached(&format!("SELECT 1 FROM build WHERE {condition} LIMIT 1"))
            .and_then(|mut s| s.query_row([at.0], |_| Ok(())).optional())
            .map(|found| found.is_some())
            .map_err(|e| self.err(e, "looked for builds to end"))
    }
}

fn lost(build: BuildId, runner: &RunnerId) -> StoreError {
    StoreError::LeaseLost {
        build,
        runner: runner.clone(),
    }
}
