//! The transports of post-build hooks: an e-mail over SMTP, a signed webhook POST, a script
//! run in the build directory.
//!
//! Each transport makes one attempt and returns an [`AttemptResult`](crate::model::AttemptResult):
//! it never panics and has no error type; every failure is `delivered: false` with a
//! one-line `detail` saying what went wrong and what to check. Retries, claims and records
//! belong to the delivery engine that calls them.

pub mod email;
mod output;
pub mod script;
pub mod webhook;

#[cfg(test)]
mod tests;

use std::time::Duration;

/// A duration as people read it in a detail: `30` for whole seconds, `0.5` otherwise.
fn seconds(duration: Duration) -> String {
    if duration.subsec_millis() == 0 {
        duration.as_secs().to_string()
    } else {
        format!("{:.1}", duration.as_secs_f64())
    }
}
