//! Read-only Python views of the core's owners, projects and revisions: each built from the
//! core's view of it (what `--json` prints), with times as `datetime`s.

use pyo3::prelude::*;
use pyo3::types::PyDict;
use toaster_core::model;
use toaster_core::views::{ConfigView, OwnerView, ProjectView, WarningView};

use crate::convert::{Utc, to_python};

/// An owner.
#[pyclass(module = "toaster_rs", frozen, get_all)]
pub struct Owner {
    name: String,
    email: Option<String>,
    client: Option<String>,
    admin: bool,
    created_at: Utc,
}

impl From<&model::Owner> for Owner {
    fn from(o: &model::Owner) -> Owner {
        let view = OwnerView::from(o);
        Owner {
            name: view.name,
            email: view.email,
            client: view.client,
            admin: view.admin,
            created_at: Utc(o.created_at),
        }
    }
}

#[pymethods]
impl Owner {
    fn __repr__(&self) -> String {
        format!(
            "Owner(name={}, email={})",
            repr(&self.name),
            repr_opt(self.email.as_deref())
        )
    }
}

/// A project.
#[pyclass(module = "toaster_rs", frozen, get_all)]
pub struct Project {
    name: String,
    dir: String,
    release: String,
    owner: String,
    group: Option<String>,
    /// Who may do what, like `owner=rcbd,group=r,others=`.
    mode: String,
    created_at: Utc,
    /// Its newest configuration revision.
    revision: u32,
}

impl From<&model::Project> for Project {
    fn from(p: &model::Project) -> Project {
        let view = ProjectView::from(p);
        Project {
            name: view.name,
            dir: view.dir,
            release: view.release,
            owner: view.owner,
            group: view.group,
            mode: view.mode,
            created_at: Utc(p.created_at),
            revision: view.revision,
        }
    }
}

#[pymethods]
impl Project {
    fn __repr__(&self) -> String {
        format!(
            "Project(name={}, release={}, revision={}, dir={})",
            repr(&self.name),
            repr(&self.release),
            self.revision,
            repr(&self.dir)
        )
    }
}

/// One configuration revision.
#[pyclass(module = "toaster_rs", frozen)]
pub struct Revision {
    inner: model::Revision,
}

impl From<model::Revision> for Revision {
    fn from(inner: model::Revision) -> Revision {
        Revision { inner }
    }
}

#[pymethods]
impl Revision {
    #[getter]
    fn number(&self) -> u32 {
        self.inner.number.0
    }

    #[getter]
    fn author(&self) -> String {
        self.inner.author.to_string()
    }

    #[getter]
    fn created_at(&self) -> Utc {
        Utc(self.inner.created_at)
    }

    #[getter]
    fn description(&self) -> &str {
        &self.inner.description
    }

    #[getter]
    fn restores(&self) -> Option<u32> {
        self.inner.restores.map(|r| r.0)
    }

    /// The whole configuration as a new dict: what `config show --json` prints of it
    /// (without the revision's own fields, which are this object's attributes).
    #[getter]
    fn config<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let view = ConfigView::new("", &self.inner);
        let dict = to_python(py, &view)?.cast_into::<PyDict>()?;
        dict.del_item("project")?;
        let header = to_python(py, &view.revision)?.cast_into::<PyDict>()?;
        for key in header.keys() {
            dict.del_item(key)?;
        }
        Ok(dict)
    }

    fn __repr__(&self) -> String {
        format!(
            "Revision(number={}, author={}, description={})",
            self.inner.number,
            repr(self.inner.author.as_str()),
            repr(&self.inner.description)
        )
    }
}

/// What a configuration change did.
#[pyclass(module = "toaster_rs", frozen, get_all)]
pub struct ChangeOutcome {
    /// The newest revision after the change.
    revision: Py<Revision>,
    /// False when nothing changed and no revision was made.
    changed: bool,
    /// Things accepted but worth a look (an unknown variable, a likely typo), as dicts
    /// (`kind`, `message`) as `--json` prints them.
    warnings: Py<PyAny>,
}

impl ChangeOutcome {
    /// The outcome, its warnings also issued with the `warnings` module (a category per
    /// kind, each a `ConfigWarning`).
    pub fn new(py: Python<'_>, outcome: toaster_core::ChangeOutcome) -> PyResult<ChangeOutcome> {
        crate::errors::warn_each(py, &outcome.warnings)?;
        let views: Vec<WarningView> = outcome.warnings.iter().map(WarningView::from).collect();
        Ok(ChangeOutcome {
            revision: Py::new(py, Revision::from(outcome.revision))?,
            changed: outcome.changed,
            warnings: to_python(py, &views)?.unbind(),
        })
    }
}

#[pymethods]
impl ChangeOutcome {
    fn __repr__(&self, py: Python<'_>) -> String {
        format!(
            "ChangeOutcome(changed={}, revision={})",
            if self.changed { "True" } else { "False" },
            self.revision.borrow(py).inner.number
        )
    }
}

/// Python's `repr` of a string: single-quoted, with `\` and `'` escaped.
pub fn repr(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('\'');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// Python's `repr` of an optional string.
fn repr_opt(text: Option<&str>) -> String {
    text.map_or_else(|| "None".to_owned(), repr)
}
