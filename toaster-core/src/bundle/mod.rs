//! Sharing a project: versioned bundles (a zip with a manifest, and local layers when asked
//! for) and kas files, written and read.

mod error;
pub(crate) mod kas_in;
pub(crate) mod kas_out;
mod manifest;
mod read;
mod write;

pub use error::BundleError;
pub use kas_in::{Budget, KasInError, RepoProblem};
pub use kas_out::KasOutError;
#[cfg(test)]
pub(crate) use manifest::MANIFEST;
pub(crate) use manifest::{
    BundleConfig, BundleLayer, BundleManifest, BundleSource, FORMAT, VERSION,
};
pub(crate) use read::OpenBundle;
pub(crate) use write::write_bundle;

/// A git layer, for the tests of the kas reader and writer.
#[cfg(test)]
pub(crate) fn test_layer(
    name: &str,
    url: &str,
    reference: &str,
    subdir: Option<&str>,
    commit: Option<&str>,
) -> crate::model::LayerRef {
    crate::model::LayerRef {
        name: name.to_owned(),
        source: crate::model::LayerSource::Git {
            url: url.to_owned(),
            reference: reference.to_owned(),
            subdir: subdir.map(str::to_owned),
            commit: commit.map(str::to_owned),
        },
        collections: Vec::new(),
    }
}
