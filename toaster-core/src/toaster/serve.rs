//! The runner's loop: claims the builds this host may run, `jobs` at a time, and runs each
//! (see [`Actor::run_claimed`]) until stopped, or until none waits.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use super::{Actor, DeliverUntil, DeliveryReport, RunOptions, RunOutcome};
use crate::Error;
use crate::model::{Build, RunnerId};
use crate::runner::Stop;

/// How long an idle runner waits before it looks at the queue again.
const IDLE: Duration = Duration::from_secs(1);

/// What a runner tells its frontend as it goes.
#[derive(Debug)]
pub enum RunnerEvent<'a> {
    /// A build was claimed and is starting.
    Started(&'a Build),
    /// A build ended.
    Ended(&'a RunOutcome),
    /// An attempt at a hook's delivery was made.
    Delivered(&'a DeliveryReport),
    /// Something went wrong around a build; the runner goes on.
    Problem(&'a Error),
}

/// When a runner stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Until {
    /// When no build waits for it (`runner --once`).
    QueueEmpty,
    /// When it is stopped.
    Stopped,
}

impl Actor {
    /// Runs the queued builds this actor may build that may run on `host`, `jobs` at once
    /// (never two of one project, never two in one build directory: the claims see to it),
    /// until `until`; `stop` stops the builds running (they end `cancelled`) and the loop.
    /// `tell` hears what happens. Until stopped, it also delivers the hooks of every ended
    /// build it may (see [`Actor::deliverer`]); when it stops for an empty queue, it makes
    /// the attempts due of the builds it ran, and no others, before it returns. Returns the
    /// builds run, in the order they ended.
    pub fn serve(
        &self,
        host: &str,
        jobs: usize,
        until: Until,
        options: &RunOptions,
        stop: &Stop,
        tell: &(dyn Fn(RunnerEvent<'_>) + Sync),
    ) -> Result<Vec<Build>, Error> {
        let runner = RunnerId::generate(host)?;
        let ended = Mutex::new(Vec::new());
        let working = AtomicUsize::new(jobs.max(1));
        let deliverer = self.deliverer(host, None)?;
        let told = |report: &DeliveryReport| tell(RunnerEvent::Delivered(report));
        self.register_runner(&runner, host, jobs, options)?;
        std::thread::scope(|scope| {
            // Says the runner is alive every third of its lease, until it stops.
            scope.spawn(|| {
                let every = (options.lease / 3).max(IDLE);
                let mut last = std::time::Instant::now();
                while !stop.requested() && working.load(Ordering::Acquire) > 0 {
                    std::thread::sleep(IDLE.min(every));
                    if last.elapsed() < every {
                        continue;
                    }
                    last = std::time::Instant::now();
                    let beat = self.runner_alive(&runner).or_else(|e| match e {
                        // Removed meanwhile (a database copied, say): register again.
                        Error::Store(crate::store::StoreError::NotFound { .. }) => {
                            self.register_runner(&runner, host, jobs, options)
                        }
                        e => Err(e),
                    });
                    if let Err(e) = beat {
                        tell(RunnerEvent::Problem(&e));
                    }
                }
            });
            if until == Until::Stopped {
                scope.spawn(|| {
                    let done = || stop.requested() || working.load(Ordering::Acquire) == 0;
                    while let Err(e) = deliverer.run(DeliverUntil::Stopped(&done), &mut &told) {
                        tell(RunnerEvent::Problem(&e));
                        std::thread::sleep(IDLE);
                    }
                });
            }
            for _ in 0..jobs.max(1) {
                scope.spawn(|| {
                    // Counted out however this job ends, a panic too: the threads that
                    // wait for the jobs must not wait for ever.
                    let _counted = Counted(&working);
                    while !stop.requested() {
                        let claimed = self.expire_claims().and_then(|_| {
                            self.claim_next_build(
                                &runner,
                                host,
                                options.lease,
                                options.work_root.as_deref(),
                                &options.releases,
                            )
                        });
                        match claimed {
                            Ok(Some(build)) => {
                                tell(RunnerEvent::Started(&build));
                                match self.run_claimed(&build, &runner, options, stop) {
                                    Ok(outcome) => {
                                        tell(RunnerEvent::Ended(&outcome));
                                        ended
                                            .lock()
                                            .unwrap_or_else(|p| p.into_inner())
                                            .push(outcome.build);
                                    }
                                    Err(e) => tell(RunnerEvent::Problem(&e)),
                                }
                            }
                            Ok(None) if until == Until::QueueEmpty => break,
                            Ok(None) => std::thread::sleep(IDLE),
                            Err(e) => {
                                tell(RunnerEvent::Problem(&e));
                                std::thread::sleep(IDLE);
                            }
                        }
                    }
                });
            }
        });
        if let Err(e) = self.unregister_runner(&runner) {
            tell(RunnerEvent::Problem(&e));
        }
        let ended = ended.into_inner().unwrap_or_else(|p| p.into_inner());
        if until == Until::QueueEmpty && !stop.requested() {
            for build in &ended {
                let delivered = self
                    .deliverer(host, Some(build.id))
                    .and_then(|d| d.deliver_due(&mut &told));
                if let Err(e) = delivered {
                    tell(RunnerEvent::Problem(&e));
                }
            }
        }
        Ok(ended)
    }
}

/// One job of a runner, counted out of `working` when it ends.
struct Counted<'a>(&'a AtomicUsize);

impl Drop for Counted<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}
