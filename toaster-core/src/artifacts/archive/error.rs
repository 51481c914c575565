//! What can go wrong writing or reading a build archive.

use std::io;
use std::path::{Path, PathBuf};

/// What can go wrong writing or reading a build archive.
///
/// Entry names taken from an archive are shown quoted and escaped (`{name:?}`), so a name
/// holding control characters cannot play tricks on a terminal.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ArchiveError {
    /// The archive to write is already there.
    #[error("{path} already exists; an archive never replaces a file")]
    AlreadyExists {
        /// The archive's path.
        path: PathBuf,
    },
    /// The path to write the archive to does not end in a file name.
    #[error("{path} does not name a file to write the archive to")]
    NoFileName {
        /// The path given.
        path: PathBuf,
    },
    /// The file is not a zip archive, or not a whole one.
    #[error("{path} is not a readable zip archive: {reason}")]
    Unreadable {
        /// The archive.
        path: PathBuf,
        /// What the zip reader found.
        reason: String,
    },
    /// An entry name that could escape a directory it is extracted into, or is no plain
    /// relative path.
    #[error("the entry name {name:?} in {path} {reason}")]
    UnsafeName {
        /// The archive.
        path: PathBuf,
        /// The name (made valid UTF-8 if it was not).
        name: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// An entry that is a symbolic link, a device or anything but a file or a directory.
    #[error("the entry {name:?} in {path} is neither a regular file nor a directory")]
    NotAFile {
        /// The archive.
        path: PathBuf,
        /// The entry.
        name: String,
    },
    /// Two entries with one name (ignoring case and a trailing `/`).
    #[error(
        "the entry name {name:?} appears twice in {path} (names are compared ignoring case and a trailing `/`)"
    )]
    Duplicate {
        /// The archive.
        path: PathBuf,
        /// The second entry of that name.
        name: String,
    },
    /// More entries than the limits allow.
    #[error("{path} has {count} entries, more than the {limit} allowed")]
    TooManyEntries {
        /// The archive.
        path: PathBuf,
        /// How many it has.
        count: u64,
        /// The limit.
        limit: u64,
    },
    /// The entries would unpack to more bytes than the limits allow.
    #[error("{path} declares {total} bytes in all once unpacked, more than the {limit} allowed")]
    TooLarge {
        /// The archive.
        path: PathBuf,
        /// The declared total.
        total: u64,
        /// The limit.
        limit: u64,
    },
    /// An entry that unpacks to far more than it takes in the archive: a zip bomb.
    #[error(
        "the entry {name:?} in {path} unpacks to {ratio} times its compressed size, more than the {limit} times allowed"
    )]
    Bomb {
        /// The archive.
        path: PathBuf,
        /// The entry.
        name: String,
        /// Declared uncompressed size divided by compressed size.
        ratio: u64,
        /// The limit.
        limit: u64,
    },
    /// An encrypted entry.
    #[error("the entry {name:?} in {path} is encrypted")]
    Encrypted {
        /// The archive.
        path: PathBuf,
        /// The entry.
        name: String,
    },
    /// An entry compressed with a method other than stored or deflated.
    #[error(
        "the entry {name:?} in {path} is compressed with {method}, which Toaster does not read"
    )]
    UnsupportedMethod {
        /// The archive.
        path: PathBuf,
        /// The entry.
        name: String,
        /// The method.
        method: String,
    },
    /// The local headers disagree with the central directory, entries overlap, or data is
    /// hidden between them.
    #[error("{path} is inconsistent: {reason}")]
    Inconsistent {
        /// The archive.
        path: PathBuf,
        /// What disagrees.
        reason: String,
    },
    /// No entry of that name.
    #[error("{path} has no entry {name:?}")]
    NotFound {
        /// The archive.
        path: PathBuf,
        /// The name asked for.
        name: String,
    },
    /// An entry larger than the caller reads into memory.
    #[error("the entry {name:?} in {path} is {size} bytes, more than the {limit} read at once")]
    EntryTooLarge {
        /// The archive.
        path: PathBuf,
        /// The entry.
        name: String,
        /// Its declared size.
        size: u64,
        /// The cap.
        limit: u64,
    },
    /// An entry that should be JSON of a known shape is not.
    #[error("the entry {name:?} in {path} is not what Toaster expects: {reason}")]
    Malformed {
        /// The archive.
        path: PathBuf,
        /// The entry.
        name: String,
        /// What the JSON reader said.
        reason: String,
    },
    /// An entry yielded more bytes than its header declares.
    #[error(
        "the entry {name:?} in {path} holds more than the {declared} bytes its header declares"
    )]
    Overrun {
        /// The archive.
        path: PathBuf,
        /// The entry.
        name: String,
        /// The declared size.
        declared: u64,
    },
    /// An entry's data is damaged: a CRC-32 mismatch, bad compressed data, or fewer bytes than
    /// declared.
    #[error("the entry {name:?} in {path} is damaged: {reason}")]
    Corrupt {
        /// The archive.
        path: PathBuf,
        /// The entry.
        name: String,
        /// What was found.
        reason: String,
    },
    /// A value could not be written as JSON (the entry was left out).
    #[error("the entry {name:?} for {path} could not be written as JSON: {reason}")]
    Unserializable {
        /// The archive being written.
        path: PathBuf,
        /// The entry.
        name: String,
        /// What the JSON writer said.
        reason: String,
    },
    /// Reading the content to add failed (the entry was left out).
    #[error("reading the content of entry {name:?} for {path} failed: {source}")]
    Source {
        /// The archive being written.
        path: PathBuf,
        /// The entry.
        name: String,
        /// The cause.
        source: io::Error,
    },
    /// Writing an entry out of the archive failed.
    #[error("writing the entry {name:?} of {path} out failed: {source}")]
    Sink {
        /// The archive read.
        path: PathBuf,
        /// The entry.
        name: String,
        /// The cause.
        source: io::Error,
    },
    /// An earlier failure ended this archive; nothing more can be added to it.
    #[error("the archive {path} was abandoned after an earlier error; it will not be written")]
    Abandoned {
        /// The archive that was being written.
        path: PathBuf,
    },
    /// Writing the archive failed; the temporary file is removed.
    #[error("{}writing {path} (through the temporary file {temp}) failed: {source}; nothing was left behind", entry_prefix(name.as_deref()))]
    WriteIo {
        /// The archive's final path.
        path: PathBuf,
        /// The temporary file written first.
        temp: PathBuf,
        /// The entry being written, if one was.
        name: Option<String>,
        /// The cause.
        source: io::Error,
    },
    /// Reading an entry's bytes from the archive file failed.
    #[error("reading the entry {name:?} of {path} failed: {source}")]
    EntryIo {
        /// The archive.
        path: PathBuf,
        /// The entry.
        name: String,
        /// The cause.
        source: io::Error,
    },
    /// The file system refused.
    #[error("{path}: {source}")]
    Io {
        /// The path involved.
        path: PathBuf,
        /// The cause.
        source: io::Error,
    },
}

fn entry_prefix(name: Option<&str>) -> String {
    name.map(|n| format!("at entry {n:?}: "))
        .unwrap_or_default()
}

/// How names must look, for the hints.
const NAME_RULES: &str = "entry names are relative `/`-separated paths of at most 1024 bytes, without empty, `.` or `..` parts, backslashes or control characters";

/// What to say about an archive Toaster did not make as it is.
const NOT_TOASTERS: &str = "Toaster never writes such an archive: it was made or altered by another tool; make it again with Toaster, or copy the original again";

impl ArchiveError {
    /// What to do next.
    pub fn hint(&self) -> Option<String> {
        Some(match self {
            ArchiveError::AlreadyExists { path } => {
                format!("choose another name, or move {} away first", path.display())
            }
            ArchiveError::NoFileName { .. } => {
                "give the path of a file, such as build-42.zip".to_owned()
            }
            ArchiveError::Unreadable { .. } => {
                "the file is not a whole Toaster archive: copy it again".to_owned()
            }
            ArchiveError::UnsafeName { .. } => format!("{NAME_RULES}; {NOT_TOASTERS}"),
            ArchiveError::NotAFile { .. }
            | ArchiveError::Duplicate { .. }
            | ArchiveError::Encrypted { .. }
            | ArchiveError::UnsupportedMethod { .. }
            | ArchiveError::Inconsistent { .. } => NOT_TOASTERS.to_owned(),
            ArchiveError::TooManyEntries { .. }
            | ArchiveError::TooLarge { .. }
            | ArchiveError::Bomb { .. } => {
                "if the archive comes from a source you trust, open it with higher limits"
                    .to_owned()
            }
            ArchiveError::NotFound { .. } => {
                "the archive lacks that entry: it may be incomplete or from another Toaster version"
                    .to_owned()
            }
            ArchiveError::EntryTooLarge { .. } => {
                "read it as a stream instead, or check the archive came from Toaster".to_owned()
            }
            ArchiveError::Malformed { .. } => {
                "the archive was altered, or made by an incompatible Toaster version; make it again"
                    .to_owned()
            }
            ArchiveError::Overrun { .. } | ArchiveError::Corrupt { .. } => {
                "the archive is damaged or was tampered with: copy it again from its source"
                    .to_owned()
            }
            ArchiveError::Unserializable { .. } => return None,
            ArchiveError::Source { .. } => {
                "the entry was left out; check the file being added can be read, then add it again"
                    .to_owned()
            }
            ArchiveError::Abandoned { .. } => {
                "fix the error reported first, then write the archive again".to_owned()
            }
            ArchiveError::WriteIo { path, source, .. } => {
                return io_hint(&parent_of(path), source);
            }
            ArchiveError::Io { path, source } => return io_hint(&parent_of(path), source),
            ArchiveError::EntryIo { path, source, .. } => {
                return io_hint(&path.display().to_string(), source);
            }
            ArchiveError::Sink { source, .. } => {
                return io_hint("the entry's destination", source);
            }
        })
    }
}

/// The directory `path` is in, for messages.
fn parent_of(path: &Path) -> String {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.display().to_string(),
        _ => ".".to_owned(),
    }
}

/// A hint for an I/O failure at `place`, when its kind says what to do.
fn io_hint(place: &str, source: &io::Error) -> Option<String> {
    match source.kind() {
        io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded => Some(format!(
            "free space on the file system holding {place} and try again"
        )),
        io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem => {
            Some(format!("check the permissions of {place}"))
        }
        _ => None,
    }
}

/// Maps an I/O error to [`ArchiveError::Io`] on `path`.
pub(super) fn io_error(path: &Path) -> impl FnOnce(io::Error) -> ArchiveError + '_ {
    move |source| ArchiveError::Io {
        path: path.to_owned(),
        source,
    }
}

/// The I/O error inside a zip crate error, or the zip error as an I/O error.
pub(super) fn zip_io(e: zip::result::ZipError) -> io::Error {
    match e {
        zip::result::ZipError::Io(e) => e,
        other => io::Error::from(other),
    }
}
