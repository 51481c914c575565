//! Opening a conf file: regular files only (never a directory, a device or a pipe, which
//! could block or never end), and never more than [`MAX_SIZE`] bytes.

use std::fs::{File, FileType, OpenOptions};
use std::io::Read;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use super::error::ConfError;
use super::file::MAX_SIZE;

/// The bytes of the regular file at `path`.
pub(super) fn read_bytes(path: &Path) -> Result<Vec<u8>, ConfError> {
    // Looked at before opening, so no device is opened; checked again on the open file in
    // case the path changed in between (opened non-blocking, so a pipe cannot hang it).
    let before = std::fs::metadata(path).map_err(ConfError::io(path))?;
    check_kind(path, before.file_type())?;
    let file: File = OpenOptions::new()
        .read(true)
        .custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32)
        .open(path)
        .map_err(ConfError::io(path))?;
    let meta = file.metadata().map_err(ConfError::io(path))?;
    check_kind(path, meta.file_type())?;
    let too_large = |size| ConfError::TooLarge {
        file: path.to_owned(),
        size,
        limit: MAX_SIZE,
    };
    if meta.len() > MAX_SIZE {
        return Err(too_large(Some(meta.len())));
    }
    // At most one byte more than allowed: a file growing while read cannot make this read
    // forever; its size is then not known.
    let mut bytes = Vec::new();
    file.take(MAX_SIZE + 1)
        .read_to_end(&mut bytes)
        .map_err(ConfError::io(path))?;
    if bytes.len() as u64 > MAX_SIZE {
        return Err(too_large(None));
    }
    Ok(bytes)
}

fn check_kind(path: &Path, kind: FileType) -> Result<(), ConfError> {
    if kind.is_file() {
        return Ok(());
    }
    Err(ConfError::NotAFile {
        path: path.to_owned(),
        found: crate::model::file_kind(kind),
    })
}
