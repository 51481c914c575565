//! Reading a build archive, after checking all of it.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, Read, Write};
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use zip::ZipArchive;
use zip::result::ZipError;

use super::EntryFacts;
use super::entry::EntryReader;
use super::error::{ArchiveError, io_error};
use super::limits::ArchiveLimits;
use super::validate::{Entry, check, unreadable_or_io};
use crate::artifacts::{CopyError, copy_hashing};

/// The largest JSON entry [`ArchiveReader::read_json`] reads into memory.
pub const MAX_JSON_BYTES: u64 = 256 << 20;

/// What at most is reserved up front for [`ArchiveReader::read_bytes`]; more grows as it comes.
const RESERVE: u64 = 16 << 20;

/// A build archive open for reading.
///
/// [`open`](ArchiveReader::open) checks the whole central directory first (names, entry kinds,
/// duplicates, encryption, compression methods, sizes and ratios against [`ArchiveLimits`],
/// local headers against it), so a hostile archive is refused before any entry is read.
#[derive(Debug)]
pub struct ArchiveReader {
    path: PathBuf,
    zip: ZipArchive<BufReader<File>>,
    entries: Vec<Entry>,
    by_name: HashMap<String, usize>,
}

impl ArchiveReader {
    /// Opens and checks the archive at `path`.
    pub fn open(path: &Path, limits: &ArchiveLimits) -> Result<ArchiveReader, ArchiveError> {
        let file = File::open(path).map_err(io_error(path))?;
        let raw = file.try_clone().map_err(io_error(path))?;
        let mut zip = ZipArchive::new(BufReader::new(file)).map_err(|e| match e {
            ZipError::Io(source) => unreadable_or_io(path, source),
            other => ArchiveError::Unreadable {
                path: path.to_owned(),
                reason: other.to_string(),
            },
        })?;
        let entries = check(path, &mut zip, &raw, limits)?;
        let by_name = entries
            .iter()
            .enumerate()
            .map(|(index, entry)| (entry.name.clone(), index))
            .collect();
        Ok(ArchiveReader {
            path: path.to_owned(),
            zip,
            entries,
            by_name,
        })
    }

    /// The entry names in archive order (a directory's ends with `/`).
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|entry| entry.name.as_str())
    }

    /// Whether there is an entry named exactly `name`.
    pub fn contains(&self, name: &str) -> bool {
        self.by_name.contains_key(name)
    }

    /// The JSON entry `name` (at most [`MAX_JSON_BYTES`]) as a `T`.
    pub fn read_json<T: DeserializeOwned>(&mut self, name: &str) -> Result<T, ArchiveError> {
        let bytes = self.read_bytes(name, MAX_JSON_BYTES)?;
        serde_json::from_slice(&bytes).map_err(|e| ArchiveError::Malformed {
            path: self.path.clone(),
            name: name.to_owned(),
            reason: e.to_string(),
        })
    }

    /// The content of entry `name`, refused if it declares more than `cap` bytes.
    pub fn read_bytes(&mut self, name: &str, cap: u64) -> Result<Vec<u8>, ArchiveError> {
        let size = self.entries[self.find(name)?].size;
        if size > cap {
            return Err(ArchiveError::EntryTooLarge {
                path: self.path.clone(),
                name: name.to_owned(),
                size,
                limit: cap,
            });
        }
        let mut reader = self.open_entry(name)?;
        let mut bytes = Vec::with_capacity(usize::try_from(size.min(RESERVE)).unwrap_or(0));
        match reader.read_to_end(&mut bytes) {
            Ok(_) => Ok(bytes),
            Err(e) => Err(reader.error(e)),
        }
    }

    /// A reader of entry `name`'s content, which yields exactly its declared size or fails
    /// (see [`EntryReader`]).
    pub fn open_entry(&mut self, name: &str) -> Result<EntryReader<'_>, ArchiveError> {
        let index = self.find(name)?;
        let declared = self.entries[index].size;
        let path = self.path.clone();
        match self.zip.by_index(index) {
            Ok(file) => Ok(EntryReader::new(file, path, name.to_owned(), declared)),
            Err(ZipError::Io(source)) => Err(ArchiveError::EntryIo {
                path,
                name: name.to_owned(),
                source,
            }),
            Err(other) => Err(ArchiveError::Corrupt {
                path,
                name: name.to_owned(),
                reason: other.to_string(),
            }),
        }
    }

    /// Copies entry `name` into `to`, telling its size and SHA-256 (memory flat).
    pub fn copy_entry(
        &mut self,
        name: &str,
        to: &mut dyn Write,
    ) -> Result<EntryFacts, ArchiveError> {
        let path = self.path.clone();
        let mut reader = self.open_entry(name)?;
        copy_hashing(&mut reader, to).map_err(|e| match e {
            CopyError::Read(e) => reader.error(e),
            CopyError::Write(source) => ArchiveError::Sink {
                path,
                name: name.to_owned(),
                source,
            },
        })
    }

    fn find(&self, name: &str) -> Result<usize, ArchiveError> {
        self.by_name
            .get(name)
            .copied()
            .ok_or_else(|| ArchiveError::NotFound {
                path: self.path.clone(),
                name: name.to_owned(),
            })
    }
}
