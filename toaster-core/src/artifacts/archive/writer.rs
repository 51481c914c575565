//! Writing a build archive: into a temporary file beside the final name, moved into place by
//! `finish` only, never replacing a file.

use std::ffi::OsStr;
use std::fs;
use std::io::{self, BufWriter, Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::Serialize;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use super::EntryFacts;
use super::error::{ArchiveError, io_error, zip_io};
use super::names::{NameSet, unsafe_reason};
use super::partial::{PartialFile, sync_dir};
use super::sink::Sink;
use crate::artifacts::{CopyError, copy_hashing};

#[cfg(test)]
/// Entries of this many bytes or more are written with zip64 sizes. Below 4 GiB with room for
/// deflate's worst-case growth of incompressible data (a few bytes per 64 KiB).
const LARGE_FROM: u64 = 0xF000_0000;

/// The buffer JSON is serialized through (serde writes in small pieces).
const JSON_BUFFER: usize = 64 << 10;

/// A build archive being written.
///
/// Everything goes to a temporary file (`.<name>.<unique>.partial`, mode 0600) in the final
/// file's directory; [`finish`](ArchiveWriter::finish) moves it to the final name. Dropped
/// without `finish`, or after a failed write, the temporary file is removed: a crash or a full
/// disk never leaves a partial zip under the final name. Names are checked by the rules the
/// reader applies, so a writer never makes an archive its own reader refuses for its names.
///
/// Deflated entries use flate2 over zlib-rs at the default level (6); it measured about 1.4
/// times as fast as miniz_oxide when writing build logs and binaries.
#[derive(Debug)]
pub struct ArchiveWriter {
    final_path: PathBuf,
    zip: Option<ZipWriter<Sink>>,
    /// Set on the first failure (or on drop): nothing more reaches the file.
    discard: Arc<AtomicBool>,
    partial: PartialFile,
    names: NameSet,
}

impl ArchiveWriter {
    /// Starts an archive to be finished at `final_path`, which must not exist.
    pub fn create(final_path: &Path) -> Result<ArchiveWriter, ArchiveError> {
        let Some(file_name) = final_path.file_name().map(OsStr::to_string_lossy) else {
            return Err(ArchiveError::NoFileName {
                path: final_path.to_owned(),
            });
        };
        match fs::symlink_metadata(final_path) {
            Ok(_) => {
                return Err(ArchiveError::AlreadyExists {
                    path: final_path.to_owned(),
                });
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(io_error(final_path)(e)),
        }
        let dir = directory_of(final_path);
        let (file, partial) = PartialFile::create(dir, &file_name).map_err(io_error(dir))?;
        let discard = Arc::new(AtomicBool::new(false));
        let zip = ZipWriter::new(Sink::new(file, Arc::clone(&discard)));
        Ok(ArchiveWriter {
            final_path: final_path.to_owned(),
            zip: Some(zip),
            discard,
            partial,
            names: NameSet::default(),
        })
    }

    /// Adds `value` as JSON (deflated, streamed: never held whole in memory) under `name`.
    ///
    /// If `value` cannot be serialized, the entry is left out and the archive can go on
    /// ([`ArchiveError::Unserializable`]).
    pub fn add_json<T: Serialize>(&mut self, name: &str, value: &T) -> Result<(), ArchiveError> {
        self.check_name(name)?;
        self.start(name, true, true)?;
        let zip = self.live()?;
        let mut out = BufWriter::with_capacity(JSON_BUFFER, zip);
        let written = serde_json::to_writer(&mut out, value);
        let flushed = out.flush();
        drop(out);
        match (written, flushed) {
            (Ok(()), Ok(())) => {}
            (Err(e), _) if !e.is_io() => {
                self.abort_entry(name)?;
                return Err(ArchiveError::Unserializable {
                    path: self.final_path.clone(),
                    name: name.to_owned(),
                    reason: e.to_string(),
                });
            }
            (Err(e), _) => return Err(self.write_failed(Some(name), e.into())),
            (Ok(()), Err(e)) => return Err(self.write_failed(Some(name), e)),
        }
        self.names.insert(name);
        Ok(())
    }

    #[cfg(test)]
    /// Adds `bytes` (deflated) under `name`.
    pub fn add_bytes(&mut self, name: &str, bytes: &[u8]) -> Result<(), ArchiveError> {
        self.check_name(name)?;
        self.start(name, true, bytes.len() as u64 >= LARGE_FROM)?;
        let zip = self.live()?;
        if let Err(e) = zip.write_all(bytes) {
            return Err(self.write_failed(Some(name), e));
        }
        self.names.insert(name);
        Ok(())
    }

    /// Streams `reader` to its end into the entry `name`, deflated if `compress` (store what is
    /// compressed already, such as most images), and tells its size and SHA-256. Memory stays
    /// flat however large the content; entries may exceed 4 GiB (zip64).
    ///
    /// If `reader` fails, the entry is left out and the archive can go on
    /// ([`ArchiveError::Source`]).
    pub fn add_file(
        &mut self,
        name: &str,
        reader: &mut dyn Read,
        compress: bool,
    ) -> Result<EntryFacts, ArchiveError> {
        self.check_name(name)?;
        self.start(name, compress, true)?;
        let zip = self.live()?;
        match copy_hashing(reader, zip) {
            Ok(facts) => {
                self.names.insert(name);
                Ok(facts)
            }
            Err(CopyError::Read(source)) => {
                self.abort_entry(name)?;
                Err(ArchiveError::Source {
                    path: self.final_path.clone(),
                    name: name.to_owned(),
                    source,
                })
            }
            Err(CopyError::Write(e)) => Err(self.write_failed(Some(name), e)),
        }
    }

    /// Finishes the archive, makes it durable and moves it to its final name (refusing, with
    /// [`ArchiveError::AlreadyExists`], if a file appeared there meanwhile). Returns the final
    /// path.
    ///
    /// On any error the temporary file is gone and nothing is under the final name, except
    /// when only the last step, syncing the directory, fails ([`ArchiveError::Io`] on the
    /// directory): the archive is then in place but may not survive a power cut.
    pub fn finish(mut self) -> Result<PathBuf, ArchiveError> {
        self.live()?;
        let Some(zip) = self.zip.take() else {
            return Err(self.abandoned());
        };
        let sink = match zip.finish() {
            Ok(sink) => sink,
            Err(e) => return Err(self.write_failed(None, zip_io(e))),
        };
        let written = sink.into_file().and_then(|mut file| {
            // An aborted entry may have left bytes past the end: cut them off.
            let end = file.stream_position()?;
            file.set_len(end)?;
            file.sync_all()
        });
        if let Err(e) = written {
            return Err(self.write_failed(None, e));
        }
        if let Err(e) = self.partial.move_to(&self.final_path) {
            if e.kind() == io::ErrorKind::AlreadyExists {
                return Err(ArchiveError::AlreadyExists {
                    path: self.final_path.clone(),
                });
            }
            return Err(self.write_failed(None, e));
        }
        let dir = directory_of(&self.final_path);
        sync_dir(dir).map_err(io_error(dir))?;
        Ok(self.final_path.clone())
    }

    /// Refuses a name the reader would refuse, or one already in the archive.
    fn check_name(&self, name: &str) -> Result<(), ArchiveError> {
        let reason = if name.ends_with('/') {
            Some("ends with `/`, which marks a directory, not a file")
        } else {
            unsafe_reason(name)
        };
        if let Some(reason) = reason {
            return Err(ArchiveError::UnsafeName {
                path: self.final_path.clone(),
                name: name.to_owned(),
                reason,
            });
        }
        if self.names.contains(name) {
            return Err(ArchiveError::Duplicate {
                path: self.final_path.clone(),
                name: name.to_owned(),
            });
        }
        Ok(())
    }

    /// Starts the entry `name`.
    fn start(&mut self, name: &str, compress: bool, large: bool) -> Result<(), ArchiveError> {
        let method = if compress {
            CompressionMethod::Deflated
        } else {
            CompressionMethod::Stored
        };
        let options = SimpleFileOptions::default()
            .compression_method(method)
            .large_file(large)
            .unix_permissions(0o644);
        let zip = self.live()?;
        if let Err(e) = zip.start_file(name, options) {
            return Err(self.write_failed(Some(name), zip_io(e)));
        }
        Ok(())
    }

    /// Drops the entry being written after its content failed (not the archive's file).
    fn abort_entry(&mut self, name: &str) -> Result<(), ArchiveError> {
        let zip = self.live()?;
        if let Err(e) = zip.abort_file() {
            return Err(self.write_failed(Some(name), zip_io(e)));
        }
        // The sink may have failed while the entry's last bytes were flushed.
        self.live().map(|_| ())
    }

    /// The zip writer, unless an earlier failure abandoned the archive.
    fn live(&mut self) -> Result<&mut ZipWriter<Sink>, ArchiveError> {
        if self.discard.load(Ordering::Relaxed) {
            return Err(self.abandoned());
        }
        match self.zip.as_mut() {
            Some(zip) => Ok(zip),
            None => Err(ArchiveError::Abandoned {
                path: self.final_path.clone(),
            }),
        }
    }

    fn abandoned(&self) -> ArchiveError {
        ArchiveError::Abandoned {
            path: self.final_path.clone(),
        }
    }

    /// Abandons the archive after a failed write (its temporary file removed at once), and
    /// says so.
    fn write_failed(&mut self, name: Option<&str>, source: io::Error) -> ArchiveError {
        self.discard.store(true, Ordering::Relaxed);
        self.partial.remove();
        ArchiveError::WriteIo {
            path: self.final_path.clone(),
            temp: self.partial.path().to_owned(),
            name: name.map(str::to_owned),
            source,
        }
    }
}

impl Drop for ArchiveWriter {
    fn drop(&mut self) {
        // The zip writer finishes itself on drop: let it, into nothing, before the temporary
        // file (a later field) is removed.
        self.discard.store(true, Ordering::Relaxed);
        drop(self.zip.take());
    }
}

/// The directory `path` is in (`.` for a bare file name).
fn directory_of(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}
