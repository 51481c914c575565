use super::*;
use crate::model::Release;

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
    let err = check("IMAGE_FSTYPES", "exr4 wic.bmap tar.gz.sha256sum bogus.zz").unwrap_err();
    let SchemaError::Invalid { problems, .. } = &err else {
        panic!("{err:?}");
    };
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(
        err.hint().unwrap().contains("did you mean `ext4`?"),
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
    assert!(err.to_string().contains("until whinlatter"), "{err}");
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
