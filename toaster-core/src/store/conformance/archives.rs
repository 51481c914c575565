//! Conformance checks of artifacts, build archives and builds imported from an archive.

use std::path::PathBuf;

use super::{Check, acting, new_build, owner, project, starting};
use crate::model::{
    Action, ArtifactKind, ArtifactRecord, AuditAction, AuditFilter, BuildArchive, BuildState,
    BuildWrite, Hook, HookAction, HookTrigger, ImportedRecord, LogLevel, LogRecord, NewRevision,
    Progress, ProjectConfig, RecipeRecord, Right, TaskFilter, TaskOutcome, TaskRecord, Timestamp,
};
use crate::store::Store;

/// Every artifact and archive check, by name.
pub const CHECKS: &[(&str, Check)] = &[
    (
        "artifacts_are_unique_by_name_and_taken_after_the_end",
        artifacts_are_unique_by_name_and_taken_after_the_end,
    ),
    (
        "archives_are_recorded_and_unarchived_builds_listed",
        archives_are_recorded_and_unarchived_builds_listed,
    ),
    (
        "an_imported_build_keeps_its_record_and_fires_no_hook",
        an_imported_build_keeps_its_record_and_fires_no_hook,
    ),
    (
        "a_builds_origin_is_named_once_known",
        a_builds_origin_is_named_once_known,
    ),
];

/// An event log's build is started like any other, then told where it came from.
fn a_builds_origin_is_named_once_known(store: &dyn Store) {
    let alice = owner(store, "alice");
    let demo = project(store, &alice, "demo");
    let audit = starting(&alice, "demo");
    let build = store
        .start_build(&new_build(&demo, &alice), &audit)
        .unwrap();
    let other = store
        .start_build(&new_build(&demo, &alice), &audit)
        .unwrap();
    assert_eq!(build.origin, None);
    let origin = "imported from event log farm7.jsonl: recorded on farm7 in /srv/build";
    let named = store.set_build_origin(build.id, origin).unwrap();
    assert_eq!(named.origin.as_deref(), Some(origin));
    assert_eq!(
        store.build(build.id).unwrap().origin.as_deref(),
        Some(origin)
    );
    assert_eq!(
        store.build(other.id).unwrap().origin,
        None,
        "only that build"
    );
    let missing = crate::model::BuildId(build.id.0 + 1000);
    assert!(matches!(
        store.set_build_origin(missing, origin),
        Err(crate::store::StoreError::NotFound { .. })
    ));
}

fn artifact(name: &str, sha: char) -> ArtifactRecord {
    ArtifactRecord {
        kind: ArtifactKind::Image,
        name: name.to_owned(),
        dir: "/srv/deploy".to_owned(),
        path: name.to_owned(),
        size: 42,
        sha256: Some(sha.to_string().repeat(64)),
    }
}

fn artifacts_are_unique_by_name_and_taken_after_the_end(store: &dyn Store) {
    let alice = owner(store, "alice");
    let demo = project(store, &alice, "demo");
    let audit = starting(&alice, "demo");
    let build = store
        .start_build(&new_build(&demo, &alice), &audit)
        .unwrap();
    store
        .record(
            build.id,
            &[
                BuildWrite::Artifact(artifact("core.wic", 'a')),
                BuildWrite::Artifact(artifact("core.wic", 'b')),
                BuildWrite::State(BuildState::Succeeded, Timestamp::now()),
            ],
        )
        .unwrap();
    let mut log = artifact("build-1.log", 'c');
    log.kind = ArtifactKind::Log;
    store
        .record_artifacts(build.id, &[log.clone(), artifact("core.wic", 'd')])
        .unwrap();
    let kept = store.artifacts(build.id).unwrap();
    assert_eq!(kept, vec![artifact("core.wic", 'a'), log], "{kept:?}");
    assert!(
        store
            .record_artifacts(crate::model::BuildId(999), &[])
            .is_err()
    );
}

fn archives_are_recorded_and_unarchived_builds_listed(store: &dyn Store) {
    let alice = owner(store, "alice");
    let demo = project(store, &alice, "demo");
    let other = project(store, &alice, "other");
    let start = |p: &crate::model::Project| {
        let audit = acting(
            &alice,
            Action::Project(Right::Build),
            AuditAction::BuildStart,
            Some(p.name.as_str()),
        );
        store.start_build(&new_build(p, &alice), &audit).unwrap().id
    };
    let (first, second, running, elsewhere) =
        (start(&demo), start(&demo), start(&demo), start(&other));
    for id in [first, second, elsewhere] {
        store
            .record(
                id,
                &[BuildWrite::State(BuildState::Failed, Timestamp(1_000))],
            )
            .unwrap();
    }
    let _ = running;
    let later = Timestamp(2_000);
    assert_eq!(
        store.unarchived_builds(later, None).unwrap(),
        vec![first, second, elsewhere]
    );
    assert_eq!(
        store.unarchived_builds(later, Some(demo.id)).unwrap(),
        vec![first, second]
    );
    assert!(
        store
            .unarchived_builds(Timestamp(500), None)
            .unwrap()
            .is_empty()
    );

    let archive = BuildArchive {
        path: PathBuf::from("/srv/archives/build-1.zip"),
        at: Timestamp(3_000),
        images: true,
    };
    let audit = acting(
        &alice,
        Action::Project(Right::Build),
        AuditAction::BuildArchive,
        Some("demo"),
    );
    let archived = store
        .set_build_archive(first, Some(&archive), &audit)
        .unwrap();
    assert_eq!(archived.archive.as_ref(), Some(&archive));
    assert_eq!(store.build(first).unwrap().archive, Some(archive));
    assert_eq!(
        store.unarchived_builds(later, Some(demo.id)).unwrap(),
        vec![second]
    );
    let entries = store.audit(&AuditFilter::default()).unwrap();
    assert_eq!(
        entries
            .iter()
            .filter(|e| e.action == AuditAction::BuildArchive)
            .count(),
        1
    );
    let forgotten = store.set_build_archive(first, None, &audit).unwrap();
    assert_eq!(forgotten.archive, None);
}

fn an_imported_build_keeps_its_record_and_fires_no_hook(store: &dyn Store) {
    let alice = owner(store, "alice");
    let demo = project(store, &alice, "demo");
    // The project has a hook that fires on every end: an import must not fire it.
    let config = ProjectConfig {
        hooks: vec![Hook {
            id: 1,
            on: HookTrigger::Always,
            action: HookAction::run(&["/bin/true".to_owned()]).unwrap(),
        }],
        ..store.revision(demo.id, demo.head).unwrap().config
    };
    let audit = acting(
        &alice,
        Action::Project(Right::Configure),
        AuditAction::ConfigChange,
        Some("demo"),
    );
    let revision = NewRevision {
        author: alice.id,
        description: "hooks".to_owned(),
        restores: None,
        config,
    };
    let demo_head = store
        .commit_revision(demo.id, demo.head, &revision, &audit)
        .unwrap()
        .number;
    let mut build = new_build(&demo, &alice);
    build.revision = demo_head;
    build.state = BuildState::Failed;
    build.started_at = Timestamp(10_000);
    build.host = "farm-3".to_owned();
    let task = TaskRecord {
        recipe: "busybox".to_owned(),
        task: "do_compile".to_owned(),
        order: Some(1),
        outcome: Some(TaskOutcome::Failed),
        started_at: Some(Timestamp(10_100)),
        ended_at: Some(Timestamp(10_900)),
        cpu_ms: Some(700),
        read_bytes: None,
        write_bytes: None,
        log_file: Some("/old/tmp/work/busybox/temp/log.do_compile.42".to_owned()),
        sstate: None,
        executed: None,
        script: None,
    };
    let record = ImportedRecord {
        ended_at: Some(Timestamp(11_000)),
        heartbeat_at: Timestamp(11_000),
        progress: Progress {
            recipes_parsed: 3,
            recipes_total: 3,
            tasks_done: 1,
            tasks_total: 2,
        },
        errors: 2,
        warnings: 1,
        writes: vec![
            BuildWrite::Recipe(RecipeRecord {
                name: "busybox".to_owned(),
                version: "1.36".to_owned(),
                layer: "meta".to_owned(),
                file: "/old/meta/busybox_1.36.bb".to_owned(),
                licence: None,
                summary: None,
                section: None,
                homepage: None,
            }),
            BuildWrite::Task(task.clone()),
            BuildWrite::Log(LogRecord {
                level: LogLevel::Error,
                text: "compile failed".to_owned(),
                task: Some("busybox:do_compile".to_owned()),
                file: None,
                line: None,
                at: Some(Timestamp(10_900)),
            }),
            BuildWrite::Artifact(artifact("core.wic", 'e')),
        ],
        origin: "archive build-7.zip: build 7 of farm-3".to_owned(),
        archive: BuildArchive {
            path: PathBuf::from("/srv/archives/imported.zip"),
            at: Timestamp(12_000),
            images: false,
        },
    };
    let audit = starting(&alice, "demo");
    let imported = store.import_build(&build, &record, &audit).unwrap();
    assert_eq!(imported.state, BuildState::Failed);
    assert_eq!(imported.ended_at, Some(Timestamp(11_000)));
    assert_eq!((imported.errors, imported.warnings), (2, 1));
    assert_eq!(imported.progress, record.progress);
    assert_eq!(imported.origin.as_deref(), Some(record.origin.as_str()));
    assert_eq!(imported.archive.as_ref(), Some(&record.archive));
    assert_eq!(imported.host, "farm-3");
    let all = TaskFilter {
        limit: 10,
        ..TaskFilter::default()
    };
    let tasks = store.tasks(imported.id, &all).unwrap();
    assert_eq!(tasks.len(), 1);
    assert_eq!(tasks[0].record, task);
    assert_eq!(store.recipes(imported.id).unwrap().len(), 1);
    assert_eq!(
        store
            .log_messages(imported.id, LogLevel::Debug)
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        store.artifacts(imported.id).unwrap(),
        vec![artifact("core.wic", 'e')]
    );
    assert!(
        store.deliveries(imported.id).unwrap().is_empty(),
        "an import fired a hook"
    );
    let entries = store.audit(&AuditFilter::default()).unwrap();
    let imported_entry = format!("imported build {}", imported.id);
    assert!(
        entries
            .iter()
            .any(|e| e.action == AuditAction::BuildStart && e.detail.starts_with(&imported_entry)),
        "{entries:?}"
    );
}
