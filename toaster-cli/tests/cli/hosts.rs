//! `toaster host …` and `build start --host`: a host's settings kept and refused as the
//! library checks them, hosts listed as their runners registered.

use super::Scratch;

#[test]
fn host_settings_are_set_shown_and_unset() {
    let s = Scratch::new().with_demo();
    let set = s.ok(&[
        "host",
        "set",
        "bh1",
        "DL_DIR",
        "/srv/dl",
        "SSTATE_DIR",
        "/srv/sstate",
    ]);
    assert!(
        set.contains("settings of bh1") && set.contains("DL_DIR = /srv/dl"),
        "{set}"
    );
    let shown = s.json(&["host", "show", "bh1"]);
    assert_eq!(shown["state"], "unknown");
    assert_eq!(shown["settings"]["SSTATE_DIR"], "/srv/sstate");

    let err = s.fails(1, &["host", "set", "bh1", "MACHINE", "qemuarm"]);
    assert!(
        err.contains("MACHINE is a managed variable, not a host setting"),
        "{err}"
    );
    assert!(err.contains("hint: set it on the projects"), "{err}");
    let err = s.fails(1, &["host", "set", "bh1", "BB_NUMBER_THREADS", "lots"]);
    assert!(err.contains("not a whole number"), "{err}");
    let err = s.fails(2, &["host", "set", "bh1", "DL_DIR", "/a", "SSTATE_DIR"]);
    assert!(err.contains("`SSTATE_DIR` has no value"), "{err}");
    // Nothing of the refused changes was written.
    assert_eq!(
        s.json(&["host", "show", "bh1"])["settings"],
        shown["settings"]
    );

    let unset = s.json(&["host", "unset", "bh1", "DL_DIR"]);
    assert_eq!(unset, serde_json::json!({"SSTATE_DIR": "/srv/sstate"}));
    assert!(s.ok(&["audit"]).contains("bh1: DL_DIR unset"));
    assert!(s.ok(&["host", "list"]).contains("no build host"));
}

#[test]
fn a_build_pinned_to_a_host_waits_for_a_runner_there() {
    let s = Scratch::new().with_demo();
    s.ok(&["config", "set", "demo", "targets", "core-image-minimal"]);
    let queued = s.ok(&["build", "start", "demo", "--host", "bh2"]);
    assert!(
        queued.contains("queued: a runner on bh2 takes it"),
        "{queued}"
    );
    let listed = s.json(&["build", "list"]);
    assert_eq!(listed[0]["state"], "queued");
    let err = s.fails(2, &["build", "start", "demo", "--host", "bh2", "--wait"]);
    assert!(err.contains("cannot be used with"), "{err}");
}
