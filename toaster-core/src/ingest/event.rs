//! The events a build's recorder takes: what BitBake reports, in our own words.
//! They are also the lines of an event log (see [`super::event_log`]).

use serde::{Deserialize, Serialize};

use super::{ArtifactEvent, bounds};
use crate::model::{
    BuildState, ImageFiles, ImagePackages, LogRecord, PackageFiles, PackageRecord, Provider,
    RecipeDependencies, RecipeRecord, ScriptType, SstateResult, TaskDependencies, TaskOutcome,
    Timestamp, VariableHistory, VariableRecord,
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
        /// What the shared state cache did for it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        sstate: Option<SstateResult>,
        /// Whether it ran in a worker.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        executed: Option<bool>,
        /// The language of its function.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        script: Option<ScriptType>,
    },
    /// The tasks one task waits for (from BitBake's dependency tree, before tasks run).
    TaskDependencies(TaskDependencies),
    /// The recipes one recipe needs, at build or run time (from BitBake's dependency tree).
    RecipeDependencies(RecipeDependencies),
    /// A name a recipe provides in the build (`virtual/kernel` by `linux-yocto`).
    Provider(Provider),
    /// A variable the build used, read from BitBake's datastore at its start.
    Variable(VariableRecord),
    /// Entries of a variable's history, as BitBake's datastore keeps it.
    VariableHistory(VariableHistory),
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
    /// Files of a package the build made.
    PackageFiles(PackageFiles),
    /// Packages installed in an image the build made.
    ImagePackages(ImagePackages),
    /// Entries of the file listing of an image the build made.
    ImageFiles(ImageFiles),
    /// A file the build made.
    Artifact(ArtifactEvent),
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
    pub const KINDS: [&'static str; 20] = [
        "parse_started",
        "parse_progress",
        "parse_completed",
        "recipe",
        "task_started",
        "task_finished",
        "task_dependencies",
        "recipe_dependencies",
        "provider",
        "variable",
        "variable_history",
        "run_queue_progress",
        "log",
        "package",
        "package_files",
        "image_packages",
        "image_files",
        "artifact",
        "heartbeat",
        "build_completed",
    ];

    /// The `event` name of this kind.
    pub fn kind(&self) -> &'static str {
        match self {
            Event::ParseStarted { .. } => "parse_started",
            Event::ParseProgress { .. } => "parse_progress",
            Event::ParseCompleted { .. } => "parse_completed",
            Event::Recipe(_) => "recipe",
            Event::TaskStarted { .. } => "task_started",
            Event::TaskFinished { .. } => "task_finished",
            Event::TaskDependencies(_) => "task_dependencies",
            Event::RecipeDependencies(_) => "recipe_dependencies",
            Event::Provider(_) => "provider",
            Event::Variable(_) => "variable",
            Event::VariableHistory(_) => "variable_history",
            Event::RunQueueProgress { .. } => "run_queue_progress",
            Event::Log(_) => "log",
            Event::Package(_) => "package",
            Event::PackageFiles(_) => "package_files",
            Event::ImagePackages(_) => "image_packages",
            Event::ImageFiles(_) => "image_files",
            Event::Artifact(_) => "artifact",
            Event::Heartbeat { .. } => "heartbeat",
            Event::BuildCompleted { .. } => "build_completed",
        }
    }
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
/// not know (a newer writer's), which readers skip. A known event with a field beyond its
/// bound (see [`bounds`]) is malformed.
pub fn parse_line(line: &str) -> Result<Option<Event>, LineError> {
    // The usual case, a known event, is parsed once; only a line that fails is looked at
    // again to say why.
    let failure = match serde_json::from_str::<Event>(line) {
        Ok(event) => {
            return match bounds::check_event(&event) {
                Ok(()) => Ok(Some(event)),
                Err(reason) => Err(LineError::Malformed(format!(
                    "event `{}`: {reason}",
                    event.kind()
                ))),
            };
        }
        Err(e) => e,
    };
    let value: serde_json::Value =
        serde_json::from_str(line).map_err(|e| LineError::NotJson(shortened(e.to_string())))?;
    let Some(kind) = value.get("event").and_then(|k| k.as_str()) else {
        return Err(LineError::Malformed("it has no `event` name".to_owned()));
    };
    if !Event::KINDS.contains(&kind) {
        return Ok(None);
    }
    Err(LineError::Malformed(shortened(format!(
        "event `{kind}`: {failure}"
    ))))
}

/// The longest reason kept: a parser's message may quote a whole field of the input.
const MAX_REASON: usize = 300;

/// `text` cut to [`MAX_REASON`] bytes (on a character boundary), marked with `…` if cut.
pub(super) fn shortened(mut text: String) -> String {
    if text.len() > MAX_REASON {
        let mut end = MAX_REASON;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
        text.push('…');
    }
    text
}

/// Reads a batch of event lines: events of kinds this version does not know are skipped;
/// a line that is not JSON, longer than `bounds::MAX_LINE`, or a known event with wrong
/// fields refuses the batch.
pub fn parse_lines(text: &str) -> Result<Vec<Event>, super::IngestError> {
    let mut events = Vec::new();
    for (n, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        if line.len() > bounds::MAX_LINE {
            return Err(super::IngestError::NotAnEvent {
                line: n + 1,
                reason: format!("it is longer than {} MiB", bounds::MAX_LINE >> 20),
            });
        }
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
    use crate::model::{TaskOutcome, Timestamp};

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
    fn outcomes_are_spelled_as_the_cli_shows_them() {
        for outcome in TaskOutcome::ALL {
            assert_eq!(
                serde_json::to_value(outcome).unwrap(),
                serde_json::Value::from(outcome.as_str())
            );
            let line = format!(
                r#"{{"event":"task_finished","recipe":"r","task":"t","outcome":"{outcome}","at":null}}"#
            );
            let Some(Event::TaskFinished { outcome: read, .. }) = parse_line(&line).unwrap() else {
                panic!("{line}");
            };
            assert_eq!(read, *outcome);
        }
        // As BitBake's hook writes a task skipped as not needed.
        let noop = r#"{"event":"task_finished","recipe":"r","task":"t","outcome":"noop","at":1}"#;
        assert!(matches!(
            parse_line(noop),
            Ok(Some(Event::TaskFinished {
                outcome: TaskOutcome::NoOp,
                ..
            }))
        ));
        let Err(LineError::Malformed(reason)) = parse_line(&noop.replace("noop", "no_op")) else {
            panic!("`no_op` is not a spelling of `noop`");
        };
        assert!(reason.contains("`noop`"), "{reason}");
    }

    #[test]
    fn reasons_do_not_quote_whole_fields() {
        let line = format!(
            r#"{{"event":"task_finished","recipe":"r","task":"t","outcome":"{}","at":1}}"#,
            "x".repeat(10_000)
        );
        let Err(LineError::Malformed(reason)) = parse_line(&line) else {
            panic!("an unknown outcome is refused");
        };
        assert!(reason.len() < 400 && reason.ends_with('…'), "{reason}");
        let long = format!("{}\n", " ".repeat(bounds::MAX_LINE));
        let refused = parse_lines(&format!("{{}}{long}")).unwrap_err().to_string();
        assert!(refused.contains("longer than 1 MiB"), "{refused}");
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
