//! What a build's recorder writes: tasks, recipes, packages, log messages, artifacts, and
//! changes of state and progress, as plain records the store applies in batches.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::image_contents::{ImageFiles, ImagePackages};
use super::package_contents::{PackageFiles, RelationKind};
use super::{
    ArtifactRecord, BuildState, ModelError, Provider, RecipeDependencies, TaskDependencies,
    Timestamp, VariableHistory, VariableRecord,
};

macro_rules! named_enum {
    ($(#[$doc:meta])* $name:ident, $what:literal { $($(#[$vdoc:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vdoc])* #[serde(rename = $text)] $variant),+
        }

        impl $name {
            /// Every value, in order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable name.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            /// The value of a stable name.
            pub fn parse(text: &str) -> Result<$name, ModelError> {
                match text {
                    $($text => Ok($name::$variant),)+
                    _ => {
                        let known: Vec<&str> = Self::ALL.iter().map(|v| v.as_str()).collect();
                        Err(ModelError::invalid($what, text, "it is not known", format!("use one of {}", known.join(", "))))
                    }
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

named_enum!(
    /// How a task ended.
    TaskOutcome, "task outcome" {
        /// It ran and succeeded.
        Succeeded = "succeeded",
        /// It ran and failed.
        Failed = "failed",
        /// Its output was restored from the shared state cache.
        Cached = "cached",
        /// Another task's restored output covered it.
        Covered = "covered",
        /// Its output was already there from an earlier build.
        Prebuilt = "prebuilt",
        /// It had nothing to do (no function).
        Empty = "empty",
        /// It was skipped as not needed.
        NoOp = "noop",
    }
);

named_enum!(
    /// What the shared state cache did for a task (Toaster's `sstate_result`).
    SstateResult, "shared-state result" {
        /// The task has no shared state, or it was not looked up.
        NotApplicable = "na",
        /// Its output was not in the cache.
        Miss = "miss",
        /// Restoring its output failed (the task ran instead).
        Failed = "failed",
        /// Its output was restored from the cache.
        Restored = "restored",
    }
);

named_enum!(
    /// The language of a task's function (Toaster's `script_type`).
    ScriptType, "script type" {
        /// A Python function.
        Python = "python",
        /// A shell function.
        Shell = "shell",
    }
);

named_enum!(
    /// How severe a log message is.
    LogLevel, "log level" {
        /// Debugging detail.
        Debug = "debug",
        /// Information.
        Note = "note",
        /// A warning.
        Warning = "warning",
        /// An error.
        Error = "error",
        /// A fatal error.
        Critical = "critical",
    }
);

named_enum!(
    /// What a build made, or read, that is worth keeping (see [`super::ArtifactRecord`]).
    ArtifactKind, "artifact kind" {
        /// A root file system or disk image, or a companion of one (`.wic.bmap`, `.qemuboot.conf`).
        Image = "image",
        /// A software development kit installer.
        Sdk = "sdk",
        /// A kernel, its modules or a device tree.
        Kernel = "kernel",
        /// An image or SDK manifest.
        Manifest = "manifest",
        /// A licence manifest.
        License = "license",
        /// The build's log.
        Log = "log",
        /// The log of a task that failed.
        TaskLog = "task-log",
        /// A conf file the build read.
        Conf = "conf",
        /// Anything else.
        Other = "other",
    }
);

/// A task of a build: created when it starts (or first heard of), completed when it ends.
/// Fields left `None` keep what an earlier record of the same task said.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskRecord {
    /// The recipe (`busybox`, `mc:arm:busybox`).
    pub recipe: String,
    /// The task (`do_compile`, `do_populate_sysroot_setscene`).
    pub task: String,
    /// Its position in the order tasks started (1, 2, …).
    pub order: Option<u32>,
    /// How it ended; `None` while it runs.
    pub outcome: Option<TaskOutcome>,
    /// When it started.
    pub started_at: Option<Timestamp>,
    /// When it ended.
    pub ended_at: Option<Timestamp>,
    /// CPU time it used, in milliseconds.
    pub cpu_ms: Option<u64>,
    /// Bytes it read from disk.
    pub read_bytes: Option<u64>,
    /// Bytes it wrote to disk.
    pub write_bytes: Option<u64>,
    /// Its log file.
    pub log_file: Option<String>,
    /// What the shared state cache did for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sstate: Option<SstateResult>,
    /// Whether it ran (in a worker) rather than being restored, covered or skipped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub executed: Option<bool>,
    /// The language of its function.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub script: Option<ScriptType>,
}

/// A recipe the build parsed (stored once, shared by every build that used it).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RecipeRecord {
    /// `PN`.
    pub name: String,
    /// `PV` (with `PR` if known).
    pub version: String,
    /// The layer it comes from.
    pub layer: String,
    /// Its `.bb` file.
    pub file: String,
    /// `LICENSE`, when the build reported it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub licence: Option<String>,
    /// `SUMMARY`, when the build reported it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// `SECTION`, when the build reported it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    /// `HOMEPAGE`, when the build reported it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub homepage: Option<String>,
}

/// A package the build made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackageRecord {
    /// The package name.
    pub name: String,
    /// Its version.
    pub version: String,
    /// Its installed size in bytes.
    pub size: u64,
    /// The recipe that made it.
    pub recipe: String,
    /// The packages it depends on at run time.
    pub depends: Vec<String>,
    /// The packages it names otherwise (`RRECOMMENDS`, …), by kind.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub relations: BTreeMap<RelationKind, Vec<String>>,
}

/// A log message of the build.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogRecord {
    /// How severe.
    pub level: LogLevel,
    /// The text.
    pub text: String,
    /// The task it came from, as `recipe:task`, if any.
    pub task: Option<String>,
    /// The file it points at, if any.
    pub file: Option<String>,
    /// The line in that file.
    pub line: Option<u32>,
    /// When.
    pub at: Option<Timestamp>,
}

/// One write of a recorder; a batch of them is applied in one transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BuildWrite {
    /// The build moves to a state (ignored unless forward); an end also sets `ended_at`.
    State(BuildState, Timestamp),
    /// Progress counters; `None` keeps the stored value.
    Progress {
        /// Recipes parsed.
        recipes_parsed: Option<u32>,
        /// Recipes to parse.
        recipes_total: Option<u32>,
        /// Tasks done.
        tasks_done: Option<u32>,
        /// Tasks to run.
        tasks_total: Option<u32>,
    },
    /// A recipe the build used.
    Recipe(RecipeRecord),
    /// A task started, ended, or both.
    Task(TaskRecord),
    /// A package.
    Package(PackageRecord),
    /// A log message.
    Log(LogRecord),
    /// An artifact.
    Artifact(ArtifactRecord),
    /// The tasks one task waits for (added to those already recorded).
    TaskDependencies(TaskDependencies),
    /// The recipes one recipe needs (added to those already recorded).
    RecipeDependencies(RecipeDependencies),
    /// A name a recipe provides in the build.
    Provider(Provider),
    /// A variable the build used (a name recorded again keeps its first record).
    Variable(VariableRecord),
    /// Entries of a variable's history (an entry number recorded again keeps its first).
    VariableHistory(VariableHistory),
    /// Files of a package (added to those already recorded).
    PackageFiles(PackageFiles),
    /// Packages installed in an image (added to those already recorded).
    ImagePackages(ImagePackages),
    /// Entries of an image's file listing (added to those already recorded).
    ImageFiles(ImageFiles),
}

/// One task as read back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Task {
    /// What the recorder knew of it.
    #[serde(flatten)]
    pub record: TaskRecord,
    /// How long it took, in milliseconds, when both ends are known.
    pub elapsed_ms: Option<i64>,
}

/// Which tasks to read, and in what order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TaskFilter {
    /// Only tasks with this outcome (`None` inside: still running).
    pub outcome: Option<Option<TaskOutcome>>,
    /// Only this recipe's.
    pub recipe: Option<String>,
    /// Longest first instead of in start order.
    pub by_elapsed: bool,
    /// At most this many.
    pub limit: u32,
    /// Skip this many.
    pub offset: u32,
}
