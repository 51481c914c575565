//! Build archives through the facade: written whole, read back after the build directory
//! is gone, imported into another database; archives that are not ours refused.

use std::io::Write;
use std::path::Path;
use std::time::Duration;

use super::Toaster;
use super::build_tests::Fixture;
use crate::ErrorKind;
use crate::artifacts::archive::ArchiveWriter;
use crate::artifacts::build_archive::{MANIFEST, RECORD};
use crate::ingest::{ArtifactEvent, BatchPolicy, Event};
use crate::model::{
    ArtifactKind, Build, BuildState, ConfigChange, ConfigKey, LogLevel, TaskFilter,
};
use crate::runner::host_name;

/// A failed build of `demo` on this host: an image and a failed task's log recorded, a
/// task that failed, an error message, and a log file.
fn failed_build(f: &Fixture) -> Build {
    let build_dir = f.tmp.path().join("demo/build");
    let deploy = build_dir.join("tmp/deploy/images/qemux86-64");
    let temp = build_dir.join("tmp/work/busybox/temp");
    std::fs::create_dir_all(&deploy).unwrap();
    std::fs::create_dir_all(&temp).unwrap();
    std::fs::write(deploy.join("core.wic"), vec![7u8; 100_000]).unwrap();
    std::fs::write(temp.join("log.do_compile.42"), b"error: it broke\n").unwrap();
    let build = f
        .alice
        .start_build("demo", &host_name(), Some(&build_dir))
        .unwrap();
    let console = f.alice.open_build_log(build.id).unwrap();
    let mut recorder = f
        .alice
        .recorder(build.id, BatchPolicy::new(100, Duration::from_secs(60)))
        .unwrap()
        .with_console_log(console);
    let events = [
        r#"{"event":"task_started","recipe":"busybox","task":"do_compile","at":1000}"#.to_owned(),
        r#"{"event":"task_finished","recipe":"busybox","task":"do_compile","outcome":"failed","at":2000}"#.to_owned(),
        r#"{"event":"log","level":"error","text":"busybox do_compile failed","task":"busybox:do_compile","file":null,"line":null,"at":2000}"#.to_owned(),
        r#"{"event":"task_dependencies","recipe":"busybox","task":"do_compile","depends":[{"recipe":"busybox","task":"do_configure"},{"recipe":"glibc","task":"do_populate_sysroot"}]}"#.to_owned(),
        r#"{"event":"task_dependencies","recipe":"busybox","task":"do_configure","depends":[{"recipe":"busybox","task":"do_fetch"}]}"#.to_owned(),
        r#"{"event":"provider","name":"virtual/libc","recipe":"glibc"}"#.to_owned(),
        r#"{"event":"package","name":"busybox","version":"1.36-r0","size":9,"recipe":"busybox","depends":[],"relations":{"rrecommends":["busybox-syslog"]}}"#.to_owned(),
        r#"{"event":"package_files","package":"busybox","files":[{"path":"/bin/busybox","size":9}]}"#.to_owned(),
        r#"{"event":"image_packages","target":"core-image-minimal","packages":[{"name":"busybox","size":9,"depends":[{"name":"libc6","kind":"depends"}]},{"name":"libc6","size":4}]}"#.to_owned(),
        r#"{"event":"image_files","target":"core-image-minimal","files":[{"path":"/bin/busybox","size":9,"type":"file","mode":"-rwxr-xr-x","owner":"root","group":"root"}]}"#.to_owned(),
        r#"{"event":"recipe_dependencies","recipe":"busybox","kind":"build","depends":[{"recipe":"glibc","via":"virtual/libc"},{"recipe":"zlib"}]}"#.to_owned(),
        r#"{"event":"recipe_dependencies","recipe":"busybox","kind":"runtime","depends":[{"recipe":"glibc"}]}"#.to_owned(),
        r#"{"event":"variable","name":"GREETING","value":"hello world","unexpanded":"hello ${WHO}"}"#.to_owned(),
        r#"{"event":"variable_history","name":"GREETING","changes":[{"operation":"set?","file":"/l/conf/layer.conf","line":8,"value":"hello"},{"operation":"append","file":"/b/conf/local.conf","line":2,"value":"${WHO}"}]}"#.to_owned(),
        r#"{"event":"variable","name":"DISTRO","value":"toy","history_kept":false}"#.to_owned(),
    ];
    for line in &events {
        recorder
            .record(crate::ingest::parse_line(line).unwrap().unwrap())
            .unwrap();
    }
    for (kind, dir, path, name) in [
        (ArtifactKind::Image, &deploy, "core.wic", "core.wic"),
        (
            ArtifactKind::TaskLog,
            &build_dir.join("tmp"),
            "work/busybox/temp/log.do_compile.42",
            "logs/busybox/log.do_compile.42",
        ),
    ] {
        recorder
            .record(Event::Artifact(ArtifactEvent {
                kind,
                dir: Some(dir.display().to_string()),
                path: path.to_owned(),
                name: Some(name.to_owned()),
                size: None,
                sha256: None,
            }))
            .unwrap();
    }
    recorder.finish(BuildState::Failed, None).unwrap();
    f.alice.build(build.id).unwrap().build
}

#[test]
fn an_archived_build_is_read_back_after_its_directory_is_gone() {
    let f = Fixture::new();
    let build = failed_build(&f);
    let err = f.alice.archive_build(f.start().id, false).unwrap_err();
    assert_eq!(
        err.kind(),
        ErrorKind::Conflict,
        "a build still going: {err}"
    );

    let archived = f.alice.archive_build(build.id, false).unwrap();
    let archive = archived.build.archive.clone().unwrap();
    assert!(archive.path.starts_with(f.tmp.path().join("archives")));
    assert!(!archive.images);
    let kept: Vec<(String, bool)> = archived
        .manifest
        .files
        .iter()
        .map(|f| (f.name.clone(), f.stored))
        .collect();
    let log = format!("build-{}.log", build.id);
    assert_eq!(
        kept,
        vec![
            ("core.wic".to_owned(), false),
            ("logs/busybox/log.do_compile.42".to_owned(), true),
            (log, true),
        ]
    );
    let with_images = f.alice.archive_build(build.id, true).unwrap();
    assert!(with_images.build.archive.unwrap().images);

    // The build directory is recycled: the record and the archived files stay.
    std::fs::remove_dir_all(f.tmp.path().join("demo/build/tmp")).unwrap();
    let all = TaskFilter {
        limit: 10,
        ..TaskFilter::default()
    };
    assert_eq!(f.alice.tasks(build.id, &all).unwrap().len(), 1);
    assert_eq!(
        f.alice
            .log_messages(build.id, LogLevel::Error)
            .unwrap()
            .len(),
        1
    );
    let out = f.tmp.path().join("out");
    let names = [
        "core.wic".to_owned(),
        "logs/busybox/log.do_compile.42".to_owned(),
    ];
    let copies = f
        .alice
        .download_artifacts(build.id, &names, &out, false)
        .unwrap();
    assert!(copies.iter().all(|c| c.from_archive && !c.changed));
    assert_eq!(
        std::fs::read(out.join("core.wic")).unwrap(),
        vec![7u8; 100_000]
    );
    assert_eq!(
        std::fs::read(out.join("logs/busybox/log.do_compile.42")).unwrap(),
        b"error: it broke\n"
    );
}

#[test]
fn an_archive_imported_into_another_database_keeps_its_facts() {
    let f = Fixture::new();
    let build = failed_build(&f);
    let archived = f.alice.archive_build(build.id, true).unwrap();
    let path = archived.build.archive.unwrap().path;

    let other = tempfile::tempdir().unwrap();
    let toaster = Toaster::init_sqlite(&other.path().join("history.sqlite")).unwrap();
    let carol = toaster.add_first_owner("carol", None, "test").unwrap();
    carol
        .create_project(
            "history",
            &other.path().join("history"),
            &crate::ProjectOptions {
                release: Some("scarthgap"),
                ..Default::default()
            },
        )
        .unwrap();
    let imported = carol.import_archive(&path, "history").unwrap();
    assert_eq!(imported.state, BuildState::Failed);
    assert_eq!(imported.host, host_name());
    assert_eq!(imported.started_at, build.started_at);
    assert_eq!(
        (imported.errors, imported.warnings),
        (build.errors, build.warnings)
    );
    let origin = imported.origin.clone().unwrap();
    assert!(
        origin.contains(&format!("build {} of project demo", build.id)),
        "{origin}"
    );
    let copy = imported.archive.clone().unwrap().path;
    assert!(copy.starts_with(other.path().join("archives")), "{copy:?}");
    let all = TaskFilter {
        limit: 10,
        ..TaskFilter::default()
    };
    let tasks = carol.tasks(imported.id, &all).unwrap();
    assert_eq!(tasks.len(), 1);
    assert_eq!(
        carol.build_artifacts(imported.id, None).unwrap(),
        f.alice.build_artifacts(build.id, None).unwrap()
    );
    assert!(carol.deliveries(imported.id).unwrap().is_empty());
    // Its dependency graphs and providers come along, edge for edge.
    let (here, there) = (&f.alice, &carol);
    let task_edges = here.task_dependencies(build.id).unwrap();
    assert_eq!(task_edges.len(), 3);
    assert_eq!(there.task_dependencies(imported.id).unwrap(), task_edges);
    let recipe_edges = here.recipe_dependencies(build.id).unwrap();
    assert_eq!(recipe_edges.len(), 3);
    assert_eq!(
        there.recipe_dependencies(imported.id).unwrap(),
        recipe_edges
    );
    let providers = here.providers(build.id).unwrap();
    assert_eq!(providers.len(), 1);
    assert_eq!(there.providers(imported.id).unwrap(), providers);
    assert_eq!(
        there.packages(imported.id).unwrap(),
        here.packages(build.id).unwrap()
    );
    assert_eq!(
        there.package_files(imported.id, "busybox").unwrap(),
        here.package_files(build.id, "busybox").unwrap()
    );
    let image = "core-image-minimal";
    let installed = here.image_packages(build.id, image).unwrap();
    assert_eq!(installed.len(), 2);
    assert_eq!(there.image_packages(imported.id, image).unwrap(), installed);
    let all = crate::model::FileQuery::default();
    let listing = here.image_files(build.id, image, &all).unwrap();
    assert_eq!(listing.matched, 1);
    assert_eq!(
        there.image_files(imported.id, image, &all).unwrap(),
        listing
    );
    // And its variables, each with its history.
    let variables = here.recorded_variables(build.id).unwrap();
    assert_eq!(variables.len(), 2);
    assert_eq!(there.recorded_variables(imported.id).unwrap(), variables);
    let history = here.variable_history(build.id, "GREETING").unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(
        there.variable_history(imported.id, "GREETING").unwrap(),
        history
    );
    // Its files come from its archive, even once the original is gone.
    std::fs::remove_file(&path).unwrap();
    let out = other.path().join("out");
    carol
        .download_artifacts(imported.id, &["core.wic".into()], &out, false)
        .unwrap();
    assert_eq!(std::fs::read(out.join("core.wic")).unwrap().len(), 100_000);
}

/// Writes an archive of the given entries, as a hostile or damaged one would be.
fn zip_of(path: &Path, entries: &[(&str, &[u8])]) {
    let mut writer = ArchiveWriter::create(path).unwrap();
    for (name, bytes) in entries {
        writer.add_bytes(name, bytes).unwrap();
    }
    writer.finish().unwrap();
}

#[test]
fn archives_that_are_not_whole_build_archives_are_refused_writing_nothing() {
    let f = Fixture::new();
    let build = failed_build(&f);
    let good = f.alice.archive_build(build.id, false).unwrap();
    let good = good.build.archive.unwrap().path;
    let mut reader =
        crate::artifacts::archive::ArchiveReader::open(&good, &Default::default()).unwrap();
    let manifest: serde_json::Value = reader.read_json(MANIFEST).unwrap();
    let record: serde_json::Value = reader.read_json(RECORD).unwrap();
    let json = |v: &serde_json::Value| serde_json::to_vec(v).unwrap();

    let dir = f.tmp.path().join("hostile");
    std::fs::create_dir_all(&dir).unwrap();
    let mut newer = manifest.clone();
    newer["version"] = 2.into();
    let mut outside = record.clone();
    outside["artifacts"][0]["path"] = "../../etc/passwd".into();
    type Entries<'a> = Vec<(&'a str, Vec<u8>)>;
    let cases: Vec<(&str, Entries<'_>, &str)> = vec![
        (
            "no-manifest",
            vec![(RECORD, json(&record))],
            "has no manifest.json",
        ),
        (
            "version",
            vec![(MANIFEST, json(&newer)), (RECORD, json(&record))],
            "format version 2",
        ),
        (
            "missing-file",
            vec![(MANIFEST, json(&manifest)), (RECORD, json(&record))],
            "which it lacks",
        ),
        (
            "outside",
            vec![(MANIFEST, json(&manifest)), (RECORD, json(&outside))],
            "artifact path",
        ),
    ];
    let before = f
        .alice
        .builds(&crate::BuildQuery {
            project: None,
            visibility: crate::model::Visibility::All,
            limit: 100,
            offset: 0,
        })
        .unwrap()
        .len();
    for (name, entries, says) in cases {
        let path = dir.join(format!("{name}.zip"));
        let entries: Vec<(&str, &[u8])> = entries.iter().map(|(n, b)| (*n, b.as_slice())).collect();
        zip_of(&path, &entries);
        let err = f.alice.import_archive(&path, "demo").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Invalid, "{name}: {err}");
        assert!(err.to_string().contains(says), "{name}: {err}");
    }
    // Truncated.
    let bytes = std::fs::read(&good).unwrap();
    let cut = dir.join("cut.zip");
    std::fs::File::create(&cut)
        .unwrap()
        .write_all(&bytes[..bytes.len() / 2])
        .unwrap();
    assert_eq!(
        f.alice.import_archive(&cut, "demo").unwrap_err().kind(),
        ErrorKind::Invalid
    );
    let after = f
        .alice
        .builds(&crate::BuildQuery {
            project: None,
            visibility: crate::model::Visibility::All,
            limit: 100,
            offset: 0,
        })
        .unwrap()
        .len();
    assert_eq!(before, after, "a refused archive wrote a build");
    let copies: Vec<_> = std::fs::read_dir(f.tmp.path().join("archives"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with("imported"))
        .collect();
    assert!(copies.is_empty(), "{copies:?}");
}

#[test]
fn an_imported_build_shows_what_it_recorded_and_nothing_else() {
    let f = Fixture::new();
    let build = failed_build(&f);
    let archived = f.alice.archive_build(build.id, true).unwrap();
    let path = archived.build.archive.unwrap().path;
    let other = tempfile::tempdir().unwrap();
    let toaster = Toaster::init_sqlite(&other.path().join("history.sqlite")).unwrap();
    let carol = toaster.add_first_owner("carol", None, "test").unwrap();
    carol
        .create_project(
            "history",
            &other.path().join("history"),
            &crate::ProjectOptions {
                ..Default::default()
            },
        )
        .unwrap();
    carol
        .change_config(
            "history",
            &[ConfigChange::Set {
                key: ConfigKey::parse("BB_NUMBER_THREADS").unwrap(),
                value: "4".to_owned(),
            }],
            None,
        )
        .unwrap();
    let imported = carol.import_archive(&path, "history").unwrap();
    // Its log went with its build directory, as on a host the archive came from.
    std::fs::remove_dir_all(f.tmp.path().join("demo/build")).unwrap();

    let view = crate::views::BuildView::from(&carol.build(imported.id).unwrap());
    assert_eq!(view.revision, None, "not this database's revision");
    assert_eq!(view.variables, None, "not this project's variables");
    assert_eq!(
        (view.progress.tasks_done, view.progress.tasks_total),
        (1, 1),
        "{view:?}"
    );
    assert_eq!(view.log_path, None);
    // A build recorded here keeps its revision and variables; its log, gone with its
    // build directory, is named by the host it was written on, not by a missing path.
    let here = crate::views::BuildView::from(&f.alice.build(build.id).unwrap());
    assert_eq!(here.revision, Some(build.revision.0));
    assert!(here.variables.is_some());
    assert!(build.log_path.is_some());
    assert_eq!(here.log_path, None);
    assert_eq!(here.log_host.as_deref(), Some(host_name().as_str()));
}
