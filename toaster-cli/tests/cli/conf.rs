//! `toaster conf …`, `config schema` and `project import`: real files, real processes.

use super::Scratch;

#[test]
fn eval_prints_values_and_refuses_bad_files_with_their_line() {
    let scratch = Scratch::new();
    let good = scratch.path().join("good.conf");
    std::fs::write(
        &good,
        "A = \"1\"\nA:append = \" 2\"\nB ?= \"${A}\"\nC[doc] = \"c\"\n",
    )
    .unwrap();
    let out = scratch.ok(&["conf", "eval", "good.conf", "B", "C[doc]", "NOPE"]);
    assert_eq!(out, "B=\"1 2\"\nC[doc]=\"c\"\nNOPE is not set\n");
    let json = scratch.json(&["conf", "eval", "good.conf", "A"]);
    assert_eq!(json["variables"]["A"], "1 2");
    // Variable names hold `/` too; they are not files.
    std::fs::write(
        scratch.path().join("providers.conf"),
        "PREFERRED_PROVIDER_virtual/kernel = \"linux-yocto\"\n",
    )
    .unwrap();
    let json = scratch.json(&[
        "conf",
        "eval",
        "providers.conf",
        "PREFERRED_PROVIDER_virtual/kernel",
    ]);
    assert_eq!(
        json["variables"]["PREFERRED_PROVIDER_virtual/kernel"],
        "linux-yocto"
    );

    std::fs::write(
        scratch.path().join("bad.conf"),
        "A = \"1\"\nB = \"2\" # note\n",
    )
    .unwrap();
    let err = scratch.fails(1, &["conf", "eval", "bad.conf"]);
    assert!(err.contains("bad.conf:2: "), "{err}");
    assert!(
        err.contains("hint: move a comment to a line of its own"),
        "{err}"
    );
    let err = scratch.fails(1, &["conf", "eval", "missing.conf"]);
    assert!(err.contains("missing.conf"), "{err}");
}

#[test]
fn a_refused_value_changes_nothing() {
    let scratch = Scratch::new().with_demo();
    let before = scratch.state();
    let conf = scratch.path().join("demo/build/conf/toaster.conf");
    let text = std::fs::read_to_string(&conf).unwrap();
    for (key, value) in [
        ("PACKAGE_CLASSES", "package_rmp"),
        ("TOPDIR", "/x"),
        ("EXTRA", "${@bb.utils.which('x')}"),
        ("EXTRA", "one \" and one '"),
        ("IMAGE_INSTALL_append", " x"),
    ] {
        let err = scratch.fails(1, &["config", "set", "demo", key, value]);
        assert!(err.contains("hint: "), "{key}: {err}");
    }
    let err = scratch.fails(
        1,
        &["config", "set", "demo", "IMAGE_FSTYPS", "ext4", "--strict"],
    );
    assert!(err.contains("did you mean IMAGE_FSTYPES?"), "{err}");
    assert_eq!(scratch.state(), before);
    assert_eq!(std::fs::read_to_string(&conf).unwrap(), text);
}

#[test]
fn warnings_go_to_stderr_and_json() {
    let scratch = Scratch::new().with_demo();
    let out = scratch.run(&["config", "set", "demo", "MACHNIE", "qemuarm"]);
    assert!(out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.starts_with("warning: MACHNIE: "), "{stderr}");
    let json = scratch.json(&[
        "config",
        "set",
        "demo",
        "DISTRO_FEATURES:append",
        " wayladn",
    ]);
    assert_eq!(json["warnings"][0]["kind"], "variable", "{json}");
    assert!(
        json["warnings"][0]["message"]
            .as_str()
            .unwrap()
            .contains("did you mean `wayland`?"),
        "{json}"
    );
}

#[test]
fn schema_lists_and_describes_variables() {
    let scratch = Scratch::new();
    let all = scratch.json(&["config", "schema"]);
    assert!(all["variables"].as_array().unwrap().len() >= 40);
    let one = scratch.ok(&["config", "schema", "DL_DIR"]);
    assert!(one.contains("class:   infrastructure"), "{one}");
    let err = scratch.fails(1, &["config", "schema", "DL_DRI"]);
    assert!(err.contains("did you mean DL_DIR?"), "{err}");
}

#[test]
fn import_reads_a_build_directory_and_lists_what_it_left_out() {
    let scratch = Scratch::new().with_demo();
    let conf = scratch.path().join("old/build/conf");
    std::fs::create_dir_all(&conf).unwrap();
    let mine = scratch.path().join("old/meta-mine/conf");
    std::fs::create_dir_all(&mine).unwrap();
    std::fs::write(
        mine.join("layer.conf"),
        "BBFILE_COLLECTIONS += \"mine\"\nBBFILE_PATTERN_mine = \"^${LAYERDIR}/\"\nLAYERSERIES_COMPAT_mine = \"wrynose\"\n",
    )
    .unwrap();
    std::fs::write(
        conf.join("bblayers.conf"),
        "BBPATH = \"${TOPDIR}\"\nBBLAYERS ?= \" \\\n  ${TOPDIR}/../meta-mine \\\n  /srv/poky/meta \\\n  \"\n",
    )
    .unwrap();
    std::fs::write(
        conf.join("local.conf"),
        "MACHINE ??= \"qemuarm64\"\nDISTRO ?= \"poky\"\nIMAGE_INSTALL:append = \" htop\"\nINHERIT += \"rm_work\"\nBB_NUMBER_THREADS = \"${@oe.utils.cpu_count()}\"\nCONF_VERSION = \"2\"\nDL_DIR[doc] = \"x\"\n",
    )
    .unwrap();
    let json = scratch.json(&[
        "project",
        "import",
        "old",
        "--from",
        "old/build",
        "--dir",
        "oldproject",
    ]);
    let notes: Vec<&str> = json["not_imported"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    // Left out: inline Python, a layer that is not there, CONF_VERSION (local.conf's own);
    // the flag `DL_DIR[doc]` and the operators are kept.
    assert_eq!(notes.len(), 3, "{notes:?}");
    assert!(
        notes
            .iter()
            .any(|n| n.starts_with("layer /srv/poky/meta: left out")),
        "{notes:?}"
    );
    let config = scratch.json(&["config", "show", "old"]);
    assert_eq!(config["machine"], "qemuarm64");
    assert_eq!(config["packages"][0], "htop");
    assert_eq!(
        config["variables"]["INHERIT"],
        serde_json::json!({"operations": [{"op": "+=", "value": "rm_work"}]})
    );
    assert_eq!(config["variables"]["DL_DIR[doc]"], "x");
    let root = scratch.path().canonicalize().unwrap();
    assert_eq!(config["layers"].as_array().unwrap().len(), 1);
    assert_eq!(config["layers"][0]["name"], "meta-mine");
    assert_eq!(
        config["layers"][0]["path"],
        root.join("old/meta-mine").display().to_string()
    );
    let generated =
        std::fs::read_to_string(scratch.path().join("oldproject/build/conf/toaster.conf")).unwrap();
    for line in [
        "MACHINE ??= \"qemuarm64\"",
        "DISTRO ?= \"poky\"",
        "INHERIT += \"rm_work\"",
    ] {
        assert!(generated.contains(line), "{generated}");
    }
}

#[test]
fn strict_knows_variable_families_and_layer_checks_are_typed_warnings() {
    let scratch = Scratch::new().with_demo();
    for (key, value) in [
        (
            "SRCREV:pn-busybox",
            "0123456789abcdef0123456789abcdef01234567",
        ),
        ("PREFERRED_VERSION_linux-yocto", "6.6%"),
        ("PACKAGECONFIG:pn-curl", "ssl zlib"),
    ] {
        scratch.ok(&["config", "set", "--strict", "demo", key, value]);
    }
    // The demo's layers are not fetched: the check against them is skipped, and said.
    for (key, value) in [
        ("machine", "raspberrypi4-64"),
        ("IMAGE_FSTYPES", "wic.bz2 tegraflash"),
    ] {
        let out = scratch.ok(&["--json", "config", "set", "demo", key, value]);
        let json: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(json["warnings"][0]["kind"], "check_skipped", "{json}");
        let message = json["warnings"][0]["message"].as_str().unwrap();
        assert!(
            message.contains("meta-yocto-bsp are not fetched yet"),
            "{message}"
        );
    }
    let err = scratch.fails(1, &["config", "set", "demo", "TMPDIR", "${TOPDIR}/../tmp"]);
    assert!(err.contains("sanity check refuses `..` in TMPDIR"), "{err}");
}

#[test]
fn config_set_takes_an_operator_a_flag_and_export() {
    let s = Scratch::new().with_demo();
    s.ok(&["config", "set", "demo", "MACHINE", "??=", "qemuarm64"]);
    s.ok(&["config", "set", "demo", "INHERIT", "+=", "rm_work"]);
    s.ok(&["config", "set", "demo", "do_fetch[number_threads]", "4"]);
    s.ok(&["config", "set", "demo", "--export", "FOO", "bar"]);
    assert_eq!(
        s.ok(&["config", "get", "demo", "INHERIT"]),
        "+= \"rm_work\"\n"
    );
    let generated = std::fs::read_to_string(s.path().join("demo/build/conf/toaster.conf")).unwrap();
    for line in [
        "MACHINE ??= \"qemuarm64\"\n",
        "INHERIT += \"rm_work\"\n",
        "do_fetch[number_threads] = \"4\"\n",
        "export FOO = \"bar\"\n",
    ] {
        assert!(generated.contains(line), "{line:?} in {generated}");
    }
    let history = s.ok(&["project", "history", "demo"]);
    assert!(
        history.contains("set machine ??= \"qemuarm64\""),
        "{history}"
    );
    // An operator no key takes, and the old override syntax, are refused.
    s.fails(1, &["config", "set", "demo", "MACHINE", "+=", "x"]);
    let err = s.fails(1, &["config", "set", "demo", "IMAGE_INSTALL_append", "x"]);
    assert!(err.contains(":append"), "{err}");
}
