//! The recorder: events in, batched transactional writes out, memory flat.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::event_log::EventLogWriter;
use super::variables::VariableLedger;
use super::{ConsoleLog, Event, IngestError, package_contents, sanitize};
use crate::model::{
    ArtifactKind, Build, BuildId, BuildState, BuildWrite, LogLevel, LogRecord, RecipeDependencies,
    TaskDependencies, TaskName, TaskRecord, Timestamp,
};
use crate::store::{Store, StoreError};

/// When the recorder writes: after this many writes, or when the oldest pending one is
/// this old (so progress shows while a build runs), whichever comes first. The age is
/// looked at when an event arrives; the recorder has no timer of its own, so a source that
/// can fall quiet sends [`Event::Heartbeat`] (BitBake fires one every second) or calls
/// [`Recorder::flush`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchPolicy {
    /// Writes per transaction at most.
    pub max_writes: usize,
    /// How long a write may wait.
    pub max_age: Duration,
}

impl BatchPolicy {
    /// A policy; at least one write per batch.
    pub fn new(max_writes: usize, max_age: Duration) -> BatchPolicy {
        BatchPolicy {
            max_writes: max_writes.max(1),
            max_age,
        }
    }
}

impl Default for BatchPolicy {
    fn default() -> BatchPolicy {
        BatchPolicy {
            max_writes: 4096,
            max_age: Duration::from_secs(1),
        }
    }
}

type TaskKey = (String, String);

/// Records one build. Keeps only the pending batch and the tasks running now in memory,
/// however long the build. A task that starts and ends within one batch is written once.
pub struct Recorder {
    store: Arc<dyn Store>,
    build: BuildId,
    policy: BatchPolicy,
    state: BuildState,
    pending: Vec<BuildWrite>,
    /// Where in `pending` each task's record is, to fold its end into its start.
    pending_tasks: HashMap<TaskKey, usize>,
    /// The tasks running now, with their order.
    running: HashMap<TaskKey, u32>,
    next_order: u32,
    oldest_pending: Option<Instant>,
    log: Option<EventLogWriter>,
    console: Option<ConsoleLog>,
    /// Log messages below this level go to the console log only.
    store_from: LogLevel,
    /// The variables told of so far.
    variables: VariableLedger,
}

impl std::fmt::Debug for Recorder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recorder")
            .field("build", &self.build)
            .field("state", &self.state)
            .field("pending", &self.pending.len())
            .field("running", &self.running.len())
            .finish()
    }
}

impl Recorder {
    /// A recorder for `build` whose next started task gets order `next_order`. Frontends get
    /// one from the facade ([`crate::Actor::recorder`]), which checks that the caller may
    /// record the build.
    pub(crate) fn new(
        store: Arc<dyn Store>,
        build: &Build,
        policy: BatchPolicy,
        next_order: u32,
    ) -> Recorder {
        Recorder {
            store,
            build: build.id,
            policy,
            state: build.state,
            pending: Vec::new(),
            pending_tasks: HashMap::new(),
            running: HashMap::new(),
            next_order,
            oldest_pending: None,
            log: None,
            console: None,
            store_from: LogLevel::Debug,
            variables: VariableLedger::default(),
        }
    }

    #[cfg(test)]
    /// Also writes every event to an event log.
    pub(crate) fn with_event_log(mut self, log: EventLogWriter) -> Recorder {
        self.log = Some(log);
        self
    }

    /// Also writes the build's console log (see [`crate::Actor::open_build_log`]).
    pub fn with_console_log(mut self, console: ConsoleLog) -> Recorder {
        self.console = Some(console);
        self
    }

    /// Stores only log messages at `level` or above; those below still reach the console
    /// log (the database keeps what is worth querying, the file what a reader scrolls).
    pub fn storing_logs_from(mut self, level: LogLevel) -> Recorder {
        self.store_from = level;
        self
    }

    /// The console log's file, when it writes one.
    pub fn console_log_path(&self) -> Option<&std::path::Path> {
        self.console.as_ref().map(ConsoleLog::path)
    }

    /// The build being recorded.
    pub fn build(&self) -> BuildId {
        self.build
    }

    /// How many writes wait for the next batch.
    pub fn pending(&self) -> usize {
        self.pending.len()
    }

    /// Takes one event; writes a batch when the policy says so. An error means the batch
    /// could not be written (see [`Recorder::flush`]); the recorder stays usable.
    pub fn record(&mut self, event: Event) -> Result<(), IngestError> {
        // An artifact is measured as it is heard of, so that what is logged and stored
        // carries its size and checksum.
        let event = match event {
            Event::Artifact(artifact) if artifact.size.is_none() && !self.ended() => {
                let shown = artifact
                    .name
                    .clone()
                    .unwrap_or_else(|| artifact.path.clone());
                match artifact.measured() {
                    Ok(measured) => Event::Artifact(measured),
                    Err(e) => {
                        self.warn(Some(format!("artifact `{shown}` not recorded: {e}")));
                        return Ok(());
                    }
                }
            }
            event => event,
        };
        if let Some(log) = &mut self.log {
            log.append(&event)?;
        }
        if self.ended() && self.pending.is_empty() {
            return Ok(()); // nothing more to write for an ended build
        }
        if let Some(console) = &mut self.console {
            let warning = console.write(&event);
            self.warn(warning);
        }
        let heartbeat = matches!(event, Event::Heartbeat { .. });
        self.apply(event);
        let due = self.pending.len() >= self.policy.max_writes
            || self
                .oldest_pending
                .is_some_and(|t| t.elapsed() >= self.policy.max_age);
        if self.ended() || due || (heartbeat && self.pending.is_empty()) {
            self.flush()?;
        }
        Ok(())
    }

    /// Writes what is pending (or, with nothing pending, marks the build alive) in one
    /// transaction. If the database was busy, the batch is kept for the next try; any other
    /// failure drops the batch, since retrying it cannot succeed.
    pub fn flush(&mut self) -> Result<(), IngestError> {
        if let Some(log) = &mut self.log {
            log.flush()?;
        }
        if let Some(console) = &mut self.console {
            let warning = console.flush();
            self.warn(warning);
        }
        let outcome = self.store.record(self.build, &self.pending);
        match outcome {
            Err(StoreError::Busy { .. }) => {}
            _ => {
                self.pending.clear();
                self.pending_tasks.clear();
                self.oldest_pending = None;
            }
        }
        outcome.map_err(|source| IngestError::Store {
            build: self.build,
            source,
        })
    }

    /// Marks the build interrupted (its events stopped before it ended) and writes what is
    /// left. If the database was busy, the end stays pending: flush again.
    pub fn interrupt(&mut self) -> Result<(), IngestError> {
        self.move_to(BuildState::Interrupted, None);
        self.flush()
    }

    /// Ends the build in `state` (succeeded, failed or cancelled) and writes what is left.
    /// If the database was busy, the end stays pending: flush again.
    /// Once the end is written, the console log this recorder wrote is complete: it is
    /// recorded as the build's artifact of kind `log`, with its size and checksum.
    pub fn finish(&mut self, state: BuildState, at: Option<Timestamp>) -> Result<(), IngestError> {
        self.record(Event::BuildCompleted { state, at })?;
        if self.pending.is_empty() {
            self.seal_console_log()?;
        }
        Ok(())
    }

    /// Records the finished console log as an artifact (once; a log that cannot be read
    /// any more is left unrecorded: its path stays on the build).
    fn seal_console_log(&mut self) -> Result<(), IngestError> {
        let Some(path) = self.console.as_ref().map(|c| c.path().to_owned()) else {
            return Ok(());
        };
        let (Some(dir), Some(file)) = (path.parent(), path.file_name()) else {
            return Ok(());
        };
        let file = file.to_string_lossy();
        let Ok(record) = crate::artifacts::measure(ArtifactKind::Log, &file, dir, &file) else {
            return Ok(());
        };
        self.console = None;
        self.store
            .record_artifacts(self.build, &[record])
            .map_err(|source| IngestError::Store {
                build: self.build,
                source,
            })
    }

    /// Whether the build has ended (later events are dropped, as BitBake's are after its
    /// last one).
    pub fn ended(&self) -> bool {
        self.state.is_final()
    }

    fn push(&mut self, write: BuildWrite) {
        self.oldest_pending.get_or_insert_with(Instant::now);
        self.pending.push(write);
    }

    /// Pushes what an event came to: its write, if any, and its warnings.
    fn take(&mut self, (write, warnings): super::variables::Outcome) {
        for warning in warnings {
            self.warn(Some(warning));
        }
        if let Some(write) = write {
            self.push(write);
        }
    }

    /// Records a warning about the recording itself as a log message of the build.
    fn warn(&mut self, text: Option<String>) {
        if let Some(text) = text {
            self.push(BuildWrite::Log(LogRecord {
                level: LogLevel::Warning,
                text: format!("toaster: {text}"),
                task: None,
                file: None,
                line: None,
                at: Some(Timestamp::now()),
            }));
        }
    }

    fn move_to(&mut self, next: BuildState, at: Option<Timestamp>) {
        if self.state.may_become(next) && self.state != next {
            self.state = next;
            self.push(BuildWrite::State(next, at.unwrap_or_else(Timestamp::now)));
        }
    }

    /// Sets progress counters, folding into a progress write still pending at the end.
    fn progress(
        &mut self,
        parsed: Option<u32>,
        recipes: Option<u32>,
        done: Option<u32>,
        tasks: Option<u32>,
    ) {
        if let Some(BuildWrite::Progress {
            recipes_parsed,
            recipes_total,
            tasks_done,
            tasks_total,
        }) = self.pending.last_mut()
        {
            *recipes_parsed = parsed.or(*recipes_parsed);
            *recipes_total = recipes.or(*recipes_total);
            *tasks_done = done.or(*tasks_done);
            *tasks_total = tasks.or(*tasks_total);
            return;
        }
        self.push(BuildWrite::Progress {
            recipes_parsed: parsed,
            recipes_total: recipes,
            tasks_done: done,
            tasks_total: tasks,
        });
    }

    /// Records a task's dependencies: each once (a dependency listed twice is noted), none
    /// on the task itself (a cycle of one, noted); longer cycles are kept as BitBake
    /// reported them (the walks through the graph take each task once).
    fn task_dependencies(&mut self, mut deps: TaskDependencies) {
        let mut seen = HashSet::new();
        let before = deps.depends.len();
        deps.depends.retain(|d| seen.insert(d.clone()));
        if deps.depends.len() < before {
            self.warn(Some(format!(
                "task {}:{} lists {} of its dependencies more than once; each is recorded once",
                deps.recipe,
                deps.task,
                before - deps.depends.len()
            )));
        }
        let own = TaskName::new(deps.recipe.clone(), deps.task.clone());
        if let Some(at) = deps.depends.iter().position(|d| *d == own) {
            deps.depends.remove(at);
            self.warn(Some(format!(
                "task {own} is listed as depending on itself; that dependency is not recorded"
            )));
        }
        if !deps.depends.is_empty() {
            self.push(BuildWrite::TaskDependencies(deps));
        }
    }

    /// Records a recipe's dependencies of one kind: each once (a dependency listed twice is
    /// noted), none on the recipe itself (noted); cycles are kept as reported.
    fn recipe_dependencies(&mut self, mut deps: RecipeDependencies) {
        let mut seen = HashSet::new();
        let before = deps.depends.len();
        deps.depends.retain(|d| seen.insert(d.recipe.clone()));
        if deps.depends.len() < before {
            self.warn(Some(format!(
                "recipe {} lists {} of its {} dependencies more than once; each is recorded once",
                deps.recipe,
                before - deps.depends.len(),
                deps.kind
            )));
        }
        if let Some(at) = deps.depends.iter().position(|d| d.recipe == deps.recipe) {
            deps.depends.remove(at);
            self.warn(Some(format!(
                "recipe {} is listed as needing itself ({}); that dependency is not recorded",
                deps.recipe, deps.kind
            )));
        }
        if !deps.depends.is_empty() {
            self.push(BuildWrite::RecipeDependencies(deps));
        }
    }

    fn apply(&mut self, event: Event) {
        if self.state.is_final() {
            return;
        }
        match event {
            Event::ParseStarted { total } => {
                self.move_to(BuildState::Parsing, None);
                self.progress(Some(0), Some(total), None, None);
            }
            Event::ParseProgress { parsed, total } => {
                self.progress(Some(parsed), Some(total), None, None)
            }
            Event::ParseCompleted { total } => self.progress(Some(total), Some(total), None, None),
            Event::Recipe(mut recipe) => {
                let (file, warning) = sanitize::text("recipe file name", recipe.file);
                recipe.file = file;
                self.warn(warning);
                self.push(BuildWrite::Recipe(recipe));
            }
            Event::TaskStarted {
                recipe,
                task,
                at,
                log_file,
            } => {
                self.move_to(BuildState::Running, at);
                let key = (recipe, task);
                if self.running.contains_key(&key) {
                    return; // the same start heard twice
                }
                let (at, warning) = sanitize::time("task start", at);
                self.warn(warning);
                let order = self.next_order;
                self.next_order += 1;
                self.running.insert(key.clone(), order);
                let record = TaskRecord {
                    recipe: key.0.clone(),
                    task: key.1.clone(),
                    order: Some(order),
                    outcome: None,
                    started_at: at,
                    ended_at: None,
                    cpu_ms: None,
                    read_bytes: None,
                    write_bytes: None,
                    log_file,
                    sstate: None,
                    executed: None,
                    script: None,
                };
                self.pending_tasks.insert(key, self.pending.len());
                self.push(BuildWrite::Task(record));
            }
            Event::TaskFinished {
                recipe,
                task,
                outcome,
                at,
                cpu_ms,
                read_bytes,
                write_bytes,
                log_file,
                sstate,
                executed,
                script,
            } => {
                self.move_to(BuildState::Running, at);
                let key = (recipe, task);
                let order = self.running.remove(&key);
                let (at, w1) = sanitize::time("task end", at);
                let (cpu_ms, w2) = sanitize::count("CPU time", cpu_ms);
                let (read_bytes, w3) = sanitize::count("read byte count", read_bytes);
                let (write_bytes, w4) = sanitize::count("write byte count", write_bytes);
                for warning in [w1, w2, w3, w4] {
                    self.warn(warning);
                }
                let pending = self.pending_tasks.get(&key).copied();
                if let Some(BuildWrite::Task(started)) =
                    pending.and_then(|i| self.pending.get_mut(i))
                {
                    // What this end leaves out keeps what an earlier record said, as the
                    // store's upsert does across batches.
                    started.outcome = Some(outcome);
                    started.ended_at = at.or(started.ended_at);
                    started.cpu_ms = cpu_ms.or(started.cpu_ms);
                    started.read_bytes = read_bytes.or(started.read_bytes);
                    started.write_bytes = write_bytes.or(started.write_bytes);
                    started.log_file = log_file.or(started.log_file.take());
                    started.sstate = sstate.or(started.sstate);
                    started.executed = executed.or(started.executed);
                    started.script = script.or(started.script);
                    return;
                }
                let record = TaskRecord {
                    recipe: key.0.clone(),
                    task: key.1.clone(),
                    order,
                    outcome: Some(outcome),
                    started_at: None,
                    ended_at: at,
                    cpu_ms,
                    read_bytes,
                    write_bytes,
                    log_file,
                    sstate,
                    executed,
                    script,
                };
                self.pending_tasks.insert(key, self.pending.len());
                self.push(BuildWrite::Task(record));
            }
            Event::TaskDependencies(deps) => self.task_dependencies(deps),
            Event::RecipeDependencies(deps) => self.recipe_dependencies(deps),
            Event::Provider(provider) => self.push(BuildWrite::Provider(provider)),
            Event::Variable(variable) => {
                let outcome = self.variables.variable(variable);
                self.take(outcome);
            }
            Event::VariableHistory(run) => {
                let outcome = self.variables.history(run);
                self.take(outcome);
            }
            Event::RunQueueProgress { done, total } => {
                self.move_to(BuildState::Running, None);
                self.progress(None, None, Some(done), Some(total));
            }
            Event::Log(log) if log.level < self.store_from => {}
            Event::Log(mut log) => {
                let (text, warning) = sanitize::text("log message", log.text);
                log.text = text;
                self.warn(warning);
                self.push(BuildWrite::Log(log));
            }
            Event::Package(package) => self.push(BuildWrite::Package(package)),
            Event::PackageFiles(files) => self.take(package_contents::package_files(files)),
            Event::ImagePackages(image) => self.take(package_contents::image_packages(image)),
            Event::ImageFiles(image) => self.take(package_contents::image_files(image)),
            Event::Artifact(artifact) => {
                let shown = artifact
                    .name
                    .clone()
                    .unwrap_or_else(|| artifact.path.clone());
                match artifact.into_record() {
                    Ok(record) => self.push(BuildWrite::Artifact(record)),
                    Err(e) => self.warn(Some(format!("artifact `{shown}` not recorded: {e}"))),
                }
            }
            Event::Heartbeat { .. } => {}
            Event::BuildCompleted { state, at } => {
                let state = if state.is_final() && state != BuildState::Interrupted {
                    state
                } else {
                    self.warn(Some(format!(
                        "a build cannot complete as `{state}`; recorded as failed"
                    )));
                    BuildState::Failed
                };
                self.move_to(state, at);
            }
        }
    }
}
