//! The facade's umbrella error, its kinds, and the hint each one gives.

use crate::access::Action;
use crate::artifacts::ArtifactError;
use crate::artifacts::archive::ArchiveError;
use crate::bundle::BundleError;
use crate::conf::ConfError;
use crate::ingest::IngestError;
use crate::layers::LayerError;
use crate::model::{BuildId, ModelError, Name, RevisionNumber};
use crate::project_dir::ProjectDirError;
use crate::remedy::{CommandLine, Remedy, Wording, option, option_with};
use crate::runner::RunnerError;
use crate::schema::SchemaError;
use crate::store::StoreError;
use crate::store::copy::CopyError;

/// Everything the [`crate::Toaster`] facade can report.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A value given was not acceptable.
    #[error(transparent)]
    Invalid(#[from] ModelError),
    /// The store refused or failed.
    #[error(transparent)]
    Store(StoreError),
    /// Recording a build or reading an event log failed.
    #[error(transparent)]
    Ingest(#[from] IngestError),
    /// An event log names no project and none was given.
    #[error("the event log {path} names no project")]
    NoProjectForImport {
        /// The log.
        path: std::path::PathBuf,
    },
    /// A project Toaster makes by itself needs a directory, and the store has no file to
    /// put it beside.
    #[error("there is no directory to make project `{project}` in")]
    NoDirectory {
        /// The project.
        project: String,
    },
    /// The project directory could not be used.
    #[error(transparent)]
    ProjectDir(#[from] ProjectDirError),
    /// A conf file could not be read, evaluated or written.
    #[error(transparent)]
    Conf(#[from] ConfError),
    /// A value broke its variable's spec, or a spec file could not be loaded.
    #[error(transparent)]
    Schema(#[from] SchemaError),
    /// A layer could not be fetched, read, added, removed or updated.
    #[error(transparent)]
    Layer(#[from] LayerError),
    /// A build could not be run.
    #[error(transparent)]
    Runner(#[from] RunnerError),
    /// The project has no BitBake to build with.
    #[error("project `{project}` has no BitBake to build with")]
    NoBitbake {
        /// The project.
        project: Name,
    },
    /// A change was based on a revision that is no longer the newest.
    #[error(
        "project `{project}` changed meanwhile: the change was based on revision {base}, but revision {head} is the newest; nothing was changed"
    )]
    Conflict {
        /// The project.
        project: Name,
        /// The revision the change was based on.
        base: RevisionNumber,
        /// The newest revision.
        head: RevisionNumber,
    },
    /// The acting owner may not do this.
    #[error("owner `{owner}` may not {action}{}", project.as_ref().map(|p| format!(" project `{p}`")).unwrap_or_default())]
    Denied {
        /// Who tried.
        owner: Name,
        /// What they tried.
        action: Action,
        /// On which project, if any.
        project: Option<Name>,
    },
    /// Sharing a project with a group needs membership of it.
    #[error("owner `{owner}` is not a member of group `{group}`")]
    NotAMember {
        /// Who tried.
        owner: Name,
        /// The group.
        group: Name,
    },
    /// Only an empty instance takes a first owner without an admin.
    #[error("this instance has owners already (`{existing}` among them)")]
    OwnersExist {
        /// One of them.
        existing: String,
    },
    /// No owner was named and this client has none remembered.
    #[error("no owner is chosen for this client ({client})")]
    NoOwner {
        /// The client.
        client: String,
    },
    /// The operating system gave no random bytes.
    #[error("the operating system gave no random bytes: {detail}")]
    Randomness {
        /// What it said.
        detail: String,
    },
    /// A request came with no token, or one that does not sign in.
    #[error("not signed in: {refusal}")]
    Unauthenticated {
        /// Why the token was refused.
        refusal: crate::model::TokenRefusal,
    },
    /// A revision number the project does not have.
    #[error("project `{project}` has no revision {number}: its revisions are 1 to {head}")]
    NoRevision {
        /// The project.
        project: Name,
        /// The number asked for.
        number: RevisionNumber,
        /// Its newest revision.
        head: RevisionNumber,
    },
    /// A build was asked for with no targets, and its project has none.
    #[error("project `{project}` has no targets to build, and none were given")]
    NoTargets {
        /// The project.
        project: Name,
    },
    /// A host setting must be a variable whose value belongs to a host (infrastructure).
    #[error(
        "{name} is a {class} variable, not a host setting: a host sets only where and how fast builds run (DL_DIR, SSTATE_DIR, BB_NUMBER_THREADS, PARALLEL_MAKE, ...)"
    )]
    NotHostSetting {
        /// The variable given.
        name: String,
        /// Its class in the variable schema.
        class: &'static str,
    },
    /// A build recorded from a `bitbake` run by hand cannot be stopped by Toaster.
    #[error(
        "build {build} was started by hand on {host}, not by a Toaster runner; Toaster cannot stop it"
    )]
    NotCancellable {
        /// The build.
        build: BuildId,
        /// Where it runs.
        host: String,
    },
    /// Reading or recording an artifact failed.
    #[error(transparent)]
    Artifact(#[from] ArtifactError),
    /// A build has no task of that name.
    #[error("build {build} has no task `{task}`")]
    NoTask {
        /// The build.
        build: BuildId,
        /// The name asked for.
        task: crate::model::TaskName,
    },
    /// A build used no recipe of that name.
    #[error("build {build} used no recipe `{recipe}`")]
    NoBuildRecipe {
        /// The build.
        build: BuildId,
        /// The name asked for.
        recipe: String,
    },
    /// A build recorded no variable of that name.
    #[error("build {build} recorded no variable `{name}`")]
    NoBuildVariable {
        /// The build.
        build: BuildId,
        /// The name asked for.
        name: String,
    },
    /// A build made no package of that name.
    #[error("build {build} made no package `{package}`")]
    NoBuildPackage {
        /// The build.
        build: BuildId,
        /// The name asked for.
        package: String,
    },
    /// A build recorded no image of that name.
    #[error("build {build} recorded no image `{target}` (no installed packages or file listing)")]
    NoImage {
        /// The build.
        build: BuildId,
        /// The image target asked for.
        target: String,
    },
    /// A package is not installed in an image.
    #[error("package `{package}` is not installed in image `{target}` of build {build}")]
    NotInImage {
        /// The build.
        build: BuildId,
        /// The image target.
        target: String,
        /// The package asked about.
        package: String,
    },
    /// A build has no artifact of that name.
    #[error("build {build} has no artifact named `{name}`")]
    NoArtifact {
        /// The build.
        build: BuildId,
        /// The name asked for.
        name: String,
    },
    /// A build's files are on another host, and it has no archive here that holds them.
    #[error("build {build} ran on host `{host}`; its files are there, not on this host")]
    Elsewhere {
        /// The build.
        build: BuildId,
        /// Where it ran.
        host: String,
    },
    /// There is no archive directory: the database is not a file, and `archive.dir` is
    /// not set.
    #[error("there is no directory for build archives: archive.dir is not set")]
    NoArchiveDir,
    /// A project bundle refused, or one that could not be written.
    #[error(transparent)]
    Bundle(#[from] crate::bundle::BundleError),
    /// The sources of a recipe to import could not be had, or were refused.
    #[error(transparent)]
    Source(#[from] crate::recipes::SourceError),
    /// A database could not be copied (`toaster db copy`).
    #[error(transparent)]
    Copy(#[from] crate::store::copy::CopyError),
    /// A source tree that could not be looked at.
    #[error(transparent)]
    Facts(#[from] crate::recipes::facts::FactsError),
    /// A recipe that could not be written.
    #[error(transparent)]
    RecipeWrite(#[from] crate::recipes::write::RecipeWriteError),
    /// A recipe of that name is already in the project's layers.
    #[error("a recipe named `{name}` is already in the project's layers ({})", file.display())]
    RecipeExists {
        /// The name.
        name: String,
        /// Its file.
        file: std::path::PathBuf,
    },
    /// No imported recipe of that name.
    #[error("project `{project}` has no imported recipe `{name}`")]
    NoRecipe {
        /// The project.
        project: String,
        /// The name asked for.
        name: String,
    },
    /// A kas file refused.
    #[error(transparent)]
    KasIn(#[from] crate::bundle::kas_in::KasInError),
    /// A configuration kas cannot express.
    #[error(transparent)]
    KasOut(#[from] crate::bundle::kas_out::KasOutError),
    /// An import with `--strict` found what it could not reproduce.
    #[error("the import cannot reproduce the project exactly: {}", notes.join("; "))]
    NotReproducible {
        /// What it could not reproduce.
        notes: Vec<String>,
    },
    /// A build runs in the directory to be cleaned.
    #[error("build {build} runs in {}; nothing was removed", dir.display())]
    BuildRunning {
        /// The build.
        build: BuildId,
        /// Its build directory.
        dir: std::path::PathBuf,
    },
    /// Builds of the directory to be cleaned have no archive yet.
    #[error(
        "builds {} of project `{project}` are not archived; cleaning would leave them without their logs and artifacts",
        builds.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
    )]
    NotArchived {
        /// The project.
        project: Name,
        /// The builds.
        builds: Vec<BuildId>,
    },
    /// A hook id the project does not have.
    #[error("project `{project}` has no hook {id}")]
    NoHook {
        /// The project.
        project: Name,
        /// The id asked for.
        id: u32,
    },
    /// Undo was asked for at the first configuration.
    #[error(
        "nothing to undo in project `{project}`: revision {effective} is its first configuration"
    )]
    NothingToUndo {
        /// The project.
        project: Name,
        /// The revision in effect.
        effective: RevisionNumber,
    },
}

/// The class of an [`Error`], for frontends to map onto exit codes or exception types.
/// Frontends match it exhaustively, so a new kind forces a decision in each of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// Something named does not exist.
    NotFound,
    /// Something to be created exists already.
    AlreadyExists,
    /// A value broke a rule.
    Invalid,
    /// Someone else changed the same thing first.
    Conflict,
    /// The database cannot be used as it is (not a database, too new).
    Database,
    /// The acting owner may not do this.
    Denied,
    /// The database stayed locked; trying again later may work.
    Busy,
    /// The file system or the database failed.
    Internal,
}

impl From<StoreError> for Error {
    /// A denial the store found in a change's transaction is the facade's own denial.
    fn from(e: StoreError) -> Error {
        match e {
            StoreError::Denied {
                owner,
                action,
                project,
            } => Error::Denied {
                owner,
                action,
                project,
            },
            other => Error::Store(other),
        }
    }
}

/// What to do about a denial, on `project` or instance-wide.
fn denied_hint(project: Option<&Name>, words: &dyn Wording) -> String {
    match project {
        Some(project) => format!(
            "ask the owner of `{project}` or an admin for the right (`{}`), or act as another owner with `{}`",
            words.remedy(&Remedy::Chmod),
            words.remedy(&option("as"))
        ),
        None => format!(
            "ask an admin to do it, or to make you one (`{}`)",
            words.remedy(&Remedy::GrantAdmin)
        ),
    }
}

/// The kind of a store error, wherever it surfaces.
fn store_kind(e: &StoreError) -> ErrorKind {
    match e {
        StoreError::NotFound { .. } | StoreError::Missing { .. } | StoreError::Empty { .. } => {
            ErrorKind::NotFound
        }
        StoreError::ReadOnlyDirectory { .. } | StoreError::ReadOnly { .. } => ErrorKind::Database,
        StoreError::AlreadyExists { .. } => ErrorKind::AlreadyExists,
        StoreError::Conflict { .. }
        | StoreError::Changed { .. }
        | StoreError::LeaseLost { .. }
        | StoreError::DeliveryLost { .. } => ErrorKind::Conflict,
        StoreError::LastAdmin { .. } | StoreError::BuildEnded { .. } => ErrorKind::Invalid,
        StoreError::NotADatabase { .. } | StoreError::TooNew { .. } => ErrorKind::Database,
        StoreError::Busy { .. } => ErrorKind::Busy,
        StoreError::Denied { .. } => ErrorKind::Denied,
        StoreError::Corrupt { .. } | StoreError::Io { .. } | StoreError::Backend { .. } => {
            ErrorKind::Internal
        }
    }
}

/// The kind of a layer error.
fn layer_kind(e: &LayerError) -> ErrorKind {
    match e {
        LayerError::NoSuchLayer { .. }
        | LayerError::RefNotFound { .. }
        | LayerError::SubdirMissing { .. }
        | LayerError::Unreachable { .. } => ErrorKind::NotFound,
        LayerError::DuplicateName { .. } => ErrorKind::AlreadyExists,
        LayerError::LocalChanges { .. }
        | LayerError::LocalCommits { .. }
        | LayerError::CloneDirTaken { .. } => ErrorKind::Conflict,
        LayerError::Git { .. } | LayerError::Io { .. } => ErrorKind::Internal,
        LayerError::NotALayer { .. }
        | LayerError::LayerConf { .. }
        | LayerError::BadVariable { .. }
        | LayerError::BadName { .. }
        | LayerError::BadRef { .. }
        | LayerError::SubdirEscapes { .. }
        | LayerError::RefClash { .. }
        | LayerError::DuplicateCollection { .. }
        | LayerError::MissingDependencies { .. }
        | LayerError::VersionMismatch { .. }
        | LayerError::NoVersion { .. }
        | LayerError::Incompatible { .. }
        | LayerError::Cycle { .. }
        | LayerError::NeededBy { .. }
        | LayerError::NotGit { .. }
        | LayerError::NotUtf8 { .. }
        | LayerError::OutsideRepository { .. } => ErrorKind::Invalid,
    }
}

impl Error {
    /// The class of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Invalid(_)
            | Error::NoOwner { .. }
            | Error::NothingToUndo { .. }
            | Error::NoProjectForImport { .. }
            | Error::NoDirectory { .. }
            | Error::NoTargets { .. }
            | Error::NotHostSetting { .. }
            | Error::NotCancellable { .. } => ErrorKind::Invalid,
            Error::OwnersExist { .. } => ErrorKind::AlreadyExists,
            Error::Ingest(IngestError::Store { source, .. }) => store_kind(source),
            Error::Ingest(
                IngestError::NotAnEventLog { .. }
                | IngestError::NotAnEvent { .. }
                | IngestError::LineTooLong { .. },
            ) => ErrorKind::Invalid,
            Error::Ingest(IngestError::Stopped { .. }) => ErrorKind::Internal,
            Error::Ingest(IngestError::Io { source, .. })
                if source.kind() == std::io::ErrorKind::NotFound =>
            {
                ErrorKind::NotFound
            }
            Error::Ingest(IngestError::Io { .. }) => ErrorKind::Internal,
            Error::Conflict { .. } => ErrorKind::Conflict,
            Error::Denied { .. } | Error::NotAMember { .. } | Error::Unauthenticated { .. } => {
                ErrorKind::Denied
            }
            Error::NoRevision { .. }
            | Error::NoHook { .. }
            | Error::NoArtifact { .. }
            | Error::NoTask { .. }
            | Error::NoBuildRecipe { .. }
            | Error::NoBuildVariable { .. }
            | Error::NoBuildPackage { .. }
            | Error::NoImage { .. }
            | Error::NotInImage { .. } => ErrorKind::NotFound,
            Error::Elsewhere { .. } | Error::NotArchived { .. } | Error::NoArchiveDir => {
                ErrorKind::Invalid
            }
            Error::BuildRunning { .. } => ErrorKind::Conflict,
            Error::Randomness { .. } => ErrorKind::Internal,
            Error::NotReproducible { .. } | Error::KasOut(_) => ErrorKind::Invalid,
            Error::KasIn(crate::bundle::kas_in::KasInError::Io { source, .. })
                if source.kind() == std::io::ErrorKind::NotFound =>
            {
                ErrorKind::NotFound
            }
            Error::KasIn(_) => ErrorKind::Invalid,
            Error::Source(e) => match e {
                crate::recipes::SourceError::Git(e) => layer_kind(e),
                crate::recipes::SourceError::Io { source, .. }
                    if source.kind() == std::io::ErrorKind::NotFound =>
                {
                    ErrorKind::NotFound
                }
                crate::recipes::SourceError::Io { .. } => ErrorKind::Internal,
                _ => ErrorKind::Invalid,
            },
            Error::Facts(crate::recipes::facts::FactsError::Io { .. }) => ErrorKind::Internal,
            Error::Copy(e) => copy_kind(e),
            Error::Facts(_) | Error::RecipeWrite(_) => ErrorKind::Invalid,
            Error::RecipeExists { .. } => ErrorKind::AlreadyExists,
            Error::NoRecipe { .. } => ErrorKind::NotFound,
            Error::Bundle(e) => match e {
                BundleError::Archive(e) => archive_kind(e),
                BundleError::NotABundle { .. }
                | BundleError::Version { .. }
                | BundleError::Invalid { .. }
                | BundleError::TooLarge { .. } => ErrorKind::Invalid,
                BundleError::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound => {
                    ErrorKind::NotFound
                }
                BundleError::Io { .. } => ErrorKind::Internal,
            },
            Error::Artifact(e) => match e {
                ArtifactError::Invalid(_)
                | ArtifactError::Outside { .. }
                | ArtifactError::NotAFile { .. }
                | ArtifactError::NotABuildArchive { .. }
                | ArtifactError::ArchiveVersion { .. } => ErrorKind::Invalid,
                ArtifactError::Archive(e) => archive_kind(e),
                ArtifactError::Missing { .. } => ErrorKind::NotFound,
                ArtifactError::Changed { .. } => ErrorKind::Conflict,
                ArtifactError::Io { source, .. }
                    if source.kind() == std::io::ErrorKind::NotFound =>
                {
                    ErrorKind::NotFound
                }
                ArtifactError::Io { .. } => ErrorKind::Internal,
            },
            Error::Store(e) => store_kind(e),
            Error::ProjectDir(e) => match e {
                ProjectDirError::NotEmpty { .. }
                | ProjectDirError::NotADirectory { .. }
                | ProjectDirError::NotTheProjects { .. }
                | ProjectDirError::Nested { .. }
                | ProjectDirError::HoldsDatabase { .. }
                | ProjectDirError::DanglingLink { .. }
                | ProjectDirError::Encloses { .. }
                | ProjectDirError::HoldsProject { .. }
                | ProjectDirError::Stopped { .. }
                | ProjectDirError::TmpOutside { .. } => ErrorKind::Invalid,
                ProjectDirError::BitbakeRunning { .. } => ErrorKind::Conflict,
                ProjectDirError::Gone { .. } | ProjectDirError::Missing { .. } => {
                    ErrorKind::NotFound
                }
                ProjectDirError::BeingDeleted { .. } | ProjectDirError::Moved { .. } => {
                    ErrorKind::Conflict
                }
                ProjectDirError::Io { .. } => ErrorKind::Internal,
            },
            Error::Conf(ConfError::Io { source, .. })
                if source.kind() == std::io::ErrorKind::NotFound =>
            {
                ErrorKind::NotFound
            }
            Error::Conf(ConfError::Io { .. }) => ErrorKind::Internal,
            Error::Conf(_) => ErrorKind::Invalid,
            Error::Schema(SchemaError::Io { source, .. })
                if source.kind() == std::io::ErrorKind::NotFound =>
            {
                ErrorKind::NotFound
            }
            Error::Schema(SchemaError::Io { .. }) => ErrorKind::Internal,
            Error::Schema(_) => ErrorKind::Invalid,
            Error::Layer(e) => layer_kind(e),
            Error::NoBitbake { .. } => ErrorKind::Invalid,
            Error::Runner(e) => match e {
                RunnerError::NotBitbake { .. }
                | RunnerError::BitbakeNotFetched { .. }
                | RunnerError::Conf { .. }
                | RunnerError::LayersNotReady { .. }
                | RunnerError::NoRecorder { .. } => ErrorKind::Invalid,
                RunnerError::BuildDirBusy { .. } => ErrorKind::Conflict,
                RunnerError::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound => {
                    ErrorKind::NotFound
                }
                RunnerError::Io { .. } => ErrorKind::Internal,
            },
        }
    }

    /// What to do next, in one sentence, where there is more to say than the message; in
    /// the words of the `toaster` command ([`CommandLine`]).
    pub fn hint(&self) -> Option<String> {
        self.hint_in(&CommandLine)
    }

    /// What to do next, naming each remedy in `words` (a frontend's own: the `toaster`
    /// command's, Python's).
    pub fn hint_in(&self, words: &dyn Wording) -> Option<String> {
        let w = |remedy: Remedy<'_>| words.remedy(&remedy);
        let hint = match self {
            Error::Invalid(_) => return None,
            Error::Conflict { project, .. } => format!(
                "look at `{}` and make the change again on top of the newest revision",
                w(Remedy::History { project: Some(project.as_str()) })
            ),
            Error::Denied { project, .. } => denied_hint(project.as_ref(), words),
            Error::NotAMember { group, .. } => format!(
                "ask an admin to add you with `{}`",
                w(Remedy::AddMember { group: group.as_str() })
            ),
            Error::OwnersExist { .. } => format!(
                "an admin adds owners: act as one with `{}` (`{}` shows who is admin)",
                w(Remedy::ActAs { placeholder: "ADMIN" }),
                w(Remedy::ListOwners)
            ),
            Error::NoDirectory { project } => format!(
                "create project `{project}` yourself with `{}`",
                w(Remedy::CreateProject { project: project.as_str() })
            ),
            Error::NoTargets { project } => format!(
                "name what to build (`{}`), or set the project's targets (`{}`)",
                w(Remedy::BuildTargets { project: project.as_str() }),
                w(Remedy::SetTargets { project: project.as_str() })
            ),
            Error::NotHostSetting { .. } => "set it on the projects that need it, in their \
                configuration, so that every host builds them alike"
                .to_owned(),
            Error::NotCancellable { .. } => {
                "stop it where it runs (Ctrl-C in the terminal running `bitbake`)".to_owned()
            }
            Error::NoProjectForImport { .. } => format!(
                "name the project to import it into with `{}`",
                w(option_with("project", "NAME"))
            ),
            Error::Ingest(IngestError::Store { source, .. }) => {
                return Error::hint_store(source, words);
            }
            Error::Ingest(IngestError::NotAnEvent { .. }) => {
                "write events as the event-log format documents them (`{\"event\": \"task_started\", ...}`)".to_owned()
            }
            Error::Ingest(IngestError::Stopped { .. }) => return None,
            Error::Ingest(IngestError::NotAnEventLog { .. }) => {
                "give a file written by Toaster's recorder (its first line is a toaster-events header)".to_owned()
            }
            Error::Ingest(IngestError::LineTooLong { .. }) => {
                "give an event log written by Toaster's recorder; a line that long means the input is not one, or is corrupt".to_owned()
            }
            Error::Ingest(IngestError::Io { source, .. })
                if source.kind() == std::io::ErrorKind::NotFound =>
            {
                "check the file's path".to_owned()
            }
            Error::Ingest(IngestError::Io { .. }) => return None,
            Error::Randomness { .. } => return None,
            Error::Unauthenticated { .. } => {
                "sign in with a token made by `toaster owner token create`, or ask its owner for a new one".to_owned()
            }
            Error::NoOwner { .. } => format!(
                "{}; `{}` shows who exists",
                w(Remedy::ChooseOwner),
                w(Remedy::ListOwners)
            ),
            Error::NoRevision { project, .. } | Error::NothingToUndo { project, .. } => format!(
                "`{}` lists the revisions you can revert to",
                w(Remedy::History { project: Some(project.as_str()) })
            ),
            Error::Store(e) => return Error::hint_store(e, words),
            Error::ProjectDir(e) => match e {
                ProjectDirError::NotEmpty { .. } | ProjectDirError::NotADirectory { .. } => {
                    format!("choose a new or empty directory with `{}`", w(option("dir")))
                }
                ProjectDirError::Gone { .. } => format!(
                    "delete the project without `{}` to remove its records",
                    w(option("files"))
                ),
                ProjectDirError::Nested { .. } => format!(
                    "choose a directory outside every other project's with `{}`",
                    w(option("dir"))
                ),
                ProjectDirError::NotTheProjects { .. } => format!(
                    "nothing was deleted; remove the directory yourself if it is really unused, or delete the project without `{}`",
                    w(option("files"))
                ),
                ProjectDirError::HoldsDatabase { .. } => {
                    "nothing was deleted; move the database out of the project directory first".to_owned()
                }
                ProjectDirError::DanglingLink { .. } => format!(
                    "create the directory the link points to, or choose another directory with `{}`",
                    w(option("dir"))
                ),
                ProjectDirError::Missing { project, .. } => format!(
                    "restore the directory (with its .toaster-project file) from a backup; or keep the configuration in a new project with `{}`, then remove this one's records with `{}`",
                    w(Remedy::CloneProject { project: project.as_str() }),
                    w(Remedy::DeleteProject { project: project.as_str() })
                ),
                ProjectDirError::BeingDeleted { .. } => format!(
                    "`{}` shows whether it is still there once the delete ends",
                    w(Remedy::ListProjects)
                ),
                ProjectDirError::Encloses { project, .. } => format!(
                    "choose a directory outside every other project's with `{}`, or delete project `{project}` first if it is no longer wanted",
                    w(option("dir"))
                ),
                ProjectDirError::HoldsProject { project, .. } => format!(
                    "delete project `{project}` (or move its directory out) first, or delete this one without `{}`",
                    w(option("files"))
                ),
                ProjectDirError::Moved { .. } => {
                    "make sure nothing else is moving or replacing the directory, then run the command again".to_owned()
                }
                ProjectDirError::Stopped { .. } => {
                    "the project is still recorded: deal with what the removal stopped at, then run the delete again".to_owned()
                }
                ProjectDirError::TmpOutside { .. } => {
                    "remove a TMPDIR outside the project yourself, knowing what else uses it".to_owned()
                }
                ProjectDirError::BitbakeRunning { .. } => {
                    "wait for the build to end (or stop it), then clean".to_owned()
                }
                ProjectDirError::Io { .. } => return None,
            },
            Error::Artifact(e) => return e.hint_in(words),
            Error::Bundle(e) => return e.hint_in(words),
            Error::KasOut(e) => e.hint_in(words),
            Error::KasIn(e) => e.hint(),
            Error::Source(e) => return e.hint_in(words),
            Error::Facts(e) => return e.hint(),
            Error::Copy(CopyError::Source {
                source: StoreError::Missing { .. } | StoreError::Empty { .. },
                ..
            }) => format!(
                "name the database to copy with {} (or TOASTER_DB)",
                w(option_with("db", "PATH"))
            ),
            Error::Copy(CopyError::Source { source, .. } | CopyError::Target { source, .. }) => {
                return Error::hint_store(source, words);
            }
            Error::Copy(e) => return e.hint(),
            Error::RecipeWrite(_) => return None,
            Error::RecipeExists { .. } => format!(
                "choose another name with {}, or remove the other recipe first",
                w(option("name"))
            ),
            Error::NoRecipe { project, .. } => format!(
                "`{}` lists the imported recipes",
                w(Remedy::ListRecipes { project: project.as_str() })
            ),
            Error::NotReproducible { .. } => format!(
                "import without {} to make the project anyway and see what was left out",
                w(option("strict"))
            ),
            Error::NoArchiveDir => format!(
                "an admin sets it: `{}`",
                w(Remedy::SetSetting {
                    name: "archive.dir",
                    value: "/srv/toaster/archives"
                })
            ),
            Error::BuildRunning { build, .. } => format!(
                "wait for build {build} to end (`{}`), or cancel it, then clean",
                w(Remedy::WatchBuild { build: build.0 })
            ),
            Error::NotArchived { project, .. } => format!(
                "archive them first (`{}`), or pass {} to clean anyway",
                w(Remedy::ArchiveBuildsOf { project: project.as_str() }),
                w(option("force"))
            ),
            Error::NoTask { build, .. } => format!(
                "`{}` lists its tasks; name one as RECIPE:TASK",
                w(Remedy::ListTasks { build: build.0 })
            ),
            Error::NoBuildRecipe { build, .. } => format!(
                "`{}` lists the recipes it used; name one by its PN",
                w(Remedy::ListBuildRecipes { build: build.0 })
            ),
            Error::NoBuildVariable { build, .. } => format!(
                "`{}` lists the variables it recorded (those of the schema and those the \
                 project sets); names are case-sensitive",
                w(Remedy::ListBuildVariables { build: build.0 })
            ),
            Error::NoBuildPackage { build, .. } => format!(
                "`{}` lists the packages it made",
                w(Remedy::ListBuildPackages { build: build.0 })
            ),
            Error::NoImage { build, .. } => format!(
                "`{}` lists the images it recorded (images come from openembedded-core's \
                 buildhistory, sent by its toaster class)",
                w(Remedy::ListBuildImages { build: build.0 })
            ),
            Error::NotInImage { build, target, .. } => format!(
                "`{}` lists the packages installed in it",
                w(Remedy::ListImagePackages {
                    build: build.0,
                    target
                })
            ),
            Error::NoArtifact { build, .. } => format!(
                "`{}` lists its artifacts",
                w(Remedy::ListArtifacts { build: build.0 })
            ),
            Error::Elsewhere { build, host } => format!(
                "run the command on `{host}`, or archive the build there (`{}`) and download from the archive",
                w(Remedy::ArchiveWithImages { build: build.0 })
            ),
            Error::Conf(e) => return e.hint(),
            Error::Schema(e) => return e.hint_in(words),
            Error::Layer(e) => return e.hint_in(words),
            Error::NoHook { project, .. } => format!(
                "`{}` shows its hooks and their ids",
                w(Remedy::ListHooks { project: project.as_str() })
            ),
            Error::NoBitbake { project } => format!(
                "choose one with `{}` (a BitBake checkout, such as poky's bitbake/)",
                w(Remedy::SetBitbakePath { project: project.as_str() })
            ),
            Error::Runner(RunnerError::NotBitbake { .. }) => {
                "give the directory that holds bin/bitbake and lib/bb (in poky: poky/bitbake)"
                    .to_owned()
            }
            Error::Runner(RunnerError::BuildDirBusy { build_dir, .. }) => format!(
                "wait for that BitBake to end, or stop it (`bitbake -m` in {})",
                build_dir.display()
            ),
            Error::Runner(RunnerError::BitbakeNotFetched { project, .. }) => format!(
                "fetch it with `{}`, or use a checkout you have with `{}`",
                w(Remedy::UpdateBitbake { project: Some(project.as_str()) }),
                w(Remedy::SetBitbakePath { project: project.as_str() })
            ),
            Error::Runner(RunnerError::LayersNotReady { .. }) => format!(
                "fetch the layers with `{}`, and commit or stash work in their clones",
                w(Remedy::UpdateLayers { project: None })
            ),
            Error::Runner(RunnerError::NoRecorder { .. }) => {
                "install the toaster-rs wheel into that Python (`python3 -m pip install toaster-rs`), or put a Python that has it first on PATH".to_owned()
            }
            Error::Runner(RunnerError::Conf { .. } | RunnerError::Io { .. }) => return None,
        };
        Some(hint)
    }

    fn hint_store(e: &StoreError, words: &dyn Wording) -> Option<String> {
        let w = |remedy: Remedy<'_>| words.remedy(&remedy);
        let hint = match e {
                StoreError::NotFound { entity: "owner", .. } => format!(
                    "`{}` shows the owners; `{}` adds one",
                    w(Remedy::ListOwners),
                    w(Remedy::AddOwner)
                ),
                StoreError::NotFound { entity: "project", .. } => {
                    format!("`{}` shows the projects", w(Remedy::ListProjects))
                }
                StoreError::NotFound { entity: "group", .. } => format!(
                    "`{}` shows the groups; an admin adds one with `{}`",
                    w(Remedy::ListGroups),
                    w(Remedy::AddGroup)
                ),
                StoreError::NotFound { entity: "revision", .. } => format!(
                    "`{}` lists its revisions",
                    w(Remedy::History { project: None })
                ),
                StoreError::NotFound { entity: "build", .. } => {
                    format!("`{}` lists the builds you may read", w(Remedy::ListBuilds))
                }
                StoreError::NotFound { entity: "token", .. } => {
                    format!("`{}` lists your tokens by name", w(Remedy::ListTokens))
                }
                StoreError::NotFound { .. } => return None,
                StoreError::Missing { .. } => format!(
                    "start one here with `{}`, or point to an existing one with {}",
                    w(Remedy::FirstOwner),
                    w(Remedy::OpenDatabase)
                ),
                StoreError::AlreadyExists { entity: "project directory", .. } => format!(
                    "every project needs a directory of its own; choose another with `{}`",
                    w(option("dir"))
                ),
                StoreError::AlreadyExists { .. } => "choose another name".to_owned(),
                StoreError::Conflict { .. } | StoreError::Changed { .. } => {
                    "read it again and repeat the change".to_owned()
                }
                StoreError::BuildEnded { .. } => {
                    "record a new build; an ended one keeps what it recorded".to_owned()
                }
                StoreError::LeaseLost { .. } => {
                    "stop working on the build: it was interrupted or given back to the queue; renew a lease well before it runs out".to_owned()
                }
                StoreError::DeliveryLost { .. } => {
                    "leave it: another deliverer makes the next attempt; give hooks a time limit within the claim".to_owned()
                }
                StoreError::LastAdmin { .. } => format!(
                    "grant admin to another owner first (`{}`)",
                    w(Remedy::GrantAdmin)
                ),
                StoreError::Empty { .. } => format!(
                    "start a database in it with `{}`, or {} at an existing one",
                    w(Remedy::FirstOwner),
                    w(Remedy::PointAtDatabase)
                ),
                StoreError::ReadOnlyDirectory { directory, .. } => format!(
                    "make {} writable for this user, or copy the database to a directory you may write in and use `{}`; reads also work while a process that may write there has the database open",
                    directory.display(),
                    w(Remedy::UseDatabase { path: "COPY" })
                ),
                StoreError::ReadOnly { .. } => "ask its owner for write access to it and to its directory (SQLite writes its -wal and -shm files beside it), or work on a copy".to_owned(),
                StoreError::NotADatabase { .. } => format!(
                    "{} at a Toaster database, or at a new path to start one",
                    w(Remedy::PointAtDatabase)
                ),
                StoreError::TooNew { .. } => {
                    "use the newer Toaster that wrote it; this one will not change it".to_owned()
                }
                StoreError::Busy { .. } => "another process held the database for long; try again".to_owned(),
                StoreError::Denied { project, .. } => denied_hint(project.as_ref(), words),
                StoreError::Corrupt { .. } => {
                    "restore the database from a backup, or report this with the file".to_owned()
                }
                StoreError::Io { .. } | StoreError::Backend { .. } => return None,
            };
        Some(hint)
    }
}

/// The class of a copy's error: a database refused as it is, a target not empty, or a
/// database failing.
fn copy_kind(e: &CopyError) -> ErrorKind {
    match e {
        CopyError::Source { source, .. } | CopyError::Target { source, .. } => store_kind(source),
        CopyError::SourceVersion { .. } => ErrorKind::Database,
        CopyError::SameDatabase { .. } | CopyError::NotEmpty { .. } | CopyError::Value { .. } => {
            ErrorKind::Invalid
        }
        CopyError::SchemaMismatch { .. }
        | CopyError::Unsupported { .. }
        | CopyError::Mismatch { .. }
        | CopyError::Database { .. } => ErrorKind::Internal,
    }
}

/// The class of an archive's error: its content refused, or the file system failing.
fn archive_kind(e: &ArchiveError) -> ErrorKind {
    match e {
        ArchiveError::AlreadyExists { .. } => ErrorKind::AlreadyExists,
        ArchiveError::NoFileName { .. }
        | ArchiveError::Unreadable { .. }
        | ArchiveError::UnsafeName { .. }
        | ArchiveError::NotAFile { .. }
        | ArchiveError::Duplicate { .. }
        | ArchiveError::TooManyEntries { .. }
        | ArchiveError::TooLarge { .. }
        | ArchiveError::Bomb { .. }
        | ArchiveError::Encrypted { .. }
        | ArchiveError::UnsupportedMethod { .. }
        | ArchiveError::Inconsistent { .. }
        | ArchiveError::NotFound { .. }
        | ArchiveError::EntryTooLarge { .. }
        | ArchiveError::Malformed { .. }
        | ArchiveError::Overrun { .. }
        | ArchiveError::Corrupt { .. } => ErrorKind::Invalid,
        ArchiveError::Unserializable { .. }
        | ArchiveError::Source { .. }
        | ArchiveError::Sink { .. }
        | ArchiveError::Abandoned { .. }
        | ArchiveError::WriteIo { .. }
        | ArchiveError::EntryIo { .. }
        | ArchiveError::Io { .. } => ErrorKind::Internal,
    }
}
