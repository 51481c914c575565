//! Read-only Python views of the core's owners, projects and revisions.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use toaster_core::model::{self, LayerSource, ProjectConfig};

/// An owner.
#[pyclass(module = "toaster_rs", frozen, get_all)]
pub struct Owner {
    name: String,
    email: Option<String>,
    client: Option<String>,
    admin: bool,
    /// RFC 3339, UTC.
    created_at: String,
}

impl From<&model::Owner> for Owner {
    fn from(o: &model::Owner) -> Owner {
        Owner {
            name: o.name.to_string(),
            email: o.email.clone(),
            client: o.client.clone(),
            admin: o.admin,
            created_at: o.created_at.to_rfc3339(),
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
    created_at: String,
    /// Its newest configuration revision.
    revision: u32,
}

impl From<&model::Project> for Project {
    fn from(p: &model::Project) -> Project {
        Project {
            name: p.name.to_string(),
            dir: p.dir.display().to_string(),
            release: p.release.to_string(),
            owner: p.owner_name.to_string(),
            group: p.group_name.as_ref().map(ToString::to_string),
            mode: p.mode.to_string(),
            created_at: p.created_at.to_rfc3339(),
            revision: p.head.0,
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
    fn created_at(&self) -> String {
        self.inner.created_at.to_rfc3339()
    }

    #[getter]
    fn description(&self) -> &str {
        &self.inner.description
    }

    #[getter]
    fn restores(&self) -> Option<u32> {
        self.inner.restores.map(|r| r.0)
    }

    /// The whole configuration as a new dict.
    #[getter]
    fn config<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        config_dict(py, &self.inner.config)
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

fn config_dict<'py>(py: Python<'py>, config: &ProjectConfig) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    dict.set_item("machine", &config.machine)?;
    dict.set_item("distro", &config.distro)?;
    let targets: Vec<String> = config.targets.iter().map(ToString::to_string).collect();
    dict.set_item("targets", targets)?;
    dict.set_item("packages", &config.packages)?;
    dict.set_item("recipes", &config.recipes)?;
    dict.set_item("variables", &config.variables)?;
    let layers = PyList::empty(py);
    for layer in &config.layers {
        let item = PyDict::new(py);
        item.set_item("name", &layer.name)?;
        match &layer.source {
            LayerSource::Local { path } => {
                item.set_item("source", "local")?;
                item.set_item("path", path.display().to_string())?;
            }
            LayerSource::Git {
                url,
                reference,
                subdir,
                commit,
            } => {
                item.set_item("source", "git")?;
                item.set_item("url", url)?;
                item.set_item("ref", reference)?;
                item.set_item("subdir", subdir)?;
                item.set_item("commit", commit)?;
            }
        }
        layers.append(item)?;
    }
    dict.set_item("layers", layers)?;
    Ok(dict)
}

/// What a configuration change did.
#[pyclass(module = "toaster_rs", frozen, get_all)]
pub struct ChangeOutcome {
    /// The newest revision after the change.
    revision: Py<Revision>,
    /// False when nothing changed and no revision was made.
    changed: bool,
    /// Things accepted but worth a look (an unknown variable, a likely typo).
    warnings: Vec<String>,
}

impl ChangeOutcome {
    /// The outcome, its warnings also issued as `ConfigWarning`s.
    pub fn new(py: Python<'_>, outcome: toaster_core::ChangeOutcome) -> PyResult<ChangeOutcome> {
        crate::errors::warn_all(py, "ConfigWarning", &outcome.warnings)?;
        Ok(ChangeOutcome {
            revision: Py::new(py, Revision::from(outcome.revision))?,
            changed: outcome.changed,
            warnings: outcome.warnings.iter().map(ToString::to_string).collect(),
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
