//! A build's own log file: made once, never shared, never opened through what was there.

use std::time::Duration;

use super::build_tests::Fixture;
use crate::ErrorKind;
use crate::ingest::{BackgroundRecorder, BatchPolicy, Event};
use crate::model::{BuildState, LogLevel, LogRecord, Timestamp};

fn log(level: LogLevel, text: &str) -> String {
    let record = Event::Log(LogRecord {
        level,
        text: text.into(),
        task: Some("busybox:do_compile".into()),
        file: None,
        line: None,
        at: Some(Timestamp(0)),
    });
    serde_json::to_string(&record).unwrap()
}

#[test]
fn a_recorded_build_writes_its_console_log_and_stores_only_what_it_keeps() {
    let f = Fixture::new();
    let build = f.start();
    let console = f.alice.open_build_log(build.id).unwrap();
    let path = f
        .tmp
        .path()
        .join(format!("demo/build/toaster-logs/build-{}.log", build.id));
    assert_eq!(console.path(), path);
    assert_eq!(
        f.alice.build(build.id).unwrap().build.log_path,
        Some(path.clone())
    );

    let never = BatchPolicy::new(usize::MAX, Duration::from_secs(3600));
    let recorder = f
        .alice
        .recorder(build.id, never)
        .unwrap()
        .with_console_log(console)
        .storing_logs_from(LogLevel::Warning);
    let background = BackgroundRecorder::spawn(recorder).unwrap();
    let started = r#"{"event":"task_started","recipe":"busybox","task":"do_compile","at":1}"#;
    let ended = r#"{"event":"task_finished","recipe":"busybox","task":"do_compile","outcome":"succeeded","at":2}"#;
    let lines = [
        started,
        &log(LogLevel::Note, "compiling"),
        &log(LogLevel::Warning, "careful"),
        ended,
    ];
    background.submit(lines.join("\n")).unwrap();
    assert!(background.finish(BuildState::Succeeded).unwrap().is_empty());

    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "NOTE: recipe busybox: task do_compile: Started\n\
         NOTE: busybox do_compile: compiling\n\
         WARNING: busybox do_compile: careful\n\
         NOTE: recipe busybox: task do_compile: Succeeded\n\
         NOTE: Build succeeded\n"
    );
    let stored = f.alice.log_messages(build.id, LogLevel::Debug).unwrap();
    let texts: Vec<&str> = stored.iter().map(|r| r.text.as_str()).collect();
    assert_eq!(texts, ["careful"], "the note went to the file only");
}

#[test]
fn two_builds_never_share_a_log_and_nothing_there_is_opened() {
    let f = Fixture::new();
    let first = f.start();
    let dir = f.tmp.path().join("demo/build/toaster-logs");
    std::fs::create_dir_all(&dir).unwrap();
    // A build of the same number from another database left its log; a link points away.
    let theirs = dir.join(format!("build-{}.log", first.id));
    std::fs::write(&theirs, "their log\n").unwrap();
    let outside = f.tmp.path().join("outside.txt");
    std::os::unix::fs::symlink(&outside, dir.join(format!("build-{}-2.log", first.id))).unwrap();

    let console = f.alice.open_build_log(first.id).unwrap();
    assert_eq!(
        console.path(),
        dir.join(format!("build-{}-3.log", first.id))
    );
    assert_eq!(std::fs::read_to_string(&theirs).unwrap(), "their log\n");
    assert!(!outside.exists(), "the link was not followed");

    let again = f.alice.open_build_log(first.id).unwrap_err();
    assert_eq!(again.kind(), ErrorKind::AlreadyExists, "{again}");
    let second = f.start();
    let other = f.alice.open_build_log(second.id).unwrap();
    assert_ne!(other.path(), console.path());
}

#[test]
fn a_log_that_cannot_be_made_leaves_log_path_empty() {
    let f = Fixture::new();
    let build = f.start();
    let build_dir = f.tmp.path().join("demo/build");
    std::fs::create_dir_all(&build_dir).unwrap();
    // A file where the log directory should be: no file can be made, even as root.
    std::fs::write(build_dir.join("toaster-logs"), "").unwrap();
    let refused = f.alice.open_build_log(build.id).unwrap_err();
    assert!(refused.to_string().contains("toaster-logs"), "{refused}");
    assert_eq!(f.alice.build(build.id).unwrap().build.log_path, None);
}

#[test]
fn an_ended_build_or_one_the_owner_may_not_build_gets_no_log() {
    let f = Fixture::new();
    let build = f.start();
    f.alice.add_owner("bob", None).unwrap();
    let bob = f.alice.toaster.act_as("bob", "test").unwrap();
    assert_eq!(
        bob.open_build_log(build.id).unwrap_err().kind(),
        ErrorKind::Denied
    );
    let mut recorder = f.alice.recorder(build.id, BatchPolicy::default()).unwrap();
    recorder.finish(BuildState::Failed, None).unwrap();
    let ended = f.alice.open_build_log(build.id).unwrap_err();
    assert_eq!(ended.kind(), ErrorKind::Invalid, "{ended}");
}

#[test]
fn a_left_over_command_line_builds_directory_is_left_alone() {
    let f = Fixture::new();
    // An earlier database's project directory, beside this database.
    let left = f.tmp.path().join(crate::COMMAND_LINE_PROJECT);
    std::fs::create_dir_all(left.join("build/conf")).unwrap();
    std::fs::write(left.join("build/conf/local.conf"), "# theirs\n").unwrap();
    let project = f.alice.command_line_project().unwrap();
    assert_eq!(project.name.as_str(), crate::COMMAND_LINE_PROJECT);
    assert_eq!(project.dir, f.tmp.path().join("command-line-builds-2"));
    assert_eq!(
        std::fs::read_to_string(left.join("build/conf/local.conf")).unwrap(),
        "# theirs\n"
    );
    assert_eq!(f.alice.command_line_project().unwrap().id, project.id);
}
