//! Archiving a large build and downloading a large artifact, beside the tools a user would
//! reach for, in the same run: `zip -r` of the very files the archive holds, and `cp` (then
//! `sync` of the copy, as a download is synced before it is renamed into place) of the
//! artifact.
//!
//! `cargo bench --bench artifacts` prints, last, the lines
//! `archive: toaster <ms> ms, zip -r <ms> ms, ratio <x>` and
//! `download: toaster <ms> ms, cp+sync <ms> ms, ratio <x>`.
//! RUNS (default 5) sets how many times each figure is measured (medians are shown);
//! SIZE_MB (default 1024) the artifact's size.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use toaster::ingest::synthetic::Workload;
use toaster::ingest::{ArtifactEvent, BatchPolicy, Event};
use toaster::model::{ArtifactKind, BuildId, BuildState, Timestamp};
use toaster::{Actor, Toaster};

const WORKLOAD: Workload = Workload::LARGE_IMAGE;
/// Failed tasks whose logs the archive keeps, and each log's size.
const TASK_LOGS: usize = 40;
const TASK_LOG_BYTES: usize = 256 << 10;

fn main() {
    let runs: usize = env_number("RUNS", 5);
    let size_mb: usize = env_number("SIZE_MB", 1024);
    let scratch = tempfile::tempdir().expect("scratch directory");
    let (alice, build) = recorded_build(scratch.path(), size_mb);
    println!(
        "workload: {} tasks, {} packages, {} log messages, {TASK_LOGS} failed tasks' logs of {} KiB, a {size_mb} MiB image; {runs} runs, medians",
        WORKLOAD.tasks,
        WORKLOAD.packages,
        WORKLOAD.logs,
        TASK_LOG_BYTES >> 10
    );

    // Archiving: the facade (reading the record from SQLite, writing the zip) against
    // `zip -r` of the archive's own contents, unpacked beforehand.
    let mut archive = (Vec::new(), Vec::new());
    let unpacked = scratch.path().join("unpacked");
    for run in 0..runs {
        let started = Instant::now();
        let archived = alice.archive_build(build, false).expect("archive");
        archive.0.push(started.elapsed());
        let path = archived.build.archive.expect("archive recorded").path;
        if run == 0 {
            let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
            println!("archive: {} ({} KiB)", path.display(), size >> 10);
            run_ok(
                Command::new("unzip")
                    .args(["-q", "-o"])
                    .arg(&path)
                    .arg("-d")
                    .arg(&unpacked),
            );
        }
        std::fs::remove_file(&path).expect("remove archive");
        let baseline = scratch.path().join("baseline.zip");
        let _ = std::fs::remove_file(&baseline);
        let started = Instant::now();
        run_ok(
            Command::new("zip")
                .args(["-q", "-r", "-6"])
                .arg(&baseline)
                .arg(".")
                .current_dir(&unpacked),
        );
        archive.1.push(started.elapsed());
    }

    // Downloading: a checked copy (read inside its directory, SHA-256 on the way, synced,
    // renamed into place) against `cp` and `sync` of the copy.
    let mut download = (Vec::new(), Vec::new());
    let image = format!("core-image-{size_mb}.wic");
    let out = scratch.path().join("out");
    let source = scratch
        .path()
        .join("demo/build/tmp/deploy/images")
        .join(&image);
    for _ in 0..runs {
        let _ = std::fs::remove_dir_all(&out);
        let started = Instant::now();
        alice
            .download_artifacts(build, std::slice::from_ref(&image), &out, false)
            .expect("download");
        download.0.push(started.elapsed());
        let copy = scratch.path().join("cp-copy.wic");
        let _ = std::fs::remove_file(&copy);
        let started = Instant::now();
        run_ok(Command::new("cp").arg(&source).arg(&copy));
        run_ok(Command::new("sync").arg(&copy));
        download.1.push(started.elapsed());
        std::fs::remove_file(&copy).expect("remove copy");
    }

    report("archive", "zip -r", &mut archive.0, &mut archive.1);
    report("download", "cp+sync", &mut download.0, &mut download.1);
}

/// A build of the large workload, ended failed, on this host: its log written by the
/// recorder, failed tasks' logs and a large image recorded as artifacts.
fn recorded_build(dir: &Path, size_mb: usize) -> (Actor, BuildId) {
    let toaster = Toaster::init_sqlite(&dir.join("toaster.sqlite")).expect("database");
    let alice = toaster
        .add_first_owner("alice", None, "bench")
        .expect("owner");
    alice
        .create_project(
            "demo",
            &dir.join("demo"),
            &toaster_core::ProjectOptions {
                ..Default::default()
            },
        )
        .expect("project");
    let build_dir = dir.join("demo/build");
    let tmp = build_dir.join("tmp");
    let deploy = tmp.join("deploy/images");
    std::fs::create_dir_all(&deploy).expect("deploy directory");
    let build = alice
        .start_build("demo", &Toaster::host_name(), Some(&build_dir))
        .expect("start");
    let console = alice.open_build_log(build.id).expect("build log");
    let mut recorder = alice
        .recorder(build.id, BatchPolicy::default())
        .expect("recorder")
        .with_console_log(console);
    for event in WORKLOAD.events(Timestamp::now()) {
        // The workload's own artifacts name files of another host; this build's are below.
        if !matches!(event, Event::Artifact(_) | Event::BuildCompleted { .. }) {
            recorder.record(event).expect("record");
        }
    }
    let mut artifacts: Vec<(ArtifactKind, PathBuf, String)> = Vec::new();
    let line = "| checking for gcc... (cached) /usr/bin/x86_64-poky-linux-gcc -m64 -march=core2\n";
    for n in 0..TASK_LOGS {
        let temp = tmp.join(format!("work/core2-64-poky-linux/recipe-{n}/1.0/temp"));
        std::fs::create_dir_all(&temp).expect("task log directory");
        let text = line.repeat(TASK_LOG_BYTES / line.len());
        std::fs::write(temp.join("log.do_compile.4242"), text).expect("task log");
        let path = format!("work/core2-64-poky-linux/recipe-{n}/1.0/temp/log.do_compile.4242");
        artifacts.push((ArtifactKind::TaskLog, tmp.clone(), path));
    }
    let image = format!("core-image-{size_mb}.wic");
    write_image(&deploy.join(&image), size_mb);
    artifacts.push((ArtifactKind::Image, deploy, image));
    for (kind, dir, path) in artifacts {
        recorder
            .record(Event::Artifact(ArtifactEvent {
                kind,
                dir: Some(dir.display().to_string()),
                path,
                name: None,
                size: None,
                sha256: None,
            }))
            .expect("artifact");
    }
    recorder
        .finish(BuildState::Failed, None)
        .expect("end the build");
    (alice, build.id)
}

/// An image of `size_mb` MiB that does not compress to nothing: one MiB of varied bytes,
/// repeated.
fn write_image(path: &Path, size_mb: usize) {
    let mut block = vec![0u8; 1 << 20];
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    for byte in &mut block {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        *byte = x.to_le_bytes()[0];
    }
    let mut file = std::io::BufWriter::new(std::fs::File::create(path).expect("image"));
    for _ in 0..size_mb {
        file.write_all(&block).expect("write image");
    }
    file.flush().expect("write image");
}

fn run_ok(command: &mut Command) {
    let status = command.status().expect("start a baseline tool");
    assert!(status.success(), "{command:?} failed: {status}");
}

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn median(times: &mut [Duration]) -> f64 {
    times.sort();
    times[times.len() / 2].as_secs_f64() * 1000.0
}

fn report(what: &str, baseline: &str, ours: &mut [Duration], theirs: &mut [Duration]) {
    let (ours, theirs) = (median(ours), median(theirs));
    println!(
        "{what}: toaster {ours:.0} ms, {baseline} {theirs:.0} ms, ratio {:.2}",
        ours / theirs
    );
}
