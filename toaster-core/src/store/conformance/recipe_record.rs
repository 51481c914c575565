//! Conformance checks of the full build record's recipes: what they say of themselves,
//! their dependencies and the names they provide.

use super::{Check, acting, new_build, owner, project, starting};
use crate::model::{
    Action, AuditAction, Build, BuildWrite, DependencyKind, Provider, RecipeDependencies,
    RecipeDependency, RecipeEdge, RecipeRecord, Right,
};
use crate::store::Store;

/// Every check of the recipes of the full build record, by name.
pub const CHECKS: &[(&str, Check)] = &[
    (
        "recipe_details_are_shared_and_filled_in_once",
        recipe_details_are_shared_and_filled_in_once,
    ),
    (
        "recipe_dependencies_and_providers_are_per_build_and_go_with_it",
        recipe_dependencies_and_providers_are_per_build_and_go_with_it,
    ),
];

/// Two builds of one project, and the audit entry that deletes one of them.
pub(super) fn two_builds(store: &dyn Store) -> (Build, Build, crate::model::NewAudit) {
    let alice = owner(store, "alice");
    let demo = project(store, &alice, "demo");
    let audit = starting(&alice, "demo");
    let first = store
        .start_build(&new_build(&demo, &alice), &audit)
        .unwrap();
    let second = store
        .start_build(&new_build(&demo, &alice), &audit)
        .unwrap();
    let delete = acting(
        &alice,
        Action::Project(Right::Build),
        AuditAction::BuildDelete,
        Some("demo"),
    );
    (first, second, delete)
}

fn busybox(licence: Option<&str>, summary: Option<&str>) -> RecipeRecord {
    RecipeRecord {
        name: "busybox".to_owned(),
        version: "1.36.1-r0".to_owned(),
        layer: "openembedded-core".to_owned(),
        file: "/layers/meta/recipes-core/busybox/busybox_1.36.1.bb".to_owned(),
        licence: licence.map(str::to_owned),
        summary: summary.map(str::to_owned),
        section: None,
        homepage: Some("https://www.busybox.net".to_owned()),
    }
}

fn recipe_details_are_shared_and_filled_in_once(store: &dyn Store) {
    let (first, second, delete) = two_builds(store);
    // The first build knows no licence; the second does, and a different summary.
    store
        .record(
            first.id,
            &[BuildWrite::Recipe(busybox(None, Some("Tiny versions")))],
        )
        .unwrap();
    store
        .record(
            second.id,
            &[BuildWrite::Recipe(busybox(
                Some("GPL-2.0-only & bzip2-1.0.4"),
                Some("Another summary"),
            ))],
        )
        .unwrap();
    let expected = busybox(Some("GPL-2.0-only & bzip2-1.0.4"), Some("Tiny versions"));
    for build in [first.id, second.id] {
        assert_eq!(
            store.recipes(build).unwrap(),
            std::slice::from_ref(&expected),
            "one row, shared: what is unknown is filled in, what is known kept"
        );
    }
    store.delete_build(first.id, &delete).unwrap();
    assert_eq!(store.recipes(second.id).unwrap(), [expected]);
}

fn recipe_dependencies_and_providers_are_per_build_and_go_with_it(store: &dyn Store) {
    let (first, second, delete) = two_builds(store);
    let deps = |recipe: &str, kind, on: &[(&str, Option<&str>)]| {
        BuildWrite::RecipeDependencies(RecipeDependencies {
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
    };
    let odd = "r\u{e9}cipe\twith\nodd bytes";
    let kernel = Provider {
        name: "virtual/kernel".to_owned(),
        recipe: "linux-yocto".to_owned(),
    };
    store
        .record(
            first.id,
            &[
                BuildWrite::Provider(kernel.clone()),
                deps(
                    "image",
                    DependencyKind::Build,
                    &[("linux-yocto", Some("virtual/kernel")), ("busybox", None)],
                ),
                deps("image", DependencyKind::Runtime, &[("busybox", None)]),
                // Listed again in a later write: kept once.
                deps("image", DependencyKind::Build, &[("busybox", None)]),
                deps(odd, DependencyKind::Build, &[("image", None)]),
            ],
        )
        .unwrap();
    let tiny = Provider {
        name: "virtual/kernel".to_owned(),
        recipe: "linux-yocto-tiny".to_owned(),
    };
    store
        .record(
            second.id,
            &[
                BuildWrite::Provider(tiny.clone()),
                deps(
                    "image",
                    DependencyKind::Build,
                    &[("linux-yocto-tiny", Some("virtual/kernel"))],
                ),
            ],
        )
        .unwrap();
    let edge = |recipe: &str, on: &str, kind, via: Option<&str>| RecipeEdge {
        recipe: recipe.to_owned(),
        depends_on: on.to_owned(),
        kind,
        via: via.map(str::to_owned),
    };
    let mut expected = vec![
        edge("image", "busybox", DependencyKind::Build, None),
        edge("image", "busybox", DependencyKind::Runtime, None),
        edge(
            "image",
            "linux-yocto",
            DependencyKind::Build,
            Some("virtual/kernel"),
        ),
        edge(odd, "image", DependencyKind::Build, None),
    ];
    expected.sort();
    assert_eq!(store.recipe_dependencies(first.id).unwrap(), expected);
    assert_eq!(store.providers(first.id).unwrap(), [kernel]);
    let second_edges = vec![edge(
        "image",
        "linux-yocto-tiny",
        DependencyKind::Build,
        Some("virtual/kernel"),
    )];
    assert_eq!(store.recipe_dependencies(second.id).unwrap(), second_edges);

    store.delete_build(first.id, &delete).unwrap();
    assert!(store.recipe_dependencies(first.id).unwrap().is_empty());
    assert!(store.providers(first.id).unwrap().is_empty());
    assert_eq!(
        store.recipe_dependencies(second.id).unwrap(),
        second_edges,
        "deleting a build leaves the others' dependencies"
    );
    assert_eq!(store.providers(second.id).unwrap(), [tiny]);
}
