//! `--json` output: one document, with the documented field names.

use serde_json::Value;

use super::Scratch;

fn keys(value: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = value
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    keys
}

#[test]
fn listings_and_shows_have_stable_fields() {
    let s = Scratch::new().with_demo();
    let owners = s.json(&["owner", "list"]);
    assert_eq!(
        keys(&owners[0]),
        ["admin", "client", "created_at", "email", "name"]
    );
    assert_eq!(owners[0]["client"], "cli:tester@testhost");
    assert_eq!(keys(&s.json(&["owner", "show"])), keys(&owners[0]));

    let projects = s.json(&["project", "list"]);
    assert_eq!(
        keys(&projects[0]),
        [
            "created_at",
            "dir",
            "group",
            "mode",
            "name",
            "owner",
            "release",
            "revision"
        ]
    );
    assert_eq!(s.json(&["project", "show", "demo"]), projects[0]);

    let change = s.json(&["config", "set", "demo", "IMAGE_FSTYPES", "ext4 wic"]);
    assert_eq!(
        keys(&change),
        [
            "author",
            "changed",
            "created_at",
            "description",
            "project",
            "restores",
            "revision",
            "warnings"
        ]
    );
    assert_eq!(
        (change["changed"].as_bool(), change["revision"].as_u64()),
        (Some(true), Some(2))
    );
    let same = s.json(&["config", "set", "demo", "IMAGE_FSTYPES", "ext4 wic"]);
    assert_eq!(
        (same["changed"].as_bool(), same["revision"].as_u64()),
        (Some(false), Some(2))
    );

    let config = s.json(&["config", "show", "demo"]);
    assert_eq!(
        keys(&config),
        [
            "author",
            "created_at",
            "description",
            "distro",
            "hooks",
            "layers",
            "machine",
            "packages",
            "project",
            "recipes",
            "restores",
            "revision",
            "targets",
            "variables"
        ]
    );
    assert_eq!(config["variables"]["IMAGE_FSTYPES"], "ext4 wic");
    assert_eq!(
        keys(&config["layers"][0]),
        ["commit", "name", "path", "ref", "source", "subdir", "url"]
    );
    assert_eq!(
        s.json(&["config", "show", "demo", "--revision", "1"])["variables"].get("IMAGE_FSTYPES"),
        None
    );

    let value = s.json(&["config", "get", "demo", "distro"]);
    assert_eq!(keys(&value), ["key", "project", "revision", "value"]);
    assert_eq!(value["value"], "poky");
    // An unset key: the document still says so (value null), with exit 1 (see everyday.rs).
    let unset = s.run(&["config", "get", "demo", "UNSET_THING", "--json"]);
    assert_eq!(unset.status.code(), Some(1));
    let unset: Value = serde_json::from_slice(&unset.stdout).expect("JSON output");
    assert_eq!(unset["value"], Value::Null);

    s.ok(&["group", "add", "team"]);
    let group = s.json(&["group", "add-member", "team", "alice"]);
    assert_eq!(keys(&group), ["created_at", "members", "name"]);
    assert_eq!(s.json(&["group", "list"])[0], group);
    let audit = s.json(&["audit", "--limit", "1"]);
    assert_eq!(
        keys(&audit[0]),
        ["action", "at", "client", "detail", "id", "owner", "project"]
    );
    assert_eq!(audit[0]["action"], "group.members");
    assert_eq!(
        keys(&s.json(&["project", "default-mode"])),
        ["default_mode"]
    );

    let deleted = s.json(&["project", "delete", "demo"]);
    assert_eq!(keys(&deleted), ["dir", "files_removed", "project"]);
}

#[test]
fn a_pinned_base_conflicts_in_scripts() {
    let s = Scratch::new().with_demo();
    s.ok(&["config", "set", "demo", "A", "1", "--base", "1"]);
    let err = s.fails(1, &["config", "set", "demo", "A", "2", "--base", "1"]);
    assert!(
        err.contains("changed meanwhile") && err.contains("revision 2 is the newest"),
        "{err}"
    );
    assert_eq!(s.json(&["config", "get", "demo", "A"])["value"], "1");
}

#[test]
fn owners_are_remembered_and_editable() {
    let s = Scratch::new().with_demo();
    s.ok(&["owner", "add", "bob"]);
    assert_eq!(s.json(&["owner", "show"])["name"], "alice");
    s.ok(&["owner", "use", "bob"]);
    assert_eq!(s.json(&["owner", "show"])["name"], "bob");
    let edited = s.json(&[
        "owner",
        "edit",
        "bob",
        "--name",
        "robert",
        "--email",
        "r@example.com",
    ]);
    assert_eq!(
        (edited["name"].as_str(), edited["email"].as_str()),
        (Some("robert"), Some("r@example.com"))
    );
    assert_eq!(
        s.json(&["owner", "show"])["name"],
        "robert",
        "the client follows the rename"
    );
    let out = s
        .command(&["owner", "show", "--json"])
        .env("TOASTER_OWNER", "alice")
        .output()
        .expect("run");
    let shown: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(
        shown["name"], "alice",
        "TOASTER_OWNER wins over the remembered owner"
    );
    let cleared = s.json(&["owner", "edit", "robert", "--email", ""]);
    assert_eq!(cleared["email"], Value::Null);
}

#[test]
fn clone_copies_configuration_and_history_starts_fresh() {
    let s = Scratch::new().with_demo();
    s.ok(&["config", "set", "demo", "machine", "qemuarm64"]);
    let clone = s.json(&["project", "clone", "demo", "copy"]);
    assert_eq!(clone["revision"], 1);
    assert_eq!(
        clone["warnings"],
        serde_json::json!([]),
        "no layer was fetched"
    );
    assert_eq!(
        s.json(&["config", "get", "copy", "machine"])["value"],
        "qemuarm64"
    );
    let history = s.json(&["project", "history", "copy"]);
    assert_eq!(history[0]["description"], "cloned from demo at revision 2");
    assert!(s.path().join("copy/.toaster-project").exists());
}

#[test]
fn reset_then_undo_restores_the_edited_configuration() {
    let s = Scratch::new().with_demo();
    s.ok(&["config", "set", "demo", "machine", "qemuarm64"]);
    s.ok(&["config", "add", "demo", "packages", "strace"]);
    let edited = s.json(&["config", "show", "demo"]);
    s.ok(&["project", "reset", "demo"]);
    assert_eq!(
        s.json(&["config", "get", "demo", "machine"])["value"],
        "qemux86-64"
    );
    s.ok(&["project", "undo", "demo"]);
    let restored = s.json(&["config", "show", "demo"]);
    for key in ["machine", "packages", "variables", "layers", "targets"] {
        assert_eq!(restored[key], edited[key], "{key}");
    }
}
