//! The events a build's recorder takes: what BitBake reports, in our own words.
//! They are also the lines of an event log (see [`super::event_log`]).

use serde::{Deserialize, Serialize};

use crate::model::{
    ArtifactRecord, BuildState, LogRecord, PackageRecord, RecipeRecord, TaskOutcome, Timestamp,
};

/// One thing that happened in a build. Times are milliseconds since the Unix epoch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    /// Parsing began, with this many recipes to parse.
    ParseStarted {
        /// Recipes to parse.
        total: u32,
    },
    /// Parsing went on.
    ParseProgress {
        /// Recipes parsed.
        parsed: u32,
        /// Recipes to parse.
        total: u32,
    },
    /// Parsing finished.
    ParseCompleted {
        /// Recipes parsed.
        total: u32,
    },
    /// A recipe the build uses.
    Recipe(RecipeRecord),
    /// A task started.
    TaskStarted {
        /// The recipe.
        recipe: String,
        /// The task.
        task: String,
        /// When.
        at: Option<Timestamp>,
        /// Its log file.
        #[serde(default)]
        log_file: Option<String>,
    },
    /// A task ended (ran, failed, restored from sstate, covered, …).
    TaskFinished {
        /// The recipe.
        recipe: String,
        /// The task.
        task: String,
        /// How it ended.
        outcome: TaskOutcome,
        /// When.
        at: Option<Timestamp>,
        /// CPU time in milliseconds.
        #[serde(default)]
        cpu_ms: Option<i64>,
        /// Bytes read from disk.
        #[serde(default)]
        read_bytes: Option<i64>,
        /// Bytes written to disk.
        #[serde(default)]
        write_bytes: Option<i64>,
        /// Its log file.
        #[serde(default)]
        log_file: Option<String>,
    },
    /// The run queue's progress.
    RunQueueProgress {
        /// Tasks done.
        done: u32,
        /// Tasks to run.
        total: u32,
    },
    /// A log message.
    Log(LogRecord),
    /// A package the build made.
    Package(PackageRecord),
    /// A file the build made.
    Artifact(ArtifactRecord),
    /// The build is alive (BitBake sends these every second or so).
    Heartbeat {
        /// When.
        at: Option<Timestamp>,
    },
    /// The build ended.
    BuildCompleted {
        /// How: succeeded, failed or cancelled.
        state: BuildState,
        /// When.
        at: Option<Timestamp>,
    },
}
