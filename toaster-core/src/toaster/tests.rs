use std::fs;

use super::*;
use crate::ErrorKind;
use crate::model::{ConfigChange, ConfigKey, Release, RevisionNumber};

struct Fixture {
    tmp: tempfile::TempDir,
    toaster: Toaster,
}

impl Fixture {
    fn new() -> Fixture {
        let tmp = tempfile::tempdir().unwrap();
        let toaster = Toaster::init_sqlite(&tmp.path().join("toaster.sqlite")).unwrap();
        Fixture { tmp, toaster }
    }

    fn alice(&self) -> Actor {
        match self.toaster.act_as("alice", "test") {
            Ok(actor) => actor,
            Err(_) => self.toaster.add_first_owner("alice", None, "test").unwrap(),
        }
    }

    fn demo(&self) -> (Actor, Project) {
        let alice = self.alice();
        let project = alice
            .create_project(
                "demo",
                &self.tmp.path().join("demo"),
                &crate::ProjectOptions {
                    release: Some("scarthgap"),
                    ..Default::default()
                },
            )
            .unwrap();
        (alice, project)
    }
}

/// A database in `dir` whose first owner, alice, has a scarthgap project `demo` in
/// `dir/demo`; with `bare`, without its default layers (unreachable offline).
pub(super) fn scarthgap_demo(dir: &std::path::Path, bare: bool) -> (Toaster, Actor) {
    let toaster = Toaster::init_sqlite(&dir.join("toaster.sqlite")).unwrap();
    let alice = toaster.add_first_owner("alice", None, "test").unwrap();
    alice
        .create_project(
            "demo",
            &dir.join("demo"),
            &crate::ProjectOptions {
                release: Some("scarthgap"),
                ..Default::default()
            },
        )
        .unwrap();
    if bare {
        let defaults: Vec<String> = alice
            .layers("demo")
            .unwrap()
            .into_iter()
            .map(|l| l.name)
            .collect();
        alice.remove_layers("demo", &defaults).unwrap();
    }
    (toaster, alice)
}

fn set(key: &str, value: &str) -> ConfigChange {
    ConfigChange::Set {
        key: ConfigKey::parse(key).unwrap(),
        value: value.to_owned(),
    }
}

fn value(actor: &Actor, key: &str) -> Option<String> {
    actor
        .config("demo")
        .unwrap()
        .config
        .get(&ConfigKey::parse(key).unwrap())
}

#[test]
fn the_first_owner_needs_nobody_but_later_ones_do() {
    let f = Fixture::new();
    assert!(matches!(
        f.toaster.act_as_remembered("test"),
        Err(Error::NoOwner { .. })
    ));
    let alice = f
        .toaster
        .add_first_owner("alice", Some("a@example.com"), "test")
        .unwrap();
    assert_eq!(
        f.toaster.act_as_remembered("test").unwrap().owner(),
        alice.owner()
    );
    let err = f
        .toaster
        .add_first_owner("mallory", None, "other")
        .unwrap_err();
    assert!(matches!(err, Error::OwnersExist { .. }), "{err}");
    let bob = alice.add_owner("bob", None).unwrap();
    f.toaster.use_owner("bob", "test").unwrap();
    assert_eq!(
        f.toaster.act_as_remembered("test").unwrap().owner().id,
        bob.id
    );
    let err = alice.add_owner("BOB", None).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::AlreadyExists);
}

#[test]
fn creating_a_project_makes_a_marked_directory_and_revision_one() {
    let f = Fixture::new();
    let (alice, demo) = f.demo();
    assert_eq!(demo.release.name(), "scarthgap");
    assert!(demo.dir.join(crate::project_dir::MARKER).is_file());
    let history = alice.history("demo").unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(
        history[0].description,
        "created with the scarthgap defaults"
    );
    assert_eq!(
        history[0].config,
        Release::parse("scarthgap").unwrap().defaults()
    );
}

#[test]
fn refused_creations_leave_disk_and_database_as_they_were() {
    let f = Fixture::new();
    let (alice, demo) = f.demo();
    // Taken name: the new directory is never made.
    let fresh = f.tmp.path().join("fresh");
    assert_eq!(
        alice
            .create_project(
                "DEMO",
                &fresh,
                &crate::ProjectOptions {
                    ..Default::default()
                }
            )
            .unwrap_err()
            .kind(),
        ErrorKind::AlreadyExists
    );
    assert!(!fresh.exists());
    // Non-empty directory.
    let full = f.tmp.path().join("full");
    fs::create_dir(&full).unwrap();
    fs::write(full.join("local.conf"), "x").unwrap();
    assert_eq!(
        alice
            .create_project(
                "other",
                &full,
                &crate::ProjectOptions {
                    ..Default::default()
                }
            )
            .unwrap_err()
            .kind(),
        ErrorKind::Invalid
    );
    assert_eq!(fs::read_dir(&full).unwrap().count(), 1);
    // Bad name and release.
    for (name, release) in [("../x", None), ("", None), ("ok", Some("5.0"))] {
        assert_eq!(
            alice
                .create_project(
                    name,
                    &fresh,
                    &crate::ProjectOptions {
                        release,
                        ..Default::default()
                    }
                )
                .unwrap_err()
                .kind(),
            ErrorKind::Invalid
        );
    }
    assert!(!fresh.exists());
    assert_eq!(alice.projects(false).unwrap(), vec![demo]);
}

#[test]
fn changes_make_revisions_and_no_change_makes_none() {
    let f = Fixture::new();
    let (alice, _) = f.demo();
    let out = alice
        .change_config("demo", &[set("IMAGE_FSTYPES", "ext4 wic")], None)
        .unwrap();
    assert!(out.changed);
    assert_eq!(out.revision.number, RevisionNumber(2));
    assert_eq!(out.revision.author.as_str(), "alice");
    let again = alice
        .change_config("demo", &[set("IMAGE_FSTYPES", "ext4 wic")], None)
        .unwrap();
    assert!(!again.changed);
    assert_eq!(again.revision.number, RevisionNumber(2));
    let err = alice
        .change_config("demo", &[set("machine", "bad machine")], None)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Invalid);
    assert_eq!(alice.history("demo").unwrap().len(), 2);
}

#[test]
fn undo_walks_back_and_revert_redoes_without_destroying_anything() {
    let f = Fixture::new();
    let (alice, _) = f.demo();
    alice.change_config("demo", &[set("A", "1")], None).unwrap(); // 2
    alice.change_config("demo", &[set("A", "2")], None).unwrap(); // 3
    let undo = alice.undo("demo").unwrap().revision; // 4 = config of 2
    assert_eq!(
        (undo.number, undo.restores),
        (RevisionNumber(4), Some(RevisionNumber(2)))
    );
    assert_eq!(value(&alice, "A").as_deref(), Some("1"));
    alice.undo("demo").unwrap(); // 5 = config of 1
    assert_eq!(value(&alice, "A"), None);
    let err = alice.undo("demo").unwrap_err();
    assert!(matches!(err, Error::NothingToUndo { .. }), "{err}");
    alice.revert("demo", RevisionNumber(3)).unwrap(); // 6 = redo
    assert_eq!(value(&alice, "A").as_deref(), Some("2"));
    assert_eq!(alice.history("demo").unwrap().len(), 6);
    assert_eq!(
        alice.revert("demo", RevisionNumber(60)).unwrap_err().kind(),
        ErrorKind::NotFound
    );
}

#[test]
fn reset_restores_release_defaults_and_is_undoable() {
    let f = Fixture::new();
    let (alice, _) = f.demo();
    alice
        .change_config(
            "demo",
            &[
                set("machine", "qemuarm64"),
                set("targets", "core-image-minimal"),
            ],
            None,
        )
        .unwrap();
    let before = alice.config("demo").unwrap().config;
    alice.reset("demo").unwrap();
    assert_eq!(
        alice.config("demo").unwrap().config,
        Release::parse("scarthgap").unwrap().defaults()
    );
    alice.undo("demo").unwrap();
    assert_eq!(alice.config("demo").unwrap().config, before);
}

#[test]
fn a_pinned_stale_base_conflicts_and_changes_nothing() {
    let f = Fixture::new();
    let (alice, demo) = f.demo();
    alice
        .change_config("demo", &[set("A", "mine")], Some(demo.head))
        .unwrap();
    let err = alice
        .change_config("demo", &[set("A", "theirs")], Some(demo.head))
        .unwrap_err();
    match &err {
        Error::Conflict { base, head, .. } => assert_eq!((base.0, head.0), (1, 2)),
        other => panic!("expected a conflict, got {other}"),
    }
    assert!(err.hint().unwrap().contains("history demo"));
    assert_eq!(value(&alice, "A").as_deref(), Some("mine"));
}

#[test]
fn unpinned_changes_from_many_threads_are_all_kept() {
    let f = Fixture::new();
    let (alice, _) = f.demo();
    std::thread::scope(|scope| {
        for i in 0..4 {
            let alice = alice.clone();
            scope.spawn(move || {
                for j in 0..5 {
                    let change = ConfigChange::Add {
                        key: ConfigKey::Packages,
                        words: vec![format!("p{i}x{j}")],
                    };
                    alice.change_config("demo", &[change], None).unwrap();
                }
            });
        }
    });
    assert_eq!(alice.config("demo").unwrap().config.packages.len(), 20);
    assert_eq!(alice.history("demo").unwrap().len(), 21);
}

#[test]
fn clone_copies_the_current_configuration_into_a_new_directory() {
    let f = Fixture::new();
    let (alice, demo) = f.demo();
    alice
        .change_config("demo", &[set("DISTRO", "nodistro")], None)
        .unwrap();
    let copy = alice
        .clone_project("demo", "copy", &f.tmp.path().join("copy"))
        .unwrap();
    assert_eq!(copy.project.release, demo.release);
    assert!(
        copy.warnings.is_empty(),
        "unfetched layers stay unfetched: {copy:?}"
    );
    let first = alice.revision("copy", RevisionNumber::FIRST).unwrap();
    assert_eq!(first.description, "cloned from demo at revision 2");
    assert_eq!(first.config, alice.config("demo").unwrap().config);
    assert_eq!(
        alice
            .clone_project("demo", "copy2", &demo.dir)
            .unwrap_err()
            .kind(),
        ErrorKind::Invalid
    );
}

#[test]
fn delete_with_files_removes_only_the_marked_directory() {
    let f = Fixture::new();
    let (alice, demo) = f.demo();
    let shared = f.tmp.path().join("downloads");
    fs::create_dir(&shared).unwrap();
    fs::write(shared.join("big.tar"), "data").unwrap();
    std::os::unix::fs::symlink(&shared, demo.dir.join("downloads")).unwrap();
    alice
        .create_project(
            "keep",
            &f.tmp.path().join("keep"),
            &crate::ProjectOptions {
                ..Default::default()
            },
        )
        .unwrap();

    fs::write(
        demo.dir.join(crate::project_dir::MARKER),
        "project = someone-else\n",
    )
    .unwrap();
    assert_eq!(
        alice.delete_project("demo", true).unwrap_err().kind(),
        ErrorKind::Invalid
    );
    assert!(
        alice.project("demo").is_ok(),
        "a refused delete keeps the records"
    );
    fs::write(
        demo.dir.join(crate::project_dir::MARKER),
        "project = demo\n",
    )
    .unwrap();

    alice.delete_project("demo", true).unwrap();
    assert!(!demo.dir.exists());
    assert!(shared.join("big.tar").exists());
    assert_eq!(
        alice.project("demo").unwrap_err().kind(),
        ErrorKind::NotFound
    );
    assert!(alice.project("keep").is_ok());
}

#[test]
fn delete_without_files_keeps_the_directory() {
    let f = Fixture::new();
    let (alice, demo) = f.demo();
    alice.delete_project("demo", false).unwrap();
    assert!(demo.dir.is_dir());
}

fn conf_file(project: &Project, name: &str) -> String {
    fs::read_to_string(project.build_dir().join("conf").join(name)).unwrap()
}

#[test]
fn conf_files_follow_every_revision() {
    let f = Fixture::new();
    let (alice, project) = f.demo();
    assert!(conf_file(&project, "toaster.conf").contains("MACHINE = \"qemux86-64\"\n"));
    // The database's shared download directory, beside it.
    let downloads = fs::canonicalize(f.tmp.path()).unwrap().join("downloads");
    let dl_dir = format!("DL_DIR = \"{}\"\n", downloads.display());
    assert!(conf_file(&project, "toaster-host.conf").contains(&dl_dir));
    assert!(conf_file(&project, "local.conf").ends_with("include toaster.conf\n"));
    assert!(conf_file(&project, "bblayers.conf").ends_with("include toaster-bblayers.conf\n"));
    assert!(
        conf_file(&project, "toaster-bblayers.conf").contains("/layers/meta-yocto/meta-poky \\\n")
    );

    alice
        .change_config("demo", &[set("IMAGE_FSTYPES", "ext4 wic")], None)
        .unwrap();
    assert!(conf_file(&project, "toaster.conf").contains("IMAGE_FSTYPES = \"ext4 wic\"\n"));
    alice.undo("demo").unwrap();
    assert!(!conf_file(&project, "toaster.conf").contains("IMAGE_FSTYPES"));

    // The user's own lines stay; the include line is added once.
    let local = project.build_dir().join("conf/local.conf");
    fs::write(
        &local,
        "# mine\nBB_NUMBER_THREADS = \"4\"\ninclude toaster.conf\n",
    )
    .unwrap();
    alice
        .change_config("demo", &[set("machine", "qemuarm64")], None)
        .unwrap();
    assert_eq!(
        fs::read_to_string(&local).unwrap(),
        "# mine\nBB_NUMBER_THREADS = \"4\"\ninclude toaster.conf\n"
    );
}

#[test]
fn a_bad_value_changes_nothing_and_says_why() {
    let f = Fixture::new();
    let (alice, project) = f.demo();
    let before = conf_file(&project, "toaster.conf");
    for (key, bad) in [
        ("PACKAGE_CLASSES", "package_rmp"),
        ("BBFILES", "x"),
        ("EXTRA", "${@os.system('id')}"),
        ("EXTRA", "a\"b'c"),
        ("IMAGE_INSTALL_append", " x"),
        ("BB_NUMBER_THREADS", "0"),
    ] {
        let err = alice
            .change_config("demo", &[set(key, bad)], None)
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Invalid, "{key}: {err}");
        assert!(err.hint().is_some(), "{key}: {err}");
    }
    assert_eq!(alice.history("demo").unwrap().len(), 1);
    assert_eq!(conf_file(&project, "toaster.conf"), before);
}

#[test]
fn unknown_variables_warn_and_strict_refuses() {
    let f = Fixture::new();
    let (alice, _) = f.demo();
    let outcome = alice
        .change_config("demo", &[set("MACHNIE", "qemuarm")], None)
        .unwrap();
    assert!(
        outcome.warnings[0]
            .to_string()
            .contains("did you mean MACHINE?"),
        "{:?}",
        outcome.warnings
    );
    assert_eq!(outcome.warnings[0].kind(), "variable");
    let err = alice
        .change_config_with("demo", &[set("IMAGE_FSTYPS", "ext4")], None, true)
        .unwrap_err();
    assert!(err.to_string().contains("IMAGE_FSTYPES"), "{err}");
    let ok = alice
        .change_config("demo", &[set("DL_DIR", "${TOPDIR}/../dl")], None)
        .unwrap();
    assert!(ok.warnings.is_empty());
}

#[test]
fn undo_never_brings_back_what_an_earlier_undo_removed() {
    let f = Fixture::new();
    let (alice, _) = f.demo();
    alice.change_config("demo", &[set("A", "1")], None).unwrap(); // 2
    alice.change_config("demo", &[set("A", "2")], None).unwrap(); // 3
    alice.undo("demo").unwrap(); // 4: A=1
    alice.change_config("demo", &[set("B", "1")], None).unwrap(); // 5
    alice.undo("demo").unwrap(); // 6: A=1, no B
    assert_eq!(
        (value(&alice, "A").as_deref(), value(&alice, "B")),
        (Some("1"), None)
    );
    alice.undo("demo").unwrap(); // 7: back before A=1, not A=2 again
    assert_eq!(value(&alice, "A"), None);
    assert!(matches!(
        alice.undo("demo").unwrap_err(),
        Error::NothingToUndo { .. }
    ));
}

#[test]
fn importing_a_build_directory_applies_the_checks_config_set_applies() {
    let f = Fixture::new();
    let alice = f.alice();
    let from = f.tmp.path().join("old-build");
    fs::create_dir_all(from.join("conf")).unwrap();
    fs::write(
        from.join("conf/local.conf"),
        "MACHINE = \"${MYMACHINE}\"\nDISTRO = \"poky\"\nIMAGE_INSTALL:append += \" strace\"\nIMAGE_FSTYPES = \"ext4\"\n",
    )
    .unwrap();
    fs::write(from.join("conf/bblayers.conf"), "BBLAYERS = \"\"\n").unwrap();
    let (project, notes) = alice
        .import_project("old", &from, &f.tmp.path().join("old"), None)
        .unwrap();
    let config = alice.config(project.name.as_str()).unwrap().config;
    assert_eq!(
        (config.machine, config.distro.as_deref()),
        (None, Some("poky"))
    );
    assert_eq!(
        config
            .variables
            .get("IMAGE_FSTYPES")
            .and_then(|v| v.plain_value()),
        Some("ext4")
    );
    // An appending form is kept as written, its operator with it.
    assert_eq!(
        config.variables["IMAGE_INSTALL:append"].to_string(),
        "+= \" strace\""
    );
    assert!(
        notes
            .iter()
            .any(|n| n.to_string().starts_with("machine: left out")),
        "{notes:?}"
    );
    assert!(
        !notes
            .iter()
            .any(|n| n.to_string().contains("IMAGE_INSTALL")),
        "{notes:?}"
    );
}
