//! Golden recipes per build system and origin, hostile values, refused names; and
//! `write_samples`, the generator `tests/python/test_recipe_writer.py` parses with BitBake.

use std::path::PathBuf;

use super::*;
use crate::recipes::facts::{BuildSystem, LicenseFile, SourceFacts};

const MD5: &str = "b234ee4d69f5fce4486a80fdaf4a4263";
const SHA: &str = "4bc6ef0e2d7fa2d2d3ad4b4a5e6a0b1c9f03e1b3c3a1d0f9e8d7c6b5a4938271";
const REV: &str = "0123456789abcdef0123456789abcdef01234567";

fn release(name: &str) -> Release {
    Release::parse(name).unwrap()
}

fn facts(build: BuildSystem, spdx: &[Option<&str>], depends: &[&str]) -> SourceFacts {
    let licenses = spdx
        .iter()
        .enumerate()
        .map(|(i, id)| LicenseFile {
            path: if i == 0 {
                "COPYING".to_owned()
            } else {
                format!("LICENSES/L{i}.txt")
            },
            md5: MD5.to_owned(),
            spdx: id.map(str::to_owned),
        })
        .collect();
    SourceFacts {
        name: None,
        version: None,
        summary: Some("A small library".to_owned()),
        homepage: Some("https://example.org/hello".to_owned()),
        build,
        licenses,
        depends: depends.iter().map(|d| (*d).to_owned()).collect(),
        notes: Vec::new(),
    }
}

fn tarball(subdir: Option<&str>) -> SourceOrigin {
    SourceOrigin::Tarball {
        url: "https://example.org/hello-1.0.tar.gz".to_owned(),
        sha256: SHA.to_owned(),
        subdir: subdir.map(str::to_owned),
    }
}

fn git(url: &str) -> SourceOrigin {
    SourceOrigin::Git {
        url: url.to_owned(),
        branch: "main".to_owned(),
        rev: REV.to_owned(),
    }
}

fn write(name: &str, facts: &SourceFacts, origin: &SourceOrigin, series: &str) -> String {
    write_recipe(&RecipeRequest {
        name,
        version: "1.0",
        facts,
        origin,
        release: release(series),
    })
    .unwrap()
}

/// The samples: file name, facts, origin, release. The Python test knows what each holds.
fn samples() -> Vec<(&'static str, SourceFacts, SourceOrigin, &'static str)> {
    let mut hostile = facts(BuildSystem::Autotools, &[Some("MIT")], &[]);
    hostile.summary = Some("say \"hi\"\nINHERIT += \"evil\" ${@os.system(\"x\")}".to_owned());
    hostile.homepage = Some("https://x/${@os.system('id')}".to_owned());
    hostile.notes = vec!["note with\nnewline \\".to_owned()];
    vec![
        (
            "autotools_1.0.bb",
            facts(BuildSystem::Autotools, &[Some("MIT")], &["glib-2.0"]),
            tarball(Some("hello-1.0")),
            "wrynose",
        ),
        (
            "autotools-scarthgap_1.0.bb",
            facts(BuildSystem::Autotools, &[Some("MIT")], &[]),
            tarball(None),
            "scarthgap",
        ),
        (
            "cmake_1.0.bb",
            facts(BuildSystem::Cmake, &[Some("Apache-2.0"), Some("MIT")], &[]),
            git("https://github.com/example/hello.git"),
            "wrynose",
        ),
        (
            "cmake-styhead_1.0.bb",
            facts(BuildSystem::Cmake, &[Some("MIT")], &[]),
            git("git@github.com:example/hello.git"),
            "styhead",
        ),
        (
            "meson_1.0.bb",
            facts(BuildSystem::Meson, &[None], &["gtk4", "libxml-2.0"]),
            SourceOrigin::Path {
                dir: PathBuf::from("/src/hello"),
            },
            "wrynose",
        ),
        (
            "python_1.0.bb",
            facts(
                BuildSystem::Python {
                    backend: "hatchling.build".to_owned(),
                },
                &[Some("BSD-3-Clause")],
                &[],
            ),
            tarball(Some("hello-1.0")),
            "wrynose",
        ),
        (
            "cargo_1.0.bb",
            facts(
                BuildSystem::Cargo {
                    crates: vec![
                        ("libc".to_owned(), "0.2.150".to_owned()),
                        ("log".to_owned(), "0.4.20".to_owned()),
                    ],
                },
                &[Some("MIT"), Some("Apache-2.0")],
                &[],
            ),
            git("https://github.com/example/hello"),
            "wrynose",
        ),
        (
            "go_1.0.bb",
            facts(
                BuildSystem::Go {
                    module: "example.org/hello".to_owned(),
                },
                &[Some("BSD-3-Clause")],
                &[],
            ),
            git("https://go.example.org/hello"),
            "wrynose",
        ),
        (
            "make_1.0.bb",
            facts(BuildSystem::Make, &[], &[]),
            SourceOrigin::Path {
                dir: PathBuf::from("/src/hello"),
            },
            "wrynose",
        ),
        (
            "hostile_1.0.bb",
            hostile,
            tarball(Some("hello-1.0")),
            "wrynose",
        ),
    ]
}

fn sample(file: &str) -> String {
    let all = samples();
    let (_, facts, origin, series) = all.iter().find(|s| s.0 == file).unwrap();
    let name = file.split('_').next().unwrap();
    write(name, facts, origin, series)
}

fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/recipes/write/golden")
}

/// Every sample equals its golden file in `golden/` (regenerate with `write_samples`, then
/// review the diff).
#[test]
fn recipes_match_their_golden_files() {
    for (file, facts, origin, series) in samples() {
        let name = file.split('_').next().unwrap();
        let text = write(name, &facts, &origin, series);
        let golden = std::fs::read_to_string(golden_dir().join(file)).unwrap();
        assert_eq!(text, golden, "{file}");
    }
}

/// Not a test: writes every sample recipe into the directory `TOASTER_RECIPE_SAMPLES`
/// names, for `tests/python/test_recipe_writer.py` to parse with BitBake's own parser, and
/// for regenerating the golden files (`TOASTER_RECIPE_SAMPLES=src/recipes/write/golden`).
/// Run: `cargo test -p toaster-core --lib recipes::write::tests::write_samples -- --ignored`.
#[test]
#[ignore = "a generator for the Python test and the golden files, not a test"]
fn write_samples() {
    let dir = PathBuf::from(
        std::env::var("TOASTER_RECIPE_SAMPLES")
            .expect("set TOASTER_RECIPE_SAMPLES to the directory to write the samples into"),
    );
    std::fs::create_dir_all(&dir).unwrap();
    for (file, facts, origin, series) in samples() {
        let name = file.split('_').next().unwrap();
        std::fs::write(dir.join(file), write(name, &facts, &origin, series)).unwrap();
    }
    std::fs::write(
        dir.join("layer.conf"),
        own_layer_conf("My Project", release("wrynose")).unwrap(),
    )
    .unwrap();
}

#[test]
fn hostile_values_stay_inert() {
    let text = sample("hostile_1.0.bb");
    // Nothing from the sources starts a line of its own or runs Python.
    assert!(
        text.lines()
            .filter(|l| !l.starts_with('#'))
            .all(|l| !l.contains("${@") && !l.contains("os.system")),
        "{text}"
    );
    assert!(!text.lines().any(|l| l.starts_with("INHERIT")), "{text}");
    assert!(text.contains("# SUMMARY left out"), "{text}");
    assert!(text.contains("# HOMEPAGE left out"), "{text}");
    assert!(text.contains("# - note with newline\n"), "{text}");
    let mut facts = facts(BuildSystem::Autotools, &[Some("MIT")], &[]);
    facts.summary = Some("say \"hi\" to\nall".to_owned());
    let text = write("hello", &facts, &tarball(None), "wrynose");
    assert!(text.contains("SUMMARY = 'say \"hi\" to all'\n"), "{text}");
}

#[test]
fn hostile_origins_and_facts_are_refused() {
    let facts_ok = facts(BuildSystem::Make, &[Some("MIT")], &[]);
    let refused = |origin: SourceOrigin| {
        write_recipe(&RecipeRequest {
            name: "hello",
            version: "1.0",
            facts: &facts_ok,
            origin: &origin,
            release: release("wrynose"),
        })
        .unwrap_err()
        .to_string()
    };
    for url in [
        "https://x/a.tar.gz\"\nINHERIT += \"evil",
        "https://x/${@os.system('id')}.tar.gz",
        "https://x/a b.tar.gz",
        "https://x/a.tar.gz;subdir=..",
        "relative/a.tar.gz",
    ] {
        let err = refused(SourceOrigin::Tarball {
            url: url.to_owned(),
            sha256: SHA.to_owned(),
            subdir: None,
        });
        assert!(err.contains("SRC_URI"), "{err}");
    }
    let err = refused(SourceOrigin::Git {
        url: "https://x/r.git".to_owned(),
        branch: "main".to_owned(),
        rev: "HEAD".to_owned(),
    });
    assert!(err.contains("full commit id"), "{err}");
    let err = refused(SourceOrigin::Git {
        url: "https://x/r.git".to_owned(),
        branch: "main;name=x".to_owned(),
        rev: REV.to_owned(),
    });
    assert!(err.contains("branch"), "{err}");
    let err = refused(SourceOrigin::Path {
        dir: PathBuf::from("relative/dir"),
    });
    assert!(err.contains("absolute"), "{err}");
    let err = refused(SourceOrigin::Path {
        dir: PathBuf::from("/src/a\"b'c"),
    });
    assert!(err.contains("EXTERNALSRC"), "{err}");
    let mut bad = facts(BuildSystem::Make, &[Some("MIT")], &["glib-2.0 evil"]);
    let err = write_recipe(&RecipeRequest {
        name: "hello",
        version: "1.0",
        facts: &bad,
        origin: &tarball(None),
        release: release("wrynose"),
    })
    .unwrap_err()
    .to_string();
    assert!(err.contains("DEPENDS"), "{err}");
    bad.depends.clear();
    bad.licenses[0].path = "../etc/passwd".to_owned();
    assert!(
        write_recipe(&RecipeRequest {
            name: "hello",
            version: "1.0",
            facts: &bad,
            origin: &tarball(None),
            release: release("wrynose"),
        })
        .is_err()
    );
}

#[test]
fn bad_names_and_versions_are_refused() {
    for name in ["", "Hello", "-x", "a_b", "a b", "a/b", "a$", "é"] {
        let err = recipe_path(name, "1.0").unwrap_err().to_string();
        assert!(err.contains("recipe name"), "{name:?}: {err}");
    }
    for version in ["", "1_0", "1 0", "1/0", "1.0\n", "${PV}", "1\"0"] {
        let err = recipe_path("hello", version).unwrap_err().to_string();
        assert!(err.contains("recipe version"), "{version:?}: {err}");
    }
    assert_eq!(
        recipe_path("libfoo+bar-2.0", "1.2.3+git~rc1").unwrap(),
        "recipes-imported/libfoo+bar-2.0/libfoo+bar-2.0_1.2.3+git~rc1.bb"
    );
    let facts = facts(BuildSystem::Make, &[], &[]);
    let err = write_recipe(&RecipeRequest {
        name: "Bad",
        version: "1.0",
        facts: &facts,
        origin: &tarball(None),
        release: release("wrynose"),
    })
    .unwrap_err();
    assert!(matches!(err, RecipeWriteError::InvalidName { .. }));
}

#[test]
fn git_urls_are_converted_as_recipetool_does() {
    for (url, want) in [
        (
            "https://github.com/a/b.git",
            "git://github.com/a/b.git;protocol=https",
        ),
        ("http://h/a/b", "git://h/a/b;protocol=http"),
        ("ssh://git@h/a/b.git", "git://git@h/a/b.git;protocol=ssh"),
        (
            "git@github.com:a/b.git",
            "git://git@github.com/a/b.git;protocol=ssh",
        ),
        ("git://h/a/b", "git://h/a/b"),
        ("/srv/git/b.git", "git:///srv/git/b.git;protocol=file"),
        (
            "file:///srv/git/b.git",
            "git:///srv/git/b.git;protocol=file",
        ),
    ] {
        assert_eq!(origin::git_url(url).unwrap(), want, "{url}");
    }
    for bad in ["ftp://h/a", "nohost", "host:path", "https://"] {
        assert!(origin::git_url(bad).is_err(), "{bad}");
    }
}

#[test]
fn s_follows_the_release() {
    let facts = facts(BuildSystem::Cmake, &[Some("MIT")], &[]);
    let s = |origin: &SourceOrigin, series: &str| {
        let text = write("hello", &facts, origin, series);
        text.lines()
            .find(|l| l.starts_with("S = "))
            .unwrap()
            .to_owned()
    };
    let g = git("https://h/a.git");
    assert_eq!(s(&g, "kirkstone"), "S = \"${WORKDIR}/git\"");
    assert_eq!(s(&g, "scarthgap"), "S = \"${WORKDIR}/git\"");
    assert_eq!(s(&g, "styhead"), "S = \"${UNPACKDIR}/git\"");
    assert_eq!(s(&g, "walnascar"), "S = \"${UNPACKDIR}/git\"");
    assert_eq!(s(&g, "whinlatter"), "S = \"${UNPACKDIR}/${BP}\"");
    assert_eq!(s(&g, "blacksail"), "S = \"${UNPACKDIR}/${BP}\"");
    let t = tarball(Some("hello-1.0"));
    assert_eq!(s(&t, "scarthgap"), "S = \"${WORKDIR}/${BP}\"");
    assert_eq!(s(&t, "styhead"), "S = \"${UNPACKDIR}/${BP}\"");
    let t = tarball(Some("Hello-src"));
    assert_eq!(s(&t, "wrynose"), "S = \"${UNPACKDIR}/Hello-src\"");
}

#[test]
fn licences_are_never_guessed() {
    let one = |spdx: &[Option<&str>]| {
        let facts = facts(BuildSystem::Cmake, spdx, &[]);
        let text = write("hello", &facts, &tarball(None), "wrynose");
        text.lines()
            .find(|l| l.starts_with("LICENSE = "))
            .unwrap()
            .to_owned()
    };
    assert_eq!(one(&[Some("MIT")]), "LICENSE = \"MIT\"");
    assert_eq!(one(&[Some("MIT"), Some("MIT")]), "LICENSE = \"MIT\"");
    assert_eq!(
        one(&[Some("GPL-2.0-only"), Some("MIT")]),
        "LICENSE = \"GPL-2.0-only & MIT\""
    );
    let placeholder = format!("LICENSE = \"{LICENCE_PLACEHOLDER}\"");
    assert_eq!(one(&[]), placeholder);
    assert_eq!(one(&[Some("MIT"), None]), placeholder);
    assert_eq!(one(&[Some("MIT or (x)")]), placeholder);
}

#[test]
fn python_classes_follow_the_release() {
    let backend = |b: &str, series: &str| {
        let facts = facts(
            BuildSystem::Python {
                backend: b.to_owned(),
            },
            &[Some("MIT")],
            &[],
        );
        let text = write("hello", &facts, &tarball(None), series);
        text.lines()
            .find(|l| l.starts_with("inherit "))
            .map(str::to_owned)
    };
    assert_eq!(
        backend("setuptools.build_meta", "kirkstone").as_deref(),
        Some("inherit python_setuptools_build_meta")
    );
    assert_eq!(
        backend("flit_core.buildapi", "wrynose").as_deref(),
        Some("inherit python_flit_core")
    );
    assert_eq!(
        backend("poetry.core.masonry.api", "wrynose").as_deref(),
        Some("inherit python_poetry_core")
    );
    assert_eq!(backend("hatchling.build", "kirkstone"), None);
    assert_eq!(backend("whatever.backend", "wrynose"), None);
}

#[test]
fn the_own_layer_conf() {
    assert_eq!(
        own_layer_conf("My Project", release("scarthgap")).unwrap(),
        std::fs::read_to_string(golden_dir().join("layer.conf"))
            .unwrap()
            .replace("wrynose", "scarthgap")
    );
    for bad in ["", "---", "remove-me", "core", "Append"] {
        let err = own_layer_conf(bad, release("wrynose"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("rename the project"), "{bad:?}: {err}");
    }
}
