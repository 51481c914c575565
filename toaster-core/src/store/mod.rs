//! Storage: the [`Store`] trait of domain operations, its backends, and the conformance
//! suite every backend passes.
//!
//! Each method is atomic on its own. No driver type appears in a signature or in
//! [`StoreError`]: each backend maps its driver's errors onto it.

mod contents;
pub mod copy;
mod error;
mod lifecycle;
pub(crate) mod postgres;
mod rights;
pub(crate) mod sqlite;

#[cfg(any(test, feature = "test-support"))]
pub mod conformance;
#[cfg(any(test, feature = "test-support"))]
pub mod test_server;

pub use self::postgres::PostgresStore;
pub use error::StoreError;
pub use sqlite::SqliteStore;

use std::path::Path;

/// Whether `location` (a `--db` value, `TOASTER_DB`, a marker's record) names a PostgreSQL
/// database (`postgres://…`) rather than an SQLite file.
pub fn is_database_url(location: &Path) -> bool {
    location.to_str().is_some_and(PostgresStore::is_url)
}

use crate::model::{
    ArtifactRecord, Attempt, AuditEntry, AuditFilter, Build, BuildArchive, BuildFilter, BuildId,
    BuildWrite, ClaimRequest, Delivery, DeliveryClaim, DeliveryId, Group, GroupId, ImageFile,
    ImageSummary, ImportedRecord, InstalledPackage, LogLevel, LogRecord, Mode, Name, NewAudit,
    NewBuild, NewOwner, NewProject, NewRevision, NewToken, NextAttempt, Owner, OwnerId, OwnerToken,
    OwnerUpdate, PackageFile, PackageRecord, Project, ProjectAccess, ProjectId, Provider,
    RecipeEdge, RecipeRecord, RegisteredRunner, Revision, RevisionNumber, RunnerId,
    RunnerRegistration, Task, TaskEdge, TaskFilter, TaskOutcome, Timestamp,
};

/// The storage of owners, groups, projects, configuration revisions and the audit log.
///
/// Synchronous, thread-safe and object safe (`Arc<dyn Store>`). Names are looked up without
/// regard to case. Timestamps are taken by the store when a record is written. Every method
/// that changes something takes the [`NewAudit`] entry that records it and writes both in
/// one transaction: both are kept, or neither. The audit log is append-only. When the entry
/// names the right the change `requires`, the store checks first, in that transaction, that
/// the acting owner holds it (`Denied` otherwise, nothing written): a right revoked after
/// the caller looked is never used.
pub trait Store: Send + Sync {
    /// Where the data lives, for messages (a file path or a database URL without secrets).
    fn location(&self) -> String;

    /// Adds an owner; the first owner of an empty store is made admin.
    /// `AlreadyExists` if the name is taken.
    fn add_owner(&self, owner: &NewOwner, audit: &NewAudit) -> Result<Owner, StoreError>;
    /// Adds the first owner (an admin) of an empty store, in one transaction with the check
    /// that it is empty; `AlreadyExists { entity: "an owner", key }` names one that exists.
    fn add_first_owner(&self, owner: &NewOwner, audit: &NewAudit) -> Result<Owner, StoreError>;
    /// The owner of that name.
    fn owner(&self, name: &str) -> Result<Owner, StoreError>;
    /// The owner with that key.
    fn owner_by_id(&self, id: OwnerId) -> Result<Owner, StoreError>;
    /// Every owner, by name.
    fn owners(&self) -> Result<Vec<Owner>, StoreError>;
    /// Changes an owner's name, e-mail address or admin flag. `LastAdmin` if it would leave
    /// the instance without an admin.
    fn update_owner(
        &self,
        id: OwnerId,
        update: &OwnerUpdate,
        audit: &NewAudit,
    ) -> Result<Owner, StoreError>;
    /// Remembers `owner` as the one acting from `client`, and `client` as the owner's latest.
    fn remember_owner(&self, client: &str, owner: OwnerId) -> Result<(), StoreError>;
    /// The owner last remembered for `client`, if any.
    fn remembered_owner(&self, client: &str) -> Result<Option<Owner>, StoreError>;

    /// Adds an owner's token (`AlreadyExists` when they have one of that name).
    fn add_token(&self, token: &NewToken, audit: &NewAudit) -> Result<OwnerToken, StoreError>;
    /// An owner's tokens, revoked ones too, by name.
    fn tokens(&self, owner: OwnerId) -> Result<Vec<OwnerToken>, StoreError>;
    /// The token whose secret has this hash (`NotFound` when none has).
    fn token_by_hash(&self, hash: &str) -> Result<OwnerToken, StoreError>;
    /// Revokes an owner's token of that name (`NotFound` when they have none; a token
    /// revoked already stays as it was).
    fn revoke_token(
        &self,
        owner: OwnerId,
        name: &str,
        audit: &NewAudit,
    ) -> Result<OwnerToken, StoreError>;

    /// Makes a group; `AlreadyExists` if the name is taken.
    fn add_group(&self, name: &Name, audit: &NewAudit) -> Result<Group, StoreError>;
    /// The group of that name.
    fn group(&self, name: &str) -> Result<Group, StoreError>;
    /// Every group, by name.
    fn groups(&self) -> Result<Vec<Group>, StoreError>;
    /// Adds (`member`) or removes an owner from a group. Adding a member or removing a
    /// non-member changes nothing but is still recorded.
    fn set_membership(
        &self,
        group: GroupId,
        owner: OwnerId,
        member: bool,
        audit: &NewAudit,
    ) -> Result<Group, StoreError>;
    /// The groups an owner belongs to.
    fn groups_of(&self, owner: OwnerId) -> Result<Vec<GroupId>, StoreError>;

    /// The mode new projects get.
    fn default_mode(&self) -> Result<Mode, StoreError>;
    /// Changes the mode new projects get.
    fn set_default_mode(&self, mode: Mode, audit: &NewAudit) -> Result<(), StoreError>;
    /// The value of an instance setting (see [`crate::model::Setting`]), if set.
    fn setting(&self, name: &str) -> Result<Option<String>, StoreError>;
    /// Sets an instance setting to `value`, or clears it with `None`.
    fn set_setting(
        &self,
        name: &str,
        value: Option<&str>,
        audit: &NewAudit,
    ) -> Result<(), StoreError>;

    /// Creates a project with its first configuration revision.
    /// `AlreadyExists` if the name or the directory is taken.
    fn create_project(
        &self,
        project: &NewProject,
        first: &NewRevision,
        audit: &NewAudit,
    ) -> Result<Project, StoreError>;
    /// The project of that name.
    fn project(&self, name: &str) -> Result<Project, StoreError>;
    /// Every project, by name.
    fn projects(&self) -> Result<Vec<Project>, StoreError>;
    /// Removes a project and every record beneath it (its audit entries stay).
    fn delete_project(&self, id: ProjectId, audit: &NewAudit) -> Result<(), StoreError>;
    /// Sets a project's owner, group and mode, if they still are `expected`; else `Changed`
    /// and nothing is written.
    fn set_access(
        &self,
        project: ProjectId,
        expected: &ProjectAccess,
        access: &ProjectAccess,
        audit: &NewAudit,
    ) -> Result<Project, StoreError>;

    /// Commits a revision on top of `base`. If the project's newest revision is no longer
    /// `base`, nothing is written and the error is `Conflict`.
    fn commit_revision(
        &self,
        project: ProjectId,
        base: RevisionNumber,
        revision: &NewRevision,
        audit: &NewAudit,
    ) -> Result<Revision, StoreError>;
    /// One revision of a project.
    fn revision(&self, project: ProjectId, number: RevisionNumber) -> Result<Revision, StoreError>;
    /// Every revision of a project, oldest first.
    fn history(&self, project: ProjectId) -> Result<Vec<Revision>, StoreError>;

    /// Records something done outside the store (a build directory cleaned), about
    /// `project` if given; the right the entry requires is checked first.
    fn record_audit(&self, entry: &NewAudit, project: Option<ProjectId>) -> Result<(), StoreError>;
    /// Audit entries matching `filter`, newest first.
    fn audit(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>, StoreError>;

    /// Starts recording a build, or queues one for a runner when `build.requested` (see
    /// [`Store::claim_build`]); its log file is to be `build-<id>.log` in `build.log_dir`
    /// (see [`Store::set_build_log`]).
    fn start_build(&self, build: &NewBuild, audit: &NewAudit) -> Result<Build, StoreError>;
    /// Records that `path` holds the log of `build`, now written. `AlreadyExists` when it
    /// is another build's log.
    fn set_build_log(&self, build: BuildId, path: &Path) -> Result<Build, StoreError>;
    /// Records where a build recorded elsewhere came from (an event log imported): it ran
    /// with a configuration this store does not have.
    fn set_build_origin(&self, build: BuildId, origin: &str) -> Result<Build, StoreError>;
    /// One build.
    fn build(&self, id: BuildId) -> Result<Build, StoreError>;
    /// Builds matching `filter`, newest first.
    fn builds(&self, filter: &BuildFilter) -> Result<Vec<Build>, StoreError>;
    /// Applies a recorder's batch in one transaction and marks the build alive. Refused with
    /// `BuildEnded` (nothing written) once the build has ended. State changes that would
    /// move backwards are skipped; a task already recorded keeps its first order and start,
    /// and takes what the new record adds.
    fn record(&self, build: BuildId, writes: &[BuildWrite]) -> Result<(), StoreError>;
    /// The order the next task started in `build` gets (one more than the highest so far).
    fn next_task_order(&self, build: BuildId) -> Result<u32, StoreError>;
    /// A build's tasks.
    fn tasks(&self, build: BuildId, filter: &TaskFilter) -> Result<Vec<Task>, StoreError>;
    /// Which of a build's tasks wait for which, sorted.
    fn task_dependencies(&self, build: BuildId) -> Result<Vec<TaskEdge>, StoreError>;
    /// Which of a build's recipes need which, sorted.
    fn recipe_dependencies(&self, build: BuildId) -> Result<Vec<RecipeEdge>, StoreError>;
    /// The names provided by a build's recipes, sorted by name.
    fn providers(&self, build: BuildId) -> Result<Vec<Provider>, StoreError>;
    /// The variables a build recorded, sorted by name.
    fn variables(&self, build: BuildId) -> Result<Vec<crate::model::BuildVariable>, StoreError>;
    /// The history of one variable of a build, in BitBake's order (empty when none is
    /// recorded).
    fn variable_history(
        &self,
        build: BuildId,
        name: &str,
    ) -> Result<Vec<crate::model::VariableChange>, StoreError>;
    /// The files of a build's packages (of `package` only, if given), by package and path.
    fn package_files(
        &self,
        build: BuildId,
        package: Option<&str>,
    ) -> Result<Vec<(String, PackageFile)>, StoreError>;
    /// The packages installed in each image of a build, each with the installed packages
    /// it pulled in, by target and name.
    fn image_packages(&self, build: BuildId)
    -> Result<Vec<(String, InstalledPackage)>, StoreError>;
    /// The file listing of one image of a build, by path.
    fn image_files(&self, build: BuildId, target: &str) -> Result<Vec<ImageFile>, StoreError>;
    /// The images of a build summed up, by target.
    fn images(&self, build: BuildId) -> Result<Vec<ImageSummary>, StoreError>;
    /// The recipes a build used, by name.
    fn recipes(&self, build: BuildId) -> Result<Vec<RecipeRecord>, StoreError>;
    /// The packages a build made, in the order recorded; dependencies sorted by name.
    fn packages(&self, build: BuildId) -> Result<Vec<PackageRecord>, StoreError>;
    /// A build's log messages at `min_level` or above, in the order recorded.
    fn log_messages(
        &self,
        build: BuildId,
        min_level: LogLevel,
    ) -> Result<Vec<LogRecord>, StoreError>;
    /// The files a build made, in the order recorded.
    fn artifacts(&self, build: BuildId) -> Result<Vec<ArtifactRecord>, StoreError>;
    /// Adds artifacts to a build, whether or not it has ended (a log sealed at its end);
    /// one whose name the build already has is skipped.
    fn record_artifacts(
        &self,
        build: BuildId,
        artifacts: &[ArtifactRecord],
    ) -> Result<(), StoreError>;
    /// Records the archive a build was written to (`None` forgets it), with its audit entry
    /// (whose right is checked in the transaction).
    fn set_build_archive(
        &self,
        build: BuildId,
        archive: Option<&BuildArchive>,
        audit: &NewAudit,
    ) -> Result<Build, StoreError>;
    /// Builds that ended before `ended_before` and have no archive (of `project` only, if
    /// given), oldest first.
    fn unarchived_builds(
        &self,
        ended_before: Timestamp,
        project: Option<ProjectId>,
    ) -> Result<Vec<BuildId>, StoreError>;
    /// Adds a build that ended elsewhere, with its whole record, in one transaction with
    /// its audit entry (detail `imported build N: …`). `build.state` must be an end: the
    /// build is written ended, so it fires no hook.
    fn import_build(
        &self,
        build: &NewBuild,
        record: &ImportedRecord,
        audit: &NewAudit,
    ) -> Result<Build, StoreError>;
    /// How many of a build's tasks ended each way (`None`: still running or never ended).
    fn task_counts(&self, build: BuildId) -> Result<Vec<(Option<TaskOutcome>, u32)>, StoreError>;
    /// Hides a build from listings, or shows it again.
    fn set_build_hidden(
        &self,
        build: BuildId,
        hidden: bool,
        audit: &NewAudit,
    ) -> Result<Build, StoreError>;
    /// Removes every record of a build and nothing else.
    fn delete_build(&self, build: BuildId, audit: &NewAudit) -> Result<(), StoreError>;
    /// Marks builds not yet ended whose recorder has been silent since before `since` as
    /// interrupted, and expires the claims whose lease has ended by the store's clock (as
    /// [`Store::expire_claims`]); returns both. A build a runner claimed is governed by its
    /// lease alone (never interrupted for silence while the lease lasts), and a requested
    /// build waiting for a runner is not silent.
    fn interrupt_silent_builds(&self, since: Timestamp) -> Result<Vec<BuildId>, StoreError>;

    /// Claims the next requested build for a runner, in one transaction that also expires
    /// the claims whose lease ended before `claim.now` (as [`Store::expire_claims`]). The
    /// build taken is the one with the lowest id that is requested, still queued, unclaimed
    /// and not asked to cancel; asked to run on `claim.host` or on any host; of a project of one of `claim.releases`
    /// (any when empty); of a project
    /// `claim.owner` may build; the oldest waiting build of its project (builds of a project
    /// run in the order they were asked for); and whose project and build directory no
    /// claimed build that has not ended holds. It is claimed by `claim.runner` until
    /// `claim.lease_until`, and `claim.host` becomes its host. `None` when no build
    /// qualifies. When runners race, every build goes to one of them only.
    fn claim_build(&self, claim: &ClaimRequest) -> Result<Option<Build>, StoreError>;
    /// Extends the claim `runner` holds on `build` to `lease_until`, and returns the build
    /// (a cancel request shows in it). `LeaseLost` (nothing written) unless `runner` holds
    /// the claim and the build has not ended. A lease that ran out but was not expired yet
    /// is renewed: nobody took the build over.
    fn renew_lease(
        &self,
        build: BuildId,
        runner: &RunnerId,
        lease_until: Timestamp,
    ) -> Result<Build, StoreError>;
    /// Lets a claimed build go, for a runner that stops: a build asked to cancel ends
    /// cancelled; else one still queued returns to the queue, and one that started ends
    /// interrupted. An ended build stays as it is. `LeaseLost` unless `runner` holds it.
    fn release_claim(&self, build: BuildId, runner: &RunnerId) -> Result<Build, StoreError>;
    /// Asks to cancel a build, with its audit entry (whose right is checked in the
    /// transaction). A requested build still queued and unclaimed ends cancelled at once and
    /// never starts; any other build not ended gets `cancel_requested_at` (the first
    /// request's time is kept) for the runner holding it to stop it. `BuildEnded` (nothing
    /// written) for a build that has ended.
    fn request_cancel(&self, build: BuildId, audit: &NewAudit) -> Result<Build, StoreError>;
    /// Ends every claimed build not yet ended whose lease ended before `now` as interrupted
    /// (at the lease's end), which frees its project and build directory for the next
    /// claim; returns them. The claim stays on the build, to show which runner had it.
    fn expire_claims(&self, now: Timestamp) -> Result<Vec<BuildId>, StoreError>;

    /// The store's clock: this process's for an embedded database, the server's for
    /// PostgreSQL. Leases, claims and silence are measured by it, so that a host whose
    /// clock is off by minutes neither loses its builds nor takes over live ones.
    fn clock(&self) -> Result<Timestamp, StoreError>;

    /// Registers a runner as it starts (again, with the same id: its row is replaced),
    /// stamped by the store's clock; on PostgreSQL its address is the client's as the
    /// server sees it. `NotFound` for an owner that does not exist.
    fn register_runner(&self, runner: &RunnerRegistration) -> Result<RegisteredRunner, StoreError>;
    /// Says a registered runner is alive now, by the store's clock. `NotFound` when it is
    /// not registered (register it again).
    fn runner_alive(&self, runner: &RunnerId) -> Result<RegisteredRunner, StoreError>;
    /// Removes a runner that stops; one not registered is no error.
    fn unregister_runner(&self, runner: &RunnerId) -> Result<(), StoreError>;
    /// The store's clock now, and every registered runner, by host, then by when it
    /// started: silence is measured against that clock, never a host's own.
    fn runners(&self) -> Result<(Timestamp, Vec<RegisteredRunner>), StoreError>;

    /// The deliveries of a build's hooks, oldest first, with their attempts. A build gets
    /// them in the transaction that ends it, whichever operation ends it: one for each hook
    /// of its project's newest revision that fires on how it ended (`success` on succeeded,
    /// `failure` on any other end, `always` on every end), due at once.
    fn deliveries(&self, build: BuildId) -> Result<Vec<Delivery>, StoreError>;
    /// Claims the pending delivery due soonest (by `claim.now`) for `claim.by` to make an
    /// attempt, for `claim.hold`: one that nobody holds or whose holder's claim ran out; of
    /// a project `claim.owner` may build; of `claim.build` if given; and a script hook only
    /// when its build ran on `claim.host`. `None` when none qualifies. When deliverers race,
    /// each delivery goes to one of them only.
    fn claim_delivery(&self, claim: &DeliveryClaim) -> Result<Option<Delivery>, StoreError>;
    /// Records an attempt (numbered by the store) at a delivery `attempt.by` holds, and lets
    /// it go: delivered when the attempt was, else pending until `next` or failed for good.
    /// `DeliveryLost` (nothing written) unless `attempt.by` still holds it.
    fn record_attempt(
        &self,
        delivery: DeliveryId,
        attempt: &Attempt,
        next: NextAttempt,
    ) -> Result<Delivery, StoreError>;
    /// When the next pending delivery (of `build`, if given) may be attempted (its due time,
    /// or when its holder's claim runs out, whichever is later); `None` when none is pending.
    fn next_delivery_due(&self, build: Option<BuildId>) -> Result<Option<Timestamp>, StoreError>;
}
