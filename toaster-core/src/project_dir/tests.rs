use std::fs;
use std::os::unix::fs::symlink;
use std::path::Path;

use super::*;
use crate::model::Name;

fn name(n: &str) -> Name {
    Name::parse("project name", n).unwrap()
}

fn removable(
    dir: &Path,
    project: &str,
    database: Option<&Path>,
) -> Result<Removal, ProjectDirError> {
    Removal::check(dir, &name(project), database, &[])
}

#[test]
fn the_marker_has_one_name() {
    assert_eq!(marker::MARKER_C.to_str(), Ok(MARKER));
}

#[test]
fn prepare_creates_marks_and_refuses_non_empty() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("a/b/demo");
    let prepared = prepare(&dir, &name("demo"), None, &[]).unwrap();
    assert!(prepared.path().join(MARKER).is_file());
    let err = prepare(&dir, &name("other"), None, &[]).unwrap_err();
    assert!(matches!(err, ProjectDirError::NotEmpty { .. }), "{err}");
    let file = tmp.path().join("file");
    fs::write(&file, "x").unwrap();
    assert!(matches!(
        prepare(&file, &name("x"), None, &[]),
        Err(ProjectDirError::NotADirectory { .. })
    ));
    prepared.abandon();
    assert!(!dir.exists());
}

#[test]
fn a_project_directory_inside_another_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let outer = prepare(&tmp.path().join("outer"), &name("outer"), None, &[]).unwrap();
    let err = prepare(
        &outer.path().join("deeper/inner"),
        &name("inner"),
        None,
        &[],
    )
    .unwrap_err();
    assert!(matches!(err, ProjectDirError::Nested { .. }), "{err}");
    assert!(err.to_string().contains("project `outer`"), "{err}");
    assert!(!outer.path().join("deeper").exists(), "nothing was made");
}

#[test]
fn a_link_into_another_project_is_seen_through() {
    let tmp = tempfile::tempdir().unwrap();
    let outer = prepare(&tmp.path().join("outer"), &name("outer"), None, &[]).unwrap();
    fs::create_dir(outer.path().join("inner")).unwrap();
    symlink(outer.path().join("inner"), tmp.path().join("link")).unwrap();
    for dir in ["link", "link/deeper", "nothing/../link"] {
        let err = prepare(&tmp.path().join(dir), &name("inner"), None, &[]).unwrap_err();
        assert!(
            matches!(err, ProjectDirError::Nested { .. }),
            "{dir}: {err}"
        );
    }
    assert!(
        !outer.path().join("inner/deeper").exists(),
        "nothing was made"
    );
}

#[test]
fn a_dangling_link_is_named() {
    let tmp = tempfile::tempdir().unwrap();
    symlink("missing/dir", tmp.path().join("dangling")).unwrap();
    for dir in ["dangling", "dangling/below"] {
        let err = prepare(&tmp.path().join(dir), &name("demo"), None, &[]).unwrap_err();
        assert!(
            matches!(&err, ProjectDirError::DanglingLink { target, .. } if target == Path::new("missing/dir")),
            "{dir}: {err}"
        );
    }
}

#[test]
fn an_existing_empty_directory_is_kept_on_abandon() {
    let tmp = tempfile::tempdir().unwrap();
    let prepared = prepare(tmp.path(), &name("demo"), None, &[]).unwrap();
    prepared.abandon();
    assert!(tmp.path().is_dir());
    assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 0);
}

#[test]
fn removal_needs_the_projects_marker_and_spares_link_targets() {
    let tmp = tempfile::tempdir().unwrap();
    let shared = tmp.path().join("sstate-cache");
    fs::create_dir(&shared).unwrap();
    fs::write(shared.join("keep"), "shared").unwrap();
    let dir = prepare(&tmp.path().join("demo"), &name("demo"), None, &[])
        .unwrap()
        .path()
        .to_owned();
    fs::create_dir_all(dir.join("build/conf/deep/er")).unwrap();
    fs::write(dir.join("build/conf/deep/er/file"), "x").unwrap();
    symlink(&shared, dir.join("build/sstate-cache")).unwrap();
    symlink(shared.join("keep"), dir.join("build/keep-link")).unwrap();
    symlink("dangling", dir.join("build/dangling")).unwrap();

    let err = removable(&dir, "other", None).unwrap_err();
    assert!(
        matches!(err, ProjectDirError::NotTheProjects { .. }),
        "{err}"
    );
    let db = dir.join("toaster.sqlite");
    fs::write(&db, "").unwrap();
    let err = removable(&dir, "demo", Some(&db)).unwrap_err();
    assert!(
        matches!(err, ProjectDirError::HoldsDatabase { .. }),
        "{err}"
    );
    fs::remove_file(&db).unwrap();

    let removal = removable(&dir, "demo", None).unwrap();
    assert_eq!(removal.remove().unwrap(), dir);
    assert!(!dir.exists());
    assert_eq!(fs::read_to_string(shared.join("keep")).unwrap(), "shared");
    assert!(matches!(
        removable(&dir, "demo", None),
        Err(ProjectDirError::Gone { .. })
    ));
}

#[test]
fn an_unmarked_directory_is_never_removed() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("precious"), "x").unwrap();
    let err = removable(tmp.path(), "demo", None).unwrap_err();
    assert!(err.to_string().contains("no .toaster-project"), "{err}");
    assert!(err.to_string().contains("for project `demo`"), "{err}");
    assert!(tmp.path().join("precious").exists());
}

#[test]
fn a_marker_that_is_a_link_is_no_marker() {
    let tmp = tempfile::tempdir().unwrap();
    let elsewhere = tmp.path().join("elsewhere");
    fs::write(&elsewhere, "project = demo\n").unwrap();
    let dir = tmp.path().join("demo");
    fs::create_dir(&dir).unwrap();
    symlink(&elsewhere, dir.join(MARKER)).unwrap();
    let err = removable(&dir, "demo", None).unwrap_err();
    assert!(err.to_string().contains("is a link"), "{err}");
}

#[test]
fn the_removal_handle_survives_its_parent_being_moved() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = prepare(&tmp.path().join("par/demo"), &name("demo"), None, &[])
        .unwrap()
        .path()
        .to_owned();
    fs::write(dir.join("file"), "x").unwrap();
    let removal = removable(&dir, "demo", None).unwrap();
    // After the check, `par` goes elsewhere and a decoy takes its place.
    let moved = tmp.path().join("moved");
    fs::rename(tmp.path().join("par"), &moved).unwrap();
    fs::create_dir_all(tmp.path().join("decoy/demo")).unwrap();
    fs::write(tmp.path().join("decoy/demo/keep"), "x").unwrap();
    symlink(tmp.path().join("decoy"), tmp.path().join("par")).unwrap();
    let removed = removal.remove().unwrap();
    assert_eq!(removed, moved.canonicalize().unwrap().join("demo"));
    assert!(!moved.join("demo").exists());
    assert!(tmp.path().join("decoy/demo/keep").exists());
}

#[test]
fn a_writer_holds_off_a_delete_and_a_delete_refuses_writers() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = prepare(&tmp.path().join("demo"), &name("demo"), None, &[])
        .unwrap()
        .path()
        .to_owned();
    let writing = ConfLock::shared(&dir, &name("demo")).unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::scope(|s| {
        s.spawn(|| {
            let removal = removable(&dir, "demo", None).unwrap();
            tx.send(()).unwrap();
            // While the delete holds the directory, a writer is refused.
            let err = ConfLock::shared(&dir, &name("demo")).unwrap_err();
            assert!(matches!(err, ProjectDirError::BeingDeleted { .. }), "{err}");
            removal.remove().unwrap();
        });
        assert!(rx.try_recv().is_err(), "the delete waits for the writer");
        drop(writing);
    });
    let err = ConfLock::shared(&dir, &name("demo")).unwrap_err();
    assert!(matches!(err, ProjectDirError::Missing { .. }), "{err}");
    assert!(!dir.exists(), "not made again");
}

#[test]
fn a_directory_holding_another_project_is_not_removed() {
    let tmp = tempfile::tempdir().unwrap();
    let outer = prepare(&tmp.path().join("outer"), &name("outer"), None, &[])
        .unwrap()
        .path()
        .to_owned();
    fs::create_dir(outer.join("inner")).unwrap();
    symlink(outer.join("inner"), tmp.path().join("link")).unwrap();
    let inner = project("inner", &tmp.path().join("link"));
    let err = Removal::check(&outer, &name("outer"), None, &[inner]).unwrap_err();
    assert!(matches!(err, ProjectDirError::HoldsProject { .. }), "{err}");
    assert!(outer.join(MARKER).exists());
}

#[test]
fn a_directory_around_a_recorded_one_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let lost = project("lost", &tmp.path().join("gone/lost"));
    let err = prepare(&tmp.path().join("gone"), &name("wrap"), None, &[lost]).unwrap_err();
    assert!(matches!(err, ProjectDirError::Encloses { .. }), "{err}");
    assert!(!tmp.path().join("gone").exists());
}

fn project(name: &str, dir: &Path) -> OtherProject {
    OtherProject {
        name: name.to_owned(),
        dir: dir.to_owned(),
    }
}

#[test]
fn the_marker_records_the_database_and_is_found_from_below() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("toaster.sqlite");
    fs::write(&db, "").unwrap();
    let prepared = prepare(&tmp.path().join("demo"), &name("demo"), Some(&db), &[]).unwrap();
    let deep = prepared.path().join("build/tmp/work");
    fs::create_dir_all(&deep).unwrap();
    for start in [
        prepared.path().to_owned(),
        prepared.path().join("build"),
        deep,
    ] {
        let found = find_marked(&start).unwrap().expect("found");
        assert_eq!(found.dir, prepared.path());
        assert_eq!(found.project, "demo");
        assert_eq!(found.database, Some(fs::canonicalize(&db).unwrap()));
        assert_eq!(found.marker(), prepared.path().join(MARKER));
    }
    assert_eq!(find_marked(tmp.path()).unwrap(), None);
}

#[test]
fn the_marker_records_a_postgres_url_as_it_is() {
    let tmp = tempfile::tempdir().unwrap();
    let url = Path::new("postgres://toaster@db.example.com:5432/toaster?sslmode=require");
    let prepared = prepare(&tmp.path().join("demo"), &name("demo"), Some(url), &[]).unwrap();
    let found = find_marked(prepared.path()).unwrap().expect("found");
    assert_eq!(found.database.as_deref(), Some(url), "not made a path");
}

#[test]
fn an_old_marker_names_its_project_without_a_database() {
    let tmp = tempfile::tempdir().unwrap();
    let old = "# This directory belongs to the Toaster project below.\nproject = legacy\n";
    fs::write(tmp.path().join(MARKER), old).unwrap();
    fs::create_dir(tmp.path().join("build")).unwrap();
    let found = find_marked(&tmp.path().join("build"))
        .unwrap()
        .expect("found");
    assert_eq!(found.project, "legacy");
    assert_eq!(found.database, None);
    // A relative database path is not trusted either.
    fs::write(
        tmp.path().join(MARKER),
        "project = legacy\ndatabase = toaster.sqlite\n",
    )
    .unwrap();
    assert_eq!(find_marked(tmp.path()).unwrap().unwrap().database, None);
}

#[test]
fn a_linked_or_unnamed_marker_is_passed_over_for_the_one_above() {
    let tmp = tempfile::tempdir().unwrap();
    let outer = prepare(&tmp.path().join("outer"), &name("outer"), None, &[]).unwrap();
    let linked = outer.path().join("linked");
    fs::create_dir(&linked).unwrap();
    symlink(outer.path().join(MARKER), linked.join(MARKER)).unwrap();
    let unnamed = outer.path().join("unnamed");
    fs::create_dir(&unnamed).unwrap();
    fs::write(unnamed.join(MARKER), "# nothing here\n").unwrap();
    for start in [&linked, &unnamed] {
        let found = find_marked(start).unwrap().expect("found");
        assert_eq!(
            (found.dir.as_path(), found.project.as_str()),
            (outer.path(), "outer")
        );
        assert_eq!(found.database, None);
    }
}
