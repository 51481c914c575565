//! `toaster_rs.Toaster`: an open database.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

use crate::actor::Actor;
use crate::errors::detach;

/// An open Toaster database. Use it as a context manager, or call `close()`.
#[pyclass(module = "toaster_rs", frozen)]
pub struct Toaster {
    inner: std::sync::RwLock<Option<toaster_core::Toaster>>,
    location: String,
    /// Set by `close()`; every actor made from this database looks at it before each call.
    closed: Arc<AtomicBool>,
}

impl Toaster {
    fn wrap(inner: toaster_core::Toaster) -> Toaster {
        Toaster {
            location: inner.location(),
            inner: std::sync::RwLock::new(Some(inner)),
            closed: Arc::new(AtomicBool::new(false)),
        }
    }

    fn get(&self) -> PyResult<toaster_core::Toaster> {
        let guard = self.inner.read().unwrap_or_else(|p| p.into_inner());
        guard.clone().ok_or_else(|| {
            // Like a closed file: using it is a ValueError.
            PyValueError::new_err(format!("the database {} is closed", self.location))
        })
    }
}

#[pymethods]
impl Toaster {
    /// Opens the database at `path`: an SQLite file, or a PostgreSQL URL
    /// (`postgres://USER@HOST:PORT/DB`; the password from PGPASSWORD or ~/.pgpass).
    #[staticmethod]
    fn open(py: Python<'_>, path: PathBuf) -> PyResult<Toaster> {
        detach(py, || toaster_core::Toaster::open(&path)).map(Toaster::wrap)
    }

    /// Creates a new database at `path`: an SQLite file, or the schema in an empty
    /// PostgreSQL database named by its URL.
    #[staticmethod]
    fn init(py: Python<'_>, path: PathBuf) -> PyResult<Toaster> {
        detach(py, || toaster_core::Toaster::init(&path)).map(Toaster::wrap)
    }

    /// Acts as the owner `name` from `client`.
    #[pyo3(signature = (name, *, client = "python"))]
    fn act_as(&self, py: Python<'_>, name: &str, client: &str) -> PyResult<Actor> {
        let toaster = self.get()?;
        detach(py, || toaster.act_as(name, client))
            .map(|actor| Actor::new(actor, self.closed.clone()))
    }

    /// Acts as the owner `client` last chose with `use_owner`.
    #[pyo3(signature = (*, client = "python"))]
    fn act_as_remembered(&self, py: Python<'_>, client: &str) -> PyResult<Actor> {
        let toaster = self.get()?;
        detach(py, || toaster.act_as_remembered(client))
            .map(|actor| Actor::new(actor, self.closed.clone()))
    }

    /// Remembers `name` as the owner acting from `client`, and acts as them.
    #[pyo3(signature = (name, *, client = "python"))]
    fn use_owner(&self, py: Python<'_>, name: &str, client: &str) -> PyResult<Actor> {
        let toaster = self.get()?;
        detach(py, || toaster.use_owner(name, client))
            .map(|actor| Actor::new(actor, self.closed.clone()))
    }

    /// Adds the first owner of a new database and acts as them.
    #[pyo3(signature = (name, *, email = None, client = "python"))]
    fn add_first_owner(
        &self,
        py: Python<'_>,
        name: &str,
        email: Option<&str>,
        client: &str,
    ) -> PyResult<Actor> {
        let toaster = self.get()?;
        detach(py, || toaster.add_first_owner(name, email, client))
            .map(|actor| Actor::new(actor, self.closed.clone()))
    }

    /// The variables Toaster knows (built in, and those added by the database's schema),
    /// as `config schema --json` prints them: a dict with `variables`, a list of specs
    /// (`name`, `kind`, `class`, `default`, `allowed`, `doc`, ...).
    fn schema<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let toaster = self.get()?;
        let specs: Vec<_> = toaster.schema().specs().collect();
        crate::convert::to_python(py, &toaster_core::schema::Schema::json(&specs))
    }

    /// Closes the database; actors made from it refuse every further call (a `ValueError`,
    /// as a closed file does).
    fn close(&self) {
        self.closed.store(true, Ordering::Release);
        self.inner.write().unwrap_or_else(|p| p.into_inner()).take();
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    fn __exit__(
        &self,
        _kind: Option<Bound<'_, PyAny>>,
        _value: Option<Bound<'_, PyAny>>,
        _traceback: Option<Bound<'_, PyAny>>,
    ) {
        self.close();
    }

    fn __repr__(&self) -> String {
        format!("Toaster.open({})", crate::model::repr(&self.location))
    }
}
