//! The shared download and sstate caches: one pair per database, beside it or where the
//! settings say, written into every project's host conf unless the project sets its own,
//! reused by clones, and never removed with a project's files.

use std::fs;
use std::path::Path;

use super::caches::{DOWNLOADS_DIR, SSTATE_DIR};
use super::*;
use crate::conf::HOST_CONF;
use crate::model::{ConfigChange, ConfigKey};

fn host_conf(project_dir: &Path) -> String {
    fs::read_to_string(project_dir.join("build/conf").join(HOST_CONF)).unwrap()
}

#[test]
fn projects_and_clones_share_the_caches_beside_the_database() {
    let tmp = tempfile::tempdir().unwrap();
    let toaster = Toaster::init_sqlite(&tmp.path().join("toaster.sqlite")).unwrap();
    let alice = toaster.add_first_owner("alice", None, "test").unwrap();
    let here = fs::canonicalize(tmp.path()).unwrap();
    let demo = tmp.path().join("demo");
    alice
        .create_project("demo", &demo, &crate::ProjectOptions::default())
        .unwrap();
    let caches = alice.shared_caches().unwrap().expect("a database file");
    assert_eq!(caches.downloads, here.join(DOWNLOADS_DIR));
    assert_eq!(caches.sstate, here.join(SSTATE_DIR));
    let conf = host_conf(&demo);
    let downloads = format!("DL_DIR = \"{}\"", here.join("downloads").display());
    let sstate = format!("SSTATE_DIR = \"{}\"", here.join("sstate-cache").display());
    assert!(
        conf.contains(&downloads) && conf.contains(&sstate),
        "{conf}"
    );
    // Not part of the configuration: nothing in it to undo, reset or export.
    let config = alice.config("demo").unwrap().config;
    assert!(!config.variables.contains_key("DL_DIR"));
    let clone = tmp.path().join("clone");
    alice.clone_project("demo", "clone", &clone).unwrap();
    assert!(host_conf(&clone).contains(&downloads));

    // A project's own value wins; the settings move every other project's.
    let own = ConfigChange::Set {
        key: ConfigKey::parse("DL_DIR").unwrap(),
        value: "/srv/own-downloads".to_owned(),
    };
    alice.change_config("clone", &[own], None).unwrap();
    alice
        .set_setting("cache.downloads", Some("/srv/yocto/downloads"))
        .unwrap();
    alice
        .set_setting("cache.sstate", Some("/srv/yocto/sstate"))
        .unwrap();
    alice.write_conf("demo").unwrap();
    alice.write_conf("clone").unwrap();
    let conf = host_conf(&demo);
    assert!(
        conf.contains("DL_DIR = \"/srv/yocto/downloads\"")
            && conf.contains("SSTATE_DIR = \"/srv/yocto/sstate\""),
        "{conf}"
    );
    let conf = host_conf(&clone);
    assert!(
        conf.contains("DL_DIR = \"/srv/own-downloads\"")
            && conf.contains("SSTATE_DIR = \"/srv/yocto/sstate\""),
        "{conf}"
    );
}

#[test]
fn deleting_a_projects_files_leaves_the_shared_caches() {
    let tmp = tempfile::tempdir().unwrap();
    let toaster = Toaster::init_sqlite(&tmp.path().join("toaster.sqlite")).unwrap();
    let alice = toaster.add_first_owner("alice", None, "test").unwrap();
    let demo = tmp.path().join("demo");
    alice
        .create_project("demo", &demo, &crate::ProjectOptions::default())
        .unwrap();
    let caches = alice.shared_caches().unwrap().unwrap();
    for dir in [&caches.downloads, &caches.sstate] {
        fs::create_dir_all(dir).unwrap();
        fs::write(dir.join("kept"), "fetched once").unwrap();
    }
    alice.delete_project("demo", true).unwrap();
    assert!(!demo.exists(), "the project's directory went");
    for dir in [&caches.downloads, &caches.sstate] {
        assert_eq!(
            fs::read_to_string(dir.join("kept")).unwrap(),
            "fetched once"
        );
    }
}
