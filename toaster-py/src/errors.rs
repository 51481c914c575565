//! The one place core errors become Python exceptions (classes in `toaster_rs/errors.py`).

use pyo3::prelude::*;
use toaster_core::{Error, ErrorKind, Warning};

use crate::remedies::PythonWords;

/// The exception for a core error: its class follows the error's kind, its message is the
/// error's, and its `hint` attribute says what to do next, in Python's words.
pub fn to_py(py: Python<'_>, error: Error) -> PyErr {
    // Exhaustive on purpose: a new kind of error needs a decision here.
    let class = match error.kind() {
        ErrorKind::NotFound => "NotFoundError",
        ErrorKind::AlreadyExists => "AlreadyExistsError",
        ErrorKind::Invalid => "ValidationError",
        ErrorKind::Conflict => "ConflictError",
        ErrorKind::Denied => "PermissionDeniedError",
        ErrorKind::Database => "DatabaseError",
        ErrorKind::Busy => "BusyError",
        ErrorKind::Internal => "InternalError",
    };
    let made = py
        .import("toaster_rs.errors")
        .and_then(|module| module.getattr(class))
        .and_then(|class| class.call1((error.to_string(), error.hint_in(&PythonWords))));
    match made {
        Ok(exception) => PyErr::from_value(exception),
        Err(import_failed) => import_failed,
    }
}

/// Runs a core call with the GIL released and maps its error.
pub fn detach<T: Send>(
    py: Python<'_>,
    call: impl FnOnce() -> Result<T, Error> + Send,
) -> PyResult<T> {
    py.detach(call).map_err(|e| to_py(py, e))
}

/// Issues each of `lines` with Python's `warnings` module, as `class` (a warning class of
/// `toaster_rs.errors`: `NotReproducedWarning` for what an import left out).
pub fn warn_all(py: Python<'_>, class: &str, lines: &[impl ToString]) -> PyResult<()> {
    if lines.is_empty() {
        return Ok(());
    }
    let category = py.import("toaster_rs.errors")?.getattr(class)?;
    let warn = py.import("warnings")?.getattr("warn")?;
    for line in lines {
        // Level 1: the Python line that called into Toaster (a native call has no frame).
        warn.call1((line.to_string(), &category, 1))?;
    }
    Ok(())
}

/// Issues each of `warnings` with Python's `warnings` module, as the category of its kind.
pub fn warn_each(py: Python<'_>, warnings: &[Warning]) -> PyResult<()> {
    for warning in warnings {
        warn_all(py, category(warning), std::slice::from_ref(warning))?;
    }
    Ok(())
}

/// The warning class of `toaster_rs.errors` for a core warning's kind.
fn category(warning: &Warning) -> &'static str {
    match warning {
        Warning::Variable { .. } => "VariableWarning",
        Warning::Replaces { .. } => "ReplacesWarning",
        Warning::UnknownValue { .. } => "UnknownValueWarning",
        Warning::NotInLayers { .. } => "NotInLayersWarning",
        Warning::CheckSkipped { .. } => "CheckSkippedWarning",
        Warning::Release { .. } => "ReleaseWarning",
        Warning::Layer { .. } => "LayerWarning",
        Warning::BuildRunning { .. } => "BuildRunningWarning",
        Warning::ConfNotWritten { .. } => "ConfNotWrittenWarning",
        Warning::Checkout { .. } => "CheckoutWarning",
        Warning::NotReproduced { .. } => "NotReproducedWarning",
        // A kind added to the core later: still a Toaster warning.
        _ => "ToasterWarning",
    }
}
