//! The new user's session, compared with a reviewed transcript (`tests/golden/*.txt`).
//! Run with UPDATE_GOLDEN=1 to rewrite the transcript, then review the diff.

use super::Scratch;

pub(super) fn transcript(scratch: &Scratch, sessions: &[&[&str]]) -> String {
    let mut text = String::new();
    for args in sessions {
        let out = scratch.run(args);
        text.push_str(&format!("$ toaster {}\n", args.join(" ")));
        text.push_str(&String::from_utf8_lossy(&out.stdout));
        text.push_str(&String::from_utf8_lossy(&out.stderr));
        if !out.status.success() {
            text.push_str(&format!("[exit {}]\n", out.status.code().unwrap_or(-1)));
        }
    }
    normalise(&text, scratch)
}

/// Replaces what changes from run to run: the scratch path and timestamps.
pub(super) fn normalise(text: &str, scratch: &Scratch) -> String {
    let root = scratch.path().canonicalize().expect("canonical scratch");
    let text = text.replace(&root.display().to_string(), "$TMP");
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        // An RFC 3339 timestamp is 24 characters: 2026-11-27T07:51:16.875Z
        let candidate: String = chars[i..chars.len().min(i + 24)].iter().collect();
        if candidate.len() == 24 && is_timestamp(&candidate) {
            out.push_str("YYYY-MM-DDTHH:MM:SS.mmmZ");
            i += 24;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 24
        && b[4] == b'-'
        && b[10] == b'T'
        && b[23] == b'Z'
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            10 => *c == b'T',
            13 | 16 => *c == b':',
            19 => *c == b'.',
            23 => *c == b'Z',
            _ => c.is_ascii_digit(),
        })
}

pub(super) fn check(name: &str, actual: &str) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).expect("write golden file");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        expected == actual,
        "output differs from {}; rerun with UPDATE_GOLDEN=1 and review the diff\n--- actual ---\n{actual}",
        path.display()
    );
}

#[test]
fn a_new_users_first_session() {
    let scratch = Scratch::new();
    let text = transcript(
        &scratch,
        &[
            &["project", "list"],
            &["owner", "add", "alice", "--email", "a@example.com"],
            &[
                "--as",
                "alice",
                "project",
                "create",
                "demo",
                "--dir",
                "./demo",
                "--release",
                "scarthgap",
            ],
            &["config", "set", "demo", "IMAGE_FSTYPES", "ext4 wic"],
            &["config", "set", "demo", "machine", "qemuarm64"],
            &[
                "config",
                "add",
                "demo",
                "targets",
                "core-image-minimal",
                "core-image-sato:populate_sdk",
            ],
            &["config", "set", "demo", "MACHINE", "qemu\"arm"],
            &["project", "history", "demo"],
            &["project", "undo", "demo"],
            &["config", "get", "demo", "machine"],
            &["config", "show", "demo"],
            &["project", "list"],
            &["owner", "list"],
        ],
    );
    check("new_user.txt", &text);
}

#[test]
fn history_json_is_stable() {
    let scratch = Scratch::new().with_demo();
    scratch.ok(&["config", "set", "demo", "IMAGE_FSTYPES", "ext4 wic"]);
    scratch.ok(&["project", "undo", "demo"]);
    let text = transcript(&scratch, &[&["project", "history", "demo", "--json"]]);
    check("history.json.txt", &text);
}

#[test]
fn two_owners_share_a_project_through_a_group_while_a_third_sees_nothing() {
    let scratch = Scratch::new();
    let text = transcript(
        &scratch,
        &[
            &["owner", "add", "alice"],
            &["owner", "add", "bob"],
            &["owner", "add", "carol"],
            &["group", "add", "acme"],
            &["group", "add-member", "acme", "alice"],
            &["group", "add-member", "acme", "bob"],
            &["project", "create", "product", "--group", "acme"],
            &["project", "chmod", "product", "group=rcb"],
            &["project", "create", "experiment"],
            &["--as", "bob", "project", "list"],
            &[
                "--as",
                "bob",
                "config",
                "set",
                "product",
                "machine",
                "qemuarm64",
            ],
            &["--as", "bob", "config", "show", "experiment"],
            &["--as", "carol", "project", "list"],
            &["--as", "carol", "config", "show", "product"],
            &["--as", "carol", "project", "delete", "product"],
            &["--as", "bob", "project", "chmod", "product", "others=r"],
            &["project", "list"],
            &["audit", "--project", "product"],
        ],
    );
    check("sharing.txt", &text);
}

#[test]
fn generated_conf_files_are_stable() {
    let scratch = Scratch::new().with_demo();
    let mut text = transcript(
        &scratch,
        &[
            &["config", "set", "demo", "IMAGE_FSTYPES", "exr4 wic"],
            &["config", "set", "demo", "IMAGE_FSTYPES", "ext4 wic.bmap"],
            &["config", "set", "demo", "MACHNIE", "qemuarm"],
            &["config", "set", "demo", "BB_NUMBER_THREADS", "8"],
            &[
                "config",
                "set",
                "demo",
                "EXTRA_VALUE",
                "say \"hi\" to ${USER}",
            ],
            &["config", "add", "demo", "packages", "strace", "gdb"],
            &["conf", "write", "demo"],
        ],
    );
    for name in [
        "local.conf",
        "bblayers.conf",
        "toaster.conf",
        "toaster-host.conf",
        "toaster-bblayers.conf",
    ] {
        let path = scratch.path().join("demo/build/conf").join(name);
        text.push_str(&format!("--- demo/build/conf/{name}\n"));
        text.push_str(&std::fs::read_to_string(path).expect("generated file"));
    }
    check("conf_files.txt", &normalise(&text, &scratch));
}
