//! The shapes of written kas files: a typical project (golden text), hostile values, layers
//! grouped by repository, local layers, layers without a commit, BitBake's placements,
//! targets and tasks, and what is refused.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::*;
use crate::model::{LayerRef, LayerSource, ProjectConfig, Target};

const OE: &str = "1111111111111111111111111111111111111111";
const YOCTO: &str = "2222222222222222222222222222222222222222";
const BB: &str = "3333333333333333333333333333333333333333";

use crate::bundle::test_layer as git;

fn local(name: &str, path: &str) -> LayerRef {
    LayerRef {
        name: name.to_owned(),
        source: LayerSource::Local {
            path: PathBuf::from(path),
        },
        collections: Vec::new(),
    }
}

fn targets(words: &[&str]) -> Vec<Target> {
    words.iter().map(|w| Target::parse(w).unwrap()).collect()
}

/// A scarthgap project as Toaster makes one, fetched, with a local layer of its own.
fn typical() -> ProjectConfig {
    ProjectConfig {
        machine: Some("qemuarm64".to_owned()),
        machine_op: Default::default(),
        distro: Some("poky".to_owned()),
        distro_op: Default::default(),
        targets: targets(&["core-image-minimal"]),
        variables: BTreeMap::from([
            ("DL_DIR".to_owned(), "${TOPDIR}/../downloads".into()),
            ("IMAGE_FSTYPES".to_owned(), "ext4 wic".into()),
        ]),
        layers: vec![
            git(
                "openembedded-core",
                "https://git.openembedded.org/openembedded-core",
                "scarthgap",
                Some("meta"),
                Some(OE),
            ),
            git(
                "meta-poky",
                "https://git.yoctoproject.org/meta-yocto",
                "scarthgap",
                Some("meta-poky"),
                Some(YOCTO),
            ),
            git(
                "meta-yocto-bsp",
                "https://git.yoctoproject.org/meta-yocto",
                "scarthgap",
                Some("meta-yocto-bsp/"),
                Some(YOCTO),
            ),
            local("meta-mine", "/srv/layers/meta-mine"),
        ],
        packages: vec!["htop".to_owned(), "strace".to_owned()],
        recipes: vec!["gdb-cross-aarch64".to_owned()],
        bitbake: Some(LayerSource::Git {
            url: "https://git.openembedded.org/bitbake".to_owned(),
            reference: "2.8".to_owned(),
            subdir: None,
            commit: Some(BB.to_owned()),
        }),
        hooks: Vec::new(),
    }
}

fn write(config: &ProjectConfig, lock: bool) -> String {
    let project = KasProject {
        name: "demo",
        release: "scarthgap",
        config,
    };
    write_kas(&project, lock).unwrap()
}

#[test]
fn a_typical_project_golden() {
    let expected = r#"# kas project file of the Toaster project "demo" (release "scarthgap"), written by Toaster-rs.
# Check it with `kas dump FILE`; set up a build directory with `kas checkout FILE`.
# kas writes local.conf as the "toaster" text below, then MACHINE and DISTRO (as ??=);
# it lists BBLAYERS by repository, then layer, not in the project's order.
header:
  version: 14
machine: "qemuarm64"
distro: "poky"
target:
  - "core-image-minimal"
  - "gdb-cross-aarch64"
repos:
  # BitBake, in bitbake/ beside the layers' repositories, where oe-init-build-env finds it.
  "bitbake":
    url: "https://git.openembedded.org/bitbake"
    commit: "3333333333333333333333333333333333333333"
    branch: "2.8"
    path: "bitbake"
    layers: {}
  "openembedded-core":
    url: "https://git.openembedded.org/openembedded-core"
    commit: "1111111111111111111111111111111111111111"
    branch: "scarthgap"
    path: "openembedded-core"
    layers:
      "meta":
  "meta-yocto":
    url: "https://git.yoctoproject.org/meta-yocto"
    commit: "2222222222222222222222222222222222222222"
    branch: "scarthgap"
    path: "meta-yocto"
    layers:
      "meta-poky":
      "meta-yocto-bsp":
  # the local layer "meta-mine", used where it is (no version control).
  "meta-mine":
    path: "/srv/layers/meta-mine"
    layers:
      ".":
local_conf_header:
  "toaster": |
    DL_DIR = "${TOPDIR}/../downloads"
    IMAGE_FSTYPES = "ext4 wic"
    IMAGE_INSTALL:append = " htop strace"
"#;
    assert_eq!(write(&typical(), false), expected);
}

#[test]
fn the_lock_file_pins_every_git_repository_by_the_same_ids() {
    let expected = r#"# kas lock file of the Toaster project "demo" (release "scarthgap"), written by Toaster-rs.
# Keep it beside the project file, named like it with .lock before the extension
# (project.yml and project.lock.yml): kas reads both and checks out these commits.
header:
  version: 14
overrides:
  repos:
    "bitbake":
      commit: "3333333333333333333333333333333333333333"
    "openembedded-core":
      commit: "1111111111111111111111111111111111111111"
    "meta-yocto":
      commit: "2222222222222222222222222222222222222222"
"#;
    assert_eq!(write(&typical(), true), expected);
}

/// Whether every line is a comment, a `- "item"`, a quoted or bare key, or a line of a
/// literal block: nothing a value could have added.
fn lines_have_structure(text: &str) -> bool {
    let mut block: Option<usize> = None;
    text.lines().all(|line| {
        let indent = line.len() - line.trim_start().len();
        if let Some(deeper) = block {
            if indent >= deeper && !line.trim().is_empty() {
                return true;
            }
            block = None;
        }
        let rest = line.trim_start();
        if rest.ends_with(": |") {
            block = Some(indent + 2);
        }
        let bare_key = rest.split_once(':').is_some_and(|(k, _)| {
            !k.is_empty() && k.chars().all(|c| c.is_ascii_lowercase() || c == '_')
        });
        rest.starts_with('#') || rest.starts_with("- \"") || rest.starts_with('"') || bare_key
    })
}

/// The quoted scalars of `line` after `key: `, read back as JSON (which they also are).
fn value_of(text: &str, key: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| l.trim_start().strip_prefix(&format!("{key}: ")))
        .map(|v| serde_json::from_str::<String>(v).unwrap())
        .collect()
}

#[test]
fn hostile_values_cannot_change_the_structure() {
    let hostile_url = "https://x/y\nmachine: evil # \"q\" \u{2028}: - * & ✓";
    let hostile_branch = "- &a *a\r\n{x: [y]}\t#\u{85}";
    let mut config = ProjectConfig {
        machine: Some("qemux86-64".to_owned()),
        variables: BTreeMap::from([
            ("A".to_owned(), "x: y # z - *w &v {} [] | > ! % @ `".into()),
            ("B".to_owned(), "say \"hi\" it's".into()),
            ("C".to_owned(), "grüße ✓ 𝄞".into()),
            ("D".to_owned(), "-leading dash".into()),
            ("E".to_owned(), "tab\there".into()),
        ]),
        layers: vec![
            git(
                "evil\nlayer",
                hostile_url,
                hostile_branch,
                Some("a b/c: d"),
                Some(OE),
            ),
            local("also\"evil", "/srv/x\ny: z/#layer"),
        ],
        ..ProjectConfig::default()
    };
    config.targets = targets(&["core-image-minimal:do_populate_sdk"]);
    let project = KasProject {
        name: "na\"me\nheader: x",
        release: "scarthgap\n# y",
        config: &config,
    };
    let text = write_kas(&project, false).unwrap();
    assert!(lines_have_structure(&text), "{text}");
    assert_eq!(value_of(&text, "url"), [hostile_url]);
    assert_eq!(value_of(&text, "branch"), [hostile_branch]);
    assert_eq!(
        value_of(&text, "path"),
        ["evil-layer", "/srv/x\ny: z/#layer"]
    );
    assert_eq!(value_of(&text, "task"), ["populate_sdk"]);
    // The tab keeps the conf text out of a literal block: it is one quoted string, exact.
    let [conf] = &value_of(&text, "\"toaster\"")[..] else {
        panic!("{text}")
    };
    assert_eq!(
        conf,
        "A = \"x: y # z - *w &v {} [] | > ! % @ `\"\nB = \"say \"hi\" it's\"\nC = \"grüße ✓ 𝄞\"\nD = \"-leading dash\"\nE = \"tab\there\"\n"
    );
    // Repository ids are directory names whatever the layers are called.
    assert!(
        text.contains("\n  \"evil-layer\":\n") && text.contains("\n  \"also-evil\":\n"),
        "{text}"
    );
    assert!(text.contains("\n      \"a b/c: d\":\n"), "{text}");
    let lock = write_kas(&project, true).unwrap();
    assert!(lines_have_structure(&lock), "{lock}");
}

#[test]
fn layers_of_one_repository_share_it_only_at_one_commit() {
    let url = "https://example.com/meta-openembedded.git";
    let config = ProjectConfig {
        layers: vec![
            git("meta-oe", url, "scarthgap", Some("meta-oe"), Some(OE)),
            git(
                "meta-python",
                url,
                "scarthgap",
                Some("./meta-python"),
                Some(OE),
            ),
            git(
                "meta-networking",
                url,
                "scarthgap",
                Some("meta-networking"),
                Some(YOCTO),
            ),
            git(
                "meta-oe-again",
                url,
                "scarthgap",
                Some("meta-oe/"),
                Some(OE),
            ),
        ],
        ..ProjectConfig::default()
    };
    let text = write(&config, false);
    assert!(
        text.contains(
            "  \"meta-openembedded\":\n    url: \"https://example.com/meta-openembedded.git\"\n    commit: \"1111111111111111111111111111111111111111\"\n    branch: \"scarthgap\"\n    path: \"meta-openembedded\"\n    layers:\n      \"meta-oe\":\n      \"meta-python\":\n  \"meta-openembedded-2\":\n"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "    path: \"meta-openembedded-2\"\n    layers:\n      \"meta-networking\":\n"
        ),
        "{text}"
    );
}

#[test]
fn local_layers_and_a_local_bitbake_are_used_where_they_are() {
    let mut config = ProjectConfig {
        layers: vec![
            local("meta-a", "/work/meta-a"),
            local("meta-a", "/other/meta-a"),
        ],
        ..ProjectConfig::default()
    };
    config.bitbake = Some(LayerSource::Local {
        path: PathBuf::from("/opt/bitbake"),
    });
    let text = write(&config, false);
    assert!(
        text.contains("  \"bitbake\":\n    path: \"/opt/bitbake\"\n    layers: {}\n"),
        "{text}"
    );
    assert!(
        text.contains("  \"meta-a\":\n    path: \"/work/meta-a\"\n"),
        "{text}"
    );
    assert!(
        text.contains("  \"meta-a-2\":\n    path: \"/other/meta-a\"\n"),
        "{text}"
    );
    assert!(!text.contains("url:"), "{text}");
    assert!(text.contains("so place or link it there"), "{text}");
    // Local directories are not locked, as `kas lock` does not lock them.
    assert!(write(&config, true).ends_with("overrides:\n  repos: {}\n"));
}

#[test]
fn a_layer_without_a_commit_follows_its_branch_and_says_so() {
    let config = ProjectConfig {
        layers: vec![
            git("meta-new", "https://e.com/meta-new", "main", None, None),
            git(
                "meta-tagged",
                "https://e.com/meta-tagged",
                "refs/tags/v1.0",
                None,
                None,
            ),
            git("meta-pinned", "https://e.com/meta-pinned", OE, None, None),
        ],
        ..ProjectConfig::default()
    };
    let text = write(&config, false);
    assert!(
        text.contains("  # No commit recorded yet: kas checks out the newest commit of branch \"main\". Fetch the project's layers and export again to pin it.\n  \"meta-new\":\n    url: \"https://e.com/meta-new\"\n    branch: \"main\"\n    path: \"meta-new\"\n    layers:\n      \".\":\n"),
        "{text}"
    );
    // A tag needs format 15.
    assert!(
        text.contains("  version: 15\n") && text.contains("    tag: \"v1.0\"\n"),
        "{text}"
    );
    // A ref that is a commit pins it.
    assert!(text.contains(&format!("  \"meta-pinned\":\n    url: \"https://e.com/meta-pinned\"\n    commit: \"{OE}\"\n    path:")));
    let lock = write(&config, true);
    assert!(
        lock.contains(
            "# The repository \"meta-new\" has no recorded commit and is not pinned here.\n"
        ),
        "{lock}"
    );
    assert!(
        lock.ends_with(&format!(
            "  repos:\n    \"meta-pinned\":\n      commit: \"{OE}\"\n"
        )),
        "{lock}"
    );
}

#[test]
fn bitbake_inside_a_layer_repository_adds_no_repository() {
    let poky = "https://git.yoctoproject.org/poky";
    let mut config = ProjectConfig {
        layers: vec![git("meta", poky, "scarthgap", Some("meta"), Some(OE))],
        ..ProjectConfig::default()
    };
    config.bitbake = Some(LayerSource::Git {
        url: poky.to_owned(),
        reference: "scarthgap".to_owned(),
        subdir: Some("bitbake".to_owned()),
        commit: Some(OE.to_owned()),
    });
    let text = write(&config, false);
    assert!(text.contains("  # BitBake is its subdirectory \"bitbake\" (as in poky), where oe-init-build-env finds it.\n  \"poky\":\n"), "{text}");
    assert_eq!(text.matches("url:").count(), 1, "{text}");
    // Elsewhere it gets a repository of its own, and a note on what kas cannot do.
    config.layers.clear();
    let text = write(&config, false);
    assert!(
        text.contains(
            "  \"bitbake-repository\":\n    url: \"https://git.yoctoproject.org/poky\"\n"
        ),
        "{text}"
    );
    assert!(text.contains("so link it there."), "{text}");
    // None chosen: the file says what to add.
    config.bitbake = None;
    assert!(write(&config, false).contains("# The project has no BitBake chosen"));
}

#[test]
fn targets_share_one_task_or_carry_their_own() {
    let mut config = ProjectConfig {
        targets: targets(&["a:do_fetch", "b:fetch"]),
        ..ProjectConfig::default()
    };
    let text = write(&config, false);
    assert!(
        text.contains("target:\n  - \"a\"\n  - \"b\"\ntask: \"fetch\"\n"),
        "{text}"
    );
    config.recipes = vec!["c".to_owned(), "a".to_owned()];
    let text = write(&config, false);
    assert!(
        text.contains("target:\n  - \"a:do_fetch\"\n  - \"b:do_fetch\"\n  - \"c\"\nrepos:")
            || text.contains("target:\n  - \"a:do_fetch\"\n  - \"b:do_fetch\"\n  - \"c\"\n"),
        "{text}"
    );
    assert!(
        !text.contains("task:") && text.contains("# Targets with a task of their own"),
        "{text}"
    );
    config.targets.clear();
    config.recipes.clear();
    let text = write(&config, false);
    assert!(
        !text.contains("target:") && text.contains("kas builds its default, core-image-minimal"),
        "{text}"
    );
    assert!(
        text.contains("sets no MACHINE") && text.contains("sets no DISTRO"),
        "{text}"
    );
    assert!(!text.contains("local_conf_header"), "{text}");
}

#[test]
fn what_cannot_be_written_is_refused_with_the_culprit() {
    let refused = |config: &ProjectConfig| {
        let project = KasProject {
            name: "demo",
            release: "scarthgap",
            config,
        };
        write_kas(&project, false).unwrap_err()
    };
    let mut config = ProjectConfig::default();
    config
        .variables
        .insert("A".to_owned(), "x\nINHERIT += \"evil\"".into());
    let err = refused(&config);
    assert!(
        matches!(&err, KasOutError::Variable { name, .. } if name == "A"),
        "{err}"
    );
    assert!(
        err.to_string().contains("line break") && !err.hint().is_empty(),
        "{err}"
    );

    let config = ProjectConfig {
        packages: vec!["a b".to_owned()],
        ..ProjectConfig::default()
    };
    assert!(
        matches!(refused(&config), KasOutError::Variable { name, .. } if name == "IMAGE_INSTALL:append")
    );

    let config = ProjectConfig {
        layers: vec![local("rel", "layers/meta-rel")],
        ..ProjectConfig::default()
    };
    let err = refused(&config);
    assert!(
        matches!(&err, KasOutError::RelativePath { layer, .. } if layer == "rel"),
        "{err}"
    );
    assert!(
        err.hint().contains("--path /ABSOLUTE/DIR"),
        "{}",
        err.hint()
    );

    for subdir in ["../outside", "/abs", "a/../../b"] {
        let config = ProjectConfig {
            layers: vec![git("l", "https://e.com/r", "main", Some(subdir), None)],
            ..ProjectConfig::default()
        };
        assert!(
            matches!(refused(&config), KasOutError::Subdir { .. }),
            "{subdir}"
        );
    }

    let config = ProjectConfig {
        layers: vec![git("l", "https://e.com/r", "main", None, Some("abc123"))],
        ..ProjectConfig::default()
    };
    assert!(matches!(refused(&config), KasOutError::Commit { .. }));

    let config = ProjectConfig {
        bitbake: Some(LayerSource::Git {
            url: "https://e.com/bitbake".to_owned(),
            reference: String::new(),
            subdir: None,
            commit: None,
        }),
        ..ProjectConfig::default()
    };
    let err = refused(&config);
    assert!(
        matches!(&err, KasOutError::NoRevision { layer, .. } if layer == "bitbake"),
        "{err}"
    );
    assert!(
        err.hint().contains("toaster bitbake update"),
        "{}",
        err.hint()
    );
}
