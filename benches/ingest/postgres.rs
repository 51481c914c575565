//! The same build recorded into PostgreSQL (`TOASTER_TEST_PG_URL`, see scripts/postgres.sh):
//! the recorder through the facade, beside the same rows (with the package files and image
//! contents the recorder also writes) written raw with the `postgres` client's prepared
//! statements in one transaction, each in a fresh schema; then `build
//! list` and `build show` on a schema of [`LISTED_BUILDS`] such builds. Without a server it
//! says so and measures nothing.

use std::time::{Duration, Instant};

use postgres::{Client, NoTls};
use toaster::ingest::{BatchPolicy, Event};
use toaster::model::{BuildId, Timestamp, Visibility};
use toaster::{Actor, Toaster};
use toaster_core::store::test_server::{self, Server};

use super::{LISTED_BUILDS, WORKLOAD, median, ms, ms_f, ratio, rows, time};

/// Prints the PostgreSQL rows of the table and the `ingest-postgres:` line.
pub fn report(runs: usize) {
    let Some(server) = test_server::server("the PostgreSQL part of the ingest benchmark") else {
        println!("| PostgreSQL | not measured: no server (set TOASTER_TEST_PG_URL) | | | |");
        return;
    };
    let mut ours = Vec::new();
    let mut raw = Vec::new();
    for _ in 0..runs {
        let (alice, _) = instance(&server);
        let events: Vec<Event> = WORKLOAD.events(Timestamp::now()).collect();
        let build = alice.start_build("demo", "bench", None).expect("start");
        let started = Instant::now();
        let mut recorder = alice
            .recorder(build.id, BatchPolicy::default())
            .expect("recorder");
        for event in events {
            recorder.record(event).expect("record");
        }
        drop(recorder);
        ours.push(started.elapsed());

        let (raw_alice, url) = instance(&server);
        let base = raw_alice.start_build("demo", "bench", None).expect("start");
        raw.push(raw_insert(&url, base.id));
    }
    let (list, show) = listing(&server);
    let (t, b) = (median(&mut ours), median(&mut raw));
    println!(
        "| PostgreSQL: record the build | {} | {} | {:.2}x | within 1.5x |",
        ms(t),
        ms(b),
        ratio(t, b)
    );
    println!(
        "| PostgreSQL: build list (25 of {LISTED_BUILDS} builds) | {} | {} | {:.2}x | under 5 ms |",
        ms(list.0),
        ms(list.1),
        ratio(list.0, list.1)
    );
    println!(
        "| PostgreSQL: build show (one of {LISTED_BUILDS}) | {} | {} | {:.2}x | under 5 ms |",
        ms(show.0),
        ms(show.1),
        ratio(show.0, show.1)
    );
    println!(
        "ingest-postgres: toaster {} ms, baseline {} ms, ratio {:.2}",
        ms_f(t),
        ms_f(b),
        ratio(t, b)
    );
}

/// A fresh schema with an owner and project `demo`; its URL.
fn instance(server: &Server) -> (Actor, String) {
    let url = server.fresh_schema();
    let dir = tempfile::tempdir().expect("directory").keep();
    let toaster = Toaster::init(std::path::Path::new(&url)).expect("database");
    let alice = toaster
        .add_first_owner("alice", None, "bench")
        .expect("owner");
    alice
        .create_project(
            "demo",
            &dir.join("demo"),
            &toaster_core::ProjectOptions::default(),
        )
        .expect("project");
    (alice, url)
}

fn connect(url: &str) -> Client {
    Client::connect(url, NoTls).expect("connect")
}

/// The same rows the recorder writes, with prepared statements in one transaction.
fn raw_insert(url: &str, build: BuildId) -> Duration {
    let w = WORKLOAD;
    let mut client = connect(url);
    let start = Timestamp::now().0;
    let rows = rows(&w, start);
    // Package files and image contents, as the recorder hears of them.
    let contents: Vec<Event> = w
        .events(Timestamp(start))
        .filter(|e| {
            matches!(
                e,
                Event::PackageFiles(_) | Event::ImagePackages(_) | Event::ImageFiles(_)
            )
        })
        .collect();
    let int = |v: Option<u64>| v.map(|v| v as i64);
    let wide = |v: Option<u32>| v.map(i64::from);
    let started = Instant::now();
    let mut tx = client.transaction().expect("begin");
    let recipe = tx.prepare("INSERT INTO recipe AS r (name, version, layer, file, licence, summary, section, homepage) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (name, version, layer, file) DO UPDATE SET licence = coalesce(r.licence, excluded.licence), summary = coalesce(r.summary, excluded.summary), section = coalesce(r.section, excluded.section), homepage = coalesce(r.homepage, excluded.homepage) RETURNING id").expect("prepare");
    let link = tx
        .prepare(
            "INSERT INTO build_recipe (build_id, recipe_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .expect("prepare");
    for rec in &rows.recipes {
        let id: i64 = tx
            .query_one(
                &recipe,
                &[
                    &rec.name,
                    &rec.version,
                    &rec.layer,
                    &rec.file,
                    &rec.licence,
                    &rec.summary,
                    &rec.section,
                    &rec.homepage,
                ],
            )
            .expect("recipe")
            .get(0);
        tx.execute(&link, &[&build.0, &id]).expect("link");
    }
    let depends = tx.prepare("INSERT INTO task_dependency (build_id, recipe, task, dep_recipe, dep_task) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING").expect("prepare");
    for event in &rows.task_dependencies {
        let Event::TaskDependencies(d) = event else {
            continue;
        };
        for on in &d.depends {
            tx.execute(
                &depends,
                &[&build.0, &d.recipe, &d.task, &on.recipe, &on.task],
            )
            .expect("task dependency");
        }
    }
    let needs = tx.prepare("INSERT INTO recipe_dependency (build_id, recipe, dep_recipe, kind, via) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING").expect("prepare");
    let provider = tx
        .prepare("INSERT INTO provider (build_id, name, recipe) VALUES ($1, $2, $3) ON CONFLICT (build_id, name) DO UPDATE SET recipe = excluded.recipe")
        .expect("prepare");
    for event in &rows.recipe_graph {
        match event {
            Event::RecipeDependencies(d) => {
                for on in &d.depends {
                    tx.execute(
                        &needs,
                        &[&build.0, &d.recipe, &on.recipe, &d.kind.as_str(), &on.via],
                    )
                    .expect("recipe dependency");
                }
            }
            Event::Provider(p) => {
                tx.execute(&provider, &[&build.0, &p.name, &p.recipe])
                    .expect("provider");
            }
            _ => {}
        }
    }
    let variable = tx.prepare("INSERT INTO build_variable (build_id, name, value, unexpanded, history_kept) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING").expect("prepare");
    let history = tx.prepare("INSERT INTO build_variable_history (build_id, name, position, operation, file, line, flag, value) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING").expect("prepare");
    for event in &rows.variables {
        match event {
            Event::Variable(v) => {
                tx.execute(
                    &variable,
                    &[&build.0, &v.name, &v.value, &v.unexpanded, &v.history_kept],
                )
                .expect("variable");
            }
            Event::VariableHistory(h) => {
                for (position, c) in (i64::from(h.first)..).zip(&h.changes) {
                    tx.execute(
                        &history,
                        &[
                            &build.0,
                            &h.name,
                            &position,
                            &c.operation,
                            &c.file,
                            &wide(c.line),
                            &c.flag,
                            &c.value,
                        ],
                    )
                    .expect("variable history");
                }
            }
            _ => {}
        }
    }
    let task = tx.prepare("INSERT INTO task (build_id, recipe, name, position, outcome, started_at, ended_at, cpu_ms, read_bytes, write_bytes, log_file, sstate_result, executed, script_type) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)").expect("prepare");
    for t in &rows.tasks {
        tx.execute(
            &task,
            &[
                &build.0,
                &t.recipe,
                &t.task,
                &wide(t.order),
                &t.outcome.map(|o| o.as_str()),
                &t.started_at.map(|s| s.0),
                &t.ended_at.map(|e| e.0),
                &int(t.cpu_ms),
                &int(t.read_bytes),
                &int(t.write_bytes),
                &t.log_file,
                &t.sstate.map(|s| s.as_str()),
                &t.executed,
                &t.script.map(|s| s.as_str()),
            ],
        )
        .expect("task");
    }
    let log = tx.prepare("INSERT INTO log_message (build_id, level, text, task, file, line, at) VALUES ($1, $2, $3, $4, $5, $6, $7)").expect("prepare");
    for m in &rows.logs {
        tx.execute(
            &log,
            &[
                &build.0,
                &m.level.as_str(),
                &m.text,
                &m.task,
                &m.file,
                &wide(m.line),
                &m.at.map(|t| t.0),
            ],
        )
        .expect("log");
    }
    let package = tx.prepare("INSERT INTO package (build_id, name, version, size, recipe) VALUES ($1, $2, $3, $4, $5) RETURNING id").expect("prepare");
    let dependency = tx
        .prepare("INSERT INTO package_dependency (package_id, name) VALUES ($1, $2) ON CONFLICT DO NOTHING")
        .expect("prepare");
    for pkg in &rows.packages {
        let id: i64 = tx
            .query_one(
                &package,
                &[
                    &build.0,
                    &pkg.name,
                    &pkg.version,
                    &(pkg.size as i64),
                    &pkg.recipe,
                ],
            )
            .expect("package")
            .get(0);
        for dep in &pkg.depends {
            tx.execute(&dependency, &[&id, dep]).expect("dependency");
        }
    }
    let relation = tx.prepare("INSERT INTO package_relation (build_id, package, kind, name) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING").expect("prepare");
    for pkg in &rows.packages {
        for (kind, names) in &pkg.relations {
            for name in names {
                tx.execute(&relation, &[&build.0, &pkg.name, &kind.as_str(), name])
                    .expect("relation");
            }
        }
    }
    let file = tx.prepare("INSERT INTO package_file (build_id, package, path, size) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING").expect("prepare");
    let installed = tx.prepare("INSERT INTO image_package (build_id, target, package, size) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING").expect("prepare");
    let pulled = tx.prepare("INSERT INTO image_dependency (build_id, target, package, dep_package, kind) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING").expect("prepare");
    let listed = tx.prepare("INSERT INTO image_file (build_id, target, path, size, type, mode, owner, grp, link) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING").expect("prepare");
    for event in &contents {
        match event {
            Event::PackageFiles(p) => {
                for f in &p.files {
                    tx.execute(&file, &[&build.0, &p.package, &f.path, &(f.size as i64)])
                        .expect("package file");
                }
            }
            Event::ImagePackages(i) => {
                for p in &i.packages {
                    tx.execute(
                        &installed,
                        &[&build.0, &i.target, &p.name, &(p.size as i64)],
                    )
                    .expect("image package");
                    for d in &p.depends {
                        tx.execute(
                            &pulled,
                            &[&build.0, &i.target, &p.name, &d.name, &d.kind.as_str()],
                        )
                        .expect("image dependency");
                    }
                }
            }
            Event::ImageFiles(i) => {
                for f in &i.files {
                    tx.execute(
                        &listed,
                        &[
                            &build.0,
                            &i.target,
                            &f.path,
                            &(f.size as i64),
                            &f.file_type.as_str(),
                            &f.mode,
                            &f.owner,
                            &f.group,
                            &f.link,
                        ],
                    )
                    .expect("image file");
                }
            }
            _ => {}
        }
    }
    let artifact = tx
        .prepare(
            "INSERT INTO artifact (build_id, kind, name, path, size) VALUES ($1, $2, $3, $4, $5)",
        )
        .expect("prepare");
    for (kind, size) in [("image", 64i64 << 20), ("manifest", 12_000)] {
        let path = format!(
            "/srv/build/tmp/deploy/images/qemux86-64/core-image-minimal-qemux86-64.rootfs.{kind}"
        );
        tx.execute(&artifact, &[&build.0, &kind, &path, &path, &size])
            .expect("artifact");
    }
    tx.execute("UPDATE build SET state = 'succeeded', ended_at = $2, recipes_parsed = $3, recipes_total = $3, tasks_done = $4, tasks_total = $4, errors = $5, warnings = $6 WHERE id = $1",
        &[&build.0, &start, &(w.recipes as i64), &(w.tasks as i64), &rows.errors, &rows.warnings]).expect("build");
    tx.commit().expect("commit");
    started.elapsed()
}

/// `build list` and `build show` on a schema of [`LISTED_BUILDS`] such builds: the facade,
/// and the same queries raw.
fn listing(server: &Server) -> ((Duration, Duration), (Duration, Duration)) {
    let (alice, url) = instance(server);
    let build = alice.start_build("demo", "bench", None).expect("start");
    let mut recorder = alice
        .recorder(build.id, BatchPolicy::default())
        .expect("recorder");
    for event in WORKLOAD.events(Timestamp::now()) {
        recorder.record(event).expect("record");
    }
    drop(recorder);
    let mut client = connect(&url);
    copy_build(&mut client, build.id, LISTED_BUILDS - 1);
    let query = toaster_core::BuildQuery {
        project: None,
        visibility: Visibility::Visible,
        limit: 25,
        offset: 0,
    };
    let ids: Vec<BuildId> = alice
        .builds(&query)
        .expect("list")
        .iter()
        .map(|b| b.id)
        .collect();
    assert_eq!(ids.len(), 25);
    let listed = client.prepare("SELECT b.*, p.name, o.name FROM build b JOIN project p ON p.id = b.project_id JOIN owner o ON o.id = b.owner_id WHERE NOT b.hidden ORDER BY b.id DESC LIMIT 25").expect("prepare");
    let list = (
        time(50, || drop(alice.builds(&query).expect("list"))),
        time(50, || {
            assert_eq!(client.query(&listed, &[]).expect("query").len(), 25);
        }),
    );
    let middle = ids[12];
    let one = client
        .prepare("SELECT * FROM build WHERE id = $1")
        .expect("prepare");
    let counts = client
        .prepare("SELECT outcome, count(*) FROM task WHERE build_id = $1 GROUP BY outcome")
        .expect("prepare");
    let show = (
        time(50, || drop(alice.build(middle).expect("show"))),
        time(50, || {
            client.query_one(&one, &[&middle.0]).expect("build");
            assert!(
                !client
                    .query(&counts, &[&middle.0])
                    .expect("counts")
                    .is_empty()
            );
        }),
    );
    (list, show)
}

/// Copies build `from` `copies` times, rows and all, with SQL (setting up, not measured).
fn copy_build(client: &mut Client, from: BuildId, copies: usize) {
    let mut tx = client.transaction().expect("begin");
    for k in 1..=copies as i64 {
        let id: i64 = tx.query_one(
            "INSERT INTO build (project_id, revision, owner_id, client, host, build_dir, log_path, machine, distro, state, hidden, started_at, ended_at, heartbeat_at, recipes_parsed, recipes_total, tasks_done, tasks_total, errors, warnings) \
             SELECT project_id, revision, owner_id, client, host, build_dir, log_path || '.' || $2, machine, distro, state, hidden, started_at, ended_at, heartbeat_at, recipes_parsed, recipes_total, tasks_done, tasks_total, errors, warnings FROM build WHERE id = $1 RETURNING id",
            &[&from.0, &k.to_string()]).expect("build").get(0);
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
            ("artifact", "kind, name, dir, path, size"),
        ] {
            tx.execute(&format!("INSERT INTO {table} (build_id, {columns}) SELECT $2, {columns} FROM {table} WHERE build_id = $1"), &[&from.0, &id]).expect("copy");
        }
    }
    tx.commit().expect("commit");
}
