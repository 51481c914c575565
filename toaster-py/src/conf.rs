//! `toaster_rs.eval_conf`: BitBake conf files read as BitBake reads them.

use std::path::PathBuf;

use pyo3::prelude::*;

use crate::convert::to_python;
use crate::errors::detach;

/// The values BitBake would compute from `files` (read in order) for `names` (every
/// variable when empty), without running BitBake: a dict (`files`, `variables`: None for
/// unset, `unexpandable`: why BitBake cannot expand them either). Keys replaced by key
/// expansion are issued as `ConfigWarning`s, as BitBake warns.
#[pyfunction]
#[pyo3(signature = (files, names = Vec::new()))]
pub fn eval_conf(
    py: Python<'_>,
    files: Vec<PathBuf>,
    names: Vec<String>,
) -> PyResult<Bound<'_, PyAny>> {
    let evaluation = detach(py, || toaster_core::Toaster::evaluate_conf(&files, &names))?;
    let replaced: Vec<String> = evaluation
        .replaced_keys
        .iter()
        .map(|r| {
            format!(
                "variable key {} ({}) replaces original key {} ({}), as BitBake warns",
                r.key, r.value, r.replaced, r.replaced_value
            )
        })
        .collect();
    crate::errors::warn_all(py, "ConfigWarning", &replaced)?;
    to_python(py, &evaluation.view)
}
