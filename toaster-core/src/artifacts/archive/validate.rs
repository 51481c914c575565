//! The checks an archive passes before anything in it is read: the whole central directory
//! against the name rules, the entry kinds and the limits, then the local headers against it.

use std::collections::HashSet;
use std::fs::File;
use std::io::{self, BufReader};
use std::os::unix::fs::FileExt;
use std::path::Path;

use zip::result::ZipError;
use zip::{CompressionMethod, ZipArchive};

use super::error::ArchiveError;
use super::limits::ArchiveLimits;
use super::names::{NameSet, unsafe_reason};

/// The file type bits of a unix mode, and the two types an entry may have.
const S_IFMT: u32 = 0o170_000;
const S_IFREG: u32 = 0o100_000;
const S_IFDIR: u32 = 0o040_000;
/// The MS-DOS directory attribute (low byte of the external attributes).
const DOS_DIRECTORY: u32 = 0x10;

/// An entry that passed: its name and declared uncompressed size.
#[derive(Debug)]
pub struct Entry {
    /// The name, as in the archive (a directory's ends with `/`).
    pub name: String,
    /// The declared uncompressed size.
    pub size: u64,
}

/// An archive the zip crate could parse, checked entry by entry; `raw` is a second handle on
/// its file, for reading the central directory as it is (the crate folds exact duplicates).
pub fn check(
    path: &Path,
    zip: &mut ZipArchive<BufReader<File>>,
    raw: &File,
    limits: &ArchiveLimits,
) -> Result<Vec<Entry>, ArchiveError> {
    let count = zip.len() as u64;
    if count > limits.max_entries {
        return Err(ArchiveError::TooManyEntries {
            path: path.to_owned(),
            count,
            limit: limits.max_entries,
        });
    }
    if zip.has_duplicate_names() {
        return Err(exact_duplicate(path, raw, zip.central_directory_start()));
    }
    let mut names = NameSet::default();
    let mut entries = Vec::with_capacity(zip.len());
    let mut total = 0u64;
    for index in 0..zip.len() {
        let entry = check_entry(path, zip, index, limits)?;
        if !names.insert(&entry.name) {
            return Err(ArchiveError::Duplicate {
                path: path.to_owned(),
                name: entry.name,
            });
        }
        total = total.saturating_add(entry.size);
        entries.push(entry);
    }
    if total > limits.max_total_bytes {
        return Err(ArchiveError::TooLarge {
            path: path.to_owned(),
            total,
            limit: limits.max_total_bytes,
        });
    }
    zip.validate_header_consistency().map_err(|e| match e {
        ZipError::Io(source) => unreadable_or_io(path, source),
        other => ArchiveError::Inconsistent {
            path: path.to_owned(),
            reason: other.to_string(),
        },
    })?;
    Ok(entries)
}

/// One entry's name, kind, encryption, compression and ratio.
fn check_entry(
    path: &Path,
    zip: &ZipArchive<BufReader<File>>,
    index: usize,
    limits: &ArchiveLimits,
) -> Result<Entry, ArchiveError> {
    let data = zip
        .by_index_data(index)
        .map_err(|e| ArchiveError::Unreadable {
            path: path.to_owned(),
            reason: e.to_string(),
        })?;
    let raw = data.name_raw();
    let unsafe_name = |name: String, reason| ArchiveError::UnsafeName {
        path: path.to_owned(),
        name,
        reason,
    };
    let Ok(name) = std::str::from_utf8(raw) else {
        return Err(unsafe_name(
            String::from_utf8_lossy(raw).into_owned(),
            "is not UTF-8",
        ));
    };
    if let Some(reason) = unsafe_reason(name) {
        return Err(unsafe_name(name.to_owned(), reason));
    }
    if data.name().ok().as_deref() != Some(name) {
        return Err(unsafe_name(
            name.to_owned(),
            "reads differently through the zip library",
        ));
    }
    let name = name.to_owned();
    if data.encrypted() {
        return Err(ArchiveError::Encrypted {
            path: path.to_owned(),
            name,
        });
    }
    let attributes = data.external_attributes();
    let kind = (attributes >> 16) & S_IFMT;
    let directory = name.ends_with('/');
    let fits = match kind {
        0 => directory || attributes & DOS_DIRECTORY == 0,
        S_IFREG => !directory && attributes & DOS_DIRECTORY == 0,
        S_IFDIR => directory,
        _ => false,
    };
    if !fits || (directory && data.size() != 0) {
        return Err(ArchiveError::NotAFile {
            path: path.to_owned(),
            name,
        });
    }
    let method = data.compression();
    if method != CompressionMethod::Stored && method != CompressionMethod::Deflated {
        return Err(ArchiveError::UnsupportedMethod {
            path: path.to_owned(),
            name,
            method: method.to_string(),
        });
    }
    let size = data.size();
    let compressed = data.compressed_size().max(1);
    if size > limits.ratio_floor && size / compressed > limits.max_ratio {
        return Err(ArchiveError::Bomb {
            path: path.to_owned(),
            name,
            ratio: size / compressed,
            limit: limits.max_ratio,
        });
    }
    Ok(Entry { name, size })
}

/// The name the central directory lists twice, read from the file itself (the zip crate
/// keeps one entry per name).
fn exact_duplicate(path: &Path, raw: &File, start: u64) -> ArchiveError {
    match repeated_name(raw, start) {
        Ok(Some(name)) => ArchiveError::Duplicate {
            path: path.to_owned(),
            name: String::from_utf8_lossy(&name).into_owned(),
        },
        Ok(None) => ArchiveError::Inconsistent {
            path: path.to_owned(),
            reason: "its central directory lists a name twice".to_owned(),
        },
        Err(source) => unreadable_or_io(path, source),
    }
}

/// Walks the central directory from `at` to the first name seen twice.
fn repeated_name(file: &File, mut at: u64) -> io::Result<Option<Vec<u8>>> {
    const SIGNATURE: [u8; 4] = *b"PK\x01\x02";
    const FIXED: u64 = 46;
    let field = |header: &[u8; FIXED as usize], offset: usize| {
        u64::from(u16::from_le_bytes([header[offset], header[offset + 1]]))
    };
    let mut seen = HashSet::new();
    loop {
        let mut header = [0u8; FIXED as usize];
        file.read_exact_at(&mut header, at)?;
        if header[..4] != SIGNATURE {
            return Ok(None);
        }
        let (name_len, extra_len, comment_len) =
            (field(&header, 28), field(&header, 30), field(&header, 32));
        let mut name = vec![0u8; name_len as usize];
        file.read_exact_at(&mut name, at + FIXED)?;
        if !seen.insert(name.clone()) {
            return Ok(Some(name));
        }
        at += FIXED + name_len + extra_len + comment_len;
    }
}

/// A read failure while checking: a short file is not a whole archive; anything else is I/O.
pub fn unreadable_or_io(path: &Path, source: io::Error) -> ArchiveError {
    match source.kind() {
        io::ErrorKind::UnexpectedEof | io::ErrorKind::InvalidData => ArchiveError::Unreadable {
            path: path.to_owned(),
            reason: source.to_string(),
        },
        _ => ArchiveError::Io {
            path: path.to_owned(),
            source,
        },
    }
}
