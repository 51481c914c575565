//! Recording builds through the facade: read back exactly, states, odd event streams,
//! hiding, deleting, event logs.

use std::time::Duration;

use super::*;
use crate::COMMAND_LINE_PROJECT;
use crate::ErrorKind;
use crate::ingest::event_log::{BuildHeader, EventLogWriter, Header};
use crate::ingest::synthetic::Workload;
use crate::ingest::{BatchPolicy, Event, IngestError};
use crate::model::Visibility;
use crate::model::{
    Build, BuildId, BuildState, ConfigChange, ConfigKey, LogLevel, LogRecord, Task, TaskFilter,
    TaskOutcome, Timestamp,
};
use crate::store::StoreError;

pub(super) struct Fixture {
    pub(super) tmp: tempfile::TempDir,
    pub(super) alice: Actor,
}

impl Fixture {
    pub(super) fn new() -> Fixture {
        let tmp = tempfile::tempdir().unwrap();
        let toaster = Toaster::init_sqlite(&tmp.path().join("toaster.sqlite")).unwrap();
        let alice = toaster.add_first_owner("alice", None, "test").unwrap();
        alice
            .create_project(
                "demo",
                &tmp.path().join("demo"),
                &crate::ProjectOptions {
                    release: Some("scarthgap"),
                    ..Default::default()
                },
            )
            .unwrap();
        let targets = ConfigChange::Set {
            key: ConfigKey::Targets,
            value: "core-image-minimal".into(),
        };
        alice.change_config("demo", &[targets], None).unwrap();
        Fixture { tmp, alice }
    }

    pub(super) fn start(&self) -> Build {
        self.alice.start_build("demo", "buildhost", None).unwrap()
    }

    /// The texts of a build's warnings, in order.
    pub(super) fn warnings(&self, build: BuildId) -> Vec<String> {
        self.alice
            .log_messages(build, LogLevel::Warning)
            .unwrap()
            .into_iter()
            .map(|l| l.text)
            .collect()
    }

    fn record(&self, build: &Build, events: impl IntoIterator<Item = Event>, policy: BatchPolicy) {
        let mut recorder = self.alice.recorder(build.id, policy).unwrap();
        for event in events {
            recorder.record(event).unwrap();
        }
        recorder
            .flush()
            .or_else(|e| match e {
                IngestError::Store {
                    source: StoreError::BuildEnded { .. },
                    ..
                } => Ok(()),
                other => Err(other),
            })
            .unwrap();
    }
}

fn small_batches() -> BatchPolicy {
    BatchPolicy {
        max_writes: 37,
        max_age: Duration::from_secs(60),
    }
}

#[test]
fn a_whole_recorded_build_reads_back_exactly() {
    let f = Fixture::new();
    let build = f.start();
    assert_eq!(build.state, BuildState::Queued);
    assert_eq!(
        build.revision.0, 2,
        "pinned to the newest configuration revision"
    );
    assert_eq!(build.targets[0].to_string(), "core-image-minimal");
    assert_eq!(build.layers.len(), 3);
    assert_eq!(build.log_path, None, "no log file is written yet");
    let w = Workload::SMALL;
    let start = Timestamp(1_795_765_414_000);
    f.record(&build, w.events(start), small_batches());

    let detail = f.alice.build(build.id).unwrap();
    let read = detail.build;
    assert_eq!(read.state, BuildState::Succeeded);
    assert_eq!(
        read.ended_at,
        Some(Timestamp(start.0 + w.tasks as i64 * 10 + 100))
    );
    assert_eq!(
        (read.progress.recipes_parsed, read.progress.recipes_total),
        (12, 12)
    );
    assert_eq!(
        (read.progress.tasks_done, read.progress.tasks_total),
        (100, 120)
    );
    let expected_logs: Vec<LogRecord> = (0..w.logs).map(|l| w.log(l, Timestamp(0))).collect();
    let errors = expected_logs
        .iter()
        .filter(|l| l.level >= LogLevel::Error)
        .count() as u32;
    let warnings = expected_logs
        .iter()
        .filter(|l| l.level == LogLevel::Warning)
        .count() as u32;
    assert_eq!((read.errors, read.warnings), (errors, warnings));

    let tasks = f
        .alice
        .tasks(
            build.id,
            &TaskFilter {
                limit: 1000,
                ..TaskFilter::default()
            },
        )
        .unwrap();
    assert_eq!(tasks.len(), w.tasks);
    let ran: Vec<&Task> = tasks.iter().filter(|t| t.record.order.is_some()).collect();
    let orders: Vec<u32> = ran.iter().map(|t| t.record.order.unwrap()).collect();
    assert_eq!(
        orders,
        (1..=ran.len() as u32).collect::<Vec<_>>(),
        "executed tasks are ordered 1..N"
    );
    for task in &tasks {
        let i = (0..w.tasks)
            .find(|i| {
                format!("recipe{}", i % w.recipes) == task.record.recipe
                    && w.task_name(*i) == task.record.task
            })
            .unwrap();
        assert_eq!(task.record.outcome, Some(w.outcome(i)), "{task:?}");
        assert_eq!(
            task.record.ended_at,
            Some(Timestamp(start.0 + i as i64 * 10 + 7))
        );
        if task.record.order.is_some() {
            assert_eq!(task.elapsed_ms, Some(7));
            assert_eq!(task.record.cpu_ms, Some((i % 97) as u64));
            assert_eq!(task.record.write_bytes, Some((i * 1024) as u64));
        }
    }
    let counted: u32 = detail.tasks.iter().map(|(_, n)| n).sum();
    assert_eq!(counted as usize, w.tasks);

    let mut recipes: Vec<_> = (0..w.recipes).map(|r| w.recipe(r)).collect();
    recipes.sort_by(|a, b| (&a.name, &a.version).cmp(&(&b.name, &b.version)));
    assert_eq!(f.alice.recipes(build.id).unwrap(), recipes);
    let packages: Vec<_> = (0..w.packages)
        .map(|p| {
            let mut package = w.package(p);
            package.depends.sort();
            package
        })
        .collect();
    assert_eq!(f.alice.packages(build.id).unwrap(), packages);
    let logs = f.alice.log_messages(build.id, LogLevel::Debug).unwrap();
    let texts: Vec<&str> = logs.iter().map(|l| l.text.as_str()).collect();
    let expected: Vec<&str> = expected_logs.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(texts, expected);
    assert_eq!(
        f.alice
            .log_messages(build.id, LogLevel::Error)
            .unwrap()
            .len() as u32,
        errors
    );
    assert_eq!(f.alice.artifacts(build.id).unwrap().len(), 2);
}

#[test]
fn recipes_are_stored_once_across_builds() {
    let f = Fixture::new();
    for _ in 0..2 {
        let build = f.start();
        f.record(
            &build,
            Workload::SMALL.events(Timestamp(0)),
            BatchPolicy::default(),
        );
    }
    let builds = f
        .alice
        .builds(&crate::BuildQuery {
            project: Some("demo"),
            visibility: Visibility::Visible,
            limit: 10,
            offset: 0,
        })
        .unwrap();
    assert_eq!(builds.len(), 2);
    for build in builds {
        assert_eq!(
            f.alice.recipes(build.id).unwrap().len(),
            Workload::SMALL.recipes
        );
    }
}

#[test]
fn states_never_move_backwards_and_an_ended_build_takes_no_more() {
    let f = Fixture::new();
    let build = f.start();
    let mut recorder = f.alice.recorder(build.id, BatchPolicy::default()).unwrap();
    let task = |name: &str| Event::TaskStarted {
        recipe: "busybox".into(),
        task: name.into(),
        at: None,
        log_file: None,
    };
    recorder.record(task("do_fetch")).unwrap();
    recorder.record(Event::ParseStarted { total: 5 }).unwrap();
    recorder.flush().unwrap();
    assert_eq!(
        f.alice.build(build.id).unwrap().build.state,
        BuildState::Running
    );
    recorder.finish(BuildState::Failed, None).unwrap();
    let ended = f.alice.build(build.id).unwrap().build;
    assert_eq!(ended.state, BuildState::Failed);
    assert!(ended.ended_at.is_some());
    let err = f
        .alice
        .recorder(build.id, BatchPolicy::default())
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Invalid);
    assert!(err.to_string().contains("has ended"), "{err}");
}

#[test]
fn odd_event_streams_are_recorded_the_way_builds_produce_them() {
    let f = Fixture::new();
    let build = f.start();
    let started = |task: &str, at| Event::TaskStarted {
        recipe: "zlib".into(),
        task: task.into(),
        at: Some(Timestamp(at)),
        log_file: None,
    };
    let finished = |task: &str, outcome, at| Event::TaskFinished {
        recipe: "zlib".into(),
        task: task.into(),
        outcome,
        at: Some(Timestamp(at)),
        cpu_ms: None,
        read_bytes: None,
        write_bytes: None,
        log_file: None,
        sstate: None,
        executed: None,
        script: None,
    };
    let events = vec![
        finished("do_populate_lic_setscene", TaskOutcome::Cached, 5), // never started: fine
        started("do_fetch", 10),
        started("do_fetch", 11), // duplicate start
        finished("do_fetch", TaskOutcome::Succeeded, 20),
        finished("do_fetch", TaskOutcome::Succeeded, 21), // duplicate end
        finished("do_unpack", TaskOutcome::Succeeded, 40), // end before start
        started("do_unpack", 30),
        started("do_compile", 50), // never ends
    ];
    // One batch per event, so that nothing is folded in memory: the store must cope too.
    f.record(
        &build,
        events,
        BatchPolicy {
            max_writes: 1,
            max_age: Duration::ZERO,
        },
    );
    let tasks = f
        .alice
        .tasks(
            build.id,
            &TaskFilter {
                limit: 10,
                ..TaskFilter::default()
            },
        )
        .unwrap();
    type Row = (
        String,
        Option<u32>,
        Option<TaskOutcome>,
        Option<i64>,
        Option<i64>,
    );
    let summary: Vec<Row> = tasks
        .iter()
        .map(|t| {
            let r = &t.record;
            (
                r.task.clone(),
                r.order,
                r.outcome,
                r.started_at.map(|t| t.0),
                r.ended_at.map(|t| t.0),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                "do_fetch".to_owned(),
                Some(1),
                Some(TaskOutcome::Succeeded),
                Some(10),
                Some(21)
            ),
            (
                "do_unpack".to_owned(),
                Some(2),
                Some(TaskOutcome::Succeeded),
                Some(30),
                Some(40)
            ),
            ("do_compile".to_owned(), Some(3), None, Some(50), None),
            (
                "do_populate_lic_setscene".to_owned(),
                None,
                Some(TaskOutcome::Cached),
                None,
                Some(5)
            ),
        ]
    );
    let running = TaskFilter {
        outcome: Some(None),
        limit: 10,
        ..TaskFilter::default()
    };
    assert_eq!(f.alice.tasks(build.id, &running).unwrap().len(), 1);
    let by_recipe = TaskFilter {
        recipe: Some("nothing".into()),
        limit: 10,
        ..TaskFilter::default()
    };
    assert!(f.alice.tasks(build.id, &by_recipe).unwrap().is_empty());
}

#[test]
fn absurd_values_are_kept_safe_with_a_warning_recorded() {
    let f = Fixture::new();
    let build = f.start();
    let huge = "x".repeat(10 << 20);
    let events = vec![
        Event::TaskFinished {
            recipe: "r".into(),
            task: "do_x".into(),
            outcome: TaskOutcome::Succeeded,
            at: Some(Timestamp(-100)),
            cpu_ms: Some(-5),
            read_bytes: Some(1),
            write_bytes: Some(-1),
            log_file: None,
            sstate: None,
            executed: None,
            script: None,
        },
        Event::Log(LogRecord {
            level: LogLevel::Note,
            text: huge,
            task: None,
            file: None,
            line: None,
            at: None,
        }),
    ];
    f.record(&build, events, BatchPolicy::default());
    let task = &f
        .alice
        .tasks(
            build.id,
            &TaskFilter {
                limit: 5,
                ..TaskFilter::default()
            },
        )
        .unwrap()[0];
    assert_eq!(
        (
            task.record.ended_at,
            task.record.cpu_ms,
            task.record.read_bytes,
            task.record.write_bytes
        ),
        (None, None, Some(1), None)
    );
    let warnings = f.alice.log_messages(build.id, LogLevel::Warning).unwrap();
    assert_eq!(warnings.len(), 4, "{warnings:?}");
    assert!(warnings.iter().all(|w| w.text.starts_with("toaster: ")));
    let note = &f
        .alice
        .log_messages(build.id, LogLevel::Note)
        .unwrap()
        .into_iter()
        .find(|l| l.level == LogLevel::Note)
        .unwrap();
    assert!(note.text.len() < 70_000 && note.text.ends_with("cut by toaster]"));
}

#[test]
fn a_recorder_for_a_build_that_does_not_exist_is_refused() {
    let f = Fixture::new();
    let err = f
        .alice
        .recorder(BuildId(999), BatchPolicy::default())
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
}

#[test]
fn hiding_listing_and_paging() {
    let f = Fixture::new();
    let ids: Vec<BuildId> = (0..5).map(|_| f.start().id).collect();
    let list = |visibility| {
        f.alice
            .builds(&crate::BuildQuery {
                project: None,
                visibility,
                limit: 10,
                offset: 0,
            })
            .unwrap()
            .iter()
            .map(|b| b.id)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        list(Visibility::Visible),
        ids.iter().rev().copied().collect::<Vec<_>>(),
        "newest first"
    );
    f.alice.hide_build(ids[1], true).unwrap();
    assert!(!list(Visibility::Visible).contains(&ids[1]));
    assert_eq!(list(Visibility::Hidden), [ids[1]]);
    assert_eq!(list(Visibility::All).len(), 5);
    f.alice.hide_build(ids[1], false).unwrap();
    assert_eq!(list(Visibility::Visible).len(), 5);
    let page = f
        .alice
        .builds(&crate::BuildQuery {
            project: Some("demo"),
            visibility: Visibility::Visible,
            limit: 2,
            offset: 2,
        })
        .unwrap();
    assert_eq!(
        page.iter().map(|b| b.id).collect::<Vec<_>>(),
        [ids[2], ids[1]]
    );
}

#[test]
fn deleting_a_build_leaves_the_others_and_the_project() {
    let f = Fixture::new();
    let keep = f.start();
    f.record(
        &keep,
        Workload::SMALL.events(Timestamp(0)),
        BatchPolicy::default(),
    );
    let gone = f.start();
    f.record(
        &gone,
        Workload::SMALL.events(Timestamp(0)),
        BatchPolicy::default(),
    );
    let before = f
        .alice
        .tasks(
            keep.id,
            &TaskFilter {
                limit: 1000,
                ..TaskFilter::default()
            },
        )
        .unwrap();
    let deleted = f.alice.delete_build(gone.id).unwrap();
    assert_eq!(deleted.id, gone.id);
    assert_eq!(
        f.alice.build(gone.id).unwrap_err().kind(),
        ErrorKind::NotFound
    );
    assert_eq!(
        f.alice
            .tasks(
                keep.id,
                &TaskFilter {
                    limit: 1000,
                    ..TaskFilter::default()
                }
            )
            .unwrap(),
        before
    );
    assert_eq!(
        f.alice.recipes(keep.id).unwrap().len(),
        Workload::SMALL.recipes,
        "shared recipes stay"
    );
    f.alice.delete_build(keep.id).unwrap();
    let again = f.start();
    f.record(
        &again,
        Workload::SMALL.events(Timestamp(0)),
        BatchPolicy::default(),
    );
    assert_eq!(
        f.alice.recipes(again.id).unwrap().len(),
        Workload::SMALL.recipes
    );
    assert!(f.alice.project("demo").is_ok());
}

#[test]
fn silent_builds_are_interrupted_and_live_ones_are_not() {
    let f = Fixture::new();
    let silent = f.start();
    let mut recorder = f.alice.recorder(silent.id, BatchPolicy::default()).unwrap();
    recorder.record(Event::ParseStarted { total: 1 }).unwrap();
    recorder.flush().unwrap();
    let never_heard = f.start();
    std::thread::sleep(Duration::from_millis(30));
    let live = f.start();
    assert!(
        f.alice
            .interrupt_silent_builds(Duration::from_secs(600))
            .unwrap()
            .is_empty()
    );
    let mut ended = f
        .alice
        .interrupt_silent_builds(Duration::from_millis(20))
        .unwrap();
    ended.sort();
    assert_eq!(
        ended,
        [silent.id, never_heard.id],
        "a build started and never heard of ends too"
    );
    assert_eq!(
        f.alice.build(silent.id).unwrap().build.state,
        BuildState::Interrupted
    );
    assert_eq!(
        f.alice.build(live.id).unwrap().build.state,
        BuildState::Queued
    );
    assert!(
        recorder.record(Event::Heartbeat { at: None }).is_err(),
        "the late recorder is told"
    );
    f.alice.add_owner("bob", None).unwrap();
    let bob = f.alice.toaster.act_as("bob", "test").unwrap();
    let err = bob.interrupt_silent_builds(Duration::ZERO).unwrap_err();
    assert_eq!(
        err.kind(),
        ErrorKind::Denied,
        "only admins may end others' builds"
    );
}

fn header() -> Header {
    Header::new(BuildHeader {
        project: Some("demo".into()),
        host: "farm7".into(),
        build_dir: "/srv/farm7/build".into(),
        machine: Some("qemuarm64".into()),
        distro: Some("poky".into()),
        targets: vec!["core-image-minimal".into()],
        layers: Workload::SMALL.layers(),
        started_at: Timestamp(1_795_000_000_000),
    })
}

#[test]
fn an_event_log_written_beside_recording_replays_into_the_same_build() {
    let f = Fixture::new();
    let path = f.tmp.path().join("events.jsonl");
    let build = f.start();
    let writer = EventLogWriter::create(&path, &header()).unwrap();
    let mut recorder = f
        .alice
        .recorder(build.id, BatchPolicy::default())
        .unwrap()
        .with_event_log(writer);
    for event in Workload::SMALL.events(Timestamp(0)) {
        recorder.record(event).unwrap();
    }
    drop(recorder);
    assert!(
        EventLogWriter::create(&path, &header()).is_err(),
        "an existing log is never overwritten"
    );
    let report = f.alice.import_events(None, &path).unwrap();
    assert_eq!(report.read.stopped, None);
    assert!(report.read.skipped.is_empty());
    let imported = report.build;
    assert_eq!(
        (imported.host.as_str(), imported.state),
        ("farm7", BuildState::Succeeded)
    );
    assert_eq!(imported.started_at, Timestamp(1_795_000_000_000));
    let all = TaskFilter {
        limit: 1000,
        ..TaskFilter::default()
    };
    let original = f.alice.tasks(build.id, &all).unwrap();
    assert_eq!(f.alice.tasks(imported.id, &all).unwrap(), original);
    assert_eq!(
        f.alice.packages(imported.id).unwrap(),
        f.alice.packages(build.id).unwrap()
    );
}

#[test]
fn a_cut_or_odd_event_log_imports_what_is_valid_and_says_where_it_stopped() {
    let f = Fixture::new();
    let path = f.tmp.path().join("cut.jsonl");
    let mut text = serde_json::to_string(&header()).unwrap() + "\n";
    let events: Vec<Event> = Workload::SMALL.events(Timestamp(0)).collect();
    for event in &events[..40] {
        text.push_str(&serde_json::to_string(event).unwrap());
        text.push('\n');
    }
    text.push_str("{\"event\": \"from_the_future\", \"x\": 1}\n");
    text.push_str(&serde_json::to_string(&events[40]).unwrap());
    text.push('\n');
    text.push_str("{\"event\": \"task_star");
    std::fs::write(&path, &text).unwrap();
    let report = f.alice.import_events(Some("demo"), &path).unwrap();
    assert_eq!(report.read.events, 41);
    assert_eq!(report.read.skipped.len(), 1);
    assert_eq!(report.read.skipped[0].0, 42);
    let (line, reason) = report.read.stopped.clone().unwrap();
    assert_eq!(line, 44);
    assert!(reason.contains("not JSON"), "{reason}");
    assert_eq!(report.build.state, BuildState::Interrupted);

    std::fs::write(&path, "{\"format\": \"pickle\", \"version\": 1}\n").unwrap();
    let err = f.alice.import_events(Some("demo"), &path).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Invalid);
    assert!(err.to_string().contains("`pickle`"), "{err}");
    std::fs::write(
        &path,
        serde_json::to_string(&Header {
            version: 9,
            ..header()
        })
        .unwrap(),
    )
    .unwrap();
    assert!(
        f.alice
            .import_events(Some("demo"), &path)
            .unwrap_err()
            .to_string()
            .contains("version 9")
    );
    let builds_before = f
        .alice
        .builds(&crate::BuildQuery {
            project: None,
            visibility: Visibility::All,
            limit: 100,
            offset: 0,
        })
        .unwrap()
        .len();
    assert_eq!(builds_before, 1, "refused logs make no build");
}

#[test]
fn builds_follow_the_projects_permissions() {
    let f = Fixture::new();
    let build = f.start();
    f.alice.add_owner("bob", None).unwrap();
    let bob = f.alice.toaster.act_as("bob", "test").unwrap();
    assert!(
        bob.builds(&crate::BuildQuery {
            project: None,
            visibility: Visibility::Visible,
            limit: 10,
            offset: 0
        })
        .unwrap()
        .is_empty()
    );
    assert_eq!(bob.build(build.id).unwrap_err().kind(), ErrorKind::Denied);
    assert_eq!(
        bob.start_build("demo", "h", None).unwrap_err().kind(),
        ErrorKind::Denied
    );
    assert_eq!(
        bob.recorder(build.id, BatchPolicy::default())
            .unwrap_err()
            .kind(),
        ErrorKind::Denied
    );
    f.alice.chmod("demo", "others=rb").unwrap();
    assert_eq!(
        bob.builds(&crate::BuildQuery {
            project: None,
            visibility: Visibility::Visible,
            limit: 10,
            offset: 0
        })
        .unwrap()
        .len(),
        1
    );
    bob.hide_build(build.id, true).unwrap();
    assert_eq!(
        bob.delete_build(build.id).unwrap_err().kind(),
        ErrorKind::Denied,
        "deleting is the owner's"
    );
    f.alice.delete_build(build.id).unwrap();
    let audit = f
        .alice
        .audit(&crate::model::AuditFilter::default())
        .unwrap();
    let actions: Vec<&str> = audit.iter().take(3).map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        ["build.delete", "build.hide", "project.permissions"]
    );
}

#[test]
fn command_line_builds_land_in_one_project_open_to_every_owner() {
    let f = Fixture::new();
    let project = f.alice.command_line_project().unwrap();
    assert_eq!(project.name.as_str(), COMMAND_LINE_PROJECT);
    assert_eq!(project.mode.to_string(), "owner=rcbd,group=r,others=rb");
    assert_eq!(
        f.alice.command_line_project().unwrap().id,
        project.id,
        "one only"
    );
    f.alice.add_owner("bob", None).unwrap();
    let bob = f.alice.toaster.act_as("bob", "test").unwrap();
    assert_eq!(bob.command_line_project().unwrap().id, project.id);
    let build = bob
        .start_build(COMMAND_LINE_PROJECT, "laptop", Some(f.tmp.path()))
        .unwrap();
    assert_eq!(build.project, project.id);
    assert_eq!(
        bob.delete_build(build.id).unwrap_err().kind(),
        ErrorKind::Denied
    );
}

#[test]
fn events_after_the_end_are_dropped_and_a_second_recorder_continues_the_order() {
    let f = Fixture::new();
    let build = f.start();
    let started = |task: &str| Event::TaskStarted {
        recipe: "r".into(),
        task: task.into(),
        at: None,
        log_file: None,
    };
    let mut first = f.alice.recorder(build.id, BatchPolicy::default()).unwrap();
    first.record(started("do_a")).unwrap();
    first.flush().unwrap();
    let mut second = f.alice.recorder(build.id, BatchPolicy::default()).unwrap();
    second.record(started("do_b")).unwrap();
    second.finish(BuildState::Succeeded, None).unwrap();
    second.record(started("do_late")).unwrap();
    assert!(second.ended() && second.pending() == 0);
    let tasks = f
        .alice
        .tasks(
            build.id,
            &TaskFilter {
                limit: 10,
                ..TaskFilter::default()
            },
        )
        .unwrap();
    let orders: Vec<(String, Option<u32>)> = tasks
        .iter()
        .map(|t| (t.record.task.clone(), t.record.order))
        .collect();
    assert_eq!(
        orders,
        [("do_a".to_owned(), Some(1)), ("do_b".to_owned(), Some(2))]
    );
}

#[test]
fn an_event_log_with_events_after_the_end_imports_cleanly() {
    let f = Fixture::new();
    let path = f.tmp.path().join("late.jsonl");
    let mut text = serde_json::to_string(&header()).unwrap() + "\n";
    for event in Workload::SMALL
        .events(Timestamp(0))
        .chain([Event::Heartbeat { at: None }])
    {
        text.push_str(&serde_json::to_string(&event).unwrap());
        text.push('\n');
    }
    std::fs::write(&path, text).unwrap();
    let report = f.alice.import_events(None, &path).unwrap();
    assert_eq!(report.build.state, BuildState::Succeeded);
}

#[test]
fn a_second_end_in_the_same_batch_keeps_what_the_first_said() {
    let f = Fixture::new();
    let build = f.start();
    let end = |at: Option<i64>, cpu: Option<i64>| Event::TaskFinished {
        recipe: "r".into(),
        task: "do_x".into(),
        outcome: TaskOutcome::Succeeded,
        at: at.map(Timestamp),
        cpu_ms: cpu,
        read_bytes: None,
        write_bytes: None,
        log_file: None,
        sstate: None,
        executed: None,
        script: None,
    };
    f.record(
        &build,
        [end(Some(50), Some(7)), end(None, None)],
        BatchPolicy::default(),
    );
    let task = &f
        .alice
        .tasks(
            build.id,
            &TaskFilter {
                limit: 5,
                ..TaskFilter::default()
            },
        )
        .unwrap()[0];
    assert_eq!(
        (task.record.ended_at, task.record.cpu_ms),
        (Some(Timestamp(50)), Some(7))
    );
}

#[test]
fn a_build_run_by_hand_records_what_bitbake_saw() {
    let f = Fixture::new();
    let observed = crate::model::Observed {
        machine: Some("qemuarm64".into()),
        distro: None,
        targets: Some(vec![
            crate::model::Target::parse("core-image-sato").unwrap(),
        ]),
        layers: Some(vec![crate::model::BuildLayer {
            name: "meta".into(),
            source: "/srv/poky/meta".into(),
            reference: None,
            commit: Some("abc123".into()),
        }]),
    };
    let build = f
        .alice
        .start_observed_build("demo", "laptop", None, &observed)
        .unwrap();
    assert_eq!(
        (build.machine.as_deref(), build.distro.as_deref()),
        (Some("qemuarm64"), Some("poky"))
    );
    assert_eq!(build.targets[0].to_string(), "core-image-sato");
    assert_eq!(build.layers[0].commit.as_deref(), Some("abc123"));
    let bad = crate::model::Observed {
        machine: Some("qemu arm".into()),
        ..Default::default()
    };
    let err = f
        .alice
        .start_observed_build("demo", "laptop", None, &bad)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Invalid);
}

#[test]
fn a_background_recorder_writes_what_is_handed_over_in_order() {
    use crate::ingest::BackgroundRecorder;
    let f = Fixture::new();
    let build = f.start();
    let never = BatchPolicy::new(usize::MAX, Duration::from_secs(3600));
    let background = BackgroundRecorder::spawn(f.alice.recorder(build.id, never).unwrap()).unwrap();
    let lines: Vec<String> = Workload::SMALL
        .events(Timestamp(0))
        .filter(|e| !matches!(e, Event::BuildCompleted { .. }))
        .map(|e| serde_json::to_string(&e).unwrap())
        .collect();
    for chunk in lines.chunks(25) {
        background.submit(chunk.join("\n")).unwrap();
    }
    background
        .submit("{\"event\": \"task_started\", \"recipe\": 5}".to_owned())
        .unwrap();
    background
        .submit("{\"event\": \"from_the_future\"}".to_owned())
        .unwrap();
    background.finish(BuildState::Succeeded).unwrap();
    let detail = f.alice.build(build.id).unwrap();
    assert_eq!(detail.build.state, BuildState::Succeeded);
    let tasks: u32 = detail.tasks.iter().map(|(_, n)| n).sum();
    assert_eq!(tasks as usize, Workload::SMALL.tasks);
    assert_eq!(
        f.alice.packages(build.id).unwrap().len(),
        Workload::SMALL.packages
    );
}

#[test]
fn a_background_recorder_keeps_what_went_wrong() {
    use crate::ingest::{BackgroundRecorder, IngestError};
    let f = Fixture::new();
    let build = f.start();
    let background =
        BackgroundRecorder::spawn(f.alice.recorder(build.id, BatchPolicy::default()).unwrap())
            .unwrap();
    background
        .submit("{\"event\": \"task_started\", \"recipe\": 5}".to_owned())
        .unwrap();
    background
        .submit("{\"event\": \"heartbeat\", \"at\": null}".to_owned())
        .unwrap();
    // Errors come back once the thread got to them; finishing waits for it.
    let errors_then_end = {
        let mut errors = Vec::new();
        while errors.is_empty() {
            errors = background.take_errors();
            std::thread::yield_now();
        }
        errors
    };
    assert!(
        matches!(
            errors_then_end[..],
            [IngestError::NotAnEvent { line: 1, .. }]
        ),
        "{errors_then_end:?}"
    );
    background.finish(BuildState::Failed).unwrap();
    assert_eq!(
        f.alice.build(build.id).unwrap().build.state,
        BuildState::Failed
    );
}
