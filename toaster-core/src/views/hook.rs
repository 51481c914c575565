//! Hooks and their deliveries as frontends show them.

use serde::Serialize;

use crate::model::{Attempt, Delivery, Hook, HookAction};

/// A hook, flat: `id`, `on`, `kind` and the action's fields (`to`; `url` and
/// `secret_env`; or `argv`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HookView {
    /// Its number within the project.
    pub id: u32,
    /// Which ends of a build fire it (`failure`, `success`, `always`).
    pub on: &'static str,
    /// What it does, with its `kind`.
    #[serde(flatten)]
    pub action: HookAction,
}

impl From<&Hook> for HookView {
    fn from(hook: &Hook) -> HookView {
        HookView {
            id: hook.id,
            on: hook.on.as_str(),
            action: hook.action.clone(),
        }
    }
}

/// A delivery with every attempt, as `build hooks --json` and `hook deliver --json` print
/// it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeliveryView {
    /// Its number.
    pub id: i64,
    /// The build that ended.
    pub build: i64,
    /// The hook as it was when the build ended.
    pub hook: Hook,
    /// Where it is (`pending`, `delivered`, `failed`).
    pub state: &'static str,
    /// When the next attempt is due (RFC 3339).
    pub due_at: String,
    /// The attempts made, oldest first.
    pub attempts: Vec<AttemptView>,
}

impl From<&Delivery> for DeliveryView {
    fn from(d: &Delivery) -> DeliveryView {
        DeliveryView {
            id: d.id.0,
            build: d.build.0,
            hook: d.hook.clone(),
            state: d.state.as_str(),
            due_at: d.due_at.to_rfc3339(),
            attempts: d.attempts.iter().map(AttemptView::from).collect(),
        }
    }
}

/// One attempt at a delivery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AttemptView {
    /// 1 for the first.
    pub number: u32,
    /// When it started (RFC 3339).
    pub started_at: String,
    /// How long it took, in milliseconds.
    pub duration_ms: u64,
    /// Whether the hook was carried out.
    pub delivered: bool,
    /// The HTTP status, SMTP reply code or exit status, when there was one.
    pub status: Option<i64>,
    /// One line saying what happened.
    pub detail: String,
    /// The end of what the server answered or the script printed.
    pub output: String,
    /// Which deliverer made it.
    pub by: String,
}

impl From<&Attempt> for AttemptView {
    fn from(a: &Attempt) -> AttemptView {
        AttemptView {
            number: a.number,
            started_at: a.started_at.to_rfc3339(),
            duration_ms: a.duration_ms,
            delivered: a.result.delivered,
            status: a.result.status,
            detail: a.result.detail.clone(),
            output: a.result.output.clone(),
            by: a.by.clone(),
        }
    }
}

/// A delivery with its newest attempt only, flat (what the Python binding's
/// `deliver_hooks` and `hook_deliveries` return).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeliverySummaryView {
    /// The delivery's number.
    pub delivery: i64,
    /// The build that ended.
    pub build: i64,
    /// The hook's number within the project.
    pub hook_id: u32,
    /// What the hook does (`email`, `webhook`, `run`).
    pub kind: &'static str,
    /// Where the delivery is.
    pub state: &'static str,
    /// The newest attempt's number; 0 when none was made.
    pub attempt: u32,
    /// Whether the newest attempt carried the hook out.
    pub delivered: bool,
    /// The newest attempt's status, when it had one.
    pub status: Option<i64>,
    /// What the newest attempt said; null when none was made.
    pub detail: Option<String>,
}

impl From<&Delivery> for DeliverySummaryView {
    fn from(d: &Delivery) -> DeliverySummaryView {
        let last = d.attempts.last();
        DeliverySummaryView {
            delivery: d.id.0,
            build: d.build.0,
            hook_id: d.hook.id,
            kind: d.hook.action.kind(),
            state: d.state.as_str(),
            attempt: last.map_or(0, |a| a.number),
            delivered: last.is_some_and(|a| a.result.delivered),
            status: last.and_then(|a| a.result.status),
            detail: last.map(|a| a.result.detail.clone()),
        }
    }
}
