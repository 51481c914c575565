//! A build's recorded variables as frontends show them.

use serde::Serialize;

use crate::model::{BuildVariable, HistoryEntry};

/// A variable a build recorded, as `build variables ID [NAME] --json` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VariableView {
    /// Its name.
    pub name: String,
    /// Its value as BitBake expanded it (`null`: unset, or the expansion failed).
    pub value: Option<String>,
    /// Its value before expansion, when that differs (else `null`).
    pub unexpanded: Option<String>,
    /// Whether BitBake kept its history.
    pub history_kept: bool,
    /// How many history entries are recorded.
    pub history_entries: u32,
    /// Its history, in BitBake's order, when asked for (`--history`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub history: Option<Vec<HistoryEntry>>,
}

impl VariableView {
    /// `variable` with `history`, if read.
    pub fn new(variable: &BuildVariable, history: Option<Vec<HistoryEntry>>) -> VariableView {
        VariableView {
            name: variable.record.name.clone(),
            value: variable.record.value.clone(),
            unexpanded: variable.record.unexpanded.clone(),
            history_kept: variable.record.history_kept,
            history_entries: variable.history_entries,
            history,
        }
    }
}

impl From<&BuildVariable> for VariableView {
    fn from(variable: &BuildVariable) -> VariableView {
        VariableView::new(variable, None)
    }
}
