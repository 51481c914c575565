//! Bundles through the facade: a round trip with real git layers and a local layer, and
//! hostile bundles refused with nothing written.

use std::io::Write;
use std::path::Path;

use super::*;
use crate::ErrorKind;
use crate::bundle::{BundleManifest, MANIFEST, OpenBundle};
use crate::layers::test_repos::{TestRepo, write_layer};
use crate::layers::{LayerRequest, Options, Transfer};
use crate::model::{ConfigChange, ConfigKey, LayerSource};

fn quiet(_: &Transfer) {}

const ADD: Options = Options {
    with_dependencies: false,
    force: false,
};

struct Fixture {
    tmp: tempfile::TempDir,
    alice: Actor,
}

/// Project `demo` with a git layer at a commit (a branch moved on since), a local layer,
/// build and host variables, packages and a hook.
fn fixture() -> Fixture {
    let tmp = tempfile::tempdir().unwrap();
    let (_, alice) = super::tests::scarthgap_demo(tmp.path(), true);
    let repo = TestRepo::init(&tmp.path().join("meta-stack"));
    repo.layer(
        "meta-base",
        "base",
        "LAYERSERIES_COMPAT_base = \"scarthgap\"\n",
    );
    repo.commit("a layer");
    let git = LayerRequest::Git {
        url: repo.url(),
        reference: Some("main".to_owned()),
        subdir: Some("meta-base".to_owned()),
    };
    alice
        .add_layer("demo", &git, None, ADD, &mut quiet)
        .unwrap();
    // The branch moves on: the bundle keeps the commit the project is at.
    repo.write("meta-base/README", "later\n");
    repo.commit("later");
    let local = tmp.path().join("meta-mine");
    write_layer(&local, "mine", "LAYERSERIES_COMPAT_mine = \"scarthgap\"\n");
    std::fs::create_dir_all(local.join("recipes-x/x")).unwrap();
    std::fs::write(local.join("recipes-x/x/x_1.0.bb"), "LICENSE = \"MIT\"\n").unwrap();
    alice
        .add_layer(
            "demo",
            &LayerRequest::Local { path: local },
            None,
            ADD,
            &mut quiet,
        )
        .unwrap();
    let set = |key: ConfigKey, value: &str| ConfigChange::Set {
        key,
        value: value.to_owned(),
    };
    alice
        .change_config(
            "demo",
            &[
                set(ConfigKey::Machine, "qemuarm64"),
                set(ConfigKey::Targets, "core-image-minimal"),
                set(ConfigKey::Packages, "htop strace"),
                set(
                    ConfigKey::Variable("EXTRA_IMAGE_FEATURES".into()),
                    "debug-tweaks",
                ),
                set(ConfigKey::Variable("MY_GREETING".into()), "it's \"quoted\""),
                set(ConfigKey::Variable("BB_NUMBER_THREADS".into()), "8"),
            ],
            None,
        )
        .unwrap();
    Fixture { tmp, alice }
}

fn manifest(path: &Path) -> BundleManifest {
    OpenBundle::open(path).unwrap().manifest
}

#[test]
fn a_bundle_round_trips_to_the_same_configuration() {
    let f = fixture();
    let out = f.tmp.path().join("demo.zip");
    let exported = f.alice.export_bundle("demo", None, true, &out).unwrap();
    // DL_DIR and SSTATE_DIR are the database's shared caches, not the project's.
    let host = ["BB_NUMBER_THREADS"];
    let said: Vec<String> = host
        .iter()
        .map(|v| format!("{v}: a host setting, left out"))
        .collect();
    assert_eq!(exported.left_out, said);
    let first = manifest(&out);
    assert_eq!(first.left_out, host);
    assert!(!first.config.variables.contains_key("BB_NUMBER_THREADS"));
    let LayerSource::Git { commit, .. } = &f.alice.layers("demo").unwrap()[0].source else {
        panic!("a git layer")
    };
    assert!(
        matches!(&first.layers[0].source, crate::bundle::BundleSource::Git { commit: c, reference, .. } if c == commit && reference == "main")
    );
    assert!(first.layers[1].included);

    let imported = f
        .alice
        .import_bundle(&out, "copy", &f.tmp.path().join("copy"), false)
        .unwrap();
    assert_eq!(imported.notes.len(), 1, "{:?}", imported.notes);
    assert!(imported.notes[0].starts_with("MY_GREETING: not a variable Toaster knows"));
    // The local layer's files are inside the new project.
    assert!(
        f.tmp
            .path()
            .join("copy/layers/meta-mine/recipes-x/x/x_1.0.bb")
            .exists()
    );
    let again = f.tmp.path().join("copy.zip");
    f.alice.export_bundle("copy", None, true, &again).unwrap();
    let second = manifest(&again);
    let comparable = |m: &BundleManifest| {
        let mut m = m.clone();
        m.project = String::new();
        m.exported_at = crate::model::Timestamp(0);
        m.revision = 0;
        m.left_out.clear();
        for layer in &mut m.layers {
            if let crate::bundle::BundleSource::Local { path } = &mut layer.source {
                path.clear();
            }
        }
        m
    };
    assert_eq!(comparable(&first), comparable(&second));
    // The git layer is checked out at the recorded commit, not the branch's head.
    let copy = f.alice.layers("copy").unwrap();
    assert!(matches!(&copy[0].source, LayerSource::Git { commit: c, .. } if c == commit));
}

#[test]
fn a_strict_import_refuses_what_it_cannot_reproduce_writing_nothing() {
    let f = fixture();
    let out = f.tmp.path().join("demo.zip");
    f.alice.export_bundle("demo", None, false, &out).unwrap();
    std::fs::remove_dir_all(f.tmp.path().join("meta-mine")).unwrap();
    let err = f
        .alice
        .import_bundle(&out, "strict", &f.tmp.path().join("strict"), true)
        .unwrap_err();
    assert!(err.to_string().contains("layer meta-mine"), "{err}");
    assert!(!f.tmp.path().join("strict").exists());
    let loose = f
        .alice
        .import_bundle(&out, "loose", &f.tmp.path().join("loose"), false)
        .unwrap();
    assert!(
        loose.notes.iter().any(|n| n.contains("layer meta-mine")),
        "{:?}",
        loose.notes
    );
    assert_eq!(f.alice.layers("loose").unwrap().len(), 1);
}

/// A zip of `entries` as an attacker writes it, with the `zip` crate.
fn zip_of(path: &Path, entries: &[(&str, Vec<u8>)]) {
    let file = std::fs::File::create(path).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default();
    for (name, bytes) in entries {
        zip.start_file(*name, options).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
}

#[test]
fn hostile_bundles_are_refused_with_nothing_written() {
    let f = fixture();
    let good = f.tmp.path().join("good.zip");
    f.alice.export_bundle("demo", None, true, &good).unwrap();
    let manifest: serde_json::Value = serde_json::to_value(manifest(&good)).unwrap();
    let with = |edit: &dyn Fn(&mut serde_json::Value)| {
        let mut m = manifest.clone();
        edit(&mut m);
        serde_json::to_vec(&m).unwrap()
    };
    type Entries<'a> = Vec<(&'a str, Vec<u8>)>;
    let cases: Vec<(&str, Entries<'_>, &str)> = vec![
        (
            "not-json",
            vec![(MANIFEST, b"{ not json".to_vec())],
            "manifest.json",
        ),
        (
            "version",
            vec![(MANIFEST, with(&|m| m["version"] = 7.into()))],
            "format version 7",
        ),
        (
            "types",
            vec![(
                MANIFEST,
                with(&|m| m["config"]["machine"] = serde_json::json!([1, 2])),
            )],
            "does not read",
        ),
        (
            "newline",
            vec![(
                MANIFEST,
                with(&|m| m["config"]["variables"]["X"] = "a\nINHERIT += \"evil\"".into()),
            )],
            "config.variables.X",
        ),
        (
            "inline-python",
            vec![(
                MANIFEST,
                with(&|m| m["config"]["variables"]["X"] = "${@os.system('x')}".into()),
            )],
            "config.variables.X",
        ),
        (
            "subdir",
            vec![(
                MANIFEST,
                with(&|m| m["layers"][0]["source"]["subdir"] = "../../etc".into()),
            )],
            "layers[0].subdir",
        ),
        (
            "ext-url",
            vec![(
                MANIFEST,
                with(&|m| m["layers"][0]["source"]["url"] = "ext::sh -c touch% /tmp/pwned".into()),
            )],
            "layers[0].url",
        ),
        (
            "extra-entry",
            vec![
                (MANIFEST, manifest.to_string().into_bytes()),
                ("evil.sh", b"x".to_vec()),
            ],
            "evil.sh",
        ),
        (
            "unknown-field",
            vec![(MANIFEST, with(&|m| m["surprise"] = true.into()))],
            "surprise",
        ),
    ];
    for (name, entries, says) in cases {
        let path = f.tmp.path().join(format!("{name}.zip"));
        zip_of(&path, &entries);
        let dir = f.tmp.path().join(format!("p-{name}"));
        let err = f.alice.import_bundle(&path, name, &dir, false).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Invalid, "{name}: {err}");
        assert!(err.to_string().contains(says), "{name}: {err}");
        assert!(!dir.exists(), "{name}: a directory was made");
        assert!(f.alice.project(name).is_err(), "{name}: a project was made");
    }
    // A zip-slip entry, a truncated file and an empty one.
    let slip = f.tmp.path().join("slip.zip");
    zip_of(
        &slip,
        &[
            (MANIFEST, manifest.to_string().into_bytes()),
            ("layers/meta-mine/../../../evil", b"x".to_vec()),
        ],
    );
    let empty = f.tmp.path().join("empty.zip");
    std::fs::write(&empty, b"").unwrap();
    let cut = f.tmp.path().join("cut.zip");
    let bytes = std::fs::read(&good).unwrap();
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    for path in [slip, empty, cut] {
        let err = f
            .alice
            .import_bundle(&path, "x", &f.tmp.path().join("x"), false)
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Invalid, "{}: {err}", path.display());
        assert!(!f.tmp.path().join("x").exists());
    }
}
