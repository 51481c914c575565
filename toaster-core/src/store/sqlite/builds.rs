//! Builds on SQLite: starting (or queueing), reading back, hiding and deleting.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rusqlite::types::Value;
use rusqlite::{Connection, Transaction, params, params_from_iter};

use super::SqliteStore;
use super::driver::is_foreign_key_violation;
use super::rows::{self, BUILD_SELECT, path_text};
use crate::model::{
    ArtifactKind, ArtifactRecord, Build, BuildFilter, BuildId, BuildLayer, DependencyKind,
    LogLevel, LogRecord, NewAudit, NewBuild, PackageRecord, Provider, RecipeEdge, RecipeRecord,
    Task, TaskEdge, TaskFilter, TaskName, TaskOutcome, Timestamp, Visibility,
};
use crate::store::{StoreError, lifecycle};

impl SqliteStore {
    pub(super) fn build_in(&self, conn: &Connection, id: BuildId) -> Result<Build, StoreError> {
        let sql = format!("{BUILD_SELECT} WHERE b.id = ?1");
        let mut build = self.one(conn, &sql, [id.0], rows::build, ("build", &id.to_string()))?;
        build.layers = self.layers_of(conn, id)?;
        Ok(build)
    }

    fn layers_of(&self, conn: &Connection, id: BuildId) -> Result<Vec<BuildLayer>, StoreError> {
        let sql = "SELECT build_id, name, source, reference, git_commit FROM build_layer \
                   WHERE build_id = ?1 ORDER BY position";
        let layers = self.list(conn, sql, [id.0], build_layer)?;
        Ok(layers.into_iter().map(|(_, layer)| layer).collect())
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
        tx: &Transaction<'_>,
        build: &NewBuild,
        audit: &NewAudit,
        verb: &str,
    ) -> Result<BuildId, StoreError> {
        let build_dir = path_text(&build.build_dir)?;
        let log_dir = path_text(&build.log_dir)?;
        self.authorize(tx, audit, Some(build.project))?;
        let now = Timestamp::now().0;
        let started = build.started_at.0;
        let id = tx
            .prepare_cached(
                "INSERT INTO build (project_id, revision, owner_id, client, host, build_dir, \
                 log_path, machine, distro, state, started_at, heartbeat_at, requested, run_on) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'pending:' || hex(randomblob(16)), ?7, ?8, ?9, \
                 ?10, ?11, ?12, ?13)",
            )
            .and_then(|mut s| {
                s.insert(params![
                    build.project.0,
                    build.revision.0,
                    build.owner.0,
                    build.client,
                    build.host,
                    build_dir,
                    build.machine,
                    build.distro,
                    build.state.as_str(),
                    started,
                    now,
                    build.requested,
                    build.run_on
                ])
            })
            .map_err(|e| {
                if is_foreign_key_violation(&e) {
                    // The project was deleted after the caller looked it up.
                    StoreError::NotFound {
                        entity: "project",
                        key: build.project.to_string(),
                    }
                } else {
                    self.err(e, "started a build")
                }
            })?;
        let log_path = PathBuf::from(&log_dir).join(format!("build-{id}.log"));
        let log_path = path_text(&log_path)?;
        self.execute(
            tx,
            "UPDATE build SET log_path = ?2 WHERE id = ?1",
            params![id, log_path],
            "named a build's log",
        )?;
        for (position, target) in build.targets.iter().enumerate() {
            self.execute(
                tx,
                "INSERT INTO build_target (build_id, position, recipe, task) VALUES (?1, ?2, ?3, ?4)",
                params![id, position as i64, target.recipe, target.task],
                "pinned a build's targets",
            )?;
        }
        for (position, layer) in build.layers.iter().enumerate() {
            self.execute(
                tx,
                "INSERT INTO build_layer (build_id, position, name, source, reference, git_commit) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    id,
                    position as i64,
                    layer.name,
                    layer.source,
                    layer.reference,
                    layer.commit
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
        conn: &Connection,
        project: crate::model::ProjectId,
    ) -> Result<crate::model::Name, StoreError> {
        let name: String = conn
            .prepare_cached("SELECT name FROM project WHERE id = ?1")
            .and_then(|mut s| s.query_row([project.0], |r| r.get(0)))
            .map_err(|e| self.err(e, "read a project's name"))?;
        crate::model::Name::parse("project name", &name).map_err(|e| StoreError::Corrupt {
            what: "name",
            detail: e.to_string(),
        })
    }

    pub(super) fn build_by_id(&self, id: BuildId) -> Result<Build, StoreError> {
        self.build_in(&self.conn(), id)
    }

    /// The page's ids are picked first, each project's newest read from its index
    /// `build_project (project_id, id)` down to the page's end only (SQLite would otherwise
    /// sort every build of several projects, reading each whole, for one page); then the
    /// builds of the page are read whole.
    pub(super) fn list_builds(&self, filter: &BuildFilter) -> Result<Vec<Build>, StoreError> {
        let visible = match filter.visibility {
            Visibility::Visible => " AND hidden = 0",
            Visibility::Hidden => " AND hidden = 1",
            Visibility::All => "",
        };
        let id = |r: &rusqlite::Row<'_>| Ok(Ok(r.get::<_, i64>(0)?));
        let conn = self.conn();
        let page: Vec<i64> = match &filter.projects {
            None => self.list(
                &conn,
                &format!(
                    "SELECT id FROM build WHERE 1{visible} ORDER BY id DESC LIMIT ?1 OFFSET ?2"
                ),
                [i64::from(filter.limit), i64::from(filter.offset)],
                id,
            )?,
            Some(projects) => {
                let end = i64::from(filter.limit) + i64::from(filter.offset);
                let sql = format!(
                    "SELECT id FROM build WHERE project_id = ?1{visible} ORDER BY id DESC LIMIT ?2"
                );
                let mut ids = Vec::new();
                for project in projects {
                    ids.extend(self.list(&conn, &sql, [project.0, end], id)?);
                }
                ids.sort_unstable_by_key(|id| std::cmp::Reverse(*id));
                ids.dedup();
                ids.into_iter()
                    .skip(filter.offset as usize)
                    .take(filter.limit as usize)
                    .collect()
            }
        };
        if page.is_empty() {
            return Ok(Vec::new());
        }
        // Bound, not written into the text: pages of one size share one prepared statement.
        let slots: Vec<String> = (1..=page.len()).map(|n| format!("?{n}")).collect();
        let slots = slots.join(",");
        let sql = format!("{BUILD_SELECT} WHERE b.id IN ({slots}) ORDER BY b.id DESC");
        let mut builds = self.list(&conn, &sql, params_from_iter(&page), rows::build)?;
        // The page's layers in one read, not one per build.
        let sql = format!(
            "SELECT build_id, name, source, reference, git_commit FROM build_layer \
             WHERE build_id IN ({slots}) ORDER BY build_id, position"
        );
        let mut layers: HashMap<i64, Vec<BuildLayer>> = HashMap::new();
        for (id, layer) in self.list(&conn, &sql, params_from_iter(&page), build_layer)? {
            layers.entry(id).or_default().push(layer);
        }
        for build in &mut builds {
            build.layers = layers.remove(&build.id.0).unwrap_or_default();
        }
        Ok(builds)
    }

    pub(super) fn list_tasks(
        &self,
        build: BuildId,
        filter: &TaskFilter,
    ) -> Result<Vec<Task>, StoreError> {
        let mut conditions = vec!["build_id = ?1".to_owned()];
        let mut values: Vec<Value> = vec![Value::Integer(build.0)];
        match filter.outcome {
            Some(Some(outcome)) => {
                values.push(Value::Text(outcome.as_str().to_owned()));
                conditions.push(format!("outcome = ?{}", values.len()));
            }
            Some(None) => conditions.push("outcome IS NULL".to_owned()),
            None => {}
        }
        if let Some(recipe) = &filter.recipe {
            values.push(Value::Text(recipe.clone()));
            conditions.push(format!("recipe = ?{}", values.len()));
        }
        let order = if filter.by_elapsed {
            "(ended_at - started_at) DESC NULLS LAST, position"
        } else {
            "position NULLS LAST, id"
        };
        let sql = format!(
            "SELECT recipe, name, position, outcome, started_at, ended_at, cpu_ms, read_bytes, \
             write_bytes, log_file, sstate_result, executed, script_type FROM task WHERE {} \
             ORDER BY {order} LIMIT {} OFFSET {}",
            conditions.join(" AND "),
            filter.limit,
            filter.offset
        );
        self.list(&self.conn(), &sql, params_from_iter(values), rows::task)
    }

    pub(super) fn read_task_dependencies(
        &self,
        build: BuildId,
    ) -> Result<Vec<TaskEdge>, StoreError> {
        let sql = "SELECT recipe, task, dep_recipe, dep_task FROM task_dependency \
                   WHERE build_id = ?1 ORDER BY recipe, task, dep_recipe, dep_task";
        self.list(&self.conn(), sql, [build.0], |r| {
            Ok(Ok(TaskEdge {
                task: TaskName::new(r.get::<_, String>(0)?, r.get::<_, String>(1)?),
                depends_on: TaskName::new(r.get::<_, String>(2)?, r.get::<_, String>(3)?),
            }))
        })
    }

    pub(super) fn read_recipes(&self, build: BuildId) -> Result<Vec<RecipeRecord>, StoreError> {
        let sql = "SELECT r.name, r.version, r.layer, r.file, r.licence, r.summary, r.section, \
                   r.homepage FROM build_recipe b JOIN recipe r ON r.id = b.recipe_id \
                   WHERE b.build_id = ?1 ORDER BY r.name, r.version";
        self.list(&self.conn(), sql, [build.0], |r| {
            Ok(Ok(RecipeRecord {
                name: r.get(0)?,
                version: r.get(1)?,
                layer: r.get(2)?,
                file: r.get(3)?,
                licence: r.get(4)?,
                summary: r.get(5)?,
                section: r.get(6)?,
                homepage: r.get(7)?,
            }))
        })
    }

    pub(super) fn read_recipe_dependencies(
        &self,
        build: BuildId,
    ) -> Result<Vec<RecipeEdge>, StoreError> {
        let sql = "SELECT recipe, dep_recipe, kind, via FROM recipe_dependency \
                   WHERE build_id = ?1 ORDER BY recipe, dep_recipe, kind";
        self.list(&self.conn(), sql, [build.0], |r| {
            let (recipe, depends_on, via) = (r.get(0)?, r.get(1)?, r.get(3)?);
            Ok(DependencyKind::parse(&r.get::<_, String>(2)?)
                .map(|kind| RecipeEdge {
                    recipe,
                    depends_on,
                    kind,
                    via,
                })
                .map_err(|e| StoreError::Corrupt {
                    what: "recipe dependency kind",
                    detail: e.to_string(),
                }))
        })
    }

    pub(super) fn read_providers(&self, build: BuildId) -> Result<Vec<Provider>, StoreError> {
        let sql = "SELECT name, recipe FROM provider WHERE build_id = ?1 ORDER BY name";
        self.list(&self.conn(), sql, [build.0], |r| {
            Ok(Ok(Provider {
                name: r.get(0)?,
                recipe: r.get(1)?,
            }))
        })
    }

    pub(super) fn read_packages(&self, build: BuildId) -> Result<Vec<PackageRecord>, StoreError> {
        let sql = "SELECT p.name, p.version, p.size, p.recipe, \
                   (SELECT group_concat(name, ' ') FROM (SELECT name FROM package_dependency \
                     WHERE package_id = p.id ORDER BY name)) \
                   FROM package p WHERE p.build_id = ?1 ORDER BY p.id";
        let relations = self.read_relations(build)?;
        let rows = self.list(&self.conn(), sql, [build.0], |r| {
            Ok(Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
        })?;
        Ok(crate::store::contents::packages(rows, relations))
    }

    pub(super) fn read_logs(
        &self,
        build: BuildId,
        min_level: LogLevel,
    ) -> Result<Vec<LogRecord>, StoreError> {
        let levels: Vec<String> = LogLevel::ALL
            .iter()
            .filter(|l| **l >= min_level)
            .map(|l| format!("'{}'", l.as_str()))
            .collect();
        let sql = format!(
            "SELECT level, text, task, file, line, at FROM log_message \
             WHERE build_id = ?1 AND level IN ({}) ORDER BY id",
            levels.join(",")
        );
        self.list(&self.conn(), &sql, [build.0], |r| {
            let (level, at): (String, Option<i64>) = (r.get(0)?, r.get(5)?);
            let (text, task, file, line) = (r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?);
            Ok(LogLevel::parse(&level)
                .map(|level| LogRecord {
                    level,
                    text,
                    task,
                    file,
                    line,
                    at: at.map(Timestamp),
                })
                .map_err(|e| StoreError::Corrupt {
                    what: "log level",
                    detail: e.to_string(),
                }))
        })
    }

    pub(super) fn read_artifacts(&self, build: BuildId) -> Result<Vec<ArtifactRecord>, StoreError> {
        let sql = "SELECT kind, name, dir, path, size, sha256 FROM artifact WHERE build_id = ?1 ORDER BY id";
        self.list(&self.conn(), sql, [build.0], |r| {
            let (kind, name, dir, path): (String, String, String, String) =
                (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
            let (size, sha256): (i64, Option<String>) = (r.get(4)?, r.get(5)?);
            Ok(ArtifactKind::parse(&kind)
                .map(|kind| ArtifactRecord {
                    kind,
                    name,
                    dir,
                    path,
                    size: u64::try_from(size).unwrap_or(0),
                    sha256,
                })
                .map_err(|e| StoreError::Corrupt {
                    what: "artifact kind",
                    detail: e.to_string(),
                }))
        })
    }

    pub(super) fn count_tasks(
        &self,
        build: BuildId,
    ) -> Result<Vec<(Option<TaskOutcome>, u32)>, StoreError> {
        let sql = "SELECT outcome, count(*) FROM task WHERE build_id = ?1 GROUP BY outcome ORDER BY outcome";
        self.list(&self.conn(), sql, [build.0], |r| {
            let (outcome, count): (Option<String>, u32) = (r.get(0)?, r.get(1)?);
            Ok(outcome
                .map(|o| TaskOutcome::parse(&o))
                .transpose()
                .map(|o| (o, count))
                .map_err(|e| StoreError::Corrupt {
                    what: "task outcome",
                    detail: e.to_string(),
                }))
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
                "UPDATE build SET hidden = ?2 WHERE id = ?1",
                params![build.0, hidden],
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
            tx.prepare_cached("UPDATE build SET log_path = ?2, log_written = 1 WHERE id = ?1")
                .and_then(|mut s| s.execute(params![build.0, text]))
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
                "UPDATE build SET origin = ?2 WHERE id = ?1",
                params![build.0, origin],
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
                "SELECT recipe_id FROM build_recipe WHERE build_id = ?1",
                [build.0],
                |r| Ok(Ok(r.get::<_, i64>(0)?)),
            )?;
            self.execute(
                tx,
                "DELETE FROM build WHERE id = ?1",
                [build.0],
                "deleted a build",
            )?;
            // Recipes are shared: remove those no other build uses any more.
            let mut orphan = tx
                .prepare_cached(
                    "DELETE FROM recipe WHERE id = ?1 \
                     AND NOT EXISTS (SELECT 1 FROM build_recipe WHERE recipe_id = ?1)",
                )
                .map_err(|e| self.err(e, "deleted a build's recipes"))?;
            for recipe in recipes {
                orphan
                    .execute([recipe])
                    .map_err(|e| self.err(e, "deleted a build's recipes"))?;
            }
            self.append_audit(tx, audit, Some(current.project))
        })
    }
}

/// A row `build_id, name, source, reference, git_commit` of `build_layer`.
fn build_layer(r: &rusqlite::Row<'_>) -> rusqlite::Result<Result<(i64, BuildLayer), StoreError>> {
    Ok(Ok((
        r.get(0)?,
        BuildLayer {
            name: r.get(1)?,
            source: r.get(2)?,
            reference: r.get(3)?,
            commit: r.get(4)?,
        },
    )))
}
