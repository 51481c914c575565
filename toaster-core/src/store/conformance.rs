//! The conformance suite: generic checks over `&dyn Store` that every backend passes.
//!
//! A backend's tests call [`run`] with a function that makes a fresh, empty store. Each
//! check panics with a message on failure, like any test assertion.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod archives;
mod build_list;
mod build_record;
mod deliveries;
mod package_contents;
mod queue;
mod recipe_record;
mod tokens;
mod variable_record;

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::{Store, StoreError};
use crate::model::{
    Action, AuditAction, AuditFilter, BuildId, BuildState, LayerRef, LayerSource, Mode, Name,
    NewAudit, NewBuild, NewOwner, NewProject, NewRevision, Owner, OwnerUpdate, Project,
    ProjectAccess, ProjectConfig, Release, RevisionNumber, Right, Target, Timestamp,
};

/// One check: it panics if the store misbehaves.
pub type Check = fn(&dyn Store);

/// Every check, by name.
pub const CHECKS: &[(&str, Check)] = &[
    (
        "owners_are_unique_without_case",
        owners_are_unique_without_case,
    ),
    (
        "owners_update_and_stay_unique",
        owners_update_and_stay_unique,
    ),
    (
        "the_first_owner_is_the_admin_and_the_last_admin_stays",
        the_first_owner_is_the_admin_and_the_last_admin_stays,
    ),
    ("clients_remember_their_owner", clients_remember_their_owner),
    ("groups_have_members", groups_have_members),
    (
        "projects_start_at_revision_one",
        projects_start_at_revision_one,
    ),
    (
        "project_names_and_dirs_are_unique",
        project_names_and_dirs_are_unique,
    ),
    (
        "project_access_and_default_mode_round_trip",
        project_access_and_default_mode_round_trip,
    ),
    (
        "configurations_round_trip_exactly",
        configurations_round_trip_exactly,
    ),
    (
        "stale_revisions_conflict_and_write_nothing",
        stale_revisions_conflict_and_write_nothing,
    ),
    (
        "racing_commits_have_one_winner",
        racing_commits_have_one_winner,
    ),
    (
        "deleting_a_project_removes_only_it",
        deleting_a_project_removes_only_it,
    ),
    (
        "every_change_is_audited_and_filters_work",
        every_change_is_audited_and_filters_work,
    ),
    ("unknown_keys_are_not_found", unknown_keys_are_not_found),
    (
        "build_logs_are_shown_once_written",
        build_logs_are_shown_once_written,
    ),
    (
        "rights_are_checked_in_the_change_transaction",
        rights_are_checked_in_the_change_transaction,
    ),
];

/// The build queue's checks, by name.
pub const QUEUE_CHECKS: &[(&str, Check)] = queue::CHECKS;

/// The checks of hook deliveries and settings, by name.
pub const DELIVERY_CHECKS: &[(&str, Check)] = deliveries::CHECKS;

/// The checks of artifacts, build archives and imported builds, by name.
pub const ARCHIVE_CHECKS: &[(&str, Check)] = archives::CHECKS;

/// The checks of the full build record (task details and dependencies), by name.
pub const BUILD_RECORD_CHECKS: &[(&str, Check)] = build_record::CHECKS;

/// The checks of the full build record's recipes (details, dependencies, providers).
pub const RECIPE_RECORD_CHECKS: &[(&str, Check)] = recipe_record::CHECKS;

/// The checks of the full build record's variables (values and history).
pub const VARIABLE_RECORD_CHECKS: &[(&str, Check)] = variable_record::CHECKS;

/// The checks of the full build record's package files and image contents.
pub const PACKAGE_CONTENTS_CHECKS: &[(&str, Check)] = package_contents::CHECKS;

/// The checks of owner tokens, by name.
pub const TOKEN_CHECKS: &[(&str, Check)] = tokens::CHECKS;

/// The checks of build lists (several projects, visibility, pages), by name.
pub const BUILD_LIST_CHECKS: &[(&str, Check)] = build_list::CHECKS;

/// Every check of [`CHECKS`], [`QUEUE_CHECKS`], [`DELIVERY_CHECKS`], [`ARCHIVE_CHECKS`],
/// [`BUILD_RECORD_CHECKS`], [`RECIPE_RECORD_CHECKS`], [`VARIABLE_RECORD_CHECKS`],
/// [`PACKAGE_CONTENTS_CHECKS`], [`TOKEN_CHECKS`] and [`BUILD_LIST_CHECKS`], by name.
pub fn all_checks() -> impl Iterator<Item = &'static (&'static str, Check)> {
    CHECKS
        .iter()
        .chain(QUEUE_CHECKS)
        .chain(DELIVERY_CHECKS)
        .chain(ARCHIVE_CHECKS)
        .chain(BUILD_RECORD_CHECKS)
        .chain(RECIPE_RECORD_CHECKS)
        .chain(VARIABLE_RECORD_CHECKS)
        .chain(PACKAGE_CONTENTS_CHECKS)
        .chain(TOKEN_CHECKS)
        .chain(BUILD_LIST_CHECKS)
}

/// Runs every check, each on a fresh store from `fresh`.
pub fn run(fresh: &dyn Fn() -> Box<dyn Store>) {
    for (name, check) in all_checks() {
        let store = fresh();
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(&*store)));
        if let Err(panic) = outcome {
            let message = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("(no message)");
            panic!(
                "conformance check `{name}` failed on {}: {message}",
                store.location()
            );
        }
    }
}

fn name(value: &str) -> Name {
    Name::parse("name", value).expect("valid test name")
}

/// An audit entry by `who` (by name only, as the first owner's is).
pub(crate) fn entry(
    who: &str,
    action: AuditAction,
    project: Option<&str>,
    detail: &str,
) -> NewAudit {
    NewAudit {
        owner: None,
        owner_name: name(who),
        client: "conformance".to_owned(),
        action,
        project: project.map(name),
        detail: detail.to_owned(),
        requires: None,
    }
}

pub(crate) fn owner(store: &dyn Store, value: &str) -> Owner {
    let audit = entry(value, AuditAction::OwnerAdd, None, "added");
    store
        .add_owner(
            &NewOwner {
                name: name(value),
                email: None,
            },
            &audit,
        )
        .expect("add owner")
}

fn revision(author: &Owner, description: &str, config: ProjectConfig) -> NewRevision {
    NewRevision {
        author: author.id,
        description: description.to_owned(),
        restores: None,
        config,
    }
}

fn change(
    store: &dyn Store,
    who: &Owner,
    project: &Project,
    description: &str,
) -> crate::model::Revision {
    let audit = entry(
        who.name.as_str(),
        AuditAction::ConfigChange,
        Some(project.name.as_str()),
        description,
    );
    let head = store.project(project.name.as_str()).unwrap().head;
    store
        .commit_revision(
            project.id,
            head,
            &revision(who, description, ProjectConfig::default()),
            &audit,
        )
        .expect("commit")
}

pub(crate) fn project(store: &dyn Store, owner: &Owner, value: &str) -> Project {
    let new = NewProject {
        name: name(value),
        dir: PathBuf::from(format!("/srv/projects/{value}")),
        release: Release::DEFAULT,
        owner: owner.id,
        group: None,
        mode: Mode::PRIVATE,
    };
    let audit = entry(
        owner.name.as_str(),
        AuditAction::ProjectCreate,
        Some(value),
        "created",
    );
    store
        .create_project(
            &new,
            &revision(owner, "created", Release::DEFAULT.defaults()),
            &audit,
        )
        .expect("create project")
}

fn owners_are_unique_without_case(store: &dyn Store) {
    let audit = entry("alice", AuditAction::OwnerAdd, None, "added");
    let alice = store
        .add_owner(
            &NewOwner {
                name: name("alice"),
                email: Some("a@example.com".into()),
            },
            &audit,
        )
        .unwrap();
    owner(store, "bob");
    assert_eq!(store.owner("ALICE").unwrap(), alice);
    assert_eq!(store.owner_by_id(alice.id).unwrap(), alice);
    let err = store
        .add_owner(
            &NewOwner {
                name: name("Alice"),
                email: None,
            },
            &audit,
        )
        .unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::AlreadyExists {
                entity: "owner",
                ..
            }
        ),
        "{err:?}"
    );
    let names: Vec<String> = store
        .owners()
        .unwrap()
        .into_iter()
        .map(|o| o.name.to_string())
        .collect();
    assert_eq!(names, ["alice", "bob"]);
}

fn owners_update_and_stay_unique(store: &dyn Store) {
    let alice = owner(store, "alice");
    owner(store, "bob");
    let audit = entry("alice", AuditAction::OwnerEdit, None, "edit");
    let update = OwnerUpdate {
        name: Some(name("alicia")),
        email: Some(Some("x@y.z".into())),
        admin: None,
    };
    let changed = store.update_owner(alice.id, &update, &audit).unwrap();
    assert_eq!(
        (changed.name.as_str(), changed.email.as_deref()),
        ("alicia", Some("x@y.z"))
    );
    assert_eq!(store.owner("alicia").unwrap(), changed);
    let clash = OwnerUpdate {
        name: Some(name("BOB")),
        ..OwnerUpdate::default()
    };
    let err = store.update_owner(alice.id, &clash, &audit).unwrap_err();
    assert!(matches!(err, StoreError::AlreadyExists { .. }), "{err:?}");
    assert_eq!(
        store.owner("alicia").unwrap(),
        changed,
        "a refused rename changes nothing"
    );
    let clear = OwnerUpdate {
        email: Some(None),
        ..OwnerUpdate::default()
    };
    assert_eq!(
        store.update_owner(alice.id, &clear, &audit).unwrap().email,
        None
    );
}

fn the_first_owner_is_the_admin_and_the_last_admin_stays(store: &dyn Store) {
    let first = entry("alice", AuditAction::OwnerAdd, None, "first");
    let alice = store
        .add_first_owner(
            &NewOwner {
                name: name("alice"),
                email: None,
            },
            &first,
        )
        .unwrap();
    let late = store
        .add_first_owner(
            &NewOwner {
                name: name("mallory"),
                email: None,
            },
            &first,
        )
        .unwrap_err();
    assert!(
        matches!(&late, StoreError::AlreadyExists { entity: "an owner", key } if key == "alice"),
        "{late:?}"
    );
    let bob = owner(store, "bob");
    assert!(alice.admin && !bob.admin);
    let audit = entry("alice", AuditAction::AdminChange, None, "admin");
    let revoke = OwnerUpdate {
        admin: Some(false),
        ..OwnerUpdate::default()
    };
    let before = store.audit(&AuditFilter::default()).unwrap().len();
    let err = store.update_owner(alice.id, &revoke, &audit).unwrap_err();
    assert!(matches!(err, StoreError::LastAdmin { .. }), "{err:?}");
    assert!(
        store.owner("alice").unwrap().admin,
        "the refused change left nothing behind"
    );
    assert_eq!(
        store.audit(&AuditFilter::default()).unwrap().len(),
        before,
        "nor an audit entry"
    );
    let grant = OwnerUpdate {
        admin: Some(true),
        ..OwnerUpdate::default()
    };
    assert!(store.update_owner(bob.id, &grant, &audit).unwrap().admin);
    assert!(!store.update_owner(alice.id, &revoke, &audit).unwrap().admin);
}

fn clients_remember_their_owner(store: &dyn Store) {
    let alice = owner(store, "alice");
    let bob = owner(store, "bob");
    assert_eq!(store.remembered_owner("cli:me@host").unwrap(), None);
    store.remember_owner("cli:me@host", alice.id).unwrap();
    store.remember_owner("cli:me@host", bob.id).unwrap();
    store.remember_owner("py:other@host", alice.id).unwrap();
    let remembered = store.remembered_owner("cli:me@host").unwrap().unwrap();
    assert_eq!(remembered.name.as_str(), "bob");
    assert_eq!(remembered.client.as_deref(), Some("cli:me@host"));
    assert_eq!(
        store.remembered_owner("py:other@host").unwrap().unwrap().id,
        alice.id
    );
}

fn groups_have_members(store: &dyn Store) {
    let alice = owner(store, "alice");
    let bob = owner(store, "bob");
    let audit = entry("alice", AuditAction::GroupAdd, None, "group");
    let team = store.add_group(&name("team"), &audit).unwrap();
    assert!(team.members.is_empty());
    let err = store.add_group(&name("TEAM"), &audit).unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::AlreadyExists {
                entity: "group",
                ..
            }
        ),
        "{err:?}"
    );
    store.set_membership(team.id, bob.id, true, &audit).unwrap();
    store.set_membership(team.id, bob.id, true, &audit).unwrap();
    let team = store
        .set_membership(team.id, alice.id, true, &audit)
        .unwrap();
    let members: Vec<&str> = team.members.iter().map(Name::as_str).collect();
    assert_eq!(members, ["alice", "bob"]);
    assert_eq!(store.groups_of(bob.id).unwrap(), vec![team.id]);
    let team = store
        .set_membership(team.id, bob.id, false, &audit)
        .unwrap();
    assert_eq!(team.members.len(), 1);
    assert!(store.groups_of(bob.id).unwrap().is_empty());
    assert_eq!(store.group("Team").unwrap(), team);
    assert_eq!(store.groups().unwrap(), vec![team]);
}

fn projects_start_at_revision_one(store: &dyn Store) {
    let alice = owner(store, "alice");
    let demo = project(store, &alice, "demo");
    assert_eq!(demo.head, RevisionNumber::FIRST);
    assert_eq!((demo.owner, demo.owner_name.as_str()), (alice.id, "alice"));
    assert_eq!((demo.group, demo.mode), (None, Mode::PRIVATE));
    assert_eq!(store.project("DEMO").unwrap(), demo);
    let first = store.revision(demo.id, RevisionNumber::FIRST).unwrap();
    assert_eq!(first.author.as_str(), "alice");
    assert_eq!(first.config, Release::DEFAULT.defaults());
    project(store, &alice, "another");
    let names: Vec<String> = store
        .projects()
        .unwrap()
        .into_iter()
        .map(|p| p.name.to_string())
        .collect();
    assert_eq!(names, ["another", "demo"]);
}

fn project_names_and_dirs_are_unique(store: &dyn Store) {
    let alice = owner(store, "alice");
    let demo = project(store, &alice, "demo");
    let mut again = NewProject {
        name: name("Demo"),
        dir: PathBuf::from("/srv/elsewhere"),
        release: Release::DEFAULT,
        owner: alice.id,
        group: None,
        mode: Mode::PRIVATE,
    };
    let first = revision(&alice, "created", ProjectConfig::default());
    let audit = entry("alice", AuditAction::ProjectCreate, Some("Demo"), "created");
    let err = store.create_project(&again, &first, &audit).unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::AlreadyExists {
                entity: "project",
                ..
            }
        ),
        "{err:?}"
    );
    again.name = name("other");
    again.dir = demo.dir.clone();
    let err = store.create_project(&again, &first, &audit).unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::AlreadyExists {
                entity: "project directory",
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        store.projects().unwrap().len(),
        1,
        "refused creations leave nothing"
    );
}

fn project_access_and_default_mode_round_trip(store: &dyn Store) {
    let alice = owner(store, "alice");
    let bob = owner(store, "bob");
    let demo = project(store, &alice, "demo");
    let audit = entry(
        "alice",
        AuditAction::PermissionChange,
        Some("demo"),
        "access",
    );
    let team = store.add_group(&name("team"), &audit).unwrap();
    let mode = Mode::PRIVATE.with("group=rcb,others=r").unwrap();
    let access = ProjectAccess {
        owner: bob.id,
        group: Some(team.id),
        mode,
    };
    let before = ProjectAccess {
        owner: alice.id,
        group: None,
        mode: Mode::PRIVATE,
    };
    let changed = store.set_access(demo.id, &before, &access, &audit).unwrap();
    let stale = store
        .set_access(demo.id, &before, &before, &audit)
        .unwrap_err();
    assert!(matches!(stale, StoreError::Changed { .. }), "{stale:?}");
    assert_eq!(
        (changed.owner, changed.owner_name.as_str()),
        (bob.id, "bob")
    );
    assert_eq!(
        (changed.group, changed.group_name.as_ref().map(Name::as_str)),
        (Some(team.id), Some("team"))
    );
    assert_eq!(changed.mode, mode);
    assert_eq!(store.project("demo").unwrap(), changed);
    assert_eq!(store.default_mode().unwrap(), Mode::PRIVATE);
    store.set_default_mode(mode, &audit).unwrap();
    assert_eq!(store.default_mode().unwrap(), mode);
}

fn configurations_round_trip_exactly(store: &dyn Store) {
    let alice = owner(store, "alice");
    let demo = project(store, &alice, "demo");
    let config = ProjectConfig {
        machine: Some("qemuarm64".into()),
        machine_op: crate::model::Operator::WeakDefault,
        distro: None,
        distro_op: crate::model::Operator::Set,
        targets: vec![
            Target::parse("core-image-minimal").unwrap(),
            Target::parse("mc:arm:core-image-sato:do_populate_sdk").unwrap(),
        ],
        variables: BTreeMap::from([
            ("IMAGE_FSTYPES".into(), "ext4 wic".into()),
            ("WEIRD".into(), "quotes \" ' \\ ${@x} ünïcödé".into()),
            (
                "INHERIT".into(),
                crate::model::Variable {
                    export: true,
                    ..crate::model::Variable::assign(crate::model::Operator::Append, "rm_work")
                },
            ),
        ]),
        layers: vec![
            LayerRef {
                name: "meta-local".into(),
                source: LayerSource::Local {
                    path: "/l/meta-local".into(),
                },
                collections: Vec::new(),
            },
            LayerRef {
                name: "meta-oe".into(),
                source: LayerSource::Git {
                    url: "https://example.com/meta-openembedded".into(),
                    reference: "scarthgap".into(),
                    subdir: Some("meta-oe".into()),
                    commit: Some("0123456789abcdef0123456789abcdef01234567".into()),
                },
                collections: Vec::new(),
            },
        ],
        packages: vec!["strace".into(), "gdb".into()],
        recipes: vec!["busybox".into()],
        bitbake: Some(LayerSource::Local {
            path: "/opt/poky/bitbake".into(),
        }),
        hooks: vec![crate::model::Hook {
            id: 7,
            on: crate::model::HookTrigger::Always,
            action: crate::model::HookAction::run(&["/bin/echo".into(), "a \"b\" ${c}".into()])
                .unwrap(),
        }],
    };
    let mut next = revision(&alice, "set everything", config.clone());
    next.restores = Some(RevisionNumber::FIRST);
    let audit = entry(
        "alice",
        AuditAction::ConfigChange,
        Some("demo"),
        "set everything",
    );
    let committed = store
        .commit_revision(demo.id, demo.head, &next, &audit)
        .unwrap();
    assert_eq!(committed.number, RevisionNumber(2));
    let read = store.revision(demo.id, RevisionNumber(2)).unwrap();
    assert_eq!(read, committed);
    assert_eq!(read.config, config);
    assert_eq!(read.restores, Some(RevisionNumber::FIRST));
    assert_eq!(store.project("demo").unwrap().head, RevisionNumber(2));
}

fn stale_revisions_conflict_and_write_nothing(store: &dyn Store) {
    let alice = owner(store, "alice");
    let demo = project(store, &alice, "demo");
    change(store, &alice, &demo, "one");
    let audits = store.audit(&AuditFilter::default()).unwrap().len();
    let audit = entry("alice", AuditAction::ConfigChange, Some("demo"), "stale");
    let err = store
        .commit_revision(
            demo.id,
            demo.head,
            &revision(&alice, "stale", ProjectConfig::default()),
            &audit,
        )
        .unwrap_err();
    match err {
        StoreError::Conflict {
            project,
            base,
            head,
        } => {
            assert_eq!(
                (project, base, head),
                (demo.id, RevisionNumber(1), RevisionNumber(2))
            );
        }
        other => panic!("expected Conflict, got {other:?}"),
    }
    let history = store.history(demo.id).unwrap();
    let descriptions: Vec<&str> = history.iter().map(|r| r.description.as_str()).collect();
    assert_eq!(descriptions, ["created", "one"]);
    assert_eq!(
        store.audit(&AuditFilter::default()).unwrap().len(),
        audits,
        "no entry for a refused change"
    );
}

fn racing_commits_have_one_winner(store: &dyn Store) {
    let alice = owner(store, "alice");
    let demo = project(store, &alice, "demo");
    let results: Vec<Result<_, StoreError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..6)
            .map(|i| {
                let next = revision(&alice, &format!("racer {i}"), ProjectConfig::default());
                let audit = entry("alice", AuditAction::ConfigChange, Some("demo"), "race");
                scope.spawn(move || store.commit_revision(demo.id, demo.head, &next, &audit))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("thread"))
            .collect()
    });
    let winners = results.iter().filter(|r| r.is_ok()).count();
    assert_eq!(winners, 1, "{results:?}");
    assert!(
        results
            .iter()
            .filter_map(|r| r.as_ref().err())
            .all(|e| matches!(e, StoreError::Conflict { .. }))
    );
    assert_eq!(store.history(demo.id).unwrap().len(), 2);
}

fn deleting_a_project_removes_only_it(store: &dyn Store) {
    let alice = owner(store, "alice");
    let demo = project(store, &alice, "demo");
    let keep = project(store, &alice, "keep");
    change(store, &alice, &keep, "two");
    let kept_history = store.history(keep.id).unwrap();
    let audit = entry("alice", AuditAction::ProjectDelete, Some("demo"), "deleted");
    store.delete_project(demo.id, &audit).unwrap();
    assert!(matches!(
        store.project("demo"),
        Err(StoreError::NotFound { .. })
    ));
    assert!(store.history(demo.id).unwrap().is_empty());
    assert!(matches!(
        store.delete_project(demo.id, &audit),
        Err(StoreError::NotFound { .. })
    ));
    assert_eq!(store.history(keep.id).unwrap(), kept_history);
    assert_eq!(store.owner("alice").unwrap(), alice);
    // The name and the directory are free again, but the key is never given out again.
    let again = project(store, &alice, "demo");
    assert!(
        again.id != demo.id && again.id != keep.id,
        "{:?} reused",
        again.id
    );
}

fn every_change_is_audited_and_filters_work(store: &dyn Store) {
    let start = Timestamp::now();
    let alice = owner(store, "alice");
    let bob = owner(store, "bob");
    let demo = project(store, &alice, "demo");
    change(store, &bob, &demo, "bob's change");
    let audit = entry(
        "alice",
        AuditAction::ProjectDelete,
        Some("demo"),
        "deleted demo",
    );
    store.delete_project(demo.id, &audit).unwrap();

    let all = store.audit(&AuditFilter::default()).unwrap();
    let actions: Vec<AuditAction> = all.iter().map(|e| e.action).collect();
    assert_eq!(
        actions,
        [
            AuditAction::ProjectDelete,
            AuditAction::ConfigChange,
            AuditAction::ProjectCreate,
            AuditAction::OwnerAdd,
            AuditAction::OwnerAdd
        ],
        "newest first"
    );
    assert!(
        all.windows(2)
            .all(|w| w[0].id > w[1].id && w[0].at >= w[1].at)
    );
    assert!(
        all.iter()
            .all(|e| e.at >= start && e.client == "conformance")
    );
    assert_eq!(
        all[0].project_id,
        Some(demo.id),
        "entries keep the deleted project's key"
    );
    assert_eq!(all[0].detail, "deleted demo");

    let about_demo = store
        .audit(&AuditFilter {
            project: Some("DEMO".into()),
            ..AuditFilter::default()
        })
        .unwrap();
    assert_eq!(about_demo.len(), 3, "the project's entries outlive it");
    let by_bob = store
        .audit(&AuditFilter {
            owner: Some("bob".into()),
            ..AuditFilter::default()
        })
        .unwrap();
    assert_eq!(
        by_bob.iter().map(|e| e.action).collect::<Vec<_>>(),
        [AuditAction::ConfigChange, AuditAction::OwnerAdd]
    );
    let later = Timestamp(all[0].at.0 + 1);
    assert!(
        store
            .audit(&AuditFilter {
                since: Some(later),
                ..AuditFilter::default()
            })
            .unwrap()
            .is_empty()
    );
    let newest = store
        .audit(&AuditFilter {
            limit: Some(2),
            ..AuditFilter::default()
        })
        .unwrap();
    assert_eq!(newest, all[..2]);
}

fn unknown_keys_are_not_found(store: &dyn Store) {
    let alice = owner(store, "alice");
    let demo = project(store, &alice, "demo");
    let audit = entry("alice", AuditAction::ConfigChange, Some("x"), "x");
    for err in [
        store.owner("nobody").unwrap_err(),
        store.project("nothing").unwrap_err(),
        store.group("nobody").unwrap_err(),
        store.revision(demo.id, RevisionNumber(9)).unwrap_err(),
        store
            .commit_revision(
                crate::model::ProjectId(demo.id.0 + 100),
                RevisionNumber(1),
                &revision(&alice, "x", ProjectConfig::default()),
                &audit,
            )
            .unwrap_err(),
    ] {
        assert!(matches!(err, StoreError::NotFound { .. }), "{err:?}");
    }
}

/// An entry by `who` that needs `requires` when it is written.
/// A queued build of `project` at its newest revision, started by `who`.
pub(crate) fn new_build(project: &Project, who: &Owner) -> NewBuild {
    NewBuild {
        project: project.id,
        revision: project.head,
        owner: who.id,
        client: "conformance".to_owned(),
        host: "host".to_owned(),
        build_dir: project.dir.join("build"),
        log_dir: project.dir.join("build/toaster-logs"),
        machine: None,
        distro: None,
        targets: Vec::new(),
        layers: Vec::new(),
        state: BuildState::Queued,
        started_at: Timestamp::now(),
        requested: false,
        run_on: None,
    }
}

fn build_logs_are_shown_once_written(store: &dyn Store) {
    let alice = owner(store, "alice");
    let demo = project(store, &alice, "demo");
    let start = || {
        let audit = starting(&alice, "demo");
        store
            .start_build(&new_build(&demo, &alice), &audit)
            .unwrap()
    };
    let (first, second) = (start(), start());
    assert_eq!(
        first.log_path, None,
        "no log is shown before one is written"
    );
    let path = demo.dir.join("build/toaster-logs/build-1.log");
    let named = store.set_build_log(first.id, &path).unwrap();
    assert_eq!(named.log_path.as_deref(), Some(path.as_path()));
    assert_eq!(store.build(first.id).unwrap().log_path, Some(path.clone()));
    let taken = store.set_build_log(second.id, &path);
    assert!(
        matches!(
            taken,
            Err(StoreError::AlreadyExists {
                entity: "build log",
                ..
            })
        ),
        "{taken:?}"
    );
    assert_eq!(store.build(second.id).unwrap().log_path, None);
    let missing = store.set_build_log(BuildId(9999), &path);
    assert!(
        matches!(missing, Err(StoreError::NotFound { .. })),
        "{missing:?}"
    );
}

pub(crate) fn acting(
    who: &Owner,
    requires: Action,
    action: AuditAction,
    project: Option<&str>,
) -> NewAudit {
    NewAudit {
        owner: Some(who.id),
        requires: Some(requires),
        ..entry(who.name.as_str(), action, project, "acting")
    }
}

/// The audit entry of `who` starting a build of `project` (which needs the build right).
pub(crate) fn starting(who: &Owner, project: &str) -> NewAudit {
    acting(
        who,
        Action::Project(Right::Build),
        AuditAction::BuildStart,
        Some(project),
    )
}

/// A right revoked after the caller checked it is not used: the store checks the right the
/// entry requires in the change's own transaction and writes nothing without it.
fn rights_are_checked_in_the_change_transaction(store: &dyn Store) {
    let alice = owner(store, "alice");
    let bob = owner(store, "bob");
    let demo = project(store, &alice, "demo");
    let open = ProjectAccess {
        owner: alice.id,
        group: None,
        mode: Mode::PRIVATE.with("others=rc").unwrap(),
    };
    let private = ProjectAccess {
        mode: Mode::PRIVATE,
        ..open
    };
    let by_alice = acting(
        &alice,
        Action::ChangePermissions,
        AuditAction::PermissionChange,
        Some("demo"),
    );
    store
        .set_access(demo.id, &private, &open, &by_alice)
        .unwrap();
    let configure = |who: &Owner| {
        let head = store.project("demo").unwrap().head;
        store.commit_revision(
            demo.id,
            head,
            &revision(who, "change", ProjectConfig::default()),
            &acting(
                who,
                Action::Project(Right::Configure),
                AuditAction::ConfigChange,
                Some("demo"),
            ),
        )
    };
    configure(&bob).expect("others may configure");
    store
        .set_access(demo.id, &open, &private, &by_alice)
        .unwrap();
    let audited = store.audit(&AuditFilter::default()).unwrap().len();
    let head = store.project("demo").unwrap().head;
    let denied = configure(&bob).unwrap_err();
    assert!(
        matches!(
            &denied,
            StoreError::Denied { owner, action: Action::Project(Right::Configure), project: Some(p) }
                if owner.as_str() == "bob" && p.as_str() == "demo"
        ),
        "{denied:?}"
    );
    let chmod = acting(
        &bob,
        Action::ChangePermissions,
        AuditAction::PermissionChange,
        Some("demo"),
    );
    let refused = store.set_access(demo.id, &private, &open, &chmod);
    assert!(
        matches!(refused, Err(StoreError::Denied { .. })),
        "{refused:?}"
    );
    let delete = acting(
        &bob,
        Action::Project(Right::Delete),
        AuditAction::ProjectDelete,
        Some("demo"),
    );
    let refused = store.delete_project(demo.id, &delete);
    assert!(
        matches!(refused, Err(StoreError::Denied { .. })),
        "{refused:?}"
    );
    let group = acting(&bob, Action::ManageGroups, AuditAction::GroupAdd, None);
    let refused = store.add_group(&name("team"), &group);
    assert!(
        matches!(refused, Err(StoreError::Denied { .. })),
        "{refused:?}"
    );
    let nobody = NewAudit {
        owner: None,
        ..acting(&alice, Action::ManageGroups, AuditAction::GroupAdd, None)
    };
    let refused = store.add_group(&name("team"), &nobody);
    assert!(
        matches!(refused, Err(StoreError::Denied { .. })),
        "{refused:?}"
    );
    let refused = store.update_owner(
        bob.id,
        &OwnerUpdate {
            admin: Some(true),
            ..OwnerUpdate::default()
        },
        &acting(&bob, Action::ManageOwners, AuditAction::AdminChange, None),
    );
    assert!(
        matches!(refused, Err(StoreError::Denied { .. })),
        "{refused:?}"
    );
    let carol = NewOwner {
        name: name("carol"),
        email: None,
    };
    let refused = store.add_owner(
        &carol,
        &acting(&bob, Action::ManageOwners, AuditAction::OwnerAdd, None),
    );
    assert!(
        matches!(refused, Err(StoreError::Denied { .. })),
        "{refused:?}"
    );
    let refused = store.set_default_mode(
        Mode::PRIVATE.with("others=rcbd").unwrap(),
        &acting(
            &bob,
            Action::ChangeDefaults,
            AuditAction::DefaultModeChange,
            None,
        ),
    );
    assert!(
        matches!(refused, Err(StoreError::Denied { .. })),
        "{refused:?}"
    );
    let new_build = |who: &Owner| NewBuild {
        revision: head,
        ..new_build(&demo, who)
    };
    let build_right = |who: &Owner, right: Right, action: AuditAction| {
        acting(who, Action::Project(right), action, Some("demo"))
    };
    let refused = store.start_build(
        &new_build(&bob),
        &build_right(&bob, Right::Build, AuditAction::BuildStart),
    );
    assert!(
        matches!(refused, Err(StoreError::Denied { .. })),
        "{refused:?}"
    );
    let build = store
        .start_build(
            &new_build(&alice),
            &build_right(&alice, Right::Build, AuditAction::BuildStart),
        )
        .expect("the owner builds");
    let audited = audited + 1;
    let refused = store.set_build_hidden(
        build.id,
        true,
        &build_right(&bob, Right::Build, AuditAction::BuildHide),
    );
    assert!(
        matches!(refused, Err(StoreError::Denied { .. })),
        "{refused:?}"
    );
    let refused = store.delete_build(
        build.id,
        &build_right(&bob, Right::Delete, AuditAction::BuildDelete),
    );
    assert!(
        matches!(refused, Err(StoreError::Denied { .. })),
        "{refused:?}"
    );
    assert!(!store.build(build.id).unwrap().hidden, "still shown");
    assert!(!store.owner("bob").unwrap().admin);
    assert!(store.owner("carol").is_err());
    assert_eq!(store.default_mode().unwrap(), Mode::PRIVATE);
    assert_eq!(store.project("demo").unwrap().head, head, "no revision");
    assert_eq!(store.project("demo").unwrap().mode, Mode::PRIVATE);
    assert!(store.groups().unwrap().is_empty());
    assert_eq!(store.audit(&AuditFilter::default()).unwrap().len(), audited);
    // The owner and admins keep their rights.
    configure(&alice).expect("the owner configures");
    let team = store
        .add_group(
            &name("team"),
            &acting(&alice, Action::ManageGroups, AuditAction::GroupAdd, None),
        )
        .expect("an admin makes groups");
    let refused = store.set_membership(
        team.id,
        bob.id,
        true,
        &acting(&bob, Action::ManageGroups, AuditAction::GroupMembers, None),
    );
    assert!(
        matches!(refused, Err(StoreError::Denied { .. })),
        "{refused:?}"
    );
    assert!(store.groups_of(bob.id).unwrap().is_empty());
}
