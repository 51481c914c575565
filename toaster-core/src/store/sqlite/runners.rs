//! Build hosts on SQLite: the `build_runner` table of the runners taking builds from this
//! database. The store's clock is this process's: an embedded database has one host.

use rusqlite::{Row, params};

use super::SqliteStore;
use super::rows::name;
use crate::model::build_host::{releases_from_text, releases_text};
use crate::model::{OwnerId, RegisteredRunner, RunnerId, RunnerRegistration, Timestamp};
use crate::store::StoreError;

const RUNNER_SELECT: &str = "SELECT r.runner, r.host, r.address, r.version, r.jobs, \
     r.work_root, r.lease_ms, r.owner_id, o.name, r.started_at, r.heartbeat_at, r.releases \
     FROM build_runner r JOIN owner o ON o.id = r.owner_id";

fn runner(row: &Row<'_>) -> rusqlite::Result<Result<RegisteredRunner, StoreError>> {
    let id: String = row.get(0)?;
    let owner_name: String = row.get(8)?;
    let work_root: Option<String> = row.get(5)?;
    let releases: Option<String> = row.get(11)?;
    let (host, address, version, jobs, lease_ms, owner, started_at, heartbeat_at) = (
        row.get(1)?,
        row.get(2)?,
        row.get(3)?,
        row.get(4)?,
        row.get(6)?,
        row.get(7)?,
        row.get(9)?,
        row.get(10)?,
    );
    Ok((|| {
        Ok(RegisteredRunner {
            runner: RunnerId::parse(&id).map_err(|e| StoreError::Corrupt {
                what: "runner id",
                detail: e.to_string(),
            })?,
            host,
            address,
            version,
            jobs,
            work_root: work_root.map(Into::into),
            lease_ms,
            owner: OwnerId(owner),
            releases: releases_from_text(releases),
            owner_name: name(owner_name)?,
            started_at: Timestamp(started_at),
            heartbeat_at: Timestamp(heartbeat_at),
        })
    })())
}

impl SqliteStore {
    pub(super) fn insert_runner(
        &self,
        new: &RunnerRegistration,
    ) -> Result<RegisteredRunner, StoreError> {
        self.write("registered a runner", |tx| {
            self.owner_with_id(tx, new.owner)?;
            let now = Timestamp::now().0;
            self.execute(
                tx,
                "INSERT OR REPLACE INTO build_runner (runner, host, address, version, jobs, \
                 work_root, lease_ms, owner_id, started_at, heartbeat_at, releases) \
                 VALUES (?1, ?2, NULL, ?3, ?4, ?5, ?6, ?7, ?8, ?8, ?9)",
                params![
                    new.runner.as_str(),
                    new.host,
                    new.version,
                    new.jobs,
                    new.work_root.as_ref().map(|p| p.to_string_lossy()),
                    new.lease_ms,
                    new.owner.0,
                    now,
                    releases_text(&new.releases)
                ],
                "registered a runner",
            )?;
            let sql = format!("{RUNNER_SELECT} WHERE r.runner = ?1");
            self.one(
                tx,
                &sql,
                [new.runner.as_str()],
                runner,
                ("runner", new.runner.as_str()),
            )
        })
    }

    pub(super) fn touch_runner(&self, id: &RunnerId) -> Result<RegisteredRunner, StoreError> {
        self.write("said a runner is alive", |tx| {
            self.execute(
                tx,
                "UPDATE build_runner SET heartbeat_at = ?2 WHERE runner = ?1",
                params![id.as_str(), Timestamp::now().0],
                "said a runner is alive",
            )?;
            let sql = format!("{RUNNER_SELECT} WHERE r.runner = ?1");
            self.one(tx, &sql, [id.as_str()], runner, ("runner", id.as_str()))
        })
    }

    pub(super) fn remove_runner(&self, id: &RunnerId) -> Result<(), StoreError> {
        self.write("removed a runner", |tx| {
            self.execute(
                tx,
                "DELETE FROM build_runner WHERE runner = ?1",
                [id.as_str()],
                "removed a runner",
            )
            .map(drop)
        })
    }

    pub(super) fn list_runners(&self) -> Result<(Timestamp, Vec<RegisteredRunner>), StoreError> {
        let now = Timestamp::now();
        let sql = format!("{RUNNER_SELECT} ORDER BY r.host, r.started_at, r.runner");
        Ok((now, self.list(&self.conn(), &sql, [], runner)?))
    }
}
