//! Applying a recorder's batch: one transaction, the hot statements prepared once per batch.

use rusqlite::{CachedStatement, OptionalExtension, Transaction, params};

use super::SqliteStore;
use super::package_contents as contents;
use super::rows::int;
use crate::model::{
    ArtifactRecord, BuildId, BuildState, BuildWrite, ScriptType, SstateResult, TaskOutcome,
    Timestamp,
};
use crate::store::{StoreError, lifecycle};

const TASK: &str = "INSERT INTO task (build_id, recipe, name, position, outcome, started_at, \
     ended_at, cpu_ms, read_bytes, write_bytes, log_file, sstate_result, executed, script_type) \
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) \
     ON CONFLICT (build_id, recipe, name) DO UPDATE SET \
     position = coalesce(position, excluded.position), \
     outcome = coalesce(excluded.outcome, outcome), \
     started_at = coalesce(started_at, excluded.started_at), \
     ended_at = coalesce(excluded.ended_at, ended_at), \
     cpu_ms = coalesce(excluded.cpu_ms, cpu_ms), \
     read_bytes = coalesce(excluded.read_bytes, read_bytes), \
     write_bytes = coalesce(excluded.write_bytes, write_bytes), \
     log_file = coalesce(excluded.log_file, log_file), \
     sstate_result = coalesce(excluded.sstate_result, sstate_result), \
     executed = coalesce(excluded.executed, executed), \
     script_type = coalesce(excluded.script_type, script_type)";
const TASK_DEPENDENCY: &str = "INSERT OR IGNORE INTO task_dependency (build_id, recipe, task, \
     dep_recipe, dep_task) VALUES (?1, ?2, ?3, ?4, ?5)";
// A recipe row is shared by every build of the same name, version, layer and file: what it
// says of itself is filled in where not known yet, never changed.
const RECIPE: &str = "INSERT INTO recipe (name, version, layer, file, licence, summary, section, \
     homepage) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) \
     ON CONFLICT (name, version, layer, file) DO UPDATE SET \
     licence = coalesce(licence, excluded.licence), summary = coalesce(summary, excluded.summary), \
     section = coalesce(section, excluded.section), \
     homepage = coalesce(homepage, excluded.homepage) RETURNING id";
const RECIPE_DEPENDENCY: &str = "INSERT OR IGNORE INTO recipe_dependency (build_id, recipe, \
     dep_recipe, kind, via) VALUES (?1, ?2, ?3, ?4, ?5)";
const PROVIDER: &str = "INSERT INTO provider (build_id, name, recipe) VALUES (?1, ?2, ?3) \
     ON CONFLICT (build_id, name) DO UPDATE SET recipe = excluded.recipe";
const BUILD_RECIPE: &str =
    "INSERT OR IGNORE INTO build_recipe (build_id, recipe_id) VALUES (?1, ?2)";
const PACKAGE: &str =
    "INSERT INTO package (build_id, name, version, size, recipe) VALUES (?1, ?2, ?3, ?4, ?5)";
const DEPENDENCY: &str =
    "INSERT OR IGNORE INTO package_dependency (package_id, name) VALUES (?1, ?2)";
const LOG: &str = "INSERT INTO log_message (build_id, level, text, task, file, line, at) \
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
/// An artifact whose name the build already has is skipped: the first record stands.
const ARTIFACT: &str = "INSERT OR IGNORE INTO artifact (build_id, kind, name, dir, path, size, \
     sha256) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
const STATE: &str = "UPDATE build SET state = ?2, ended_at = coalesce(?3, ended_at) WHERE id = ?1";
const PROGRESS: &str = "UPDATE build SET recipes_parsed = coalesce(?2, recipes_parsed), \
     recipes_total = coalesce(?3, recipes_total), tasks_done = coalesce(?4, tasks_done), \
     tasks_total = coalesce(?5, tasks_total) WHERE id = ?1";
const ALIVE: &str = "UPDATE build SET heartbeat_at = ?2, errors = errors + ?3, \
     warnings = warnings + ?4 WHERE id = ?1";

/// Inserts one artifact of `build` (skipped if the build has one of that name).
pub(super) fn insert_artifact(
    tx: &Transaction<'_>,
    build: BuildId,
    a: &ArtifactRecord,
) -> rusqlite::Result<usize> {
    tx.prepare_cached(ARTIFACT).and_then(|mut st| {
        st.execute(params![
            build.0,
            a.kind.as_str(),
            a.name,
            a.dir,
            a.path,
            int(a.size),
            a.sha256
        ])
    })
}

/// The statements a batch uses, prepared once for the whole batch.
struct Statements<'t> {
    task: CachedStatement<'t>,
    recipe: CachedStatement<'t>,
    build_recipe: CachedStatement<'t>,
    package: CachedStatement<'t>,
    dependency: CachedStatement<'t>,
    log: CachedStatement<'t>,
    task_dependency: CachedStatement<'t>,
    recipe_dependency: CachedStatement<'t>,
    provider: CachedStatement<'t>,
}

impl SqliteStore {
    pub(super) fn record_batch(
        &self,
        build: BuildId,
        writes: &[BuildWrite],
    ) -> Result<(), StoreError> {
        self.write("recorded build events", |tx| {
            let state = self.live_state(tx, build)?;
            let (errors, warnings) = self.apply_writes(tx, build, state, writes)?;
            self.execute(
                tx,
                ALIVE,
                params![build.0, Timestamp::now().0, errors, warnings],
                "marked a build alive",
            )?;
            Ok(())
        })
    }

    /// Applies `writes` to `build`, now in `state`, inside `tx`; returns how many errors
    /// and warnings its log messages add.
    pub(super) fn apply_writes(
        &self,
        tx: &Transaction<'_>,
        build: BuildId,
        mut state: BuildState,
        writes: &[BuildWrite],
    ) -> Result<(u32, u32), StoreError> {
        let mut s = self
            .statements(tx)
            .map_err(|e| self.err(e, "prepared to record"))?;
        let mut counts = (0u32, 0u32);
        for write in writes {
            let done = match write {
                BuildWrite::State(next, at) => {
                    if !lifecycle::moves(state, *next) {
                        continue;
                    }
                    state = *next;
                    let ended = next.is_final().then_some(at.0);
                    tx.prepare_cached(STATE)
                        .and_then(|mut st| st.execute(params![build.0, next.as_str(), ended]))
                }
                BuildWrite::Progress {
                    recipes_parsed,
                    recipes_total,
                    tasks_done,
                    tasks_total,
                } => tx.prepare_cached(PROGRESS).and_then(|mut st| {
                    st.execute(params![
                        build.0,
                        recipes_parsed,
                        recipes_total,
                        tasks_done,
                        tasks_total
                    ])
                }),
                BuildWrite::Recipe(r) => s
                    .recipe
                    .query_row(
                        params![
                            r.name, r.version, r.layer, r.file, r.licence, r.summary, r.section,
                            r.homepage
                        ],
                        |row| row.get::<_, i64>(0),
                    )
                    .and_then(|id| s.build_recipe.execute(params![build.0, id])),
                BuildWrite::Task(t) => s.task.execute(params![
                    build.0,
                    t.recipe,
                    t.task,
                    t.order,
                    t.outcome.map(TaskOutcome::as_str),
                    t.started_at.map(|at| at.0),
                    t.ended_at.map(|at| at.0),
                    t.cpu_ms.map(int),
                    t.read_bytes.map(int),
                    t.write_bytes.map(int),
                    t.log_file,
                    t.sstate.map(SstateResult::as_str),
                    t.executed,
                    t.script.map(ScriptType::as_str)
                ]),
                BuildWrite::TaskDependencies(d) => d.depends.iter().try_fold(0, |n, on| {
                    s.task_dependency
                        .execute(params![build.0, d.recipe, d.task, on.recipe, on.task])
                        .map(|m| n + m)
                }),
                BuildWrite::RecipeDependencies(d) => d.depends.iter().try_fold(0, |n, on| {
                    s.recipe_dependency
                        .execute(params![
                            build.0,
                            d.recipe,
                            on.recipe,
                            d.kind.as_str(),
                            on.via
                        ])
                        .map(|m| n + m)
                }),
                BuildWrite::Provider(p) => s.provider.execute(params![build.0, p.name, p.recipe]),
                BuildWrite::Package(p) => s
                    .package
                    .insert(params![build.0, p.name, p.version, int(p.size), p.recipe])
                    .and_then(|id| {
                        p.depends.iter().try_fold(0, |n, d| {
                            s.dependency.execute(params![id, d]).map(|m| n + m)
                        })
                    })
                    .and_then(|n| {
                        contents::insert_relations(tx, build, &p.name, &p.relations).map(|m| n + m)
                    }),
                BuildWrite::Log(l) => {
                    lifecycle::tally(l.level, &mut counts);
                    s.log.execute(params![
                        build.0,
                        l.level.as_str(),
                        l.text,
                        l.task,
                        l.file,
                        l.line,
                        l.at.map(|t| t.0)
                    ])
                }
                BuildWrite::Artifact(a) => insert_artifact(tx, build, a),
                BuildWrite::Variable(v) => super::variables::insert_variable(tx, build, v),
                BuildWrite::VariableHistory(h) => super::variables::insert_history(tx, build, h),
                BuildWrite::PackageFiles(p) => contents::insert_package_files(tx, build, p),
                BuildWrite::ImagePackages(i) => contents::insert_image_packages(tx, build, i),
                BuildWrite::ImageFiles(i) => contents::insert_image_files(tx, build, i),
            };
            done.map_err(|e| self.err(e, "recorded build events"))?;
        }
        Ok(counts)
    }

    /// The build's state, if it may still take records.
    fn live_state(&self, tx: &Transaction<'_>, build: BuildId) -> Result<BuildState, StoreError> {
        let state: Option<String> = tx
            .prepare_cached("SELECT state FROM build WHERE id = ?1")
            .and_then(|mut s| s.query_row([build.0], |r| r.get(0)).optional())
            .map_err(|e| self.err(e, "read a build's state"))?;
        lifecycle::live_state(build, state)
    }

    fn statements<'t>(&self, tx: &'t Transaction<'_>) -> rusqlite::Result<Statements<'t>> {
        Ok(Statements {
            task: tx.prepare_cached(TASK)?,
            recipe: tx.prepare_cached(RECIPE)?,
            build_recipe: tx.prepare_cached(BUILD_RECIPE)?,
            package: tx.prepare_cached(PACKAGE)?,
            dependency: tx.prepare_cached(DEPENDENCY)?,
            log: tx.prepare_cached(LOG)?,
            task_dependency: tx.prepare_cached(TASK_DEPENDENCY)?,
            recipe_dependency: tx.prepare_cached(RECIPE_DEPENDENCY)?,
            provider: tx.prepare_cached(PROVIDER)?,
        })
    }
}
