//! Hook deliveries on SQLite: the outbox the `build_end_hooks` trigger fills when a build
//! ends, claimed by one deliverer at a time, and the attempts made.

use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::SqliteStore;
use crate::model::{
    Attempt, AttemptResult, BuildId, Delivery, DeliveryClaim, DeliveryId, DeliveryState, Hook,
    NextAttempt, ProjectId, Timestamp,
};
use crate::store::{StoreError, lifecycle};

const DELIVERY: &str = "SELECT d.id, d.build_id, d.hook, d.state, d.due_at, \
     CASE WHEN d.claim_until >= ?2 THEN d.claimed_by END FROM hook_delivery d";

const ATTEMPTS: &str = "SELECT number, started_at, duration_ms, delivered, status, detail, \
     output, by FROM hook_attempt WHERE delivery_id = ?1 ORDER BY number";

/// Deliveries due by `?1` that nobody holds (or whose holder's claim ran out), oldest
/// first, with their project: script hooks only for builds that ran on host `?2`.
const DUE: &str = "SELECT d.id, b.project_id FROM hook_delivery d JOIN build b ON b.id = d.build_id \
     WHERE d.state = 'pending' AND d.due_at <= ?1 \
     AND (d.claimed_by IS NULL OR d.claim_until < ?1) \
     AND (json_extract(d.hook, '$.action.kind') <> 'run' OR b.host = ?2) \
     AND (?3 IS NULL OR d.build_id = ?3) \
     ORDER BY d.due_at, d.id";

impl SqliteStore {
    pub(super) fn read_deliveries(&self, build: BuildId) -> Result<Vec<Delivery>, StoreError> {
        let conn = self.conn();
        let ids = self.list(
            &conn,
            "SELECT id FROM hook_delivery WHERE build_id = ?1 ORDER BY id",
            [build.0],
            |r| Ok(Ok(DeliveryId(r.get(0)?))),
        )?;
        ids.into_iter()
            .map(|id| self.delivery_in(&conn, id))
            .collect()
    }

    fn delivery_in(&self, conn: &Connection, id: DeliveryId) -> Result<Delivery, StoreError> {
        let now = Timestamp::now().0;
        let sql = format!("{DELIVERY} WHERE d.id = ?1");
        let mut delivery = self.one(
            conn,
            &sql,
            params![id.0, now],
            |r| {
                let (hook, state): (String, String) = (r.get(2)?, r.get(3)?);
                let (id, build, due_at): (i64, i64, i64) = (r.get(0)?, r.get(1)?, r.get(4)?);
                let claimed_by: Option<String> = r.get(5)?;
                Ok(decode_hook(&hook).and_then(|hook| {
                    Ok(Delivery {
                        id: DeliveryId(id),
                        build: BuildId(build),
                        hook,
                        state: DeliveryState::parse(&state).ok_or(StoreError::Corrupt {
                            what: "hook delivery",
                            detail: format!("unknown state `{state}`"),
                        })?,
                        due_at: Timestamp(due_at),
                        claimed_by,
                        attempts: Vec::new(),
                    })
                }))
            },
            ("hook delivery", &id.to_string()),
        )?;
        delivery.attempts = self.list(conn, ATTEMPTS, [id.0], |r| {
            Ok(Ok(Attempt {
                number: r.get(0)?,
                started_at: Timestamp(r.get(1)?),
                duration_ms: u64::try_from(r.get::<_, i64>(2)?).unwrap_or(0),
                result: AttemptResult {
                    delivered: r.get(3)?,
                    status: r.get(4)?,
                    detail: r.get(5)?,
                    output: r.get(6)?,
                },
                by: r.get(7)?,
            }))
        })?;
        Ok(delivery)
    }

    pub(super) fn claim_next_delivery(
        &self,
        claim: &DeliveryClaim,
    ) -> Result<Option<Delivery>, StoreError> {
        self.write("claimed a hook delivery", |tx| {
            let due = self.list(
                tx,
                DUE,
                params![claim.now.0, claim.host, claim.build.map(|b| b.0)],
                |r| Ok(Ok((DeliveryId(r.get(0)?), ProjectId(r.get(1)?)))),
            )?;
            let Some(id) = self.first_buildable(tx, claim.owner, due)? else {
                return Ok(None);
            };
            let hold = i64::try_from(claim.hold.as_millis()).unwrap_or(i64::MAX);
            self.execute(
                tx,
                "UPDATE hook_delivery SET claimed_by = ?2, claim_until = ?3 WHERE id = ?1",
                params![id.0, claim.by, claim.now.0.saturating_add(hold)],
                "claimed a hook delivery",
            )?;
            self.delivery_in(tx, id).map(Some)
        })
    }

    pub(super) fn add_attempt(
        &self,
        delivery: DeliveryId,
        attempt: &Attempt,
        next: NextAttempt,
    ) -> Result<Delivery, StoreError> {
        self.write("recorded a hook attempt", |tx| {
            let held: Option<(String, Option<String>)> = tx
                .prepare_cached("SELECT state, claimed_by FROM hook_delivery WHERE id = ?1")
                .and_then(|mut s| {
                    s.query_row([delivery.0], |r| Ok((r.get(0)?, r.get(1)?)))
                        .optional()
                })
                .map_err(|e| self.err(e, "recorded a hook attempt"))?;
            let Some((state, holder)) = held else {
                return Err(StoreError::NotFound {
                    entity: "hook delivery",
                    key: delivery.to_string(),
                });
            };
            lifecycle::check_holder(delivery, &state, holder.as_deref(), &attempt.by)?;
            self.insert_attempt(tx, delivery, attempt)?;
            let (state, due) = lifecycle::after_attempt(attempt.result.delivered, next);
            let due = due.map(|at| at.0);
            self.execute(
                tx,
                "UPDATE hook_delivery SET state = ?2, due_at = coalesce(?3, due_at), \
                 claimed_by = NULL, claim_until = NULL WHERE id = ?1",
                params![delivery.0, state.as_str(), due],
                "recorded a hook attempt",
            )?;
            self.delivery_in(tx, delivery)
        })
    }

    fn insert_attempt(
        &self,
        tx: &Transaction<'_>,
        delivery: DeliveryId,
        attempt: &Attempt,
    ) -> Result<(), StoreError> {
        let result = &attempt.result;
        self.execute(
            tx,
            "INSERT INTO hook_attempt (delivery_id, number, started_at, duration_ms, delivered, \
             status, detail, output, by) \
             VALUES (?1, (SELECT count(*) + 1 FROM hook_attempt WHERE delivery_id = ?1), \
             ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                delivery.0,
                attempt.started_at.0,
                i64::try_from(attempt.duration_ms).unwrap_or(i64::MAX),
                result.delivered,
                result.status,
                result.detail,
                result.output,
                attempt.by,
            ],
            "recorded a hook attempt",
        )?;
        Ok(())
    }

    pub(super) fn next_due(&self, build: Option<BuildId>) -> Result<Option<Timestamp>, StoreError> {
        self.conn()
            .prepare_cached(
                "SELECT min(max(due_at, coalesce(claim_until, 0))) FROM hook_delivery \
                 WHERE state = 'pending' AND (?1 IS NULL OR build_id = ?1)",
            )
            .and_then(|mut s| s.query_row([build.map(|b| b.0)], |r| r.get::<_, Option<i64>>(0)))
            .map(|due| due.map(Timestamp))
            .map_err(|e| self.err(e, "read when the next hook delivery is due"))
    }
}

fn decode_hook(text: &str) -> Result<Hook, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt {
        what: "hook delivery",
        detail: format!("its hook is not readable: {e}"),
    })
}
