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

impl Event {
    /// The `event` names of every kind this version knows.
    pub const KINDS: [&'static str; 12] = [
        "parse_started",
        "parse_progress",
        "parse_completed",
        "recipe",
        "task_started",
        "task_finished",
        "run_queue_progress",
        "log",
        "package",
        "artifact",
        "heartbeat",
        "build_completed",
    ];
}

/// Why a line is not an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineError {
    /// It is not JSON at all (a log cut short, or not a log).
    NotJson(String),
    /// It names a kind this version knows, but its fields are wrong.
    Malformed(String),
}

/// Reads one line of the event format: `Ok(None)` for an event of a kind this version does
/// not know (a newer writer's), which readers skip.
pub fn parse_line(line: &str) -> Result<Option<Event>, LineError> {
    // The usual case, a known event, is parsed once; only a line that fails is looked at
    // again to say why.
    let failure = match serde_json::from_str::<Event>(line) {
        Ok(event) => return Ok(Some(event)),
        Err(e) => e,
    };
    let value: serde_json::Value =
        serde_json::from_str(line).map_err(|e| LineError::NotJson(e.to_string()))?;
    let Some(kind) = value.get("event").and_then(|k| k.as_str()) else {
        return Err(LineError::Malformed("it has no `event` name".to_owned()));
    };
    if !Event::KINDS.contains(&kind) {
        return Ok(None);
    }
    Err(LineError::Malformed(format!("event `{kind}`: {failure}")))
}

/// Reads a batch of event lines: events of kinds this version does not know are skipped;
/// a line that is not JSON, or a known event with wrong fields, refuses the batch.
pub fn parse_lines(text: &str) -> Result<Vec<Event>, super::IngestError> {
    let mut events = Vec::new();
    for (n, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        match parse_line(line) {
            Ok(Some(event)) => events.push(event),
            Ok(None) => {}
            Err(LineError::NotJson(reason) | LineError::Malformed(reason)) => {
                return Err(super::IngestError::NotAnEvent {
                    line: n + 1,
                    reason,
                });
            }
        }
    }
    Ok(events)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::synthetic::Workload;
    use crate::model::Timestamp;

    #[test]
    fn every_kind_is_known_and_round_trips() {
        let mut seen = std::collections::BTreeSet::new();
        let extra = [
            Event::Heartbeat { at: None },
            Event::ParseProgress {
                parsed: 1,
                total: 2,
            },
        ];
        for event in Workload::SMALL.events(Timestamp(0)).chain(extra) {
            let line = serde_json::to_string(&event).unwrap();
            assert_eq!(parse_line(&line).unwrap(), Some(event));
            let value: serde_json::Value = serde_json::from_str(&line).unwrap();
            seen.insert(value["event"].as_str().unwrap().to_owned());
        }
        let started = Event::TaskStarted {
            recipe: "r".into(),
            task: "t".into(),
            at: None,
            log_file: None,
        };
        seen.insert(
            serde_json::to_value(started).unwrap()["event"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
        let known: std::collections::BTreeSet<String> =
            Event::KINDS.iter().map(|k| (*k).to_owned()).collect();
        assert_eq!(seen, known);
    }

    #[test]
    fn unknown_kinds_are_skipped_and_bad_lines_refused() {
        assert_eq!(
            parse_line(r#"{"event": "from_the_future", "x": 1}"#),
            Ok(None)
        );
        assert!(matches!(
            parse_line(r#"{"event": "heartbeat", "at": "noon"}"#),
            Err(LineError::Malformed(_))
        ));
        assert!(matches!(
            parse_line(r#"{"event": "task_sta"#),
            Err(LineError::NotJson(_))
        ));
        assert!(matches!(
            parse_line(r#"{"nonsense": 1}"#),
            Err(LineError::Malformed(_))
        ));
    }
}
