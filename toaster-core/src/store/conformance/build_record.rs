//! Conformance checks of the full build record: task details and task dependencies.

use super::{Check, acting, new_build, owner, project, starting};
use crate::model::{
    Action, AuditAction, BuildWrite, Right, ScriptType, SstateResult, TaskDependencies, TaskEdge,
    TaskFilter, TaskName, TaskOutcome, TaskRecord,
};
use crate::store::Store;

/// Every check of the full build record, by name.
pub const CHECKS: &[(&str, Check)] = &[
    (
        "task_details_merge_across_batches",
        task_details_merge_across_batches,
    ),
    (
        "task_dependencies_are_per_build_and_go_with_it",
        task_dependencies_are_per_build_and_go_with_it,
    ),
];

fn task(outcome: Option<TaskOutcome>) -> TaskRecord {
    TaskRecord {
        recipe: "busybox".to_owned(),
        task: "do_compile".to_owned(),
        order: Some(1),
        outcome,
        started_at: None,
        ended_at: None,
        cpu_ms: None,
        read_bytes: None,
        write_bytes: None,
        log_file: None,
        sstate: None,
        executed: None,
        script: None,
    }
}

fn task_details_merge_across_batches(store: &dyn Store) {
    let alice = owner(store, "alice");
    let demo = project(store, &alice, "demo");
    let audit = starting(&alice, "demo");
    let build = store
        .start_build(&new_build(&demo, &alice), &audit)
        .unwrap();
    let started = TaskRecord {
        script: Some(ScriptType::Shell),
        ..task(None)
    };
    let ended = TaskRecord {
        sstate: Some(SstateResult::Failed),
        executed: Some(true),
        ..task(Some(TaskOutcome::Succeeded))
    };
    store
        .record(build.id, &[BuildWrite::Task(started)])
        .unwrap();
    store.record(build.id, &[BuildWrite::Task(ended)]).unwrap();
    let [read] = &store
        .tasks(
            build.id,
            &TaskFilter {
                limit: 10,
                ..Default::default()
            },
        )
        .unwrap()[..]
    else {
        panic!("one task");
    };
    let r = &read.record;
    assert_eq!(
        (r.outcome, r.sstate, r.executed, r.script),
        (
            Some(TaskOutcome::Succeeded),
            Some(SstateResult::Failed),
            Some(true),
            Some(ScriptType::Shell)
        ),
        "what a later record leaves out keeps what an earlier one said"
    );
}

fn task_dependencies_are_per_build_and_go_with_it(store: &dyn Store) {
    let alice = owner(store, "alice");
    let demo = project(store, &alice, "demo");
    let audit = starting(&alice, "demo");
    let (first, second) = (
        store
            .start_build(&new_build(&demo, &alice), &audit)
            .unwrap(),
        store
            .start_build(&new_build(&demo, &alice), &audit)
            .unwrap(),
    );
    let deps = |on: &[&str]| {
        BuildWrite::TaskDependencies(TaskDependencies {
            recipe: "image".to_owned(),
            task: "do_rootfs".to_owned(),
            depends: on.iter().map(|t| TaskName::parse(t).unwrap()).collect(),
        })
    };
    let odd = "r\u{e9}cipe\twith\nodd bytes";
    store
        .record(
            first.id,
            &[
                deps(&["busybox:do_package", "mc:arm:glibc:do_populate_sysroot"]),
                // Listed again, in a later write: kept once.
                deps(&["busybox:do_package"]),
                BuildWrite::TaskDependencies(TaskDependencies {
                    recipe: odd.to_owned(),
                    task: "do_x".to_owned(),
                    depends: vec![TaskName::new("image", "do_rootfs")],
                }),
            ],
        )
        .unwrap();
    store
        .record(second.id, &[deps(&["zlib:do_package"])])
        .unwrap();
    let edge = |task: TaskName, on: &str| TaskEdge {
        task,
        depends_on: TaskName::parse(on).unwrap(),
    };
    let rootfs = TaskName::new("image", "do_rootfs");
    let mut expected = vec![
        edge(rootfs.clone(), "busybox:do_package"),
        edge(rootfs.clone(), "mc:arm:glibc:do_populate_sysroot"),
        edge(TaskName::new(odd, "do_x"), "image:do_rootfs"),
    ];
    expected.sort();
    assert_eq!(store.task_dependencies(first.id).unwrap(), expected);
    let second_edges = vec![edge(rootfs, "zlib:do_package")];
    assert_eq!(store.task_dependencies(second.id).unwrap(), second_edges);

    let delete = acting(
        &alice,
        Action::Project(Right::Build),
        AuditAction::BuildDelete,
        Some("demo"),
    );
    store.delete_build(first.id, &delete).unwrap();
    assert!(store.task_dependencies(first.id).unwrap().is_empty());
    assert_eq!(
        store.task_dependencies(second.id).unwrap(),
        second_edges,
        "deleting a build leaves the others' dependencies"
    );
}
