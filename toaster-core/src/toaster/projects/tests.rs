//! Deleting a project's directory while someone tampers with the path to it.

use std::fs;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::Toaster;

/// Swaps `par` for a symbolic link to `decoy` and back, over and over, until `go` is false;
/// leaves `par` the real directory.
fn swap_until_stopped(par: &Path, decoy: &Path, go: &AtomicBool) {
    let aside = par.with_file_name("par-real");
    while go.load(Ordering::Relaxed) {
        let _ = fs::rename(par, &aside);
        let _ = std::os::unix::fs::symlink(decoy, par);
        let _ = fs::remove_file(par);
        let _ = fs::rename(&aside, par);
    }
    if fs::symlink_metadata(par).is_ok_and(|m| m.file_type().is_symlink()) {
        fs::remove_file(par).unwrap();
    }
    if aside.exists() {
        fs::rename(&aside, par).unwrap();
    }
}

#[test]
fn a_parent_swapped_for_a_link_never_redirects_the_delete() {
    let tmp = tempfile::tempdir().unwrap();
    let toaster = Toaster::init_sqlite(&tmp.path().join("toaster.sqlite")).unwrap();
    let alice = toaster.add_first_owner("alice", None, "test").unwrap();
    let par = tmp.path().join("par");
    let decoy = tmp.path().join("decoy");
    fs::create_dir_all(decoy.join("proj")).unwrap();
    let (mut redirected, mut misreported, mut deleted) = (0, 0, 0);
    for _ in 0..200 {
        if !decoy.join("proj/keep").exists() {
            fs::create_dir_all(decoy.join("proj")).unwrap();
            fs::write(decoy.join("proj/keep"), "not the project's").unwrap();
        }
        fs::create_dir_all(&par).unwrap();
        alice
            .create_project(
                "demo",
                &par.join("proj"),
                &crate::ProjectOptions {
                    ..Default::default()
                },
            )
            .unwrap();
        let go = AtomicBool::new(true);
        let result = std::thread::scope(|s| {
            s.spawn(|| swap_until_stopped(&par, &decoy, &go));
            let result = alice.delete_project("demo", true);
            go.store(false, Ordering::Relaxed);
            result
        });
        if !decoy.join("proj/keep").exists() {
            redirected += 1;
        }
        match result {
            Ok(project) => {
                deleted += 1;
                if par.join("proj").exists() || project.dir.exists() {
                    misreported += 1;
                    let _ = fs::remove_dir_all(par.join("proj"));
                }
            }
            Err(_) => {
                let _ = alice.delete_project("demo", false);
                let _ = fs::remove_dir_all(par.join("proj"));
            }
        }
    }
    assert_eq!(
        (redirected, misreported),
        (0, 0),
        "of 200 rounds, {redirected} deleted the decoy's files and {misreported} said a directory was removed that was not"
    );
    assert!(deleted > 0, "no delete got through");
}
