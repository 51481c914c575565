//! The facade: the one API every frontend calls.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::Error;
use crate::model::{
    ConfigChange, Name, NewOwner, NewProject, NewRevision, Owner, OwnerUpdate, Project,
    ProjectConfig, Release, Revision, RevisionNumber,
};
use crate::project_dir;
use crate::schema::Schema;
use crate::store::sqlite::SqliteStore;
use crate::store::{Store, StoreError};

/// How often a change that names no base revision is retried when others commit first.
/// Every lost race means another change was committed, so the project makes progress; the
/// growing pause (1 ms, 2 ms, …) lets a writer that keeps losing get through.
const RETRIES: u32 = 64;

/// An open Toaster instance: a store, and the database file when it is one.
#[derive(Clone)]
pub struct Toaster {
    store: Arc<dyn Store>,
    database: Option<PathBuf>,
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
            ..Toaster::new(Arc::new(SqliteStore::open(path)?))
        })
    }

    /// Creates a new SQLite database at `path`.
    pub fn init_sqlite(path: &Path) -> Result<Toaster, Error> {
        Ok(Toaster {
            database: Some(path.to_owned()),
            ..Toaster::new(Arc::new(SqliteStore::init(path)?))
        })
    }

    /// Where the data lives, for messages.
    pub fn location(&self) -> String {
        self.store.location()
    }

    /// Acts as the owner `name` from `client` (e.g. `cli:alice@host`).
    pub fn act_as(&self, name: &str, client: &str) -> Result<Actor, Error> {
        let owner = self.store.owner(name)?;
        Ok(self.actor(owner, client))
    }

    /// Acts as the owner this client last chose, or fails with [`Error::NoOwner`].
    pub fn act_as_remembered(&self, client: &str) -> Result<Actor, Error> {
        match self.store.remembered_owner(client)? {
            Some(owner) => Ok(self.actor(owner, client)),
            None => Err(Error::NoOwner {
                client: client.to_owned(),
            }),
        }
    }

    /// Remembers `name` as the owner acting from `client` from now on.
    pub fn use_owner(&self, name: &str, client: &str) -> Result<Actor, Error> {
        let owner = self.store.owner(name)?;
        self.store.remember_owner(client, owner.id)?;
        self.act_as(name, client)
    }

    /// Adds the first owner of an empty instance, who needs nobody to act for them, and
    /// remembers them for `client`. Once any owner exists, owners are added by an [`Actor`].
    pub fn add_first_owner(
        &self,
        name: &str,
        email: Option<&str>,
        client: &str,
    ) -> Result<Actor, Error> {
        let new = NewOwner::new(Name::parse("owner name", name)?, email.map(str::to_owned))?;
        if let Some(existing) = self.store.owners()?.first() {
            return Err(Error::NoOwner {
                client: format!(
                    "{client}, needed because owner `{}` exists already",
                    existing.name
                ),
            });
        }
        let owner = self.store.add_owner(&new)?;
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

/// An owner acting through a client: every operation on projects and owners goes through
/// one, so that who did what is known (and, with permissions, allowed).
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
    pub warnings: Vec<String>,
}

impl Actor {
    /// The owner acting.
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

    // --- owners ---

    /// Adds an owner.
    pub fn add_owner(&self, name: &str, email: Option<&str>) -> Result<Owner, Error> {
        let new = NewOwner::new(Name::parse("owner name", name)?, email.map(str::to_owned))?;
        Ok(self.store().add_owner(&new)?)
    }

    /// Every owner, by name.
    pub fn owners(&self) -> Result<Vec<Owner>, Error> {
        Ok(self.store().owners()?)
    }

    /// One owner.
    pub fn owner_named(&self, name: &str) -> Result<Owner, Error> {
        Ok(self.store().owner(name)?)
    }

    /// Renames an owner or changes their e-mail address (`Some("")` clears it).
    pub fn edit_owner(
        &self,
        name: &str,
        new_name: Option<&str>,
        email: Option<&str>,
    ) -> Result<Owner, Error> {
        let owner = self.store().owner(name)?;
        let update = OwnerUpdate {
            name: new_name.map(|n| Name::parse("owner name", n)).transpose()?,
            email: match email {
                None => None,
                Some("") => Some(None),
                Some(email) => {
                    crate::model::check_email(email)?;
                    Some(Some(email.to_owned()))
                }
            },
        };
        Ok(self.store().update_owner(owner.id, &update)?)
    }

    // --- projects ---

    /// Creates a project in `dir` (made if absent; an existing one must be empty) for
    /// `release` (default: [`Release::DEFAULT`]), owned by the actor, configured with the
    /// release defaults as revision 1.
    pub fn create_project(
        &self,
        name: &str,
        dir: &Path,
        release: Option<&str>,
    ) -> Result<Project, Error> {
        let name = Name::parse("project name", name)?;
        let release = release
            .map(Release::parse)
            .transpose()?
            .unwrap_or(Release::DEFAULT);
        let config = release.defaults();
        let description = format!("created with the {release} defaults");
        self.create_with(name, dir, release, config, description)
    }

    fn create_with(
        &self,
        name: Name,
        dir: &Path,
        release: Release,
        config: ProjectConfig,
        description: String,
    ) -> Result<Project, Error> {
        // Refuse a taken name before touching the disk.
        match self.store().project(name.as_str()) {
            Ok(_) => {
                return Err(StoreError::AlreadyExists {
                    entity: "project",
                    key: name.to_string(),
                }
                .into());
            }
            Err(StoreError::NotFound { .. }) => {}
            Err(e) => return Err(e.into()),
        }
        let origin = format!("project {name}, revision 1");
        crate::conf::generate(&config, dir, self.schema(), &origin)?;
        let prepared = project_dir::prepare(dir, &name)?;
        let new = NewProject {
            name,
            dir: prepared.path().to_owned(),
            release,
            owner: self.owner.id,
        };
        let first = NewRevision {
            author: self.owner.id,
            description,
            restores: None,
            config,
        };
        match self.store().create_project(&new, &first) {
            Ok(project) => {
                self.write_conf_of(&project, &first.config, RevisionNumber(1))?;
                Ok(project)
            }
            Err(e) => {
                prepared.abandon();
                Err(e.into())
            }
        }
    }

    /// Every project, by name.
    pub fn projects(&self) -> Result<Vec<Project>, Error> {
        Ok(self.store().projects()?)
    }

    /// One project.
    pub fn project(&self, name: &str) -> Result<Project, Error> {
        Ok(self.store().project(name)?)
    }

    /// A project's newest revision, with its configuration.
    pub fn config(&self, project: &str) -> Result<Revision, Error> {
        let project = self.project(project)?;
        Ok(self.store().revision(project.id, project.head)?)
    }

    /// One revision of a project.
    pub fn revision(&self, project: &str, number: RevisionNumber) -> Result<Revision, Error> {
        let project = self.project(project)?;
        if number.0 == 0 || number > project.head {
            return Err(Error::NoRevision {
                project: project.name,
                number,
                head: project.head,
            });
        }
        Ok(self.store().revision(project.id, number)?)
    }

    /// Every revision of a project, oldest first.
    pub fn history(&self, project: &str) -> Result<Vec<Revision>, Error> {
        let project = self.project(project)?;
        Ok(self.store().history(project.id)?)
    }

    /// Applies `changes` together as one new revision. With `base`, the change is refused
    /// with [`Error::Conflict`] unless `base` is still the newest revision; without it, a
    /// change that loses a race is applied again on top of the winner's revision.
    /// A change that leaves the configuration as it was makes no revision.
    pub fn change_config(
        &self,
        project: &str,
        changes: &[ConfigChange],
        base: Option<RevisionNumber>,
    ) -> Result<ChangeOutcome, Error> {
        self.change_config_with(project, changes, base, false)
    }

    /// [`Actor::change_config`], checking every new value against the schema first (a bad
    /// value changes nothing). With `strict`, unknown variables are refused instead of
    /// accepted with a warning.
    pub fn change_config_with(
        &self,
        project: &str,
        changes: &[ConfigChange],
        base: Option<RevisionNumber>,
        strict: bool,
    ) -> Result<ChangeOutcome, Error> {
        let release = self.project(project)?.release;
        let warnings = std::cell::RefCell::new(Vec::new());
        let mut outcome = self.commit(project, base, |head| {
            let mut config = head.config.clone();
            let mut descriptions = Vec::new();
            for change in changes {
                descriptions.extend(config.apply(change)?);
            }
            *warnings.borrow_mut() =
                validation::check(self.schema(), &release, &head.config, &config, strict)?;
            Ok((!descriptions.is_empty()).then(|| (descriptions.join("; "), None, config)))
        })?;
        let mut all = warnings.into_inner();
        all.append(&mut outcome.warnings);
        outcome.warnings = all;
        Ok(outcome)
    }

    /// Restores the configuration before the one in effect, as a new revision. Repeated
    /// undos walk further back; `revert` to a later revision redoes.
    pub fn undo(&self, project: &str) -> Result<ChangeOutcome, Error> {
        self.commit(project, None, |head| {
            let effective = head.effective();
            let Some(target) = effective.previous() else {
                return Err(Error::NothingToUndo {
                    project: self.project(project)?.name,
                    effective,
                });
            };
            let restored = self.revision(project, target)?;
            Ok(Some((
                format!(
                    "undo revision {effective}: back to revision {target} ({})",
                    restored.description
                ),
                Some(target),
                restored.config,
            )))
        })
    }

    /// Restores the configuration of revision `to`, as a new revision.
    pub fn revert(&self, project: &str, to: RevisionNumber) -> Result<ChangeOutcome, Error> {
        let restored = self.revision(project, to)?;
        self.commit(project, None, |_| {
            Ok(Some((
                format!("revert to revision {to} ({})", restored.description),
                Some(to),
                restored.config.clone(),
            )))
        })
    }

    /// Replaces the configuration with the defaults of the project's release, as a new
    /// revision (so it can be undone).
    pub fn reset(&self, project: &str) -> Result<ChangeOutcome, Error> {
        let release = self.project(project)?.release;
        self.commit(project, None, |_| {
            Ok(Some((
                format!("reset to the {release} defaults"),
                None,
                release.defaults(),
            )))
        })
    }

    /// Creates `new_name` in `new_dir` with `source`'s current configuration and release.
    pub fn clone_project(
        &self,
        source: &str,
        new_name: &str,
        new_dir: &Path,
    ) -> Result<Project, Error> {
        let name = Name::parse("project name", new_name)?;
        let source = self.project(source)?;
        let head = self.store().revision(source.id, source.head)?;
        let description = format!("cloned from {} at revision {}", source.name, head.number);
        self.create_with(name, new_dir, source.release, head.config, description)
    }

    /// Deletes a project's records; with `files`, also its directory, but only after
    /// checking that the directory still carries the project's mark and does not hold the
    /// database. Nothing outside the directory is touched.
    pub fn delete_project(&self, project: &str, files: bool) -> Result<Project, Error> {
        let project = self.project(project)?;
        let dir = if files {
            Some(project_dir::check_removable(
                &project.dir,
                &project.name,
                self.toaster.database.as_deref(),
            )?)
        } else {
            None
        };
        self.store().delete_project(project.id)?;
        if let Some(dir) = dir {
            project_dir::remove(&dir)?;
        }
        Ok(project)
    }

    /// Reads the head, lets `edit` build the next revision from it, and commits it on top of
    /// that head; retries on a lost race unless the caller pinned `base`.
    fn commit(
        &self,
        project: &str,
        base: Option<RevisionNumber>,
        edit: impl Fn(
            &Revision,
        ) -> Result<Option<(String, Option<RevisionNumber>, ProjectConfig)>, Error>,
    ) -> Result<ChangeOutcome, Error> {
        for attempt in 1.. {
            let current = self.project(project)?;
            if let Some(base) = base.filter(|b| *b != current.head) {
                return Err(Error::Conflict {
                    project: current.name,
                    base,
                    head: current.head,
                });
            }
            let head = self.store().revision(current.id, current.head)?;
            let Some((description, restores, config)) = edit(&head)? else {
                return Ok(ChangeOutcome {
                    revision: head,
                    changed: false,
                    warnings: Vec::new(),
                });
            };
            let next = NewRevision {
                author: self.owner.id,
                description,
                restores,
                config,
            };
            match self
                .store()
                .commit_revision(current.id, current.head, &next)
            {
                Ok(revision) => {
                    // Written from the newest revision, re-read: a change another process
                    // committed after this one must not be overwritten with this one.
                    let warnings = match self.write_conf(current.name.as_str()) {
                        Ok(_) => Vec::new(),
                        Err(e) => vec![format!(
                            "the configuration is saved, but its conf files were not rewritten: {e}; run `toaster conf write {}`",
                            current.name
                        )],
                    };
                    return Ok(ChangeOutcome {
                        revision,
                        changed: true,
                        warnings,
                    });
                }
                Err(StoreError::Conflict { .. }) if base.is_none() && attempt < RETRIES => {
                    std::thread::sleep(std::time::Duration::from_millis(u64::from(attempt)));
                }
                Err(StoreError::Conflict { head, .. }) => {
                    return Err(Error::Conflict {
                        project: current.name,
                        base: current.head,
                        head,
                    });
                }
                Err(e) => return Err(e.into()),
            }
        }
        unreachable!("the loop above only ends by returning")
    }
}

mod conf_files;
#[cfg(test)]
mod tests;
mod validation;
