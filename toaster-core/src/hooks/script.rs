//! Script hooks: a program run as argv (never a shell line) in the build directory, in its
//! own process group, killed with all it started when its time limit passes.

use std::io::{self, Read};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use rustix::process::{Pid, Signal, WaitId, WaitIdOptions};

use super::output::Tail;
use super::seconds;
use crate::model::AttemptResult;

/// How often a running script is checked on.
const POLL: Duration = Duration::from_millis(50);
/// How long a script past its time limit has, after SIGTERM to its group, to stop what it
/// started (an emulator in a group of its own) before the group is killed.
const GRACE: Duration = Duration::from_secs(5);
/// How long the output is still read after the script's group is gone: only a process that
/// left the group and holds the output open keeps it open longer.
const DRAIN: Duration = Duration::from_secs(2);

/// A script to run.
#[derive(Debug, Clone, Copy)]
pub struct ScriptRun<'a> {
    /// The program (looked up in `PATH` when it has no `/`) and its arguments.
    pub argv: &'a [String],
    /// The directory it runs in: the build directory.
    pub dir: &'a Path,
    /// Variables added to the environment it inherits.
    pub env: &'a [(String, String)],
    /// How long it may run before it and everything it started are killed.
    pub time_limit: Duration,
}

/// Runs the script to its end or its time limit: delivered iff it exits with status 0; the
/// output is the last [`AttemptResult::MAX_OUTPUT`] bytes of its stdout and stderr. When
/// its main process ends, whatever it left running in its process group is killed.
pub fn run(script: &ScriptRun<'_>) -> AttemptResult {
    let Some(program) = script.argv.first() else {
        return AttemptResult::failed("no program to run: give the program and its arguments");
    };
    if !script.dir.is_dir() {
        return AttemptResult::failed(format!(
            "cannot run `{program}`: the build directory {} is gone (was the build cleaned or moved?)",
            script.dir.display()
        ));
    }
    let spawned = Command::new(program)
        .args(&script.argv[1..])
        .current_dir(script.dir)
        .envs(script.env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .spawn();
    let mut child = match spawned {
        Ok(child) => child,
        Err(e) => return AttemptResult::failed(spawn_failure(program, &e)),
    };
    let tail = Arc::new(Mutex::new(Tail::default()));
    let (done, readers) = read_output(&mut child, &tail);
    let ended = supervise(&mut child, script.time_limit);
    // Whatever the group's members still hold open closes with them; wait a little for
    // the readers to drain, then leave them to whatever escaped the group.
    let deadline = Instant::now() + DRAIN;
    for _ in 0..readers {
        if done
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .is_err()
        {
            break;
        }
    }
    let output = tail.lock().unwrap_or_else(PoisonError::into_inner).text();
    let mut result = match ended {
        Ended::Exited(status) => judge(status),
        Ended::TimedOut => AttemptResult::failed(format!(
            "killed after {} s: it ran longer than its time limit (its process group got SIGTERM, then SIGKILL {} s later)",
            seconds(script.time_limit),
            GRACE.as_secs()
        )),
        Ended::Lost(e) => AttemptResult::failed(format!(
            "lost track of `{program}`: {e} (it was killed with its process group)"
        )),
    };
    result.output = output;
    result
}

/// How a script's run ended.
enum Ended {
    Exited(ExitStatus),
    TimedOut,
    Lost(io::Error),
}

/// Waits for the script's main process to exit or its time to run out (then asks its group
/// to stop with SIGTERM, and waits [`GRACE`] more), then kills what is left of its process
/// group and reaps it. The group is killed while the main process is still a zombie, so
/// its id cannot have been taken by another group.
fn supervise(child: &mut Child, time_limit: Duration) -> Ended {
    let pid = Pid::from_child(child);
    // A limit too far to represent is no limit.
    let mut deadline = Instant::now().checked_add(time_limit);
    let mut terminated = false;
    let outcome = loop {
        match rustix::process::waitid(
            WaitId::Pid(pid),
            WaitIdOptions::EXITED | WaitIdOptions::NOHANG | WaitIdOptions::NOWAIT,
        ) {
            Ok(Some(_)) => break terminated.then_some(Ended::TimedOut),
            Ok(None) => {}
            Err(rustix::io::Errno::INTR) => {}
            Err(e) => break Some(Ended::Lost(e.into())),
        }
        let mut left = deadline.map(|d| d.saturating_duration_since(Instant::now()));
        if left == Some(Duration::ZERO) {
            if terminated {
                break Some(Ended::TimedOut);
            }
            let _ = rustix::process::kill_process_group(pid, Signal::TERM);
            terminated = true;
            deadline = Instant::now().checked_add(GRACE);
            left = Some(GRACE);
        }
        thread::sleep(left.map_or(POLL, |left| POLL.min(left)));
    };
    // Nothing to do when the group is already empty (ESRCH).
    let _ = rustix::process::kill_process_group(pid, Signal::KILL);
    let status = child.wait();
    match (outcome, status) {
        (Some(ended), _) => ended,
        (None, Ok(status)) => Ended::Exited(status),
        (None, Err(e)) => Ended::Lost(e),
    }
}

/// Starts one reader thread per pipe, each feeding `tail`; the receiver gets one message
/// per reader that reached the end of its pipe. Returns it with the number of readers.
fn read_output(child: &mut Child, tail: &Arc<Mutex<Tail>>) -> (Receiver<()>, usize) {
    let (sender, receiver) = mpsc::channel();
    let mut readers = 0;
    if let Some(pipe) = child.stdout.take() {
        spawn_reader(pipe, Arc::clone(tail), sender.clone());
        readers += 1;
    }
    if let Some(pipe) = child.stderr.take() {
        spawn_reader(pipe, Arc::clone(tail), sender);
        readers += 1;
    }
    (receiver, readers)
}

/// Reads `pipe` to its end into `tail`, then says so on `done`.
fn spawn_reader(mut pipe: impl Read + Send + 'static, tail: Arc<Mutex<Tail>>, done: Sender<()>) {
    thread::spawn(move || {
        let mut chunk = vec![0; 8192];
        loop {
            match pipe.read(&mut chunk) {
                Ok(0) => break,
                Ok(n) => tail
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push(&chunk[..n]),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => break,
            }
        }
        let _ = done.send(());
    });
}

/// The result of a script that exited.
fn judge(status: ExitStatus) -> AttemptResult {
    match (status.code(), status.signal()) {
        (Some(0), _) => AttemptResult {
            delivered: true,
            status: Some(0),
            detail: "exited with status 0".to_owned(),
            output: String::new(),
        },
        (Some(code), _) => AttemptResult {
            delivered: false,
            status: Some(i64::from(code)),
            detail: format!("exited with status {code}"),
            output: String::new(),
        },
        (None, Some(signal)) => AttemptResult::failed(format!("killed by signal {signal}")),
        (None, None) => AttemptResult::failed(format!("ended without an exit status ({status})")),
    }
}

/// What to say when the program cannot be started.
fn spawn_failure(program: &str, e: &io::Error) -> String {
    let exec_format = rustix::io::Errno::NOEXEC.raw_os_error();
    match e.kind() {
        io::ErrorKind::NotFound if program.contains('/') && Path::new(program).is_file() => {
            format!("cannot run `{program}`: its interpreter was not found (check its #! line)")
        }
        io::ErrorKind::NotFound => format!(
            "cannot run `{program}`: not found (give a path to an executable, or install it on the PATH)"
        ),
        io::ErrorKind::PermissionDenied => format!(
            "cannot run `{program}`: permission denied (make it executable: chmod +x {program})"
        ),
        _ if e.raw_os_error() == Some(exec_format) => format!(
            "cannot run `{program}`: it is not a program (start a script with a #! line like #!/bin/sh)"
        ),
        _ => format!("cannot run `{program}`: {e}"),
    }
}
