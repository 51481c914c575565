//! What is read from a layer: a git layer's files stay inside its repository, errors never
//! quote a file the user did not name, paths are UTF-8, and long dependency lists are cheap.

use std::os::unix::fs::symlink;
use std::path::Path;

use super::test_repos::{TestRepo, write_layer};
use super::*;
use crate::model::{Collection, Dependency, LayerRef, LayerSource, Release};

const RELEASE: Release = Release::DEFAULT;
const SECRET: &str = "SECRET-LINE hunter2:$6$salt$hash:19000::::::\nroot:x:0:0\n";

fn quiet(_: &Transfer) {}

fn git(url: &str, subdir: &str) -> LayerRequest {
    LayerRequest::Git {
        url: url.to_owned(),
        reference: Some("main".to_owned()),
        subdir: Some(subdir.to_owned()),
    }
}

fn shown(e: &LayerError) -> String {
    format!("{e} {}", e.hint().unwrap_or_default())
}

fn assert_no_leak(text: &str) {
    for leak in ["SECRET", "hunter2", "salt", "root:"] {
        assert!(!text.contains(leak), "{text}");
    }
}

/// A secret file and a layer directory holding a stolen collection, outside every tree.
fn outside(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    std::fs::create_dir_all(dir).unwrap();
    let secret = dir.join("shadow");
    std::fs::write(&secret, SECRET).unwrap();
    let layer = dir.join("elsewhere");
    write_layer(
        &layer,
        "stolen",
        &format!("LAYERSERIES_COMPAT_stolen = \"{}\"\n", RELEASE.name()),
    );
    (secret, layer)
}

fn refused_and_cleaned(tmp: &Path, repo: &TestRepo, subdir: &str) -> String {
    let project = tmp.join("project");
    let err = prepare(
        &project,
        &[],
        &git(&repo.url(), subdir),
        None,
        RELEASE,
        &mut quiet,
    )
    .expect_err("a layer reading outside its repository is refused");
    assert!(
        !project.join("layers").join("repo").exists(),
        "the clone made for it is removed"
    );
    shown(&err)
}

#[test]
fn a_git_layer_conf_linked_to_a_file_outside_is_refused_unquoted() {
    let tmp = tempfile::tempdir().unwrap();
    let (secret, _) = outside(&tmp.path().join("outside"));
    let repo = TestRepo::init(&tmp.path().join("repo"));
    std::fs::create_dir_all(repo.dir.join("meta/conf")).unwrap();
    symlink(&secret, repo.dir.join("meta/conf/layer.conf")).unwrap();
    repo.commit("a link out");
    let text = refused_and_cleaned(tmp.path(), &repo, "meta");
    assert!(text.contains("conf/layer.conf"), "{text}");
    assert!(text.contains("outside"), "{text}");
    assert!(text.contains("meta"), "names the layer: {text}");
    assert_no_leak(&text);
}

#[test]
fn a_git_layer_whose_conf_directory_leads_outside_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let (_, elsewhere) = outside(&tmp.path().join("outside"));
    let repo = TestRepo::init(&tmp.path().join("repo"));
    std::fs::create_dir_all(repo.dir.join("meta")).unwrap();
    symlink(elsewhere.join("conf"), repo.dir.join("meta/conf")).unwrap();
    repo.write("meta/README", "a layer whose conf is elsewhere\n");
    repo.commit("a conf directory out");
    let text = refused_and_cleaned(tmp.path(), &repo, "meta");
    assert!(text.contains("`conf`"), "{text}");
    assert!(text.contains("meta"), "names the layer: {text}");
    assert!(text.contains("outside"), "{text}");
}

#[test]
fn a_git_layer_conf_including_a_file_outside_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let (secret, elsewhere) = outside(&tmp.path().join("outside"));
    for target in [elsewhere.join("conf/layer.conf"), secret] {
        let repo = TestRepo::init(&tmp.path().join("repo"));
        repo.write(
            "meta/conf/layer.conf",
            &format!("include {}\n", target.display()),
        );
        repo.commit("an include out");
        let text = refused_and_cleaned(tmp.path(), &repo, "meta");
        assert!(text.contains("outside"), "{text}");
        assert_no_leak(&text);
        std::fs::remove_dir_all(&repo.dir).unwrap();
    }
}

#[test]
fn an_update_to_a_commit_linking_outside_is_refused_and_rolled_back() {
    let tmp = tempfile::tempdir().unwrap();
    let (secret, _) = outside(&tmp.path().join("outside"));
    let repo = TestRepo::init(&tmp.path().join("repo"));
    repo.layer(
        "meta",
        "core",
        &format!("LAYERSERIES_COMPAT_core = \"{}\"\n", RELEASE.name()),
    );
    let first = repo.commit("first");
    let project = tmp.path().join("project");
    let prepared = prepare(
        &project,
        &[],
        &git(&repo.url(), "meta"),
        None,
        RELEASE,
        &mut quiet,
    )
    .unwrap();
    std::fs::remove_file(repo.dir.join("meta/conf/layer.conf")).unwrap();
    symlink(&secret, repo.dir.join("meta/conf/layer.conf")).unwrap();
    repo.commit("now a link out");
    let err =
        update(&project, std::slice::from_ref(&prepared.layer), &mut quiet).expect_err("refused");
    let text = shown(&err);
    assert!(text.contains("outside"), "{text}");
    assert_no_leak(&text);
    let clone = git2::Repository::open(project.join("layers/repo")).unwrap();
    assert_eq!(clone.head().unwrap().target(), Some(first));
}

#[test]
fn a_local_layer_conf_linked_to_a_secret_is_not_quoted() {
    let tmp = tempfile::tempdir().unwrap();
    let (secret, _) = outside(&tmp.path().join("outside"));
    let layer = tmp.path().join("meta-mine");
    std::fs::create_dir_all(layer.join("conf")).unwrap();
    symlink(&secret, layer.join("conf/layer.conf")).unwrap();
    let err = read(&layer).expect_err("not a conf file");
    let text = shown(&err);
    assert!(text.contains("layer.conf:1"), "{text}");
    assert_no_leak(&text);
}

#[test]
fn a_layer_directory_whose_path_is_not_utf8_is_refused() {
    use std::os::unix::ffi::OsStrExt;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join(std::ffi::OsStr::from_bytes(b"meta-\xff"));
    write_layer(&dir, "bad", "");
    let err = read(&dir).expect_err("refused");
    let text = shown(&err);
    assert!(text.contains("UTF-8"), "{text}");
    let request = LayerRequest::Local { path: dir };
    let err = prepare(
        &tmp.path().join("p"),
        &[],
        &request,
        Some("bad"),
        RELEASE,
        &mut quiet,
    )
    .expect_err("refused before anything is stored");
    assert!(shown(&err).contains("UTF-8"), "{err}");
}

const MANY: usize = 100_000;

fn many_dependencies() -> String {
    (0..MANY)
        .map(|i| format!("dep{i}"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn many_versioned_dependencies() -> String {
    (0..MANY)
        .map(|i| format!("dep{i} (>= 1)"))
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn a_hundred_thousand_missing_dependencies_are_checked_and_reported_briefly() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("meta-many");
    write_layer(
        &dir,
        "many",
        &format!(
            "LAYERDEPENDS_many = \"{} dep0 dep1\"\n",
            many_dependencies()
        ),
    );
    let facts = read(&dir).unwrap();
    assert_eq!(facts.collections[0].depends.len(), MANY + 2);
    let layer = LayerRef {
        name: "meta-many".to_owned(),
        source: LayerSource::Local { path: facts.dir },
        collections: facts.collections,
    };
    let err = plan_add("demo", &[], layer, &[], RELEASE, Options::default())
        .expect_err("nothing provides them");
    let LayerError::MissingDependencies { missing, .. } = &err else {
        panic!("{err:?}");
    };
    assert_eq!(missing.len(), MANY, "each missing dependency once");
    assert_eq!(missing[0].dependency, "dep0");
    let text = err.to_string();
    assert!(
        text.len() < 2_000,
        "a readable message: {} bytes",
        text.len()
    );
    assert!(text.contains("and 99990 more"), "{text}");
}

#[test]
fn a_hundred_thousand_present_dependencies_are_checked() {
    let collection = |name: &str, depends: Vec<Dependency>| Collection {
        name: name.to_owned(),
        pattern: String::new(),
        priority: None,
        version: Some("1".to_owned()),
        depends,
        recommends: Vec::new(),
        series_compat: Some(vec![RELEASE.name().to_owned()]),
    };
    let provider = LayerRef {
        name: "provider".to_owned(),
        source: LayerSource::Local {
            path: "/layers/provider".into(),
        },
        collections: (0..MANY)
            .map(|i| collection(&format!("dep{i}"), Vec::new()))
            .collect(),
    };
    let needy = LayerRef {
        name: "needy".to_owned(),
        source: LayerSource::Local {
            path: "/layers/needy".into(),
        },
        collections: vec![collection(
            "needy",
            parse_dependencies(&many_versioned_dependencies()).unwrap(),
        )],
    };
    let plan = plan_add("demo", &[provider], needy, &[], RELEASE, Options::default()).unwrap();
    assert_eq!(plan.layers.len(), 2);
    assert_eq!(plan.layers[1].name, "needy");
}
