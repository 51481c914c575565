use std::fmt;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::{
    BuildArchive, BuildId, Claim, ModelError, Name, OwnerId, ProjectId, RevisionNumber, Target,
    Timestamp,
};

/// Where a build is in its life. States only move forward: queued, parsing, running, then
/// one of the four ends, which are final.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BuildState {
    /// Waiting to start.
    Queued,
    /// BitBake is parsing recipes.
    Parsing,
    /// Tasks are running.
    Running,
    /// Every target was built.
    Succeeded,
    /// A task or the parse failed.
    Failed,
    /// Someone cancelled it.
    Cancelled,
    /// Its recorder stopped sending (killed, host lost) before it ended.
    Interrupted,
}

impl BuildState {
    const NAMES: [(BuildState, &'static str); 7] = [
        (BuildState::Queued, "queued"),
        (BuildState::Parsing, "parsing"),
        (BuildState::Running, "running"),
        (BuildState::Succeeded, "succeeded"),
        (BuildState::Failed, "failed"),
        (BuildState::Cancelled, "cancelled"),
        (BuildState::Interrupted, "interrupted"),
    ];

    /// The stable name (`running`).
    pub fn as_str(self) -> &'static str {
        Self::NAMES
            .iter()
            .find(|(s, _)| *s == self)
            .map_or("unknown", |(_, n)| n)
    }

    /// The state of a name.
    pub fn parse(name: &str) -> Result<BuildState, ModelError> {
        Self::NAMES
            .iter()
            .find(|(_, n)| *n == name)
            .map(|(s, _)| *s)
            .ok_or_else(|| {
                let known: Vec<&str> = Self::NAMES.iter().map(|(_, n)| *n).collect();
                ModelError::invalid(
                    "build state",
                    name,
                    "it is not a build state",
                    format!("use one of {}", known.join(", ")),
                )
            })
    }

    /// Whether the build has ended.
    pub fn is_final(self) -> bool {
        self.rank() == 3
    }

    fn rank(self) -> u8 {
        match self {
            BuildState::Queued => 0,
            BuildState::Parsing => 1,
            BuildState::Running => 2,
            _ => 3,
        }
    }

    /// Whether a build in this state may move to `next`: forward only, never out of an end.
    /// Staying where it is counts as allowed (a repeated event changes nothing).
    pub fn may_become(self, next: BuildState) -> bool {
        self == next || (!self.is_final() && next.rank() > self.rank())
    }
}

impl fmt::Display for BuildState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A layer as a build ran with it: where from, the ref asked for and the commit it was.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuildLayer {
    /// The layer's name.
    pub name: String,
    /// A git URL or a local path.
    pub source: String,
    /// The requested branch, tag or commit, for git layers.
    pub reference: Option<String>,
    /// The commit it resolved to, when known.
    pub commit: Option<String>,
}

/// How far a build got.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// Recipes parsed so far.
    pub recipes_parsed: u32,
    /// Recipes to parse.
    pub recipes_total: u32,
    /// Tasks done so far.
    pub tasks_done: u32,
    /// Tasks to run.
    pub tasks_total: u32,
}

/// What BitBake reports a build runs with, where a build run by hand may differ from its
/// project's configuration; `None` takes the project's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Observed {
    /// `MACHINE` as BitBake saw it.
    pub machine: Option<String>,
    /// `DISTRO` as BitBake saw it.
    pub distro: Option<String>,
    /// The targets BitBake was asked for.
    pub targets: Option<Vec<Target>>,
    /// The layers in `BBLAYERS`.
    pub layers: Option<Vec<BuildLayer>>,
}

impl Observed {
    /// Checks the observed values as the project's own would be: names of machines and
    /// distros, and layers whose fields fit on a line.
    pub fn check(&self) -> Result<(), ModelError> {
        for (what, value) in [("machine", &self.machine), ("distro", &self.distro)] {
            if let Some(value) = value {
                super::config::check_word(what, value, value)?;
            }
        }
        for layer in self.layers.iter().flatten() {
            for field in [
                Some(&layer.name),
                Some(&layer.source),
                layer.reference.as_ref(),
                layer.commit.as_ref(),
            ]
            .into_iter()
            .flatten()
            {
                if field.is_empty() || field.len() > 4096 || field.chars().any(char::is_control) {
                    return Err(ModelError::invalid(
                        "layer",
                        field,
                        "a field is empty, longer than 4096 bytes or holds a control character",
                        "give the layer's name, path or URL, ref and commit as plain text",
                    ));
                }
            }
        }
        Ok(())
    }
}

/// What it takes to start recording a build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewBuild {
    /// The project.
    pub project: ProjectId,
    /// The configuration revision it runs with.
    pub revision: RevisionNumber,
    /// Who started it.
    pub owner: OwnerId,
    /// From which client.
    pub client: String,
    /// The host it runs on.
    pub host: String,
    /// Its build directory.
    pub build_dir: PathBuf,
    /// The directory for its log; the file is `build-<id>.log` in it.
    pub log_dir: PathBuf,
    /// `MACHINE`.
    pub machine: Option<String>,
    /// `DISTRO`.
    pub distro: Option<String>,
    /// What it builds.
    pub targets: Vec<Target>,
    /// The layers it runs with.
    pub layers: Vec<BuildLayer>,
    /// The state it starts in (`Queued` for a requested build).
    pub state: BuildState,
    /// When it started (now, or when an imported build did); for a requested build, when
    /// it was asked for.
    pub started_at: Timestamp,
    /// Queued for a Toaster runner to run, rather than recorded from a `bitbake` run by
    /// hand (which is never claimed by a runner).
    pub requested: bool,
    /// For a requested build, the only host whose runners may run it; `None`: any host.
    pub run_on: Option<String>,
}

/// A build: what it ran with, where it is, and what it came to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Build {
    /// The store's key.
    pub id: BuildId,
    /// The project.
    pub project: ProjectId,
    /// The project's name.
    pub project_name: Name,
    /// The configuration revision it ran with.
    pub revision: RevisionNumber,
    /// Who started it.
    pub owner: Name,
    /// From which client.
    pub client: String,
    /// The host it runs on; for a requested build, the host that asked for it until a
    /// runner claims it, then the runner's.
    pub host: String,
    /// Its build directory.
    pub build_dir: PathBuf,
    /// Its log file (its name carries the build id), once a process has written it; `None`
    /// while none has, or when it could not be written.
    pub log_path: Option<PathBuf>,
    /// `MACHINE`.
    pub machine: Option<String>,
    /// `DISTRO`.
    pub distro: Option<String>,
    /// What it builds.
    pub targets: Vec<Target>,
    /// The layers it ran with.
    pub layers: Vec<BuildLayer>,
    /// Where it is.
    pub state: BuildState,
    /// Hidden from listings unless asked for.
    pub hidden: bool,
    /// When it started.
    pub started_at: Timestamp,
    /// When it ended.
    pub ended_at: Option<Timestamp>,
    /// When its recorder last wrote.
    pub heartbeat_at: Timestamp,
    /// How far it got.
    pub progress: Progress,
    /// Log messages of level error or worse.
    pub errors: u32,
    /// Log messages of level warning.
    pub warnings: u32,
    /// Queued for a Toaster runner to run, rather than recorded from a `bitbake` run by
    /// hand.
    pub requested: bool,
    /// For a requested build, the only host whose runners may run it; `None`: any host.
    pub run_on: Option<String>,
    /// The runner that claimed it, if one has (kept after the build ends).
    pub claim: Option<Claim>,
    /// When someone asked to cancel it while a runner has it; the runner stops it.
    pub cancel_requested_at: Option<Timestamp>,
    /// The archive that keeps its record and files once its build directory is gone.
    pub archive: Option<BuildArchive>,
    /// Where a build imported from an archive came from (the archive, its build and host).
    pub origin: Option<String>,
}

impl Build {
    /// How long it ran (until now, for a build still going).
    pub fn duration_ms(&self, now: Timestamp) -> i64 {
        self.ended_at
            .unwrap_or(now)
            .0
            .saturating_sub(self.started_at.0)
            .max(0)
    }
}

/// Which builds a listing shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Visibility {
    /// Builds not hidden (the default).
    #[default]
    Visible,
    /// Hidden builds only.
    Hidden,
    /// Both.
    All,
}

/// Which builds to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BuildFilter {
    /// Only these projects' (`None`: every project's).
    pub projects: Option<Vec<ProjectId>>,
    /// Visible builds, hidden ones, or all.
    pub visibility: Visibility,
    /// At most this many, newest first.
    pub limit: u32,
    /// Skip this many newest first (paging).
    pub offset: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_only_move_forward_and_ends_are_final() {
        use BuildState::*;
        let all = [
            Queued,
            Parsing,
            Running,
            Succeeded,
            Failed,
            Cancelled,
            Interrupted,
        ];
        for from in all {
            for to in all {
                let expected = from == to || (!from.is_final() && to.rank() > from.rank());
                assert_eq!(from.may_become(to), expected, "{from} -> {to}");
            }
            assert_eq!(BuildState::parse(from.as_str()).unwrap(), from);
        }
        assert!(Queued.may_become(Running) && Running.may_become(Interrupted));
        assert!(!Running.may_become(Parsing) && !Failed.may_become(Succeeded));
    }
}
