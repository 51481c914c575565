//! What a hook sends about an ended build: the mail's subject and body, the webhook's JSON,
//! and a script's environment. Read from the store once per attempt.

use std::fmt::Write as _;
use std::path::PathBuf;

use serde::Serialize;

use super::Actor;
use crate::Error;
use crate::model::{
    ArtifactRecord, Build, BuildId, Hook, LogLevel, TaskFilter, TaskOutcome, Timestamp,
};
use crate::views::BuildView;

/// How many of a build's last error messages a report carries.
const LAST_ERRORS: usize = 10;
/// How many failed tasks a report lists at most.
const MAX_FAILED_TASKS: u32 = 100;

/// An ended build, as its hooks report it.
#[derive(Debug, Clone, Serialize)]
pub(super) struct BuildReport {
    /// Always `build-ended`.
    event: &'static str,
    /// The build, as `build show --json` prints it.
    build: BuildView,
    /// The tasks that failed, in the order they ran.
    failed_tasks: Vec<FailedTask>,
    /// The build's last error messages, oldest first.
    errors: Vec<String>,
    /// The hook being delivered.
    hook: HookRef,
    #[serde(skip)]
    artifacts: Vec<ArtifactRecord>,
    #[serde(skip)]
    raw: Build,
    #[serde(skip)]
    database: String,
}

#[derive(Debug, Clone, Serialize)]
struct FailedTask {
    recipe: String,
    task: String,
    log_file: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
struct HookRef {
    id: u32,
    on: &'static str,
    kind: &'static str,
}

/// An artifact as a script reads it from `TOASTER_ARTIFACTS`.
#[derive(Serialize)]
struct ArtifactEntry<'a> {
    name: &'a str,
    kind: &'a str,
    path: String,
    size: u64,
    sha256: Option<&'a str>,
}

impl BuildReport {
    /// Reads what a report of build `id` needs (read right on its project is checked).
    pub(super) fn read(actor: &Actor, id: BuildId, hook: &Hook) -> Result<BuildReport, Error> {
        let detail = actor.build(id)?;
        let failed = actor.tasks(
            id,
            &TaskFilter {
                outcome: Some(Some(TaskOutcome::Failed)),
                limit: MAX_FAILED_TASKS,
                ..TaskFilter::default()
            },
        )?;
        let errors = actor.log_messages(id, LogLevel::Error)?;
        let skip = errors.len().saturating_sub(LAST_ERRORS);
        Ok(BuildReport {
            event: "build-ended",
            build: BuildView::from(&detail),
            failed_tasks: failed
                .into_iter()
                .map(|t| FailedTask {
                    recipe: t.record.recipe,
                    task: t.record.task,
                    log_file: t.record.log_file,
                })
                .collect(),
            errors: errors.into_iter().skip(skip).map(|m| m.text).collect(),
            hook: HookRef {
                id: hook.id,
                on: hook.on.as_str(),
                kind: hook.action.kind(),
            },
            artifacts: actor.artifacts(id)?,
            raw: detail.build,
            database: actor.store().location(),
        })
    }

    /// The webhook's body.
    pub(super) fn json(&self) -> Vec<u8> {
        // Serializing plain strings, numbers and maps cannot fail.
        serde_json::to_vec(self).unwrap_or_default()
    }

    /// The mail's subject: project, build, state and targets.
    pub(super) fn subject(&self) -> String {
        let b = &self.build;
        format!(
            "[toaster] {} build {} {} ({})",
            b.project,
            b.id,
            b.state,
            b.targets.join(" ")
        )
    }

    /// The mail's body: duration, failed tasks, the last errors, and how to see the build.
    pub(super) fn body(&self) -> String {
        let b = &self.build;
        let mut text = String::new();
        let _ = writeln!(text, "Build {} of project {} {}.", b.id, b.project, b.state);
        let _ = writeln!(text);
        let _ = writeln!(text, "targets:   {}", b.targets.join(" "));
        let _ = writeln!(text, "machine:   {}", b.machine.as_deref().unwrap_or("-"));
        let _ = writeln!(text, "host:      {} ({})", b.host, b.build_dir);
        let _ = writeln!(text, "started:   {} by {}", b.started_at, b.owner);
        let _ = writeln!(text, "ended:     {}", b.ended_at.as_deref().unwrap_or("-"));
        let _ = writeln!(text, "duration:  {}", duration(b.duration_ms));
        let _ = writeln!(
            text,
            "messages:  {} errors, {} warnings",
            b.errors, b.warnings
        );
        if !self.failed_tasks.is_empty() {
            let _ = writeln!(text, "\nFailed tasks:");
            for t in &self.failed_tasks {
                let _ = writeln!(text, "  {}:{}", t.recipe, t.task);
                if let Some(log) = &t.log_file {
                    let _ = writeln!(text, "    log: {log}");
                }
            }
        }
        if !self.errors.is_empty() {
            let _ = writeln!(text, "\nLast errors:");
            for line in &self.errors {
                for part in line.lines() {
                    let _ = writeln!(text, "  {part}");
                }
            }
        }
        if !self.artifacts.is_empty() {
            let _ = writeln!(text, "\nArtifacts:");
            for a in &self.artifacts {
                let _ = writeln!(text, "  {} {} ({} bytes)", a.kind.as_str(), a.name, a.size);
            }
        }
        let _ = writeln!(text, "\nSee it with:");
        let _ = writeln!(text, "  toaster build show {}", b.id);
        let _ = writeln!(text, "  toaster build log {}", b.id);
        text
    }

    /// Where a script hook runs: the build directory.
    pub(super) fn build_dir(&self) -> PathBuf {
        self.raw.build_dir.clone()
    }

    /// A script's environment, with `artifacts` the file listing the artifacts (written by
    /// [`BuildReport::write_artifacts`]).
    pub(super) fn script_env(&self, artifacts: &std::path::Path) -> Vec<(String, String)> {
        let b = &self.build;
        [
            ("TOASTER_BUILD_ID", b.id.to_string()),
            ("TOASTER_BUILD_STATE", b.state.to_owned()),
            ("TOASTER_PROJECT", b.project.clone()),
            ("TOASTER_BUILD_DIR", b.build_dir.clone()),
            ("TOASTER_LOG", b.log_path.clone().unwrap_or_default()),
            ("TOASTER_ARTIFACTS", artifacts.display().to_string()),
            ("TOASTER_DB", self.database.clone()),
            ("TOASTER_TARGETS", b.targets.join(" ")),
            ("TOASTER_MACHINE", b.machine.clone().unwrap_or_default()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect()
    }

    /// Writes the artifact list for a script (`BUILD/toaster-logs/build-N-artifacts.json`,
    /// absolute paths) and returns its path.
    pub(super) fn write_artifacts(&self) -> std::io::Result<PathBuf> {
        let dir = self.raw.build_dir.join("toaster-logs");
        std::fs::create_dir_all(&dir)?;
        let entries: Vec<ArtifactEntry<'_>> = self
            .artifacts
            .iter()
            .map(|a| ArtifactEntry {
                name: &a.name,
                kind: a.kind.as_str(),
                path: self.raw.build_dir.join(a.location()).display().to_string(),
                size: a.size,
                sha256: a.sha256.as_deref(),
            })
            .collect();
        let path = dir.join(format!("build-{}-artifacts.json", self.build.id));
        let text = serde_json::to_vec_pretty(&entries).map_err(std::io::Error::other)?;
        std::fs::write(&path, text)?;
        Ok(path)
    }
}

fn duration(ms: i64) -> String {
    let s = ms.max(0) / 1000;
    match (s / 3600, s / 60 % 60, s % 60) {
        (0, 0, s) => format!("{s} s"),
        (0, m, s) => format!("{m} min {s} s"),
        (h, m, _) => format!("{h} h {m} min"),
    }
}

/// `Timestamp` plus `ms`.
pub(super) fn after(at: Timestamp, ms: u128) -> Timestamp {
    Timestamp(at.0.saturating_add(i64::try_from(ms).unwrap_or(i64::MAX)))
}
