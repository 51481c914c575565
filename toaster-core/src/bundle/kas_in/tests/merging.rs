//! Includes, overrides and lock files merged as kas merges them.

use super::{C1, C2, C3, Tree, git, local, noted};
use crate::bundle::kas_in::node::{Node, Value};
use crate::bundle::kas_in::{loader, merge, schema};
use crate::model::Target;

const POKY: &str = "https://git.yoctoproject.org/poky";

/// A top file with a lock file and nested includes, each setting what the next overrides.
fn layered(tree: &Tree) {
    tree.write(
        "top.yml",
        &format!(
            r#"header:
  version: 14
  includes: [inc/a.yml, inc/b.yml]
distro: top
target: [top-image]
repos:
  poky: {{url: "{POKY}", branch: scarthgap, layers: {{meta: }}}}
  meta-x: {{url: "https://x.example/meta-x.git", tag: v1, layers: {{.: }}}}
  meta-y: {{url: "https://y.example/meta-y.git", branch: main}}
overrides:
  repos:
    meta-y: {{commit: {C3}}}
local_conf_header:
  shared: |
    A = "top"
"#
        ),
    );
    tree.write(
        "top.lock.yml",
        &format!(
            "header:\n  version: 14\noverrides:\n  repos:\n    poky:\n      commit: {C1}\n    meta-x:\n      commit: {C1}\n    meta-y:\n      commit: {C1}\n    gone:\n      commit: {C1}\n"
        ),
    );
    tree.write(
        "inc/a.yml",
        "header:\n  version: 12\n  includes: [inc/c.yml]\nmachine: from-a\ndistro: from-a\ntarget: [a1, a2]\nlocal_conf_header:\n  shared: |\n    A = \"a\"\n  only-a: |\n    B = \"a\"\n",
    );
    tree.write(
        "inc/c.yml",
        "header:\n  version: 2\nmachine: from-c\nrepos:\n  meta-c:\n    url: https://c.example/meta-c.git\n    branch: c\n",
    );
    tree.write(
        "inc/b.yml",
        &format!(
            "header:\n  version: 16\nmachine: from-b\noverrides:\n  repos:\n    meta-x:\n      commit: {C2}\n"
        ),
    );
}

#[test]
fn includes_lock_files_and_overrides_merge_in_kas_order() {
    let tree = Tree::new();
    layered(&tree);
    let import = tree.read("top.yml").unwrap();
    let config = &import.config;
    // Depth first: lock, c, a, b, then the file itself; later wins.
    assert_eq!(import.version, 16);
    assert_eq!(config.machine.as_deref(), Some("from-b"));
    assert_eq!(config.distro.as_deref(), Some("top"));
    assert_eq!(config.targets, vec![Target::parse("top-image").unwrap()]);
    assert_eq!(
        config.variables.get("A").and_then(|v| v.plain_value()),
        Some("top")
    );
    assert_eq!(
        config.variables.get("B").and_then(|v| v.plain_value()),
        Some("a")
    );
    // The lock pins poky; an include's override wins over the lock (meta-x), the file's
    // own over both (meta-y).
    assert_eq!(
        config.layers,
        vec![
            git("meta-c", "https://c.example/meta-c.git", "c", None, None),
            git(
                "meta-x",
                "https://x.example/meta-x.git",
                "v1",
                None,
                Some(C2)
            ),
            git(
                "meta-y",
                "https://y.example/meta-y.git",
                "main",
                None,
                Some(C3)
            ),
            git(
                "openembedded-core",
                POKY,
                "scarthgap",
                Some("meta"),
                Some(C1)
            ),
        ]
    );
    assert!(noted(&import, &["overrides.repos.gone", "ignored"]));
}

#[test]
fn includes_are_found_from_the_repository_top_then_beside() {
    let tree = Tree::repository();
    tree.write(
        "kas/inc/common.yml",
        "header:\n  version: 14\nmachine: from-top\n",
    );
    tree.write(
        "kas/inc/beside.yml",
        "header:\n  version: 14\ndistro: from-beside\n",
    );
    tree.write(
        "kas/main.yml",
        "header:\n  version: 14\n  includes:\n    - kas/inc/common.yml\n    - inc/beside.yml\nrepos:\n  this:\n",
    );
    let import = tree.read("kas/main.yml").unwrap();
    assert_eq!(import.config.machine.as_deref(), Some("from-top"));
    assert_eq!(import.config.distro.as_deref(), Some("from-beside"));
    // `this:` with nothing is the repository the kas file is in.
    assert_eq!(import.config.layers, vec![local("this", &tree.path(""))]);
}

#[test]
fn a_null_entry_in_a_later_file_empties_an_included_one() {
    let tree = Tree::new();
    tree.write(
        "inc.yml",
        "header:\n  version: 14\nrepos:\n  meta-foo:\n    url: https://f.example/meta-foo.git\n    branch: x\n",
    );
    tree.write(
        "top.yml",
        "header:\n  version: 14\n  includes: [inc.yml]\nrepos:\n  meta-foo:\n",
    );
    let import = tree.read("top.yml").unwrap();
    assert_eq!(
        import.config.layers,
        vec![local("meta-foo", &tree.path(""))]
    );
}

#[test]
fn defaults_refspec_and_cancelled_defaults() {
    let tree = Tree::new();
    tree.write(
        "d.yml",
        &format!(
            r#"header:
  version: 18
defaults:
  repos:
    branch: kirkstone
repos:
  poky:
    url: {POKY}
    layers: {{meta: }}
  old:
    url: https://o.example/old.git
    refspec: {C1}
    branch: null
  pinned:
    url: https://p.example/pinned.git
    branch: null
    commit: {C2}
overrides:
  repos:
    old:
      commit: {C3}
"#
        ),
    );
    let import = tree.read("d.yml").unwrap();
    assert_eq!(
        import.config.layers,
        vec![
            git("old", "https://o.example/old.git", C3, None, Some(C3)),
            git("pinned", "https://p.example/pinned.git", C2, None, Some(C2)),
            git("openembedded-core", POKY, "kirkstone", Some("meta"), None),
        ]
    );
}

/// The merged tree as JSON, as `kas dump --format json` prints it.
fn json(node: &Node) -> serde_json::Value {
    use serde_json::Value as J;
    match &node.value {
        Value::Null => J::Null,
        Value::Bool(b) => J::Bool(*b),
        Value::Int(n) => J::from(i64::try_from(*n).unwrap()),
        Value::Float | Value::Timestamp => panic!("not in these files"),
        Value::Str(s) => J::String(s.clone()),
        Value::Seq(items) => J::Array(items.iter().map(json).collect()),
        Value::Map(entries) => {
            J::Object(entries.iter().map(|(k, v)| (k.clone(), json(v))).collect())
        }
    }
}

/// The merge compared with kas's own (`kas dump`), when kas is installed in the project's
/// virtual environment. Only local repositories, so kas clones nothing.
#[test]
fn the_merge_matches_kas_dump() {
    let kas = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../.venv/bin/kas");
    if !kas.exists() {
        eprintln!("skipped: {} is not installed", kas.display());
        return;
    }
    let tree = Tree::new();
    layered(&tree);
    // Local repositories only: kas dump checks repositories out.
    tree.write(
        "top.yml",
        r#"header:
  version: 14
  includes: [inc/a.yml, inc/b.yml]
distro: top
target: [top-image]
repos:
  meta-local:
    path: layers/meta-local
    layers: {meta-one: , meta-two: {prio: 3}}
local_conf_header:
  shared: |
    A = "top"
env:
  X: "1"
"#,
    );
    std::fs::create_dir_all(tree.path("layers/meta-local")).unwrap();
    std::fs::write(
        tree.path("inc/c.yml"),
        "header:\n  version: 2\nmachine: from-c\nrepos:\n  meta-c:\n    path: layers/meta-c\n",
    )
    .unwrap();
    std::fs::create_dir_all(tree.path("layers/meta-c")).unwrap();
    assert_eq!(ours(&tree, "top.yml"), theirs(&kas, &tree, "top.yml"));

    // YAML as PyYAML reads it: anchors, aliases, `<<` merge keys, YAML 1.1 scalars.
    tree.write(
        "yaml.yml",
        r#"header:
  version: 14
local_conf_header:
  base: &base |
    A = "1"
  copy: *base
repos:
  meta-a: &repo
    path: layers/meta-c
    layers: {meta-one: , meta-two: no, meta-three: {prio: 0x10}}
  meta-b:
    <<: [*repo, {name: other}]
    path: layers/meta-local
menu_configuration:
  X: yes
  Y: 010
  Z: "010"
  W: 1:30
"#,
    );
    assert_eq!(ours(&tree, "yaml.yml"), theirs(&kas, &tree, "yaml.yml"));
}

/// The merge of `file` by this reader, as `kas dump` prints it.
fn ours(tree: &Tree, file: &str) -> serde_json::Value {
    let loaded = loader::load(&tree.path(file)).unwrap();
    let version = loaded.trees.iter().map(schema::version).max().unwrap();
    let merged = merge::merge_all(loaded.trees).unwrap();
    let mut ours = json(&merged);
    ours["header"] = serde_json::json!({ "version": version });
    ours
}

/// `kas dump --format json FILE`.
fn theirs(kas: &std::path::Path, tree: &Tree, file: &str) -> serde_json::Value {
    let out = std::process::Command::new(kas)
        .args(["dump", "--format", "json"])
        .arg(tree.path(file))
        .current_dir(tree.path(""))
        .env("KAS_WORK_DIR", tree.path(""))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "kas dump failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}
