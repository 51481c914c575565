//! Recording a large image build, beside the limit: the same rows written with raw rusqlite
//! prepared statements in one transaction, in the same schema, in the same run.
//!
//! `cargo bench --bench ingest` prints a table and, last, the line
//! `ingest: toaster <ms> ms, baseline <ms> ms, ratio <x>`.
//! RUNS (default 5) sets how many times each figure is measured; medians are shown.
//! With a PostgreSQL server (`TOASTER_TEST_PG_URL`), the same build is also recorded into
//! PostgreSQL beside a raw `postgres` baseline (see `ingest/postgres.rs`), and the line
//! `ingest-postgres: toaster <ms> ms, baseline <ms> ms, ratio <x>` follows.

#[path = "ingest/postgres.rs"]
mod on_postgres;

use std::path::Path;
use std::time::{Duration, Instant};

use rusqlite::{Connection, params};
use toaster::ingest::synthetic::Workload;
use toaster::ingest::{BatchPolicy, Event};
use toaster::model::{
    BuildId, LogLevel, ScriptType, SstateResult, TaskName, TaskOutcome, Timestamp, Visibility,
};
use toaster::{Actor, TaskWalk, Toaster};

const WORKLOAD: Workload = Workload::LARGE_IMAGE;
const LISTED_BUILDS: usize = 200;

fn main() {
    let runs: usize = std::env::var("RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5);
    let scratch = tempfile::tempdir().expect("scratch directory");
    let rows = rows_of(&WORKLOAD);
    println!(
        "workload: {} tasks with {} task dependencies, {} recipes with {} recipe dependencies ({} through virtual providers), {} packages x {} dependencies, {} log messages, {} layers, {} variables x {} history lines, {} package files, an image of {} packages and {} files ({rows} rows); {runs} runs, medians",
        WORKLOAD.tasks,
        WORKLOAD.task_dependencies,
        WORKLOAD.recipes,
        WORKLOAD.recipe_dependencies,
        WORKLOAD.virtual_providers,
        WORKLOAD.packages,
        WORKLOAD.depends,
        WORKLOAD.logs,
        WORKLOAD.layers,
        WORKLOAD.variables,
        WORKLOAD.variable_history,
        WORKLOAD.package_files,
        WORKLOAD.image_packages,
        WORKLOAD.image_files
    );

    let mut ingest = (Vec::new(), Vec::new());
    let mut delete = (Vec::new(), Vec::new());
    let mut walks = Vec::new();
    let mut reached = 0;
    let (mut whys, mut compares, mut hops) = (Vec::new(), Vec::new(), 0);
    for run in 0..runs {
        // Each side gets a fresh database of its own, so neither writes into the other's rows.
        let ours = scratch.path().join(format!("run{run}-toaster"));
        let raw = scratch.path().join(format!("run{run}-baseline"));
        for dir in [&ours, &raw] {
            std::fs::create_dir(dir).expect("run directory");
        }
        let (alice, _) = instance(&ours);
        let (raw_alice, raw_db) = instance(&raw);
        let events: Vec<Event> = WORKLOAD.events(Timestamp::now()).collect();

        // Toaster: the recorder, through the facade.
        let build = alice.start_build("demo", "bench", None).expect("start");
        let started = Instant::now();
        let mut recorder = alice
            .recorder(build.id, BatchPolicy::default())
            .expect("recorder");
        for event in events {
            recorder.record(event).expect("record");
        }
        ingest.0.push(started.elapsed());

        // Baseline: the same rows, raw.
        let base = raw_alice.start_build("demo", "bench", None).expect("start");
        ingest.1.push(raw_insert(&raw_db, base.id));

        // What waits for an early task (most of the build does): `build tasks --depends-on`.
        let started = Instant::now();
        let found = alice
            .task_walk(build.id, &walked_task(), TaskWalk::DependingOn)
            .expect("walk");
        walks.push(started.elapsed());
        reached = found.len();

        // Why the last installed package is in the image (the longest chain), and the build
        // compared with itself (both sides read whole: variables, packages, images).
        let started = Instant::now();
        let chain = alice
            .package_why(build.id, IMAGE, &why_package())
            .expect("why");
        whys.push(started.elapsed());
        hops = chain.len();
        let started = Instant::now();
        let same = alice.compare_builds(build.id, build.id).expect("compare");
        compares.push(started.elapsed());
        assert!(same.is_empty());

        // Deleting each of them.
        let started = Instant::now();
        alice.delete_build(build.id).expect("delete");
        delete.0.push(started.elapsed());
        delete.1.push(raw_delete(&raw_db, base.id));
    }

    let python = python_path(runs);
    let peak = peak_memory(scratch.path());
    let (list, show) = listing(scratch.path());

    let (ti, bi) = (median(&mut ingest.0), median(&mut ingest.1));
    let (td, bd) = (median(&mut delete.0), median(&mut delete.1));
    let walk = median(&mut walks);
    let (why, compare) = (median(&mut whys), median(&mut compares));
    println!();
    println!("| figure | toaster | baseline | ratio | target |");
    println!("|---|---:|---:|---:|---|");
    println!(
        "| record the build | {} | {} | {:.2}x | within 1.5x |",
        ms(ti),
        ms(bi),
        ratio(ti, bi)
    );
    println!(
        "| delete the build | {} | {} | {:.2}x | within 2x |",
        ms(td),
        ms(bd),
        ratio(td, bd)
    );
    println!(
        "| build list (25 of {LISTED_BUILDS} builds) | {} | {} | {:.2}x | under 5 ms |",
        ms(list.0),
        ms(list.1),
        ratio(list.0, list.1)
    );
    println!(
        "| build show (one of {LISTED_BUILDS}) | {} | {} | {:.2}x | under 5 ms |",
        ms(show.0),
        ms(show.1),
        ratio(show.0, show.1)
    );
    println!(
        "| build tasks --depends-on {} ({reached} tasks reached) | {} | | | quickly |",
        walked_task(),
        ms(walk)
    );
    println!(
        "| build packages --in-image {IMAGE} --why {} ({hops} steps) | {} | | | under 50 ms |",
        why_package(),
        ms(why)
    );
    println!(
        "| build compare (the build with itself, both sides read) | {} | | | under 50 ms |",
        ms(compare)
    );
    match python {
        Some(p) => println!(
            "| record the build from Python (real `bb` events) | {} | {} | {:.2}x | within 3x |",
            ms(p),
            ms(bi),
            ratio(p, bi)
        ),
        None => println!(
            "| record the build from Python | not measured: needs .venv with toaster_rs and bitbake-setup (run scripts/test.sh once) | | | |"
        ),
    }
    println!(
        "| peak memory while recording 1x / 3x the build | {} / {} MiB | | | flat |",
        peak.0, peak.1
    );
    on_postgres::report(runs);
    println!();
    println!(
        "ingest: toaster {} ms, baseline {} ms, ratio {:.2}",
        ms_f(ti),
        ms_f(bi),
        ratio(ti, bi)
    );
}

/// The Python path (`benches/ingest_python.py`: real `bb` event objects through
/// `toaster.bitbake`), when the repository's virtual environment has what it needs.
fn python_path(runs: usize) -> Option<Duration> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let python = root.join(".venv/bin/python");
    let script = root.join("benches/ingest_python.py");
    if !python.exists() || !script.exists() {
        return None;
    }
    // The figure is of an optimised extension, as users install it: build one into the
    // virtual environment first (scripts/test.sh installs a debug one for the tests).
    let built = std::process::Command::new(root.join(".venv/bin/maturin"))
        .args(["develop", "--release", "--quiet", "--manifest-path"])
        .arg(root.join("toaster-py/Cargo.toml"))
        .env("VIRTUAL_ENV", root.join(".venv"))
        .status()
        .ok()?;
    if !built.success() {
        eprintln!("could not build the Python extension for the benchmark");
        return None;
    }
    let out = std::process::Command::new(python)
        .arg(script)
        .env("RUNS", runs.to_string())
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        eprintln!(
            "the Python benchmark failed:\n{text}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        return None;
    }
    let ms: f64 = text
        .lines()
        .last()?
        .strip_prefix("ingest-python: ")?
        .strip_suffix(" ms")?
        .parse()
        .ok()?;
    Some(Duration::from_secs_f64(ms / 1000.0))
}

fn instance(dir: &Path) -> (Actor, std::path::PathBuf) {
    let db = dir.join("toaster.sqlite");
    let toaster = Toaster::init_sqlite(&db).expect("database");
    let alice = toaster
        .add_first_owner("alice", None, "bench")
        .expect("owner");
    alice
        .create_project(
            "demo",
            &dir.join("demo"),
            &toaster_core::ProjectOptions {
                ..Default::default()
            },
        )
        .expect("project");
    (alice, db)
}

fn rows_of(w: &Workload) -> usize {
    w.tasks
        + w.task_dependencies
        + w.recipes * 2
        + w.recipe_dependencies
        + w.virtual_providers
        + w.packages * (1 + w.depends)
        + w.logs
        + w.layers
        + w.variables * (1 + w.variable_history)
        + w.package_files
        + w.packages.div_ceil(10)
        + contents_rows(w)
        + 2
}

/// The rows of the image: its installed packages and the edges between them, and its files.
fn contents_rows(w: &Workload) -> usize {
    w.image_events()
        .map(|e| match e {
            Event::ImagePackages(i) => i.packages.iter().map(|p| 1 + p.depends.len()).sum(),
            Event::ImageFiles(i) => i.files.len(),
            _ => 0,
        })
        .sum()
}

/// The image of the synthetic build.
const IMAGE: &str = "core-image-minimal";

/// The package whose place in the image the benchmark explains: the last installed.
fn why_package() -> String {
    format!("package{}", WORKLOAD.image_packages - 1)
}

/// The task the benchmark walks from: the second, which most of the build waits for.
fn walked_task() -> TaskName {
    TaskName::new(
        format!("recipe{}", 1 % WORKLOAD.recipes),
        WORKLOAD.task_name(1),
    )
}

/// The rows the recorder writes for the workload, made before the clock starts (as the
/// recorder's events are).
struct Rows {
    recipes: Vec<toaster::model::RecipeRecord>,
    tasks: Vec<toaster::model::TaskRecord>,
    task_dependencies: Vec<Event>,
    /// Recipe dependencies and the providers chosen, as the recorder hears of them.
    recipe_graph: Vec<Event>,
    /// Variables and their history, as the recorder hears of them.
    variables: Vec<Event>,
    logs: Vec<toaster::model::LogRecord>,
    packages: Vec<toaster::model::PackageRecord>,
    /// Package files and the image's contents, as the recorder hears of them.
    contents: Vec<Event>,
    errors: i64,
    warnings: i64,
}

fn rows(w: &Workload, start: i64) -> Rows {
    let mut order = 0;
    let tasks = (0..w.tasks)
        .map(|i| {
            let outcome = w.outcome(i);
            let ran = matches!(outcome, toaster::model::TaskOutcome::Succeeded);
            toaster::model::TaskRecord {
                recipe: format!("recipe{}", i % w.recipes),
                task: w.task_name(i),
                order: ran.then(|| {
                    order += 1;
                    order
                }),
                outcome: Some(outcome),
                started_at: ran.then_some(Timestamp(start + i as i64 * 10)),
                ended_at: Some(Timestamp(start + i as i64 * 10 + 7)),
                cpu_ms: ran.then_some((i % 97) as u64),
                read_bytes: ran.then_some((i * 512) as u64),
                write_bytes: ran.then_some((i * 1024) as u64),
                log_file: ran.then(|| {
                    format!(
                        "/srv/build/tmp/work/recipe{}/temp/log.{}.{i}",
                        i % w.recipes,
                        w.task_name(i)
                    )
                }),
                sstate: Some(match outcome {
                    TaskOutcome::Cached => SstateResult::Restored,
                    _ if i % 20 == 3 => SstateResult::Miss,
                    _ => SstateResult::NotApplicable,
                }),
                executed: Some(ran),
                script: Some(if i % 3 == 0 {
                    ScriptType::Python
                } else {
                    ScriptType::Shell
                }),
            }
        })
        .collect();
    let logs: Vec<_> = (0..w.logs).map(|l| w.log(l, Timestamp(start))).collect();
    let errors = logs.iter().filter(|l| l.level >= LogLevel::Error).count() as i64;
    let warnings = logs.iter().filter(|l| l.level == LogLevel::Warning).count() as i64;
    Rows {
        recipes: (0..w.recipes).map(|r| w.recipe(r)).collect(),
        tasks,
        task_dependencies: (0..w.tasks)
            .filter_map(|i| w.task_dependencies_event(i))
            .collect(),
        recipe_graph: {
            let counts = w.recipe_dependency_counts();
            w.provider_events()
                .chain((0..w.recipes).flat_map(|r| w.recipe_dependency_events(r, counts[r])))
                .collect()
        },
        variables: (0..w.variables)
            .flat_map(|v| w.variable_events(v))
            .collect(),
        logs,
        packages: (0..w.packages).map(|p| w.package(p)).collect(),
        contents: (0..w.packages)
            .filter_map(|p| w.package_files_event(p))
            .chain(w.image_events())
            .collect(),
        errors,
        warnings,
    }
}

/// The same rows the recorder writes, with prepared statements in one transaction.
fn raw_insert(db: &Path, build: BuildId) -> Duration {
    let w = WORKLOAD;
    let mut conn = Connection::open(db).expect("open");
    conn.pragma_update(None, "synchronous", "NORMAL")
        .expect("pragma");
    conn.pragma_update(None, "foreign_keys", true)
        .expect("pragma");
    let start = Timestamp::now().0;
    let rows = rows(&w, start);
    let int = |v: Option<u64>| v.map(|v| v as i64);
    let started = Instant::now();
    let tx = conn.transaction().expect("begin");
    {
        let mut recipe = tx.prepare("INSERT INTO recipe (name, version, layer, file, licence, summary, section, homepage) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (name, version, layer, file) DO UPDATE SET licence = coalesce(recipe.licence, excluded.licence), summary = coalesce(recipe.summary, excluded.summary), section = coalesce(recipe.section, excluded.section), homepage = coalesce(recipe.homepage, excluded.homepage) RETURNING id").expect("prepare");
        let mut link = tx
            .prepare("INSERT OR IGNORE INTO build_recipe (build_id, recipe_id) VALUES (?1, ?2)")
            .expect("prepare");
        for rec in &rows.recipes {
            let id: i64 = recipe
                .query_row(
                    params![
                        rec.name,
                        rec.version,
                        rec.layer,
                        rec.file,
                        rec.licence,
                        rec.summary,
                        rec.section,
                        rec.homepage
                    ],
                    |row| row.get(0),
                )
                .expect("recipe");
            link.execute(params![build.0, id]).expect("link");
        }
        let mut depends = tx.prepare("INSERT OR IGNORE INTO task_dependency (build_id, recipe, task, dep_recipe, dep_task) VALUES (?1, ?2, ?3, ?4, ?5)").expect("prepare");
        for event in &rows.task_dependencies {
            let Event::TaskDependencies(d) = event else {
                continue;
            };
            for on in &d.depends {
                depends
                    .execute(params![build.0, d.recipe, d.task, on.recipe, on.task])
                    .expect("task dependency");
            }
        }
        let mut needs = tx.prepare("INSERT OR IGNORE INTO recipe_dependency (build_id, recipe, dep_recipe, kind, via) VALUES (?1, ?2, ?3, ?4, ?5)").expect("prepare");
        let mut provider = tx
            .prepare("INSERT OR REPLACE INTO provider (build_id, name, recipe) VALUES (?1, ?2, ?3)")
            .expect("prepare");
        for event in &rows.recipe_graph {
            match event {
                Event::RecipeDependencies(d) => {
                    for on in &d.depends {
                        needs
                            .execute(params![
                                build.0,
                                d.recipe,
                                on.recipe,
                                d.kind.as_str(),
                                on.via
                            ])
                            .expect("recipe dependency");
                    }
                }
                Event::Provider(p) => {
                    provider
                        .execute(params![build.0, p.name, p.recipe])
                        .expect("provider");
                }
                _ => {}
            }
        }
        let mut variable = tx.prepare("INSERT OR IGNORE INTO build_variable (build_id, name, value, unexpanded, history_kept) VALUES (?1, ?2, ?3, ?4, ?5)").expect("prepare");
        let mut history = tx.prepare("INSERT OR IGNORE INTO build_variable_history (build_id, name, position, operation, file, line, flag, value) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)").expect("prepare");
        for event in &rows.variables {
            match event {
                Event::Variable(v) => {
                    variable
                        .execute(params![
                            build.0,
                            v.name,
                            v.value,
                            v.unexpanded,
                            v.history_kept
                        ])
                        .expect("variable");
                }
                Event::VariableHistory(h) => {
                    for (position, c) in (h.first..).zip(&h.changes) {
                        history
                            .execute(params![
                                build.0,
                                h.name,
                                position,
                                c.operation,
                                c.file,
                                c.line,
                                c.flag,
                                c.value
                            ])
                            .expect("variable history");
                    }
                }
                _ => {}
            }
        }
        let mut task = tx.prepare("INSERT INTO task (build_id, recipe, name, position, outcome, started_at, ended_at, cpu_ms, read_bytes, write_bytes, log_file, sstate_result, executed, script_type) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)").expect("prepare");
        for t in &rows.tasks {
            task.execute(params![
                build.0,
                t.recipe,
                t.task,
                t.order,
                t.outcome.map(|o| o.as_str()),
                t.started_at.map(|s| s.0),
                t.ended_at.map(|e| e.0),
                int(t.cpu_ms),
                int(t.read_bytes),
                int(t.write_bytes),
                t.log_file,
                t.sstate.map(|s| s.as_str()),
                t.executed,
                t.script.map(|s| s.as_str()),
            ])
            .expect("task");
        }
        let mut log = tx.prepare("INSERT INTO log_message (build_id, level, text, task, file, line, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)").expect("prepare");
        for m in &rows.logs {
            log.execute(params![
                build.0,
                m.level.as_str(),
                m.text,
                m.task,
                m.file,
                m.line,
                m.at.map(|t| t.0)
            ])
            .expect("log");
        }
        let mut package = tx.prepare("INSERT INTO package (build_id, name, version, size, recipe) VALUES (?1, ?2, ?3, ?4, ?5)").expect("prepare");
        let mut dependency = tx
            .prepare("INSERT OR IGNORE INTO package_dependency (package_id, name) VALUES (?1, ?2)")
            .expect("prepare");
        let mut relation = tx.prepare("INSERT OR IGNORE INTO package_relation (build_id, package, kind, name) VALUES (?1, ?2, ?3, ?4)").expect("prepare");
        for pkg in &rows.packages {
            package
                .execute(params![
                    build.0,
                    pkg.name,
                    pkg.version,
                    pkg.size as i64,
                    pkg.recipe
                ])
                .expect("package");
            let id = tx.last_insert_rowid();
            for dep in &pkg.depends {
                dependency.execute(params![id, dep]).expect("dependency");
            }
            for (kind, names) in &pkg.relations {
                for name in names {
                    relation
                        .execute(params![build.0, pkg.name, kind.as_str(), name])
                        .expect("relation");
                }
            }
        }
        let mut file = tx.prepare("INSERT OR IGNORE INTO package_file (build_id, package, path, size) VALUES (?1, ?2, ?3, ?4)").expect("prepare");
        let mut installed = tx.prepare("INSERT OR IGNORE INTO image_package (build_id, target, package, size) VALUES (?1, ?2, ?3, ?4)").expect("prepare");
        let mut edge = tx.prepare("INSERT OR IGNORE INTO image_dependency (build_id, target, package, dep_package, kind) VALUES (?1, ?2, ?3, ?4, ?5)").expect("prepare");
        let mut entry = tx.prepare("INSERT OR IGNORE INTO image_file (build_id, target, path, size, type, mode, owner, grp, link) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)").expect("prepare");
        for event in &rows.contents {
            match event {
                Event::PackageFiles(p) => {
                    for f in &p.files {
                        file.execute(params![build.0, p.package, f.path, f.size as i64])
                            .expect("package file");
                    }
                }
                Event::ImagePackages(i) => {
                    for p in &i.packages {
                        installed
                            .execute(params![build.0, i.target, p.name, p.size as i64])
                            .expect("installed package");
                        for d in &p.depends {
                            edge.execute(params![
                                build.0,
                                i.target,
                                p.name,
                                d.name,
                                d.kind.as_str()
                            ])
                            .expect("image dependency");
                        }
                    }
                }
                Event::ImageFiles(i) => {
                    for f in &i.files {
                        entry
                            .execute(params![
                                build.0,
                                i.target,
                                f.path,
                                f.size as i64,
                                f.file_type.as_str(),
                                f.mode,
                                f.owner,
                                f.group,
                                f.link
                            ])
                            .expect("image file");
                    }
                }
                _ => {}
            }
        }
        let mut artifact = tx
            .prepare("INSERT INTO artifact (build_id, kind, path, size) VALUES (?1, ?2, ?3, ?4)")
            .expect("prepare");
        for (kind, size) in [("image", 64i64 << 20), ("manifest", 12_000)] {
            artifact
                .execute(params![
                    build.0,
                    kind,
                    "/srv/build/tmp/deploy/images/qemux86-64/core-image-minimal-qemux86-64.rootfs",
                    size
                ])
                .expect("artifact");
        }
        tx.execute("UPDATE build SET state = 'succeeded', ended_at = ?2, recipes_parsed = ?3, recipes_total = ?3, tasks_done = ?4, tasks_total = ?4, errors = ?5, warnings = ?6 WHERE id = ?1",
            params![build.0, start, w.recipes as i64, w.tasks as i64, rows.errors, rows.warnings]).expect("build");
    }
    tx.commit().expect("commit");
    started.elapsed()
}

/// Deletes a build's rows table by table in one transaction.
fn raw_delete(db: &Path, build: BuildId) -> Duration {
    let mut conn = Connection::open(db).expect("open");
    let started = Instant::now();
    let tx = conn.transaction().expect("begin");
    tx.execute("DELETE FROM package_dependency WHERE package_id IN (SELECT id FROM package WHERE build_id = ?1)", [build.0]).expect("delete");
    for table in [
        "package_file",
        "package_relation",
        "image_dependency",
        "image_package",
        "image_file",
        "build_variable_history",
        "build_variable",
        "package",
        "task",
        "task_dependency",
        "recipe_dependency",
        "provider",
        "log_message",
        "artifact",
        "build_recipe",
        "build_layer",
        "build_target",
    ] {
        tx.execute(
            &format!("DELETE FROM {table} WHERE build_id = ?1"),
            [build.0],
        )
        .expect("delete");
    }
    tx.execute("DELETE FROM build WHERE id = ?1", [build.0])
        .expect("delete");
    tx.execute(
        "DELETE FROM recipe WHERE id NOT IN (SELECT recipe_id FROM build_recipe)",
        [],
    )
    .expect("delete");
    tx.commit().expect("commit");
    started.elapsed()
}

/// Peak resident memory (MiB) while recording the build once, and three times as long.
fn peak_memory(scratch: &Path) -> (u64, u64) {
    let mut peaks = Vec::new();
    for (i, scale) in [1usize, 3].into_iter().enumerate() {
        let dir = scratch.join(format!("memory{i}"));
        std::fs::create_dir(&dir).expect("directory");
        let (alice, _) = instance(&dir);
        let w = Workload {
            tasks: WORKLOAD.tasks * scale,
            packages: WORKLOAD.packages * scale,
            logs: WORKLOAD.logs * scale,
            ..WORKLOAD
        };
        let build = alice.start_build("demo", "bench", None).expect("start");
        let mut recorder = alice
            .recorder(build.id, BatchPolicy::default())
            .expect("recorder");
        reset_peak();
        for event in w.events(Timestamp::now()) {
            recorder.record(event).expect("record");
        }
        peaks.push(peak_rss_mib());
    }
    (peaks[0], peaks[1])
}

fn reset_peak() {
    // Linux resets the peak resident size (VmHWM) when "5" is written here.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn peak_rss_mib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb / 1024)
}

/// `build list` and `build show` on a database of [`LISTED_BUILDS`] such builds: the facade,
/// and the same queries raw.
fn listing(scratch: &Path) -> ((Duration, Duration), (Duration, Duration)) {
    let dir = scratch.join("listing");
    std::fs::create_dir(&dir).expect("directory");
    let (alice, db) = instance(&dir);
    let build = alice.start_build("demo", "bench", None).expect("start");
    let mut recorder = alice
        .recorder(build.id, BatchPolicy::default())
        .expect("recorder");
    for event in WORKLOAD.events(Timestamp::now()) {
        recorder.record(event).expect("record");
    }
    copy_build(&db, build.id, LISTED_BUILDS - 1);
    let ids: Vec<BuildId> = alice
        .builds(&toaster_core::BuildQuery {
            project: None,
            visibility: Visibility::Visible,
            limit: 25,
            offset: 0,
        })
        .expect("list")
        .iter()
        .map(|b| b.id)
        .collect();
    assert_eq!(ids.len(), 25);

    let conn = Connection::open(&db).expect("open");
    let list = (
        time(50, || {
            drop(
                alice
                    .builds(&toaster_core::BuildQuery {
                        project: None,
                        visibility: Visibility::Visible,
                        limit: 25,
                        offset: 0,
                    })
                    .expect("list"),
            )
        }),
        time(50, || {
            let mut stmt = conn.prepare_cached("SELECT b.*, p.name, o.name FROM build b JOIN project p ON p.id = b.project_id JOIN owner o ON o.id = b.owner_id WHERE b.hidden = 0 ORDER BY b.id DESC LIMIT 25").expect("prepare");
            let n = stmt
                .query_map([], |r| r.get::<_, i64>(0))
                .expect("query")
                .count();
            assert_eq!(n, 25);
        }),
    );
    let middle = ids[12];
    let show = (
        time(50, || drop(alice.build(middle).expect("show"))),
        time(50, || {
            let mut build = conn
                .prepare_cached("SELECT * FROM build WHERE id = ?1")
                .expect("prepare");
            build
                .query_row([middle.0], |r| r.get::<_, i64>(0))
                .expect("build");
            let mut counts = conn
                .prepare_cached(
                    "SELECT outcome, count(*) FROM task WHERE build_id = ?1 GROUP BY outcome",
                )
                .expect("prepare");
            let n = counts
                .query_map([middle.0], |r| r.get::<_, i64>(1))
                .expect("counts")
                .count();
            assert!(n > 0);
        }),
    );
    (list, show)
}

/// Copies build `from` `copies` times, rows and all, with SQL (setting up, not measured).
fn copy_build(db: &Path, from: BuildId, copies: usize) {
    let mut conn = Connection::open(db).expect("open");
    let tx = conn.transaction().expect("begin");
    let offset: i64 = 10_000_000;
    for k in 1..=copies as i64 {
        let id: i64 = tx.query_row(
            "INSERT INTO build (project_id, revision, owner_id, client, host, build_dir, log_path, machine, distro, state, hidden, started_at, ended_at, heartbeat_at, recipes_parsed, recipes_total, tasks_done, tasks_total, errors, warnings) \
             SELECT project_id, revision, owner_id, client, host, build_dir, log_path || '.' || ?2, machine, distro, state, hidden, started_at, ended_at, heartbeat_at, recipes_parsed, recipes_total, tasks_done, tasks_total, errors, warnings FROM build WHERE id = ?1 RETURNING id",
            params![from.0, k], |r| r.get(0)).expect("build");
        for (table, columns) in [
            ("build_target", "position, recipe, task"),
            (
                "build_layer",
                "position, name, source, reference, git_commit",
            ),
            ("build_recipe", "recipe_id"),
            (
                "task",
                "recipe, name, position, outcome, started_at, ended_at, cpu_ms, read_bytes, write_bytes, log_file",
            ),
            ("log_message", "level, text, task, file, line, at"),
            ("artifact", "kind, path, size"),
        ] {
            tx.execute(&format!("INSERT INTO {table} (build_id, {columns}) SELECT ?2, {columns} FROM {table} WHERE build_id = ?1"), params![from.0, id]).expect("copy");
        }
        tx.execute("INSERT INTO package (id, build_id, name, version, size, recipe) SELECT id + ?3, ?2, name, version, size, recipe FROM package WHERE build_id = ?1", params![from.0, id, k * offset]).expect("packages");
        tx.execute("INSERT INTO package_dependency (package_id, name) SELECT d.package_id + ?2, d.name FROM package_dependency d JOIN package p ON p.id = d.package_id WHERE p.build_id = ?1", params![from.0, k * offset]).expect("dependencies");
    }
    tx.commit().expect("commit");
}

fn time(iterations: usize, mut f: impl FnMut()) -> Duration {
    let mut samples: Vec<Duration> = (0..iterations)
        .map(|_| {
            let started = Instant::now();
            f();
            started.elapsed()
        })
        .collect();
    median(&mut samples)
}

fn median(samples: &mut [Duration]) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn ms_f(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

fn ratio(a: Duration, b: Duration) -> f64 {
    a.as_secs_f64() / b.as_secs_f64().max(1e-9)
}
