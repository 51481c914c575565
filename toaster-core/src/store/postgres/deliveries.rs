//! Hook deliveries on PostgreSQL: the outbox the `build_end_hooks` trigger fills when a
//! build ends, claimed by one deliverer at a time (`FOR UPDATE SKIP LOCKED`), and the
//! attempts made.

use super::transaction::Tx;

use super::{PostgresStore, get, rows};
use crate::model::{
    Attempt, AttemptResult, BuildId, Delivery, DeliveryClaim, DeliveryId, DeliveryState, Hook,
    NextAttempt, ProjectId, Timestamp,
};
use crate::store::{StoreError, lifecycle};

const DELIVERY: &str = "SELECT d.id, d.build_id, d.hook, d.state, d.due_at, \
     CASE WHEN d.claim_until >= $2 THEN d.claimed_by END FROM hook_delivery d WHERE d.id = $1";

const ATTEMPTS: &str = "SELECT number, started_at, duration_ms, delivered, status, detail, \
     output, \"by\" FROM hook_attempt WHERE delivery_id = $1 ORDER BY number";

/// Deliveries due by `$1` that nobody holds (or whose holder's claim ran out), oldest
/// first, with their project: script hooks only for builds that ran on host `$2`.
const DUE: &str = "SELECT d.id, b.project_id FROM hook_delivery d \
     JOIN build b ON b.id = d.build_id \
     WHERE d.state = 'pending' AND d.due_at <= $1 \
     AND (d.claimed_by IS NULL OR d.claim_until < $1) \
     AND ((d.hook::jsonb #>> '{action,kind}') <> 'run' OR b.host = $2) \
     AND ($3::bigint IS NULL OR d.build_id = $3) \
     ORDER BY d.due_at, d.id";

impl PostgresStore {
    pub(super) fn read_deliveries(&self, build: BuildId) -> Result<Vec<Delivery>, StoreError> {
        self.read(|tx| {
            let ids = self.list(
                tx,
                "SELECT id FROM hook_delivery WHERE build_id = $1 ORDER BY id",
                &[&build.0],
                |r| Ok(DeliveryId(get(r, 0)?)),
            )?;
            ids.into_iter().map(|id| self.delivery_in(tx, id)).collect()
        })
    }

    fn delivery_in(&self, tx: &mut Tx<'_>, id: DeliveryId) -> Result<Delivery, StoreError> {
        let now = Timestamp::now().0;
        let mut delivery = self.one(
            tx,
            DELIVERY,
            &[&id.0, &now],
            |r| {
                let (hook, state): (String, String) = (get(r, 2)?, get(r, 3)?);
                Ok(Delivery {
                    id: DeliveryId(get(r, 0)?),
                    build: BuildId(get(r, 1)?),
                    hook: decode_hook(&hook)?,
                    state: DeliveryState::parse(&state).ok_or(StoreError::Corrupt {
                        what: "hook delivery",
                        detail: format!("unknown state `{state}`"),
                    })?,
                    due_at: Timestamp(get(r, 4)?),
                    claimed_by: get(r, 5)?,
                    attempts: Vec::new(),
                })
            },
            ("hook delivery", &id.to_string()),
        )?;
        delivery.attempts = self.list(tx, ATTEMPTS, &[&id.0], |r| {
            Ok(Attempt {
                number: rows::count(r, 0)?,
                started_at: Timestamp(get(r, 1)?),
                duration_ms: u64::try_from(get::<i64>(r, 2)?).unwrap_or(0),
                result: AttemptResult {
                    delivered: get(r, 3)?,
                    status: get(r, 4)?,
                    detail: get(r, 5)?,
                    output: get(r, 6)?,
                },
                by: get(r, 7)?,
            })
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
                &[&claim.now.0, &claim.host, &claim.build.map(|b| b.0)],
                |r| Ok((DeliveryId(get(r, 0)?), ProjectId(get(r, 1)?))),
            )?;
            let hold = i64::try_from(claim.hold.as_millis()).unwrap_or(i64::MAX);
            if due.is_empty() {
                return Ok(None);
            }
            let mut builder = self.builder(tx, claim.owner)?;
            for (id, project) in due {
                if !builder.may_build(project, |p| self.project_by_id(tx, p))? {
                    continue;
                }
                // Another deliverer taking this one now holds its row: pass it over.
                let taken = self.optional(
                    tx,
                    "SELECT id FROM hook_delivery WHERE id = $1 AND state = 'pending' \
                     AND (claimed_by IS NULL OR claim_until < $2) FOR UPDATE SKIP LOCKED",
                    &[&id.0, &claim.now.0],
                    |r| get::<i64>(r, 0),
                )?;
                if taken.is_none() {
                    continue;
                }
                self.execute(
                    tx,
                    "UPDATE hook_delivery SET claimed_by = $2, claim_until = $3 WHERE id = $1",
                    &[&id.0, &claim.by, &claim.now.0.saturating_add(hold)],
                    "claimed a hook delivery",
                )?;
                return self.delivery_in(tx, id).map(Some);
            }
            Ok(None)
        })
    }

    pub(super) fn add_attempt(
        &self,
        delivery: DeliveryId,
        attempt: &Attempt,
        next: NextAttempt,
    ) -> Result<Delivery, StoreError> {
        self.write("recorded a hook attempt", |tx| {
            let held = self.optional(
                tx,
                "SELECT state, claimed_by FROM hook_delivery WHERE id = $1 FOR UPDATE",
                &[&delivery.0],
                |r| Ok((get::<String>(r, 0)?, get::<Option<String>>(r, 1)?)),
            )?;
            let Some((state, holder)) = held else {
                return Err(StoreError::NotFound {
                    entity: "hook delivery",
                    key: delivery.to_string(),
                });
            };
            lifecycle::check_holder(delivery, &state, holder.as_deref(), &attempt.by)?;
            let result = &attempt.result;
            self.execute(
                tx,
                "INSERT INTO hook_attempt (delivery_id, number, started_at, duration_ms, \
                 delivered, status, detail, output, \"by\") \
                 VALUES ($1, (SELECT count(*) + 1 FROM hook_attempt WHERE delivery_id = $1), \
                 $2, $3, $4, $5, $6, $7, $8)",
                &[
                    &delivery.0,
                    &attempt.started_at.0,
                    &i64::try_from(attempt.duration_ms).unwrap_or(i64::MAX),
                    &result.delivered,
                    &result.status,
                    &result.detail,
                    &result.output,
                    &attempt.by,
                ],
                "recorded a hook attempt",
            )?;
            let (state, due) = lifecycle::after_attempt(attempt.result.delivered, next);
            let due = due.map(|at| at.0);
            self.execute(
                tx,
                "UPDATE hook_delivery SET state = $2, due_at = coalesce($3, due_at), \
                 claimed_by = NULL, claim_until = NULL WHERE id = $1",
                &[&delivery.0, &state.as_str(), &due],
                "recorded a hook attempt",
            )?;
            self.delivery_in(tx, delivery)
        })
    }

    pub(super) fn next_due(&self, build: Option<BuildId>) -> Result<Option<Timestamp>, StoreError> {
        self.read(|tx| {
            self.one(
                tx,
                "SELECT min(greatest(due_at, coalesce(claim_until, 0))) FROM hook_delivery \
                 WHERE state = 'pending' AND ($1::bigint IS NULL OR build_id = $1)",
                &[&build.map(|b| b.0)],
                |r| Ok(get::<Option<i64>>(r, 0)?.map(Timestamp)),
                ("hook delivery", ""),
            )
        })
    }
}

fn decode_hook(text: &str) -> Result<Hook, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt {
        what: "hook delivery",
        detail: format!("its hook is not readable: {e}"),
    })
}
