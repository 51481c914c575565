//! Reading one entry: never more bytes than its header declares, and every failure named after
//! the entry.

use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::PathBuf;

use zip::read::ZipFile;

use super::error::ArchiveError;

/// The zip crate's message when an entry outgrows its declared size (it checks too).
const CRATE_OVERRUN: &str = "declared uncompressed size";
/// The zip crate's message for a CRC-32 mismatch.
const CRATE_BAD_CRC: &str = "Invalid checksum";

/// One entry's content, as [`ArchiveReader::open_entry`](super::ArchiveReader::open_entry)
/// gives it.
///
/// It yields exactly the declared number of bytes or fails: more (a header lying about the
/// size, as zip bombs do) is [`ArchiveError::Overrun`] without handing out the extra bytes; a
/// CRC-32 mismatch, bad compressed data or too few bytes are [`ArchiveError::Corrupt`]. The
/// `io::Error` a read returns carries the [`ArchiveError`]; [`EntryReader::error`] takes it
/// back out.
pub struct EntryReader<'a> {
    inner: ZipFile<'a, BufReader<File>>,
    path: PathBuf,
    name: String,
    declared: u64,
    count: u64,
}

impl std::fmt::Debug for EntryReader<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EntryReader")
            .field("path", &self.path)
            .field("name", &self.name)
            .field("declared", &self.declared)
            .field("count", &self.count)
            .finish_non_exhaustive()
    }
}

impl<'a> EntryReader<'a> {
    /// Reads `inner`, the entry `name` of the archive at `path`, declared `declared` bytes.
    pub(super) fn new(
        inner: ZipFile<'a, BufReader<File>>,
        path: PathBuf,
        name: String,
        declared: u64,
    ) -> EntryReader<'a> {
        EntryReader {
            inner,
            path,
            name,
            declared,
            count: 0,
        }
    }

    #[cfg(test)]
    /// The entry's declared (uncompressed) size.
    pub fn size(&self) -> u64 {
        self.declared
    }

    /// The [`ArchiveError`] inside an error this reader returned (an [`ArchiveError::EntryIo`]
    /// for any other `io::Error`).
    pub fn error(&self, e: io::Error) -> ArchiveError {
        if e.get_ref().is_some_and(|inner| inner.is::<ArchiveError>()) {
            if let Some(inner) = e.into_inner() {
                if let Ok(archive) = inner.downcast::<ArchiveError>() {
                    return *archive;
                }
            }
            return self.corrupt("an error was lost on the way".to_owned());
        }
        ArchiveError::EntryIo {
            path: self.path.clone(),
            name: self.name.clone(),
            source: e,
        }
    }

    fn corrupt(&self, reason: String) -> ArchiveError {
        ArchiveError::Corrupt {
            path: self.path.clone(),
            name: self.name.clone(),
            reason,
        }
    }

    fn overrun(&self) -> ArchiveError {
        ArchiveError::Overrun {
            path: self.path.clone(),
            name: self.name.clone(),
            declared: self.declared,
        }
    }

    /// What a failure of the zip crate's reader means for this entry.
    fn classify(&self, e: io::Error) -> ArchiveError {
        let message = e.to_string();
        if message.contains(CRATE_OVERRUN) {
            return self.overrun();
        }
        if message.contains(CRATE_BAD_CRC) {
            return self.corrupt("its CRC-32 does not match its content".to_owned());
        }
        match e.kind() {
            io::ErrorKind::InvalidData
            | io::ErrorKind::InvalidInput
            | io::ErrorKind::UnexpectedEof => self.corrupt(message),
            _ => ArchiveError::EntryIo {
                path: self.path.clone(),
                name: self.name.clone(),
                source: e,
            },
        }
    }
}

/// An [`ArchiveError`] carried through `Read`.
fn carried(error: ArchiveError) -> io::Error {
    let kind = match &error {
        ArchiveError::EntryIo { source, .. } => source.kind(),
        _ => io::ErrorKind::InvalidData,
    };
    io::Error::new(kind, error)
}

impl Read for EntryReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        // At most one byte past the declared size is asked for: one is proof enough of a lie.
        let room = self.declared - self.count;
        let want = usize::try_from(room.saturating_add(1))
            .unwrap_or(usize::MAX)
            .min(buf.len());
        let n = match self.inner.read(&mut buf[..want]) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => return Err(e),
            Err(e) => return Err(carried(self.classify(e))),
        };
        if n as u64 > room {
            return Err(carried(self.overrun()));
        }
        self.count += n as u64;
        if n == 0 && self.count < self.declared {
            return Err(carried(self.corrupt(format!(
                "it ends after {} of its {} bytes",
                self.count, self.declared
            ))));
        }
        Ok(n)
    }
}
