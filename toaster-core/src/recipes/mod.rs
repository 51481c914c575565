//! Wrapper recipes for imported sources: the sources fetched and unpacked safely, what a
//! source tree is (build system, licences, dependencies), and the recipe written.

mod error;
pub mod facts;
mod source;
pub mod write;

pub use error::SourceError;
pub use source::{Fetched, MAX_DOWNLOAD, MAX_ENTRIES, MAX_UNPACKED, SourceRequest, fetch};
