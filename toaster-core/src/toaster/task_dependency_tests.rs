//! Task dependencies through the facade: recorded from events (with bad input warned
//! about, never refused), walked both ways, an unknown task named with a hint.

use super::build_tests::Fixture;
use super::*;
use crate::ingest::{BatchPolicy, Event};
use crate::model::{TaskDependencies, TaskName, TaskOutcome};

fn depends(task: &str, on: &[&str]) -> Event {
    let name = TaskName::parse(task).unwrap();
    Event::TaskDependencies(TaskDependencies {
        recipe: name.recipe,
        task: name.task,
        depends: on.iter().map(|t| TaskName::parse(t).unwrap()).collect(),
    })
}

fn walked(reached: &[crate::model::TaskReached]) -> Vec<(String, u32)> {
    reached
        .iter()
        .map(|r| (r.node.to_string(), r.depth))
        .collect()
}

#[test]
fn dependencies_are_recorded_walked_and_bad_ones_warned_about() {
    let f = Fixture::new();
    let build = f.start();
    let mut recorder = f.alice.recorder(build.id, BatchPolicy::default()).unwrap();
    let events = [
        depends(
            "image:do_rootfs",
            &["busybox:do_package", "busybox:do_package"],
        ),
        depends(
            "busybox:do_package",
            &["busybox:do_compile", "busybox:do_package"],
        ),
        // A cycle, as BitBake can report one.
        depends("busybox:do_compile", &["image:do_rootfs"]),
        Event::TaskFinished {
            recipe: "lonely".into(),
            task: "do_build".into(),
            outcome: TaskOutcome::Succeeded,
            at: None,
            cpu_ms: None,
            read_bytes: None,
            write_bytes: None,
            log_file: None,
            sstate: None,
            executed: Some(true),
            script: None,
        },
    ];
    for event in events {
        recorder.record(event).unwrap();
    }
    recorder.flush().unwrap();

    assert_eq!(f.alice.task_dependencies(build.id).unwrap().len(), 3);
    let rootfs = TaskName::parse("image:do_rootfs").unwrap();
    let needs = f
        .alice
        .task_walk(build.id, &rootfs, TaskWalk::NeededBy)
        .unwrap();
    assert_eq!(
        walked(&needs),
        [
            ("busybox:do_package".into(), 1),
            ("busybox:do_compile".into(), 2)
        ]
    );
    assert_eq!(
        needs[1]
            .chain
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        ["busybox:do_package", "busybox:do_compile"]
    );
    let package = TaskName::parse("busybox:do_package").unwrap();
    let users = f
        .alice
        .task_walk(build.id, &package, TaskWalk::DependingOn)
        .unwrap();
    assert_eq!(
        walked(&users),
        [
            ("image:do_rootfs".into(), 1),
            ("busybox:do_compile".into(), 2)
        ]
    );

    let warnings = f.warnings(build.id);
    assert_eq!(
        warnings,
        [
            "toaster: task image:do_rootfs lists 1 of its dependencies more than once; each is recorded once",
            "toaster: task busybox:do_package is listed as depending on itself; that dependency is not recorded",
        ]
    );

    // A task the build ran but whose dependencies were not reported reaches nothing; a task
    // it does not have is named, with where to look.
    let lonely = TaskName::parse("lonely:do_build").unwrap();
    assert!(
        f.alice
            .task_walk(build.id, &lonely, TaskWalk::NeededBy)
            .unwrap()
            .is_empty()
    );
    let typo = TaskName::parse("busybox:do_compil").unwrap();
    let err = f
        .alice
        .task_walk(build.id, &typo, TaskWalk::NeededBy)
        .unwrap_err();
    assert_eq!(err.kind(), crate::ErrorKind::NotFound);
    assert_eq!(
        err.to_string(),
        format!("build {} has no task `busybox:do_compil`", build.id)
    );
    assert_eq!(
        err.hint().unwrap(),
        format!(
            "`toaster build tasks {}` lists its tasks; name one as RECIPE:TASK",
            build.id
        )
    );
}
