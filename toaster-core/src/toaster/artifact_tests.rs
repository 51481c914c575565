//! Artifacts through the facade: recorded with checksums, downloaded and checked, refused
//! when changed or on another host; build directories cleaned only when archived.

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::build_tests::Fixture;
use crate::ErrorKind;
use crate::ingest::{ArtifactEvent, BatchPolicy, Event};
use crate::model::{ArtifactKind, Build, BuildState};
use crate::runner::host_name;

fn policy() -> BatchPolicy {
    BatchPolicy::new(100, Duration::from_secs(60))
}

/// A build of `demo` on this host whose deploy directory holds `files`, recorded as
/// artifacts, and ended.
fn build_with(f: &Fixture, files: &[(&str, &[u8])]) -> (Build, PathBuf) {
    let build_dir = f.tmp.path().join("demo/build");
    let deploy = build_dir.join("tmp/deploy/images/qemux86-64");
    std::fs::create_dir_all(&deploy).unwrap();
    let build = f
        .alice
        .start_build("demo", &host_name(), Some(&build_dir))
        .unwrap();
    let mut recorder = f.alice.recorder(build.id, policy()).unwrap();
    for (name, bytes) in files {
        let path = deploy.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, bytes).unwrap();
        recorder
            .record(Event::Artifact(ArtifactEvent {
                kind: ArtifactKind::Image,
                dir: Some(deploy.display().to_string()),
                path: (*name).to_owned(),
                name: None,
                size: None,
                sha256: None,
            }))
            .unwrap();
    }
    recorder.finish(BuildState::Succeeded, None).unwrap();
    (f.alice.build(build.id).unwrap().build, deploy)
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

#[test]
fn artifacts_are_downloaded_checked_and_refused_once_changed() {
    let f = Fixture::new();
    let (build, deploy) = build_with(&f, &[("core.wic", b"image"), ("sub/core.dtb", b"dtb")]);
    let listed = f.alice.build_artifacts(build.id, None).unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!(
        listed[0].sha256.as_deref(),
        // `printf image | sha256sum`
        Some("6105d6cc76af400325e94d588ce511be5bfdbb73b437dc51eca43917d7a43e3d")
    );
    assert!(
        f.alice
            .build_artifacts(build.id, Some(ArtifactKind::Sdk))
            .unwrap()
            .is_empty()
    );

    let out = f.tmp.path().join("out");
    let names = ["core.wic".to_owned(), "sub/core.dtb".to_owned()];
    let copies = f
        .alice
        .download_artifacts(build.id, &names, &out, false)
        .unwrap();
    assert_eq!(copies.len(), 2);
    assert_eq!(read(&out.join("core.wic")), b"image");
    assert_eq!(read(&out.join("sub/core.dtb")), b"dtb");

    // An unknown name is refused before anything is copied.
    let fresh = f.tmp.path().join("fresh");
    let err = f
        .alice
        .download_artifacts(build.id, &[names[0].clone(), "nope".into()], &fresh, false)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound, "{err}");
    assert!(!fresh.exists());

    // Changed after the build: refused, nothing left behind; taken with force.
    std::fs::write(deploy.join("core.wic"), b"IMAGE").unwrap();
    let err = f
        .alice
        .download_artifacts(build.id, &names[..1], &fresh, false)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict, "{err}");
    assert!(
        err.to_string()
            .contains("changed since the build recorded it"),
        "{err}"
    );
    let left: Vec<_> = std::fs::read_dir(&fresh).unwrap().collect();
    assert!(left.is_empty(), "{left:?}");
    let forced = f
        .alice
        .download_artifacts(build.id, &names[..1], &fresh, true)
        .unwrap();
    assert!(forced[0].changed);
    assert_eq!(read(&fresh.join("core.wic")), b"IMAGE");

    // A link swapped in for the file, pointing out of the deploy directory, is not read.
    let secret = f.tmp.path().join("secret");
    std::fs::write(&secret, b"image").unwrap();
    std::fs::remove_file(deploy.join("core.wic")).unwrap();
    std::os::unix::fs::symlink(&secret, deploy.join("core.wic")).unwrap();
    let err = f
        .alice
        .download_artifacts(build.id, &names[..1], &fresh, true)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Invalid, "{err}");
    assert!(err.to_string().contains("leads out of"), "{err}");
}

#[test]
fn the_build_log_is_sealed_as_an_artifact_and_hostile_records_are_not_kept() {
    let f = Fixture::new();
    let build = f
        .alice
        .start_build("demo", &host_name(), Some(&f.tmp.path().join("demo/build")))
        .unwrap();
    let console = f.alice.open_build_log(build.id).unwrap();
    let mut recorder = f
        .alice
        .recorder(build.id, policy())
        .unwrap()
        .with_console_log(console);
    recorder
        .record(Event::Artifact(ArtifactEvent {
            kind: ArtifactKind::Image,
            dir: Some("/etc".into()),
            path: "../etc/passwd".into(),
            name: None,
            size: None,
            sha256: None,
        }))
        .unwrap();
    recorder.finish(BuildState::Failed, None).unwrap();
    let artifacts = f.alice.build_artifacts(build.id, None).unwrap();
    assert_eq!(artifacts.len(), 1, "{artifacts:?}");
    assert_eq!(artifacts[0].kind, ArtifactKind::Log);
    assert_eq!(artifacts[0].name, format!("build-{}.log", build.id));
    let log = f.alice.build(build.id).unwrap().build.log_path.unwrap();
    assert_eq!(artifacts[0].size, std::fs::metadata(&log).unwrap().len());
    let messages = f
        .alice
        .log_messages(build.id, crate::model::LogLevel::Warning)
        .unwrap();
    assert!(
        messages
            .iter()
            .any(|m| m.text.contains("artifact `../etc/passwd` not recorded")),
        "{messages:?}"
    );
}

#[test]
fn a_build_of_another_host_is_not_read_here() {
    let f = Fixture::new();
    let build = f.start();
    let mut recorder = f.alice.recorder(build.id, policy()).unwrap();
    recorder
        .record(Event::Artifact(ArtifactEvent {
            kind: ArtifactKind::Image,
            dir: Some("/srv/build/tmp/deploy/images".into()),
            path: "core.wic".into(),
            name: None,
            size: Some(5),
            sha256: Some("6105d6cc76af400325e94d588ce511be5bfdbb73b437dc51eca43917d7a43e3d".into()),
        }))
        .unwrap();
    recorder.finish(BuildState::Succeeded, None).unwrap();
    let err = f
        .alice
        .download_artifacts(
            build.id,
            &["core.wic".into()],
            &f.tmp.path().join("out"),
            false,
        )
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Invalid);
    assert!(err.to_string().contains("ran on host `buildhost`"), "{err}");
}

#[test]
fn a_build_directory_is_cleaned_once_its_builds_are_archived() {
    let f = Fixture::new();
    let (build, deploy) = build_with(&f, &[("core.wic", b"image")]);
    let err = f.alice.clean_project("demo", false).unwrap_err();
    assert!(
        err.to_string().contains(&format!("builds {}", build.id)),
        "{err}"
    );
    assert!(deploy.join("core.wic").exists());

    let running = f
        .alice
        .start_build("demo", &host_name(), Some(&f.tmp.path().join("demo/build")))
        .unwrap();
    let err = f.alice.clean_project("demo", true).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict, "{err}");
    let mut recorder = f.alice.recorder(running.id, policy()).unwrap();
    recorder.finish(BuildState::Cancelled, None).unwrap();

    let report = f.alice.clean_project("demo", true).unwrap();
    assert_eq!(report.unarchived, vec![build.id, running.id]);
    assert!(!f.tmp.path().join("demo/build/tmp").exists());
    assert!(f.tmp.path().join("demo/build/conf/local.conf").exists());
    let again = f.alice.clean_project("demo", true).unwrap();
    assert_eq!(again.removed, None);
}
