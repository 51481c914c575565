//! Conformance checks of hook deliveries (the outbox written when a build ends) and of
//! instance settings.

use std::time::Duration;

use super::{Check, acting, entry, new_build, owner, project};
use crate::model::{
    Action, Attempt, AttemptResult, AuditAction, BuildId, BuildState, BuildWrite, ClaimRequest,
    Delivery, DeliveryClaim, DeliveryState, Hook, HookAction, HookTrigger, NewBuild, NextAttempt,
    Owner, Project, ProjectConfig, Right, RunnerId, Timestamp,
};
use crate::store::{Store, StoreError};

/// Every delivery and setting check, by name.
pub const CHECKS: &[(&str, Check)] = &[
    (
        "ending_a_build_writes_the_deliveries_of_its_hooks",
        ending_a_build_writes_the_deliveries_of_its_hooks,
    ),
    (
        "every_way_a_build_ends_fires_its_hooks",
        every_way_a_build_ends_fires_its_hooks,
    ),
    (
        "deliveries_are_claimed_once_and_retried_when_due",
        deliveries_are_claimed_once_and_retried_when_due,
    ),
    (
        "a_dead_deliverers_claim_runs_out",
        a_dead_deliverers_claim_runs_out,
    ),
    (
        "scripts_run_on_the_build_host_for_owners_who_may_build",
        scripts_run_on_the_build_host_for_owners_who_may_build,
    ),
    (
        "settings_round_trip_for_admins",
        settings_round_trip_for_admins,
    ),
];

fn hooks() -> Vec<Hook> {
    vec![
        Hook {
            id: 1,
            on: HookTrigger::Success,
            action: HookAction::webhook("http://127.0.0.1:9/ok", None).unwrap(),
        },
        Hook {
            id: 2,
            on: HookTrigger::Failure,
            action: HookAction::email(&["ops@example.com".to_owned()]).unwrap(),
        },
        Hook {
            id: 3,
            on: HookTrigger::Always,
            action: HookAction::run(&["/bin/true".to_owned()]).unwrap(),
        },
    ]
}

/// Gives `project` a new revision with `hooks`, by its owner.
fn set_hooks(store: &dyn Store, who: &Owner, project: &Project, hooks: Vec<Hook>) {
    let head = store.project(project.name.as_str()).unwrap().head;
    let config = ProjectConfig {
        hooks,
        ..store.revision(project.id, head).unwrap().config
    };
    let audit = entry(
        who.name.as_str(),
        AuditAction::ConfigChange,
        Some(project.name.as_str()),
        "hooks",
    );
    let revision = crate::model::NewRevision {
        author: who.id,
        description: "hooks".to_owned(),
        restores: None,
        config,
    };
    store
        .commit_revision(project.id, head, &revision, &audit)
        .unwrap();
}

fn start(store: &dyn Store, who: &Owner, project: &Project, build: NewBuild) -> BuildId {
    let audit = acting(
        who,
        Action::Project(Right::Build),
        AuditAction::BuildStart,
        Some(project.name.as_str()),
    );
    store.start_build(&build, &audit).unwrap().id
}

fn end(store: &dyn Store, build: BuildId, state: BuildState) {
    store
        .record(build, &[BuildWrite::State(state, Timestamp::now())])
        .unwrap();
}

fn hook_ids(deliveries: &[Delivery]) -> Vec<u32> {
    deliveries.iter().map(|d| d.hook.id).collect()
}

fn claim(who: &Owner, by: &str, now: Timestamp) -> DeliveryClaim {
    DeliveryClaim {
        by: by.to_owned(),
        host: "host".to_owned(),
        owner: who.id,
        build: None,
        now,
        hold: Duration::from_secs(60),
    }
}

fn attempt(by: &str, delivered: bool) -> Attempt {
    Attempt {
        number: 0,
        started_at: Timestamp::now(),
        duration_ms: 12,
        result: AttemptResult {
            delivered,
            status: Some(if delivered { 200 } else { 500 }),
            detail: format!("HTTP {}", if delivered { 200 } else { 500 }),
            output: "body".to_owned(),
        },
        by: by.to_owned(),
    }
}

/// A running build gets no deliveries; its end writes one per hook that fires, pending and
/// due, from the hooks of the project's newest revision; a repeated end writes no more.
fn ending_a_build_writes_the_deliveries_of_its_hooks(store: &dyn Store) {
    let alice = owner(store, "alice");
    let demo = project(store, &alice, "demo");
    let plain = start(store, &alice, &demo, new_build(&demo, &alice));
    end(store, plain, BuildState::Succeeded);
    assert!(store.deliveries(plain).unwrap().is_empty());

    let demo = store.project("demo").unwrap();
    let ok = start(store, &alice, &demo, new_build(&demo, &alice));
    let bad = start(store, &alice, &demo, new_build(&demo, &alice));
    end(store, ok, BuildState::Running);
    // Hooks added while the builds run are the ones that fire.
    set_hooks(store, &alice, &demo, hooks());
    assert!(store.deliveries(ok).unwrap().is_empty());
    end(store, ok, BuildState::Succeeded);
    end(store, bad, BuildState::Failed);
    let _ = store.record(
        ok,
        &[BuildWrite::State(BuildState::Succeeded, Timestamp::now())],
    );
    let delivered = store.deliveries(ok).unwrap();
    assert_eq!(hook_ids(&delivered), [1, 3]);
    assert_eq!(hook_ids(&store.deliveries(bad).unwrap()), [2, 3]);
    let first = &delivered[0];
    assert_eq!(first.build, ok);
    assert_eq!(first.hook, hooks()[0]);
    assert_eq!(first.state, DeliveryState::Pending);
    assert!(first.attempts.is_empty() && first.claimed_by.is_none());
    assert!(first.due_at <= Timestamp::now());
    assert!(store.next_delivery_due(Some(ok)).unwrap().is_some());
    assert_eq!(store.next_delivery_due(Some(plain)).unwrap(), None);
}

/// Cancelling a queued build, a runner letting a started build go, a lease running out and
/// a silent recorder all end builds, and each end fires the failure hooks.
fn every_way_a_build_ends_fires_its_hooks(store: &dyn Store) {
    let alice = owner(store, "alice");
    let demo = project(store, &alice, "demo");
    set_hooks(store, &alice, &demo, hooks());
    let demo = store.project("demo").unwrap();
    let requested = || NewBuild {
        requested: true,
        build_dir: demo.dir.join("build"),
        ..new_build(&demo, &alice)
    };
    let cancelled = start(store, &alice, &demo, requested());
    let audit = acting(
        &alice,
        Action::Project(Right::Build),
        AuditAction::BuildCancel,
        Some("demo"),
    );
    store.request_cancel(cancelled, &audit).unwrap();

    let runner = RunnerId::parse("host/1/a").unwrap();
    let now = Timestamp::now();
    let claim_request = |lease_ms: i64| ClaimRequest {
        runner: runner.clone(),
        host: "host".to_owned(),
        owner: alice.id,
        now,
        lease_until: Timestamp(now.0 + lease_ms),
        work_root: None,
        releases: Vec::new(),
    };
    let released = start(store, &alice, &demo, requested());
    store.claim_build(&claim_request(60_000)).unwrap().unwrap();
    end(store, released, BuildState::Running);
    store.release_claim(released, &runner).unwrap();

    let expired = start(store, &alice, &demo, requested());
    store.claim_build(&claim_request(1)).unwrap().unwrap();
    assert_eq!(
        store.expire_claims(Timestamp(now.0 + 10)).unwrap(),
        [expired]
    );

    let silent = start(store, &alice, &demo, new_build(&demo, &alice));
    let tomorrow = Timestamp(Timestamp::now().0 + 86_400_000);
    assert!(
        store
            .interrupt_silent_builds(tomorrow)
            .unwrap()
            .contains(&silent)
    );

    for (build, state) in [
        (cancelled, BuildState::Cancelled),
        (released, BuildState::Interrupted),
        (expired, BuildState::Interrupted),
        (silent, BuildState::Interrupted),
    ] {
        assert_eq!(store.build(build).unwrap().state, state, "build {build}");
        assert_eq!(
            hook_ids(&store.deliveries(build).unwrap()),
            [2, 3],
            "{build}"
        );
    }
}

/// One claim at a time; a failed attempt is pending again when its retry is due and not
/// before; attempts are numbered and kept; a delivered one is never claimed again.
fn deliveries_are_claimed_once_and_retried_when_due(store: &dyn Store) {
    let alice = owner(store, "alice");
    let demo = project(store, &alice, "demo");
    set_hooks(store, &alice, &demo, hooks()[..1].to_vec());
    let demo = store.project("demo").unwrap();
    let build = start(store, &alice, &demo, new_build(&demo, &alice));
    end(store, build, BuildState::Succeeded);
    let now = Timestamp(Timestamp::now().0 + 1);
    let taken = store
        .claim_delivery(&claim(&alice, "x", now))
        .unwrap()
        .unwrap();
    assert_eq!(taken.claimed_by.as_deref(), Some("x"));
    assert_eq!(
        store.claim_delivery(&claim(&alice, "y", now)).unwrap(),
        None
    );
    let err = store
        .record_attempt(taken.id, &attempt("y", true), NextAttempt::None)
        .unwrap_err();
    assert!(matches!(err, StoreError::DeliveryLost { .. }), "{err:?}");

    let retry_at = Timestamp(now.0 + 5_000);
    let failed = store
        .record_attempt(taken.id, &attempt("x", false), NextAttempt::At(retry_at))
        .unwrap();
    assert_eq!(
        (failed.state, failed.due_at),
        (DeliveryState::Pending, retry_at)
    );
    assert_eq!(failed.claimed_by, None);
    assert_eq!(failed.attempts.len(), 1);
    assert_eq!(failed.attempts[0].number, 1);
    assert_eq!(failed.attempts[0].result.status, Some(500));
    assert_eq!(store.next_delivery_due(None).unwrap(), Some(retry_at));
    assert_eq!(
        store.claim_delivery(&claim(&alice, "y", now)).unwrap(),
        None
    );

    let later = Timestamp(retry_at.0 + 1);
    let again = store
        .claim_delivery(&claim(&alice, "y", later))
        .unwrap()
        .unwrap();
    let done = store
        .record_attempt(again.id, &attempt("y", true), NextAttempt::At(later))
        .unwrap();
    assert_eq!(done.state, DeliveryState::Delivered);
    let numbers: Vec<(u32, bool, &str)> = done
        .attempts
        .iter()
        .map(|a| (a.number, a.result.delivered, a.by.as_str()))
        .collect();
    assert_eq!(numbers, [(1, false, "x"), (2, true, "y")]);
    assert_eq!(store.deliveries(build).unwrap(), [done]);
    assert_eq!(
        store.claim_delivery(&claim(&alice, "z", later)).unwrap(),
        None
    );
    assert_eq!(store.next_delivery_due(None).unwrap(), None);

    // The last failed attempt gives the delivery up.
    let other = start(store, &alice, &demo, new_build(&demo, &alice));
    end(store, other, BuildState::Succeeded);
    let taken = store
        .claim_delivery(&claim(&alice, "x", later))
        .unwrap()
        .unwrap();
    let given_up = store
        .record_attempt(taken.id, &attempt("x", false), NextAttempt::None)
        .unwrap();
    assert_eq!(given_up.state, DeliveryState::Failed);
    assert_eq!(
        store.claim_delivery(&claim(&alice, "x", later)).unwrap(),
        None
    );
}

/// A deliverer that dies holding a delivery lets it go when its claim runs out; if it comes
/// back after another took it, its attempt is refused.
fn a_dead_deliverers_claim_runs_out(store: &dyn Store) {
    let alice = owner(store, "alice");
    let demo = project(store, &alice, "demo");
    set_hooks(store, &alice, &demo, hooks()[..1].to_vec());
    let demo = store.project("demo").unwrap();
    let build = start(store, &alice, &demo, new_build(&demo, &alice));
    end(store, build, BuildState::Succeeded);
    let now = Timestamp(Timestamp::now().0 + 1);
    let short = DeliveryClaim {
        hold: Duration::from_millis(1_000),
        ..claim(&alice, "dead", now)
    };
    let taken = store.claim_delivery(&short).unwrap().unwrap();
    assert_eq!(
        store.next_delivery_due(None).unwrap(),
        Some(Timestamp(now.0 + 1_000))
    );
    let soon = Timestamp(now.0 + 500);
    assert_eq!(
        store.claim_delivery(&claim(&alice, "next", soon)).unwrap(),
        None
    );
    let after = Timestamp(now.0 + 2_000);
    let retaken = store
        .claim_delivery(&claim(&alice, "next", after))
        .unwrap()
        .unwrap();
    assert_eq!(retaken.id, taken.id);
    let err = store
        .record_attempt(taken.id, &attempt("dead", true), NextAttempt::None)
        .unwrap_err();
    assert!(matches!(err, StoreError::DeliveryLost { .. }), "{err:?}");
    assert!(store.deliveries(build).unwrap()[0].attempts.is_empty());
}

/// Script hooks are claimed only on the host the build ran on; network hooks anywhere; and
/// only by deliverers acting as an owner who may build the project; a build filter keeps
/// to that build.
fn scripts_run_on_the_build_host_for_owners_who_may_build(store: &dyn Store) {
    let alice = owner(store, "alice");
    let bob = owner(store, "bob");
    let demo = project(store, &alice, "demo");
    set_hooks(store, &alice, &demo, hooks());
    let demo = store.project("demo").unwrap();
    let first = start(store, &alice, &demo, new_build(&demo, &alice));
    let second = start(store, &alice, &demo, new_build(&demo, &alice));
    end(store, first, BuildState::Succeeded);
    end(store, second, BuildState::Succeeded);
    let now = Timestamp(Timestamp::now().0 + 1);
    assert_eq!(store.claim_delivery(&claim(&bob, "b", now)).unwrap(), None);
    let elsewhere = |by: &str| DeliveryClaim {
        host: "elsewhere".to_owned(),
        build: Some(second),
        ..claim(&alice, by, now)
    };
    let webhook = store.claim_delivery(&elsewhere("e1")).unwrap().unwrap();
    assert_eq!((webhook.build, webhook.hook.id), (second, 1));
    assert_eq!(store.claim_delivery(&elsewhere("e2")).unwrap(), None);
    let here = DeliveryClaim {
        build: Some(second),
        ..claim(&alice, "h", now)
    };
    let script = store.claim_delivery(&here).unwrap().unwrap();
    assert_eq!((script.build, script.hook.id), (second, 3));
}

/// Settings are read back as set, cleared with `None`, and changed only by admins.
fn settings_round_trip_for_admins(store: &dyn Store) {
    let alice = owner(store, "alice");
    let bob = owner(store, "bob");
    let set = |who: &Owner, value: Option<&str>| {
        let audit = acting(
            who,
            Action::ChangeDefaults,
            AuditAction::SettingChange,
            None,
        );
        store.set_setting("smtp.host", value, &audit)
    };
    assert_eq!(store.setting("smtp.host").unwrap(), None);
    set(&alice, Some("mail.example.com")).unwrap();
    set(&alice, Some("relay.example.com")).unwrap();
    assert_eq!(
        store.setting("smtp.host").unwrap().as_deref(),
        Some("relay.example.com")
    );
    let err = set(&bob, None).unwrap_err();
    assert!(matches!(err, StoreError::Denied { .. }), "{err:?}");
    assert!(store.setting("smtp.host").unwrap().is_some());
    set(&alice, None).unwrap();
    assert_eq!(store.setting("smtp.host").unwrap(), None);
}
