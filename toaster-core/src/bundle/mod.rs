//! Sharing a project: versioned bundles (a zip with a manifest, and local layers when asked
//! for) and kas files, written and read.

mod error;
pub mod kas_in;
pub mod kas_out;
mod manifest;
mod read;
mod write;

pub use error::BundleError;
pub use manifest::{
    BundleConfig, BundleLayer, BundleManifest, BundleSource, FORMAT, LAYERS, MANIFEST, VERSION,
};
pub use read::OpenBundle;
pub use write::{MAX_LAYER_BYTES, MAX_LAYER_FILES, write_bundle};
