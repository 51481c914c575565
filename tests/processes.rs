//! Real child processes sharing one SQLite file through the library: every change kept,
//! no "database is locked" surfaced.
//!
//! The test binary re-runs itself as the child: with TOASTER_TEST_WORKER set, the
//! `worker` test below does the child's work instead of being skipped.

use std::path::Path;
use std::process::{Command, Stdio};

use toaster::Toaster;
use toaster::model::{ConfigChange, ConfigKey};

const CHANGES_PER_WORKER: usize = 40;

/// The child's side: TOASTER_TEST_WORKER = "DB|PROJECT|PREFIX".
#[test]
fn worker() {
    let Ok(spec) = std::env::var("TOASTER_TEST_WORKER") else {
        return;
    };
    let parts: Vec<&str> = spec.split('|').collect();
    let [db, project, prefix] = parts[..] else {
        panic!("bad worker spec {spec}")
    };
    let toaster = Toaster::open_sqlite(Path::new(db)).expect("open");
    let actor = toaster
        .act_as("alice", &format!("worker-{prefix}"))
        .expect("owner");
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

fn run_workers(db: &Path, jobs: &[(&str, &str)]) {
    let exe = std::env::current_exe().expect("test binary");
    let children: Vec<_> = jobs
        .iter()
        .map(|(project, prefix)| {
            Command::new(&exe)
                .args([
                    "--exact",
                    "processes::worker",
                    "--test-threads=1",
                    "--nocapture",
                ])
                .env(
                    "TOASTER_TEST_WORKER",
                    format!("{}|{project}|{prefix}", db.display()),
                )
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn worker")
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().expect("worker");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.status.success(), "worker failed: {text}");
        assert!(text.contains("1 passed"), "the worker ran: {text}");
        assert!(!text.contains("locked"), "{text}");
    }
}

fn setup(dir: &Path, projects: &[&str]) -> Toaster {
    let toaster = Toaster::init_sqlite(&dir.join("toaster.sqlite")).expect("init");
    let alice = toaster
        .add_first_owner("alice", None, "test")
        .expect("owner");
    for project in projects {
        alice
            .create_project(project, &dir.join(project), None, None)
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
