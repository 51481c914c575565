use std::path::Path;
use std::time::{Duration, Instant};

use crate::hooks::script::{ScriptRun, run};
use crate::model::AttemptResult;

const MAX: usize = AttemptResult::MAX_OUTPUT;
const LONG: Duration = Duration::from_secs(60);

/// Runs a shell line (only tests use a shell) in `dir`.
fn sh(line: &str, dir: &Path, env: &[(String, String)], time_limit: Duration) -> AttemptResult {
    let argv = ["/bin/sh".to_owned(), "-c".to_owned(), line.to_owned()];
    run(&ScriptRun {
        argv: &argv,
        dir,
        env,
        time_limit,
    })
}

/// Whether a process is still running (a zombie waiting to be reaped is not).
fn running(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Err(_) => false,
        Ok(stat) => {
            let state = stat.rsplit(')').next().unwrap_or_default().trim_start();
            !(state.starts_with('Z') || state.starts_with('X'))
        }
    }
}

#[test]
fn the_exit_status_decides() {
    let dir = tempfile::tempdir().unwrap();
    let ok = sh("echo fine", dir.path(), &[], LONG);
    assert!(ok.delivered, "{ok:?}");
    assert_eq!(
        (ok.status, ok.detail.as_str()),
        (Some(0), "exited with status 0")
    );
    assert_eq!(ok.output, "fine\n");

    let bad = sh("echo out; echo err >&2; exit 3", dir.path(), &[], LONG);
    assert!(!bad.delivered);
    assert_eq!(
        (bad.status, bad.detail.as_str()),
        (Some(3), "exited with status 3")
    );
    assert!(
        bad.output.contains("out\n") && bad.output.contains("err\n"),
        "{bad:?}"
    );

    let killed = sh("kill -TERM $$", dir.path(), &[], LONG);
    assert!(!killed.delivered);
    assert_eq!(
        (killed.status, killed.detail.as_str()),
        (None, "killed by signal 15")
    );
}

#[test]
fn the_script_sees_its_environment_and_directory() {
    let dir = tempfile::tempdir().unwrap();
    let env = [("TOASTER_TEST_VALUE".to_owned(), "a b".to_owned())];
    let result = sh(
        r#"printf '%s|%s|%s' "$TOASTER_TEST_VALUE" "$(pwd -P)" "${PATH:+inherited}""#,
        dir.path(),
        &env,
        LONG,
    );
    assert!(result.delivered, "{result:?}");
    let real = dir.path().canonicalize().unwrap();
    assert_eq!(result.output, format!("a b|{}|inherited", real.display()));
}

#[test]
fn the_time_limit_kills_the_whole_group() {
    let dir = tempfile::tempdir().unwrap();
    let start = Instant::now();
    let result = sh(
        "sleep 30 & echo $! > child.pid; echo waiting; sleep 30",
        dir.path(),
        &[],
        Duration::from_secs(1),
    );
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "{:?}",
        start.elapsed()
    );
    assert!(!result.delivered);
    assert_eq!(result.status, None);
    assert!(
        result
            .detail
            .starts_with("killed after 1 s: it ran longer than its time limit"),
        "{}",
        result.detail
    );
    assert_eq!(result.output, "waiting\n");
    let pid: u32 = std::fs::read_to_string(dir.path().join("child.pid"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    let gone_by = Instant::now() + Duration::from_secs(10);
    while running(pid) && Instant::now() < gone_by {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(!running(pid), "the script's child {pid} survived");
}

#[test]
fn huge_output_keeps_its_last_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let result = sh(
        "head -c 150000000 /dev/zero | tr '\\0' x; printf END",
        dir.path(),
        &[],
        LONG,
    );
    assert!(result.delivered, "{}", result.detail);
    assert_eq!(result.output.len(), MAX);
    assert!(result.output.ends_with("xxxEND"));
}

#[test]
fn a_background_child_holding_the_output_does_not_hold_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let start = Instant::now();
    let result = sh(
        "sleep 60 & echo $! > child.pid; echo started; exit 0",
        dir.path(),
        &[],
        LONG,
    );
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "{:?}",
        start.elapsed()
    );
    assert!(result.delivered, "{result:?}");
    assert_eq!(result.output, "started\n");
    let pid: u32 = std::fs::read_to_string(dir.path().join("child.pid"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    let gone_by = Instant::now() + Duration::from_secs(10);
    while running(pid) && Instant::now() < gone_by {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(!running(pid), "the script's child {pid} survived");
}

#[test]
fn programs_that_cannot_run_say_why() {
    let dir = tempfile::tempdir().unwrap();
    let run_argv = |argv: &[String], dir: &Path| {
        run(&ScriptRun {
            argv,
            dir,
            env: &[],
            time_limit: LONG,
        })
    };
    let missing = run_argv(&["toaster-test-no-such-program".to_owned()], dir.path());
    assert!(!missing.delivered);
    assert_eq!(
        missing.detail,
        "cannot run `toaster-test-no-such-program`: not found (give a path to an executable, or install it on the PATH)"
    );

    let script = dir.path().join("hook.sh");
    std::fs::write(&script, "#!/bin/sh\nexit 0\n").unwrap();
    let path = script.display().to_string();
    let denied = run_argv(std::slice::from_ref(&path), dir.path());
    assert!(!denied.delivered);
    assert!(
        denied.detail.contains("permission denied"),
        "{}",
        denied.detail
    );
    assert!(
        denied.detail.contains(&format!("chmod +x {path}")),
        "{}",
        denied.detail
    );

    let gone = dir.path().join("gone");
    let lost = run_argv(&["/bin/true".to_owned()], &gone);
    assert!(!lost.delivered);
    assert!(lost.detail.contains("build directory"), "{}", lost.detail);
    assert!(lost.detail.contains("is gone"), "{}", lost.detail);

    assert!(!run_argv(&[], dir.path()).delivered);
}

#[test]
fn a_process_that_left_the_group_does_not_hold_the_run() {
    if std::process::Command::new("setsid")
        .arg("true")
        .status()
        .is_err()
    {
        eprintln!("skipped: no setsid");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let start = Instant::now();
    let result = sh(
        "setsid sh -c 'echo $$ > escaped.pid; exec sleep 30' &
         while [ ! -s escaped.pid ]; do sleep 0.05; done; echo left",
        dir.path(),
        &[],
        LONG,
    );
    let elapsed = start.elapsed();
    let pid: i32 = std::fs::read_to_string(dir.path().join("escaped.pid"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    if let Some(pid) = rustix::process::Pid::from_raw(pid) {
        let _ = rustix::process::kill_process(pid, rustix::process::Signal::KILL);
    }
    assert!(elapsed < Duration::from_secs(20), "{elapsed:?}");
    assert!(result.delivered, "{result:?}");
    assert_eq!(result.output, "left\n");
}

#[test]
fn a_script_past_its_limit_gets_sigterm_to_clean_up_first() {
    let dir = tempfile::tempdir().unwrap();
    let result = sh(
        "trap 'echo cleaning up; exit 7' TERM; echo started; sleep 30 & wait",
        dir.path(),
        &[],
        Duration::from_secs(1),
    );
    assert!(!result.delivered);
    assert!(
        result.detail.starts_with("killed after 1 s"),
        "{}",
        result.detail
    );
    assert_eq!(result.output, "started\ncleaning up\n");
}
