//! The variables a build used: each one's value as BitBake expanded it, and its history
//! (which file set it, at which line, by which operation) as BitBake's datastore keeps it.

use serde::{Deserialize, Serialize};

/// The most history entries kept of one variable; the first ones, in BitBake's order (the
/// conf files that set it come first; a longer history is a loop in the metadata).
pub const MAX_VARIABLE_HISTORY: u32 = 10_000;

fn kept() -> bool {
    true
}

fn is_kept(kept: &bool) -> bool {
    *kept
}

/// One variable of a build, as a recorder writes it (its history follows in
/// [`VariableHistory`] writes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VariableRecord {
    /// Its name (`MACHINE`, `PREFERRED_VERSION_busybox`).
    pub name: String,
    /// Its value as BitBake expands it (`d.getVar(name)`); `None` when unset or when the
    /// expansion failed.
    pub value: Option<String>,
    /// Its value before expansion, when that differs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unexpanded: Option<String>,
    /// Whether BitBake kept its history (data tracking was on, or was turned on for it).
    #[serde(default = "kept", skip_serializing_if = "is_kept")]
    pub history_kept: bool,
}

/// A run of one variable's history, from entry `first` on (entries are numbered from 0 in
/// BitBake's order).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VariableHistory {
    /// The variable.
    pub name: String,
    /// The number of the first entry of `changes`.
    #[serde(default)]
    pub first: u32,
    /// The entries, in order.
    pub changes: Vec<VariableChange>,
}

/// One entry of a variable's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VariableChange {
    /// BitBake's word for the operation: `set`, `set?`, `append`, `:append`, `exported`,
    /// `override[pn-busybox]:set`, ….
    pub operation: String,
    /// The file (absolute, as BitBake names it), when known.
    #[serde(default)]
    pub file: Option<String>,
    /// The line in that file.
    #[serde(default)]
    pub line: Option<u32>,
    /// The flag it set instead of the value (`doc`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flag: Option<String>,
    /// The value given by this operation.
    #[serde(default)]
    pub value: Option<String>,
}

/// One variable of a build as read back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuildVariable {
    /// What the recorder wrote.
    #[serde(flatten)]
    pub record: VariableRecord,
    /// How many history entries are stored.
    pub history_entries: u32,
}

/// A variable with its whole history, as a build archive keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArchivedVariable {
    /// The variable.
    #[serde(flatten)]
    pub record: VariableRecord,
    /// Its history, in BitBake's order.
    #[serde(default)]
    pub history: Vec<VariableChange>,
}

impl ArchivedVariable {
    /// The recorder's writes of this variable: its record, then its history.
    pub fn writes(self) -> impl Iterator<Item = crate::model::BuildWrite> {
        let history = (!self.history.is_empty()).then(|| {
            crate::model::BuildWrite::VariableHistory(VariableHistory {
                name: self.record.name.clone(),
                first: 0,
                changes: self.history,
            })
        });
        std::iter::once(crate::model::BuildWrite::Variable(self.record)).chain(history)
    }
}

/// One entry of a variable's history as read back, its file shown as Toaster shows it:
/// from the name of the layer or build directory that holds it (`meta/conf/bitbake.conf`,
/// `build/conf/local.conf`), absolute when in none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// BitBake's word for the operation.
    pub operation: String,
    /// The file, as shown.
    pub file: Option<String>,
    /// The file, absolute.
    pub path: Option<String>,
    /// The line in that file.
    pub line: Option<u32>,
    /// The flag it set instead of the value, if any.
    pub flag: Option<String>,
    /// The value given by this operation.
    pub value: Option<String>,
}

impl HistoryEntry {
    /// `change` with its file shown from the innermost of `roots` (layer and build
    /// directories, absolute) that holds it.
    pub fn new(change: VariableChange, roots: &[String]) -> HistoryEntry {
        let shown = change.file.as_deref().map(|path| {
            roots
                .iter()
                .map(|root| root.trim_end_matches('/'))
                .filter(|root| {
                    !root.is_empty()
                        && path.len() > root.len()
                        && path.starts_with(root)
                        && path.as_bytes()[root.len()] == b'/'
                })
                .max_by_key(|root| root.len())
                .map_or_else(
                    || path.to_owned(),
                    |root| {
                        let from = root.rfind('/').map_or(0, |at| at + 1);
                        path[from..].to_owned()
                    },
                )
        });
        HistoryEntry {
            operation: change.operation,
            file: shown,
            path: change.file,
            line: change.line,
            flag: change.flag,
            value: change.value,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_shown_from_the_innermost_layer_or_build_directory_that_holds_them() {
        let roots = [
            "/work/poky/meta".to_owned(),
            "/work/poky/meta/sub-layer/".to_owned(),
            "/work/build".to_owned(),
        ];
        let shown = |file: &str| {
            let change = VariableChange {
                operation: "set".to_owned(),
                file: Some(file.to_owned()),
                line: Some(1),
                flag: None,
                value: None,
            };
            HistoryEntry::new(change, &roots).file.unwrap()
        };
        assert_eq!(
            shown("/work/poky/meta/conf/bitbake.conf"),
            "meta/conf/bitbake.conf"
        );
        assert_eq!(
            shown("/work/poky/meta/sub-layer/conf/x.conf"),
            "sub-layer/conf/x.conf"
        );
        assert_eq!(
            shown("/work/build/conf/local.conf"),
            "build/conf/local.conf"
        );
        assert_eq!(
            shown("/work/builder/conf/local.conf"),
            "/work/builder/conf/local.conf"
        );
        assert_eq!(shown("/usr/lib/python3/os.py"), "/usr/lib/python3/os.py");
    }
}
