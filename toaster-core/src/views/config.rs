//! A whole configuration as frontends show it.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{LayerView, RevisionView};
use crate::model::{Hook, Operator, Revision, Variable};

/// A whole configuration, as `config show --json` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConfigView {
    /// The project.
    pub project: String,
    /// The revision shown.
    #[serde(flatten)]
    pub revision: RevisionView,
    /// `MACHINE`, if set.
    pub machine: Option<String>,
    /// How `MACHINE` is assigned, when not with `=` (`?=`, `??=`).
    #[serde(skip_serializing_if = "Operator::is_set")]
    pub machine_op: Operator,
    /// `DISTRO`, if set.
    pub distro: Option<String>,
    /// How `DISTRO` is assigned, when not with `=`.
    #[serde(skip_serializing_if = "Operator::is_set")]
    pub distro_op: Operator,
    /// What `build start` builds.
    pub targets: Vec<String>,
    /// Packages installed in every image.
    pub packages: Vec<String>,
    /// Recipes of the project's own layer.
    pub recipes: Vec<String>,
    /// Other variables.
    pub variables: BTreeMap<String, Variable>,
    /// Layers, in the order BitBake reads them.
    pub layers: Vec<LayerView>,
    /// Post-build hooks (secrets are named, never stored).
    pub hooks: Vec<Hook>,
}

impl ConfigView {
    /// The view of `revision` of `project`.
    pub fn new(project: &str, revision: &Revision) -> ConfigView {
        let config = &revision.config;
        ConfigView {
            project: project.to_owned(),
            revision: RevisionView::from(revision),
            machine: config.machine.clone(),
            machine_op: config.machine_op,
            distro: config.distro.clone(),
            distro_op: config.distro_op,
            targets: config.targets.iter().map(ToString::to_string).collect(),
            packages: config.packages.clone(),
            recipes: config.recipes.clone(),
            variables: config.variables.clone(),
            layers: config.layers.iter().map(LayerView::from).collect(),
            hooks: config.hooks.clone(),
        }
    }
}
