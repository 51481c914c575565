//! Real child processes sharing one SQLite file through the library: every change kept,
//! no "database is locked" surfaced, and a recorder killed mid-build leaves a consistent
//! database and an interrupted build.
//!
//! The test binary re-runs itself as the child: with TOASTER_TEST_WORKER set, the
//! `worker` test below does the child's work instead of being skipped.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use toaster::Toaster;
use toaster::ingest::synthetic::Workload;
use toaster::ingest::{BatchPolicy, Event};
use toaster::model::{BuildId, BuildState, ConfigChange, ConfigKey, TaskFilter, Timestamp};

const CHANGES_PER_WORKER: usize = 40;

/// A build of moderate size, so that four of them interleave in small batches.
const MEDIUM: Workload = Workload {
    tasks: 1_500,
    recipes: 100,
    packages: 600,
    depends: 3,
    logs: 50,
    layers: 5,
    task_dependencies: 2_000,
    recipe_dependencies: 400,
    virtual_providers: 5,
    variables: 10,
    variable_history: 3,
    package_files: 1_800,
    image_packages: 100,
    image_files: 500,
};

/// The child's side: TOASTER_TEST_WORKER = "MODE|DB|PROJECT|PREFIX".
#[test]
fn worker() {
    let Ok(spec) = std::env::var("TOASTER_TEST_WORKER") else {
        return;
    };
    let parts: Vec<&str> = spec.split('|').collect();
    let [mode, db, project, prefix] = parts[..] else {
        panic!("bad worker spec {spec}")
    };
    let toaster = Toaster::open_sqlite(Path::new(db)).expect("open");
    let actor = toaster
        .act_as("alice", &format!("worker-{prefix}"))
        .expect("owner");
    match mode {
        "config" => {
            for i in 0..CHANGES_PER_WORKER {
                let change = ConfigChange::Add {
                    key: ConfigKey::Packages,
                    words: vec![format!("{prefix}{i}")],
                };
                actor
                    .change_config(project, &[change], None)
                    .expect("change kept");
            }
        }
        "record" | "record-then-hang" => {
            let build = actor.start_build(project, prefix, None).expect("start");
            // libtest may have started the line with the test's name: begin a new one.
            println!("\nBUILD {}", build.id);
            let policy = BatchPolicy {
                max_writes: 64,
                max_age: Duration::from_millis(5),
            };
            let mut recorder = actor.recorder(build.id, policy).expect("recorder");
            let events: Vec<_> = MEDIUM.events(Timestamp::now()).collect();
            let half = events.len() / 2;
            for (n, event) in events.into_iter().enumerate() {
                if mode == "record-then-hang" && n == half {
                    recorder.flush().expect("flush");
                    println!("\nFLUSHED");
                }
                if mode == "record-then-hang" && n > half {
                    // A slow build: the parent kills it with writes pending.
                    std::thread::sleep(Duration::from_millis(2));
                }
                recorder.record(event).expect("recorded");
            }
        }
        other => panic!("unknown worker mode {other}"),
    }
}

fn spawn(db: &Path, mode: &str, project: &str, prefix: &str) -> Child {
    Command::new(std::env::current_exe().expect("test binary"))
        .args([
            "--exact",
            "processes::worker",
            "--test-threads=1",
            "--nocapture",
        ])
        .env(
            "TOASTER_TEST_WORKER",
            format!("{mode}|{}|{project}|{prefix}", db.display()),
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn worker")
}

fn run_workers(db: &Path, mode: &str, jobs: &[(&str, &str)]) -> Vec<String> {
    let children: Vec<Child> = jobs
        .iter()
        .map(|(project, prefix)| spawn(db, mode, project, prefix))
        .collect();
    children
        .into_iter()
        .map(|child| {
            let out = child.wait_with_output().expect("worker");
            let text = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(out.status.success(), "worker failed: {text}");
            assert!(text.contains("1 passed"), "the worker ran: {text}");
            assert!(!text.contains("locked"), "{text}");
            text
        })
        .collect()
}

fn setup(dir: &Path, projects: &[&str]) -> Toaster {
    let toaster = Toaster::init_sqlite(&dir.join("toaster.sqlite")).expect("init");
    let alice = toaster
        .add_first_owner("alice", None, "test")
        .expect("owner");
    for project in projects {
        alice
            .create_project(
                project,
                &dir.join(project),
                &toaster_core::ProjectOptions {
                    ..Default::default()
                },
            )
            .expect("project");
    }
    toaster
}

#[test]
fn two_processes_changing_the_same_project_lose_nothing() {
    let dir = tempfile::tempdir().expect("temp");
    let toaster = setup(dir.path(), &["demo"]);
    run_workers(
        &dir.path().join("toaster.sqlite"),
        "config",
        &[("demo", "a"), ("demo", "b")],
    );
    let alice = toaster.act_as("alice", "test").expect("owner");
    let packages = alice.config("demo").expect("config").config.packages;
    assert_eq!(packages.len(), 2 * CHANGES_PER_WORKER);
    assert_eq!(
        alice.history("demo").expect("history").len(),
        2 * CHANGES_PER_WORKER + 1
    );
}

#[test]
fn two_processes_changing_different_projects_lose_nothing() {
    let dir = tempfile::tempdir().expect("temp");
    let toaster = setup(dir.path(), &["one", "two"]);
    run_workers(
        &dir.path().join("toaster.sqlite"),
        "config",
        &[("one", "a"), ("two", "b")],
    );
    let alice = toaster.act_as("alice", "test").expect("owner");
    for project in ["one", "two"] {
        let revision = alice.config(project).expect("config");
        assert_eq!(
            revision.config.packages.len(),
            CHANGES_PER_WORKER,
            "{project}"
        );
        assert_eq!(revision.number.0 as usize, CHANGES_PER_WORKER + 1);
    }
}

fn build_id(text: &str) -> BuildId {
    let id = text
        .lines()
        .find_map(|l| l.strip_prefix("BUILD "))
        .expect("a build id")
        .trim();
    BuildId(id.parse().expect("a number"))
}

#[test]
fn four_processes_recording_four_builds_at_once_lose_nothing() {
    let dir = tempfile::tempdir().expect("temp");
    let toaster = setup(dir.path(), &["demo", "other"]);
    let jobs = [
        ("demo", "h1"),
        ("demo", "h2"),
        ("other", "h3"),
        ("other", "h4"),
    ];
    let outputs = run_workers(&dir.path().join("toaster.sqlite"), "record", &jobs);
    let alice = toaster.act_as("alice", "test").expect("owner");
    for (text, (_, host)) in outputs.iter().zip(jobs) {
        let detail = alice.build(build_id(text)).expect("build");
        assert_eq!(
            (detail.build.state, detail.build.host.as_str()),
            (BuildState::Succeeded, host)
        );
        let tasks: u32 = detail.tasks.iter().map(|(_, n)| n).sum();
        assert_eq!(tasks as usize, MEDIUM.tasks);
        assert_eq!(
            alice.packages(detail.build.id).expect("packages").len(),
            MEDIUM.packages
        );
        assert_eq!(
            alice.recipes(detail.build.id).expect("recipes").len(),
            MEDIUM.recipes
        );
    }
}

#[test]
fn a_recorder_killed_mid_build_leaves_a_consistent_database_and_an_interrupted_build() {
    let dir = tempfile::tempdir().expect("temp");
    let db = dir.path().join("toaster.sqlite");
    let toaster = setup(dir.path(), &["demo"]);
    let mut child = spawn(&db, "record-then-hang", "demo", "doomed");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let mut build = None;
    for line in lines.by_ref() {
        let line = line.expect("line");
        if let Some(id) = line.strip_prefix("BUILD ") {
            build = Some(BuildId(id.trim().parse().expect("id")));
        }
        if line == "FLUSHED" {
            break;
        }
    }
    let build = build.expect("the child started a build");
    std::thread::sleep(Duration::from_millis(150));
    child.kill().expect("SIGKILL"); // std sends SIGKILL on Unix
    let status = child.wait().expect("reaped");
    assert!(!status.success());

    let conn = rusqlite::Connection::open(&db).expect("open");
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("check");
    assert_eq!(integrity, "ok");
    let dangling: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .expect("fk");
    assert_eq!(dangling, 0);

    let alice = toaster.act_as("alice", "test").expect("owner");
    let before = alice.build(build).expect("build").build;
    assert_eq!(
        before.state,
        BuildState::Running,
        "the build was left running"
    );
    let tasks = alice
        .tasks(
            build,
            &TaskFilter {
                limit: 10_000,
                ..TaskFilter::default()
            },
        )
        .expect("tasks");
    // Everything before the flush was committed (the child flushed at its half-way event);
    // some of the rest may be, not all of it.
    let events: Vec<_> = MEDIUM.events(Timestamp::now()).collect();
    let flushed: std::collections::BTreeSet<(String, String)> = events[..events.len() / 2]
        .iter()
        .filter_map(|event| match event {
            Event::TaskStarted { recipe, task, .. } | Event::TaskFinished { recipe, task, .. } => {
                Some((recipe.clone(), task.clone()))
            }
            _ => None,
        })
        .collect();
    assert!(
        tasks.len() >= flushed.len() && !flushed.is_empty() && tasks.len() < MEDIUM.tasks,
        "committed batches stay: {} tasks recorded, {} flushed",
        tasks.len(),
        flushed.len()
    );
    assert_eq!(
        alice.interrupt_silent_builds(Duration::ZERO).expect("reap"),
        [build]
    );
    let after = alice.build(build).expect("build").build;
    assert_eq!(after.state, BuildState::Interrupted);
    assert_eq!(
        after.ended_at,
        Some(after.heartbeat_at),
        "it ended when it was last heard of"
    );
}
