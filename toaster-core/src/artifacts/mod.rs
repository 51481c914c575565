//! What a build produced: artifacts recorded with their checksums, read back without ever
//! leaving the directory they were recorded in, and build archives (zip files).

pub mod archive;
pub mod build_archive;
mod checksum;
mod confined;
mod copy;
mod error;
mod measure;
mod verify;

pub use checksum::{CopyError, Digested, copy_hashing, hex};
pub use confined::open_beneath;
pub use copy::copy_file_hashing;
pub use error::ArtifactError;
pub use measure::{measure, verified_copy};
pub use verify::verifying_reader;
