//! Groups, permissions and the audit log through the command line.

use super::Scratch;

#[test]
fn non_admins_cannot_manage_owners_or_groups_and_nothing_changes() {
    let s = Scratch::new().with_demo();
    s.ok(&["owner", "add", "bob"]);
    s.ok(&["group", "add", "team"]);
    let before = s.state();
    for args in [
        &["--as", "bob", "owner", "add", "mallory"][..],
        &["--as", "bob", "owner", "grant-admin", "bob"][..],
        &["--as", "bob", "group", "add", "cabal"][..],
        &["--as", "bob", "group", "add-member", "team", "bob"][..],
        &["--as", "bob", "project", "default-mode", "others=rcbd"][..],
        &["--as", "bob", "project", "chmod", "demo", "others=r"][..],
    ] {
        let err = s.fails(1, args);
        assert!(
            err.contains("owner `bob` may not") && err.contains("hint:"),
            "{args:?}: {err}"
        );
    }
    assert_eq!(s.state(), before);
}

#[test]
fn bad_access_input_gets_clear_errors() {
    let s = Scratch::new().with_demo();
    s.ok(&["owner", "add", "bob"]);
    let before = s.state();
    for (args, says) in [
        (
            &["project", "chmod", "demo", "owner=rwx"][..],
            "`w` in `owner` is not a right",
        ),
        (&["project", "chmod", "demo", "group=c"][..], "without `r`"),
        (
            &["project", "chmod", "demo", "world=r"][..],
            "is not `owner`, `group` or `others`",
        ),
        (
            &["project", "chgrp", "demo", "nosuch"][..],
            "no group named `nosuch`",
        ),
        (
            &["project", "chown", "demo", "nobody"][..],
            "no owner named `nobody`",
        ),
        (
            &["group", "add-member", "nosuch", "bob"][..],
            "no group named `nosuch`",
        ),
        (&["owner", "revoke-admin", "alice"][..], "last admin"),
        (&["audit", "--since", "last tuesday"][..], "invalid time"),
    ] {
        let err = s.fails(1, args);
        assert!(err.contains(says), "{args:?}: {err}");
    }
    s.fails(2, &["project", "chgrp", "demo"]);
    s.fails(2, &["project", "chgrp", "demo", "team", "--none"]);
    assert_eq!(s.state(), before);
}

#[test]
fn the_audit_log_keeps_a_deleted_projects_entries_and_filters() {
    let s = Scratch::new().with_demo();
    s.ok(&["config", "set", "demo", "machine", "qemuarm"]);
    s.ok(&["project", "delete", "demo", "--files"]);
    let entries = s.json(&["audit", "--project", "demo"]);
    let actions: Vec<&str> = entries
        .as_array()
        .expect("list")
        .iter()
        .map(|e| e["action"].as_str().expect("action"))
        .collect();
    assert_eq!(
        actions,
        ["project.delete", "config.change", "project.create"]
    );
    assert!(
        entries
            .as_array()
            .expect("list")
            .iter()
            .all(|e| e["owner"] == "alice" && e["client"] == "cli:tester@testhost")
    );
    assert_eq!(
        s.json(&["audit", "--owner", "nobody"])
            .as_array()
            .expect("list")
            .len(),
        0
    );
    assert_eq!(
        s.json(&["audit", "--since", "1h"])
            .as_array()
            .expect("list")
            .len(),
        4
    );
    assert_eq!(
        s.json(&["audit", "--since", "2999-01-01"])
            .as_array()
            .expect("list")
            .len(),
        0
    );
}
