//! The file under the zip writer: buffered, and able to stop writing for good.
//!
//! The zip crate finishes an archive when its writer is dropped, and prints to stderr when that
//! fails. An abandoned archive (after a failed write, or dropped without `finish`) must neither
//! grow on disk nor print, so the sink, once told to, or after its first failure, swallows every
//! later write and seek while keeping a consistent position.

use std::fs::File;
use std::io::{self, BufWriter, Seek, SeekFrom, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// The buffer between the zip writer and the file.
const BUFFER: usize = 256 << 10;

/// A buffered file that can be switched to discarding everything.
#[derive(Debug)]
pub struct Sink {
    out: BufWriter<File>,
    discard: Arc<AtomicBool>,
    position: u64,
    end: u64,
}

impl Sink {
    /// Wraps `file` (empty, at offset 0); `discard` switches it off, and is set by the sink
    /// itself on its first failure.
    pub fn new(file: File, discard: Arc<AtomicBool>) -> Sink {
        Sink {
            out: BufWriter::with_capacity(BUFFER, file),
            discard,
            position: 0,
            end: 0,
        }
    }

    /// The file, with everything buffered written.
    pub fn into_file(self) -> io::Result<File> {
        self.out
            .into_inner()
            .map_err(io::IntoInnerError::into_error)
    }

    fn discarding(&self) -> bool {
        self.discard.load(Ordering::Relaxed)
    }

    fn failed<T>(&self, e: io::Error) -> io::Result<T> {
        self.discard.store(true, Ordering::Relaxed);
        Err(e)
    }

    fn moved_to(&mut self, position: u64) -> u64 {
        self.position = position;
        self.end = self.end.max(position);
        position
    }
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.discarding() {
            self.moved_to(self.position.saturating_add(buf.len() as u64));
            return Ok(buf.len());
        }
        match self.out.write(buf) {
            Ok(n) => {
                self.moved_to(self.position.saturating_add(n as u64));
                Ok(n)
            }
            Err(e) => self.failed(e),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.discarding() {
            return Ok(());
        }
        match self.out.flush() {
            Ok(()) => Ok(()),
            Err(e) => self.failed(e),
        }
    }
}

impl Seek for Sink {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        if self.discarding() {
            let target = match pos {
                SeekFrom::Start(p) => Some(p),
                SeekFrom::Current(d) => self.position.checked_add_signed(d),
                SeekFrom::End(d) => self.end.checked_add_signed(d),
            };
            return match target {
                Some(p) => Ok(self.moved_to(p)),
                None => Err(io::Error::from(io::ErrorKind::InvalidInput)),
            };
        }
        match self.out.seek(pos) {
            Ok(p) => Ok(self.moved_to(p)),
            Err(e) => self.failed(e),
        }
    }

    fn stream_position(&mut self) -> io::Result<u64> {
        Ok(self.position)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn after_its_first_failure_the_sink_swallows_everything() {
        // Every write to /dev/full fails with "no space left on device".
        let full = File::options().write(true).open("/dev/full").unwrap();
        let discard = Arc::new(AtomicBool::new(false));
        let mut sink = Sink::new(full, Arc::clone(&discard));
        let err = sink.write_all(&vec![1u8; BUFFER * 2]).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::StorageFull);
        assert!(discard.load(Ordering::Relaxed));

        let at = sink.stream_position().unwrap();
        sink.write_all(b"more").unwrap();
        sink.flush().unwrap();
        assert_eq!(sink.stream_position().unwrap(), at + 4);
        assert_eq!(sink.seek(SeekFrom::Start(2)).unwrap(), 2);
        assert_eq!(sink.seek(SeekFrom::End(0)).unwrap(), at + 4);
    }
}
