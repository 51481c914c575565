//! `toaster_rs.Recorder`: records one build's events, batched on the Rust side.

use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use toaster_core::RecordingRequest;
use toaster_core::ingest::{
    BackgroundRecorder as CoreBackground, BatchPolicy, Event, Recorder as CoreRecorder, parse_lines,
};
use toaster_core::model::{BuildId, BuildState, LogLevel};

use crate::builds::{LayerDicts, observed};
use crate::errors::{detach, to_py};

/// Records a build. Feed it events as dicts (`record`) or, fastest, as JSON lines in the
/// event-log format (`record_json`); it writes them in batches. Use it as a context
/// manager: leaving the block flushes, and an exception in it ends the build as failed.
#[pyclass(module = "toaster_rs", frozen)]
pub struct Recorder {
    inner: Mutex<Option<CoreRecorder>>,
    build: i64,
}

impl Recorder {
    pub fn new(inner: CoreRecorder) -> Recorder {
        Recorder {
            build: inner.build().0,
            inner: Mutex::new(Some(inner)),
        }
    }

    /// Runs `f` on the live recorder with the GIL released; the lock is taken without the
    /// GIL, so a thread waiting for it never holds the GIL another thread needs.
    fn with<T: Send>(
        &self,
        py: Python<'_>,
        f: impl FnOnce(&mut CoreRecorder) -> Result<T, toaster_core::Error> + Send,
    ) -> PyResult<T> {
        let build = self.build;
        let outcome = py.detach(|| {
            let mut guard = self.inner.lock().unwrap_or_else(|p| p.into_inner());
            guard.as_mut().map(f)
        });
        match outcome {
            Some(result) => result.map_err(|e| to_py(py, e)),
            None => Err(PyValueError::new_err(format!(
                "the recorder of build {build} has ended"
            ))),
        }
    }

    /// Ends the build with `end`; the recorder is let go only once that was written, so a
    /// busy database can be retried.
    fn end(
        &self,
        py: Python<'_>,
        end: impl FnOnce(&mut CoreRecorder) -> Result<(), toaster_core::ingest::IngestError> + Send,
    ) -> PyResult<()> {
        self.with(py, |r| end(r).map_err(Into::into))?;
        self.inner.lock().unwrap_or_else(|p| p.into_inner()).take();
        Ok(())
    }
}

/// Parses event lines with the core's reader (unknown kinds skipped, bad lines refused).
fn events(text: &str) -> Result<Vec<Event>, toaster_core::Error> {
    Ok(parse_lines(text)?)
}

#[pymethods]
impl Recorder {
    /// The build being recorded.
    #[getter]
    fn build_id(&self) -> i64 {
        self.build
    }

    /// How many writes wait for the next batch.
    #[getter]
    fn pending(&self) -> usize {
        let guard = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        guard.as_ref().map_or(0, CoreRecorder::pending)
    }

    /// Records one event given as a dict, e.g. `{"event": "task_started", "recipe":
    /// "busybox", "task": "do_compile", "at": 1795765414120}`.
    fn record(&self, py: Python<'_>, event: &Bound<'_, PyAny>) -> PyResult<()> {
        let text: String = py
            .import("json")?
            .call_method1("dumps", (event,))?
            .extract()?;
        let parsed = events(&text).map_err(|e| to_py(py, e))?;
        self.with(py, |r| {
            parsed
                .into_iter()
                .try_for_each(|e| r.record(e))
                .map_err(Into::into)
        })
    }

    /// Records events given as JSON lines (the event-log format), in one call; with
    /// `flush=True` also writes them before returning (one crossing instead of two).
    #[pyo3(signature = (lines, *, flush = false))]
    fn record_json(&self, py: Python<'_>, lines: &str, flush: bool) -> PyResult<()> {
        let lines = lines.to_owned();
        self.with(py, move |r| {
            let parsed = events(&lines)?;
            parsed.into_iter().try_for_each(|e| r.record(e))?;
            if flush {
                r.flush()?;
            }
            Ok(())
        })
    }

    /// Writes what is pending now (or marks the build alive).
    fn flush(&self, py: Python<'_>) -> PyResult<()> {
        self.with(py, |r| r.flush().map_err(Into::into))
    }

    /// Ends the build: `"succeeded"`, `"failed"` or `"cancelled"`.
    #[pyo3(signature = (state = "succeeded"))]
    fn finish(&self, py: Python<'_>, state: &str) -> PyResult<()> {
        let state = BuildState::parse(state).map_err(|e| to_py(py, e.into()))?;
        self.end(py, |r| r.finish(state, None))
    }

    /// Ends the build as interrupted (its events stopped before it ended).
    fn interrupt(&self, py: Python<'_>) -> PyResult<()> {
        self.end(py, CoreRecorder::interrupt)
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    fn __exit__(
        &self,
        py: Python<'_>,
        kind: Option<Bound<'_, PyAny>>,
        _value: Option<Bound<'_, PyAny>>,
        _traceback: Option<Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        let live = self
            .inner
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .is_some();
        match (live, kind) {
            (false, _) => Ok(()),
            (true, Some(_)) => self.finish(py, "failed"),
            (true, None) => self.flush(py),
        }
    }

    fn __repr__(&self) -> String {
        format!(
            "Recorder(build_id={}, pending={})",
            self.build,
            self.pending()
        )
    }
}

/// Records a build on a thread of its own: `submit_json` hands a batch of JSON lines over
/// and returns at once, so the caller (BitBake's event loop) never waits for the database.
/// `take_errors` returns what went wrong since the last call; `finish` ends the build and
/// waits for everything handed over to be written.
#[pyclass(module = "toaster_rs", frozen)]
pub struct BackgroundRecorder {
    inner: Mutex<Option<CoreBackground>>,
    build: i64,
    owner: String,
    log_path: Option<String>,
    warnings: Vec<String>,
}

/// Batches are written as the recorder's thread gets to them, never held back for more.
pub fn unbatched() -> BatchPolicy {
    BatchPolicy::new(usize::MAX, Duration::from_secs(u64::MAX / 4))
}

impl BackgroundRecorder {
    /// Moves `recorder` onto a thread of its own.
    pub fn spawn(
        py: Python<'_>,
        recorder: CoreRecorder,
        owner: String,
        warnings: Vec<String>,
    ) -> PyResult<BackgroundRecorder> {
        let log_path = recorder.console_log_path().map(|p| p.display().to_string());
        let inner = CoreBackground::spawn(recorder).map_err(|e| to_py(py, e.into()))?;
        Ok(BackgroundRecorder {
            build: inner.build().0,
            owner,
            inner: Mutex::new(Some(inner)),
            log_path,
            warnings,
        })
    }

    fn ended(&self) -> PyErr {
        PyValueError::new_err(format!("the recorder of build {} has ended", self.build))
    }
}

#[pymethods]
impl BackgroundRecorder {
    /// Starts recording a build BitBake runs, in one call that holds no Python lock while
    /// it waits for the database: opens `database`, acts as `owner` (else the owner
    /// `client`, then `fallback_client`, last chose), starts a build of `project` (else of
    /// the command-line-builds project) with what BitBake saw, or records into `build`;
    /// gives the build a log file unless it has one. Log messages below `store_level` go to
    /// that file only. `warnings` says what did not stop the recording.
    #[staticmethod]
    #[pyo3(signature = (database, *, client, host, build_dir, fallback_client = None, owner = None, project = None, build = None, machine = None, distro = None, targets = None, layers = None, store_level = "warning"))]
    #[allow(clippy::too_many_arguments)]
    fn start(
        py: Python<'_>,
        database: PathBuf,
        client: String,
        host: String,
        build_dir: PathBuf,
        fallback_client: Option<String>,
        owner: Option<String>,
        project: Option<String>,
        build: Option<i64>,
        machine: Option<String>,
        distro: Option<String>,
        targets: Option<Vec<String>>,
        layers: Option<LayerDicts>,
        store_level: &str,
    ) -> PyResult<BackgroundRecorder> {
        let request = RecordingRequest {
            owner,
            client,
            fallback_client,
            project,
            build: build.map(BuildId),
            host,
            build_dir,
            observed: observed(py, machine, distro, targets, layers)?,
            store_level: LogLevel::parse(store_level).map_err(|e| to_py(py, e.into()))?,
        };
        let recording = detach(py, || {
            toaster_core::Toaster::open(&database)?.start_recording(&request, unbatched())
        })?;
        let warnings = recording.warnings.iter().map(ToString::to_string).collect();
        let owner = recording.build.owner.to_string();
        BackgroundRecorder::spawn(py, recording.recorder, owner, warnings)
    }

    /// The build being recorded.
    #[getter]
    fn build_id(&self) -> i64 {
        self.build
    }

    /// The owner the build is recorded as (who delivers its hooks).
    #[getter]
    fn owner(&self) -> &str {
        &self.owner
    }

    /// The build's log file this recorder writes, if it writes one.
    #[getter]
    fn log_path(&self) -> Option<String> {
        self.log_path.clone()
    }

    /// What did not stop the recording when it started (e.g. a log file that could not be
    /// made), one sentence each.
    #[getter]
    fn warnings(&self) -> Vec<String> {
        self.warnings.clone()
    }

    /// Hands event lines (the event-log format) over to be recorded; returns at once.
    fn submit_json(&self, py: Python<'_>, lines: String) -> PyResult<()> {
        let guard = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let inner = guard.as_ref().ok_or_else(|| self.ended())?;
        inner.submit(lines).map_err(|e| to_py(py, e.into()))
    }

    /// What went wrong since the last call, as exceptions (not raised), oldest first.
    fn take_errors(&self, py: Python<'_>) -> Vec<PyErr> {
        let guard = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        guard
            .as_ref()
            .map(|inner| {
                inner
                    .take_errors()
                    .into_iter()
                    .map(|e| to_py(py, e.into()))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Records what was handed over, ends the build (`"succeeded"`, `"failed"`,
    /// `"cancelled"`), waits for the thread, and returns what went wrong that was not taken
    /// yet (as exceptions, not raised).
    #[pyo3(signature = (state = "succeeded"))]
    fn finish(&self, py: Python<'_>, state: &str) -> PyResult<Vec<PyErr>> {
        let state = BuildState::parse(state).map_err(|e| to_py(py, e.into()))?;
        let inner = self.inner.lock().unwrap_or_else(|p| p.into_inner()).take();
        let inner = inner.ok_or_else(|| self.ended())?;
        let left = py
            .detach(|| inner.finish(state))
            .map_err(|e| to_py(py, e.into()))?;
        Ok(left.into_iter().map(|e| to_py(py, e.into())).collect())
    }

    fn __repr__(&self) -> String {
        format!("BackgroundRecorder(build_id={})", self.build)
    }
}
