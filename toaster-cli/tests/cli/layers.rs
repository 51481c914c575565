//! `toaster layer …` against real git repositories and a local layer made in the scratch
//! directory; the session is compared with a reviewed transcript.

use toaster_core::layers::test_repos::{TestRepo, write_layer};

use super::Scratch;
use super::golden::{check, normalise, transcript};

/// `meta-stack`: a git repository with `meta-base` (base, needs core) and `meta-app` (app,
/// needs base >= 2), both for scarthgap; `meta-local`: a local layer needing app.
fn layers(scratch: &Scratch) -> TestRepo {
    let repo = TestRepo::init(&scratch.path().join("meta-stack"));
    repo.layer(
        "meta-base",
        "base",
        "LAYERVERSION_base = \"3\"\nLAYERDEPENDS_base = \"core\"\nLAYERSERIES_COMPAT_base = \"scarthgap\"\n",
    );
    repo.layer(
        "meta-app",
        "app",
        "LAYERDEPENDS_app = \"base (>= 2)\"\nLAYERRECOMMENDS_app = \"meta-python\"\nLAYERSERIES_COMPAT_app = \"scarthgap wrynose\"\n",
    );
    repo.commit("two layers");
    repo.branch("scarthgap");
    repo.switch("main");
    write_layer(
        &scratch.path().join("meta-local"),
        "local",
        "LAYERDEPENDS_local = \"app\"\nLAYERSERIES_COMPAT_local = \"kirkstone\"\n",
    );
    repo
}

#[test]
fn adding_with_dependencies_refusing_removal_and_the_bblayers_file() {
    let scratch = Scratch::new().with_demo();
    layers(&scratch);
    let git = ["layer", "add", "demo", "--git", "meta-stack"];
    let with = |extra: &[&'static str]| -> Vec<&'static str> {
        git.iter().copied().chain(extra.iter().copied()).collect()
    };
    let add_app = with(&["--subdir", "meta-app"]);
    let add_app_deps = with(&["--subdir", "meta-app", "--with-dependencies"]);
    let add_root = with(&["--ref", "scarthgap"]);
    let mut text = transcript(
        &scratch,
        &[
            &["layer", "list", "demo"],
            &add_app,
            &add_app_deps,
            &add_root,
            &["layer", "remove", "demo", "meta-base"],
            &["layer", "remove", "demo", "openembedded-core"],
            &["layer", "add", "demo", "--path", "meta-local"],
            &["layer", "add", "demo", "--path", "meta-local", "--force"],
            &["layer", "add", "demo", "--path", "meta-stack/meta-app/conf"],
            &["layer", "list", "demo"],
            &["layer", "show", "demo", "meta-app"],
            &["layer", "update", "demo", "meta-app"],
            &["layer", "update", "demo"],
            &["project", "history", "demo"],
        ],
    );
    let bblayers = scratch.path().join("demo/build/conf/toaster-bblayers.conf");
    text.push_str("--- demo/build/conf/toaster-bblayers.conf\n");
    text.push_str(&std::fs::read_to_string(bblayers).expect("generated file"));
    check("layers.txt", &normalise(&text, &scratch));
}

#[test]
fn layer_list_json_shows_the_requested_ref_and_the_resolved_commit() {
    let scratch = Scratch::new().with_demo();
    let repo = layers(&scratch);
    scratch.ok(&[
        "layer",
        "add",
        "demo",
        "--git",
        "meta-stack",
        "--ref",
        "scarthgap",
        "--subdir",
        "meta-base",
    ]);
    let list = scratch.json(&["layer", "list", "demo"]);
    let base = &list.as_array().expect("array")[3];
    assert_eq!(base["name"], "meta-base");
    assert_eq!(base["source"], "git");
    assert_eq!(base["ref"], "scarthgap");
    let commit = base["commit"].as_str().expect("a commit").to_owned();
    assert_eq!(commit.len(), 40);
    assert_eq!(base["priority"], 6);
    assert_eq!(base["depends"], serde_json::json!(["core"]));
    assert_eq!(base["collections"], serde_json::json!(["base"]));
    // The revision records both, and the commit stays until an update moves it.
    let config = scratch.json(&["config", "show", "demo", "--revision", "2"]);
    assert_eq!(config["layers"][3]["ref"], "scarthgap");
    assert_eq!(config["layers"][3]["commit"], commit.as_str());
    repo.switch("scarthgap");
    repo.write("meta-base/README", "news\n");
    let newer = repo.commit("newer").to_string();
    let updated = scratch.json(&["layer", "update", "demo", "meta-base"]);
    assert_eq!(updated["revision"], 3);
    let show = scratch.json(&["layer", "show", "demo", "meta-base"]);
    assert_eq!(show["commit"], newer.as_str());
    let undone = scratch.json(&["project", "undo", "demo"]);
    assert_eq!(undone["revision"], 4);
    let show = scratch.json(&["layer", "show", "demo", "meta-base"]);
    assert_eq!(show["commit"], commit.as_str());
}

#[test]
fn bad_layer_input_is_refused_and_changes_nothing() {
    let scratch = Scratch::new().with_demo();
    layers(&scratch);
    let before = scratch.state();
    for (args, message) in [
        (
            &[
                "layer",
                "add",
                "demo",
                "--git",
                "meta-stack",
                "--subdir",
                "../meta-local",
            ][..],
            "outside the repository",
        ),
        (
            &[
                "layer",
                "add",
                "demo",
                "--git",
                "meta-stack",
                "--ref",
                "nope",
                "--subdir",
                "meta-app",
            ][..],
            "has no branch, tag or commit `nope`",
        ),
        (
            &[
                "layer",
                "add",
                "demo",
                "--git",
                "no-such-repo",
                "--subdir",
                "meta-app",
            ][..],
            "cannot fetch no-such-repo",
        ),
        (
            &["layer", "add", "demo", "--path", "demo"][..],
            "is not a layer",
        ),
        (
            &["layer", "remove", "demo", "meta-nothing"][..],
            "has no layer `meta-nothing`",
        ),
    ] {
        let stderr = scratch.fails(1, args);
        assert!(stderr.contains(message), "{args:?}: {stderr}");
        assert!(stderr.contains("hint: "), "{args:?}: {stderr}");
    }
    assert_eq!(scratch.state(), before);
    assert!(!scratch.path().join("demo/layers/meta-stack").exists());
}
