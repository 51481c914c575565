//! A warning as frontends show it.

use serde::Serialize;

use crate::Warning;

/// A warning, as `--json` prints it in `warnings`: its category and its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WarningView {
    /// Its category (see [`Warning::kind`]).
    pub kind: &'static str,
    /// What it says.
    pub message: String,
}

impl From<&Warning> for WarningView {
    fn from(warning: &Warning) -> WarningView {
        WarningView {
            kind: warning.kind(),
            message: warning.to_string(),
        }
    }
}
