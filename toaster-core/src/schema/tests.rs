use super::*;
use crate::model::Release;
use crate::schema::WarningKind;

fn wrynose() -> Release {
    Release::parse("wrynose").unwrap()
}

fn check(name: &str, value: &str) -> Result<Vec<Warning>, SchemaError> {
    Schema::builtin().check(name, value, &wrynose(), false)
}

#[test]
fn the_catalogue_loads_with_at_least_forty_variables() {
    let file: SchemaFile = serde_json::from_str(CATALOGUE).unwrap();
    assert!(file.variables.len() >= 40);
    assert_eq!(Schema::builtin().specs().count(), file.variables.len());
    for spec in Schema::builtin().specs() {
        assert!(!spec.doc.is_empty(), "{}", spec.name);
        for allowed in &spec.allowed {
            if let Allowed::Series { from, until, .. } = allowed {
                for series in from.iter().chain(until) {
                    Release::parse(series).unwrap();
                }
            }
        }
    }
}

#[test]
fn every_problem_is_reported_with_a_hint() {
    let err = check("PACKAGE_CLASSES", "package_rmp package_deb bogus").unwrap_err();
    let SchemaError::Invalid { problems, .. } = &err else {
        panic!("{err:?}");
    };
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(
        err.hint().unwrap().contains("did you mean `package_rpm`?"),
        "{err:?}"
    );
}

#[test]
fn kinds_are_checked() {
    assert!(check("BB_NUMBER_THREADS", "8").is_ok());
    assert!(check("BB_NUMBER_THREADS", "0").is_err());
    assert!(check("BB_NUMBER_THREADS", "eight").is_err());
    let err = check("TESTIMAGE_AUTO", "yes").unwrap_err();
    assert_eq!(err.hint().as_deref(), Some("write `1`"));
    assert!(check("PARALLEL_MAKE", "-j 8 -l 4").is_ok());
    assert!(check("PARALLEL_MAKE", "-l 4").is_err());
    assert!(check("DL_DIR", "~/downloads").is_err());
    assert!(check("DL_DIR", "${TOPDIR}/../downloads").is_ok());
    assert!(check("DL_DIR", "~/${DISTRO}/downloads").is_err());
    let err = check("TMPDIR", "${TOPDIR}/../tmp").unwrap_err();
    assert!(err.to_string().contains("refuses `..` in TMPDIR"), "{err}");
    assert!(check("TMPDIR", "${TOPDIR}/tmp+glibc").is_err());
    assert!(
        check(
            "BB_DISKMON_DIRS",
            "STOPTASKS,/tmp,100M,100K HALT,/tmp,10M,1K"
        )
        .is_ok()
    );
    assert!(check("BB_DISKMON_DIRS", "STOP,/tmp,100X,").is_err());
    assert!(check("SOURCE_MIRROR_URL", "not a url").is_err());
}

#[test]
fn series_limit_values() {
    assert!(check("INIT_MANAGER", "systemd").is_ok());
    let err = check("INIT_MANAGER", "none").unwrap_err();
    assert!(
        err.to_string().contains("removed after whinlatter"),
        "{err}"
    );
    let kirkstone = Release::parse("kirkstone").unwrap();
    assert!(
        Schema::builtin()
            .check("INIT_MANAGER", "none", &kirkstone, false)
            .is_ok()
    );
}

#[test]
fn classes_and_names() {
    assert!(matches!(
        check("BBFILES", "x"),
        Err(SchemaError::Forbidden { .. })
    ));
    assert!(matches!(
        check("BBLAYERS", "/x"),
        Err(SchemaError::Managed { .. })
    ));
    assert!(matches!(
        check("LICENSE_FLAGS_WHITELIST", "commercial"),
        Err(SchemaError::Renamed { .. })
    ));
    let warnings = check("MACHNIE", "qemuarm").unwrap();
    assert_eq!(warnings[0].issue.hint, "did you mean MACHINE?");
    let strict = Schema::builtin().check("MACHNIE", "qemuarm", &wrynose(), true);
    assert!(matches!(strict, Err(SchemaError::Unknown { .. })));
    assert_eq!(Schema::builtin().class("DL_DIR"), Class::Infrastructure);
    assert_eq!(
        Schema::builtin().class("DISTRO_FEATURES:append"),
        Class::Build
    );
    let warnings = check("DISTRO_FEATURES:append", " wayladn").unwrap();
    assert_eq!(warnings[0].issue.hint, "did you mean `wayland`?");
}

#[test]
fn extra_specs_load_from_a_file() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("extra.json");
    std::fs::write(
        &path,
        r#"{"variables": [{"name": "MY_FEATURE", "kind": "enum", "class": "build",
            "allowed": ["on", "off"], "doc": "A layer's switch."}]}"#,
    )
    .unwrap();
    let schema = Schema::builtin().with_file(&path).unwrap();
    assert!(schema.check("MY_FEATURE", "of", &wrynose(), false).is_err());
    assert!(schema.spec("MACHINE").is_some());
    std::fs::write(&path, r#"{"variables": [{"name": "X"}]}"#).unwrap();
    assert!(matches!(
        Schema::builtin().with_file(&path),
        Err(SchemaError::Format { .. })
    ));
}

fn kinds(warnings: &[Warning]) -> Vec<WarningKind> {
    warnings.iter().map(|w| w.kind).collect()
}

fn layers(image_types: &[&str], machines: &[&str], missing: &[&str]) -> LayerValues {
    LayerValues {
        machines: machines.iter().map(|m| m.to_string()).collect(),
        image_types: image_types.iter().map(|t| t.to_string()).collect(),
        searched: vec!["meta".to_owned(), "meta-bsp".to_owned()],
        missing: missing.iter().map(|m| m.to_string()).collect(),
        ..LayerValues::default()
    }
}

#[test]
fn image_types_are_open_and_checked_against_the_layers() {
    let warnings = check("IMAGE_FSTYPES", "wic.bz2 tegraflash ext4.gz.sha256sum").unwrap();
    assert_eq!(
        kinds(&warnings),
        [WarningKind::UnknownValue],
        "{warnings:?}"
    );
    assert_eq!(
        warnings[0].issue.reason,
        "Toaster does not know the image type `tegraflash`; accepted, as a layer may define it"
    );
    let warnings = check("IMAGE_FSTYPES", "exr4").unwrap();
    assert_eq!(kinds(&warnings), [WarningKind::Typo]);
    assert_eq!(warnings[0].issue.hint, "did you mean `ext4`?");

    let on = |value: &str, layers: &LayerValues| {
        Schema::builtin()
            .check_in("IMAGE_FSTYPES", value, &wrynose(), false, Some(layers))
            .unwrap()
    };
    let all = layers(&["wic", "wic.bz2", "tegraflash"], &[], &[]);
    assert_eq!(on("wic.bz2 tegraflash tegraflash.gz", &all), []);
    let warnings = on("tegraflash ext4", &all);
    assert_eq!(kinds(&warnings), [WarningKind::NotInLayers], "{warnings:?}");
    assert_eq!(
        warnings[0].issue.reason,
        "no layer of the project defines the image type `ext4` (searched IMAGE_TYPES and IMAGE_CMD:TYPE in conf/ and classes*/ of meta, meta-bsp)"
    );
    let unfetched = layers(&["wic"], &[], &["meta-tegra"]);
    assert_eq!(on("ext4", &unfetched), [], "the catalogue knows it");
    let warnings = on("tegraflash", &unfetched);
    assert_eq!(kinds(&warnings), [WarningKind::CheckSkipped]);
    assert!(
        warnings[0]
            .issue
            .reason
            .contains("meta-tegra is not fetched yet"),
        "{warnings:?}"
    );
}

#[test]
fn machines_are_checked_against_the_layers() {
    let schema = Schema::builtin();
    let spec = schema.spec("MACHINE").unwrap();
    let machine = |value: &str, layers: &LayerValues| {
        schema
            .check_value(spec, "MACHINE", value, &wrynose(), false, Some(layers))
            .unwrap()
    };
    let bsp = layers(&[], &["qemuarm64", "raspberrypi4"], &[]);
    assert_eq!(machine("raspberrypi4", &bsp), []);
    let warnings = machine("raspberrypi4-64", &bsp);
    assert_eq!(kinds(&warnings), [WarningKind::NotInLayers]);
    assert!(
        warnings[0]
            .issue
            .reason
            .contains("conf/machine/*.conf of meta, meta-bsp")
    );
    assert_eq!(
        warnings[0].issue.hint,
        "did you mean `raspberrypi4`? Or add the layer that defines it"
    );
    assert_eq!(
        kinds(&machine("genericx86-64", &bsp)),
        [WarningKind::NotInLayers]
    );
    let unfetched = layers(&[], &[], &["meta-raspberrypi"]);
    assert_eq!(machine("genericx86-64", &unfetched), []);
    assert_eq!(
        kinds(&machine("raspberrypi4-64", &unfetched)),
        [WarningKind::CheckSkipped]
    );
}

#[test]
fn debug_tweaks_is_refused_after_styhead_naming_its_replacement() {
    let walnascar = Release::parse("walnascar").unwrap();
    let styhead = Release::parse("styhead").unwrap();
    for name in ["EXTRA_IMAGE_FEATURES", "IMAGE_FEATURES:append"] {
        let err = Schema::builtin()
            .check(name, "debug-tweaks tools-debug", &walnascar, false)
            .unwrap_err();
        assert!(
            err.to_string().contains(
                "`debug-tweaks` was removed after styhead, and this project builds walnascar"
            ),
            "{err}"
        );
        assert_eq!(
            err.hint().unwrap(),
            "use `allow-empty-password empty-root-password allow-root-login post-install-logging` instead"
        );
        assert_eq!(
            Schema::builtin()
                .check(name, "debug-tweaks", &styhead, false)
                .unwrap(),
            []
        );
    }
    let removing =
        Schema::builtin().check("IMAGE_FEATURES:remove", "debug-tweaks", &walnascar, true);
    assert_eq!(removing.unwrap(), []);
}

#[test]
fn variable_families_are_known_to_strict_checks() {
    let schema = Schema::builtin();
    for (name, family) in [
        ("SRCREV:pn-busybox", "SRCREV:pn-*"),
        ("SRCREV_machine:pn-linux-yocto", "SRCREV_*"),
        ("PREFERRED_VERSION_linux-yocto", "PREFERRED_VERSION_*"),
        (
            "PREFERRED_PROVIDER_virtual/kernel",
            "PREFERRED_PROVIDER_virtual/kernel",
        ),
        (
            "PREFERRED_PROVIDER_virtual/bootloader",
            "PREFERRED_PROVIDER_*",
        ),
        ("RDEPENDS:packagegroup-x", "RDEPENDS:*"),
        ("RRECOMMENDS:${PN}:append", "RRECOMMENDS:*"),
        ("PACKAGECONFIG:pn-qemu-system-native", "PACKAGECONFIG:pn-*"),
        (
            "PACKAGECONFIG:append:pn-qemu-system-native",
            "PACKAGECONFIG:pn-*",
        ),
        (
            "PACKAGECONFIG:remove:pn-qemu-system-native",
            "PACKAGECONFIG:pn-*",
        ),
        ("SKIP_RECIPE[busybox]", "SKIP_RECIPE[*]"),
        ("TESTIMAGE_AUTO:qemuall", "TESTIMAGE_AUTO"),
    ] {
        assert_eq!(
            schema.governing(name).map(|s| s.name.as_str()),
            Some(family),
            "{name}"
        );
        assert!(schema.check(name, "1", &wrynose(), true).is_ok(), "{name}");
    }
    for stranger in ["SRCREV", "PREFERRED_VERSION_", "SKIP_RECIPE", "RDEPENDS"] {
        assert!(schema.governing(stranger).is_none(), "{stranger}");
    }
}
