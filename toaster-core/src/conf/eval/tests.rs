//! Evaluating real files: what errors quote, and which paths an include may read.

use std::path::{Path, PathBuf};

use super::*;

/// A file outside the tree read, whose first line must never reach an error message.
const SECRET: &str = "SECRET-LINE hunter2:$6$salt$hash:19000::::::\nroot:x:0:0\n";

fn write(path: &Path, text: &str) -> PathBuf {
    std::fs::write(path, text).unwrap();
    path.to_owned()
}

fn message(e: &ConfError) -> String {
    format!("{e} {}", e.hint().unwrap_or_default())
}

#[test]
fn an_included_file_the_user_did_not_name_is_never_quoted() {
    let outside = tempfile::tempdir().unwrap();
    let secret = write(&outside.path().join("shadow"), SECRET);
    let tree = tempfile::tempdir().unwrap();
    for keyword in ["include", "require"] {
        let conf = write(
            &tree.path().join("local.conf"),
            &format!("A = \"1\"\n{keyword} {}\n", secret.display()),
        );
        let err = evaluate(&[conf]).unwrap_err();
        let shown = message(&err);
        assert!(
            shown.contains(&format!("{}:1: ", secret.display())),
            "{shown}"
        );
        for leak in ["SECRET", "hunter2", "salt", "root"] {
            assert!(!shown.contains(leak), "{keyword}: {shown}");
        }
    }
}

#[test]
fn a_named_file_is_quoted_by_its_offending_token_only() {
    let tree = tempfile::tempdir().unwrap();
    let conf = write(&tree.path().join("mine.conf"), SECRET);
    let shown = message(&evaluate(&[conf]).unwrap_err());
    assert!(shown.contains("mine.conf:1: "), "{shown}");
    assert!(shown.contains("`SECRET-LINE`"), "{shown}");
    assert!(!shown.contains("hunter2"), "{shown}");

    let long = format!("{} = oops\n", "N".repeat(200));
    let conf = write(&tree.path().join("long.conf"), &long);
    let shown = message(&evaluate(&[conf]).unwrap_err());
    assert!(shown.contains("NNNN") && shown.contains('…'), "{shown}");
    assert!(!shown.contains(&"N".repeat(100)), "{shown}");
}

#[test]
fn require_of_something_not_a_regular_file_says_so() {
    let tree = tempfile::tempdir().unwrap();
    std::fs::create_dir(tree.path().join("adir")).unwrap();
    for (wanted, found) in [("/dev/urandom", "character device"), ("adir", "directory")] {
        let conf = write(
            &tree.path().join("local.conf"),
            &format!("require {wanted}\n"),
        );
        let shown = message(&evaluate(&[conf]).unwrap_err());
        assert!(shown.contains("not a regular file"), "{shown}");
        assert!(shown.contains(found), "{shown}");
        assert!(!shown.contains("does not exist"), "{shown}");
    }
}

#[test]
fn a_directory_or_a_device_given_as_a_conf_file_is_refused_as_such() {
    let tree = tempfile::tempdir().unwrap();
    for (path, found) in [
        (tree.path().to_owned(), "directory"),
        (PathBuf::from("/dev/null"), "character device"),
    ] {
        let err = evaluate(&[path]).unwrap_err();
        assert!(!matches!(err, ConfError::Io { .. }), "{err:?}");
        let shown = message(&err);
        assert!(
            shown.contains(found) && shown.contains("not a regular file"),
            "{shown}"
        );
    }
}

#[test]
fn a_file_over_the_limit_is_reported_with_its_real_size() {
    let tree = tempfile::tempdir().unwrap();
    let big = tree.path().join("big.conf");
    let file = std::fs::File::create(&big).unwrap();
    file.set_len(100_000_000).unwrap();
    let shown = message(&evaluate(&[big]).unwrap_err());
    assert!(shown.contains("is 100000000 bytes"), "{shown}");
    assert!(
        shown.contains(&format!("limit of {MAX_SIZE_TEXT} bytes")),
        "{shown}"
    );
}

const MAX_SIZE_TEXT: &str = "8388608";

#[test]
fn confined_includes_stay_inside_their_root() {
    let outside = tempfile::tempdir().unwrap();
    let other = write(
        &outside.path().join("other.conf"),
        "STOLEN = \"from outside\"\n",
    );
    let root = tempfile::tempdir().unwrap();
    let root = root.path().canonicalize().unwrap();
    std::fs::create_dir_all(root.join("conf")).unwrap();
    write(&root.join("conf/inside.inc"), "INSIDE = \"yes\"\n");
    std::os::unix::fs::symlink(&other, root.join("conf/link.inc")).unwrap();

    let layer_conf = root.join("conf/layer.conf");
    write(&layer_conf, "include inside.inc\n");
    let mut data = Datastore::new();
    apply_within(&mut data, &ConfFile::read(&layer_conf).unwrap(), &root).unwrap();
    assert_eq!(data.get("INSIDE").unwrap().as_deref(), Some("yes"));

    for include in [other.display().to_string(), "link.inc".to_owned()] {
        write(&layer_conf, &format!("include {include}\n"));
        let mut data = Datastore::new();
        let err =
            apply_within(&mut data, &ConfFile::read(&layer_conf).unwrap(), &root).unwrap_err();
        let shown = message(&err);
        assert!(shown.contains("layer.conf:1: "), "{shown}");
        assert!(shown.contains("outside"), "{shown}");
        assert_eq!(data.get("STOLEN").unwrap(), None);
    }
}

#[test]
fn a_variable_that_cannot_expand_fails_alone() {
    let tree = tempfile::tempdir().unwrap();
    let conf = write(
        &tree.path().join("local.conf"),
        "A = \"${A} more\"\nB = \"b${A}\"\nC = \"c\"\nK_${C} = \"renamed\"\n",
    );
    let evaluation = read_as_bitbake(&[conf], &[]).unwrap();
    assert_eq!(
        evaluation.unexpandable.keys().collect::<Vec<_>>(),
        ["A", "B"]
    );
    assert_eq!(evaluation.values["C"].as_deref(), Some("c"));
    assert_eq!(evaluation.values["K_c"].as_deref(), Some("renamed"));
    assert!(!evaluation.values.contains_key("K_${C}"));
    let asked = values(
        &evaluate(&[tree.path().join("local.conf")]).unwrap(),
        &["A".into()],
    );
    assert!(
        asked.unwrap().unexpandable["A"]
            .to_string()
            .contains("refers to itself")
    );
}
