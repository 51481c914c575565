//! Build hosts through the facade: runners registered and listed with what they run, a
//! host's settings in the conf files written there, and projects placed in a runner's
//! work root.

use std::fs;

use super::build_tests::Fixture;
use super::*;
use crate::model::{ConfigChange, ConfigKey, RunnerId};
use crate::project_dir::MARKER;
use crate::{BuildRequest, ErrorKind, RUNNER_LEASE};

fn host_conf(project_dir: &std::path::Path) -> String {
    fs::read_to_string(project_dir.join("build/conf/toaster-host.conf")).unwrap()
}

#[test]
fn a_hosts_settings_go_into_the_conf_files_written_on_it() {
    let f = Fixture::new();
    let here = Toaster::host_name();
    let own = ConfigChange::Set {
        key: ConfigKey::Variable("BB_NUMBER_THREADS".into()),
        value: "2".into(),
    };
    f.alice.change_config("demo", &[own], None).unwrap();
    let set = |host: &str, pairs: &[(&str, &str)]| {
        let changes: Vec<(String, Option<String>)> = pairs
            .iter()
            .map(|(n, v)| (n.to_string(), Some(v.to_string())))
            .collect();
        f.alice.set_host_settings(host, &changes)
    };
    set("elsewhere", &[("DL_DIR", "/srv/elsewhere")]).unwrap();
    let settings = set(&here, &[("DL_DIR", "/srv/dl"), ("BB_NUMBER_THREADS", "16")]).unwrap();
    assert_eq!(settings.len(), 2);
    let demo = f.tmp.path().join("demo");
    f.alice.write_conf("demo").unwrap();
    let conf = host_conf(&demo);
    // This host's values take the place of the project's and the shared cache's.
    assert!(conf.contains("DL_DIR = \"/srv/dl\"\n"), "{conf}");
    assert!(conf.contains("BB_NUMBER_THREADS = \"16\"\n"), "{conf}");
    assert!(
        !conf.contains("elsewhere") && !conf.contains("= \"2\""),
        "{conf}"
    );
    // The project's own value is kept in its configuration.
    assert_eq!(
        f.alice.config("demo").unwrap().config.variables["BB_NUMBER_THREADS"].plain_value(),
        Some("2")
    );

    // Refused before anything is written: a build variable, a bad value, a non-admin.
    let before = f.alice.host_settings(&here).unwrap();
    let err = set(&here, &[("DL_DIR", "/srv/other"), ("MACHINE", "qemuarm")]).unwrap_err();
    assert!(matches!(&err, Error::NotHostSetting { name, .. } if name == "MACHINE"));
    assert!(err.hint().unwrap().contains("configuration"));
    let err = set(&here, &[("BB_NUMBER_THREADS", "many")]).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Invalid);
    f.alice.add_owner("bob", None).unwrap();
    let bob = f.alice.toaster.act_as("bob", "test").unwrap();
    let denied = bob.set_host_settings(&here, &[("DL_DIR".into(), Some("/tmp/x".into()))]);
    assert_eq!(denied.unwrap_err().kind(), ErrorKind::Denied);
    assert_eq!(f.alice.host_settings(&here).unwrap(), before);

    // Unset: back to the project's own value.
    f.alice
        .set_host_settings(&here, &[("BB_NUMBER_THREADS".into(), None)])
        .unwrap();
    f.alice.write_conf("demo").unwrap();
    assert!(host_conf(&demo).contains("BB_NUMBER_THREADS = \"2\"\n"));
}

#[test]
fn hosts_are_listed_with_their_runners_and_running_builds() {
    let f = Fixture::new();
    assert!(f.alice.build_hosts().unwrap().is_empty());
    let runner = RunnerId::generate("bh1").unwrap();
    let options = RunOptions {
        work_root: Some(f.tmp.path().join("work")),
        ..RunOptions::default()
    };
    let registered = f
        .alice
        .register_runner(&runner, "bh1", 2, &options)
        .unwrap();
    assert_eq!((registered.jobs, registered.address.as_deref()), (2, None));
    let queued = f.alice.request_build(
        "demo",
        &BuildRequest {
            host: "asker".into(),
            ..BuildRequest::default()
        },
    );
    let queued = queued.unwrap();
    let claimed = f
        .alice
        .claim_next_build(
            &runner,
            "bh1",
            RUNNER_LEASE,
            options.work_root.as_deref(),
            &[],
        )
        .unwrap()
        .unwrap();
    assert_eq!(claimed.id, queued.id);
    assert_eq!(claimed.build_dir, f.tmp.path().join("work/demo/build"));
    let [host] = &f.alice.build_hosts().unwrap()[..] else {
        panic!("one host")
    };
    assert!(host.alive && host.host == "bh1");
    assert_eq!(host.runners[0].runner, runner);
    assert_eq!(
        host.running.iter().map(|b| b.id).collect::<Vec<_>>(),
        [queued.id]
    );
    f.alice.runner_alive(&runner).unwrap();
    f.alice.unregister_runner(&runner).unwrap();
    let [host] = &f.alice.build_hosts().unwrap()[..] else {
        panic!("one host")
    };
    assert!(!host.alive && host.runners.is_empty() && host.running.len() == 1);
    assert_eq!(
        f.alice.runner_alive(&runner).unwrap_err().kind(),
        ErrorKind::NotFound
    );
}

#[test]
fn a_runner_places_a_project_in_its_work_root() {
    let f = Fixture::new();
    let work = f.tmp.path().join("work");
    let runner = RunnerId::generate("bh1").unwrap();
    f.alice
        .request_build(
            "demo",
            &BuildRequest {
                host: "asker".into(),
                ..BuildRequest::default()
            },
        )
        .unwrap();
    let build = f
        .alice
        .claim_next_build(&runner, "bh1", RUNNER_LEASE, Some(&work), &[])
        .unwrap()
        .unwrap();
    let project = f.alice.project("demo").unwrap();
    let placed = f.alice.placed(project.clone(), &build).unwrap();
    assert_eq!(placed.dir, work.join("demo"));
    assert_eq!(placed.build_dir(), build.build_dir);
    assert!(
        fs::read_to_string(work.join("demo").join(MARKER))
            .unwrap()
            .contains("demo")
    );
    // Placed again: the same directory, as it is.
    fs::write(work.join("demo/kept"), "x").unwrap();
    assert_eq!(
        f.alice.placed(project.clone(), &build).unwrap().dir,
        placed.dir
    );
    assert!(work.join("demo/kept").exists());
    // The project's own build runs where it is.
    let own = f.alice.start_build("demo", "bh1", None).unwrap();
    assert_eq!(f.alice.placed(project.clone(), &own).unwrap(), project);

    // A directory there of another project, or with files and no mark, is refused as is.
    fs::write(work.join("demo").join(MARKER), "project = other\n").unwrap();
    let err = f.alice.placed(project.clone(), &build).unwrap_err();
    assert!(
        err.to_string().contains("marked for project `other`"),
        "{err}"
    );
    fs::remove_file(work.join("demo").join(MARKER)).unwrap();
    let err = f.alice.placed(project, &build).unwrap_err();
    assert!(err.to_string().contains("not empty"), "{err}");
    assert!(work.join("demo/kept").exists());
}
