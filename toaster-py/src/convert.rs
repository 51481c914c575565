//! Core values as Python objects: views (what the CLI's `--json` prints) become dicts and
//! lists with the same field names, and timestamps become `datetime`s in UTC.

use pyo3::prelude::*;
use pyo3::types::{IntoPyDict, PyDict, PyList};
use serde::Serialize;
use serde_json::Value;
use toaster_core::model::Timestamp;

/// `view` as Python objects: objects as dicts, arrays as lists, and scalars as `str`, `int`,
/// `float`, `bool` or `None`. A field named `at` or ending in `_at` is a timestamp (RFC 3339
/// text, or milliseconds since the epoch, as the views write them) and becomes a `datetime`.
pub fn to_python<'py>(py: Python<'py>, view: &impl Serialize) -> PyResult<Bound<'py, PyAny>> {
    let value = serde_json::to_value(view).map_err(|e| {
        pyo3::exceptions::PyRuntimeError::new_err(format!("a view could not be converted: {e}"))
    })?;
    value_to_python(py, &value)
}

/// Each of `views` as Python objects (see [`to_python`]).
pub fn list_to_python<'py, T: Serialize>(
    py: Python<'py>,
    views: impl IntoIterator<Item = T>,
) -> PyResult<Vec<Bound<'py, PyAny>>> {
    views.into_iter().map(|v| to_python(py, &v)).collect()
}

fn value_to_python<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => b.into_pyobject(py)?.to_owned().into_any(),
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => i.into_pyobject(py)?.into_any(),
            (None, Some(u)) => u.into_pyobject(py)?.into_any(),
            _ => n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any(),
        },
        Value::String(s) => s.into_pyobject(py)?.into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(value_to_python(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(fields) => {
            let dict = PyDict::new(py);
            for (key, field) in fields {
                let converted = match timestamp_of(key, field) {
                    Some(at) => datetime(py, at)?,
                    None => value_to_python(py, field)?,
                };
                dict.set_item(key, converted)?;
            }
            dict.into_any()
        }
    })
}

/// The time a field holds, when it is a timestamp field (`at`, `..._at`).
fn timestamp_of(key: &str, field: &Value) -> Option<Timestamp> {
    if key != "at" && !key.ends_with("_at") {
        return None;
    }
    match field {
        Value::Number(n) => n.as_i64().map(Timestamp),
        // Only full RFC 3339 times as the core writes them, never an age such as `7d`.
        Value::String(s) if s.contains('T') && s.ends_with('Z') => {
            Timestamp::parse(s, Timestamp(0)).ok()
        }
        _ => None,
    }
}

/// `at` as a `datetime.datetime` in UTC, to the millisecond.
pub fn datetime(py: Python<'_>, at: Timestamp) -> PyResult<Bound<'_, PyAny>> {
    let module = py.import("datetime")?;
    let utc = module.getattr("timezone")?.getattr("utc")?;
    let epoch = module
        .getattr("datetime")?
        .call((1970, 1, 1), Some(&[("tzinfo", utc)].into_py_dict(py)?))?;
    let since = module
        .getattr("timedelta")?
        .call((), Some(&[("milliseconds", at.0)].into_py_dict(py)?))?;
    epoch.add(since)
}

/// A time that Python reads as a `datetime` in UTC (a field of a `get_all` class).
#[derive(Debug, Clone, Copy)]
pub struct Utc(pub Timestamp);

impl<'py> IntoPyObject<'py> for &Utc {
    type Target = PyAny;
    type Output = Bound<'py, PyAny>;
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        datetime(py, self.0)
    }
}

impl<'py> IntoPyObject<'py> for Utc {
    type Target = PyAny;
    type Output = Bound<'py, PyAny>;
    type Error = PyErr;

    fn into_pyobject(self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        datetime(py, self.0)
    }
}
