//! The build queue on SQLite across processes: runners in separate processes racing for
//! the same builds on one database file each get different builds.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::SqliteStore;
use crate::model::{
    Action, AuditAction, BuildId, ClaimRequest, NewBuild, Right, RunnerId, Timestamp,
};
use crate::store::{Store, conformance};

/// The database the helper claims from; unset, the helper does nothing.
const DB_VAR: &str = "TOASTER_TEST_CLAIM_DB";
/// The directory where helpers say they are ready and wait for the start file.
const DIR_VAR: &str = "TOASTER_TEST_CLAIM_DIR";
/// The helper's test name, for the test binary's filter.
const HELPER: &str = "store::sqlite::queue_tests::claim_helper";
const RACERS: usize = 4;
const BUILDS: usize = 32;

/// A database with an admin and `BUILDS` requested builds, each of its own project.
fn seeded(path: &Path) -> BTreeSet<BuildId> {
    let store = SqliteStore::init(path).unwrap();
    let alice = conformance::owner(&store, "alice");
    (0..BUILDS)
        .map(|i| {
            let project = conformance::project(&store, &alice, &format!("p{i}"));
            let new = NewBuild {
                requested: true,
                host: "asker".into(),
                ..conformance::new_build(&project, &alice)
            };
            let started = conformance::acting(
                &alice,
                Action::Project(Right::Build),
                AuditAction::BuildStart,
                Some(project.name.as_str()),
            );
            store.start_build(&new, &started).unwrap().id
        })
        .collect()
}

/// Run by [`racing_processes_claim_every_build_once`] in each racing process: says it is
/// ready, waits for the start, claims until nothing is left, and prints what it got.
#[test]
#[ignore = "a helper process of racing_processes_claim_every_build_once"]
fn claim_helper() {
    let (Ok(db), Ok(dir)) = (std::env::var(DB_VAR), std::env::var(DIR_VAR)) else {
        return;
    };
    let dir = PathBuf::from(dir);
    let store = SqliteStore::open(Path::new(&db)).unwrap();
    let alice = store.owner("alice").unwrap();
    let me = RunnerId::generate("racer").unwrap();
    std::fs::write(dir.join(format!("ready-{}", std::process::id())), "").unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while !dir.join("go").exists() {
        assert!(Instant::now() < deadline, "no start signal");
        std::thread::sleep(Duration::from_micros(200));
    }
    loop {
        let now = Timestamp::now();
        let claim = ClaimRequest {
            runner: me.clone(),
            host: "racer".into(),
            owner: alice.id,
            lease_until: Timestamp(now.0 + 60_000),
            now,
            work_root: None,
            releases: Vec::new(),
        };
        match store.claim_build(&claim).unwrap() {
            Some(build) => println!("claimed {} by {me}", build.id),
            None => break,
        }
        // Hold on a moment, as a runner starting a build would, so that the others get
        // their turn while this one is still claiming.
        std::thread::sleep(Duration::from_millis(3));
    }
}

#[test]
fn racing_processes_claim_every_build_once() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("toaster.sqlite");
    let queued = seeded(&db);
    let exe = std::env::current_exe().unwrap();
    let racers: Vec<_> = (0..RACERS)
        .map(|_| {
            Command::new(&exe)
                .args([HELPER, "--exact", "--ignored", "--nocapture"])
                .args(["--test-threads", "1"])
                .env(DB_VAR, &db)
                .env(DIR_VAR, tmp.path())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let deadline = Instant::now() + Duration::from_secs(60);
    let ready = || {
        std::fs::read_dir(tmp.path())
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .starts_with("ready-")
            })
            .count()
    };
    while ready() < RACERS {
        assert!(Instant::now() < deadline, "the racers did not start");
        std::thread::sleep(Duration::from_millis(5));
    }
    std::fs::write(tmp.path().join("go"), "").unwrap();
    let mut claimed: BTreeMap<BuildId, Vec<String>> = BTreeMap::new();
    for racer in racers {
        let output = racer.wait_with_output().unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "{stdout}\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(stdout.contains("1 passed"), "the helper ran: {stdout}");
        for line in stdout.lines() {
            // libtest may print the test's name on the line before the first claim.
            if let Some((id, runner)) = line
                .split_once("claimed ")
                .and_then(|(_, rest)| rest.split_once(" by "))
            {
                claimed
                    .entry(BuildId(id.parse().unwrap()))
                    .or_default()
                    .push(runner.to_owned());
            }
        }
    }
    let twice: Vec<_> = claimed.iter().filter(|(_, by)| by.len() > 1).collect();
    assert!(twice.is_empty(), "claimed more than once: {twice:?}");
    assert_eq!(
        claimed.keys().copied().collect::<BTreeSet<_>>(),
        queued,
        "every build was claimed"
    );
    let winners: BTreeSet<&String> = claimed.values().flatten().collect();
    assert!(
        winners.len() > 1,
        "the racers did not overlap (one took every build): {claimed:?}"
    );
    let store = SqliteStore::open(&db).unwrap();
    for (id, by) in &claimed {
        let held = store.build(*id).unwrap().claim.unwrap();
        assert_eq!(
            held.runner.as_str(),
            by[0],
            "the store agrees on build {id}"
        );
    }
}
