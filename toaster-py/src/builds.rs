//! `toaster_rs.Build`: a build as Python reads it.

use pyo3::prelude::*;
use pyo3::types::PyDict;
use toaster_core::model;

use crate::model::repr;

/// A build: what it ran with, where it is, and what it came to.
#[pyclass(module = "toaster_rs", frozen, get_all)]
pub struct Build {
    id: i64,
    project: String,
    state: String,
    targets: Vec<String>,
    machine: Option<String>,
    distro: Option<String>,
    revision: u32,
    owner: String,
    client: String,
    host: String,
    build_dir: String,
    log_path: Option<String>,
    started_at: String,
    ended_at: Option<String>,
    recipes_parsed: u32,
    recipes_total: u32,
    tasks_done: u32,
    tasks_total: u32,
    errors: u32,
    warnings: u32,
    hidden: bool,
    /// The build's archive (a zip file), once it has one.
    archive: Option<String>,
    /// Where a build imported from an archive came from.
    origin: Option<String>,
    /// How many tasks ended each way (`"running"` for those that did not), when read with
    /// `Actor.build`.
    tasks: Option<Py<PyDict>>,
}

impl Build {
    pub fn new(
        py: Python<'_>,
        b: &model::Build,
        tasks: Option<&[(Option<model::TaskOutcome>, u32)]>,
    ) -> PyResult<Build> {
        let tasks = tasks
            .map(|counts| -> PyResult<Py<PyDict>> {
                let dict = PyDict::new(py);
                for (outcome, n) in counts {
                    dict.set_item(outcome.map_or("running", model::TaskOutcome::as_str), n)?;
                }
                Ok(dict.unbind())
            })
            .transpose()?;
        Ok(Build {
            id: b.id.0,
            project: b.project_name.to_string(),
            state: b.state.as_str().to_owned(),
            targets: b.targets.iter().map(ToString::to_string).collect(),
            machine: b.machine.clone(),
            distro: b.distro.clone(),
            revision: b.revision.0,
            owner: b.owner.to_string(),
            client: b.client.clone(),
            host: b.host.clone(),
            build_dir: b.build_dir.display().to_string(),
            log_path: b.log_path.as_ref().map(|p| p.display().to_string()),
            started_at: b.started_at.to_rfc3339(),
            ended_at: b.ended_at.map(model::Timestamp::to_rfc3339),
            recipes_parsed: b.progress.recipes_parsed,
            recipes_total: b.progress.recipes_total,
            tasks_done: b.progress.tasks_done,
            tasks_total: b.progress.tasks_total,
            errors: b.errors,
            warnings: b.warnings,
            hidden: b.hidden,
            archive: b.archive.as_ref().map(|a| a.path.display().to_string()),
            origin: b.origin.clone(),
            tasks,
        })
    }
}

#[pymethods]
impl Build {
    fn __repr__(&self) -> String {
        format!(
            "Build(id={}, project={}, state={})",
            self.id,
            repr(&self.project),
            repr(&self.state)
        )
    }
}

/// Layers of a build as Python gives them: dicts with `name`, `source`, and optionally
/// `reference` and `commit`.
pub type LayerDicts = Vec<std::collections::HashMap<String, Option<String>>>;

/// What BitBake saw, from the arguments Python gives it.
pub fn observed(
    py: Python<'_>,
    machine: Option<String>,
    distro: Option<String>,
    targets: Option<Vec<String>>,
    layers: Option<LayerDicts>,
) -> PyResult<model::Observed> {
    let targets = targets
        .map(|all| {
            all.iter()
                .map(|t| model::Target::parse(t))
                .collect::<Result<Vec<_>, _>>()
        })
        .transpose()
        .map_err(|e| crate::errors::to_py(py, e.into()))?;
    let layers = layers
        .map(|all| {
            all.into_iter()
                .map(build_layer)
                .collect::<PyResult<Vec<_>>>()
        })
        .transpose()?;
    Ok(model::Observed {
        machine,
        distro,
        targets,
        layers,
    })
}

/// A layer of a build from a dict with `name`, `source`, and optionally `reference`, `commit`.
fn build_layer(
    mut fields: std::collections::HashMap<String, Option<String>>,
) -> PyResult<model::BuildLayer> {
    let mut take = |key: &str| fields.remove(key).flatten();
    let (Some(name), Some(source)) = (take("name"), take("source")) else {
        return Err(pyo3::exceptions::PyValueError::new_err(
            "a layer needs at least `name` and `source`",
        ));
    };
    Ok(model::BuildLayer {
        name,
        source,
        reference: take("reference"),
        commit: take("commit"),
    })
}
