//! Writing an event log: the header, then one event per line.

use std::fs::File;
use std::io::{BufWriter, Write};
#[cfg(test)]
use std::path::Path;
use std::path::PathBuf;

use serde::Serialize;

#[cfg(test)]
use super::Header;
use crate::ingest::{Event, IngestError};

/// Appends events to an event log.
#[derive(Debug)]
pub struct EventLogWriter {
    path: PathBuf,
    out: BufWriter<File>,
}

impl EventLogWriter {
    #[cfg(test)]
    /// Creates `path` (refusing to overwrite a file) and writes the header.
    pub fn create(path: &Path, header: &Header) -> Result<EventLogWriter, IngestError> {
        let io = |source| IngestError::Io {
            path: path.to_owned(),
            source,
        };
        let file = File::options()
            .write(true)
            .create_new(true)
            .open(path)
            .map_err(io)?;
        let mut writer = EventLogWriter {
            path: path.to_owned(),
            out: BufWriter::new(file),
        };
        writer.line(header)?;
        Ok(writer)
    }

    /// Appends one event.
    pub fn append(&mut self, event: &Event) -> Result<(), IngestError> {
        self.line(event)
    }

    /// Pushes what is buffered to the file.
    pub fn flush(&mut self) -> Result<(), IngestError> {
        self.out.flush().map_err(|source| IngestError::Io {
            path: self.path.clone(),
            source,
        })
    }

    fn line<T: Serialize>(&mut self, value: &T) -> Result<(), IngestError> {
        let io = |source| IngestError::Io {
            path: self.path.clone(),
            source,
        };
        serde_json::to_writer(&mut self.out, value).map_err(|e| io(e.into()))?;
        self.out.write_all(b"\n").map_err(io)
    }
}
