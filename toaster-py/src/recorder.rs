//! `toaster.Recorder`: records one build's events, batched on the Rust side.

use std::sync::Mutex;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use toaster_core::ingest::{Event, Recorder as CoreRecorder};
use toaster_core::model::BuildState;

use crate::errors::{detach, to_py};

/// Records a build. Feed it events as dicts (`record`) or, fastest, as JSON lines in the
/// event-log format (`record_json`); it writes them in batches. Use it as a context
/// manager: leaving the block flushes, and an exception in it ends the build as failed.
#[pyclass(module = "toaster", frozen)]
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

    /// Runs `f` on the live recorder with the GIL released.
    fn with<T: Send>(
        &self,
        py: Python<'_>,
        f: impl FnOnce(&mut CoreRecorder) -> Result<T, toaster_core::Error> + Send,
    ) -> PyResult<T> {
        let mut guard = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let Some(recorder) = guard.as_mut() else {
            return Err(PyValueError::new_err(format!(
                "the recorder of build {} has ended",
                self.build
            )));
        };
        detach(py, || f(recorder))
    }

    /// Takes the recorder out to end it.
    fn take(&self) -> PyResult<CoreRecorder> {
        let mut guard = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        guard.take().ok_or_else(|| {
            PyValueError::new_err(format!("the recorder of build {} has ended", self.build))
        })
    }
}

/// Parses event-log lines; a line that is not an event is refused with its number.
fn events(text: &str) -> Result<Vec<Event>, toaster_core::Error> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(n, line)| {
            serde_json::from_str::<Event>(line).map_err(|e| {
                toaster_core::model::ModelError::invalid(
                    "build event",
                    line,
                    format!("line {} is not an event: {e}", n + 1),
                    "write events as the event-log format documents them (`{\"event\": \"task_started\", ...}`)",
                )
                .into()
            })
        })
        .collect()
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

    /// Records events given as JSON lines (the event-log format), in one call.
    fn record_json(&self, py: Python<'_>, lines: &str) -> PyResult<()> {
        let lines = lines.to_owned();
        self.with(py, move |r| {
            let parsed = events(&lines)?;
            parsed
                .into_iter()
                .try_for_each(|e| r.record(e))
                .map_err(Into::into)
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
        let recorder = self.take()?;
        detach(py, || recorder.finish(state, None).map_err(Into::into))
    }

    /// Ends the build as interrupted (its events stopped before it ended).
    fn interrupt(&self, py: Python<'_>) -> PyResult<()> {
        let recorder = self.take()?;
        detach(py, || recorder.interrupt().map_err(Into::into))
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
