//! What can go wrong finding, fetching, reading and checking layers.

use std::path::PathBuf;

use crate::conf::ConfError;
use crate::layers::FetchFailure;
use crate::remedy::{CommandLine, Remedy, Wording, option, option_with};

/// A dependency no layer of the project provides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Missing {
    /// The layer that needs it.
    pub needed_by: String,
    /// The dependency as written (`core (>= 12)`).
    pub dependency: String,
    /// A layer the known sources offer for it, if any.
    pub offered_by: Option<String>,
}

/// A layer that needs a collection which would be removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dependent {
    /// The layer that stays and needs it.
    pub layer: String,
    /// The collection it needs.
    pub collection: String,
    /// The layer being removed that provides it.
    pub provider: String,
}

fn list(items: &[String]) -> String {
    items.join(", ")
}

/// The most missing dependencies a message lists; the rest are counted.
const MISSING_SHOWN: usize = 10;

fn missing_list(missing: &[Missing]) -> String {
    let mut text = missing
        .iter()
        .take(MISSING_SHOWN)
        .map(|m| format!("{} (needed by {})", m.dependency, m.needed_by))
        .collect::<Vec<_>>()
        .join(", ");
    if missing.len() > MISSING_SHOWN {
        text.push_str(&format!(" and {} more", missing.len() - MISSING_SHOWN));
    }
    text
}

/// `` `conf/layer.conf` ``, or `the directory` for the layer directory itself.
fn what(path: &Option<String>) -> String {
    path.as_ref()
        .map_or_else(|| "the directory".to_owned(), |p| format!("`{p}`"))
}

fn dependents_list(dependents: &[Dependent]) -> String {
    dependents
        .iter()
        .map(|d| format!("{} depends on {} ({})", d.layer, d.provider, d.collection))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Everything the `layers` module reports.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LayerError {
    /// A directory that is not a BitBake layer.
    #[error("{path} is not a layer: {reason}")]
    NotALayer {
        /// The directory.
        path: PathBuf,
        /// Why not.
        reason: String,
        /// Layers found below it, as `SUBDIR (collection)`, to pick from.
        found: Vec<String>,
    },
    /// A `conf/layer.conf` that does not parse or evaluate.
    #[error("cannot read the layer's conf/layer.conf: {source}")]
    LayerConf {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: ConfError,
    },
    /// A layer variable BitBake would refuse.
    #[error("{path}: {variable} = `{value}`: {reason}")]
    BadVariable {
        /// The `layer.conf`.
        path: PathBuf,
        /// The variable.
        variable: String,
        /// Its value.
        value: String,
        /// What is wrong.
        reason: String,
    },
    /// A layer directory whose path is not UTF-8: BitBake's conf files cannot name it.
    #[error(
        "{} cannot be a layer: its path is not UTF-8 text, so BitBake's conf files cannot name it",
        path.display()
    )]
    NotUtf8 {
        /// The directory.
        path: PathBuf,
    },
    /// A git layer whose directory, `conf` or `conf/layer.conf` leads outside its
    /// repository through a symbolic link.
    #[error(
        "{} of layer {} leads outside its git repository (a symbolic link); a git layer's files are read only inside it",
        what(path),
        layer.display()
    )]
    OutsideRepository {
        /// The layer's directory in the clone.
        layer: PathBuf,
        /// The path in the layer (`conf/layer.conf`); `None` for the layer directory itself.
        path: Option<String>,
    },
    /// A layer name that cannot be used.
    #[error("`{name}` cannot name a layer: {reason}")]
    BadName {
        /// The name.
        name: String,
        /// Why.
        reason: &'static str,
    },
    /// A git ref that is empty or malformed.
    #[error("`{reference}` is not a usable git ref: {reason}")]
    BadRef {
        /// The ref.
        reference: String,
        /// Why.
        reason: &'static str,
    },
    /// A subdirectory that leaves the repository.
    #[error("subdirectory `{subdir}` is outside the repository: {reason}")]
    SubdirEscapes {
        /// The subdirectory asked for.
        subdir: String,
        /// How it escapes.
        reason: &'static str,
    },
    /// A subdirectory the checked-out commit does not have.
    #[error("{url} at {reference} has no directory `{subdir}`")]
    SubdirMissing {
        /// The repository.
        url: String,
        /// The ref.
        reference: String,
        /// The subdirectory.
        subdir: String,
    },
    /// A repository git could not fetch from.
    #[error("cannot fetch {url}: {message}")]
    Unreachable {
        /// The URL.
        url: String,
        /// What git said.
        message: String,
        /// Why: the network, credentials, host key, certificate or URL.
        reason: FetchFailure,
    },
    /// A ref the repository does not have.
    #[error("{url} has no branch, tag or commit `{reference}`")]
    RefNotFound {
        /// The repository.
        url: String,
        /// The ref asked for.
        reference: String,
        /// Some of its branches and tags, for the hint.
        known: Vec<String>,
    },
    /// A clone with uncommitted changes that a checkout would overwrite or hide.
    #[error(
        "the clone in {dir} has local changes ({files}); they were kept and nothing was checked out",
        files = list(files)
    )]
    LocalChanges {
        /// The clone.
        dir: PathBuf,
        /// The changed files (at most a few).
        files: Vec<String>,
    },
    /// A clone whose HEAD is a commit no fetched branch or tag holds (local commits).
    #[error(
        "the clone in {dir} is at commit {head}, which no branch or tag of its origin holds (local commits?); it was kept and nothing was checked out"
    )]
    LocalCommits {
        /// The clone.
        dir: PathBuf,
        /// Its HEAD.
        head: String,
    },
    /// The directory meant for a clone holds something else.
    #[error("{dir} holds {found}, not a clone of {url}")]
    CloneDirTaken {
        /// The directory.
        dir: PathBuf,
        /// The repository wanted there.
        url: String,
        /// What is there.
        found: String,
    },
    /// Two layers of one repository share its checkout, so they share its ref.
    #[error(
        "layer `{layer}` already uses {url} at `{existing}`; layers of one repository share one checkout, so `{requested}` cannot be used beside it"
    )]
    RefClash {
        /// The repository.
        url: String,
        /// A layer of the project using it.
        layer: String,
        /// The ref it uses.
        existing: String,
        /// The ref asked for.
        requested: String,
    },
    /// A layer name the project uses already.
    #[error("project `{project}` has a layer named `{name}` already (from {source_text})")]
    DuplicateName {
        /// The project.
        project: String,
        /// The name.
        name: String,
        /// Where the one there comes from.
        source_text: String,
    },
    /// A collection two layers would define; BitBake stops on it.
    #[error(
        "layers `{existing}` and `{added}` both define collection `{collection}` (BitBake: Found duplicated BBFILE_COLLECTIONS '{collection}')"
    )]
    DuplicateCollection {
        /// The collection.
        collection: String,
        /// The layer that has it.
        existing: String,
        /// The layer that would add it again.
        added: String,
    },
    /// Dependencies no layer of the project provides.
    #[error(
        "layer `{layer}` needs layers the project does not have: {}",
        missing_list(missing)
    )]
    MissingDependencies {
        /// The layer asked for.
        layer: String,
        /// What is missing.
        missing: Vec<Missing>,
    },
    /// A dependency present in the wrong version.
    #[error(
        "Layer '{collection}' depends on version {constraint} of layer '{dependency}', but version {found} is currently enabled in your configuration"
    )]
    VersionMismatch {
        /// The collection that depends.
        collection: String,
        /// The collection depended on.
        dependency: String,
        /// The constraint (`>= 12`).
        constraint: String,
        /// The version present.
        found: String,
    },
    /// A versioned dependency on a layer that declares no version.
    #[error(
        "Layer '{collection}' depends on version {constraint} of layer '{dependency}', which exists in your configuration but does not specify a version"
    )]
    NoVersion {
        /// The collection that depends.
        collection: String,
        /// The collection depended on.
        dependency: String,
        /// The constraint.
        constraint: String,
    },
    /// A layer not made for the project's release series.
    #[error(
        "Layer {collection} is not compatible with the core layer which only supports these series: {release} (layer is compatible with {})",
        if compat.is_empty() { "nothing".to_owned() } else { compat.join(" ") }
    )]
    Incompatible {
        /// The collection.
        collection: String,
        /// The project's release series.
        release: String,
        /// The series the layer lists.
        compat: Vec<String>,
    },
    /// Layers that depend on each other in a circle.
    #[error("layer dependencies form a cycle: {}", cycle.join(" -> "))]
    Cycle {
        /// The layers around the cycle, the first repeated at the end.
        cycle: Vec<String>,
    },
    /// Removing layers others in the project still need.
    #[error("cannot remove {}: {}", list(removing), dependents_list(dependents))]
    NeededBy {
        /// The layers asked to be removed.
        removing: Vec<String>,
        /// Who needs what.
        dependents: Vec<Dependent>,
    },
    /// A layer the project does not have.
    #[error("project `{project}` has no layer `{name}`")]
    NoSuchLayer {
        /// The project.
        project: String,
        /// The name asked for.
        name: String,
        /// The layers it has.
        known: Vec<String>,
    },
    /// An update of a layer that is not from git.
    #[error("layer `{name}` is a local directory; only git layers are fetched")]
    NotGit {
        /// The layer.
        name: String,
    },
    /// git failed on a local repository.
    #[error("git failed in {dir}: {message}")]
    Git {
        /// The repository.
        dir: PathBuf,
        /// What git said.
        message: String,
    },
    /// The file system refused.
    #[error("{path}: {source}")]
    Io {
        /// The path involved.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
}

impl LayerError {
    /// What to do next.
    pub fn hint(&self) -> Option<String> {
        self.hint_in(&CommandLine)
    }

    /// What to do next, naming each remedy in `words` (a frontend's own).
    pub fn hint_in(&self, words: &dyn Wording) -> Option<String> {
        let o = |name: &str| words.remedy(&option(name));
        Some(match self {
            LayerError::NotALayer { found, .. } if !found.is_empty() => format!(
                "it holds these layers; pick one with {} (git) or its directory ({}): {}",
                o("subdir"),
                o("path"),
                list(found)
            ),
            LayerError::NotALayer { .. } => {
                "a layer is a directory with conf/layer.conf setting BBFILE_COLLECTIONS".to_owned()
            }
            LayerError::LayerConf { source, .. } => return source.hint(),
            LayerError::BadVariable { .. } => {
                "fix the layer's conf/layer.conf; BitBake would refuse it too".to_owned()
            }
            LayerError::NotUtf8 { .. } => {
                "rename the directory (or the directories above it) to UTF-8 names, then add it again".to_owned()
            }
            LayerError::OutsideRepository { .. } => format!(
                "the repository must hold the file itself; fix the link there, or use a checkout you trust with {}",
                o("path")
            ),
            LayerError::BadName { .. } => format!(
                "give a name of letters, digits, `-`, `_`, `.` and `+` with {}",
                o("name")
            ),
            LayerError::BadRef { .. } => format!("give a branch, tag or commit id with {}", o("ref")),
            LayerError::SubdirEscapes { .. } => {
                "give a directory inside the repository, relative to its top".to_owned()
            }
            LayerError::SubdirMissing { .. } => format!(
                "check the {} and {}; `{}` without {} lists the layers found",
                o("subdir"),
                o("ref"),
                words.remedy(&Remedy::AddLayer),
                o("subdir")
            ),
            LayerError::Unreachable { reason, .. } => reason.hint().to_owned(),
            LayerError::RefNotFound { known, .. } if !known.is_empty() => {
                format!("it has: {}", list(known))
            }
            LayerError::RefNotFound { .. } => format!("check {}", o("ref")),
            LayerError::LocalChanges { dir, .. } | LayerError::LocalCommits { dir, .. } => format!(
                "commit, stash or discard them in {} (git status shows them), then try again",
                dir.display()
            ),
            LayerError::CloneDirTaken { dir, .. } => format!(
                "move {} away, or use the repository that is there",
                dir.display()
            ),
            LayerError::RefClash { existing, .. } => format!(
                "use {}, or change that layer's ref first",
                words.remedy(&option_with("ref", existing))
            ),
            LayerError::DuplicateName { project, name, .. } => format!(
                "give another name with {}, or remove the one there first (`{}`)",
                o("name"),
                words.remedy(&Remedy::RemoveLayer {
                    project: project.as_str(),
                    name: name.as_str()
                })
            ),
            LayerError::DuplicateCollection { existing, .. } => {
                format!("remove layer `{existing}` first if this one replaces it")
            }
            LayerError::MissingDependencies { missing, .. } => {
                let offered: Vec<String> =
                    missing.iter().filter_map(|m| m.offered_by.clone()).collect();
                if offered.is_empty() {
                    format!(
                        "add layers providing them first (`{}`)",
                        words.remedy(&Remedy::AddLayer)
                    )
                } else {
                    format!(
                        "add them first, or add with {} to take {} as well",
                        o("with-dependencies"),
                        list(&offered)
                    )
                }
            }
            LayerError::VersionMismatch { .. } | LayerError::NoVersion { .. } => {
                format!("use matching branches of these two layers ({})", o("ref"))
            }
            LayerError::Incompatible { .. } => format!(
                "use the layer's branch for this release series ({}), or {} to add it anyway",
                o("ref"),
                o("force")
            ),
            LayerError::Cycle { .. } => {
                "a layer cannot depend on itself through others; fix LAYERDEPENDS in one of them".to_owned()
            }
            LayerError::NeededBy { .. } => {
                "remove the layers that depend on it first, or name them in the same command".to_owned()
            }
            LayerError::NoSuchLayer { project, .. } => format!(
                "`{}` shows its layers",
                words.remedy(&Remedy::ListLayers {
                    project: project.as_str()
                })
            ),
            LayerError::NotGit { .. } => {
                "a local layer is used as it is on disk; update it there".to_owned()
            }
            LayerError::Git { .. } | LayerError::Io { .. } => return None,
        })
    }

    /// An I/O error at `path`.
    pub(crate) fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> LayerError {
        let path = path.into();
        move |source| LayerError::Io { path, source }
    }

    /// A git error in the repository at `dir`.
    pub(crate) fn git(dir: impl Into<PathBuf>) -> impl FnOnce(git2::Error) -> LayerError {
        let dir = dir.into();
        move |e| LayerError::Git {
            dir,
            message: e.message().to_owned(),
        }
    }
}
