//! Builds on PostgreSQL: starting (or queueing), reading back, hiding and deleting.

use std::path::{Path, PathBuf};

use super::transaction::Tx;
use postgres::types::ToSql;

use super::driver::{Failure, classify};
use super::rows::{self, BUILD_SELECT, TASK_COLUMNS};
use super::{PostgresStore, get};
use crate::model::{
    ArtifactKind, ArtifactRecord, Build, BuildFilter, BuildId, BuildLayer, DependencyKind,
    LogLevel, LogRecord, NewAudit, NewBuild, PackageRecord, ProjectId, Provider, RecipeEdge,
    RecipeRecord, Task, TaskEdge, TaskFilter, TaskName, TaskOutcome, Timestamp, Visibility,
};
use crate::store::sqlite::rows::{name, path_text};
use crate::store::{StoreError, lifecycle};

impl PostgresStore {
    pub(super) fn build_in(&self, tx: &mut Tx<'_>, id: BuildId) -> Result<Build, StoreError> {
        let sql = format!("{BUILD_SELECT} WHERE b.id = $1");
        let mut build = self.one(tx, &sql, &[&id.0], rows::build, ("build", &id.to_string()))?;
        build.layers = self.layers_of(tx, id)?;
        Ok(build)
    }

    fn layers_of(&self, tx: &mut Tx<'_>, id: BuildId) -> Result<Vec<BuildLayer>, StoreError> {
        let sql = "SELECT name, source, reference, git_commit FROM build_layer \
                   WHERE build_id = $1 ORDER BY position";
        self.list(tx, sql, &[&id.0], |r| {
            Ok(BuildLayer {
                name: get(r, 0)?,
                source: get(r, 1)?,
                reference: get(r, 2)?,
                commit: get(r, 3)?,
            })
        })
    }

    pub(super) fn start_build_tx(
        &self,
        build: &NewBuild,
        audit: &NewAudit,
    ) -> Result<Build, StoreError> {
        self.write("started a build", |tx| {
            let verb = if build.requested { "queued" } else { "started" };
            let id = self.insert_build(tx, build, audit, verb)?;
            self.build_in(tx, id)
        })
    }

    /// Inserts `build` with its targets and layers, and its audit entry (detail prefixed
    /// with `verb build N: `), after checking the entry's right.
    pub(super) fn insert_build(
        &self,
        tx: &mut Tx<'_>,
        build: &NewBuild,
        audit: &NewAudit,
        verb: &str,
    ) -> Result<BuildId, StoreError> {
        let build_dir = path_text(&build.build_dir)?;
        let log_dir = path_text(&build.log_dir)?;
        self.authorize(tx, audit, Some(build.project))?;
        let now = self.clock(tx)?.0;
        let id: i64 = tx
            .query_one(
                "INSERT INTO build (project_id, revision, owner_id, client, host, build_dir, \
                 log_path, machine, distro, state, started_at, heartbeat_at, requested, run_on) \
                 VALUES ($1, $2, $3, $4, $5, $6, 'pending:' || gen_random_uuid(), $7, $8, $9, \
                 $10, $11, $12, $13) RETURNING id",
                &[
                    &build.project.0,
                    &i64::from(build.revision.0),
                    &build.owner.0,
                    &build.client,
                    &build.host,
                    &build_dir,
                    &build.machine,
                    &build.distro,
                    &build.state.as_str(),
                    &build.started_at.0,
                    &now,
                    &build.requested,
                    &build.run_on,
                ],
            )
            .and_then(|r| r.try_get(0))
            .map_err(|e| match classify(&e) {
                // The project was deleted after the caller looked it up.
                Failure::ForeignKey => StoreError::NotFound {
                    entity: "project",
                    key: build.project.to_string(),
                },
                _ => self.err(e, "started a build"),
            })?;
        let log_path = PathBuf::from(&log_dir).join(format!("build-{id}.log"));
        let log_path = path_text(&log_path)?;
        self.execute(
            tx,
            "UPDATE build SET log_path = $2 WHERE id = $1",
            &[&id, &log_path],
            "named a build's log",
        )?;
        for (position, target) in build.targets.iter().enumerate() {
            self.execute(
                tx,
                "INSERT INTO build_target (build_id, position, recipe, task) \
                 VALUES ($1, $2, $3, $4)",
                &[&id, &(position as i64), &target.recipe, &target.task],
                "pinned a build's targets",
            )?;
        }
        for (position, layer) in build.layers.iter().enumerate() {
            self.execute(
                tx,
                "INSERT INTO build_layer (build_id, position, name, source, reference, \
                 git_commit) VALUES ($1, $2, $3, $4, $5, $6)",
                &[
                    &id,
                    &(position as i64),
                    &layer.name,
                    &layer.source,
                    &layer.reference,
                    &layer.commit,
                ],
                "pinned a build's layers",
            )?;
        }
        let project = self.project_name_of(tx, build.project)?;
        let entry = lifecycle::started_entry(audit, verb, id, project);
        self.append_audit(tx, &entry, Some(build.project))?;
        Ok(BuildId(id))
    }

    fn project_name_of(
        &self,
        tx: &mut Tx<'_>,
        project: ProjectId,
    ) -> Result<crate::model::Name, StoreError> {
        let found: String = self.one(
            tx,
            "SELECT name FROM project WHERE id = $1",
            &[&project.0],
            |r| get(r, 0),
            ("project", &project.to_string()),
        )?;
        name(found)
    }

    pub(super) fn list_builds(&self, filter: &BuildFilter) -> Result<Vec<Build>, StoreError> {
        let mut conditions = Vec::new();
        let projects: Vec<i64> = filter.projects.iter().flatten().map(|p| p.0).collect();
        let mut params: Vec<&(dyn ToSql + Sync)> = Vec::new();
        if filter.projects.is_some() {
            params.push(&projects);
            conditions.push("b.project_id = ANY($1)".to_owned());
        }
        match filter.visibility {
            Visibility::Visible => conditions.push("NOT b.hidden".to_owned()),
            Visibility::Hidden => conditions.push("b.hidden".to_owned()),
            Visibility::All => {}
        }
        let mut sql = BUILD_SELECT.to_owned();
        if !conditions.is_empty() {
            sql.push_str(" WHERE ");
            sql.push_str(&conditions.join(" AND "));
        }
        sql.push_str(&format!(
            " ORDER BY b.id DESC LIMIT {} OFFSET {}",
            filter.limit, filter.offset
        ));
        self.read(|tx| {
            let mut builds = self.list(tx, &sql, &params, rows::build)?;
            for build in &mut builds {
                build.layers = self.layers_of(tx, build.id)?;
            }
            Ok(builds)
        })
    }

    pub(super) fn list_tasks(
        &self,
        build: BuildId,
        filter: &TaskFilter,
    ) -> Result<Vec<Task>, StoreError> {
        let mut conditions = vec!["build_id = $1".to_owned()];
        let outcome = match filter.outcome {
            Some(Some(outcome)) => Some(outcome.as_str()),
            _ => None,
        };
        let mut params: Vec<&(dyn ToSql + Sync)> = vec![&build.0];
        if let Some(outcome) = &outcome {
            params.push(outcome);
            conditions.push(format!("outcome = ${}", params.len()));
        } else if filter.outcome == Some(None) {
            conditions.push("outcome IS NULL".to_owned());
        }
        if let Some(recipe) = &filter.recipe {
            params.push(recipe);
            conditions.push(format!("recipe = ${}", params.len()));
        }
        let order = if filter.by_elapsed {
            "(ended_at - started_at) DESC NULLS LAST, position"
        } else {
            "position NULLS LAST, id"
        };
        let sql = format!(
            "SELECT {TASK_COLUMNS} FROM task WHERE {} ORDER BY {order} LIMIT {} OFFSET {}",
            conditions.join(" AND "),
            filter.limit,
            filter.offset
        );
        self.read(|tx| self.list(tx, &sql, &params, rows::task))
    }

    pub(super) fn read_task_dependencies(
        &self,
        build: BuildId,
    ) -> Result<Vec<TaskEdge>, StoreError> {
        let sql = "SELECT recipe, task, dep_recipe, dep_task FROM task_dependency \
                   WHERE build_id = $1 ORDER BY recipe, task, dep_recipe, dep_task";
        self.read(|tx| {
            self.list(tx, sql, &[&build.0], |r| {
                Ok(TaskEdge {
                    task: TaskName::new(get::<String>(r, 0)?, get::<String>(r, 1)?),
                    depends_on: TaskName::new(get::<String>(r, 2)?, get::<String>(r, 3)?),
                })
            })
        })
    }

    pub(super) fn read_recipes(&self, build: BuildId) -> Result<Vec<RecipeRecord>, StoreError> {
        let sql = "SELECT r.name, r.version, r.layer, r.file, r.licence, r.summary, r.section, \
                   r.homepage FROM build_recipe b JOIN recipe r ON r.id = b.recipe_id \
                   WHERE b.build_id = $1 ORDER BY r.name, r.version";
        self.read(|tx| {
            self.list(tx, sql, &[&build.0], |r| {
                Ok(RecipeRecord {
                    name: get(r, 0)?,
                    version: get(r, 1)?,
                    layer: get(r, 2)?,
                    file: get(r, 3)?,
                    licence: get(r, 4)?,
                    summary: get(r, 5)?,
                    section: get(r, 6)?,
                    homepage: get(r, 7)?,
                })
            })
        })
    }

    pub(super) fn read_recipe_dependencies(
        &self,
        build: BuildId,
    ) -> Result<Vec<RecipeEdge>, StoreError> {
        let sql = "SELECT recipe, dep_recipe, kind, via FROM recipe_dependency \
                   WHERE build_id = $1 ORDER BY recipe, dep_recipe, kind";
        self.read(|tx| {
            self.list(tx, sql, &[&build.0], |r| {
                let kind: String = get(r, 2)?;
                Ok(RecipeEdge {
                    recipe: get(r, 0)?,
                    depends_on: get(r, 1)?,
                    kind: DependencyKind::parse(&kind).map_err(|e| StoreError::Corrupt {
                        what: "recipe dependency kind",
                        detail: e.to_string(),
                    })?,
                    via: get(r, 3)?,
                })
            })
        })
    }

    pub(super) fn read_providers(&self, build: BuildId) -> Result<Vec<Provider>, StoreError> {
        let sql = "SELECT name, recipe FROM provider WHERE build_id = $1 ORDER BY name";
        self.read(|tx| {
            self.list(tx, sql, &[&build.0], |r| {
                Ok(Provider {
                    name: get(r, 0)?,
                    recipe: get(r, 1)?,
                })
            })
        })
    }

    pub(super) fn read_packages(&self, build: BuildId) -> Result<Vec<PackageRecord>, StoreError> {
        let sql = "SELECT p.name, p.version, p.size, p.recipe, \
                   (SELECT string_agg(name, ' ' ORDER BY name) FROM package_dependency \
                     WHERE package_id = p.id) \
                   FROM package p WHERE p.build_id = $1 ORDER BY p.id";
        self.read(|tx| {
            let relations = self.relations_in(tx, build)?;
            let rows = self.list(tx, sql, &[&build.0], |r| {
                Ok((get(r, 0)?, get(r, 1)?, get(r, 2)?, get(r, 3)?, get(r, 4)?))
            })?;
            Ok(crate::store::contents::packages(rows, relations))
        })
    }

    pub(super) fn read_logs(
        &self,
        build: BuildId,
        min_level: LogLevel,
    ) -> Result<Vec<LogRecord>, StoreError> {
        let levels: Vec<&str> = LogLevel::ALL
            .iter()
            .filter(|l| **l >= min_level)
            .map(|l| l.as_str())
            .collect();
        let sql = "SELECT level, text, task, file, line, at FROM log_message \
                   WHERE build_id = $1 AND level = ANY($2) ORDER BY id";
        self.read(|tx| {
            self.list(tx, sql, &[&build.0, &levels], |r| {
                let level: String = get(r, 0)?;
                Ok(LogRecord {
                    level: LogLevel::parse(&level).map_err(|e| StoreError::Corrupt {
                        what: "log level",
                        detail: e.to_string(),
                    })?,
                    text: get(r, 1)?,
                    task: get(r, 2)?,
                    file: get(r, 3)?,
                    line: rows::count_opt(r, 4)?,
                    at: get::<Option<i64>>(r, 5)?.map(Timestamp),
                })
            })
        })
    }

    pub(super) fn read_artifacts(&self, build: BuildId) -> Result<Vec<ArtifactRecord>, StoreError> {
        let sql = "SELECT kind, name, dir, path, size, sha256 FROM artifact \
                   WHERE build_id = $1 ORDER BY id";
        self.read(|tx| {
            self.list(tx, sql, &[&build.0], |r| {
                let kind: String = get(r, 0)?;
                Ok(ArtifactRecord {
                    kind: ArtifactKind::parse(&kind).map_err(|e| StoreError::Corrupt {
                        what: "artifact kind",
                        detail: e.to_string(),
                    })?,
                    name: get(r, 1)?,
                    dir: get(r, 2)?,
                    path: get(r, 3)?,
                    size: u64::try_from(get::<i64>(r, 4)?).unwrap_or(0),
                    sha256: get(r, 5)?,
                })
            })
        })
    }

    pub(super) fn count_tasks(
        &self,
        build: BuildId,
    ) -> Result<Vec<(Option<TaskOutcome>, u32)>, StoreError> {
        let sql = "SELECT outcome, count(*) FROM task WHERE build_id = $1 \
                   GROUP BY outcome ORDER BY outcome NULLS FIRST";
        self.read(|tx| {
            self.list(tx, sql, &[&build.0], |r| {
                let outcome: Option<String> = get(r, 0)?;
                Ok((
                    outcome
                        .map(|o| TaskOutcome::parse(&o))
                        .transpose()
                        .map_err(|e| StoreError::Corrupt {
                            what: "task outcome",
                            detail: e.to_string(),
                        })?,
                    rows::count(r, 1)?,
                ))
            })
        })
    }

    pub(super) fn hide_build(
        &self,
        build: BuildId,
        hidden: bool,
        audit: &NewAudit,
    ) -> Result<Build, StoreError> {
        self.write("hid a build", |tx| {
            let current = self.build_in(tx, build)?;
            self.authorize(tx, audit, Some(current.project))?;
            self.execute(
                tx,
                "UPDATE build SET hidden = $2 WHERE id = $1",
                &[&build.0, &hidden],
                "hid a build",
            )?;
            self.append_audit(tx, audit, Some(current.project))?;
            self.build_in(tx, build)
        })
    }

    pub(super) fn name_build_log(&self, build: BuildId, path: &Path) -> Result<Build, StoreError> {
        let text = path_text(path)?;
        self.write("named a build's log", |tx| {
            self.build_in(tx, build)?;
            tx.execute(
                "UPDATE build SET log_path = $2, log_written = TRUE WHERE id = $1",
                &[&build.0, &text],
            )
            .map_err(|e| self.unique(e, "named a build's log", "build log", text))?;
            self.build_in(tx, build)
        })
    }

    pub(super) fn name_build_origin(
        &self,
        build: BuildId,
        origin: &str,
    ) -> Result<Build, StoreError> {
        self.write("named a build's origin", |tx| {
            self.build_in(tx, build)?;
            self.execute(
                tx,
                "UPDATE build SET origin = $2 WHERE id = $1",
                &[&build.0, &origin],
                "named a build's origin",
            )?;
            self.build_in(tx, build)
        })
    }

    pub(super) fn remove_build(&self, build: BuildId, audit: &NewAudit) -> Result<(), StoreError> {
        self.write("deleted a build", |tx| {
            let current = self.build_in(tx, build)?;
            self.authorize(tx, audit, Some(current.project))?;
            let recipes = self.list(
                tx,
                "SELECT recipe_id FROM build_recipe WHERE build_id = $1",
                &[&build.0],
                |r| get::<i64>(r, 0),
            )?;
            self.execute(
                tx,
                "DELETE FROM build WHERE id = $1",
                &[&build.0],
                "deleted a build",
            )?;
            // Recipes are shared: remove those no other build uses any more.
            self.execute(
                tx,
                "DELETE FROM recipe WHERE id = ANY($1) \
                 AND NOT EXISTS (SELECT 1 FROM build_recipe WHERE recipe_id = recipe.id)",
                &[&recipes],
                "deleted a build's recipes",
            )?;
            self.append_audit(tx, audit, Some(current.project))
        })
    }
}
