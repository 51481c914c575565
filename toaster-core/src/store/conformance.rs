//! The conformance suite: generic checks over `&dyn Store` that every backend passes.
//!
//! A backend's tests call [`run`] with a function that makes a fresh, empty store. Each
//! check panics with a message on failure, like any test assertion.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::{Store, StoreError};
use crate::model::{
    LayerRef, LayerSource, Name, NewOwner, NewProject, NewRevision, Owner, OwnerUpdate, Project,
    ProjectConfig, Release, RevisionNumber, Target,
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
    ("clients_remember_their_owner", clients_remember_their_owner),
    (
        "projects_start_at_revision_one",
        projects_start_at_revision_one,
    ),
    (
        "project_names_and_dirs_are_unique",
        project_names_and_dirs_are_unique,
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
    ("unknown_keys_are_not_found", unknown_keys_are_not_found),
];

/// Runs every check, each on a fresh store from `fresh`.
pub fn run(fresh: &dyn Fn() -> Box<dyn Store>) {
    for (name, check) in CHECKS {
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

fn owner(store: &dyn Store, value: &str) -> Owner {
    store
        .add_owner(&NewOwner {
            name: name(value),
            email: None,
        })
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

fn project(store: &dyn Store, owner: &Owner, value: &str) -> Project {
    let new = NewProject {
        name: name(value),
        dir: PathBuf::from(format!("/srv/projects/{value}")),
        release: Release::DEFAULT,
        owner: owner.id,
    };
    store
        .create_project(
            &new,
            &revision(owner, "created", Release::DEFAULT.defaults()),
        )
        .expect("create project")
}

fn owners_are_unique_without_case(store: &dyn Store) {
    let alice = store
        .add_owner(&NewOwner {
            name: name("alice"),
            email: Some("a@example.com".into()),
        })
        .unwrap();
    owner(store, "bob");
    assert_eq!(store.owner("ALICE").unwrap(), alice);
    let err = store
        .add_owner(&NewOwner {
            name: name("Alice"),
            email: None,
        })
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
    let update = OwnerUpdate {
        name: Some(name("alicia")),
        email: Some(Some("x@y.z".into())),
    };
    let changed = store.update_owner(alice.id, &update).unwrap();
    assert_eq!(
        (changed.name.as_str(), changed.email.as_deref()),
        ("alicia", Some("x@y.z"))
    );
    assert_eq!(store.owner("alicia").unwrap(), changed);
    let clash = OwnerUpdate {
        name: Some(name("BOB")),
        email: None,
    };
    let err = store.update_owner(alice.id, &clash).unwrap_err();
    assert!(matches!(err, StoreError::AlreadyExists { .. }), "{err:?}");
    assert_eq!(
        store.owner("alicia").unwrap(),
        changed,
        "a refused rename changes nothing"
    );
    let cleared = store.update_owner(
        alice.id,
        &OwnerUpdate {
            name: None,
            email: Some(None),
        },
    );
    assert_eq!(cleared.unwrap().email, None);
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

fn projects_start_at_revision_one(store: &dyn Store) {
    let alice = owner(store, "alice");
    let demo = project(store, &alice, "demo");
    assert_eq!(demo.head, RevisionNumber::FIRST);
    assert_eq!((demo.owner, demo.owner_name.as_str()), (alice.id, "alice"));
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
    };
    let first = revision(&alice, "created", ProjectConfig::default());
    let err = store.create_project(&again, &first).unwrap_err();
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
    let err = store.create_project(&again, &first).unwrap_err();
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

fn configurations_round_trip_exactly(store: &dyn Store) {
    let alice = owner(store, "alice");
    let demo = project(store, &alice, "demo");
    let config = ProjectConfig {
        machine: Some("qemuarm64".into()),
        distro: None,
        targets: vec![
            Target::parse("core-image-minimal").unwrap(),
            Target::parse("mc:arm:core-image-sato:do_populate_sdk").unwrap(),
        ],
        variables: BTreeMap::from([
            ("IMAGE_FSTYPES".into(), "ext4 wic".into()),
            ("WEIRD".into(), "quotes \" ' \\ ${@x} ünïcödé".into()),
        ]),
        layers: vec![
            LayerRef {
                name: "meta-local".into(),
                source: LayerSource::Local {
                    path: "/l/meta-local".into(),
                },
            },
            LayerRef {
                name: "meta-oe".into(),
                source: LayerSource::Git {
                    url: "https://example.com/meta-openembedded".into(),
                    reference: "scarthgap".into(),
                    subdir: Some("meta-oe".into()),
                    commit: Some("0123456789abcdef0123456789abcdef01234567".into()),
                },
            },
        ],
        packages: vec!["strace".into(), "gdb".into()],
        recipes: vec!["busybox".into()],
    };
    let mut next = revision(&alice, "set everything", config.clone());
    next.restores = Some(RevisionNumber::FIRST);
    let committed = store.commit_revision(demo.id, demo.head, &next).unwrap();
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
    store
        .commit_revision(
            demo.id,
            demo.head,
            &revision(&alice, "one", ProjectConfig::default()),
        )
        .unwrap();
    let err = store
        .commit_revision(
            demo.id,
            demo.head,
            &revision(&alice, "stale", ProjectConfig::default()),
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
}

fn racing_commits_have_one_winner(store: &dyn Store) {
    let alice = owner(store, "alice");
    let demo = project(store, &alice, "demo");
    let results: Vec<Result<_, StoreError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..6)
            .map(|i| {
                let next = revision(&alice, &format!("racer {i}"), ProjectConfig::default());
                scope.spawn(move || store.commit_revision(demo.id, demo.head, &next))
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
    store
        .commit_revision(
            keep.id,
            keep.head,
            &revision(&alice, "two", ProjectConfig::default()),
        )
        .unwrap();
    let kept_history = store.history(keep.id).unwrap();
    store.delete_project(demo.id).unwrap();
    assert!(matches!(
        store.project("demo"),
        Err(StoreError::NotFound { .. })
    ));
    assert!(store.history(demo.id).unwrap().is_empty());
    assert!(matches!(
        store.delete_project(demo.id),
        Err(StoreError::NotFound { .. })
    ));
    assert_eq!(store.history(keep.id).unwrap(), kept_history);
    assert_eq!(store.owner("alice").unwrap(), alice);
    // The name and the directory are free again.
    project(store, &alice, "demo");
}

fn unknown_keys_are_not_found(store: &dyn Store) {
    let alice = owner(store, "alice");
    let demo = project(store, &alice, "demo");
    for err in [
        store.owner("nobody").unwrap_err(),
        store.project("nothing").unwrap_err(),
        store.revision(demo.id, RevisionNumber(9)).unwrap_err(),
        store
            .commit_revision(
                crate::model::ProjectId(demo.id.0 + 100),
                RevisionNumber(1),
                &revision(&alice, "x", ProjectConfig::default()),
            )
            .unwrap_err(),
    ] {
        assert!(matches!(err, StoreError::NotFound { .. }), "{err:?}");
    }
}
