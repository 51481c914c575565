//! The [`Store`] operations on PostgreSQL: owners, groups, settings, projects and their
//! revisions here; builds, the queue and hooks in their own modules.

use std::path::Path;

use super::transaction::Tx;

use super::PostgresStore;
use super::driver::{Failure, classify};
use super::rows::{self, GROUP_SELECT, OWNER_SELECT, PROJECT_SELECT, REVISION_SELECT};
use crate::model::{
    ArtifactRecord, Attempt, AuditEntry, AuditFilter, Build, BuildArchive, BuildFilter, BuildId,
    BuildWrite, ClaimRequest, Delivery, DeliveryClaim, DeliveryId, Group, GroupId, ImportedRecord,
    LogLevel, LogRecord, Mode, Name, NewAudit, NewBuild, NewOwner, NewProject, NewRevision,
    NextAttempt, Owner, OwnerId, OwnerUpdate, PackageRecord, Project, ProjectAccess, ProjectId,
    Provider, RecipeEdge, RecipeRecord, RegisteredRunner, Revision, RevisionNumber, RunnerId,
    RunnerRegistration, Task, TaskEdge, TaskFilter, TaskOutcome, Timestamp,
};
use crate::store::sqlite::rows::path_text;
use crate::store::{Store, StoreError};

const DEFAULT_MODE: &str = "default_mode";

impl PostgresStore {
    pub(super) fn owner_with_id(&self, tx: &mut Tx<'_>, id: OwnerId) -> Result<Owner, StoreError> {
        let sql = format!("{OWNER_SELECT} WHERE id = $1");
        self.one(tx, &sql, &[&id.0], rows::owner, ("owner", &id.to_string()))
    }

    fn group_by_id(&self, tx: &mut Tx<'_>, id: GroupId) -> Result<Group, StoreError> {
        let sql = format!("{GROUP_SELECT} WHERE g.id = $1");
        self.one(tx, &sql, &[&id.0], rows::group, ("group", &id.to_string()))
    }

    pub(super) fn project_by_id(
        &self,
        tx: &mut Tx<'_>,
        id: ProjectId,
    ) -> Result<Project, StoreError> {
        let sql = format!("{PROJECT_SELECT} WHERE p.id = $1");
        self.one(
            tx,
            &sql,
            &[&id.0],
            rows::project,
            ("project", &id.to_string()),
        )
    }

    fn insert_revision(
        &self,
        tx: &mut Tx<'_>,
        project: ProjectId,
        number: RevisionNumber,
        revision: &NewRevision,
    ) -> Result<Revision, StoreError> {
        let config = serde_json::to_string(&revision.config).map_err(|e| StoreError::Corrupt {
            what: "configuration",
            detail: e.to_string(),
        })?;
        let now = Timestamp::now();
        self.execute(
            tx,
            "INSERT INTO config_revision (project_id, number, author_id, created_at, \
             description, restores, config) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            &[
                &project.0,
                &i64::from(number.0),
                &revision.author.0,
                &now.0,
                &revision.description,
                &revision.restores.map(|r| i64::from(r.0)),
                &config,
            ],
            "wrote a configuration revision",
        )?;
        let author = self.owner_with_id(tx, revision.author)?;
        Ok(Revision {
            project,
            number,
            author: author.name,
            created_at: now,
            description: revision.description.clone(),
            restores: revision.restores,
            config: revision.config.clone(),
        })
    }

    /// Inserts an owner (the first of an empty store is made admin) with its audit entry.
    fn insert_owner(
        &self,
        tx: &mut Tx<'_>,
        owner: &NewOwner,
        audit: &NewAudit,
    ) -> Result<Owner, StoreError> {
        self.authorize(tx, audit, None)?;
        let id: i64 = tx
            .query_one(
                "INSERT INTO owner (name, email, admin, created_at) \
                 VALUES ($1, $2, NOT EXISTS (SELECT 1 FROM owner), $3) RETURNING id",
                &[&owner.name.as_str(), &owner.email, &Timestamp::now().0],
            )
            .and_then(|r| r.try_get(0))
            .map_err(|e| self.unique(e, "added an owner", "owner", owner.name.as_str()))?;
        let mut entry = audit.clone();
        entry.owner.get_or_insert(OwnerId(id));
        self.append_audit(tx, &entry, None)?;
        self.owner_with_id(tx, OwnerId(id))
    }

    /// The value of setting `name`, if set.
    fn setting_in(&self, tx: &mut Tx<'_>, name: &str) -> Result<Option<String>, StoreError> {
        self.optional(
            tx,
            "SELECT value FROM setting WHERE name = $1",
            &[&name],
            |r| super::get(r, 0),
        )
    }

    fn put_setting(
        &self,
        tx: &mut Tx<'_>,
        name: &str,
        value: &str,
        operation: &'static str,
    ) -> Result<(), StoreError> {
        self.execute(
            tx,
            "INSERT INTO setting (name, value) VALUES ($1, $2) \
             ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            &[&name, &value],
            operation,
        )?;
        Ok(())
    }
}

impl Store for PostgresStore {
    fn location(&self) -> String {
        self.location.clone()
    }

    fn add_owner(&self, owner: &NewOwner, audit: &NewAudit) -> Result<Owner, StoreError> {
        self.write("added an owner", |tx| self.insert_owner(tx, owner, audit))
    }

    fn add_first_owner(&self, owner: &NewOwner, audit: &NewAudit) -> Result<Owner, StoreError> {
        self.write("added the first owner", |tx| {
            let existing =
                self.optional(tx, "SELECT name FROM owner ORDER BY id LIMIT 1", &[], |r| {
                    super::get::<String>(r, 0)
                })?;
            if let Some(existing) = existing {
                return Err(StoreError::AlreadyExists {
                    entity: "an owner",
                    key: existing,
                });
            }
            self.insert_owner(tx, owner, audit)
        })
    }

    fn owner(&self, name: &str) -> Result<Owner, StoreError> {
        let sql = format!("{OWNER_SELECT} WHERE lower(name) = lower($1)");
        self.read(|tx| self.one(tx, &sql, &[&name], rows::owner, ("owner", name)))
    }

    fn owner_by_id(&self, id: OwnerId) -> Result<Owner, StoreError> {
        self.read(|tx| self.owner_with_id(tx, id))
    }

    fn owners(&self) -> Result<Vec<Owner>, StoreError> {
        let sql = format!("{OWNER_SELECT} ORDER BY lower(name)");
        self.read(|tx| self.list(tx, &sql, &[], rows::owner))
    }

    fn update_owner(
        &self,
        id: OwnerId,
        update: &OwnerUpdate,
        audit: &NewAudit,
    ) -> Result<Owner, StoreError> {
        self.write("changed an owner", |tx| {
            self.authorize(tx, audit, None)?;
            let mut owner = self.owner_with_id(tx, id)?;
            if let Some(name) = &update.name {
                owner.name = name.clone();
            }
            if let Some(email) = &update.email {
                owner.email = email.clone();
            }
            if let Some(admin) = update.admin {
                owner.admin = admin;
            }
            tx.execute(
                "UPDATE owner SET name = $2, email = $3, admin = $4 WHERE id = $1",
                &[&id.0, &owner.name.as_str(), &owner.email, &owner.admin],
            )
            .map_err(|e| self.unique(e, "changed an owner", "owner", owner.name.as_str()))?;
            let admins: i64 = self.one(
                tx,
                "SELECT count(*) FROM owner WHERE admin",
                &[],
                |r| super::get(r, 0),
                ("admins", ""),
            )?;
            if admins == 0 {
                return Err(StoreError::LastAdmin {
                    owner: owner.name.to_string(),
                });
            }
            self.append_audit(tx, audit, None)?;
            Ok(owner.clone())
        })
    }

    fn remember_owner(&self, client: &str, owner: OwnerId) -> Result<(), StoreError> {
        self.write("remembered the owner of a client", |tx| {
            self.owner_with_id(tx, owner)?;
            let now = Timestamp::now().0;
            self.execute(
                tx,
                "INSERT INTO client_owner (client, owner_id, chosen_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (client) DO UPDATE SET owner_id = $2, chosen_at = $3",
                &[&client, &owner.0, &now],
                "remembered the owner of a client",
            )?;
            self.execute(
                tx,
                "UPDATE owner SET client = $2 WHERE id = $1",
                &[&owner.0, &client],
                "remembered the owner of a client",
            )?;
            Ok(())
        })
    }

    fn remembered_owner(&self, client: &str) -> Result<Option<Owner>, StoreError> {
        self.read(|tx| {
            let id = self.optional(
                tx,
                "SELECT owner_id FROM client_owner WHERE client = $1",
                &[&client],
                |r| super::get::<i64>(r, 0),
            )?;
            id.map(|id| self.owner_with_id(tx, OwnerId(id))).transpose()
        })
    }

    fn add_token(
        &self,
        token: &crate::model::NewToken,
        audit: &NewAudit,
    ) -> Result<crate::model::OwnerToken, StoreError> {
        self.insert_token(token, audit)
    }

    fn tokens(&self, owner: OwnerId) -> Result<Vec<crate::model::OwnerToken>, StoreError> {
        self.list_tokens(owner)
    }

    fn token_by_hash(&self, hash: &str) -> Result<crate::model::OwnerToken, StoreError> {
        self.find_token(hash)
    }

    fn revoke_token(
        &self,
        owner: OwnerId,
        name: &str,
        audit: &NewAudit,
    ) -> Result<crate::model::OwnerToken, StoreError> {
        self.set_token_revoked(owner, name, audit)
    }

    fn add_group(&self, name: &Name, audit: &NewAudit) -> Result<Group, StoreError> {
        self.write("made a group", |tx| {
            self.authorize(tx, audit, None)?;
            let id: i64 = tx
                .query_one(
                    "INSERT INTO owner_group (name, created_at) VALUES ($1, $2) RETURNING id",
                    &[&name.as_str(), &Timestamp::now().0],
                )
                .and_then(|r| r.try_get(0))
                .map_err(|e| self.unique(e, "made a group", "group", name.as_str()))?;
            self.append_audit(tx, audit, None)?;
            self.group_by_id(tx, GroupId(id))
        })
    }

    fn group(&self, name: &str) -> Result<Group, StoreError> {
        let sql = format!("{GROUP_SELECT} WHERE lower(g.name) = lower($1)");
        self.read(|tx| self.one(tx, &sql, &[&name], rows::group, ("group", name)))
    }

    fn groups(&self) -> Result<Vec<Group>, StoreError> {
        let sql = format!("{GROUP_SELECT} ORDER BY lower(g.name)");
        self.read(|tx| self.list(tx, &sql, &[], rows::group))
    }

    fn set_membership(
        &self,
        group: GroupId,
        owner: OwnerId,
        member: bool,
        audit: &NewAudit,
    ) -> Result<Group, StoreError> {
        self.write("changed a group's members", |tx| {
            self.authorize(tx, audit, None)?;
            self.group_by_id(tx, group)?;
            self.owner_with_id(tx, owner)?;
            let sql = if member {
                "INSERT INTO group_member (group_id, owner_id) VALUES ($1, $2) \
                 ON CONFLICT DO NOTHING"
            } else {
                "DELETE FROM group_member WHERE group_id = $1 AND owner_id = $2"
            };
            self.execute(tx, sql, &[&group.0, &owner.0], "changed a group's members")?;
            self.append_audit(tx, audit, None)?;
            self.group_by_id(tx, group)
        })
    }

    fn groups_of(&self, owner: OwnerId) -> Result<Vec<GroupId>, StoreError> {
        self.read(|tx| self.groups_with(tx, owner))
    }

    fn default_mode(&self) -> Result<Mode, StoreError> {
        let bits = self.read(|tx| self.setting_in(tx, DEFAULT_MODE))?;
        match bits {
            None => Ok(Mode::PRIVATE),
            Some(bits) => bits
                .parse()
                .map(Mode::from_bits)
                .map_err(|_| StoreError::Corrupt {
                    what: "default mode",
                    detail: format!("`{bits}` is not a number"),
                }),
        }
    }

    fn set_default_mode(&self, mode: Mode, audit: &NewAudit) -> Result<(), StoreError> {
        self.write("changed the default mode", |tx| {
            self.authorize(tx, audit, None)?;
            let bits = mode.to_bits().to_string();
            self.put_setting(tx, DEFAULT_MODE, &bits, "changed the default mode")?;
            self.append_audit(tx, audit, None)
        })
    }

    fn setting(&self, name: &str) -> Result<Option<String>, StoreError> {
        self.read(|tx| self.setting_in(tx, name))
    }

    fn set_setting(
        &self,
        name: &str,
        value: Option<&str>,
        audit: &NewAudit,
    ) -> Result<(), StoreError> {
        self.write("changed a setting", |tx| {
            self.authorize(tx, audit, None)?;
            match value {
                Some(value) => self.put_setting(tx, name, value, "changed a setting")?,
                None => {
                    self.execute(
                        tx,
                        "DELETE FROM setting WHERE name = $1",
                        &[&name],
                        "changed a setting",
                    )?;
                }
            }
            self.append_audit(tx, audit, None)
        })
    }

    fn create_project(
        &self,
        project: &NewProject,
        first: &NewRevision,
        audit: &NewAudit,
    ) -> Result<Project, StoreError> {
        let dir = path_text(&project.dir)?;
        self.write("created a project", |tx| {
            self.authorize(tx, audit, None)?;
            let id: i64 = tx
                .query_one(
                    "INSERT INTO project (name, dir, release, owner_id, group_id, mode, \
                     created_at, head) VALUES ($1, $2, $3, $4, $5, $6, $7, 1) RETURNING id",
                    &[
                        &project.name.as_str(),
                        &dir,
                        &project.release.name(),
                        &project.owner.0,
                        &project.group.map(|g| g.0),
                        &project.mode.to_bits(),
                        &Timestamp::now().0,
                    ],
                )
                .and_then(|r| r.try_get(0))
                .map_err(|e| match classify(&e) {
                    Failure::Unique(constraint) if constraint == "project_dir_key" => {
                        self.unique(e, "created a project", "project directory", dir)
                    }
                    _ => self.unique(e, "created a project", "project", project.name.as_str()),
                })?;
            let id = ProjectId(id);
            self.insert_revision(tx, id, RevisionNumber::FIRST, first)?;
            self.append_audit(tx, audit, Some(id))?;
            self.project_by_id(tx, id)
        })
    }

    fn project(&self, name: &str) -> Result<Project, StoreError> {
        let sql = format!("{PROJECT_SELECT} WHERE lower(p.name) = lower($1)");
        self.read(|tx| self.one(tx, &sql, &[&name], rows::project, ("project", name)))
    }

    fn projects(&self) -> Result<Vec<Project>, StoreError> {
        let sql = format!("{PROJECT_SELECT} ORDER BY lower(p.name)");
        self.read(|tx| self.list(tx, &sql, &[], rows::project))
    }

    fn delete_project(&self, id: ProjectId, audit: &NewAudit) -> Result<(), StoreError> {
        self.write("deleted a project", |tx| {
            self.authorize(tx, audit, Some(id))?;
            let deleted = self.execute(
                tx,
                "DELETE FROM project WHERE id = $1",
                &[&id.0],
                "deleted a project",
            )?;
            if deleted == 0 {
                return Err(StoreError::NotFound {
                    entity: "project",
                    key: id.to_string(),
                });
            }
            self.append_audit(tx, audit, Some(id))
        })
    }

    fn set_access(
        &self,
        project: ProjectId,
        expected: &ProjectAccess,
        access: &ProjectAccess,
        audit: &NewAudit,
    ) -> Result<Project, StoreError> {
        self.write("changed a project's permissions", |tx| {
            self.authorize(tx, audit, Some(project))?;
            let changed = self.execute(
                tx,
                "UPDATE project SET owner_id = $2, group_id = $3, mode = $4 \
                 WHERE id = $1 AND owner_id = $5 AND group_id IS NOT DISTINCT FROM $6 \
                 AND mode = $7",
                &[
                    &project.0,
                    &access.owner.0,
                    &access.group.map(|g| g.0),
                    &access.mode.to_bits(),
                    &expected.owner.0,
                    &expected.group.map(|g| g.0),
                    &expected.mode.to_bits(),
                ],
                "changed a project's permissions",
            )?;
            if changed == 0 {
                // Gone, or changed since the caller read it.
                self.project_by_id(tx, project)?;
                return Err(StoreError::Changed {
                    entity: "project",
                    key: project.to_string(),
                });
            }
            self.append_audit(tx, audit, Some(project))?;
            self.project_by_id(tx, project)
        })
    }

    fn commit_revision(
        &self,
        project: ProjectId,
        base: RevisionNumber,
        revision: &NewRevision,
        audit: &NewAudit,
    ) -> Result<Revision, StoreError> {
        self.write("committed a configuration revision", |tx| {
            self.authorize(tx, audit, Some(project))?;
            let next = base.next();
            let moved = self.execute(
                tx,
                "UPDATE project SET head = $3 WHERE id = $1 AND head = $2",
                &[&project.0, &i64::from(base.0), &i64::from(next.0)],
                "committed a configuration revision",
            )?;
            if moved == 0 {
                let head = self.optional(
                    tx,
                    "SELECT head FROM project WHERE id = $1",
                    &[&project.0],
                    |r| rows::count(r, 0),
                )?;
                return Err(match head {
                    Some(head) => StoreError::Conflict {
                        project,
                        base,
                        head: RevisionNumber(head),
                    },
                    None => StoreError::NotFound {
                        entity: "project",
                        key: project.to_string(),
                    },
                });
            }
            let committed = self.insert_revision(tx, project, next, revision)?;
            self.append_audit(tx, audit, Some(project))?;
            Ok(committed)
        })
    }

    fn revision(&self, project: ProjectId, number: RevisionNumber) -> Result<Revision, StoreError> {
        let sql = format!("{REVISION_SELECT} WHERE r.project_id = $1 AND r.number = $2");
        let key = format!("{number} of project {project}");
        self.read(|tx| {
            self.one(
                tx,
                &sql,
                &[&project.0, &i64::from(number.0)],
                rows::revision,
                ("revision", &key),
            )
        })
    }

    fn history(&self, project: ProjectId) -> Result<Vec<Revision>, StoreError> {
        let sql = format!("{REVISION_SELECT} WHERE r.project_id = $1 ORDER BY r.number");
        self.read(|tx| self.list(tx, &sql, &[&project.0], rows::revision))
    }

    fn record_audit(&self, entry: &NewAudit, project: Option<ProjectId>) -> Result<(), StoreError> {
        self.append_audit_alone(entry, project)
    }

    fn audit(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>, StoreError> {
        self.read_audit(filter)
    }

    fn start_build(&self, build: &NewBuild, audit: &NewAudit) -> Result<Build, StoreError> {
        self.start_build_tx(build, audit)
    }

    fn build(&self, id: BuildId) -> Result<Build, StoreError> {
        self.read(|tx| self.build_in(tx, id))
    }

    fn builds(&self, filter: &BuildFilter) -> Result<Vec<Build>, StoreError> {
        self.list_builds(filter)
    }

    fn record(&self, build: BuildId, writes: &[BuildWrite]) -> Result<(), StoreError> {
        self.record_batch(build, writes)
    }

    fn next_task_order(&self, build: BuildId) -> Result<u32, StoreError> {
        self.read(|tx| {
            self.one(
                tx,
                "SELECT coalesce(max(position), 0) + 1 FROM task WHERE build_id = $1",
                &[&build.0],
                |r| rows::count(r, 0),
                ("build", &build.to_string()),
            )
        })
    }

    fn tasks(&self, build: BuildId, filter: &TaskFilter) -> Result<Vec<Task>, StoreError> {
        self.list_tasks(build, filter)
    }

    fn task_dependencies(&self, build: BuildId) -> Result<Vec<TaskEdge>, StoreError> {
        self.read_task_dependencies(build)
    }

    fn recipe_dependencies(&self, build: BuildId) -> Result<Vec<RecipeEdge>, StoreError> {
        self.read_recipe_dependencies(build)
    }

    fn providers(&self, build: BuildId) -> Result<Vec<Provider>, StoreError> {
        self.read_providers(build)
    }

    fn variables(&self, build: BuildId) -> Result<Vec<crate::model::BuildVariable>, StoreError> {
        self.read_variables(build)
    }

    fn variable_history(
        &self,
        build: BuildId,
        name: &str,
    ) -> Result<Vec<crate::model::VariableChange>, StoreError> {
        self.read_variable_history(build, name)
    }

    fn recipes(&self, build: BuildId) -> Result<Vec<RecipeRecord>, StoreError> {
        self.read_recipes(build)
    }

    fn package_files(
        &self,
        build: BuildId,
        package: Option<&str>,
    ) -> Result<Vec<(String, crate::model::PackageFile)>, StoreError> {
        self.read_package_files(build, package)
    }

    fn image_packages(
        &self,
        build: BuildId,
    ) -> Result<Vec<(String, crate::model::InstalledPackage)>, StoreError> {
        self.read_image_packages(build)
    }

    fn image_files(
        &self,
        build: BuildId,
        target: &str,
    ) -> Result<Vec<crate::model::ImageFile>, StoreError> {
        self.read_image_files(build, target)
    }

    fn images(&self, build: BuildId) -> Result<Vec<crate::model::ImageSummary>, StoreError> {
        self.read_images(build)
    }

    fn packages(&self, build: BuildId) -> Result<Vec<PackageRecord>, StoreError> {
        self.read_packages(build)
    }

    fn log_messages(
        &self,
        build: BuildId,
        min_level: LogLevel,
    ) -> Result<Vec<LogRecord>, StoreError> {
        self.read_logs(build, min_level)
    }

    fn artifacts(&self, build: BuildId) -> Result<Vec<ArtifactRecord>, StoreError> {
        self.read_artifacts(build)
    }

    fn record_artifacts(
        &self,
        build: BuildId,
        artifacts: &[ArtifactRecord],
    ) -> Result<(), StoreError> {
        self.add_artifacts(build, artifacts)
    }

    fn set_build_archive(
        &self,
        build: BuildId,
        archive: Option<&BuildArchive>,
        audit: &NewAudit,
    ) -> Result<Build, StoreError> {
        self.archive_build(build, archive, audit)
    }

    fn unarchived_builds(
        &self,
        ended_before: Timestamp,
        project: Option<ProjectId>,
    ) -> Result<Vec<BuildId>, StoreError> {
        self.unarchived(ended_before, project)
    }

    fn import_build(
        &self,
        build: &NewBuild,
        record: &ImportedRecord,
        audit: &NewAudit,
    ) -> Result<Build, StoreError> {
        self.import(build, record, audit)
    }

    fn task_counts(&self, build: BuildId) -> Result<Vec<(Option<TaskOutcome>, u32)>, StoreError> {
        self.count_tasks(build)
    }

    fn set_build_hidden(
        &self,
        build: BuildId,
        hidden: bool,
        audit: &NewAudit,
    ) -> Result<Build, StoreError> {
        self.hide_build(build, hidden, audit)
    }

    fn set_build_log(&self, build: BuildId, path: &Path) -> Result<Build, StoreError> {
        self.name_build_log(build, path)
    }

    fn set_build_origin(&self, build: BuildId, origin: &str) -> Result<Build, StoreError> {
        self.name_build_origin(build, origin)
    }

    fn delete_build(&self, build: BuildId, audit: &NewAudit) -> Result<(), StoreError> {
        self.remove_build(build, audit)
    }

    fn interrupt_silent_builds(&self, since: Timestamp) -> Result<Vec<BuildId>, StoreError> {
        self.interrupt_silent(since)
    }

    fn claim_build(&self, claim: &ClaimRequest) -> Result<Option<Build>, StoreError> {
        self.claim_next(claim)
    }

    fn renew_lease(
        &self,
        build: BuildId,
        runner: &RunnerId,
        lease_until: Timestamp,
    ) -> Result<Build, StoreError> {
        self.renew(build, runner, lease_until)
    }

    fn release_claim(&self, build: BuildId, runner: &RunnerId) -> Result<Build, StoreError> {
        self.release(build, runner)
    }

    fn request_cancel(&self, build: BuildId, audit: &NewAudit) -> Result<Build, StoreError> {
        self.cancel(build, audit)
    }

    fn expire_claims(&self, now: Timestamp) -> Result<Vec<BuildId>, StoreError> {
        self.expire(now)
    }

    fn clock(&self) -> Result<Timestamp, StoreError> {
        self.server_clock.now(|| self.read(|tx| self.clock(tx)))
    }

    fn register_runner(&self, runner: &RunnerRegistration) -> Result<RegisteredRunner, StoreError> {
        self.insert_runner(runner)
    }

    fn runner_alive(&self, runner: &RunnerId) -> Result<RegisteredRunner, StoreError> {
        self.touch_runner(runner)
    }

    fn unregister_runner(&self, runner: &RunnerId) -> Result<(), StoreError> {
        self.remove_runner(runner)
    }

    fn runners(&self) -> Result<(Timestamp, Vec<RegisteredRunner>), StoreError> {
        self.list_runners()
    }

    fn deliveries(&self, build: BuildId) -> Result<Vec<Delivery>, StoreError> {
        self.read_deliveries(build)
    }

    fn claim_delivery(&self, claim: &DeliveryClaim) -> Result<Option<Delivery>, StoreError> {
        self.claim_next_delivery(claim)
    }

    fn record_attempt(
        &self,
        delivery: DeliveryId,
        attempt: &Attempt,
        next: NextAttempt,
    ) -> Result<Delivery, StoreError> {
        self.add_attempt(delivery, attempt, next)
    }

    fn next_delivery_due(&self, build: Option<BuildId>) -> Result<Option<Timestamp>, StoreError> {
        self.next_due(build)
    }
}
