//! `toaster_rs.Build`: a build as Python reads it.

use std::collections::BTreeMap;

use pyo3::prelude::*;
use toaster_core::model;
use toaster_core::{BuildDetail, BuildView};

use crate::convert::Utc;
use crate::model::repr;

/// A build: what it ran with, where it is, and what it came to; the fields of `build show
/// --json` (its progress spread out), times as `datetime`s.
#[pyclass(module = "toaster_rs", frozen, get_all)]
pub struct Build {
    id: i64,
    project: String,
    state: String,
    targets: Vec<String>,
    machine: Option<String>,
    distro: Option<String>,
    /// The configuration revision it ran with; None when unknown (imported builds).
    revision: Option<u32>,
    owner: String,
    client: String,
    host: String,
    build_dir: String,
    /// Its console log, when it is on this host.
    log_path: Option<String>,
    /// The host its log is on, when it is not here.
    log_host: Option<String>,
    started_at: Utc,
    ended_at: Option<Utc>,
    duration_ms: i64,
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
    tasks: Option<BTreeMap<String, u32>>,
}

impl Build {
    /// A build as listed.
    pub fn of(build: &model::Build) -> Build {
        Build::from_view(build, BuildView::from(build))
    }

    /// A build as shown whole, with its tasks counted.
    pub fn of_detail(detail: &BuildDetail) -> Build {
        Build::from_view(&detail.build, BuildView::from(detail))
    }

    /// The view's fields, with the model's times.
    fn from_view(b: &model::Build, view: BuildView) -> Build {
        Build {
            id: view.id,
            project: view.project,
            state: view.state.to_owned(),
            targets: view.targets,
            machine: view.machine,
            distro: view.distro,
            revision: view.revision,
            owner: view.owner,
            client: view.client,
            host: view.host,
            build_dir: view.build_dir,
            log_path: view.log_path,
            log_host: view.log_host,
            started_at: Utc(b.started_at),
            ended_at: b.ended_at.map(Utc),
            duration_ms: view.duration_ms,
            recipes_parsed: view.progress.recipes_parsed,
            recipes_total: view.progress.recipes_total,
            tasks_done: view.progress.tasks_done,
            tasks_total: view.progress.tasks_total,
            errors: view.errors,
            warnings: view.warnings,
            hidden: view.hidden,
            archive: view.archive,
            origin: view.origin,
            tasks: view.tasks,
        }
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
