//! Applying a recorder's batch: one transaction, the hot statements prepared once per batch.

use super::package_contents as contents;
use super::transaction::Tx;

use super::{PostgresStore, get};
use crate::model::{
    ArtifactRecord, BuildId, BuildState, BuildWrite, ScriptType, SstateResult, TaskOutcome,
};
use crate::store::sqlite::rows::int;
use crate::store::{StoreError, lifecycle};

const TASK: &str = "INSERT INTO task AS t (build_id, recipe, name, position, outcome, \
     started_at, ended_at, cpu_ms, read_bytes, write_bytes, log_file, sstate_result, executed, \
     script_type) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) \
     ON CONFLICT (build_id, recipe, name) DO UPDATE SET \
     position = coalesce(t.position, excluded.position), \
     outcome = coalesce(excluded.outcome, t.outcome), \
     started_at = coalesce(t.started_at, excluded.started_at), \
     ended_at = coalesce(excluded.ended_at, t.ended_at), \
     cpu_ms = coalesce(excluded.cpu_ms, t.cpu_ms), \
     read_bytes = coalesce(excluded.read_bytes, t.read_bytes), \
     write_bytes = coalesce(excluded.write_bytes, t.write_bytes), \
     log_file = coalesce(excluded.log_file, t.log_file), \
     sstate_result = coalesce(excluded.sstate_result, t.sstate_result), \
     executed = coalesce(excluded.executed, t.executed), \
     script_type = coalesce(excluded.script_type, t.script_type)";
const TASK_DEPENDENCY: &str = "INSERT INTO task_dependency (build_id, recipe, task, \
     dep_recipe, dep_task) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING";
// A recipe row is shared by every build of the same name, version, layer and file: what it
// says of itself is filled in where not known yet, never changed.
const RECIPE: &str = "INSERT INTO recipe AS r (name, version, layer, file, licence, summary, \
     section, homepage) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
     ON CONFLICT (name, version, layer, file) DO UPDATE SET \
     licence = coalesce(r.licence, excluded.licence), \
     summary = coalesce(r.summary, excluded.summary), \
     section = coalesce(r.section, excluded.section), \
     homepage = coalesce(r.homepage, excluded.homepage) RETURNING id";
const RECIPE_DEPENDENCY: &str = "INSERT INTO recipe_dependency (build_id, recipe, dep_recipe, \
     kind, via) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING";
const PROVIDER: &str = "INSERT INTO provider (build_id, name, recipe) VALUES ($1, $2, $3) \
     ON CONFLICT (build_id, name) DO UPDATE SET recipe = excluded.recipe";
const BUILD_RECIPE: &str =
    "INSERT INTO build_recipe (build_id, recipe_id) VALUES ($1, $2) ON CONFLICT DO NOTHING";
const PACKAGE: &str = "INSERT INTO package (build_id, name, version, size, recipe) \
     VALUES ($1, $2, $3, $4, $5) RETURNING id";
const DEPENDENCY: &str =
    "INSERT INTO package_dependency (package_id, name) VALUES ($1, $2) ON CONFLICT DO NOTHING";
const LOG: &str = "INSERT INTO log_message (build_id, level, text, task, file, line, at) \
     VALUES ($1, $2, $3, $4, $5, $6, $7)";
/// An artifact whose name the build already has is skipped: the first record stands.
const ARTIFACT: &str = "INSERT INTO artifact (build_id, kind, name, dir, path, size, sha256) \
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING";
const STATE: &str = "UPDATE build SET state = $2, ended_at = coalesce($3, ended_at) WHERE id = $1";
const PROGRESS: &str = "UPDATE build SET recipes_parsed = coalesce($2, recipes_parsed), \
     recipes_total = coalesce($3, recipes_total), tasks_done = coalesce($4, tasks_done), \
     tasks_total = coalesce($5, tasks_total) WHERE id = $1";
/// Heartbeats are taken by the database's clock (see `PostgresStore::clock`).
const ALIVE: &str = "UPDATE build SET \
     heartbeat_at = (extract(epoch FROM clock_timestamp()) * 1000)::bigint, \
     errors = errors + $2, warnings = warnings + $3 WHERE id = $1";

/// Inserts one artifact of `build` (skipped if the build has one of that name).
pub(super) fn insert_artifact(
    tx: &mut Tx<'_>,
    build: BuildId,
    a: &ArtifactRecord,
) -> Result<u64, postgres::Error> {
    tx.execute(
        ARTIFACT,
        &[
            &build.0,
            &a.kind.as_str(),
            &a.name,
            &a.dir,
            &a.path,
            &int(a.size),
            &a.sha256,
        ],
    )
}

/// A `u32` for a BIGINT column.
fn wide(value: Option<u32>) -> Option<i64> {
    value.map(i64::from)
}

impl PostgresStore {
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
                &[&build.0, &i64::from(errors), &i64::from(warnings)],
                "marked a build alive",
            )?;
            Ok(())
        })
    }

    /// Applies `writes` to `build`, now in `state`, inside `tx`; returns how many errors
    /// and warnings its log messages add.
    pub(super) fn apply_writes(
        &self,
        tx: &mut Tx<'_>,
        build: BuildId,
        mut state: BuildState,
        writes: &[BuildWrite],
    ) -> Result<(u32, u32), StoreError> {
        let mut counts = (0u32, 0u32);
        for write in writes {
            let done = match write {
                BuildWrite::State(next, at) => {
                    if !lifecycle::moves(state, *next) {
                        continue;
                    }
                    state = *next;
                    let ended = next.is_final().then_some(at.0);
                    tx.execute(STATE, &[&build.0, &next.as_str(), &ended])
                }
                BuildWrite::Progress {
                    recipes_parsed,
                    recipes_total,
                    tasks_done,
                    tasks_total,
                } => tx.execute(
                    PROGRESS,
                    &[
                        &build.0,
                        &wide(*recipes_parsed),
                        &wide(*recipes_total),
                        &wide(*tasks_done),
                        &wide(*tasks_total),
                    ],
                ),
                BuildWrite::Recipe(r) => tx
                    .query_one(
                        RECIPE,
                        &[
                            &r.name,
                            &r.version,
                            &r.layer,
                            &r.file,
                            &r.licence,
                            &r.summary,
                            &r.section,
                            &r.homepage,
                        ],
                    )
                    .and_then(|row| row.try_get::<_, i64>(0))
                    .and_then(|id| tx.execute(BUILD_RECIPE, &[&build.0, &id])),
                BuildWrite::Task(t) => tx.execute(
                    TASK,
                    &[
                        &build.0,
                        &t.recipe,
                        &t.task,
                        &wide(t.order),
                        &t.outcome.map(TaskOutcome::as_str),
                        &t.started_at.map(|at| at.0),
                        &t.ended_at.map(|at| at.0),
                        &t.cpu_ms.map(int),
                        &t.read_bytes.map(int),
                        &t.write_bytes.map(int),
                        &t.log_file,
                        &t.sstate.map(SstateResult::as_str),
                        &t.executed,
                        &t.script.map(ScriptType::as_str),
                    ],
                ),
                BuildWrite::TaskDependencies(d) => d.depends.iter().try_fold(0, |n, on| {
                    tx.execute(
                        TASK_DEPENDENCY,
                        &[&build.0, &d.recipe, &d.task, &on.recipe, &on.task],
                    )
                    .map(|m| n + m)
                }),
                BuildWrite::RecipeDependencies(d) => d.depends.iter().try_fold(0, |n, on| {
                    tx.execute(
                        RECIPE_DEPENDENCY,
                        &[&build.0, &d.recipe, &on.recipe, &d.kind.as_str(), &on.via],
                    )
                    .map(|m| n + m)
                }),
                BuildWrite::Provider(p) => tx.execute(PROVIDER, &[&build.0, &p.name, &p.recipe]),
                BuildWrite::Package(p) => tx
                    .query_one(
                        PACKAGE,
                        &[&build.0, &p.name, &p.version, &int(p.size), &p.recipe],
                    )
                    .and_then(|row| row.try_get::<_, i64>(0))
                    .and_then(|id| {
                        p.depends
                            .iter()
                            .try_fold(0, |n, d| tx.execute(DEPENDENCY, &[&id, d]).map(|m| n + m))
                    })
                    .and_then(|n| {
                        contents::insert_relations(tx, build, &p.name, &p.relations).map(|m| n + m)
                    }),
                BuildWrite::Log(l) => {
                    lifecycle::tally(l.level, &mut counts);
                    tx.execute(
                        LOG,
                        &[
                            &build.0,
                            &l.level.as_str(),
                            &l.text,
                            &l.task,
                            &l.file,
                            &wide(l.line),
                            &l.at.map(|t| t.0),
                        ],
                    )
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

    /// The build's state, if it may still take records. Locks the build's row, so that
    /// a batch and the change that ends the build take turns.
    fn live_state(&self, tx: &mut Tx<'_>, build: BuildId) -> Result<BuildState, StoreError> {
        let state = self.optional(
            tx,
            "SELECT state FROM build WHERE id = $1 FOR UPDATE",
            &[&build.0],
            |r| get::<String>(r, 0),
        )?;
        lifecycle::live_state(build, state)
    }
}
