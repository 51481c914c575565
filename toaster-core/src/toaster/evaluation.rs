//! Conf files read as BitBake reads them, without a project or a store.

use std::path::PathBuf;

use super::Toaster;
use crate::Error;
use crate::conf::{self, KeyReplaced};
use crate::views::EvaluationView;

/// What reading conf files as BitBake does gave.
#[derive(Debug, Clone)]
pub struct ConfEvaluation {
    /// The files read, the values computed and those BitBake cannot expand either.
    pub view: EvaluationView,
    /// Keys that key expansion renamed onto a variable set already (BitBake warns of each).
    pub replaced_keys: Vec<KeyReplaced>,
}

impl Toaster {
    /// Reads `files` in order as BitBake reads conf files, expands keys as BitBake does, and
    /// computes `names` (every variable when empty), without running BitBake.
    pub fn evaluate_conf(files: &[PathBuf], names: &[String]) -> Result<ConfEvaluation, Error> {
        let evaluation = conf::read_as_bitbake(files, names)?;
        Ok(ConfEvaluation {
            view: EvaluationView::new(files, &evaluation),
            replaced_keys: evaluation.replaced_keys,
        })
    }
}
