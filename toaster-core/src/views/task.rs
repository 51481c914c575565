//! A build's task as frontends show it.

use serde::Serialize;

use crate::model::{Task, Timestamp};

/// A task, as `build tasks --json` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TaskView {
    /// Its place in the order BitBake ran the tasks, when known.
    pub order: Option<u32>,
    /// The recipe.
    pub recipe: String,
    /// The task (`do_compile`).
    pub task: String,
    /// How it ended; null while it runs.
    pub outcome: Option<&'static str>,
    /// When it started (RFC 3339).
    pub started_at: Option<String>,
    /// When it ended (RFC 3339).
    pub ended_at: Option<String>,
    /// How long it ran, in milliseconds.
    pub elapsed_ms: Option<i64>,
    /// CPU time, in milliseconds.
    pub cpu_ms: Option<u64>,
    /// Bytes read.
    pub read_bytes: Option<u64>,
    /// Bytes written.
    pub write_bytes: Option<u64>,
    /// Its log file.
    pub log_file: Option<String>,
    /// What the shared state cache did for it: restored, miss, failed or na.
    pub sstate: Option<&'static str>,
    /// Whether it ran (rather than being restored, covered or skipped).
    pub executed: Option<bool>,
    /// Its function's language: python or shell.
    pub script: Option<&'static str>,
}

impl From<&Task> for TaskView {
    fn from(task: &Task) -> TaskView {
        let r = &task.record;
        TaskView {
            order: r.order,
            recipe: r.recipe.clone(),
            task: r.task.clone(),
            outcome: r.outcome.map(|o| o.as_str()),
            started_at: r.started_at.map(Timestamp::to_rfc3339),
            ended_at: r.ended_at.map(Timestamp::to_rfc3339),
            elapsed_ms: task.elapsed_ms,
            cpu_ms: r.cpu_ms,
            read_bytes: r.read_bytes,
            write_bytes: r.write_bytes,
            log_file: r.log_file.clone(),
            sstate: r.sstate.map(|s| s.as_str()),
            executed: r.executed,
            script: r.script.map(|s| s.as_str()),
        }
    }
}
