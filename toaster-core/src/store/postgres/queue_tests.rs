//! The build queue on PostgreSQL across connections: runners with pools of their own,
//! racing for the same builds, each get different builds.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Barrier;
use std::time::Duration;

use super::PostgresStore;
use crate::model::{
    Action, AuditAction, BuildId, ClaimRequest, NewBuild, Right, RunnerId, Timestamp,
};
use crate::store::{Store, conformance, test_server};

const RACERS: usize = 4;
const BUILDS: usize = 32;

#[test]
fn racing_runners_claim_every_build_once() {
    let Some(server) = test_server::server("racing_runners_claim_every_build_once") else {
        return;
    };
    let url = server.fresh_schema();
    let store = PostgresStore::init(&url).unwrap();
    let alice = conformance::owner(&store, "alice");
    let queued: BTreeSet<BuildId> = (0..BUILDS)
        .map(|i| {
            let project = conformance::project(&store, &alice, &format!("p{i}"));
            let new = NewBuild {
                requested: true,
                host: "asker".into(),
                ..conformance::new_build(&project, &alice)
            };
            let started = conformance::acting(
                &alice,
                Action::Project(Right::Build),
                AuditAction::BuildStart,
                Some(project.name.as_str()),
            );
            store.start_build(&new, &started).unwrap().id
        })
        .collect();
    let start = Barrier::new(RACERS);
    let claims: Vec<(RunnerId, Vec<BuildId>)> = std::thread::scope(|scope| {
        let racers: Vec<_> = (0..RACERS)
            .map(|_| {
                scope.spawn(|| {
                    // A runner of its own: its own pool of connections.
                    let store = PostgresStore::open(&url).unwrap();
                    let me = RunnerId::generate("racer").unwrap();
                    let mut mine = Vec::new();
                    start.wait();
                    loop {
                        let now = Timestamp::now();
                        let claim = ClaimRequest {
                            runner: me.clone(),
                            host: "racer".into(),
                            owner: alice.id,
                            lease_until: Timestamp(now.0 + 60_000),
                            now,
                            work_root: None,
                            releases: Vec::new(),
                        };
                        match store.claim_build(&claim).unwrap() {
                            Some(build) => mine.push(build.id),
                            None => break,
                        }
                        // As a runner starting a build would, so the others get their turn.
                        std::thread::sleep(Duration::from_millis(3));
                    }
                    (me, mine)
                })
            })
            .collect();
        racers.into_iter().map(|r| r.join().unwrap()).collect()
    });
    let mut claimed: BTreeMap<BuildId, Vec<&RunnerId>> = BTreeMap::new();
    for (runner, builds) in &claims {
        for build in builds {
            claimed.entry(*build).or_default().push(runner);
        }
    }
    let twice: Vec<_> = claimed.iter().filter(|(_, by)| by.len() > 1).collect();
    assert!(twice.is_empty(), "claimed more than once: {twice:?}");
    assert_eq!(
        claimed.keys().copied().collect::<BTreeSet<_>>(),
        queued,
        "every build was claimed"
    );
    let winners = claims.iter().filter(|(_, b)| !b.is_empty()).count();
    assert!(winners > 1, "one racer took every build: {claims:?}");
    for (id, by) in &claimed {
        let held = store.build(*id).unwrap().claim.unwrap();
        assert_eq!(&held.runner, by[0], "the store agrees on build {id}");
    }
}
