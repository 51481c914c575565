//! Project directories under a hostile or busy file system: links swapped in, other
//! projects inside, config changes racing a delete, directories gone.

use std::fs;
use std::os::unix::fs::symlink;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use super::Scratch;

fn with_alice() -> Scratch {
    let s = Scratch::new();
    s.ok(&["owner", "add", "alice"]);
    s
}

fn listed(s: &Scratch, project: &str) -> bool {
    s.json(&["project", "list"])
        .as_array()
        .expect("list")
        .iter()
        .any(|p| p["name"] == project)
}

#[test]
fn a_project_inside_another_through_a_link_is_refused() {
    let s = with_alice();
    s.ok(&["project", "create", "outer", "--dir", "./outer"]);
    fs::create_dir(s.path().join("outer/inner")).expect("mkdir");
    symlink("outer/inner", s.path().join("innerlink")).expect("link");
    let err = s.fails(1, &["project", "create", "inner", "--dir", "./innerlink"]);
    assert!(
        err.contains("inside the directory of project `outer`") && err.contains("hint: "),
        "{err}"
    );
    assert!(!listed(&s, "inner"));
    assert!(!s.path().join("outer/inner/.toaster-project").exists());
}

#[test]
fn deleting_a_directory_that_holds_another_project_is_refused() {
    let s = with_alice();
    s.ok(&["project", "create", "outer", "--dir", "./outer"]);
    s.ok(&["project", "create", "inner", "--dir", "./side/inner"]);
    // The inner project's recorded path now leads into the outer one's directory.
    fs::rename(s.path().join("side/inner"), s.path().join("outer/inner")).expect("mv");
    fs::remove_dir(s.path().join("side")).expect("rmdir");
    symlink("outer", s.path().join("side")).expect("link");
    let err = s.fails(1, &["project", "delete", "outer", "--files"]);
    assert!(
        err.contains("holds the directory of project `inner`")
            && err.contains("nothing was deleted"),
        "{err}"
    );
    assert!(listed(&s, "outer") && listed(&s, "inner"));
    assert!(
        s.path()
            .join("outer/inner/build/conf/toaster.conf")
            .is_file()
    );
    assert!(s.path().join("outer/.toaster-project").is_file());
}

#[test]
fn a_directory_around_a_recorded_project_is_refused() {
    let s = with_alice();
    s.ok(&["project", "create", "lost", "--dir", "./gone/lost"]);
    fs::remove_dir_all(s.path().join("gone")).expect("rm");
    let err = s.fails(1, &["project", "create", "wrap", "--dir", "./gone"]);
    assert!(
        err.contains("project `lost`") && err.contains("hint: "),
        "{err}"
    );
    assert!(!s.path().join("gone").exists(), "nothing was made");
}

#[test]
fn a_dangling_link_as_the_directory_is_named_as_such() {
    let s = with_alice();
    symlink("nowhere/demo", s.path().join("dangling")).expect("link");
    let err = s.fails(1, &["project", "create", "demo", "--dir", "./dangling"]);
    assert!(
        err.contains("symbolic link to nowhere/demo, which does not exist")
            && err.contains("hint: ")
            && !err.contains("File exists"),
        "{err}"
    );
    assert!(!listed(&s, "demo"));
}

#[test]
fn a_config_change_to_a_project_whose_directory_is_gone_is_refused() {
    let s = with_alice();
    s.ok(&["project", "create", "demo", "--dir", "./demo"]);
    fs::remove_dir_all(s.path().join("demo")).expect("rm");
    let before = s.state();
    let err = s.fails(1, &["config", "set", "demo", "machine", "qemuarm"]);
    assert!(
        err.contains("does not exist any more")
            && err.contains("toaster project delete demo")
            && err.contains("hint: "),
        "{err}"
    );
    assert!(!s.path().join("demo").exists(), "not made again");
    assert_eq!(s.state(), before, "no revision");
    let err = s.fails(1, &["conf", "write", "demo"]);
    assert!(err.contains("does not exist any more"), "{err}");
    assert!(!s.path().join("demo").exists(), "not made again");
}

/// What a `config set` racing a delete may say: it either worked or the project is gone.
fn clean_refusal(stderr: &str) -> bool {
    (stderr.contains("no project named `demo`")
        || stderr.contains("is being deleted")
        || stderr.contains("does not exist any more"))
        && !stderr.contains("os error")
}

#[test]
fn a_delete_racing_config_changes_is_all_or_nothing() {
    let s = with_alice();
    let demo = s.path().join("demo");
    let mut failures = Vec::new();
    for round in 0..18 {
        s.ok(&["project", "create", "demo", "--dir", "./demo"]);
        let (started, deleted) = (AtomicUsize::new(0), AtomicBool::new(false));
        let (delete, writers) = std::thread::scope(|scope| {
            let writers: Vec<_> = (0..4)
                .map(|_| {
                    let (s, started, deleted) = (&s, &started, &deleted);
                    scope.spawn(move || {
                        for n in 0..200 {
                            let machine = if n % 2 == 0 { "qemuarm" } else { "qemux86-64" };
                            let out = s.run(&["config", "set", "demo", "machine", machine]);
                            started.fetch_add(1, Ordering::Relaxed);
                            if !out.status.success() {
                                return Some(String::from_utf8_lossy(&out.stderr).into_owned());
                            }
                            if deleted.load(Ordering::Relaxed) {
                                return None;
                            }
                        }
                        None
                    })
                })
                .collect();
            while started.load(Ordering::Relaxed) < 2 {
                std::thread::yield_now();
            }
            let delete = s.run(&["project", "delete", "demo", "--files"]);
            deleted.store(true, Ordering::Relaxed);
            let writers: Vec<Option<String>> = writers
                .into_iter()
                .map(|w| w.join().expect("writer"))
                .collect();
            (delete, writers)
        });
        let delete_err = String::from_utf8_lossy(&delete.stderr).into_owned();
        let still_listed = listed(&s, "demo");
        if delete.status.success() {
            if still_listed || demo.exists() {
                failures.push(format!(
                    "round {round}: deleted, yet listed {still_listed}, directory left {}",
                    demo.exists()
                ));
            }
        } else if !still_listed || !demo.join(".toaster-project").is_file() {
            failures.push(format!(
                "round {round}: the delete failed half-way: {delete_err}"
            ));
        }
        for err in writers.into_iter().flatten() {
            if !clean_refusal(&err) {
                failures.push(format!("round {round}: a writer said: {err}"));
            }
        }
        if still_listed {
            let _ = s.run(&["project", "delete", "demo"]);
        }
        let _ = fs::remove_dir_all(&demo);
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
