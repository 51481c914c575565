//! Build hosts on PostgreSQL: the `build_runner` table of the runners taking builds from
//! this database, from every host. Times are the server's clock and a runner's address is
//! its connection's as the server sees it, so neither depends on what a host says.

use postgres::Row;

use super::{CLOCK, PostgresStore, get};
use crate::model::build_host::{releases_from_text, releases_text};
use crate::model::{OwnerId, RegisteredRunner, RunnerId, RunnerRegistration, Timestamp};
use crate::store::StoreError;
use crate::store::sqlite::rows::name;

const RUNNER_SELECT: &str = "SELECT r.runner, r.host, r.address, r.version, r.jobs, \
     r.work_root, r.lease_ms, r.owner_id, o.name, r.started_at, r.heartbeat_at, r.releases \
     FROM build_runner r JOIN owner o ON o.id = r.owner_id";

fn runner(row: &Row) -> Result<RegisteredRunner, StoreError> {
    let id: String = get(row, 0)?;
    Ok(RegisteredRunner {
        runner: RunnerId::parse(&id).map_err(|e| StoreError::Corrupt {
            what: "runner id",
            detail: e.to_string(),
        })?,
        host: get(row, 1)?,
        address: get(row, 2)?,
        version: get(row, 3)?,
        jobs: u32::try_from(get::<i64>(row, 4)?).unwrap_or(u32::MAX),
        work_root: get::<Option<String>>(row, 5)?.map(Into::into),
        lease_ms: get(row, 6)?,
        owner: OwnerId(get(row, 7)?),
        releases: releases_from_text(get(row, 11)?),
        owner_name: name(get(row, 8)?)?,
        started_at: Timestamp(get(row, 9)?),
        heartbeat_at: Timestamp(get(row, 10)?),
    })
}

impl PostgresStore {
    pub(super) fn insert_runner(
        &self,
        new: &RunnerRegistration,
    ) -> Result<RegisteredRunner, StoreError> {
        self.write("registered a runner", |tx| {
            self.owner_with_id(tx, new.owner)?;
            let jobs = i64::from(new.jobs);
            let work_root = new
                .work_root
                .as_ref()
                .map(|p| p.to_string_lossy().into_owned());
            let sql = format!(
                "INSERT INTO build_runner (runner, host, address, version, jobs, work_root, \
                 lease_ms, owner_id, started_at, heartbeat_at, releases) \
                 VALUES ($1, $2, host(inet_client_addr()), $3, $4, $5, $6, $7, {CLOCK}, {CLOCK}, \
                 $8) \
                 ON CONFLICT (runner) DO UPDATE SET host = excluded.host, \
                 address = excluded.address, version = excluded.version, jobs = excluded.jobs, \
                 work_root = excluded.work_root, lease_ms = excluded.lease_ms, \
                 owner_id = excluded.owner_id, started_at = excluded.started_at, \
                 heartbeat_at = excluded.heartbeat_at, releases = excluded.releases"
            );
            self.execute(
                tx,
                &sql,
                &[
                    &new.runner.as_str(),
                    &new.host,
                    &new.version,
                    &jobs,
                    &work_root,
                    &new.lease_ms,
                    &new.owner.0,
                    &releases_text(&new.releases),
                ],
                "registered a runner",
            )?;
            let sql = format!("{RUNNER_SELECT} WHERE r.runner = $1");
            let id = new.runner.as_str();
            self.one(tx, &sql, &[&id], runner, ("runner", id))
        })
    }

    pub(super) fn touch_runner(&self, id: &RunnerId) -> Result<RegisteredRunner, StoreError> {
        self.write("said a runner is alive", |tx| {
            let id = id.as_str();
            self.execute(
                tx,
                &format!("UPDATE build_runner SET heartbeat_at = {CLOCK} WHERE runner = $1"),
                &[&id],
                "said a runner is alive",
            )?;
            let sql = format!("{RUNNER_SELECT} WHERE r.runner = $1");
            self.one(tx, &sql, &[&id], runner, ("runner", id))
        })
    }

    pub(super) fn remove_runner(&self, id: &RunnerId) -> Result<(), StoreError> {
        self.write("removed a runner", |tx| {
            self.execute(
                tx,
                "DELETE FROM build_runner WHERE runner = $1",
                &[&id.as_str()],
                "removed a runner",
            )
            .map(drop)
        })
    }

    pub(super) fn list_runners(&self) -> Result<(Timestamp, Vec<RegisteredRunner>), StoreError> {
        self.read(|tx| {
            let now = self.clock(tx)?;
            let sql = format!("{RUNNER_SELECT} ORDER BY r.host, r.started_at, r.runner");
            Ok((now, self.list(tx, &sql, &[], runner)?))
        })
    }
}
