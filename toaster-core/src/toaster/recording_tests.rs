//! Starting a recording as BitBake's class does: who, which build, which log file.

use std::path::PathBuf;

use super::build_tests::Fixture;
use crate::ingest::BatchPolicy;
use crate::model::{BuildId, BuildState, LogLevel, Observed};
use crate::{COMMAND_LINE_PROJECT, ErrorKind, RecordingRequest, RecordingWarning};

fn request(f: &Fixture) -> RecordingRequest {
    RecordingRequest {
        owner: None,
        client: "bitbake:alice@laptop".into(),
        fallback_client: Some("cli:alice@laptop".into()),
        project: None,
        build: None,
        host: "laptop".into(),
        build_dir: f.tmp.path().join("by-hand/build"),
        observed: Observed::default(),
        store_level: LogLevel::Warning,
    }
}

#[test]
fn a_build_run_by_hand_is_recorded_as_the_owner_the_command_line_chose() {
    let f = Fixture::new();
    let toaster = &f.alice.toaster;
    // Nobody chose an owner for BitBake's client: the command line's choice stands in.
    let none = toaster
        .start_recording(&request(&f), BatchPolicy::default())
        .unwrap_err();
    assert_eq!(none.kind(), ErrorKind::Invalid, "{none}");
    toaster.use_owner("alice", "cli:alice@laptop").unwrap();
    let recording = toaster
        .start_recording(&request(&f), BatchPolicy::default())
        .unwrap();
    let build = &recording.build;
    assert_eq!(build.project_name.as_str(), COMMAND_LINE_PROJECT);
    assert_eq!(build.owner.as_str(), "alice");
    assert_eq!(build.client, "bitbake:alice@laptop");
    assert_eq!(build.build_dir, f.tmp.path().join("by-hand/build"));
    assert!(recording.warnings.is_empty(), "{:?}", recording.warnings);
    let log = f
        .tmp
        .path()
        .join(format!("by-hand/build/toaster-logs/build-{}.log", build.id));
    assert_eq!(recording.recorder.console_log_path(), Some(log.as_path()));
    assert_eq!(f.alice.build(build.id).unwrap().build.log_path, Some(log));
}

#[test]
fn a_runners_build_keeps_its_log_and_a_named_owner_and_project_are_taken() {
    let f = Fixture::new();
    let started = f.start();
    let first = f.alice.open_build_log(started.id).unwrap();
    let into_build = RecordingRequest {
        owner: Some("alice".into()),
        build: Some(started.id),
        ..request(&f)
    };
    let recording = f
        .alice
        .toaster
        .start_recording(&into_build, BatchPolicy::default())
        .unwrap();
    assert_eq!(recording.build.id, started.id);
    assert_eq!(
        recording.recorder.console_log_path(),
        None,
        "its starter writes it"
    );
    assert!(recording.warnings.is_empty());
    drop(first);

    let into_project = RecordingRequest {
        owner: Some("alice".into()),
        project: Some("demo".into()),
        ..request(&f)
    };
    let recording = f
        .alice
        .toaster
        .start_recording(&into_project, BatchPolicy::default())
        .unwrap();
    assert_eq!(recording.build.project_name.as_str(), "demo");
    assert_eq!(recording.build.state, BuildState::Queued);

    let unknown = RecordingRequest {
        owner: Some("alice".into()),
        build: Some(BuildId(4242)),
        ..request(&f)
    };
    let missing = f
        .alice
        .toaster
        .start_recording(&unknown, BatchPolicy::default())
        .unwrap_err();
    assert_eq!(missing.kind(), ErrorKind::NotFound);
}

#[test]
fn what_does_not_stop_a_recording_is_said() {
    let f = Fixture::new();
    let left = f.tmp.path().join(COMMAND_LINE_PROJECT);
    std::fs::create_dir_all(left.join("build")).unwrap();
    std::fs::write(left.join("build/local.conf"), "").unwrap();
    let read_only = RecordingRequest {
        owner: Some("alice".into()),
        build_dir: PathBuf::from("/dev/null/build"),
        ..request(&f)
    };
    let recording = f
        .alice
        .toaster
        .start_recording(&read_only, BatchPolicy::default())
        .unwrap();
    let said: Vec<String> = recording.warnings.iter().map(ToString::to_string).collect();
    assert!(
        matches!(
            recording.warnings[..],
            [
                RecordingWarning::CommandLineProjectMoved { .. },
                RecordingWarning::NoLogFile { .. }
            ]
        ),
        "{said:?}"
    );
    assert!(said[0].contains("command-line-builds-2"), "{}", said[0]);
    assert!(
        said[1].contains("/dev/null/build/toaster-logs"),
        "{}",
        said[1]
    );
    assert_eq!(recording.build.log_path, None);
    assert_eq!(recording.recorder.console_log_path(), None);
}
