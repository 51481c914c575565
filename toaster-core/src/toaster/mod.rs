//! The facade: the one API every frontend calls. Every operation is made by an [`Actor`],
//! checked against the permission policy, and written with its audit entry.

mod archive;
mod artifacts;
mod audit;
mod bitbake_source;
mod build_comparison;
mod build_hosts;
mod build_variables;
mod builds;
mod caches;
mod clean;
mod conf_files;
mod config;
mod deliver;
mod delivery_content;
mod evaluation;
mod hook_config;
mod host;
mod import_release;
mod kas;
mod layers;
mod own_builds;
mod owners;
mod package_contents;
mod placement;
mod projects;
mod queue;
mod recipe_dependencies;
mod recipes;
mod recording;
mod run;
mod serve;
mod settings;
mod share;
mod task_dependencies;
mod tokens;
mod validation;
mod warning;

use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use self::archive::{ARCHIVE_DIR, Archived};
pub use self::artifacts::Downloaded;
pub use self::bitbake_source::BitbakeGit;
pub use self::build_hosts::BuildHost;
pub use self::builds::{BUILD_LEASE, BuildDetail, BuildQuery, COMMAND_LINE_PROJECT, ImportReport};
pub use self::caches::SharedCaches;
pub use self::clean::CleanReport;
pub use self::deliver::{DeliverUntil, Deliverer, DeliveryPolicy, DeliveryReport};
pub use self::evaluation::ConfEvaluation;
pub use self::owners::OwnerEdit;
pub use self::projects::{ClonedProject, ProjectOptions};
pub use self::queue::{BuildRequest, RUNNER_LEASE};
pub use self::recipes::{ImportedRecipe, RecipeImportRequest};
pub use self::recording::{Recording, RecordingRequest, RecordingWarning};
pub use self::run::{RunOptions, RunOutcome};
pub use self::serve::{RunnerEvent, Until};
pub use self::settings::SettingValue;
pub use self::share::{Exported, Imported};
pub use self::task_dependencies::TaskWalk;
pub use self::tokens::{CreatedToken, TOKEN_CLIENT_PREFIX};
pub use self::warning::Warning;
use crate::Error;
use crate::access::{self, Action, Principal};
use crate::model::{AuditAction, Name, NewAudit, NewOwner, Owner, Project, Revision, check_client};
use crate::schema::Schema;
use crate::store::PostgresStore;
use crate::store::sqlite::SqliteStore;
use crate::store::{Store, StoreError};

/// How often a change is retried when others change the same thing first. Every lost race
/// means another change was committed, so the project makes progress; the growing pause
/// (1 ms, 2 ms, …) in the configuration retry lets a writer that keeps losing get through.
const RETRIES: u32 = 64;

/// An open Toaster instance: a store, and the database file when it is one.
#[derive(Clone)]
pub struct Toaster {
    store: Arc<dyn Store>,
    database: Option<PathBuf>,
    /// How other processes and project markers reach this database: the file, or the URL
    /// (without password) of a PostgreSQL database.
    reach: Option<PathBuf>,
    schema: Arc<Schema>,
}

impl std::fmt::Debug for Toaster {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Toaster")
            .field("store", &self.store.location())
            .finish()
    }
}

impl Toaster {
    /// A facade over any store.
    pub fn new(store: Arc<dyn Store>) -> Toaster {
        Toaster {
            store,
            database: None,
            reach: None,
            schema: Arc::new(Schema::builtin().clone()),
        }
    }

    /// This instance, validating variables with `schema` (the built-in catalogue with extra
    /// specs, see [`Schema::with_file`]).
    pub fn with_schema(mut self, schema: Schema) -> Toaster {
        self.schema = Arc::new(schema);
        self
    }

    /// The variable specs values are checked against.
    pub fn schema(&self) -> &Schema {
        &self.schema
    }

    /// Opens the SQLite database at `path`.
    pub fn open_sqlite(path: &Path) -> Result<Toaster, Error> {
        Ok(Toaster {
            database: Some(path.to_owned()),
            reach: Some(path.to_owned()),
            ..Toaster::new(Arc::new(SqliteStore::open(path)?))
        })
    }

    /// Creates a new SQLite database at `path`.
    pub fn init_sqlite(path: &Path) -> Result<Toaster, Error> {
        Ok(Toaster {
            database: Some(path.to_owned()),
            reach: Some(path.to_owned()),
            ..Toaster::new(Arc::new(SqliteStore::init(path)?))
        })
    }

    /// Opens the database at `location`: a PostgreSQL URL (`postgres://USER@HOST:PORT/DB`,
    /// see [`PostgresStore::open`]) or the path of an SQLite file.
    pub fn open(location: &Path) -> Result<Toaster, Error> {
        match location.to_str().filter(|l| PostgresStore::is_url(l)) {
            Some(url) => Ok(Toaster::on_postgres(PostgresStore::open(url)?)),
            None => Toaster::open_sqlite(location),
        }
    }

    /// Creates the database at `location` (a PostgreSQL URL of an empty database, or the
    /// path of a new SQLite file).
    pub fn init(location: &Path) -> Result<Toaster, Error> {
        match location.to_str().filter(|l| PostgresStore::is_url(l)) {
            Some(url) => Ok(Toaster::on_postgres(PostgresStore::init(url)?)),
            None => Toaster::init_sqlite(location),
        }
    }

    fn on_postgres(store: PostgresStore) -> Toaster {
        Toaster {
            reach: Some(PathBuf::from(store.location())),
            ..Toaster::new(Arc::new(store))
        }
    }

    /// How other processes reach this database (a file, or a URL without password), when
    /// it was opened by location.
    pub fn reach(&self) -> Option<&Path> {
        self.reach.as_deref()
    }

    /// Where the data lives, for messages.
    pub fn location(&self) -> String {
        self.store.location()
    }

    /// Acts as the owner `name` from `client` (e.g. `cli:alice@host`; one line of plain
    /// text, see [`check_client`]).
    pub fn act_as(&self, name: &str, client: &str) -> Result<Actor, Error> {
        check_client("client", client)?;
        let owner = self.store.owner(name)?;
        Ok(self.actor(owner, client))
    }

    /// Acts as the owner this client last chose, or fails with [`Error::NoOwner`].
    pub fn act_as_remembered(&self, client: &str) -> Result<Actor, Error> {
        check_client("client", client)?;
        match self.store.remembered_owner(client)? {
            Some(owner) => Ok(self.actor(owner, client)),
            None => Err(Error::NoOwner {
                client: client.to_owned(),
            }),
        }
    }

    /// Remembers `name` as the owner acting from `client` from now on.
    pub fn use_owner(&self, name: &str, client: &str) -> Result<Actor, Error> {
        check_client("client", client)?;
        let owner = self.store.owner(name)?;
        self.store.remember_owner(client, owner.id)?;
        self.act_as(name, client)
    }

    /// Adds the first owner of an empty instance, who becomes its admin and needs nobody
    /// to act for them, and remembers them for `client`. Once any owner exists, owners are
    /// added by an admin [`Actor`].
    pub fn add_first_owner(
        &self,
        name: &str,
        email: Option<&str>,
        client: &str,
    ) -> Result<Actor, Error> {
        check_client("client", client)?;
        let new = NewOwner::new(Name::parse("owner name", name)?, email.map(str::to_owned))?;
        let audit = NewAudit {
            owner: None,
            owner_name: new.name.clone(),
            client: client.to_owned(),
            action: AuditAction::OwnerAdd,
            project: None,
            detail: format!("added owner {} (the first, admin)", new.name),
            requires: None,
        };
        let owner = match self.store.add_first_owner(&new, &audit) {
            Err(StoreError::AlreadyExists {
                entity: "an owner",
                key,
            }) => {
                return Err(Error::OwnersExist { existing: key });
            }
            other => other?,
        };
        self.store.remember_owner(client, owner.id)?;
        self.act_as(owner.name.as_str(), client)
    }

    /// Whether any owner exists yet.
    pub fn has_owners(&self) -> Result<bool, Error> {
        Ok(!self.store.owners()?.is_empty())
    }

    fn actor(&self, owner: Owner, client: &str) -> Actor {
        Actor {
            toaster: self.clone(),
            owner,
            client: client.to_owned(),
        }
    }
}

/// An owner acting through a client: every operation on owners, groups and projects goes
/// through one, so that who did what is known, allowed, and recorded.
#[derive(Debug, Clone)]
pub struct Actor {
    toaster: Toaster,
    owner: Owner,
    client: String,
}

/// What a configuration change did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeOutcome {
    /// The project's newest revision after the change.
    pub revision: Revision,
    /// False when the configuration already was that way and no revision was made.
    pub changed: bool,
    /// Things accepted but worth a look (an unknown variable, a likely typo), and conf files
    /// that could not be rewritten.
    pub warnings: Vec<Warning>,
}

impl Actor {
    /// The owner acting (as they were when the actor was made).
    pub fn owner(&self) -> &Owner {
        &self.owner
    }

    /// The client acted from.
    pub fn client(&self) -> &str {
        &self.client
    }

    fn store(&self) -> &dyn Store {
        &*self.toaster.store
    }

    fn schema(&self) -> &Schema {
        &self.toaster.schema
    }

    /// The acting owner as the policy sees them now: rights granted or revoked since the
    /// actor was made count at once.
    fn principal(&self) -> Result<Principal, Error> {
        let owner = self.store().owner_by_id(self.owner.id)?;
        Ok(Principal::new(&owner, self.store().groups_of(owner.id)?))
    }

    /// Fails with [`Error::Denied`] unless the actor may do an instance-wide `action`.
    fn require(&self, action: Action) -> Result<Principal, Error> {
        let principal = self.principal()?;
        if access::allows_instance(&principal, action) {
            return Ok(principal);
        }
        Err(Error::Denied {
            owner: self.owner.name.clone(),
            action,
            project: None,
        })
    }

    /// The project `name`, if the actor may do `action` on it; else [`Error::Denied`].
    fn project_for(&self, name: &str, action: Action) -> Result<Project, Error> {
        let project = self.store().project(name)?;
        let principal = self.principal()?;
        if access::allows(&principal, &project, action) {
            Ok(project)
        } else {
            Err(Error::Denied {
                owner: self.owner.name.clone(),
                action,
                project: Some(project.name),
            })
        }
    }

    /// The audit entry for a change this actor makes, which the store writes only if the
    /// actor still may do what it `requires` when the change is written.
    fn entry(
        &self,
        requires: Option<Action>,
        action: AuditAction,
        project: Option<&Name>,
        detail: String,
    ) -> NewAudit {
        NewAudit {
            owner: Some(self.owner.id),
            owner_name: self.owner.name.clone(),
            client: self.client.clone(),
            action,
            project: project.cloned(),
            detail,
            requires,
        }
    }
}

#[cfg(test)]
mod access_tests;
#[cfg(test)]
mod archive_tests;
#[cfg(test)]
mod artifact_tests;
#[cfg(test)]
mod build_host_tests;
#[cfg(test)]
mod build_log_tests;
#[cfg(test)]
mod build_tests;
#[cfg(test)]
mod build_variable_tests;
#[cfg(test)]
mod cache_tests;
#[cfg(test)]
mod hook_tests;
#[cfg(test)]
mod layer_tests;
#[cfg(test)]
mod package_contents_tests;
#[cfg(test)]
mod queue_tests;
#[cfg(test)]
mod recipe_dependency_tests;
#[cfg(test)]
mod recipe_tests;
#[cfg(test)]
mod recording_tests;
#[cfg(test)]
mod share_tests;
#[cfg(test)]
mod task_dependency_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod token_tests;
#[cfg(test)]
mod validation_tests;
