//! Storage: the [`Store`] trait of domain operations, its backends, and the conformance
//! suite every backend passes.
//!
//! Each method is atomic on its own. No driver type appears in a signature or in
//! [`StoreError`]: each backend maps its driver's errors onto it.

mod error;
pub mod sqlite;

#[cfg(any(test, feature = "conformance"))]
pub mod conformance;

pub use error::StoreError;

use crate::model::{
    NewOwner, NewProject, NewRevision, Owner, OwnerId, OwnerUpdate, Project, ProjectId, Revision,
    RevisionNumber,
};

/// The storage of owners, projects and configuration revisions.
///
/// Synchronous, thread-safe and object safe (`Arc<dyn Store>`). Names are looked up without
/// regard to case. Timestamps are taken by the store when a record is written.
pub trait Store: Send + Sync {
    /// Where the data lives, for messages (a file path or a database URL without secrets).
    fn location(&self) -> String;

    /// Adds an owner; `AlreadyExists` if the name is taken.
    fn add_owner(&self, owner: &NewOwner) -> Result<Owner, StoreError>;
    /// The owner of that name.
    fn owner(&self, name: &str) -> Result<Owner, StoreError>;
    /// Every owner, by name.
    fn owners(&self) -> Result<Vec<Owner>, StoreError>;
    /// Changes an owner's name or e-mail address.
    fn update_owner(&self, id: OwnerId, update: &OwnerUpdate) -> Result<Owner, StoreError>;
    /// Remembers `owner` as the one acting from `client`, and `client` as the owner's latest.
    fn remember_owner(&self, client: &str, owner: OwnerId) -> Result<(), StoreError>;
    /// The owner last remembered for `client`, if any.
    fn remembered_owner(&self, client: &str) -> Result<Option<Owner>, StoreError>;

    /// Creates a project with its first configuration revision.
    /// `AlreadyExists` if the name or the directory is taken.
    fn create_project(
        &self,
        project: &NewProject,
        first: &NewRevision,
    ) -> Result<Project, StoreError>;
    /// The project of that name.
    fn project(&self, name: &str) -> Result<Project, StoreError>;
    /// Every project, by name.
    fn projects(&self) -> Result<Vec<Project>, StoreError>;
    /// Removes a project and every record beneath it.
    fn delete_project(&self, id: ProjectId) -> Result<(), StoreError>;

    /// Commits a revision on top of `base`. If the project's newest revision is no longer
    /// `base`, nothing is written and the error is `Conflict`.
    fn commit_revision(
        &self,
        project: ProjectId,
        base: RevisionNumber,
        revision: &NewRevision,
    ) -> Result<Revision, StoreError>;
    /// One revision of a project.
    fn revision(&self, project: ProjectId, number: RevisionNumber) -> Result<Revision, StoreError>;
    /// Every revision of a project, oldest first.
    fn history(&self, project: ProjectId) -> Result<Vec<Revision>, StoreError>;
}
