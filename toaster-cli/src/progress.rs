//! Following a build as it runs: on a terminal, one line rewritten in place (the state,
//! parsing, then tasks done of total and the tasks running); otherwise a plain line each
//! time that changes. Written to standard error, so standard output keeps the result.

use std::io::{IsTerminal, Write};
use std::time::Duration;

use toaster_core::Actor;
use toaster_core::model::{Build, BuildId, TaskFilter};

/// How often the build is looked at.
const EVERY: Duration = Duration::from_millis(500);
/// How many running tasks the line names.
const RUNNING_SHOWN: u32 = 3;

/// Follows build `id` until it ends (or `done` says to stop looking); returns it as last
/// seen.
pub fn follow(
    actor: &Actor,
    id: BuildId,
    done: &dyn Fn() -> bool,
) -> Result<Build, toaster_core::Error> {
    let terminal = std::io::stderr().is_terminal();
    let mut last = String::new();
    loop {
        let build = actor.build(id)?.build;
        let line = describe(actor, &build)?;
        if line != last {
            let mut err = std::io::stderr().lock();
            // A closed standard error must not stop the build being followed.
            let _ = if terminal {
                write!(err, "\r\x1b[2K{line}")
            } else {
                writeln!(err, "{line}")
            };
            let _ = err.flush();
            last = line;
        }
        if build.state.is_final() || done() {
            if terminal {
                eprintln!();
            }
            return Ok(build);
        }
        std::thread::sleep(EVERY);
    }
}

/// `build 7 running: tasks 35/120, running busybox:do_compile zlib:do_install …`.
fn describe(actor: &Actor, build: &Build) -> Result<String, toaster_core::Error> {
    let p = &build.progress;
    let mut line = format!("build {} {}", build.id, build.state);
    if p.tasks_total > 0 {
        line.push_str(&format!(": tasks {}/{}", p.tasks_done, p.tasks_total));
        let running = TaskFilter {
            outcome: Some(None),
            recipe: None,
            by_elapsed: false,
            limit: RUNNING_SHOWN + 1,
            offset: 0,
        };
        let tasks = actor.tasks(build.id, &running)?;
        if !tasks.is_empty() && !build.state.is_final() {
            let names: Vec<String> = tasks
                .iter()
                .take(RUNNING_SHOWN as usize)
                .map(|t| {
                    crate::terminal::escape(&format!("{}:{}", t.record.recipe, t.record.task))
                        .into_owned()
                })
                .collect();
            let more = if tasks.len() > RUNNING_SHOWN as usize {
                " …"
            } else {
                ""
            };
            line.push_str(&format!(", running {}{more}", names.join(" ")));
        }
    } else if p.recipes_total > 0 {
        line.push_str(&format!(
            ": parsed {}/{} recipes",
            p.recipes_parsed, p.recipes_total
        ));
    }
    Ok(line)
}
