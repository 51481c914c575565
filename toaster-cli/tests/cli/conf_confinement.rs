//! What conf and layer files are read, and what errors quote of them: real files, real git
//! repositories, real processes.

use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};

use toaster_core::layers::test_repos::{TestRepo, write_layer};

use super::Scratch;

/// A file outside the scratch tree whose lines must never reach an error message.
const SECRET: &str = "SECRET-LINE hunter2:$6$salt$hash:19000::::::\nroot:x:0:0\n";

fn secret() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("shadow");
    std::fs::write(&path, SECRET).expect("write the secret");
    (dir, path)
}

fn assert_no_leak(text: &str) {
    for leak in ["SECRET", "hunter2", "salt", "root:"] {
        assert!(!text.contains(leak), "{text}");
    }
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("a parent")).expect("create the directory");
    std::fs::write(path, text).expect("write the file");
}

#[test]
fn eval_never_quotes_an_included_file() {
    let scratch = Scratch::new();
    let (_keep, secret) = secret();
    for keyword in ["include", "require"] {
        write(
            &scratch.path().join("a.conf"),
            &format!("{keyword} {}\n", secret.display()),
        );
        let err = scratch.fails(1, &["conf", "eval", "a.conf"]);
        assert!(err.contains(&format!("{}:1: ", secret.display())), "{err}");
        assert_no_leak(&err);
    }
}

#[test]
fn import_never_quotes_an_included_file_or_a_layer_conf_linked_out() {
    let scratch = Scratch::new().with_demo();
    let (_keep, secret) = secret();
    let conf = scratch.path().join("old/build/conf");
    let bblayers = "BBLAYERS = \"${TOPDIR}/../meta-linked\"\n";
    write(
        &conf.join("bblayers.conf"),
        &format!("{bblayers}include {}\n", secret.display()),
    );
    std::fs::create_dir_all(scratch.path().join("old/meta-linked/conf")).unwrap();
    symlink(
        &secret,
        scratch.path().join("old/meta-linked/conf/layer.conf"),
    )
    .unwrap();
    write(&conf.join("local.conf"), "MACHINE = \"qemux86-64\"\n");
    let args = [
        "project",
        "import",
        "old",
        "--from",
        "old/build",
        "--dir",
        "oldproject",
    ];
    let err = scratch.fails(1, &args);
    assert!(err.contains(&format!("{}:1: ", secret.display())), "{err}");
    assert_no_leak(&err);
    write(&conf.join("bblayers.conf"), bblayers);
    let out = scratch.run(&args);
    let all =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{all}");
    assert!(all.contains("meta-linked: left out"), "{all}");
    assert_no_leak(&all);
}

#[test]
fn a_directory_as_local_conf_is_a_user_error() {
    let scratch = Scratch::new().with_demo();
    let conf = scratch.path().join("old/build/conf");
    write(&conf.join("bblayers.conf"), "BBLAYERS = \"\"\n");
    std::fs::create_dir_all(conf.join("local.conf")).unwrap();
    let err = scratch.fails(
        1,
        &[
            "project",
            "import",
            "old",
            "--from",
            "old/build",
            "--dir",
            "oldproject",
        ],
    );
    assert!(
        err.contains("local.conf is a directory, not a regular file"),
        "{err}"
    );
    assert!(err.contains("hint: "), "{err}");

    let local = scratch.path().join("demo/build/conf/local.conf");
    std::fs::remove_file(&local).unwrap();
    std::fs::create_dir(&local).unwrap();
    let err = scratch.fails(1, &["conf", "write", "demo"]);
    assert!(
        err.contains("local.conf is a directory, not a regular file"),
        "{err}"
    );
}

#[test]
fn eval_arguments_that_look_like_paths_are_files() {
    let scratch = Scratch::new();
    let err = scratch.fails(1, &["conf", "eval", "./missing/x.con"]);
    assert!(err.contains("missing/x.con"), "{err}");
    assert!(err.to_lowercase().contains("no such file"), "{err}");
    let err = scratch.fails(1, &["conf", "eval", "../nowhere.txt"]);
    assert!(err.to_lowercase().contains("no such file"), "{err}");
    // A variable whose name holds `/` is still a variable.
    write(
        &scratch.path().join("p.conf"),
        "PREFERRED_PROVIDER_virtual/kernel = \"linux-yocto\"\n",
    );
    let out = scratch.ok(&[
        "conf",
        "eval",
        "p.conf",
        "PREFERRED_PROVIDER_virtual/kernel",
    ]);
    assert_eq!(out, "PREFERRED_PROVIDER_virtual/kernel=\"linux-yocto\"\n");
}

#[test]
fn require_of_a_device_says_it_is_not_a_regular_file() {
    let scratch = Scratch::new();
    write(&scratch.path().join("r.conf"), "require /dev/urandom\n");
    let err = scratch.fails(1, &["conf", "eval", "r.conf"]);
    assert!(err.contains("/dev/urandom"), "{err}");
    assert!(err.contains("not a regular file"), "{err}");
    assert!(!err.contains("does not exist"), "{err}");
}

#[test]
fn a_huge_conf_file_is_reported_with_its_real_size() {
    let scratch = Scratch::new();
    let big = scratch.path().join("big.conf");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(100_000_000)
        .unwrap();
    let err = scratch.fails(1, &["conf", "eval", "big.conf"]);
    assert!(err.contains("is 100000000 bytes"), "{err}");
    assert!(err.contains("limit of 8388608 bytes"), "{err}");
}

#[test]
fn a_layer_path_that_is_not_utf8_is_refused_before_anything_is_stored() {
    let scratch = Scratch::new().with_demo();
    let dir = scratch
        .path()
        .join(std::ffi::OsStr::from_bytes(b"meta-\xff"));
    write_layer(&dir, "bad", "LAYERSERIES_COMPAT_bad = \"scarthgap\"\n");
    let before = scratch.state();
    let out = scratch
        .command(&["layer", "add", "demo", "--name", "bad", "--path"])
        .arg(&dir)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("UTF-8"), "{err}");
    assert!(!err.contains("damaged"), "{err}");
    assert!(err.contains("hint: "), "{err}");
    assert_eq!(scratch.state(), before);
}

#[test]
fn a_git_layer_reading_outside_its_repository_is_refused() {
    let scratch = Scratch::new().with_demo();
    let (_keep, secret) = secret();
    let repo = TestRepo::init(&scratch.path().join("linky"));
    std::fs::create_dir_all(repo.dir.join("meta-linky/conf")).unwrap();
    symlink(&secret, repo.dir.join("meta-linky/conf/layer.conf")).unwrap();
    repo.commit("a link out");
    let before = scratch.state();
    let err = scratch.fails(
        1,
        &[
            "layer",
            "add",
            "demo",
            "--git",
            "linky",
            "--subdir",
            "meta-linky",
        ],
    );
    assert!(err.contains("meta-linky"), "{err}");
    assert!(err.contains("conf/layer.conf"), "{err}");
    assert!(err.contains("outside"), "{err}");
    assert_no_leak(&err);
    assert_eq!(scratch.state(), before);
}
