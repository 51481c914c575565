//! Permissions as the facade enforces them: the matrix of actions, relations and modes, and
//! what a refusal leaves behind (nothing).

use std::path::{Path, PathBuf};

use super::*;
use crate::ErrorKind;
use crate::access::Relation;
use crate::model::{AuditAction, AuditFilter, ConfigChange, ConfigKey, Right};

/// A database with an admin (alice), the project owner (olga), a member of the project's
/// group (gus) and someone else (oscar); project `demo` is olga's, shared with `team`.
struct World {
    tmp: tempfile::TempDir,
    toaster: Toaster,
}

impl World {
    fn new(mode: &str) -> World {
        let tmp = tempfile::tempdir().unwrap();
        let toaster = Toaster::init_sqlite(&tmp.path().join("toaster.sqlite")).unwrap();
        let alice = toaster.add_first_owner("alice", None, "test").unwrap();
        for name in ["olga", "gus", "oscar"] {
            alice.add_owner(name, None).unwrap();
        }
        alice.add_group("team").unwrap();
        alice.set_member("team", "gus", true).unwrap();
        alice.set_member("team", "olga", true).unwrap();
        let olga = toaster.act_as("olga", "test").unwrap();
        olga.create_project(
            "demo",
            &tmp.path().join("demo"),
            &crate::ProjectOptions {
                group: Some("team"),
                ..Default::default()
            },
        )
        .unwrap();
        olga.chmod("demo", mode).unwrap();
        World { tmp, toaster }
    }

    fn who(&self, relation: Relation) -> Actor {
        let name = match relation {
            Relation::Admin => "alice",
            Relation::Owner => "olga",
            Relation::GroupMember => "gus",
            Relation::Other => "oscar",
        };
        self.toaster.act_as(name, "test").unwrap()
    }

    /// The database's bytes: the main file and its write-ahead log.
    fn bytes(&self) -> Vec<u8> {
        let db = self.tmp.path().join("toaster.sqlite");
        let wal = PathBuf::from(format!("{}-wal", db.display()));
        let mut bytes = std::fs::read(&db).unwrap();
        bytes.extend(std::fs::read(&wal).unwrap_or_default());
        bytes
    }

    fn dir(&self) -> &Path {
        self.tmp.path()
    }
}

fn attempt(actor: &Actor, right: Right) -> Result<(), Error> {
    match right {
        Right::Read => actor.config("demo").map(drop),
        Right::Configure => {
            let change = ConfigChange::Set {
                key: ConfigKey::parse("MATRIX").unwrap(),
                value: "x".into(),
            };
            actor.change_config("demo", &[change], None).map(drop)
        }
        Right::Delete => actor.delete_project("demo", false).map(drop),
        Right::Build => actor.start_build("demo", "matrix-host", None).map(drop),
    }
}

#[test]
fn the_permission_matrix() {
    // For each mode, what each relation may do (letters r, c, b, d), written out by hand:
    // admin, owner, group member, other.
    let table: [(&str, [&str; 4]); 4] = [
        ("owner=rcbd,group=r,others=", ["rcbd", "rcbd", "r", ""]),
        (
            "owner=rcbd,group=rcbd,others=r",
            ["rcbd", "rcbd", "rcbd", "r"],
        ),
        ("owner=r,group=rc,others=rcbd", ["rcbd", "r", "rc", "rcbd"]),
        ("owner=,group=,others=", ["rcbd", "", "", ""]),
    ];
    let relations = [
        Relation::Admin,
        Relation::Owner,
        Relation::GroupMember,
        Relation::Other,
    ];
    let mut checked = 0;
    for (text, allowed) in table {
        for (relation, letters) in relations.into_iter().zip(allowed) {
            for right in Right::ALL {
                let expected = letters.contains(right.letter());
                let world = World::new(text);
                let actor = world.who(relation);
                let before = world.bytes();
                let outcome = attempt(&actor, right);
                let case = format!("{text} / {relation:?} / {right}");
                if expected {
                    assert!(outcome.is_ok(), "{case}: {:?}", outcome.err());
                } else {
                    let err = outcome.expect_err(&case);
                    assert_eq!(err.kind(), ErrorKind::Denied, "{case}: {err}");
                    match &err {
                        Error::Denied {
                            owner,
                            action,
                            project,
                        } => {
                            assert_eq!(owner, &actor.owner().name);
                            assert_eq!(*action, Action::Project(right));
                            assert_eq!(project.as_ref().map(|p| p.as_str()), Some("demo"));
                        }
                        other => panic!("{case}: {other}"),
                    }
                    assert!(
                        err.to_string()
                            .contains(&format!("may not {right} project `demo`")),
                        "{err}"
                    );
                    assert!(
                        world.bytes() == before,
                        "{case}: a refusal changed the database"
                    );
                }
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 64);
}

#[test]
fn listings_show_only_what_the_actor_may_read() {
    let world = World::new("owner=rcbd,group=r,others=");
    world
        .who(Relation::Other)
        .create_project(
            "oscars",
            &world.dir().join("oscars"),
            &crate::ProjectOptions {
                ..Default::default()
            },
        )
        .unwrap();
    let names = |relation, mine| -> Vec<String> {
        world
            .who(relation)
            .projects(mine)
            .unwrap()
            .iter()
            .map(|p| p.name.to_string())
            .collect()
    };
    assert_eq!(names(Relation::Admin, false), ["demo", "oscars"]);
    assert_eq!(names(Relation::Owner, false), ["demo"]);
    assert_eq!(names(Relation::GroupMember, false), ["demo"]);
    assert_eq!(names(Relation::GroupMember, true), Vec::<String>::new());
    assert_eq!(names(Relation::Other, false), ["oscars"]);
    assert_eq!(names(Relation::Owner, true), ["demo"]);
}

#[test]
fn only_owner_and_admin_change_permissions() {
    let world = World::new("owner=rcbd,group=rcbd,others=rcbd");
    let gus = world.who(Relation::GroupMember);
    let before = world.bytes();
    for err in [
        gus.chmod("demo", "others=").unwrap_err(),
        gus.chown("demo", "gus").unwrap_err(),
        gus.chgrp("demo", None).unwrap_err(),
    ] {
        assert_eq!(err.kind(), ErrorKind::Denied, "{err}");
    }
    assert!(world.bytes() == before);
    let olga = world.who(Relation::Owner);
    let err = olga.chgrp("demo", Some("nobody")).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    let admin = world.who(Relation::Admin);
    admin.add_group("outsiders").unwrap();
    let err = olga.chgrp("demo", Some("outsiders")).unwrap_err();
    assert!(matches!(err, Error::NotAMember { .. }), "{err}");
    assert_eq!(
        olga.chmod("demo", "group=c").unwrap_err().kind(),
        ErrorKind::Invalid
    );
    let given = olga.chown("demo", "gus").unwrap();
    assert_eq!(given.owner_name.as_str(), "gus");
    assert_eq!(
        olga.chmod("demo", "others=").unwrap_err().kind(),
        ErrorKind::Denied,
        "olga gave it away"
    );
    let cleared = admin.chgrp("demo", None).unwrap();
    assert_eq!(cleared.group, None);
}

#[test]
fn owners_and_groups_are_managed_by_admins() {
    let world = World::new("owner=rcbd");
    let oscar = world.who(Relation::Other);
    let before = world.bytes();
    for err in [
        oscar.add_owner("mallory", None).unwrap_err(),
        oscar.add_group("cabal").unwrap_err(),
        oscar.set_member("team", "oscar", true).unwrap_err(),
        oscar.set_admin("oscar", true).unwrap_err(),
        oscar
            .edit_owner(
                "olga",
                &OwnerEdit {
                    email: Some("x@example.com"),
                    ..OwnerEdit::default()
                },
            )
            .unwrap_err(),
        oscar.set_default_mode("others=r").unwrap_err(),
    ] {
        assert_eq!(err.kind(), ErrorKind::Denied, "{err}");
        assert!(err.hint().is_some());
    }
    assert!(world.bytes() == before);
    // Owners may edit themselves.
    oscar
        .edit_owner(
            "oscar",
            &OwnerEdit {
                email: Some("o@example.com"),
                ..OwnerEdit::default()
            },
        )
        .unwrap();
    // Admins grant admin, and the last admin stays.
    let alice = world.who(Relation::Admin);
    let err = alice.set_admin("alice", false).unwrap_err();
    assert!(err.to_string().contains("last admin"), "{err}");
    alice.set_admin("oscar", true).unwrap();
    oscar
        .add_owner("mallory", None)
        .expect("oscar is an admin now, at once");
    alice.set_admin("alice", false).unwrap();
    assert_eq!(
        alice.add_group("late").unwrap_err().kind(),
        ErrorKind::Denied
    );
}

#[test]
fn the_instance_default_mode_applies_to_new_projects() {
    let world = World::new("owner=rcbd");
    let alice = world.who(Relation::Admin);
    alice.set_default_mode("others=r").unwrap();
    let oscar = world.who(Relation::Other);
    let project = oscar
        .create_project(
            "open",
            &world.dir().join("open"),
            &crate::ProjectOptions {
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(project.mode.to_string(), "owner=rcbd,group=r,others=r");
    assert!(world.who(Relation::GroupMember).project("open").is_ok());
}

#[test]
fn every_change_is_audited_with_who_what_and_client() {
    let world = World::new("owner=rcbd,group=rc,others=");
    let gus = world.who(Relation::GroupMember);
    gus.change_config(
        "demo",
        &[ConfigChange::Set {
            key: ConfigKey::Machine,
            value: "qemuarm".into(),
        }],
        None,
    )
    .unwrap();
    let olga = world.who(Relation::Owner);
    olga.delete_project("demo", true).unwrap();
    let alice = world.who(Relation::Admin);
    let entries = alice
        .audit(&AuditFilter {
            project: Some("demo".into()),
            ..AuditFilter::default()
        })
        .unwrap();
    let summary: Vec<(AuditAction, &str)> = entries
        .iter()
        .map(|e| (e.action, e.owner.as_str()))
        .collect();
    assert_eq!(
        summary,
        [
            (AuditAction::ProjectDelete, "olga"),
            (AuditAction::ConfigChange, "gus"),
            (AuditAction::PermissionChange, "olga"),
            (AuditAction::ProjectCreate, "olga"),
        ]
    );
    assert_eq!(entries[1].detail, "set machine = \"qemuarm\"");
    assert!(entries.iter().all(|e| e.client == "test"));
    let everything = alice.audit(&AuditFilter::default()).unwrap();
    assert!(everything.iter().any(|e| e.action == AuditAction::GroupMembers && e.detail == "added gus to group team"));
    // Non-admins see their own entries and those of projects they may read now.
    let oscar = world.who(Relation::Other);
    oscar
        .create_project(
            "mine",
            &world.dir().join("mine"),
            &crate::ProjectOptions {
                ..Default::default()
            },
        )
        .unwrap();
    let seen = oscar.audit(&AuditFilter::default()).unwrap();
    assert!(seen.iter().all(|e| e.owner.as_str() == "oscar"), "{seen:?}");
    assert_eq!(seen.len(), 1);
    assert_eq!(
        oscar
            .audit(&AuditFilter {
                limit: Some(0),
                ..AuditFilter::default()
            })
            .unwrap()
            .len(),
        0
    );
}

#[test]
fn a_new_owner_with_an_old_name_does_not_see_the_old_owners_entries() {
    let world = World::new("owner=rcbd,group=,others=");
    let olga = world.who(Relation::Owner);
    olga.change_config(
        "demo",
        &[ConfigChange::Set {
            key: ConfigKey::Machine,
            value: "qemuarm".into(),
        }],
        None,
    )
    .unwrap();
    olga.delete_project("demo", false).unwrap();
    let admin = world.who(Relation::Admin);
    admin
        .edit_owner(
            "olga",
            &OwnerEdit {
                name: Some("olga-old"),
                ..OwnerEdit::default()
            },
        )
        .unwrap();
    admin.add_owner("olga", None).unwrap();
    let newcomer = world.toaster.act_as("olga", "test").unwrap();
    let seen = newcomer.audit(&AuditFilter::default()).unwrap();
    assert!(seen.is_empty(), "{seen:?}");
    let old = world.toaster.act_as("olga-old", "test").unwrap();
    assert!(
        old.audit(&AuditFilter::default())
            .unwrap()
            .iter()
            .any(|e| e.action == AuditAction::ProjectDelete)
    );
}

#[test]
fn a_denial_the_store_finds_reads_like_the_facades_own() {
    let name = |n: &str| Name::parse("n", n).unwrap();
    let err = Error::from(crate::store::StoreError::Denied {
        owner: name("bob"),
        action: Action::Project(Right::Configure),
        project: Some(name("demo")),
    });
    assert!(matches!(err, Error::Denied { .. }), "{err:?}");
    assert_eq!(err.kind(), ErrorKind::Denied);
    assert_eq!(
        err.to_string(),
        "owner `bob` may not configure project `demo`"
    );
    assert!(err.hint().unwrap().contains("chmod"));
}
