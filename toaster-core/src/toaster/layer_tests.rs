//! The facade's layer commands: permissions, revisions, audit, undo, and the generated
//! bblayers file, against real git repositories and layer directories.

use std::fs;

use super::*;
use crate::ErrorKind;
use crate::layers::test_repos::{TestRepo, write_layer};
use crate::layers::{LayerRequest, Options, Transfer};
use crate::model::{AuditFilter, LayerSource};

fn quiet(_: &Transfer) {}

struct Fixture {
    tmp: tempfile::TempDir,
    alice: Actor,
    repo: TestRepo,
}

/// A scarthgap project `demo` without the (unreachable) default layers, and a git
/// repository `meta-stack` holding `meta-base` (base) and `meta-app` (app, needs base).
fn fixture() -> Fixture {
    let tmp = tempfile::tempdir().unwrap();
    let (_, alice) = super::tests::scarthgap_demo(tmp.path(), true);
    let repo = TestRepo::init(&tmp.path().join("meta-stack"));
    let compat = |c: &str| format!("LAYERSERIES_COMPAT_{c} = \"scarthgap\"\n");
    repo.layer(
        "meta-base",
        "base",
        &(compat("base") + "LAYERVERSION_base = \"3\"\n"),
    );
    repo.layer(
        "meta-app",
        "app",
        &(compat("app") + "LAYERDEPENDS_app = \"base (>= 2)\"\n"),
    );
    repo.commit("two layers");
    Fixture { tmp, alice, repo }
}

fn git(f: &Fixture, subdir: &str) -> LayerRequest {
    LayerRequest::Git {
        url: f.repo.url(),
        reference: Some("main".to_owned()),
        subdir: Some(subdir.to_owned()),
    }
}

const PLAIN: Options = Options {
    with_dependencies: false,
    force: false,
};

#[test]
fn adding_with_dependencies_records_refs_and_commits_in_one_revision() {
    let f = fixture();
    let before = f.alice.config("demo").unwrap().number;
    let err = f
        .alice
        .add_layer("demo", &git(&f, "meta-app"), None, PLAIN, &mut quiet)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Invalid);
    assert!(
        err.to_string().contains("base (>= 2) (needed by meta-app)"),
        "{err}"
    );
    assert!(
        err.hint()
            .unwrap()
            .contains("--with-dependencies to take meta-base")
    );
    assert_eq!(
        f.alice.config("demo").unwrap().number,
        before,
        "nothing changed"
    );
    assert!(
        !f.tmp.path().join("demo/layers/meta-stack").exists(),
        "the clone is taken back"
    );

    let options = Options {
        with_dependencies: true,
        ..PLAIN
    };
    let outcome = f
        .alice
        .add_layer("demo", &git(&f, "meta-app"), None, options, &mut quiet)
        .unwrap();
    assert!(outcome.changed);
    let revision = outcome.revision;
    assert!(
        revision.description.starts_with("add layer meta-app ("),
        "{}",
        revision.description
    );
    assert!(
        revision
            .description
            .contains("with its dependencies meta-base")
    );
    let names: Vec<&str> = revision
        .config
        .layers
        .iter()
        .map(|l| l.name.as_str())
        .collect();
    assert_eq!(names, ["meta-base", "meta-app"]);
    for layer in &revision.config.layers {
        let LayerSource::Git {
            reference, commit, ..
        } = &layer.source
        else {
            panic!("git layer")
        };
        assert_eq!(reference, "main");
        assert_eq!(commit.as_deref().map(str::len), Some(40));
    }
    let bblayers =
        std::fs::read_to_string(f.tmp.path().join("demo/build/conf/toaster-bblayers.conf"))
            .unwrap();
    assert!(
        bblayers.contains("  ${TOPDIR}/../layers/meta-stack/meta-base \\\n  ${TOPDIR}/../layers/meta-stack/meta-app \\\n"),
        "{bblayers}"
    );
    let audit = f
        .alice
        .audit(&AuditFilter {
            project: Some("demo".to_owned()),
            ..AuditFilter::default()
        })
        .unwrap();
    assert!(
        audit[0].detail.starts_with("add layer meta-app"),
        "{:?}",
        audit[0]
    );

    // Removing the needed layer is refused; undo takes both back.
    let err = f
        .alice
        .remove_layers("demo", &["meta-base".to_owned()])
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot remove meta-base: meta-app depends on meta-base (base)"
    );
    f.alice.undo("demo").unwrap();
    assert!(f.alice.layers("demo").unwrap().is_empty());
}

#[test]
fn local_layers_update_and_permissions() {
    let f = fixture();
    let local = f.tmp.path().join("demo/meta-local");
    write_layer(
        &local,
        "local",
        "LAYERSERIES_COMPAT_local = \"scarthgap\"\n",
    );
    let outcome = f
        .alice
        .add_layer(
            "demo",
            &LayerRequest::Local {
                path: local.clone(),
            },
            Some("mine"),
            PLAIN,
            &mut quiet,
        )
        .unwrap();
    assert_eq!(outcome.revision.config.layers[0].name, "mine");
    // Inside the project: relative to TOPDIR, so the project can move.
    let bblayers =
        std::fs::read_to_string(f.tmp.path().join("demo/build/conf/toaster-bblayers.conf"))
            .unwrap();
    assert!(bblayers.contains("${TOPDIR}/../meta-local"), "{bblayers}");

    f.alice
        .add_layer("demo", &git(&f, "meta-base"), None, PLAIN, &mut quiet)
        .unwrap();
    let old = f.alice.layer("demo", "meta-base").unwrap();
    f.repo.write("meta-base/README", "new\n");
    let newer = f.repo.commit("newer");
    let outcome = f
        .alice
        .update_layers("demo", None, PLAIN, &mut quiet)
        .unwrap();
    assert!(
        outcome
            .revision
            .description
            .starts_with("update layers: meta-base ")
    );
    let LayerSource::Git { commit, .. } = f.alice.layer("demo", "meta-base").unwrap().source else {
        panic!("git")
    };
    assert_eq!(commit, Some(newer.to_string()));
    assert!(
        !f.alice
            .update_layers("demo", None, PLAIN, &mut quiet)
            .unwrap()
            .changed
    );
    let undone = f.alice.undo("demo").unwrap();
    assert_eq!(undone.revision.config.layers[1], old);
    // The clone follows the revision back to the older commit.
    let LayerSource::Git {
        commit: Some(older),
        ..
    } = &old.source
    else {
        panic!("git")
    };
    let clone = git2::Repository::open(f.tmp.path().join("demo/layers/meta-stack")).unwrap();
    assert_eq!(clone.head().unwrap().target().unwrap().to_string(), *older);
    assert!(undone.warnings.is_empty(), "{:?}", undone.warnings);
    // Local work in the clone is never thrown away: going forward again leaves it and says so.
    let readme = f.tmp.path().join("demo/layers/meta-stack/meta-base/README");
    std::fs::write(&readme, "my local edit\n").unwrap();
    let forward = f.alice.revert("demo", outcome.revision.number).unwrap();
    assert!(
        forward
            .warnings
            .iter()
            .any(|w| w.to_string().contains("left where it is")),
        "{:?}",
        forward.warnings
    );
    assert_eq!(std::fs::read_to_string(&readme).unwrap(), "my local edit\n");
    std::fs::remove_file(&readme).unwrap();
    let err = f
        .alice
        .update_layers("demo", Some("mine"), PLAIN, &mut quiet)
        .unwrap_err();
    assert!(
        matches!(err, Error::Layer(crate::layers::LayerError::NotGit { .. })),
        "{err}"
    );

    // Bob may read but not configure.
    f.alice.add_owner("bob", None).unwrap();
    f.alice.chmod("demo", "others=r").unwrap();
    let bob = f.alice.toaster.act_as("bob", "test").unwrap();
    assert_eq!(bob.layers("demo").unwrap().len(), 2);
    let err = bob.remove_layers("demo", &["mine".to_owned()]).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Denied);
}

#[test]
fn an_update_that_drops_a_collection_others_need_is_refused() {
    let f = fixture();
    f.alice
        .add_layer("demo", &git(&f, "meta-base"), None, PLAIN, &mut quiet)
        .unwrap();
    // A layer from elsewhere (not moved by the update) needs `base`.
    let local = f.tmp.path().join("meta-local");
    crate::layers::test_repos::write_layer(
        &local,
        "local",
        "LAYERSERIES_COMPAT_local = \"scarthgap\"\nLAYERDEPENDS_local = \"base\"\n",
    );
    let request = LayerRequest::Local { path: local };
    f.alice
        .add_layer("demo", &request, None, PLAIN, &mut quiet)
        .unwrap();
    let before = f.alice.config("demo").unwrap();
    // meta-base's new commit no longer declares `base`.
    f.repo.layer(
        "meta-base",
        "renamed",
        "LAYERSERIES_COMPAT_renamed = \"scarthgap\"\nLAYERVERSION_renamed = \"3\"\n",
    );
    f.repo.commit("rename the collection");
    let err = f
        .alice
        .update_layers("demo", Some("meta-base"), PLAIN, &mut quiet)
        .unwrap_err();
    assert!(err.to_string().contains("base"), "{err}");
    assert_eq!(f.alice.config("demo").unwrap(), before, "nothing changed");
}

#[test]
fn a_clone_left_by_a_removed_layer_is_fetched_again_and_put_back_after_a_refusal() {
    let f = fixture();
    let first = f
        .alice
        .add_layer("demo", &git(&f, "meta-base"), None, PLAIN, &mut quiet)
        .unwrap();
    f.alice
        .remove_layers("demo", &["meta-base".to_owned()])
        .unwrap();
    let clone_dir = f.tmp.path().join("demo/layers/meta-stack");
    assert!(
        clone_dir.join(".git").exists(),
        "remove keeps the clone, so undo works"
    );
    let head = || {
        git2::Repository::open(&clone_dir)
            .unwrap()
            .head()
            .unwrap()
            .target()
            .unwrap()
    };
    let kept = head();
    // Upstream moves on; adding again must see the new commit, not the clone's old refs.
    f.repo.write("meta-base/README", "news\n");
    let newer = f.repo.commit("newer");
    // A refused add (missing dependency) leaves the reused clone where it was.
    let err = f
        .alice
        .add_layer("demo", &git(&f, "meta-app"), None, PLAIN, &mut quiet)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Invalid);
    assert_eq!(head(), kept);
    let again = f
        .alice
        .add_layer("demo", &git(&f, "meta-base"), None, PLAIN, &mut quiet)
        .unwrap();
    assert!(again.changed && first.changed);
    let LayerSource::Git { commit, .. } = f.alice.layer("demo", "meta-base").unwrap().source else {
        panic!("git")
    };
    assert_eq!(commit, Some(newer.to_string()));
    assert_eq!(head(), newer);
}

#[test]
fn a_cloned_project_gets_its_own_clones_at_the_recorded_commits_without_the_network() {
    let f = fixture();
    let with_deps = Options {
        with_dependencies: true,
        force: false,
    };
    f.alice
        .add_layer("demo", &git(&f, "meta-app"), None, with_deps, &mut quiet)
        .unwrap();
    let recorded = match &f.alice.layer("demo", "meta-app").unwrap().source {
        LayerSource::Git {
            commit: Some(c), ..
        } => c.clone(),
        other => panic!("{other:?}"),
    };
    f.repo.write("meta-base/README", "news\n");
    f.repo.commit("newer");
    // Upstream out of reach: the copy must come from demo's own clone.
    let upstream = f.tmp.path().join("meta-stack");
    let away = f.tmp.path().join("away");
    fs::rename(&upstream, &away).unwrap();
    let cloned = f
        .alice
        .clone_project("demo", "copy", &f.tmp.path().join("copy"))
        .unwrap();
    assert_eq!(cloned.warnings, Vec::new());
    let repo = git2::Repository::open(cloned.project.dir.join("layers/meta-stack")).unwrap();
    assert_eq!(repo.head().unwrap().target().unwrap().to_string(), recorded);
    let origin = repo.find_remote("origin").unwrap();
    assert_eq!(origin.url().unwrap(), f.repo.url());
    assert!(
        cloned
            .project
            .dir
            .join("layers/meta-stack/meta-app/conf/layer.conf")
            .exists()
    );
    // Back online, the copy updates from upstream like any clone.
    fs::rename(&away, &upstream).unwrap();
    let updated = f
        .alice
        .update_layers("copy", None, PLAIN, &mut quiet)
        .unwrap();
    assert!(updated.changed, "{updated:?}");

    // A source clone that cannot be read is reported and leaves nothing behind.
    fs::remove_dir_all(f.tmp.path().join("demo/layers/meta-stack/.git/objects")).unwrap();
    let broken = f
        .alice
        .clone_project("demo", "copy2", &f.tmp.path().join("copy2"))
        .unwrap();
    assert_eq!(broken.warnings.len(), 1, "{:?}", broken.warnings);
    assert!(
        broken.warnings[0]
            .to_string()
            .contains("updating the new project's layers"),
        "{broken:?}"
    );
    assert_eq!(broken.warnings[0].kind(), "not_reproduced");
    assert!(
        !broken.project.dir.join("layers").exists(),
        "nothing left behind"
    );
}

#[test]
fn a_clone_left_by_a_removed_layer_is_used_as_it_is_when_upstream_is_out_of_reach() {
    let f = fixture();
    f.alice
        .add_layer("demo", &git(&f, "meta-base"), None, PLAIN, &mut quiet)
        .unwrap();
    f.alice
        .remove_layers("demo", &["meta-base".to_owned()])
        .unwrap();
    fs::rename(f.tmp.path().join("meta-stack"), f.tmp.path().join("away")).unwrap();
    let again = f
        .alice
        .add_layer("demo", &git(&f, "meta-base"), None, PLAIN, &mut quiet)
        .unwrap();
    assert!(again.changed);
    assert!(
        again.warnings[0]
            .to_string()
            .contains("used the branches and tags the clone"),
        "{:?}",
        again.warnings
    );
}
