//! The variables a build recorded, and their history.

use super::Actor;
use crate::Error;
use crate::access::Action;
use crate::model::{ArchivedVariable, BuildId, BuildVariable, HistoryEntry, Right};

/// The variables whose values name the directories history files are shown from.
const ROOT_VARIABLES: [&str; 2] = ["TOPDIR", "BBLAYERS"];

impl Actor {
    /// Every variable build `id` recorded, with its value, sorted by name (needs read).
    pub fn recorded_variables(&self, id: BuildId) -> Result<Vec<BuildVariable>, Error> {
        self.build_for(id, Action::Project(Right::Read))?;
        Ok(self.store().variables(id)?)
    }

    /// One variable build `id` recorded (needs read); one it did not record is an error.
    pub fn recorded_variable(&self, id: BuildId, name: &str) -> Result<BuildVariable, Error> {
        self.recorded_variables(id)?
            .into_iter()
            .find(|v| v.record.name == name)
            .ok_or_else(|| Error::NoBuildVariable {
                build: id,
                name: name.to_owned(),
            })
    }

    /// Every variable of build `id` with its whole history, as a build archive keeps them.
    pub(super) fn archived_variables(&self, id: BuildId) -> Result<Vec<ArchivedVariable>, Error> {
        self.store()
            .variables(id)?
            .into_iter()
            .map(|v| {
                let history = self.store().variable_history(id, &v.record.name)?;
                Ok(ArchivedVariable {
                    record: v.record,
                    history,
                })
            })
            .collect()
    }

    /// The history of one variable of build `id`, in BitBake's order, each file shown from
    /// the layer or build directory that holds it (the build's `BBLAYERS` and `TOPDIR`, and
    /// its build directory), as Toaster shows it (needs read). A variable the build did not
    /// record is an error; one recorded without history has none.
    pub fn variable_history(&self, id: BuildId, name: &str) -> Result<Vec<HistoryEntry>, Error> {
        let (build, _) = self.build_for(id, Action::Project(Right::Read))?;
        let variables = self.store().variables(id)?;
        if !variables.iter().any(|v| v.record.name == name) {
            return Err(Error::NoBuildVariable {
                build: id,
                name: name.to_owned(),
            });
        }
        let mut roots = vec![build.build_dir.to_string_lossy().into_owned()];
        for v in variables
            .iter()
            .filter(|v| ROOT_VARIABLES.contains(&v.record.name.as_str()))
        {
            let value = v.record.value.as_deref().unwrap_or_default();
            roots.extend(value.split_whitespace().map(str::to_owned));
        }
        Ok(self
            .store()
            .variable_history(id, name)?
            .into_iter()
            .map(|change| HistoryEntry::new(change, &roots))
            .collect())
    }
}
