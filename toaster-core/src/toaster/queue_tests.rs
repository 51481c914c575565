//! The build queue through the facade: who may ask for, cancel and run builds, what the
//! audit log says, and what a runner sees.

use std::time::Duration;

use super::build_tests::Fixture;
use super::*;
use crate::model::{
    AuditAction, AuditFilter, BuildState, ConfigChange, ConfigKey, RunnerId, Target, Visibility,
};
use crate::store::StoreError;
use crate::{BuildRequest, ErrorKind, RUNNER_LEASE};

fn asked() -> BuildRequest {
    BuildRequest {
        host: "asker".into(),
        ..BuildRequest::default()
    }
}

fn bob(f: &Fixture) -> Actor {
    f.alice.add_owner("bob", None).unwrap();
    f.alice.toaster.act_as("bob", "test").unwrap()
}

fn cancels(actor: &Actor) -> Vec<String> {
    actor
        .audit(&AuditFilter::default())
        .unwrap()
        .into_iter()
        .filter(|e| e.action == AuditAction::BuildCancel)
        .map(|e| format!("{}: {}", e.owner, e.detail))
        .collect()
}

#[test]
fn a_requested_build_waits_pinned_for_a_runner() {
    let f = Fixture::new();
    let build = f.alice.request_build("demo", &asked()).unwrap();
    assert!(build.requested);
    assert_eq!(
        (build.state, build.revision.0, build.host.as_str()),
        (BuildState::Queued, 2, "asker")
    );
    assert_eq!(build.targets[0].to_string(), "core-image-minimal");
    assert_eq!(build.layers.len(), 3, "pinned like a build started by hand");
    assert_eq!((build.claim, build.run_on), (None, None));
    let named = f
        .alice
        .request_build(
            "demo",
            &BuildRequest {
                targets: Some(vec![Target::parse("busybox").unwrap()]),
                run_on: Some("builder".into()),
                ..asked()
            },
        )
        .unwrap();
    assert_eq!(named.targets[0].to_string(), "busybox");
    assert_eq!(named.run_on.as_deref(), Some("builder"));
    let listed = f
        .alice
        .builds(&crate::BuildQuery {
            project: Some("demo"),
            visibility: Visibility::Visible,
            limit: 10,
            offset: 0,
        })
        .unwrap();
    assert!(
        listed.iter().all(|b| b.state == BuildState::Queued),
        "waiting for a runner is not silence"
    );
    let details: Vec<String> = f
        .alice
        .audit(&AuditFilter::default())
        .unwrap()
        .into_iter()
        .filter(|e| e.action == AuditAction::BuildStart)
        .map(|e| e.detail)
        .collect();
    assert_eq!(
        details,
        [
            format!("queued build {}: busybox for a runner on builder", named.id),
            format!(
                "queued build {}: core-image-minimal for a runner on any host",
                build.id
            ),
        ]
    );
}

#[test]
fn a_project_without_targets_needs_them_named() {
    let f = Fixture::new();
    f.alice
        .create_project(
            "empty",
            &f.tmp.path().join("empty"),
            &crate::ProjectOptions {
                release: Some("scarthgap"),
                ..Default::default()
            },
        )
        .unwrap();
    for targets in [None, Some(Vec::new())] {
        let request = BuildRequest { targets, ..asked() };
        let err = f.alice.request_build("empty", &request).unwrap_err();
        assert!(matches!(&err, Error::NoTargets { project } if project.as_str() == "empty"));
        assert_eq!(err.kind(), ErrorKind::Invalid);
        let hint = err.hint().unwrap();
        assert!(
            hint.contains("toaster build start empty TARGET")
                && hint.contains("toaster config set empty targets"),
            "{hint}"
        );
    }
    let targets = ConfigChange::Set {
        key: ConfigKey::Targets,
        value: "core-image-minimal".into(),
    };
    f.alice.change_config("empty", &[targets], None).unwrap();
    f.alice.request_build("empty", &asked()).unwrap();
    for request in [
        BuildRequest {
            host: String::new(),
            ..asked()
        },
        BuildRequest {
            run_on: Some("two\nlines".into()),
            ..asked()
        },
    ] {
        let err = f.alice.request_build("demo", &request).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Invalid, "{err}");
    }
    assert_eq!(
        f.alice
            .builds(&crate::BuildQuery {
                project: None,
                visibility: Visibility::All,
                limit: 10,
                offset: 0
            })
            .unwrap()
            .len(),
        1,
        "refused requests queue nothing"
    );
}

#[test]
fn asking_for_and_cancelling_builds_need_the_build_right() {
    let f = Fixture::new();
    let bob = bob(&f);
    let denied = bob.request_build("demo", &asked()).unwrap_err();
    assert_eq!(denied.kind(), ErrorKind::Denied, "{denied}");
    let build = f.alice.request_build("demo", &asked()).unwrap();
    let denied = bob.cancel_build(build.id).unwrap_err();
    assert_eq!(denied.kind(), ErrorKind::Denied, "{denied}");
    assert_eq!(
        f.alice.build(build.id).unwrap().build.state,
        BuildState::Queued
    );
    assert!(cancels(&f.alice).is_empty());
    f.alice.chmod("demo", "others=rb").unwrap();
    let his = bob.request_build("demo", &asked()).unwrap();
    assert_eq!(his.owner.as_str(), "bob");
    let cancelled = bob.cancel_build(build.id).unwrap();
    assert_eq!(cancelled.state, BuildState::Cancelled, "it never starts");
    assert!(cancelled.ended_at.is_some());
    assert_eq!(
        cancels(&f.alice),
        [format!(
            "bob: cancelled build {} before it started",
            build.id
        )]
    );
}

#[test]
fn cancelling_a_claimed_build_asks_its_runner_and_an_ended_one_is_refused() {
    let f = Fixture::new();
    let build = f.alice.request_build("demo", &asked()).unwrap();
    let runner = RunnerId::generate("host-1").unwrap();
    let claimed = f
        .alice
        .claim_next_build(&runner, "host-1", RUNNER_LEASE, None, &[])
        .unwrap()
        .expect("a build waits");
    assert_eq!(claimed.id, build.id);
    assert_eq!(claimed.host, "host-1");
    let claim = claimed.claim.expect("claimed");
    assert_eq!(claim.runner, runner);
    assert!(claim.lease_until.0 - claim.claimed_at.0 >= 60_000);
    assert!(
        f.alice
            .claim_next_build(&runner, "host-1", RUNNER_LEASE, None, &[])
            .unwrap()
            .is_none()
    );

    let asked = f.alice.cancel_build(build.id).unwrap();
    assert_eq!(asked.state, BuildState::Queued, "its runner stops it");
    assert!(asked.cancel_requested_at.is_some());
    let renewed = f
        .alice
        .renew_lease(build.id, &runner, RUNNER_LEASE)
        .unwrap();
    assert_eq!(renewed.cancel_requested_at, asked.cancel_requested_at);
    let released = f.alice.release_claim(build.id, &runner).unwrap();
    assert_eq!(released.state, BuildState::Cancelled);
    assert_eq!(
        cancels(&f.alice),
        [format!(
            "alice: asked runner {runner} to stop build {} (queued)",
            build.id
        )]
    );

    let ended = f.alice.cancel_build(build.id).unwrap_err();
    assert!(
        matches!(
            ended,
            Error::Store(StoreError::BuildEnded {
                state: BuildState::Cancelled,
                ..
            })
        ),
        "{ended:?}"
    );
    let by_hand = f.start();
    let err = f.alice.cancel_build(by_hand.id).unwrap_err();
    assert!(matches!(err, Error::NotCancellable { .. }), "{err:?}");
    assert!(err.to_string().contains("by hand on buildhost"), "{err}");
    assert!(err.hint().unwrap().contains("Ctrl-C"));
}

#[test]
fn a_runner_takes_builds_of_projects_its_owner_may_build() {
    let f = Fixture::new();
    let bob = bob(&f);
    let hers = f.alice.request_build("demo", &asked()).unwrap();
    let bobs_runner = RunnerId::generate("host-b").unwrap();
    let claim = |actor: &Actor, runner: &RunnerId| {
        actor
            .claim_next_build(runner, "host-b", RUNNER_LEASE, None, &[])
            .unwrap()
            .map(|b| b.id)
    };
    assert_eq!(claim(&bob, &bobs_runner), None, "bob may not build demo");
    bob.create_project(
        "his",
        &f.tmp.path().join("his"),
        &crate::ProjectOptions {
            release: Some("scarthgap"),
            ..Default::default()
        },
    )
    .unwrap();
    let targets = ConfigChange::Set {
        key: ConfigKey::Targets,
        value: "busybox".into(),
    };
    bob.change_config("his", &[targets], None).unwrap();
    let his = bob.request_build("his", &asked()).unwrap();
    assert_eq!(claim(&bob, &bobs_runner), Some(his.id));
    assert_eq!(claim(&bob, &bobs_runner), None);
    let alices_runner = RunnerId::generate("host-b").unwrap();
    assert_eq!(claim(&f.alice, &alices_runner), Some(hers.id));

    let denied = bob
        .renew_lease(hers.id, &bobs_runner, RUNNER_LEASE)
        .unwrap_err();
    assert_eq!(denied.kind(), ErrorKind::Denied, "{denied}");
    let lost = f
        .alice
        .renew_lease(hers.id, &bobs_runner, RUNNER_LEASE)
        .unwrap_err();
    assert!(
        matches!(&lost, Error::Store(StoreError::LeaseLost { build, .. }) if *build == hers.id),
        "{lost:?}"
    );
    assert_eq!(lost.kind(), ErrorKind::Conflict);
    assert!(lost.hint().unwrap().contains("stop working on the build"));
}

#[test]
fn a_dead_runners_build_ends_interrupted_after_its_lease() {
    let f = Fixture::new();
    let build = f.alice.request_build("demo", &asked()).unwrap();
    let next = f.alice.request_build("demo", &asked()).unwrap();
    let dead = RunnerId::generate("host-1").unwrap();
    let short = Duration::from_millis(20);
    assert_eq!(
        f.alice
            .claim_next_build(&dead, "host-1", short, None, &[])
            .unwrap()
            .map(|b| b.id),
        Some(build.id)
    );
    assert!(
        f.alice.expire_claims().unwrap().is_empty(),
        "the lease holds"
    );
    std::thread::sleep(short * 2);
    assert_eq!(f.alice.expire_claims().unwrap(), [build.id]);
    let ended = f.alice.build(build.id).unwrap().build;
    assert_eq!(ended.state, BuildState::Interrupted);
    let lost = f
        .alice
        .renew_lease(build.id, &dead, RUNNER_LEASE)
        .unwrap_err();
    assert!(
        matches!(lost, Error::Store(StoreError::LeaseLost { .. })),
        "{lost:?}"
    );
    let alive = RunnerId::generate("host-2").unwrap();
    let taken = f
        .alice
        .claim_next_build(&alive, "host-2", short, None, &[])
        .unwrap()
        .expect("the project is free again");
    assert_eq!(taken.id, next.id);
    std::thread::sleep(short * 2);
    // Listings end builds whose lease ran out too.
    let listed = f
        .alice
        .builds(&crate::BuildQuery {
            project: Some("demo"),
            visibility: Visibility::Visible,
            limit: 10,
            offset: 0,
        })
        .unwrap();
    let state = listed.iter().find(|b| b.id == next.id).unwrap().state;
    assert_eq!(state, BuildState::Interrupted);
}
