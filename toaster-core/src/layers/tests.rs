//! The layers module against real git repositories made in temp dirs, and the checks on
//! layer lists.

use std::path::Path;

use super::test_repos::{TestRepo, write_layer};
use super::*;
use crate::model::{Collection, Dependency, LayerRef, LayerSource, Release};

const RELEASE: Release = Release::DEFAULT;
const COMPAT: &str = "LAYERSERIES_COMPAT_{}";

fn compat(name: &str) -> String {
    format!("{} = \"{}\"\n", COMPAT.replace("{}", name), RELEASE.name())
}

fn git(url: &str, reference: Option<&str>, subdir: Option<&str>) -> LayerRequest {
    LayerRequest::Git {
        url: url.to_owned(),
        reference: reference.map(str::to_owned),
        subdir: subdir.map(str::to_owned),
    }
}

fn quiet(_: &Transfer) {}

fn prepare_quiet(
    project: &Path,
    present: &[LayerRef],
    request: &LayerRequest,
) -> Result<Prepared, LayerError> {
    prepare(project, present, request, None, RELEASE, &mut quiet)
}

fn commit_of(layer: &LayerRef) -> String {
    match &layer.source {
        LayerSource::Git { commit, .. } => commit.clone().unwrap_or_default(),
        LayerSource::Local { .. } => String::new(),
    }
}

/// A "poky"-like repository: `meta` (core), `meta-poky` (yocto, needs core) on `main`,
/// with a second commit, a `stable` branch and a `v1.0` tag.
fn poky(dir: &Path) -> (TestRepo, git2::Oid, git2::Oid) {
    let repo = TestRepo::init(dir);
    repo.layer(
        "meta",
        "core",
        &(compat("core") + "LAYERVERSION_core = \"15\"\n"),
    );
    repo.layer(
        "meta-poky",
        "yocto",
        &(compat("yocto") + "LAYERDEPENDS_yocto = \"core (>= 12)\"\n"),
    );
    let first = repo.commit("first");
    repo.tag("v1.0");
    repo.branch("stable");
    repo.switch("main");
    repo.write("meta/README", "second\n");
    let second = repo.commit("second");
    (repo, first, second)
}

#[test]
fn a_git_layer_is_cloned_into_the_project_and_its_commit_recorded() {
    let tmp = tempfile::tempdir().unwrap();
    let (repo, _, second) = poky(&tmp.path().join("poky"));
    let project = tmp.path().join("project");
    let mut transfers = Vec::new();
    let prepared = prepare(
        &project,
        &[],
        &git(&repo.url(), Some("main"), Some("meta")),
        None,
        RELEASE,
        &mut |t: &Transfer| transfers.push(t.clone()),
    )
    .unwrap();
    let layer = &prepared.layer;
    assert_eq!(layer.collections[0].name, "core");
    assert_eq!(layer.name, "meta");
    assert_eq!(commit_of(layer), second.to_string());
    assert!(project.join("layers/poky/meta/conf/layer.conf").is_file());
    assert_eq!(layer.path(&project), project.join("layers/poky/meta"));
    assert!(
        transfers
            .last()
            .is_some_and(|t| t.received_objects > 0 && t.is_done())
    );
    // The other layer of the repository is offered.
    let offered: Vec<&str> = prepared
        .candidates
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(offered, ["meta-poky"]);
}

#[test]
fn branches_tags_and_commits_resolve_to_their_commits() {
    let tmp = tempfile::tempdir().unwrap();
    let (repo, first, second) = poky(&tmp.path().join("poky"));
    for (reference, want) in [
        ("stable", first),
        ("v1.0", first),
        ("main", second),
        (&first.to_string()[..10], first),
    ] {
        let project = tmp.path().join(format!("p-{reference}"));
        let prepared = prepare_quiet(
            &project,
            &[],
            &git(&repo.url(), Some(reference), Some("meta")),
        )
        .unwrap();
        assert_eq!(commit_of(&prepared.layer), want.to_string(), "{reference}");
        let LayerSource::Git { reference: r, .. } = &prepared.layer.source else {
            panic!("git")
        };
        assert_eq!(r, reference);
        // The work tree is at that commit: the second commit's file only on main.
        assert_eq!(
            project.join("layers/poky/meta/README").exists(),
            want == second,
            "{reference}"
        );
    }
}

#[test]
fn without_a_ref_the_release_branch_then_the_default_branch_is_used() {
    let tmp = tempfile::tempdir().unwrap();
    let (repo, _, second) = poky(&tmp.path().join("poky"));
    let prepared = prepare_quiet(
        &tmp.path().join("a"),
        &[],
        &git(&repo.url(), None, Some("meta")),
    )
    .unwrap();
    let LayerSource::Git { reference, .. } = &prepared.layer.source else {
        panic!("git")
    };
    assert_eq!(reference, "main");
    assert_eq!(commit_of(&prepared.layer), second.to_string());
    repo.branch(RELEASE.branch());
    let prepared = prepare_quiet(
        &tmp.path().join("b"),
        &[],
        &git(&repo.url(), None, Some("meta")),
    )
    .unwrap();
    let LayerSource::Git { reference, .. } = &prepared.layer.source else {
        panic!("git")
    };
    assert_eq!(reference, RELEASE.branch());
}

#[test]
fn a_second_layer_of_a_cloned_repository_reuses_the_clone_and_its_ref() {
    let tmp = tempfile::tempdir().unwrap();
    let (repo, first, _) = poky(&tmp.path().join("poky"));
    let project = tmp.path().join("project");
    let meta = prepare_quiet(
        &project,
        &[],
        &git(&repo.url(), Some("stable"), Some("meta")),
    )
    .unwrap();
    assert!(meta.clone.as_ref().is_some_and(|c| c.created));
    let present = vec![meta.layer];
    let mut fetched = 0;
    let poky_layer = prepare(
        &project,
        &present,
        &git(&repo.url(), None, Some("meta-poky")),
        None,
        RELEASE,
        &mut |_: &Transfer| fetched += 1,
    )
    .unwrap();
    assert_eq!(fetched, 0, "no second fetch");
    assert!(poky_layer.clone.as_ref().is_some_and(|c| !c.created));
    assert_eq!(commit_of(&poky_layer.layer), first.to_string());
    // Another ref for the same checkout is refused.
    let clash = prepare_quiet(
        &project,
        &present,
        &git(&repo.url(), Some("main"), Some("meta-poky")),
    );
    assert!(
        matches!(clash, Err(LayerError::RefClash { .. })),
        "{clash:?}"
    );
}

#[test]
fn bad_input_is_refused_and_leaves_nothing_behind() {
    let tmp = tempfile::tempdir().unwrap();
    let (repo, _, _) = poky(&tmp.path().join("poky"));
    let project = tmp.path().join("project");
    let clone_dir = project.join("layers/poky");
    let err = prepare_quiet(
        &project,
        &[],
        &git(&repo.url(), Some("main"), Some("../../etc")),
    );
    assert!(
        matches!(err, Err(LayerError::SubdirEscapes { .. })),
        "{err:?}"
    );
    assert!(!project.exists(), "refused before anything is made");
    let err = prepare_quiet(
        &project,
        &[],
        &git(&repo.url(), Some("no-such-branch"), Some("meta")),
    );
    match err {
        Err(LayerError::RefNotFound { known, .. }) => {
            assert!(known.contains(&"stable".to_owned()), "{known:?}");
            assert!(known.contains(&"v1.0".to_owned()), "{known:?}");
        }
        other => panic!("{other:?}"),
    }
    assert!(!clone_dir.exists());
    let err = prepare_quiet(
        &project,
        &[],
        &git(&repo.url(), Some("main"), Some("meta-absent")),
    );
    assert!(
        matches!(err, Err(LayerError::SubdirMissing { .. })),
        "{err:?}"
    );
    assert!(!clone_dir.exists());
    let missing = tmp.path().join("nowhere/repo.git");
    let err = prepare_quiet(
        &project,
        &[],
        &git(&missing.display().to_string(), None, None),
    );
    assert!(
        matches!(err, Err(LayerError::Unreachable { .. })),
        "{err:?}"
    );
    let err = prepare_quiet(
        &project,
        &[],
        &git("https://git.example.invalid/x.git", None, None),
    );
    assert!(
        matches!(err, Err(LayerError::Unreachable { .. })),
        "{err:?}"
    );
    assert!(!project.join("layers/repo").exists() && !project.join("layers/x").exists());
}

#[test]
fn a_symbolic_link_out_of_the_repository_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let outside = tmp.path().join("outside");
    write_layer(&outside, "evil", "");
    let repo = TestRepo::init(&tmp.path().join("linky"));
    repo.layer("meta", "core", "");
    std::os::unix::fs::symlink(&outside, repo.dir.join("escape")).unwrap();
    repo.commit("with a link");
    let err = prepare_quiet(
        &tmp.path().join("p"),
        &[],
        &git(&repo.url(), Some("main"), Some("escape")),
    );
    assert!(
        matches!(err, Err(LayerError::SubdirEscapes { .. })),
        "{err:?}"
    );
}

#[test]
fn a_repository_of_layers_is_not_a_layer_and_lists_what_it_holds() {
    let tmp = tempfile::tempdir().unwrap();
    let (repo, _, _) = poky(&tmp.path().join("poky"));
    match prepare_quiet(
        &tmp.path().join("p"),
        &[],
        &git(&repo.url(), Some("main"), None),
    ) {
        Err(e @ LayerError::NotALayer { .. }) => {
            let LayerError::NotALayer { found, .. } = &e else {
                unreachable!()
            };
            assert_eq!(found, &["meta (core)", "meta-poky (yocto)"]);
            assert!(e.hint().unwrap().contains("--subdir"));
        }
        other => panic!("{other:?}"),
    }
    assert!(!tmp.path().join("p/layers/poky").exists());
}

#[test]
fn a_local_layer_is_used_where_it_is_and_its_neighbours_offered() {
    let tmp = tempfile::tempdir().unwrap();
    write_layer(&tmp.path().join("meta-oe"), "openembedded-layer", "");
    write_layer(
        &tmp.path().join("meta-python"),
        "meta-python",
        "LAYERDEPENDS_meta-python = \"openembedded-layer\"\n",
    );
    let request = LayerRequest::Local {
        path: tmp.path().join("meta-python"),
    };
    let prepared = prepare_quiet(&tmp.path().join("p"), &[], &request).unwrap();
    let dir = std::fs::canonicalize(tmp.path().join("meta-python")).unwrap();
    assert_eq!(prepared.layer.source, LayerSource::Local { path: dir });
    assert!(prepared.clone.is_none());
    assert_eq!(prepared.candidates[0].name, "meta-oe");
    let err = prepare_quiet(
        &tmp.path().join("p"),
        &[],
        &LayerRequest::Local {
            path: tmp.path().join("absent"),
        },
    );
    assert!(matches!(err, Err(LayerError::NotALayer { .. })), "{err:?}");
}

#[test]
fn an_update_moves_to_the_new_commit_of_the_ref() {
    let tmp = tempfile::tempdir().unwrap();
    let (repo, _, second) = poky(&tmp.path().join("poky"));
    let project = tmp.path().join("project");
    let meta = prepare_quiet(&project, &[], &git(&repo.url(), Some("main"), Some("meta"))).unwrap();
    repo.write(
        "meta/conf/layer.conf",
        "BBFILE_COLLECTIONS = \"core\"\nBBFILE_PATTERN_core = \"\"\nLAYERVERSION_core = \"16\"\n",
    );
    let third = repo.commit("third");
    let updated = update(&project, std::slice::from_ref(&meta.layer), &mut quiet).unwrap();
    assert_eq!(commit_of(&updated.layers[0]), third.to_string());
    assert_eq!(
        updated.layers[0].collections[0].version.as_deref(),
        Some("16")
    );
    // Rolling back puts the checkout where it was.
    updated.roll_back();
    let clone = git2::Repository::open(project.join("layers/poky")).unwrap();
    assert_eq!(clone.head().unwrap().target(), Some(second));
}

#[test]
fn local_changes_in_a_clone_are_kept_and_the_update_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let (repo, _, _) = poky(&tmp.path().join("poky"));
    let project = tmp.path().join("project");
    let meta = prepare_quiet(&project, &[], &git(&repo.url(), Some("main"), Some("meta"))).unwrap();
    repo.write("meta/README", "upstream change\n");
    repo.commit("upstream");
    let edited = project.join("layers/poky/meta/README");
    std::fs::write(&edited, "my local edit\n").unwrap();
    match update(&project, std::slice::from_ref(&meta.layer), &mut quiet) {
        Err(LayerError::LocalChanges { files, .. }) => assert_eq!(files, ["meta/README"]),
        other => panic!("{other:?}"),
    }
    assert_eq!(std::fs::read_to_string(&edited).unwrap(), "my local edit\n");
}

#[test]
fn local_commits_in_a_clone_are_not_hidden_by_a_checkout() {
    let tmp = tempfile::tempdir().unwrap();
    let (repo, _, _) = poky(&tmp.path().join("poky"));
    let project = tmp.path().join("project");
    let meta = prepare_quiet(&project, &[], &git(&repo.url(), Some("main"), Some("meta"))).unwrap();
    let clone = TestRepo::open(&project.join("layers/poky"));
    clone.write("meta/NOTES", "mine\n");
    clone.commit("local work");
    repo.write("meta/README", "upstream\n");
    repo.commit("upstream");
    let err = update(&project, &[meta.layer], &mut quiet);
    assert!(
        matches!(err, Err(LayerError::LocalCommits { .. })),
        "{err:?}"
    );
}

// ---- checks on layer lists ----

fn layer(name: &str, collection: &str, depends: &[&str]) -> LayerRef {
    LayerRef {
        name: name.to_owned(),
        source: LayerSource::Local {
            path: format!("/layers/{name}").into(),
        },
        collections: vec![Collection {
            name: collection.to_owned(),
            pattern: String::new(),
            priority: None,
            version: Some("1".to_owned()),
            depends: depends
                .iter()
                .flat_map(|d| parse_dependencies(d).unwrap())
                .collect::<Vec<Dependency>>(),
            recommends: Vec::new(),
            series_compat: Some(vec![RELEASE.name().to_owned()]),
        }],
    }
}

fn names(layers: &[LayerRef]) -> Vec<&str> {
    layers.iter().map(|l| l.name.as_str()).collect()
}

const PLAIN: Options = Options {
    with_dependencies: false,
    force: false,
};
const WITH_DEPS: Options = Options {
    with_dependencies: true,
    force: false,
};

#[test]
fn missing_dependencies_are_named_or_added_from_the_known_sources() {
    let present = vec![layer("oe-core", "core", &[])];
    // A diamond: app needs left and right, both need base.
    let app = layer("app", "app", &["left", "right"]);
    let candidates = vec![
        layer("left", "left", &["base"]),
        layer("right", "right", &["base (>= 1)"]),
        layer("base", "base", &["core"]),
    ];
    match plan_add("p", &present, app.clone(), &candidates, RELEASE, PLAIN) {
        Err(LayerError::MissingDependencies { layer, missing }) => {
            assert_eq!(layer, "app");
            let deps: Vec<&str> = missing.iter().map(|m| m.dependency.as_str()).collect();
            assert_eq!(deps, ["left", "right"]);
            assert_eq!(missing[0].offered_by.as_deref(), Some("left"));
        }
        other => panic!("{other:?}"),
    }
    let plan = plan_add("p", &present, app, &candidates, RELEASE, WITH_DEPS).unwrap();
    assert_eq!(plan.added, ["app", "left", "right", "base"]);
    // Dependencies first, the core layer staying first.
    assert_eq!(
        names(&plan.layers),
        ["oe-core", "base", "left", "right", "app"]
    );
    let none = plan_add(
        "p",
        &present,
        layer("x", "x", &["nowhere"]),
        &candidates,
        RELEASE,
        WITH_DEPS,
    );
    assert!(
        matches!(none, Err(LayerError::MissingDependencies { .. })),
        "{none:?}"
    );
}

#[test]
fn versions_are_checked_with_bitbakes_wording() {
    let mut core = layer("oe-core", "core", &[]);
    core.collections[0].version = Some("14".to_owned());
    let present = vec![core.clone()];
    let err = plan_add(
        "p",
        &present,
        layer("a", "a", &["core (>= 15)"]),
        &[],
        RELEASE,
        PLAIN,
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "Layer 'a' depends on version >= 15 of layer 'core', but version 14 is currently enabled in your configuration"
    );
    assert!(
        plan_add(
            "p",
            &present,
            layer("a", "a", &["core (< 15)"]),
            &[],
            RELEASE,
            PLAIN
        )
        .is_ok()
    );
    core.collections[0].version = None;
    let err = plan_add(
        "p",
        &[core],
        layer("a", "a", &["core (= 1)"]),
        &[],
        RELEASE,
        PLAIN,
    );
    assert!(matches!(err, Err(LayerError::NoVersion { .. })), "{err:?}");
}

#[test]
fn a_layer_for_another_series_needs_force() {
    let mut old = layer("old", "old", &[]);
    old.collections[0].series_compat = Some(vec!["kirkstone".to_owned()]);
    let err = plan_add("p", &[], old.clone(), &[], RELEASE, PLAIN).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "Layer old is not compatible with the core layer which only supports these series: {} (layer is compatible with kirkstone)",
            RELEASE.name()
        )
    );
    let forced = Options {
        force: true,
        ..PLAIN
    };
    let plan = plan_add("p", &[], old, &[], RELEASE, forced).unwrap();
    assert!(plan.warnings[0].contains("--force"));
    let mut unset = layer("unset", "unset", &[]);
    unset.collections[0].series_compat = None;
    let plan = plan_add("p", &[], unset, &[], RELEASE, PLAIN).unwrap();
    assert!(plan.warnings[0].contains("should set LAYERSERIES_COMPAT_unset"));
}

#[test]
fn duplicate_names_and_collections_are_refused() {
    let present = vec![layer("oe-core", "core", &[])];
    let err = plan_add(
        "p",
        &present,
        layer("poky-meta", "core", &[]),
        &[],
        RELEASE,
        PLAIN,
    );
    assert!(
        matches!(err, Err(LayerError::DuplicateCollection { .. })),
        "{err:?}"
    );
    let mut other = layer("oe-core", "other", &[]);
    other.source = LayerSource::Local {
        path: "/elsewhere".into(),
    };
    let err = plan_add("p", &present, other, &[], RELEASE, PLAIN);
    assert!(
        matches!(err, Err(LayerError::DuplicateName { .. })),
        "{err:?}"
    );
    let again = plan_add("p", &present, present[0].clone(), &[], RELEASE, PLAIN).unwrap();
    assert!(again.added.is_empty());
}

#[test]
fn cycles_are_reported_not_followed_forever() {
    let present = vec![layer("a", "a", &["b"])];
    let err = plan_add("p", &present, layer("b", "b", &["a"]), &[], RELEASE, PLAIN).unwrap_err();
    assert_eq!(
        err.to_string(),
        "layer dependencies form a cycle: b -> a -> b"
    );
    // A long chain with shared dependencies resolves without blowing up.
    let mut chain: Vec<LayerRef> = vec![layer("l0", "l0", &[])];
    for i in 1..400 {
        let deps = [format!("l{}", i - 1), "l0".to_owned()];
        let deps: Vec<&str> = deps.iter().map(String::as_str).collect();
        chain.push(layer(&format!("l{i}"), &format!("l{i}"), &deps));
    }
    let last = chain.pop().unwrap();
    chain.reverse();
    let plan = plan_add("p", &chain, last, &[], RELEASE, PLAIN).unwrap();
    assert_eq!(plan.layers[0].name, "l0");
    assert_eq!(plan.layers[399].name, "l399");
}

#[test]
fn removing_a_needed_layer_is_refused_naming_who_needs_it() {
    let present = vec![
        layer("oe-core", "core", &[]),
        layer("meta-poky", "yocto", &["core"]),
        layer("meta-bsp", "bsp", &["core"]),
    ];
    let err = plan_remove("p", &present, &["oe-core".to_owned()]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot remove oe-core: meta-poky depends on oe-core (core); meta-bsp depends on oe-core (core)"
    );
    let all: Vec<String> = names(&present).iter().map(|s| (*s).to_owned()).collect();
    assert!(plan_remove("p", &present, &all).unwrap().is_empty());
    let kept = plan_remove("p", &present, &["meta-bsp".to_owned()]).unwrap();
    assert_eq!(names(&kept), ["oe-core", "meta-poky"]);
    let err = plan_remove("p", &present, &["nope".to_owned()]);
    assert!(
        matches!(err, Err(LayerError::NoSuchLayer { .. })),
        "{err:?}"
    );
}
