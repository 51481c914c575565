//! Wrapper recipes for imported sources: the sources fetched and unpacked safely, what a
//! source tree is (build system, licences, dependencies), and the recipe written.

mod error;
pub(crate) mod facts;
mod source;
pub(crate) mod write;

pub use error::SourceError;
pub use facts::FactsError;
pub use source::SourceRequest;
pub(crate) use source::fetch;
pub use write::RecipeWriteError;
