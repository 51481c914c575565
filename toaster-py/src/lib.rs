//! `toaster_rs._toaster`: the native part of the Python package `toaster_rs`.
//!
//! Kept thin: each method converts its arguments, calls the `toaster-core` facade with the
//! GIL released, and converts the result back. One wrapper file per core part, one error
//! mapping (`errors.rs`).

mod actor;
mod builds;
mod conf;
mod convert;
mod errors;
mod layers;
mod model;
mod recorder;
mod remedies;
mod toaster;

use pyo3::prelude::*;

#[pymodule]
fn _toaster(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_function(wrap_pyfunction!(conf::eval_conf, m)?)?;
    m.add_class::<toaster::Toaster>()?;
    m.add_class::<actor::Actor>()?;
    m.add_class::<model::Owner>()?;
    m.add_class::<model::Project>()?;
    m.add_class::<model::Revision>()?;
    m.add_class::<model::ChangeOutcome>()?;
    m.add_class::<builds::Build>()?;
    m.add_class::<layers::Layer>()?;
    m.add_class::<recorder::Recorder>()?;
    m.add_class::<recorder::BackgroundRecorder>()?;
    Ok(())
}
