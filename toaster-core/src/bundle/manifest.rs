//! A bundle's `manifest.json`: what a project is, without its host. Field names are
//! documented here and in `bundle-manifest.schema.json` (a JSON Schema, checked in tests).

use serde::{Deserialize, Serialize};

use crate::model::{Collection, Hook, Target, Timestamp};
use crate::schema::VarSpec;

/// What `manifest.json` says its file is.
pub const FORMAT: &str = "toaster-project-bundle";
/// The version of the format this code writes and reads.
pub const VERSION: u32 = 1;
/// The manifest's entry in the zip.
pub const MANIFEST: &str = "manifest.json";
/// Where included local layers' files go in the zip: `layers/NAME/...`.
pub const LAYERS: &str = "layers/";

/// The manifest of a project bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BundleManifest {
    /// Always [`FORMAT`].
    pub format: String,
    /// The format's version ([`VERSION`]).
    pub version: u32,
    /// The program that wrote it (`toaster-rs 0.1.0`).
    pub tool: String,
    /// When it was written.
    pub exported_at: Timestamp,
    /// Who wrote it.
    pub exported_by: String,
    /// The project's name where it was exported.
    pub project: String,
    /// The Yocto release series (`scarthgap`).
    pub release: String,
    /// The configuration revision exported.
    pub revision: u32,
    /// The configuration, without what belongs to the host.
    pub config: BundleConfig,
    /// The layers, in `BBLAYERS` order.
    pub layers: Vec<BundleLayer>,
    /// Where BitBake comes from, if chosen.
    pub bitbake: Option<BundleSource>,
    /// The specs of variables it sets that the built-in catalogue does not describe (or
    /// describes otherwise).
    #[serde(default)]
    pub schema: Vec<VarSpec>,
    /// Infrastructure variables the project sets that were left out (they belong to the
    /// host: `DL_DIR`, `SSTATE_DIR`, `BB_NUMBER_THREADS`, …), by name only.
    #[serde(default)]
    pub left_out: Vec<String>,
}

/// A project's configuration as a bundle carries it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BundleConfig {
    /// `MACHINE`.
    pub machine: Option<String>,
    /// How `MACHINE` is assigned (`=` when absent).
    #[serde(default, skip_serializing_if = "crate::model::Operator::is_set")]
    pub machine_op: crate::model::Operator,
    /// `DISTRO`.
    pub distro: Option<String>,
    /// How `DISTRO` is assigned (`=` when absent).
    #[serde(default, skip_serializing_if = "crate::model::Operator::is_set")]
    pub distro_op: crate::model::Operator,
    /// What `bitbake` builds.
    pub targets: Vec<Target>,
    /// Build variables, by left-hand side, with their operators.
    pub variables: std::collections::BTreeMap<String, crate::model::Variable>,
    /// Packages added to every image.
    pub packages: Vec<String>,
    /// Extra recipes built beside the targets.
    pub recipes: Vec<String>,
    /// Post-build hooks (a webhook's secret is named by its variable, never carried).
    pub hooks: Vec<Hook>,
}

/// A layer as a bundle carries it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BundleLayer {
    /// Its name in the project.
    pub name: String,
    /// Where it comes from.
    pub source: BundleSource,
    /// What its `conf/layer.conf` declares.
    #[serde(default)]
    pub collections: Vec<Collection>,
    /// For a local layer: whether its files are in the bundle (under `layers/NAME/`).
    #[serde(default)]
    pub included: bool,
}

/// Where a layer or BitBake comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum BundleSource {
    /// A git repository, at an exact commit.
    Git {
        /// Clone URL.
        url: String,
        /// The branch, tag or commit the project asked for.
        reference: String,
        /// The layer's directory inside the repository.
        subdir: Option<String>,
        /// The commit it was at.
        commit: Option<String>,
    },
    /// A directory on the exporting host.
    Local {
        /// Where it was.
        path: String,
    },
}
