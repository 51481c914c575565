//! Typical kas files read to the configuration a project holds.

use std::collections::BTreeMap;

use super::{C1, C2, Tree, git, local, noted};
use crate::model::{LayerSource, ProjectConfig, Target};

const POKY: &str = "https://git.yoctoproject.org/poky";

/// The example of peers.md §1.2 (kas format 23), with its local include present.
#[test]
fn the_peers_example_reads_to_its_configuration() {
    let tree = Tree::repository();
    tree.write(
        "kas/common.yml",
        "header:\n  version: 14\nlocal_conf_header:\n  base: |\n    BB_NUMBER_THREADS = \"4\"\n",
    );
    let file = tree.write(
        "product.yml",
        &format!(
            r#"header:
  version: 23
  includes:
    - kas/common.yml
    - repo: meta-vendor
      file: kas/board-x.yml
machine: board-x
distro: poky
target: [core-image-base, mc:initramfs:my-initramfs]
env:
  BUILD_ID: "dev"
  SSTATE_MIRRORS: null
repos:
  meta-product:                      # the repo holding this file
  poky:
    url: {POKY}
    branch: scarthgap
    layers: {{meta: , meta-poky: , meta-yocto-bsp: disabled}}
  meta-vendor:
    url: https://example.com/meta-vendor.git
    tag: v1.2
    commit: {C1}
    layers: {{meta-vendor-bsp: {{prio: 10}}}}
    patches:
      p01: {{repo: meta-product, path: patches/meta-vendor/}}
local_conf_header:
  meta-product: |
    IMAGE_FSTYPES = "wic.zst"
artifacts:
  image: tmp/deploy/images/board-x/core-image-base-*.wic.zst
"#
        ),
    );
    let before = listing(&tree);
    let import = super::super::read_kas(&file).unwrap();
    assert_eq!(listing(&tree), before, "reading wrote nothing");
    assert_eq!(import.version, 23);
    let config = &import.config;
    assert_eq!(config.machine.as_deref(), Some("board-x"));
    assert_eq!(config.distro.as_deref(), Some("poky"));
    assert_eq!(
        config.targets,
        vec![
            Target::parse("core-image-base").unwrap(),
            Target::parse("mc:initramfs:my-initramfs").unwrap()
        ]
    );
    let variables: BTreeMap<String, crate::model::Variable> = [
        ("BBMULTICONFIG", "initramfs"),
        ("BB_NUMBER_THREADS", "4"),
        ("IMAGE_FSTYPES", "wic.zst"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.into()))
    .collect();
    assert_eq!(config.variables, variables);
    // kas's BBLAYERS order: prio first, then repository name, then layer path.
    assert_eq!(
        config.layers,
        vec![
            git(
                "meta-vendor-bsp",
                "https://example.com/meta-vendor.git",
                "v1.2",
                Some("meta-vendor-bsp"),
                Some(C1)
            ),
            local("meta-product", &tree.path("")),
            git("openembedded-core", POKY, "scarthgap", Some("meta"), None),
            git("meta-poky", POKY, "scarthgap", Some("meta-poky"), None),
        ]
    );
    assert_eq!(
        config.bitbake,
        Some(LayerSource::Git {
            url: POKY.to_owned(),
            reference: "scarthgap".to_owned(),
            subdir: Some("bitbake".to_owned()),
            commit: None,
        })
    );
    for parts in [
        &["product.yml: env: BUILD_ID noted"][..],
        &["product.yml: env: SSTATE_MIRRORS noted"],
        &[
            "product.yml: header.includes[1]",
            "kas/board-x.yml",
            "meta-vendor",
            "not followed",
        ],
        &["repos.meta-vendor", "p01", "NOT applied"],
        &["product.yml: artifacts not imported"],
        &["poky", "BitBake"],
    ] {
        assert!(noted(&import, parts), "{parts:?} in {:#?}", import.notes);
    }
}

/// The files under `tree`, to see that reading writes nothing.
fn listing(tree: &Tree) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut dirs = vec![tree.path("")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path.clone());
            }
            out.push(path);
        }
    }
    out.sort();
    out
}

#[test]
fn a_bare_file_takes_kas_defaults_and_says_so() {
    let tree = Tree::new();
    tree.write(
        "bare.yml",
        "header:\n  version: 14\nrepos:\n  meta-mine:\n    path: layers/meta-mine\n",
    );
    let import = tree.read("bare.yml").unwrap();
    assert_eq!(import.config.machine.as_deref(), Some("qemux86-64"));
    assert_eq!(import.config.distro.as_deref(), Some("nodistro"));
    assert_eq!(
        import.config.targets,
        vec![Target::parse("core-image-minimal").unwrap()]
    );
    assert_eq!(
        import.config.layers,
        vec![local("meta-mine", &tree.path("layers/meta-mine"))]
    );
    for parts in [
        &["machine: not set", "qemux86-64"][..],
        &["distro: not set", "nodistro"],
        &["target: not set", "core-image-minimal"],
        &["path `layers/meta-mine` taken as", "KAS_WORK_DIR"],
        &["no repository provides BitBake"],
    ] {
        assert!(noted(&import, parts), "{parts:?} in {:#?}", import.notes);
    }
}

#[test]
fn task_applies_to_targets_that_name_none() {
    let tree = Tree::new();
    tree.write(
        "sdk.yml",
        "header:\n  version: 4\nmachine: qemuarm64\ndistro: poky\ntarget:\n  - core-image-sato\n  - gcc-cross-aarch64:do_fetch\n  - multiconfig:arm:core-image-minimal\ntask: populate_sdk\n",
    );
    let import = tree.read("sdk.yml").unwrap();
    let targets: Vec<String> = import
        .config
        .targets
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        targets,
        [
            "core-image-sato:do_populate_sdk",
            "gcc-cross-aarch64:do_fetch",
            "mc:arm:core-image-minimal:do_populate_sdk"
        ]
    );
    assert_eq!(
        import
            .config
            .variables
            .get("BBMULTICONFIG")
            .and_then(|v| v.plain_value()),
        Some("arm")
    );
    assert!(noted(&import, &["target[2]", "mc:arm:core-image-minimal"]));
    assert_eq!(import.version, 4);
}

#[test]
fn local_conf_header_follows_bitbake_and_notes_the_rest() {
    let tree = Tree::new();
    tree.write(
        "conf.yml",
        r#"header:
  version: 14
machine: qemux86-64
distro: poky
local_conf_header:
  b-second: |
    DISTRO_FEATURES:append = " systemd"
    DISTRO_FEATURES:append = " wayland"
    PACKAGE_CLASSES ?= "package_ipk"
    EXTRA_IMAGE_FEATURES += "tools-debug"
    IMAGE_INSTALL += "strace"
    SSTATE_DIR ??= "/srv/sstate"
  a-first: |
    # comments are fine
    PACKAGE_CLASSES = "package_rpm"
    EXTRA_IMAGE_FEATURES = "debug-tweaks"
    IMAGE_INSTALL:append = " htop gdb"
    MACHINE = "qemuarm"
    DISTRO ??= "nodistro"
    export TZ = "UTC"
    inherit rm_work
    include conf/extra.conf
    do_fetch[network] = "1"
    PYVAL = "${@d.getVar('X')}"
    LONG = "a \
      b"
    DL_DIR:append:qemuarm = " x"
    IMAGE_INSTALL:remove += "y"
    NOT_HERE += "z"
"#,
    );
    let import = tree.read("conf.yml").unwrap();
    let config: &ProjectConfig = &import.config;
    // The text's `MACHINE =` wins over `machine:`; its `DISTRO ??=` loses to kas's own.
    assert_eq!(config.machine.as_deref(), Some("qemuarm"));
    assert_eq!(config.distro.as_deref(), Some("poky"));
    assert_eq!(config.packages, ["htop", "gdb", "strace"]);
    let get = |k: &str| config.variables.get(k).and_then(|v| v.plain_value());
    assert_eq!(get("DISTRO_FEATURES:append"), Some(" systemd wayland"));
    // Sections in sorted id order: a-first's `=` before b-second's `?=`.
    assert_eq!(get("PACKAGE_CLASSES"), Some("package_rpm"));
    assert_eq!(
        get("EXTRA_IMAGE_FEATURES"),
        Some("debug-tweaks tools-debug")
    );
    assert_eq!(get("SSTATE_DIR"), Some("/srv/sstate"));
    assert_eq!(get("TZ"), Some("UTC"));
    assert_eq!(get("LONG"), Some("a   b"));
    assert_eq!(get("DL_DIR:append:qemuarm"), Some(" x"));
    for absent in ["PYVAL", "NOT_HERE", "do_fetch", "MACHINE", "DISTRO"] {
        assert_eq!(get(absent), None, "{absent}");
    }
    for parts in [
        &["conf.yml: local_conf_header.a-first: line 5: MACHINE = \"qemuarm\" taken"][..],
        &["local_conf_header.a-first: line 6: `DISTRO ??=` has no effect"],
        &["local_conf_header.a-first: line 7: `export` of TZ not kept"],
        &["local_conf_header.a-first: line 8: `inherit rm_work` not imported"],
        &["local_conf_header.a-first: line 9: `include conf/extra.conf` not followed"],
        &["local_conf_header.a-first: line 10: `do_fetch[network]`"],
        &["local_conf_header.a-first: line 11:", "inline Python"],
        &["local_conf_header.a-first: line 15: `IMAGE_INSTALL:remove += \"y\"` not imported"],
        &["local_conf_header.a-first: line 16: `NOT_HERE += \"z\"` not imported"],
        &["local_conf_header.b-second: line 5: `IMAGE_INSTALL +=` taken as packages"],
        &["local_conf_header.b-second: line 6: `SSTATE_DIR ??=` taken"],
    ] {
        assert!(noted(&import, parts), "{parts:?} in {:#?}", import.notes);
    }
}

#[test]
fn a_bitbake_repository_without_layers_is_the_projects_bitbake() {
    let tree = Tree::new();
    tree.write(
        "oe.yml",
        &format!(
            r#"header:
  version: 14
machine: qemux86-64
distro: nodistro
target: core-image-minimal
repos:
  bitbake:
    url: https://git.openembedded.org/bitbake
    branch: "2.8"
    commit: {C2}
    layers: {{}}
  openembedded-core:
    url: https://git.openembedded.org/openembedded-core
    commit: {C1}
    branch: scarthgap
    layers:
      meta:
  meta-openembedded:
    url: git@github.com:openembedded/meta-openembedded.git
    tag: "2024.04"
    layers:
      meta-oe:
      meta-python: {{prio: 5}}
      meta-networking: disabled
      meta-multimedia: no
"#
        ),
    );
    let import = tree.read("oe.yml").unwrap();
    assert_eq!(
        import.config.bitbake,
        Some(LayerSource::Git {
            url: "https://git.openembedded.org/bitbake".to_owned(),
            reference: "2.8".to_owned(),
            subdir: None,
            commit: Some(C2.to_owned()),
        })
    );
    let moe = "git@github.com:openembedded/meta-openembedded.git";
    assert_eq!(
        import.config.layers,
        vec![
            git("meta-python", moe, "2024.04", Some("meta-python"), None),
            git("meta-oe", moe, "2024.04", Some("meta-oe"), None),
            git(
                "openembedded-core",
                "https://git.openembedded.org/openembedded-core",
                "scarthgap",
                Some("meta"),
                Some(C1)
            ),
        ]
    );
    assert!(noted(
        &import,
        &["repos.bitbake: taken as the project's BitBake"]
    ));
}

#[test]
fn json_kas_files_are_read_too() {
    let tree = Tree::new();
    tree.write(
        "p.json",
        r#"{"header": {"version": 11}, "machine": "qemuarm", "target": ["core-image-minimal"]}"#,
    );
    let import = tree.read("p.json").unwrap();
    assert_eq!(import.config.machine.as_deref(), Some("qemuarm"));
    assert_eq!(import.version, 11);
}

#[test]
fn what_kas_out_writes_reads_back() {
    use crate::bundle::kas_out::{KasProject, write_kas};
    let mut config = crate::model::Release::DEFAULT.defaults();
    config.machine = Some("qemuarm64".to_owned());
    config.distro = Some("poky".to_owned());
    config.targets = vec![Target::parse("core-image-sato:do_populate_sdk").unwrap()];
    config.packages = vec!["htop".to_owned(), "strace".to_owned()];
    config
        .variables
        .insert("IMAGE_FSTYPES".to_owned(), "wic.zst ext4".into());
    for layer in &mut config.layers {
        if let LayerSource::Git { commit, .. } = &mut layer.source {
            *commit = Some(C1.to_owned());
        }
    }
    let project = KasProject {
        name: "demo",
        release: "scarthgap",
        config: &config,
    };
    let tree = Tree::new();
    tree.write("demo.yml", &write_kas(&project, false).unwrap());
    tree.write("demo.lock.yml", &write_kas(&project, true).unwrap());
    let import = tree.read("demo.yml").unwrap();
    let back = &import.config;
    assert_eq!(back.machine, config.machine);
    assert_eq!(back.distro, config.distro);
    assert_eq!(back.targets, config.targets);
    assert_eq!(back.packages, config.packages);
    assert_eq!(
        back.variables.get("IMAGE_FSTYPES"),
        config.variables.get("IMAGE_FSTYPES")
    );
    let mut names: Vec<&str> = back.layers.iter().map(|l| l.name.as_str()).collect();
    let mut wanted: Vec<&str> = config.layers.iter().map(|l| l.name.as_str()).collect();
    names.sort_unstable();
    wanted.sort_unstable();
    assert_eq!(names, wanted, "{:#?}", import.notes);
    for layer in &back.layers {
        let original = config.layers.iter().find(|l| l.name == layer.name).unwrap();
        assert_eq!(layer.source, original.source, "{}", layer.name);
    }
    assert_eq!(back.bitbake, config.bitbake);
}

#[test]
fn one_url_at_two_refs_and_clashing_layer_names_are_noted() {
    let tree = Tree::new();
    tree.write(
        "two.yml",
        "header:\n  version: 14\nrepos:\n  a:\n    url: https://u.example/r.git\n    branch: x\n    layers: {meta-foo: }\n  b:\n    url: https://u.example/r.git\n    branch: y\n    layers: {meta-foo: }\n",
    );
    let import = tree.read("two.yml").unwrap();
    let names: Vec<&str> = import
        .config
        .layers
        .iter()
        .map(|l| l.name.as_str())
        .collect();
    assert_eq!(names, ["meta-foo", "b-meta-foo"]);
    assert!(noted(
        &import,
        &["two.yml: repos.b: clones", "repos.a", "another ref"]
    ));
    assert!(noted(
        &import,
        &["repos.b: layer `meta-foo` is named `b-meta-foo`"]
    ));
}
