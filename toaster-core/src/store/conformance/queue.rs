//! Conformance checks of the build queue: claims, leases, releases and cancel requests.

use std::collections::BTreeSet;
use std::path::PathBuf;

use super::{Check, acting, new_build, owner, project};
use crate::model::{
    Action, AuditAction, AuditFilter, Build, BuildId, BuildState, BuildWrite, ClaimRequest,
    NewBuild, Owner, Project, Release, Right, RunnerId, RunnerRegistration, Timestamp,
};
use crate::store::{Store, StoreError};

/// Every queue check, by name.
pub const CHECKS: &[(&str, Check)] = &[
    (
        "queued_builds_are_claimed_oldest_first",
        queued_builds_are_claimed_oldest_first,
    ),
    (
        "builds_recorded_by_hand_are_never_claimed",
        builds_recorded_by_hand_are_never_claimed,
    ),
    (
        "one_claimed_build_per_project_at_a_time",
        one_claimed_build_per_project_at_a_time,
    ),
    (
        "one_claimed_build_per_build_dir_at_a_time",
        one_claimed_build_per_build_dir_at_a_time,
    ),
    (
        "builds_run_on_the_host_asked_for",
        builds_run_on_the_host_asked_for,
    ),
    (
        "runners_claim_only_what_their_owner_may_build",
        runners_claim_only_what_their_owner_may_build,
    ),
    (
        "expired_leases_end_interrupted_and_unlock",
        expired_leases_end_interrupted_and_unlock,
    ),
    (
        "renewing_a_lost_lease_is_refused",
        renewing_a_lost_lease_is_refused,
    ),
    (
        "released_claims_return_to_the_queue",
        released_claims_return_to_the_queue,
    ),
    (
        "cancelling_queued_claimed_and_ended_builds",
        cancelling_queued_claimed_and_ended_builds,
    ),
    (
        "leases_not_silence_govern_claimed_builds",
        leases_not_silence_govern_claimed_builds,
    ),
    (
        "racing_claims_have_one_winner",
        racing_claims_have_one_winner,
    ),
    (
        "claims_in_a_work_root_get_its_build_dir",
        claims_in_a_work_root_get_its_build_dir,
    ),
    (
        "runners_register_say_they_are_alive_and_leave",
        runners_register_say_they_are_alive_and_leave,
    ),
    (
        "runners_take_only_the_releases_they_build",
        runners_take_only_the_releases_they_build,
    ),
];

/// How long test claims hold.
const LEASE_MS: i64 = 60_000;

fn runner(id: &str) -> RunnerId {
    RunnerId::parse(id).unwrap()
}

fn later(at: Timestamp, ms: i64) -> Timestamp {
    Timestamp(at.0 + ms)
}

/// A build of `project` requested by `who` for a runner.
fn request(project: &Project, who: &Owner) -> NewBuild {
    NewBuild {
        requested: true,
        ..new_build(project, who)
    }
}

/// Writes `new`, a build of `project`, as `who`.
fn start(store: &dyn Store, project: &Project, new: &NewBuild, who: &Owner) -> Build {
    let audit = acting(
        who,
        Action::Project(Right::Build),
        AuditAction::BuildStart,
        Some(project.name.as_str()),
    );
    store.start_build(new, &audit).unwrap()
}

/// Queues a build of `project` by `who`.
fn queue(store: &dyn Store, project: &Project, who: &Owner) -> Build {
    start(store, project, &request(project, who), who)
}

/// What `runner` on `host`, acting as `who`, claims at `now`.
fn claim_at(
    store: &dyn Store,
    who: &Owner,
    runner: &RunnerId,
    host: &str,
    now: Timestamp,
) -> Option<Build> {
    store
        .claim_build(&ClaimRequest {
            runner: runner.clone(),
            host: host.to_owned(),
            owner: who.id,
            lease_until: later(now, LEASE_MS),
            now,
            work_root: None,
            releases: Vec::new(),
        })
        .unwrap()
}

/// What `runner` on `host`, acting as `who`, claims now.
fn claim(store: &dyn Store, who: &Owner, runner: &RunnerId, host: &str) -> Option<Build> {
    claim_at(store, who, runner, host, Timestamp::now())
}

fn record_state(store: &dyn Store, build: BuildId, state: BuildState) {
    store
        .record(build, &[BuildWrite::State(state, Timestamp::now())])
        .unwrap();
}

fn ids(builds: &[Option<Build>]) -> Vec<Option<BuildId>> {
    builds.iter().map(|b| b.as_ref().map(|b| b.id)).collect()
}

fn queued_builds_are_claimed_oldest_first(store: &dyn Store) {
    let alice = owner(store, "alice");
    let (a, b, c) = (
        project(store, &alice, "a"),
        project(store, &alice, "b"),
        project(store, &alice, "c"),
    );
    let first = queue(store, &b, &alice);
    let second = queue(store, &a, &alice);
    let third = queue(store, &c, &alice);
    assert!(first.requested && first.claim.is_none() && first.cancel_requested_at.is_none());
    assert_eq!(
        (first.state, first.run_on.as_deref()),
        (BuildState::Queued, None)
    );
    let r1 = runner("host-1/100/r1");
    let now = Timestamp::now();
    let claimed: Vec<Option<Build>> = (0..4)
        .map(|_| claim_at(store, &alice, &r1, "host-1", now))
        .collect();
    assert_eq!(
        ids(&claimed),
        [Some(first.id), Some(second.id), Some(third.id), None]
    );
    let taken = store.build(first.id).unwrap();
    assert_eq!(
        taken,
        claimed[0].clone().unwrap(),
        "the claim returns the build"
    );
    let held = taken.claim.expect("claimed");
    assert_eq!(
        (held.runner, held.claimed_at, held.lease_until),
        (r1, now, later(now, LEASE_MS))
    );
    assert_eq!(
        (taken.state, taken.host.as_str()),
        (BuildState::Queued, "host-1")
    );
}

fn builds_recorded_by_hand_are_never_claimed(store: &dyn Store) {
    let alice = owner(store, "alice");
    let demo = project(store, &alice, "demo");
    let other = project(store, &alice, "other");
    let by_hand = start(store, &demo, &new_build(&demo, &alice), &alice);
    let by_hand_too = start(store, &other, &new_build(&other, &alice), &alice);
    assert!(!by_hand.requested);
    let r1 = runner("r1");
    assert!(claim(store, &alice, &r1, "host").is_none());
    let asked = queue(store, &demo, &alice);
    assert_eq!(
        claim(store, &alice, &r1, "host").map(|b| b.id),
        Some(asked.id),
        "a build run by hand holds nothing"
    );
    assert!(claim(store, &alice, &r1, "host").is_none());
    for id in [by_hand.id, by_hand_too.id] {
        let build = store.build(id).unwrap();
        assert_eq!((build.claim, build.state), (None, BuildState::Queued));
    }
}

fn one_claimed_build_per_project_at_a_time(store: &dyn Store) {
    let alice = owner(store, "alice");
    let demo = project(store, &alice, "demo");
    let other = project(store, &alice, "other");
    let (d1, d2) = (queue(store, &demo, &alice), queue(store, &demo, &alice));
    let o1 = queue(store, &other, &alice);
    let r1 = runner("r1");
    let r2 = runner("r2");
    assert_eq!(claim(store, &alice, &r1, "h").map(|b| b.id), Some(d1.id));
    assert_eq!(
        claim(store, &alice, &r2, "h").map(|b| b.id),
        Some(o1.id),
        "demo's second build waits for its first"
    );
    assert!(claim(store, &alice, &r2, "h").is_none());
    record_state(store, d1.id, BuildState::Running);
    assert!(claim(store, &alice, &r2, "h").is_none(), "still running");
    record_state(store, d1.id, BuildState::Succeeded);
    assert_eq!(claim(store, &alice, &r2, "h").map(|b| b.id), Some(d2.id));
    assert_eq!(
        store.build(d1.id).unwrap().claim.map(|c| c.runner),
        Some(r1),
        "an ended build keeps the claim that shows who ran it"
    );
}

fn one_claimed_build_per_build_dir_at_a_time(store: &dyn Store) {
    let alice = owner(store, "alice");
    let shared = PathBuf::from("/srv/shared/build");
    let in_shared = |name: &str| {
        let p = project(store, &alice, name);
        let new = NewBuild {
            build_dir: shared.clone(),
            ..request(&p, &alice)
        };
        start(store, &p, &new, &alice)
    };
    let a1 = in_shared("a");
    let b1 = in_shared("b");
    let c = project(store, &alice, "c");
    let c1 = queue(store, &c, &alice);
    let r1 = runner("r1");
    assert_eq!(claim(store, &alice, &r1, "h").map(|b| b.id), Some(a1.id));
    assert_eq!(
        claim(store, &alice, &r1, "h").map(|b| b.id),
        Some(c1.id),
        "b's build waits for the build directory"
    );
    assert!(claim(store, &alice, &r1, "h").is_none());
    record_state(store, a1.id, BuildState::Failed);
    assert_eq!(claim(store, &alice, &r1, "h").map(|b| b.id), Some(b1.id));
}

fn builds_run_on_the_host_asked_for(store: &dyn Store) {
    let alice = owner(store, "alice");
    let (p1, p2, p3) = (
        project(store, &alice, "p1"),
        project(store, &alice, "p2"),
        project(store, &alice, "p3"),
    );
    let on_a = |p: &Project| {
        let new = NewBuild {
            run_on: Some("host-a".to_owned()),
            ..request(p, &alice)
        };
        start(store, p, &new, &alice)
    };
    let b1 = on_a(&p1);
    assert_eq!(b1.run_on.as_deref(), Some("host-a"));
    let b2 = queue(store, &p2, &alice);
    let b3 = on_a(&p3);
    let b3_any = queue(store, &p3, &alice);
    let on_b = runner("host-b/1/x");
    assert_eq!(
        claim(store, &alice, &on_b, "host-b").map(|b| b.id),
        Some(b2.id)
    );
    assert!(
        claim(store, &alice, &on_b, "host-b").is_none(),
        "p3's later build waits behind its build for host-a"
    );
    let on_a_runner = runner("host-a/1/x");
    assert_eq!(
        claim(store, &alice, &on_a_runner, "host-a").map(|b| b.id),
        Some(b1.id)
    );
    assert_eq!(
        claim(store, &alice, &on_a_runner, "host-a").map(|b| b.id),
        Some(b3.id)
    );
    record_state(store, b3.id, BuildState::Succeeded);
    assert_eq!(
        claim(store, &alice, &on_b, "host-b").map(|b| b.id),
        Some(b3_any.id)
    );
}

fn runners_claim_only_what_their_owner_may_build(store: &dyn Store) {
    let alice = owner(store, "alice");
    let bob = owner(store, "bob");
    assert!(alice.admin && !bob.admin);
    let hers = project(store, &alice, "hers");
    let his = project(store, &bob, "his");
    let h1 = queue(store, &hers, &alice);
    let b1 = queue(store, &his, &bob);
    let bobs = runner("bob's");
    assert_eq!(
        claim(store, &bob, &bobs, "h").map(|b| b.id),
        Some(b1.id),
        "bob's runner skips the older build of a project bob may not build"
    );
    assert!(claim(store, &bob, &bobs, "h").is_none());
    assert_eq!(store.build(h1.id).unwrap().claim, None);
    let admins = runner("admin's");
    assert_eq!(
        claim(store, &alice, &admins, "h").map(|b| b.id),
        Some(h1.id)
    );
}

fn expired_leases_end_interrupted_and_unlock(store: &dyn Store) {
    let alice = owner(store, "alice");
    let (p1, p2, p3) = (
        project(store, &alice, "p1"),
        project(store, &alice, "p2"),
        project(store, &alice, "p3"),
    );
    let (b1, b1_next) = (queue(store, &p1, &alice), queue(store, &p1, &alice));
    let b2 = queue(store, &p2, &alice);
    let dead = runner("dead");
    let now = Timestamp::now();
    let c1 = claim_at(store, &alice, &dead, "h", now).unwrap();
    let c2 = claim_at(store, &alice, &dead, "h", now).unwrap();
    assert_eq!((c1.id, c2.id), (b1.id, b2.id));
    record_state(store, b2.id, BuildState::Running);
    assert!(
        store
            .expire_claims(later(now, LEASE_MS))
            .unwrap()
            .is_empty(),
        "a lease holds until its end"
    );
    let after = later(now, LEASE_MS + 1);
    let expired: BTreeSet<BuildId> = store.expire_claims(after).unwrap().into_iter().collect();
    assert_eq!(expired, BTreeSet::from([b1.id, b2.id]));
    for id in [b1.id, b2.id] {
        let build = store.build(id).unwrap();
        assert_eq!(build.state, BuildState::Interrupted, "{id}");
        assert_eq!(
            build.ended_at,
            Some(later(now, LEASE_MS)),
            "ended at the lease's end"
        );
        assert_eq!(build.claim.map(|c| c.runner), Some(dead.clone()));
    }
    assert!(store.expire_claims(after).unwrap().is_empty(), "once");
    let alive = runner("alive");
    assert_eq!(
        claim_at(store, &alice, &alive, "h", after).map(|b| b.id),
        Some(b1_next.id),
        "the project is free again"
    );
    // A claim expires dead runners' claims first, in its own transaction.
    let b3 = queue(store, &p3, &alice);
    let b3_next = queue(store, &p3, &alice);
    assert_eq!(
        claim_at(store, &alice, &dead, "h", after).map(|b| b.id),
        Some(b3.id)
    );
    let much_later = later(after, LEASE_MS + 1);
    let taken = claim_at(store, &alice, &alive, "h", much_later).expect("p3 freed");
    assert_eq!(taken.id, b3_next.id);
    assert_eq!(store.build(b3.id).unwrap().state, BuildState::Interrupted);
    assert_eq!(
        store.build(b1_next.id).unwrap().state,
        BuildState::Interrupted,
        "alive did not renew either"
    );
}

fn renewing_a_lost_lease_is_refused(store: &dyn Store) {
    let alice = owner(store, "alice");
    let demo = project(store, &alice, "demo");
    let other = project(store, &alice, "other");
    let b1 = queue(store, &demo, &alice);
    let (r1, r2) = (runner("r1"), runner("r2"));
    let now = Timestamp::now();
    claim_at(store, &alice, &r1, "h", now).unwrap();
    let refused = store.renew_lease(b1.id, &r2, later(now, 2 * LEASE_MS));
    assert!(
        matches!(&refused, Err(StoreError::LeaseLost { build, runner }) if *build == b1.id && *runner == r2),
        "{refused:?}"
    );
    let renewed = store
        .renew_lease(b1.id, &r1, later(now, 2 * LEASE_MS))
        .unwrap();
    assert_eq!(
        renewed.claim.map(|c| c.lease_until),
        Some(later(now, 2 * LEASE_MS))
    );
    assert!(
        store
            .expire_claims(later(now, LEASE_MS + 1))
            .unwrap()
            .is_empty(),
        "the renewed lease holds"
    );
    assert_eq!(
        store.expire_claims(later(now, 2 * LEASE_MS + 1)).unwrap(),
        [b1.id]
    );
    let lost = store.renew_lease(b1.id, &r1, later(now, 3 * LEASE_MS));
    assert!(
        matches!(lost, Err(StoreError::LeaseLost { .. })),
        "{lost:?}"
    );
    assert_eq!(
        store.build(b1.id).unwrap().claim.map(|c| c.lease_until),
        Some(later(now, 2 * LEASE_MS)),
        "a refused renewal writes nothing"
    );
    let b2 = queue(store, &other, &alice);
    claim(store, &alice, &r1, "h").unwrap();
    record_state(store, b2.id, BuildState::Succeeded);
    let ended = store.renew_lease(b2.id, &r1, later(now, 3 * LEASE_MS));
    assert!(
        matches!(ended, Err(StoreError::LeaseLost { .. })),
        "{ended:?}"
    );
    let missing = store.renew_lease(BuildId(9999), &r1, now);
    assert!(
        matches!(missing, Err(StoreError::NotFound { .. })),
        "{missing:?}"
    );
}

fn released_claims_return_to_the_queue(store: &dyn Store) {
    let alice = owner(store, "alice");
    let demo = project(store, &alice, "demo");
    let other = project(store, &alice, "other");
    let b1 = queue(store, &demo, &alice);
    let (r1, r2) = (runner("r1"), runner("r2"));
    claim(store, &alice, &r1, "h").unwrap();
    let refused = store.release_claim(b1.id, &r2);
    assert!(
        matches!(refused, Err(StoreError::LeaseLost { .. })),
        "{refused:?}"
    );
    let back = store.release_claim(b1.id, &r1).unwrap();
    assert_eq!((back.state, back.claim), (BuildState::Queued, None));
    let again = claim(store, &alice, &r2, "h").expect("queued again");
    assert_eq!(again.id, b1.id);
    record_state(store, b1.id, BuildState::Running);
    let gone = store.release_claim(b1.id, &r2).unwrap();
    assert_eq!(gone.state, BuildState::Interrupted, "a started build ends");
    assert!(gone.ended_at.is_some());
    assert_eq!(
        store.release_claim(b1.id, &r2).unwrap(),
        gone,
        "an ended build stays"
    );
    let b2 = queue(store, &other, &alice);
    claim(store, &alice, &r1, "h").unwrap();
    let audit = acting(
        &alice,
        Action::Project(Right::Build),
        AuditAction::BuildCancel,
        Some("other"),
    );
    store.request_cancel(b2.id, &audit).unwrap();
    let cancelled = store.release_claim(b2.id, &r1).unwrap();
    assert_eq!(cancelled.state, BuildState::Cancelled);
    assert!(claim(store, &alice, &r1, "h").is_none());
    let b3 = queue(store, &other, &alice);
    claim(store, &alice, &r1, "h").unwrap();
    record_state(store, b3.id, BuildState::Running);
    store.request_cancel(b3.id, &audit).unwrap();
    let stopped = store.release_claim(b3.id, &r1).unwrap();
    assert_eq!(
        stopped.state,
        BuildState::Cancelled,
        "a build stopped as asked is cancelled"
    );
}

fn cancelling_queued_claimed_and_ended_builds(store: &dyn Store) {
    let alice = owner(store, "alice");
    let bob = owner(store, "bob");
    let (p1, p2, p3) = (
        project(store, &alice, "p1"),
        project(store, &alice, "p2"),
        project(store, &alice, "p3"),
    );
    let waiting = queue(store, &p1, &alice);
    let claimed = queue(store, &p2, &alice);
    let running = queue(store, &p3, &alice);
    let r1 = runner("r1");
    // Claim the second and third, leaving the first waiting: claim all, release the first.
    for _ in 0..3 {
        claim(store, &alice, &r1, "h").unwrap();
    }
    store.release_claim(waiting.id, &r1).unwrap();
    record_state(store, running.id, BuildState::Running);
    let cancel = |who: &Owner, id: BuildId, project: &str| {
        let audit = acting(
            who,
            Action::Project(Right::Build),
            AuditAction::BuildCancel,
            Some(project),
        );
        store.request_cancel(id, &audit)
    };
    let audited = store.audit(&AuditFilter::default()).unwrap().len();
    let denied = cancel(&bob, waiting.id, "p1");
    assert!(
        matches!(denied, Err(StoreError::Denied { .. })),
        "{denied:?}"
    );
    assert_eq!(store.build(waiting.id).unwrap().state, BuildState::Queued);
    assert_eq!(store.audit(&AuditFilter::default()).unwrap().len(), audited);

    let gone = cancel(&alice, waiting.id, "p1").unwrap();
    assert_eq!(
        gone.state,
        BuildState::Cancelled,
        "a waiting build never starts"
    );
    assert!(gone.ended_at.is_some() && gone.cancel_requested_at.is_some());
    assert!(claim(store, &alice, &r1, "h").is_none());

    let asked = cancel(&alice, claimed.id, "p2").unwrap();
    assert_eq!(asked.state, BuildState::Queued, "its runner stops it");
    let first = asked.cancel_requested_at.expect("asked");
    let twice = cancel(&alice, claimed.id, "p2").unwrap();
    assert_eq!(
        twice.cancel_requested_at,
        Some(first),
        "the first request counts"
    );
    let renewed = store
        .renew_lease(claimed.id, &r1, later(Timestamp::now(), LEASE_MS))
        .unwrap();
    assert_eq!(
        renewed.cancel_requested_at,
        Some(first),
        "the runner sees it"
    );

    let stopping = cancel(&alice, running.id, "p3").unwrap();
    assert_eq!(stopping.state, BuildState::Running);
    assert!(stopping.cancel_requested_at.is_some());

    let ended = cancel(&alice, waiting.id, "p1");
    assert!(
        matches!(
            ended,
            Err(StoreError::BuildEnded {
                state: BuildState::Cancelled,
                ..
            })
        ),
        "{ended:?}"
    );
    let entries = store.audit(&AuditFilter::default()).unwrap();
    let cancels: Vec<&str> = entries
        .iter()
        .filter(|e| e.action == AuditAction::BuildCancel)
        .map(|e| e.detail.as_str())
        .collect();
    assert_eq!(cancels.len(), 4, "{cancels:?}");
    assert!(
        cancels
            .iter()
            .any(|d| d.contains(&format!("cancelled build {} before it started", waiting.id))),
        "{cancels:?}"
    );
    assert!(
        cancels
            .iter()
            .any(|d| d.contains(&format!("asked runner r1 to stop build {}", running.id))),
        "{cancels:?}"
    );
    assert!(
        entries
            .iter()
            .filter(|e| e.action == AuditAction::BuildCancel)
            .all(|e| e.project_id.is_some() && e.owner.as_str() == "alice")
    );
}

fn leases_not_silence_govern_claimed_builds(store: &dyn Store) {
    let alice = owner(store, "alice");
    let (p1, p2, p3, p4) = (
        project(store, &alice, "p1"),
        project(store, &alice, "p2"),
        project(store, &alice, "p3"),
        project(store, &alice, "p4"),
    );
    let waiting = queue(store, &p1, &alice);
    let held = queue(store, &p2, &alice);
    let r1 = runner("r1");
    assert_eq!(
        claim(store, &alice, &r1, "h").map(|b| b.id),
        Some(waiting.id)
    );
    assert_eq!(claim(store, &alice, &r1, "h").map(|b| b.id), Some(held.id));
    store.release_claim(waiting.id, &r1).unwrap();
    record_state(store, held.id, BuildState::Running);
    let by_hand = start(store, &p3, &new_build(&p3, &alice), &alice);
    let tomorrow = later(Timestamp::now(), 86_400_000);
    assert_eq!(
        store.interrupt_silent_builds(tomorrow).unwrap(),
        [by_hand.id],
        "only the build nobody holds or waits for is silent"
    );
    assert_eq!(store.build(waiting.id).unwrap().state, BuildState::Queued);
    assert_eq!(store.build(held.id).unwrap().state, BuildState::Running);
    // A lease that ended by the store's own clock ends its build there too.
    let lapsed = queue(store, &p4, &alice);
    let past = later(Timestamp::now(), -10 * LEASE_MS);
    let stale = claim_at(store, &alice, &r1, "h", past).unwrap();
    assert_eq!(stale.id, waiting.id, "the oldest first");
    assert_eq!(
        store.interrupt_silent_builds(Timestamp(0)).unwrap(),
        [waiting.id]
    );
    assert_eq!(
        store.build(waiting.id).unwrap().state,
        BuildState::Interrupted
    );
    assert_eq!(store.build(held.id).unwrap().state, BuildState::Running);
    assert_eq!(store.build(lapsed.id).unwrap().state, BuildState::Queued);
}

fn racing_claims_have_one_winner(store: &dyn Store) {
    let alice = owner(store, "alice");
    let projects: Vec<Project> = (0..5)
        .map(|i| project(store, &alice, &format!("p{i}")))
        .collect();
    let queued: BTreeSet<BuildId> = projects
        .iter()
        .map(|p| queue(store, p, &alice).id)
        .collect();
    let claimed: Vec<Vec<BuildId>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..4)
            .map(|i| {
                let alice = &alice;
                scope.spawn(move || {
                    let me = runner(&format!("racer-{i}"));
                    std::iter::from_fn(|| claim(store, alice, &me, "h").map(|b| b.id))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("thread"))
            .collect()
    });
    let all: Vec<BuildId> = claimed.iter().flatten().copied().collect();
    let distinct: BTreeSet<BuildId> = all.iter().copied().collect();
    assert_eq!(
        all.len(),
        distinct.len(),
        "a build claimed twice: {claimed:?}"
    );
    assert_eq!(distinct, queued, "every build claimed once");
}

fn claims_in_a_work_root_get_its_build_dir(store: &dyn Store) {
    let alice = owner(store, "alice");
    let (p1, p2) = (project(store, &alice, "p1"), project(store, &alice, "p2"));
    let (b1, b2) = (queue(store, &p1, &alice), queue(store, &p2, &alice));
    let now = Timestamp::now();
    let placed = store
        .claim_build(&ClaimRequest {
            runner: runner("host-w/1/x"),
            host: "host-w".to_owned(),
            owner: alice.id,
            lease_until: later(now, LEASE_MS),
            now,
            work_root: Some(PathBuf::from("/srv/toaster/work")),
            releases: Vec::new(),
        })
        .unwrap()
        .unwrap();
    assert_eq!(placed.id, b1.id);
    assert_eq!(
        placed.build_dir,
        PathBuf::from("/srv/toaster/work/p1/build")
    );
    assert_eq!(placed.host, "host-w");
    assert_eq!(store.build(b1.id).unwrap().build_dir, placed.build_dir);
    // A runner without a work root builds in the project's own directory.
    let own = claim(store, &alice, &runner("host-o/1/x"), "host-o").unwrap();
    assert_eq!((own.id, &own.build_dir), (b2.id, &b2.build_dir));
}

fn runners_register_say_they_are_alive_and_leave(store: &dyn Store) {
    let alice = owner(store, "alice");
    let registration = |id: &str, host: &str, jobs: u32| RunnerRegistration {
        runner: runner(id),
        host: host.to_owned(),
        version: "1.2.3".to_owned(),
        jobs,
        work_root: Some(PathBuf::from("/srv/work")),
        lease_ms: LEASE_MS,
        owner: alice.id,
        releases: vec!["scarthgap".to_owned(), "wrynose".to_owned()],
    };
    let before = Timestamp::now();
    let b = store
        .register_runner(&registration("host-b/2/y", "host-b", 2))
        .unwrap();
    let a = store
        .register_runner(&registration("host-a/1/x", "host-a", 1))
        .unwrap();
    assert_eq!(
        (a.host.as_str(), a.jobs, a.owner_name.as_str()),
        ("host-a", 1, "alice")
    );
    assert_eq!(a.work_root, Some(PathBuf::from("/srv/work")));
    assert_eq!((a.version.as_str(), a.lease_ms), ("1.2.3", LEASE_MS));
    assert_eq!(a.started_at, a.heartbeat_at);
    // The store's clock, which on a server is not this process's: near it, not equal.
    assert!((a.started_at.0 - before.0).abs() < 60_000, "{a:?}");
    let (now, listed) = store.runners().unwrap();
    assert_eq!(listed, vec![a.clone(), b.clone()], "by host");
    let clock = store.clock().unwrap();
    assert!((clock.0 - now.0).abs() < 60_000 && (clock.0 - Timestamp::now().0).abs() < 60_000);
    assert!(listed.iter().all(|r| r.is_alive(now)));

    std::thread::sleep(std::time::Duration::from_millis(5));
    let beat = store.runner_alive(&a.runner).unwrap();
    assert!(beat.heartbeat_at > a.heartbeat_at && beat.started_at == a.started_at);
    // Registering again with the same id replaces the row.
    let again = store
        .register_runner(&registration("host-a/1/x", "host-a", 4))
        .unwrap();
    assert_eq!(again.jobs, 4);
    assert_eq!(store.runners().unwrap().1.len(), 2);

    store.unregister_runner(&a.runner).unwrap();
    store.unregister_runner(&a.runner).unwrap();
    assert_eq!(store.runners().unwrap().1, vec![b]);
    assert!(matches!(
        store.runner_alive(&a.runner),
        Err(StoreError::NotFound {
            entity: "runner",
            ..
        })
    ));
    let nobody = RunnerRegistration {
        owner: crate::model::OwnerId(9_999),
        ..registration("host-c/1/z", "host-c", 1)
    };
    assert!(matches!(
        store.register_runner(&nobody),
        Err(StoreError::NotFound { .. })
    ));
    assert_eq!(store.runners().unwrap().1.len(), 1, "nothing written");
}

fn runners_take_only_the_releases_they_build(store: &dyn Store) {
    let alice = owner(store, "alice");
    let newest = project(store, &alice, "newest");
    let older = crate::model::NewProject {
        name: crate::model::Name::parse("project", "older").unwrap(),
        dir: PathBuf::from("/srv/projects/older"),
        release: Release::parse("scarthgap").unwrap(),
        owner: alice.id,
        group: None,
        mode: crate::model::Mode::PRIVATE,
    };
    let audit = super::entry(
        "alice",
        AuditAction::ProjectCreate,
        Some("older"),
        "created",
    );
    let older = store
        .create_project(
            &older,
            &super::revision(&alice, "created", older.release.defaults()),
            &audit,
        )
        .unwrap();
    let (b_older, b_newest) = (queue(store, &older, &alice), queue(store, &newest, &alice));
    let claim_for = |id: &str, releases: &[&str]| {
        let now = Timestamp::now();
        store
            .claim_build(&ClaimRequest {
                runner: runner(id),
                host: "h".to_owned(),
                owner: alice.id,
                lease_until: later(now, LEASE_MS),
                now,
                work_root: None,
                releases: releases
                    .iter()
                    .map(|r| Release::parse(r).unwrap())
                    .collect(),
            })
            .unwrap()
            .map(|b| b.id)
    };
    assert_eq!(
        claim_for("h/1/a", &["wrynose"]),
        Some(b_newest.id),
        "the older one waits"
    );
    assert_eq!(claim_for("h/1/a", &["wrynose"]), None);
    assert_eq!(
        claim_for("h/2/b", &["kirkstone", "scarthgap"]),
        Some(b_older.id)
    );
}
