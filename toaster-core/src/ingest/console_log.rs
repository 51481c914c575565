//! A build's own log file, in BitBake's console words: task starts and ends and the log
//! messages the recorder hears, one line each (`NOTE: recipe busybox: task do_compile:
//! Started`, `WARNING: busybox do_compile: …`).

use std::collections::HashSet;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use super::Event;
use crate::model::{LogLevel, LogRecord, TaskOutcome};

/// Writes a build's log file. It never fails the recording: the first write that fails
/// stops the log and is reported once (see [`ConsoleLog::write`]).
pub struct ConsoleLog {
    path: PathBuf,
    out: Option<BufWriter<File>>,
    /// Tasks started and not yet ended: only their end is written, once (a task's end can
    /// be heard again with its statistics).
    running: HashSet<(String, String)>,
}

impl std::fmt::Debug for ConsoleLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConsoleLog")
            .field("path", &self.path)
            .field("open", &self.out.is_some())
            .finish()
    }
}

impl ConsoleLog {
    /// A log writing to `file`, opened at `path`.
    pub(crate) fn new(path: PathBuf, file: File) -> ConsoleLog {
        ConsoleLog {
            path,
            out: Some(BufWriter::with_capacity(64 * 1024, file)),
            running: HashSet::new(),
        }
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Adds the line `event` makes, if any. Returns a warning the first time writing fails;
    /// nothing more is written after that.
    pub fn write(&mut self, event: &Event) -> Option<String> {
        let out = self.out.as_mut()?;
        let written = render(&mut self.running, event, out);
        self.check(written)
    }

    /// Writes what is buffered to the file. Returns a warning the first time that fails.
    pub fn flush(&mut self) -> Option<String> {
        let flushed = self.out.as_mut()?.flush();
        self.check(flushed)
    }

    fn check(&mut self, outcome: io::Result<()>) -> Option<String> {
        let error = outcome.err()?;
        self.out = None;
        Some(format!(
            "the build's log {} could not be written ({error}); the rest of it is left out",
            self.path.display()
        ))
    }
}

/// BitBake's word for a level (`bb.msg.BBLogFormatter`: critical messages show as errors).
fn level_word(level: LogLevel) -> &'static str {
    match level {
        LogLevel::Debug => "DEBUG",
        LogLevel::Note => "NOTE",
        LogLevel::Warning => "WARNING",
        LogLevel::Error | LogLevel::Critical => "ERROR",
    }
}

fn outcome_word(outcome: TaskOutcome) -> &'static str {
    match outcome {
        TaskOutcome::Succeeded => "Succeeded",
        TaskOutcome::Failed => "Failed",
        TaskOutcome::Cached => "Restored from shared state",
        TaskOutcome::Covered => "Covered",
        TaskOutcome::Prebuilt => "Already done",
        TaskOutcome::Empty => "Nothing to do",
        TaskOutcome::NoOp => "Not needed",
    }
}

fn render(
    running: &mut HashSet<(String, String)>,
    event: &Event,
    out: &mut impl Write,
) -> io::Result<()> {
    match event {
        Event::ParseCompleted { total } => writeln!(out, "NOTE: Parsed {total} recipes"),
        Event::TaskStarted { recipe, task, .. } => {
            if running.insert((recipe.clone(), task.clone())) {
                writeln!(out, "NOTE: recipe {recipe}: task {task}: Started")?;
            }
            Ok(())
        }
        Event::TaskFinished {
            recipe,
            task,
            outcome,
            ..
        } => {
            if running.remove(&(recipe.clone(), task.clone())) {
                let word = outcome_word(*outcome);
                writeln!(out, "NOTE: recipe {recipe}: task {task}: {word}")?;
            }
            Ok(())
        }
        Event::Log(record) => write_record(record, out),
        Event::BuildCompleted { state, .. } => writeln!(out, "NOTE: Build {state}"),
        Event::ParseStarted { .. }
        | Event::ParseProgress { .. }
        | Event::Recipe(_)
        | Event::TaskDependencies(_)
        | Event::RecipeDependencies(_)
        | Event::Provider(_)
        | Event::Variable(_)
        | Event::VariableHistory(_)
        | Event::RunQueueProgress { .. }
        | Event::Package(_)
        | Event::PackageFiles(_)
        | Event::ImagePackages(_)
        | Event::ImageFiles(_)
        | Event::Artifact(_)
        | Event::Heartbeat { .. } => Ok(()),
    }
}

/// `LEVEL: text`, with the task as BitBake's console names it (`busybox do_compile: `).
fn write_record(record: &LogRecord, out: &mut impl Write) -> io::Result<()> {
    let level = level_word(record.level);
    match record.task.as_deref().and_then(|t| t.rsplit_once(':')) {
        Some((recipe, task)) => writeln!(out, "{level}: {recipe} {task}: {}", record.text),
        None => writeln!(out, "{level}: {}", record.text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{BuildState, Timestamp};

    fn log(level: LogLevel, text: &str, task: Option<&str>) -> Event {
        Event::Log(LogRecord {
            level,
            text: text.into(),
            task: task.map(Into::into),
            file: None,
            line: None,
            at: Some(Timestamp(0)),
        })
    }

    fn finished(recipe: &str, outcome: TaskOutcome) -> Event {
        Event::TaskFinished {
            recipe: recipe.into(),
            task: "do_build".into(),
            outcome,
            at: None,
            cpu_ms: None,
            read_bytes: None,
            write_bytes: None,
            log_file: None,
            sstate: None,
            executed: None,
            script: None,
        }
    }

    #[test]
    fn events_are_written_in_bitbakes_words_and_each_task_end_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("build-1.log");
        let mut console = ConsoleLog::new(path.clone(), File::create(&path).unwrap());
        let events = [
            Event::ParseCompleted { total: 3 },
            Event::TaskStarted {
                recipe: "mc:arm:a".into(),
                task: "do_build".into(),
                at: None,
                log_file: None,
            },
            log(LogLevel::Warning, "careful", Some("mc:arm:a:do_build")),
            finished("mc:arm:a", TaskOutcome::Failed),
            // The same end again, with statistics: not written twice.
            finished("mc:arm:a", TaskOutcome::Failed),
            // An end without a start (a setscene result): not a console line.
            finished("b", TaskOutcome::Cached),
            log(LogLevel::Critical, "line one\nline two", None),
            Event::Heartbeat { at: None },
            Event::BuildCompleted {
                state: BuildState::Failed,
                at: None,
            },
        ];
        for event in &events {
            assert_eq!(console.write(event), None);
        }
        assert_eq!(console.flush(), None);
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "NOTE: Parsed 3 recipes\n\
             NOTE: recipe mc:arm:a: task do_build: Started\n\
             WARNING: mc:arm:a do_build: careful\n\
             NOTE: recipe mc:arm:a: task do_build: Failed\n\
             ERROR: line one\nline two\n\
             NOTE: Build failed\n"
        );
    }

    #[test]
    fn a_failed_write_is_reported_once_and_stops_the_log() {
        // /dev/full takes the open and refuses every write.
        let Ok(full) = File::options().write(true).open("/dev/full") else {
            eprintln!("SKIPPED: no /dev/full on this machine");
            return;
        };
        let mut console = ConsoleLog::new(PathBuf::from("/dev/full"), full);
        let long = log(LogLevel::Note, &"x".repeat(128 * 1024), None);
        let warning = console.write(&long).expect("a warning");
        assert!(
            warning.contains("/dev/full could not be written"),
            "{warning}"
        );
        assert_eq!(console.write(&long), None);
        assert_eq!(console.flush(), None);
    }
}
