//! What happens to a build or a hook delivery at each step of its life, decided the same
//! way on every backend: each backend reads the current record, asks here, and writes the
//! answer in its own SQL.

use crate::model::{
    Build, BuildId, BuildState, DeliveryId, DeliveryState, LogLevel, Name, NewAudit, NextAttempt,
    Timestamp,
};
use crate::store::StoreError;

/// The audit entry of a build just started, queued or imported (`verb`) as `id`, from the
/// caller's entry: its detail prefixed with `verb build N: `, its project named.
pub(crate) fn started_entry(audit: &NewAudit, verb: &str, id: i64, project: Name) -> NewAudit {
    let mut entry = audit.clone();
    entry.detail = format!("{verb} build {id}: {}", audit.detail);
    entry.project.get_or_insert(project);
    entry
}

/// The state of a build that takes a recorder's batch: `NotFound` if there is none (`None`),
/// `BuildEnded` once it has ended.
pub(crate) fn live_state(build: BuildId, stored: Option<String>) -> Result<BuildState, StoreError> {
    let Some(state) = stored else {
        return Err(StoreError::NotFound {
            entity: "build",
            key: build.to_string(),
        });
    };
    let state = BuildState::parse(&state).map_err(|e| StoreError::Corrupt {
        what: "build state",
        detail: e.to_string(),
    })?;
    if state.is_final() {
        return Err(StoreError::BuildEnded { build, state });
    }
    Ok(state)
}

/// Whether a build in `state` moves to `next` (else the write is skipped: it would move
/// backwards, or changes nothing).
pub(crate) fn moves(state: BuildState, next: BuildState) -> bool {
    state.may_become(next) && state != next
}

/// Counts a log message of `level` into a batch's `(errors, warnings)`.
pub(crate) fn tally(level: LogLevel, (errors, warnings): &mut (u32, u32)) {
    match level {
        LogLevel::Warning => *warnings += 1,
        LogLevel::Error | LogLevel::Critical => *errors += 1,
        LogLevel::Debug | LogLevel::Note => {}
    }
}

/// What letting a claimed build go does to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Release {
    /// It has ended: it stays as it is.
    Keep,
    /// It had not started: back to the queue, unclaimed.
    Requeue,
    /// It ends so.
    End(BuildState),
}

/// What letting `current` go does, for `runner`: `LeaseLost` unless it holds the claim.
pub(crate) fn release(
    current: &Build,
    runner: &crate::model::RunnerId,
) -> Result<Release, StoreError> {
    if current.claim.as_ref().map(|c| &c.runner) != Some(runner) {
        return Err(StoreError::LeaseLost {
            build: current.id,
            runner: runner.clone(),
        });
    }
    Ok(if current.state.is_final() {
        Release::Keep
    } else if current.cancel_requested_at.is_some() {
        // Asked to cancel and stopped: cancelled, whether it had started or not.
        Release::End(BuildState::Cancelled)
    } else if current.state == BuildState::Queued {
        Release::Requeue
    } else {
        Release::End(BuildState::Interrupted)
    })
}

/// What asking to cancel `current` does.
#[derive(Debug, Clone)]
pub(crate) struct Cancel {
    /// It waits in the queue, unclaimed: it ends cancelled at once. Otherwise the one
    /// holding it is asked to stop it.
    pub(crate) at_once: bool,
    /// The audit entry: the caller's, saying what was done.
    pub(crate) entry: NewAudit,
}

/// What asking to cancel `current` does, with the caller's `audit` entry: `BuildEnded` if it
/// has ended.
pub(crate) fn cancel(current: &Build, audit: &NewAudit) -> Result<Cancel, StoreError> {
    let build = current.id;
    if current.state.is_final() {
        return Err(StoreError::BuildEnded {
            build,
            state: current.state,
        });
    }
    let at_once =
        current.requested && current.state == BuildState::Queued && current.claim.is_none();
    let outcome = if at_once {
        format!("cancelled build {build} before it started")
    } else {
        let holder = current.claim.as_ref().map_or_else(
            || "its recorder".to_owned(),
            |c| format!("runner {}", c.runner),
        );
        format!("asked {holder} to stop build {build} ({})", current.state)
    };
    let mut entry = audit.clone();
    entry.detail = if audit.detail.is_empty() {
        outcome
    } else {
        format!("{outcome}: {}", audit.detail)
    };
    entry.project.get_or_insert(current.project_name.clone());
    Ok(Cancel { at_once, entry })
}

/// `DeliveryLost` unless the delivery, in `state` and held by `holder`, is pending and held
/// by `by`.
pub(crate) fn check_holder(
    delivery: DeliveryId,
    state: &str,
    holder: Option<&str>,
    by: &str,
) -> Result<(), StoreError> {
    if state != DeliveryState::Pending.as_str() || holder != Some(by) {
        return Err(StoreError::DeliveryLost {
            delivery,
            by: by.to_owned(),
        });
    }
    Ok(())
}

/// A delivery's state after an attempt, and when it is due next if it stays pending.
pub(crate) fn after_attempt(
    delivered: bool,
    next: NextAttempt,
) -> (DeliveryState, Option<Timestamp>) {
    match (delivered, next) {
        (true, _) => (DeliveryState::Delivered, None),
        (false, NextAttempt::None) => (DeliveryState::Failed, None),
        (false, NextAttempt::At(at)) => (DeliveryState::Pending, Some(at)),
    }
}
