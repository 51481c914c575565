//! What the project's layers define, as the checks against layers need it: machines,
//! distros and image types, and which layers were read.

use std::collections::BTreeSet;

use super::LayerValue;

/// The values the project's layers on disk define, and which layers could not be read (a
/// git layer not fetched yet): a value is judged against the layers only when none is
/// missing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LayerValues {
    /// Machines: each `conf/machine/NAME.conf`.
    pub machines: BTreeSet<String>,
    /// Distros: each `conf/distro/NAME.conf`.
    pub distros: BTreeSet<String>,
    /// Image types: `IMAGE_TYPES` words and `IMAGE_CMD:TYPE` names.
    pub image_types: BTreeSet<String>,
    /// The layers read, by name.
    pub searched: Vec<String>,
    /// The layers not on disk, by name.
    pub missing: Vec<String>,
}

impl LayerValues {
    /// The values of `kind` the layers define.
    pub fn of(&self, kind: LayerValue) -> &BTreeSet<String> {
        match kind {
            LayerValue::Machine => &self.machines,
            LayerValue::Distro => &self.distros,
            LayerValue::ImageType => &self.image_types,
        }
    }

    /// Whether every layer of the project was read.
    pub fn complete(&self) -> bool {
        self.missing.is_empty()
    }
}
