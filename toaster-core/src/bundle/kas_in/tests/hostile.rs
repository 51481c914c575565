//! Hostile and broken kas files: each refused with its own error, naming the file.

use std::time::{Duration, Instant};

use super::{C1, Tree};
use crate::bundle::kas_in::{Budget, KasInError, RepoProblem};
use crate::layers::LayerError;

const HEADER: &str = "header:\n  version: 14\n";

/// Reads `text` as `x.yml` and returns the error.
fn refused(text: &str) -> (KasInError, Tree) {
    let tree = Tree::new();
    tree.write("x.yml", text);
    match tree.read("x.yml") {
        Ok(import) => panic!("accepted: {import:#?}"),
        Err(e) => {
            let shown = e.to_string();
            assert!(shown.contains("x.yml"), "names the file: {shown}");
            assert!(!e.hint().is_empty());
            (e, tree)
        }
    }
}

/// The peak resident memory of this process, in KiB.
fn peak_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

#[test]
fn a_billion_laughs_is_refused_quickly_with_bounded_memory() {
    let mut text = String::from(HEADER);
    text.push_str("menu_configuration:\n  a0: &a0 \"lol\"\n");
    for level in 1..10 {
        let prev = level - 1;
        let items = vec![format!("*a{prev}"); 10].join(", ");
        text.push_str(&format!("  a{level}: &a{level} [{items}]\n"));
    }
    text.push_str("  boom: *a9\n");
    let before = peak_kib();
    let started = Instant::now();
    let (e, _tree) = refused(&text);
    let took = started.elapsed();
    assert!(
        matches!(
            e,
            KasInError::Budget {
                budget: Budget::Nodes,
                ..
            }
        ),
        "{e}"
    );
    assert!(took < Duration::from_secs(2), "took {took:?}");
    // 10^9 strings would be tens of GiB; the bound stops at 100 000 values.
    let grown = peak_kib().saturating_sub(before);
    assert!(grown < 64 * 1024, "peak memory grew by {grown} KiB");
}

#[test]
fn aliases_of_long_strings_are_bounded_by_bytes() {
    let big = "x".repeat(100_000);
    let aliases = vec!["*big"; 100].join(", ");
    let text = format!("{HEADER}artifacts:\n  a: &big \"{big}\"\n  b: [{aliases}]\n");
    let (e, _tree) = refused(&text);
    assert!(
        matches!(
            e,
            KasInError::Budget {
                budget: Budget::Bytes,
                ..
            }
        ),
        "{e}"
    );
}

#[test]
fn deep_nesting_is_refused() {
    // Block mappings: this reader's bound.
    let mut text = format!("{HEADER}menu_configuration:\n");
    for level in 1..200 {
        text.push_str(&format!("{}k:\n", " ".repeat(level)));
    }
    let (e, _tree) = refused(&text);
    assert!(
        matches!(
            e,
            KasInError::Budget {
                budget: Budget::Depth,
                ..
            }
        ),
        "{e}"
    );
    // Flow lists: the parser's own bound, or this reader's.
    let depth = 100_000;
    let text = format!(
        "{HEADER}menu_configuration:\n  x: {}{}\n",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let (e, _tree) = refused(&text);
    assert!(
        matches!(
            e,
            KasInError::Budget {
                budget: Budget::Depth,
                ..
            } | KasInError::Yaml { .. }
        ),
        "{e}"
    );
}

#[test]
fn a_recursive_alias_is_refused() {
    let (e, _tree) = refused(&format!("{HEADER}target: &t [a, *t]\n"));
    assert!(
        matches!(
            e,
            KasInError::Budget {
                budget: Budget::Recursive,
                ..
            } | KasInError::Yaml { .. }
        ),
        "{e}"
    );
}

#[test]
fn files_too_large_are_refused_unread() {
    let text = format!("{HEADER}machine: {}\n", "x".repeat(1024 * 1024));
    let (e, _tree) = refused(&text);
    assert!(matches!(e, KasInError::TooLarge { .. }), "{e}");
}

#[test]
fn include_cycles_are_refused() {
    let tree = Tree::new();
    tree.write("a.yml", "header:\n  version: 14\n  includes: [b.yml]\n");
    tree.write("b.yml", "header:\n  version: 14\n  includes: [c.yml]\n");
    tree.write("c.yml", "header:\n  version: 14\n  includes: [a.yml]\n");
    let e = tree.read("a.yml").unwrap_err();
    let KasInError::IncludeCycle { chain, file, .. } = &e else {
        panic!("{e}");
    };
    assert_eq!(file, &tree.path("c.yml"));
    assert_eq!(chain.len(), 4, "{e}");
    tree.write(
        "self.yml",
        "header:\n  version: 14\n  includes: [self.yml]\n",
    );
    assert!(matches!(
        tree.read("self.yml"),
        Err(KasInError::IncludeCycle { .. })
    ));
}

#[test]
fn includes_that_double_up_hit_the_file_bound() {
    let tree = Tree::new();
    for i in 0..10 {
        let next = i + 1;
        tree.write(
            &format!("f{i}.yml"),
            &format!("header:\n  version: 14\n  includes: [f{next}.yml, f{next}.yml]\n"),
        );
    }
    tree.write("f10.yml", HEADER);
    let e = tree.read("f0.yml").unwrap_err();
    assert!(matches!(e, KasInError::TooManyFiles { .. }), "{e}");
}

#[test]
fn includes_outside_the_tree_are_refused() {
    let outer = Tree::new();
    outer.write("secret.yml", "header:\n  version: 14\nmachine: stolen\n");
    outer.write(
        "proj/up.yml",
        "header:\n  version: 14\n  includes: [../secret.yml]\n",
    );
    let e = outer.read("proj/up.yml").unwrap_err();
    assert!(matches!(e, KasInError::IncludeEscapes { .. }), "{e}");

    let absolute = outer.path("secret.yml");
    outer.write(
        "proj/abs.yml",
        &format!(
            "header:\n  version: 14\n  includes: [\"{}\"]\n",
            absolute.display()
        ),
    );
    let e = outer.read("proj/abs.yml").unwrap_err();
    assert!(matches!(e, KasInError::IncludeEscapes { .. }), "{e}");
    outer.write(
        "proj/etc.yml",
        "header:\n  version: 14\n  includes: [/etc/passwd.yml]\n",
    );
    let e = outer.read("proj/etc.yml").unwrap_err();
    assert!(matches!(e, KasInError::IncludeEscapes { .. }), "{e}");

    std::os::unix::fs::symlink(&absolute, outer.path("proj/link.yml")).unwrap();
    outer.write(
        "proj/via-link.yml",
        "header:\n  version: 14\n  includes: [link.yml]\n",
    );
    let e = outer.read("proj/via-link.yml").unwrap_err();
    assert!(matches!(e, KasInError::IncludeEscapes { .. }), "{e}");

    std::os::unix::fs::symlink(outer.path(""), outer.path("proj/up")).unwrap();
    outer.write(
        "proj/via-dir.yml",
        "header:\n  version: 14\n  includes: [up/secret.yml]\n",
    );
    let e = outer.read("proj/via-dir.yml").unwrap_err();
    assert!(matches!(e, KasInError::IncludeEscapes { .. }), "{e}");

    outer.write(
        "proj/missing.yml",
        "header:\n  version: 14\n  includes: [nothere.yml]\n",
    );
    let e = outer.read("proj/missing.yml").unwrap_err();
    assert!(matches!(e, KasInError::IncludeNotFound { .. }), "{e}");
}

#[test]
fn unknown_versions_are_refused() {
    for version in ["24", "0", "-1", "\"14\"", "0.10", "true", "[14]"] {
        let (e, _tree) = refused(&format!("header:\n  version: {version}\nfuture_key: 1\n"));
        assert!(matches!(e, KasInError::Version { .. }), "{version}: {e}");
    }
    let (e, _tree) = refused("header:\n  includes: []\n");
    assert!(matches!(e, KasInError::MissingKey { .. }), "{e}");
    let (e, _tree) = refused("machine: x\n");
    assert!(matches!(e, KasInError::MissingKey { .. }), "{e}");
    // The legacy string "0.10" is version 1.
    let tree = Tree::new();
    tree.write("old.yml", "header:\n  version: \"0.10\"\n");
    assert_eq!(tree.read("old.yml").unwrap().version, 1);
}

#[test]
fn wrong_types_are_refused() {
    for (text, key) in [
        ("machine: [1, 2]", "machine"),
        ("distro: 3", "distro"),
        ("machine: yes", "machine"),
        ("target: 5", "target"),
        ("target: [a, [b]]", "target[1]"),
        ("repos:\n  r:\n    url: 1\n    branch: b", "repos.r.url"),
        ("repos:\n  r:\n    branch: 2024-01-01", "repos.r.branch"),
        ("local_conf_header:\n  x: 1", "local_conf_header.x"),
        ("env:\n  X: [1]", "env.X"),
        ("repos:\n  r:\n    layers: [a]", "repos.r.layers"),
    ] {
        let (e, _tree) = refused(&format!("{HEADER}{text}\n"));
        match &e {
            KasInError::WrongType { key: k, .. } => assert_eq!(k, key, "{text}"),
            other => panic!("{text}: {other}"),
        }
    }
    let (e, _tree) = refused(&format!("{HEADER}machin: qemuarm\n"));
    assert!(matches!(e, KasInError::UnknownKey { .. }), "{e}");
    let (e, _tree) = refused(&format!(
        "{HEADER}repos:\n  r:\n    url: x\n    brnach: y\n"
    ));
    assert!(matches!(e, KasInError::UnknownKey { .. }), "{e}");
    let (e, _tree) = refused(&format!("{HEADER}build_system: cmake\n"));
    assert!(matches!(e, KasInError::NotAllowed { .. }), "{e}");
    let (e, _tree) = refused(&format!(
        "{HEADER}repos:\n  r:\n    layers:\n      m: {{prio: 100}}\n"
    ));
    assert!(matches!(e, KasInError::NotAllowed { .. }), "{e}");
    let (e, _tree) = refused(&format!("{HEADER}yes: 1\n"));
    assert!(matches!(e, KasInError::Key { .. }), "{e}");
    let (e, _tree) = refused("- header\n");
    assert!(matches!(e, KasInError::NotAMapping { .. }), "{e}");
    let (e, _tree) = refused("");
    assert!(matches!(e, KasInError::NotAMapping { .. }), "{e}");
}

#[test]
fn dangerous_urls_are_refused() {
    for url in [
        "\"ext::sh -c touch% /tmp/pwned\"",
        "fd::17",
        "\"-uhttps://x/y\"",
        "\"--upload-pack=touch /tmp/x\"",
        "ftp://example.com/x.git",
    ] {
        let (e, _tree) = refused(&format!(
            "{HEADER}repos:\n  r:\n    url: {url}\n    commit: {C1}\n"
        ));
        assert!(
            matches!(&e, KasInError::Url { key, .. } if key == "repos.r.url"),
            "{url}: {e}"
        );
    }
    // An override's URL is checked the same.
    let (e, _tree) = refused(&format!(
        "{HEADER}repos:\n  r:\n    url: https://ok.example/r.git\n    commit: {C1}\noverrides:\n  repos:\n    r:\n      url: \"ext::sh -c id\"\n"
    ));
    assert!(matches!(e, KasInError::Url { .. }), "{e}");
}

#[test]
fn names_and_paths_that_climb_out_are_refused() {
    let (e, _tree) = refused(&format!(
        "{HEADER}repos:\n  r:\n    url: https://x.example/r.git\n    branch: main\n    layers:\n      ../../etc:\n"
    ));
    assert!(
        matches!(
            &e,
            KasInError::Layer { source, .. } if matches!(**source, LayerError::SubdirEscapes { .. })
        ),
        "{e}"
    );
    let (e, _tree) = refused(&format!(
        "{HEADER}repos:\n  \"../evil\":\n    url: https://x.example/r.git\n    branch: main\n"
    ));
    assert!(
        matches!(
            &e,
            KasInError::Layer { source, .. } if matches!(**source, LayerError::BadName { .. })
        ),
        "{e}"
    );
    let (e, _tree) = refused(&format!(
        "{HEADER}repos:\n  r:\n    url: https://x.example/r.git\n    branch: \"--upload-pack=x\"\n"
    ));
    assert!(
        matches!(
            &e,
            KasInError::Layer { source, .. } if matches!(**source, LayerError::BadRef { .. })
        ),
        "{e}"
    );
}

#[test]
fn values_the_project_refuses_are_refused() {
    for (text, key) in [
        ("machine: \"qemu\\\"; rm -rf /\"", "machine"),
        ("distro: \"a b\"", "distro"),
        ("target: [\"core-image;reboot\"]", "target[0]"),
        ("target: a\ntask: \"x y\"", "task"),
    ] {
        let (e, _tree) = refused(&format!("{HEADER}{text}\n"));
        match &e {
            KasInError::Invalid { key: k, .. } => assert_eq!(k, key, "{text}"),
            other => panic!("{text}: {other}"),
        }
    }
}

#[test]
fn refs_kas_itself_refuses_are_refused() {
    let (e, _tree) = refused(&format!(
        "{HEADER}repos:\n  r:\n    url: https://x.example/r.git\n"
    ));
    assert!(
        matches!(
            e,
            KasInError::Repo {
                problem: RepoProblem::NoRef,
                ..
            }
        ),
        "{e}"
    );
    let (e, _tree) = refused(&format!(
        "{HEADER}repos:\n  r:\n    url: https://x.example/r.git\n    refspec: main\n    branch: main\n"
    ));
    assert!(
        matches!(
            e,
            KasInError::Repo {
                problem: RepoProblem::RefspecMixed,
                ..
            }
        ),
        "{e}"
    );
    let (e, _tree) = refused(&format!(
        "{HEADER}repos:\n  r:\n    url: https://x.example/r.git\n    commit: abc1234\n"
    ));
    assert!(matches!(e, KasInError::Commit { .. }), "{e}");
}

#[test]
fn non_utf8_tags_and_second_documents_are_refused() {
    let tree = Tree::new();
    let path = tree.path("bad.yml");
    std::fs::write(&path, b"header:\n  version: 14\nmachine: \xff\xfe\n").unwrap();
    let e = tree.read("bad.yml").unwrap_err();
    assert!(matches!(e, KasInError::Encoding { line: 3, .. }), "{e}");

    let (e, _tree) = refused(&format!("{HEADER}machine: !!python/object:os.system x\n"));
    assert!(matches!(e, KasInError::Tag { .. }), "{e}");
    let (e, _tree) = refused(&format!("{HEADER}machine: !!int x\n"));
    assert!(matches!(e, KasInError::Scalar { .. }), "{e}");
    let (e, _tree) = refused(&format!("{HEADER}---\n{HEADER}"));
    assert!(matches!(e, KasInError::Documents { .. }), "{e}");
    let (e, _tree) = refused(&format!("{HEADER}machine: [unclosed\n"));
    assert!(matches!(e, KasInError::Yaml { .. }), "{e}");
}

#[test]
fn what_is_not_a_kas_file_is_refused() {
    let tree = Tree::new();
    tree.write("x.txt", HEADER);
    assert!(matches!(
        tree.read("x.txt"),
        Err(KasInError::Extension { .. })
    ));
    std::fs::create_dir(tree.path("dir.yml")).unwrap();
    assert!(matches!(
        tree.read("dir.yml"),
        Err(KasInError::NotAFile { .. })
    ));
    // A named pipe is refused without waiting for a writer.
    let fifo = tree.path("pipe.yml");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if made.is_ok_and(|s| s.success()) {
        assert!(matches!(
            tree.read("pipe.yml"),
            Err(KasInError::NotAFile { .. })
        ));
    }
    assert!(matches!(
        tree.read("missing.yml"),
        Err(KasInError::Io { .. })
    ));
}
