//! A recorder on a thread of its own: the event source hands batches over and goes on, so
//! a slow or locked database never holds up the build being recorded.

use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;

use super::{IngestError, Recorder, parse_lines};
use crate::model::{BuildId, BuildState};

enum Job {
    /// Event lines to record and write.
    Lines(String),
    /// End the build and report how that went.
    Finish(BuildState, mpsc::Sender<Result<(), IngestError>>),
}

/// Records batches of event lines on its own thread, in the order they are submitted. What
/// has been handed over when the thread gets to it is written in one transaction; a busy
/// database keeps it for the next. What went wrong is kept for
/// [`BackgroundRecorder::take_errors`].
pub struct BackgroundRecorder {
    build: BuildId,
    jobs: mpsc::Sender<Job>,
    worker: Option<thread::JoinHandle<()>>,
    errors: Arc<Mutex<Vec<IngestError>>>,
}

impl std::fmt::Debug for BackgroundRecorder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BackgroundRecorder")
            .field("build", &self.build)
            .finish()
    }
}

impl BackgroundRecorder {
    /// Moves `recorder` onto a thread of its own.
    pub fn spawn(mut recorder: Recorder) -> Result<BackgroundRecorder, IngestError> {
        let build = recorder.build();
        let (jobs, inbox) = mpsc::channel::<Job>();
        let errors = Arc::new(Mutex::new(Vec::new()));
        let kept = Arc::clone(&errors);
        let keep = move |e: IngestError| kept.lock().unwrap_or_else(|p| p.into_inner()).push(e);
        let worker = thread::Builder::new()
            .name(format!("toaster-recorder-{build}"))
            .spawn(move || {
                let mut finish = None;
                while finish.is_none() {
                    let Ok(first) = inbox.recv() else { return };
                    // Batches that queued up while the last was written are recorded
                    // together and written in one transaction: fewer commits, and a task's
                    // end met while its start is still pending is written once.
                    let mut job = Some(first);
                    while let Some(current) = job.take() {
                        match current {
                            Job::Lines(text) => {
                                let recorded = parse_lines(&text).and_then(|events| {
                                    events.into_iter().try_for_each(|e| recorder.record(e))
                                });
                                if let Err(e) = recorded {
                                    keep(e);
                                }
                                job = inbox.try_recv().ok();
                            }
                            Job::Finish(state, done) => finish = Some((state, done)),
                        }
                    }
                    if let Err(e) = recorder.flush() {
                        keep(e);
                    }
                }
                if let Some((state, done)) = finish {
                    // One more try if the database was busy: the end stays pending.
                    let ended = recorder.finish(state, None).or_else(|_| recorder.flush());
                    let _ = done.send(ended);
                }
            })
            .map_err(|_| IngestError::Stopped { build })?;
        Ok(BackgroundRecorder {
            build,
            jobs,
            worker: Some(worker),
            errors,
        })
    }

    /// The build being recorded.
    pub fn build(&self) -> BuildId {
        self.build
    }

    /// Hands a batch of event lines over; returns at once.
    pub fn submit(&self, lines: String) -> Result<(), IngestError> {
        self.jobs
            .send(Job::Lines(lines))
            .map_err(|_| IngestError::Stopped { build: self.build })
    }

    /// What went wrong since the last call, oldest first.
    pub fn take_errors(&self) -> Vec<IngestError> {
        std::mem::take(&mut *self.errors.lock().unwrap_or_else(|p| p.into_inner()))
    }

    /// Records what was submitted, ends the build in `state`, and waits for the thread.
    /// Returns what went wrong that was not taken yet.
    pub fn finish(mut self, state: BuildState) -> Result<Vec<IngestError>, IngestError> {
        let (done, outcome) = mpsc::channel();
        self.jobs
            .send(Job::Finish(state, done))
            .map_err(|_| IngestError::Stopped { build: self.build })?;
        let ended = outcome
            .recv()
            .map_err(|_| IngestError::Stopped { build: self.build })?;
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
        ended.map(|()| self.take_errors())
    }
}
