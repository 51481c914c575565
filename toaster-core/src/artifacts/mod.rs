//! What a build produced: artifacts recorded with their checksums, read back without ever
//! leaving the directory they were recorded in, and build archives (zip files).

pub(crate) mod archive;
pub(crate) mod build_archive;
mod checksum;
mod confined;
mod copy;
mod error;
mod measure;
mod verify;

pub use archive::ArchiveError;
pub use build_archive::{ArchivedFile, Manifest};
pub use checksum::{CopyError, Digested};
pub(crate) use checksum::{copy_hashing, hex};
pub(crate) use confined::open_beneath;
pub(crate) use copy::copy_file_hashing;
pub use error::ArtifactError;
pub(crate) use measure::{measure, verified_copy};
pub(crate) use verify::verifying_reader;
