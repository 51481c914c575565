//! Everyday use (issue 20): `--json` errors, `config get` of an unset key, values that
//! start with `-`, and undo descriptions that do not nest.

use serde_json::Value;

use super::Scratch;

/// Runs a command that must fail with `code` and print one JSON document; returns it and
/// the standard error.
fn json_failure(s: &Scratch, code: i32, args: &[&str]) -> (Value, String) {
    let out = s.run(args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(code), "toaster {args:?}: {stderr}");
    let doc = serde_json::from_slice(&out.stdout).expect("one JSON document on stdout");
    (doc, stderr)
}

#[test]
fn json_errors_are_one_document_on_stdout_and_text_on_stderr() {
    let s = Scratch::new().with_demo();
    let (doc, stderr) = json_failure(&s, 1, &["project", "show", "nope", "--json"]);
    assert_eq!(doc["error"], "no project named `nope`");
    assert_eq!(doc["kind"], "not_found");
    assert!(
        doc["hint"]
            .as_str()
            .expect("hint")
            .contains("toaster project list")
    );
    assert_eq!(doc["exit_code"], 1);
    assert!(
        stderr.contains("error: no project named `nope`"),
        "{stderr}"
    );

    let (doc, _) = json_failure(&s, 1, &["--json", "owner", "add", "ALICE"]);
    assert_eq!(doc["kind"], "already_exists");
    let (doc, _) = json_failure(
        &s,
        1,
        &["config", "set", "demo", "PARALLEL_MAKE", "-j 0", "--json"],
    );
    assert_eq!(doc["kind"], "invalid");

    // Usage errors found by clap, and the one found after it.
    let (doc, stderr) = json_failure(&s, 2, &["project", "bogus", "--json"]);
    assert_eq!(doc["kind"], "usage");
    assert_eq!(doc["exit_code"], 2);
    assert!(
        doc["error"].as_str().expect("error").contains("bogus"),
        "{doc}"
    );
    assert!(stderr.contains("Usage:"), "{stderr}");
    let (doc, _) = json_failure(
        &s,
        2,
        &[
            "config",
            "add",
            "demo",
            "EXTRA_OEMAKE",
            "-k",
            "--strict",
            "--json",
        ],
    );
    assert_eq!(doc["kind"], "usage");

    // Without --json, nothing on stdout as before.
    s.fails(1, &["project", "show", "nope"]);
    s.fails(2, &["project", "bogus"]);
}

#[test]
fn config_get_of_an_unset_key_fails() {
    let s = Scratch::new().with_demo();
    let err = s.fails(1, &["config", "get", "demo", "UNSET_THING"]);
    assert!(
        err.contains("`UNSET_THING` is not set in project demo")
            && err.contains("toaster config show demo"),
        "{err}"
    );
    let (doc, _) = json_failure(&s, 1, &["config", "get", "demo", "UNSET_THING", "--json"]);
    assert_eq!(doc["value"], Value::Null);
    assert_eq!(doc["key"], "UNSET_THING");
    assert_eq!(doc["project"], "demo");
    assert_eq!(s.ok(&["config", "get", "demo", "distro"]), "poky\n");
}

#[test]
fn values_and_words_may_start_with_a_hyphen() {
    let s = Scratch::new().with_demo();
    s.ok(&["config", "set", "demo", "PARALLEL_MAKE", "-j 16"]);
    assert_eq!(s.ok(&["config", "get", "demo", "PARALLEL_MAKE"]), "-j 16\n");
    s.ok(&["config", "add", "demo", "EXTRA_OEMAKE", "-k"]);
    s.ok(&["config", "add", "demo", "EXTRA_OEMAKE", "-s", "V=1"]);
    // A list is extended, never replaced: `EXTRA_OEMAKE:append = " -k -s V=1"`.
    assert_eq!(
        s.ok(&["config", "get", "demo", "EXTRA_OEMAKE:append"]),
        " -k -s V=1\n"
    );
    s.ok(&["config", "remove", "demo", "EXTRA_OEMAKE", "-s"]);
    assert_eq!(
        s.ok(&["config", "get", "demo", "EXTRA_OEMAKE:append"]),
        " -k V=1\n"
    );

    // Flags before the values still work, and after a single value too.
    let err = s.fails(
        1,
        &[
            "config",
            "set",
            "--base",
            "1",
            "demo",
            "PARALLEL_MAKE",
            "-j 8",
        ],
    );
    assert!(err.contains("changed meanwhile"), "{err}");
    let err = s.fails(
        1,
        &["config", "add", "--strict", "demo", "EXTRA_OEMAKEX", "-k"],
    );
    assert!(err.contains("not a variable Toaster knows"), "{err}");
    let err = s.fails(1, &["config", "set", "demo", "NOT_KNOWN", "-x", "--strict"]);
    assert!(err.contains("not a variable Toaster knows"), "{err}");
    // After words, a flag would be taken as a word: refused, nothing changed.
    let before = s.state();
    let err = s.fails(
        2,
        &["config", "add", "demo", "EXTRA_OEMAKE", "-j", "--strict"],
    );
    assert!(err.contains("put options (--base, --strict"), "{err}");
    s.fails(
        2,
        &[
            "config",
            "remove",
            "demo",
            "EXTRA_OEMAKE",
            "-k",
            "--as=alice",
        ],
    );
    assert_eq!(s.state(), before);
}

#[test]
fn undo_descriptions_do_not_nest() {
    let s = Scratch::new().with_demo();
    s.ok(&["config", "set", "demo", "machine", "qemuarm64"]);
    s.ok(&["config", "set", "demo", "machine", "qemux86-64"]);
    s.ok(&["project", "undo", "demo"]); // 4: back to 2
    s.ok(&["project", "undo", "demo"]); // 5: back to 1
    s.ok(&["project", "revert", "demo", "--to", "4"]); // 6: back to 4, which is 2
    s.ok(&["project", "undo", "demo"]); // 7: undo 2, back to 1
    let history = s.json(&["project", "history", "demo"]);
    let described: Vec<&str> = history
        .as_array()
        .expect("list")
        .iter()
        .map(|r| r["description"].as_str().expect("description"))
        .collect();
    assert_eq!(
        described[3..],
        [
            "undo revision 3: back to revision 2 (set machine = \"qemuarm64\")",
            "undo revision 2: back to revision 1 (created with the scarthgap defaults)",
            "revert to revision 4 (revision 2: set machine = \"qemuarm64\")",
            "undo revision 2: back to revision 1 (created with the scarthgap defaults)",
        ],
        "{described:?}"
    );
}

#[test]
fn history_is_paged_and_a_revision_shows_what_it_changed() {
    let s = Scratch::new().with_demo();
    s.ok(&["config", "set", "demo", "machine", "qemuarm64"]);
    s.ok(&["config", "set", "demo", "GREETING", "hello"]);
    s.ok(&["config", "set", "demo", "GREETING", "hello, world"]);
    let all = s.json(&["project", "history", "demo"]);
    let newest = all.as_array().expect("list").len();
    let two = s.json(&["project", "history", "demo", "--limit", "2"]);
    let numbers: Vec<i64> = two
        .as_array()
        .expect("list")
        .iter()
        .map(|r| r["revision"].as_i64().expect("number"))
        .collect();
    assert_eq!(numbers, [newest as i64 - 1, newest as i64]);
    let future = s.json(&["project", "history", "demo", "--since", "2999-01-01"]);
    assert_eq!(future, serde_json::json!([]));
    let recent = s.json(&["project", "history", "demo", "--since", "1h"]);
    assert_eq!(recent.as_array().map(Vec::len), Some(newest));

    let last = newest.to_string();
    let text = s.ok(&["project", "diff", "demo", &last]);
    assert!(
        text.contains("- GREETING = hello\n+ GREETING = hello, world"),
        "{text}"
    );
    let diff = s.json(&["project", "diff", "demo", "1", &last]);
    let keys: Vec<&str> = diff["differences"]
        .as_array()
        .expect("list")
        .iter()
        .map(|d| d["key"].as_str().expect("key"))
        .collect();
    assert_eq!(keys, ["machine", "GREETING"]);
    let err = s.fails(1, &["project", "diff", "demo", "99"]);
    assert!(err.contains("has no revision 99"), "{err}");
}
