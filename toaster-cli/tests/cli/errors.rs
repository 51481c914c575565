//! Bad input: each gets a clear error and an exit code, and leaves the data as it was.

use std::fs;

use super::Scratch;

#[test]
fn unknown_project_owner_and_revision() {
    let s = Scratch::new().with_demo();
    let before = s.state();
    let err = s.fails(1, &["project", "show", "nope"]);
    assert!(
        err.contains("no project named `nope`") && err.contains("hint: `toaster project list`"),
        "{err}"
    );
    let err = s.fails(1, &["--as", "mallory", "project", "list"]);
    assert!(
        err.contains("no owner named `mallory`") && err.contains("toaster owner add"),
        "{err}"
    );
    let err = s.fails(1, &["project", "revert", "demo", "--to", "9"]);
    assert!(
        err.contains("has no revision 9: its revisions are 1 to 1"),
        "{err}"
    );
    let err = s.fails(1, &["owner", "use", "nobody"]);
    assert!(err.contains("no owner named `nobody`"), "{err}");
    let err = s.fails(1, &["build", "show", "1"]);
    assert!(
        err.contains("no build named `1`") && err.contains("hint: `toaster build list --all`"),
        "{err}"
    );
    assert_eq!(s.state(), before);
}

#[test]
fn no_chosen_owner_says_how_to_choose() {
    let s = Scratch::new().with_demo();
    let out = s
        .command(&["project", "list"])
        .env("TOASTER_CLIENT", "cli:someone-else@elsewhere")
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("no owner is chosen") && stderr.contains("toaster owner use NAME"),
        "{stderr}"
    );
}

#[test]
fn duplicate_names_are_refused_without_regard_to_case() {
    let s = Scratch::new().with_demo();
    let before = s.state();
    let err = s.fails(1, &["owner", "add", "ALICE"]);
    assert!(err.contains("owner `ALICE` already exists"), "{err}");
    let err = s.fails(1, &["project", "create", "Demo", "--dir", "./other"]);
    assert!(err.contains("project `Demo` already exists"), "{err}");
    assert!(
        !s.path().join("other").exists(),
        "no directory made for a refused project"
    );
    let err = s.fails(1, &["project", "clone", "demo", "DEMO"]);
    assert!(err.contains("already exists"), "{err}");
    assert_eq!(s.state(), before);
}

#[test]
fn empty_and_absurd_names_are_refused() {
    let s = Scratch::new().with_demo();
    let before = s.state();
    let long = "x".repeat(65);
    for name in ["", "../escape", "-rf", "a b", "semi;colon", "ünï", &long] {
        let err = s.fails(1, &["project", "create", "--dir", "./fresh", "--", name]);
        assert!(err.contains("invalid project name"), "{name:?}: {err}");
        assert!(err.contains("letters, digits"), "{err}");
        let err = s.fails(1, &["owner", "add", "--", name]);
        assert!(err.contains("invalid owner name"), "{name:?}: {err}");
    }
    assert!(!s.path().join("fresh").exists());
    assert_eq!(s.state(), before);
}

#[test]
fn bad_values_and_keys_change_nothing() {
    let s = Scratch::new().with_demo();
    let before = s.state();
    for (args, says) in [
        (
            vec!["config", "set", "demo", "machine", "qemu arm"],
            "invalid machine",
        ),
        (
            vec!["config", "set", "demo", "EXTRA", "a\nINHERIT += \"x\""],
            "control character",
        ),
        (
            vec!["config", "set", "demo", "BAD NAME", "x"],
            "invalid configuration key",
        ),
        (vec!["config", "set", "demo", "BBLAYERS", "x"], "layer"),
        (
            vec!["config", "add", "demo", "machine", "x"],
            "holds one value",
        ),
        (
            vec!["config", "set", "demo", "targets", "a:b:c"],
            "invalid target",
        ),
        (
            vec!["project", "create", "r", "--release", "5.0"],
            "`scarthgap`",
        ),
        (
            vec!["owner", "edit", "alice", "--email", "not-an-address"],
            "invalid e-mail",
        ),
        (vec!["project", "undo", "demo"], "nothing to undo"),
    ] {
        let err = s.fails(1, &args);
        assert!(err.contains(says), "{args:?}: {err}");
    }
    assert_eq!(s.state(), before);
}

#[test]
fn an_existing_non_empty_directory_is_refused() {
    let s = Scratch::new().with_demo();
    let dir = s.path().join("busy");
    fs::create_dir(&dir).expect("mkdir");
    fs::write(dir.join("local.conf"), "MACHINE = \"x\"\n").expect("write");
    let err = s.fails(1, &["project", "create", "busy", "--dir", "busy"]);
    assert!(
        err.contains("exists and is not empty") && err.contains("--dir"),
        "{err}"
    );
    assert_eq!(
        fs::read_dir(&dir).expect("read").count(),
        1,
        "nothing written into it"
    );
    // An empty existing directory is fine.
    fs::create_dir(s.path().join("empty")).expect("mkdir");
    s.ok(&["project", "create", "empty", "--dir", "empty"]);
}

#[test]
fn a_file_that_is_not_a_database() {
    let s = Scratch::new();
    let text = "just some notes\n".repeat(100);
    fs::write(s.db(), &text).expect("write");
    for args in [&["project", "list"][..], &["owner", "add", "alice"][..]] {
        let err = s.fails(1, args);
        assert!(
            err.contains("is not a Toaster database") && err.contains("hint:"),
            "{err}"
        );
    }
    assert_eq!(fs::read_to_string(s.db()).expect("read"), text);
}

#[test]
fn a_missing_database_is_created_only_by_owner_add() {
    let s = Scratch::new();
    let err = s.fails(1, &["project", "list"]);
    assert!(
        err.contains("there is no Toaster database") && err.contains("owner add"),
        "{err}"
    );
    assert!(!s.db().exists());
    let out = s.run(&["owner", "add", "alice"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("created the database"));
    assert!(s.db().exists());
}

#[test]
fn a_database_from_a_newer_toaster_is_refused() {
    let s = Scratch::new().with_demo();
    // Bump the schema version the way a newer Toaster would: SQLite keeps user_version at
    // byte offset 60 of the header, big-endian.
    drop(s.ok(&["project", "list"]));
    let mut bytes = fs::read(s.db()).expect("read");
    let version = u32::from_be_bytes([bytes[60], bytes[61], bytes[62], bytes[63]]);
    assert!(version >= 1, "the database has a schema version");
    bytes[60..64].copy_from_slice(&(version + 50).to_be_bytes());
    fs::write(s.db(), &bytes).expect("write");
    let err = s.fails(1, &["project", "list"]);
    assert!(
        err.contains("newer than the") && err.contains("use the newer Toaster"),
        "{err}"
    );
    assert_eq!(
        fs::read(s.db()).expect("read"),
        bytes,
        "the newer database is left alone"
    );
}

#[test]
fn delete_files_refuses_a_directory_not_made_for_the_project() {
    let s = Scratch::new().with_demo();
    let demo = s.path().join("demo");
    fs::write(demo.join(".toaster-project"), "project = other\n").expect("write");
    fs::write(demo.join("precious"), "keep me").expect("write");
    let before = s.state();
    let err = s.fails(1, &["project", "delete", "demo", "--files"]);
    assert!(
        err.contains("does not look like the directory") && err.contains("nothing was deleted"),
        "{err}"
    );
    assert_eq!(s.state(), before);
    assert!(demo.join("precious").exists());
}

#[test]
fn delete_files_keeps_shared_caches_outside_the_project() {
    let s = Scratch::new().with_demo();
    let shared = s.path().join("sstate-cache");
    fs::create_dir(&shared).expect("mkdir");
    fs::write(shared.join("object"), "shared").expect("write");
    std::os::unix::fs::symlink(&shared, s.path().join("demo/sstate-cache")).expect("symlink");
    s.ok(&["project", "create", "keep", "--dir", "keep"]);
    let out = s.ok(&["project", "delete", "demo", "--files"]);
    assert!(out.contains("deleted project demo"), "{out}");
    assert!(!s.path().join("demo").exists());
    assert_eq!(
        fs::read_to_string(shared.join("object")).expect("read"),
        "shared"
    );
    assert!(s.path().join("keep/.toaster-project").exists());
    s.fails(1, &["project", "show", "demo"]);
}

#[test]
fn usage_errors_exit_2_and_help_documents_exit_codes() {
    let s = Scratch::new();
    s.fails(2, &["project", "frobnicate"]);
    s.fails(2, &["project", "revert", "demo", "--to", "minus-one"]);
    let help = s.ok(&["--help"]);
    for needle in [
        "Exit codes:",
        "1  user error",
        "2  usage error",
        "3  internal error",
        "4  busy",
        "TOASTER_OWNER",
    ] {
        assert!(help.contains(needle), "help lacks {needle:?}:\n{help}");
    }
}
