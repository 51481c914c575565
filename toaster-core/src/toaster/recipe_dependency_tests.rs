//! Recipe dependencies and providers through the facade: recorded from events (bad input
//! warned about, never refused), walked both ways, an unknown recipe named with a hint.

use super::build_tests::Fixture;
use super::*;
use crate::ingest::{BatchPolicy, Event};
use crate::model::{DependencyKind, Provider, RecipeDependencies, RecipeDependency};

fn depends(recipe: &str, kind: DependencyKind, on: &[(&str, Option<&str>)]) -> Event {
    Event::RecipeDependencies(RecipeDependencies {
        recipe: recipe.to_owned(),
        kind,
        depends: on
            .iter()
            .map(|(r, via)| RecipeDependency {
                recipe: (*r).to_owned(),
                via: via.map(str::to_owned),
            })
            .collect(),
    })
}

#[test]
fn dependencies_are_recorded_walked_and_bad_ones_warned_about() {
    let f = Fixture::new();
    let build = f.start();
    let mut recorder = f.alice.recorder(build.id, BatchPolicy::default()).unwrap();
    let events = [
        Event::Provider(Provider {
            name: "virtual/kernel".into(),
            recipe: "linux-yocto".into(),
        }),
        depends(
            "image",
            DependencyKind::Build,
            &[
                ("linux-yocto", Some("virtual/kernel")),
                ("busybox", None),
                ("busybox", None),
            ],
        ),
        depends(
            "image",
            DependencyKind::Runtime,
            &[("busybox", None), ("image", None)],
        ),
        depends("busybox", DependencyKind::Build, &[("glibc", None)]),
        // A cycle, as metadata can make one.
        depends("glibc", DependencyKind::Runtime, &[("image", None)]),
    ];
    for event in events {
        recorder.record(event).unwrap();
    }
    recorder.flush().unwrap();

    let edges = f.alice.recipe_dependencies(build.id).unwrap();
    assert_eq!(edges.len(), 5);
    assert!(edges.iter().any(|e| e.depends_on == "linux-yocto"
        && e.via.as_deref() == Some("virtual/kernel")
        && e.kind == DependencyKind::Build));
    assert_eq!(
        f.alice.providers(build.id).unwrap(),
        [Provider {
            name: "virtual/kernel".into(),
            recipe: "linux-yocto".into()
        }]
    );
    let walked = |recipe: &str, walk| -> Vec<(String, u32, Vec<String>)> {
        f.alice
            .recipe_walk(build.id, recipe, walk)
            .unwrap()
            .into_iter()
            .map(|r| (r.node, r.depth, r.chain))
            .collect()
    };
    assert_eq!(
        walked("image", TaskWalk::NeededBy),
        [
            ("busybox".into(), 1, vec!["busybox".into()]),
            ("linux-yocto".into(), 1, vec!["linux-yocto".into()]),
            ("glibc".into(), 2, vec!["busybox".into(), "glibc".into()]),
        ]
    );
    assert_eq!(
        walked("glibc", TaskWalk::DependingOn),
        [
            ("busybox".into(), 1, vec!["busybox".into()]),
            ("image".into(), 2, vec!["busybox".into(), "image".into()]),
        ]
    );

    let warnings = f.warnings(build.id);
    assert_eq!(
        warnings,
        [
            "toaster: recipe image lists 1 of its build dependencies more than once; each is recorded once",
            "toaster: recipe image is listed as needing itself (runtime); that dependency is not recorded",
        ]
    );

    let err = f
        .alice
        .recipe_walk(build.id, "busybx", TaskWalk::NeededBy)
        .unwrap_err();
    assert_eq!(err.kind(), crate::ErrorKind::NotFound);
    assert_eq!(
        err.to_string(),
        format!("build {} used no recipe `busybx`", build.id)
    );
    assert_eq!(
        err.hint().unwrap(),
        format!(
            "`toaster build recipes {}` lists the recipes it used; name one by its PN",
            build.id
        )
    );
}
