//! Conf files read as BitBake reads them, as `conf eval --json` prints it.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Serialize;

use crate::conf::Evaluation;

/// The files read, each variable's value, and those BitBake cannot expand either.
#[derive(Debug, Clone, Serialize)]
pub struct EvaluationView {
    /// The files, in the order read.
    pub files: Vec<String>,
    /// Values by name; null when unset.
    pub variables: BTreeMap<String, Option<String>>,
    /// Variables BitBake cannot expand either, with why.
    pub unexpandable: BTreeMap<String, String>,
}

impl EvaluationView {
    /// The view of reading `files`, which gave `evaluation`.
    pub(crate) fn new(files: &[PathBuf], evaluation: &Evaluation) -> EvaluationView {
        EvaluationView {
            files: files.iter().map(|f| f.display().to_string()).collect(),
            variables: evaluation.values.clone(),
            unexpandable: evaluation
                .unexpandable
                .iter()
                .map(|(name, e)| (name.clone(), e.to_string()))
                .collect(),
        }
    }
}
