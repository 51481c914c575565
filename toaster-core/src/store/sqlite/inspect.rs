//! What is at a database path, looked at before SQLite opens it: given a device, SQLite
//! writes a journal beside it; given an empty file, it writes a schema into it.
//!
//! Only the file's metadata is read. Opening the file outside SQLite and closing it again
//! would drop every POSIX lock this process holds on it, those of SQLite's open
//! connections too.

use std::path::Path;

use crate::store::StoreError;

/// What a database path holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Found {
    /// No file.
    Nothing,
    /// A regular file with no bytes.
    EmptyFile,
    /// A regular file with something in it, for SQLite to tell whether it is a database.
    File,
}

/// Looks at `path` (following symbolic links) without opening it; refuses with
/// [`StoreError::NotADatabase`] what is not a regular file.
pub(super) fn inspect(path: &Path) -> Result<Found, StoreError> {
    let metadata = match std::fs::metadata(path) {
        Ok(metadata) => metadata,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Found::Nothing),
        Err(source) => {
            return Err(StoreError::Io {
                path: path.to_owned(),
                source,
            });
        }
    };
    if !metadata.is_file() {
        return Err(StoreError::NotADatabase {
            path: path.to_owned(),
            detail: format!(
                "it is {}, not a file",
                crate::model::file_kind(metadata.file_type())
            ),
        });
    }
    Ok(if metadata.len() == 0 {
        Found::EmptyFile
    } else {
        Found::File
    })
}
