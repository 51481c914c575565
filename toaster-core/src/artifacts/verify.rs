//! A reader of an artifact that checks, as it goes, that the bytes are the ones recorded:
//! for a server streaming a file it cannot check before sending.

use std::fs::File;
use std::io::{self, Read};

use sha2::{Digest, Sha256};

use super::{ArtifactError, hex, open_beneath};
use crate::model::ArtifactRecord;

/// Reads the artifact's file; its last read fails (`InvalidData`) instead of ending cleanly
/// when the bytes read are more, fewer or other than the record says.
pub fn verifying_reader(record: &ArtifactRecord) -> Result<Box<dyn Read + Send>, ArtifactError> {
    let (dir, path) = super::measure::confinement(record);
    let file = open_beneath(&dir, &path)?;
    Ok(Box::new(Verifying {
        file,
        hasher: Sha256::new(),
        read: 0,
        size: record.size,
        sha256: record.sha256.clone(),
    }))
}

struct Verifying {
    file: File,
    hasher: Sha256,
    read: u64,
    size: u64,
    sha256: Option<String>,
}

impl Read for Verifying {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.file.read(buf)?;
        self.read += n as u64;
        if self.read > self.size {
            return Err(changed("it grew past its recorded size"));
        }
        if n == 0 {
            if self.read != self.size {
                return Err(changed("it shrank below its recorded size"));
            }
            let sum = hex(&std::mem::take(&mut self.hasher).finalize());
            if self.sha256.as_ref().is_some_and(|s| *s != sum) {
                return Err(changed("its SHA-256 differs from the recorded one"));
            }
            return Ok(0);
        }
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
}

fn changed(why: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("the artifact changed since the build recorded it: {why}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::artifacts::measure;
    use crate::model::ArtifactKind;

    #[test]
    fn a_reader_of_a_changed_file_fails_at_its_end() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.wic"), b"recorded").unwrap();
        let record = measure(ArtifactKind::Image, "a.wic", dir.path(), "a.wic").unwrap();
        let mut text = String::new();
        verifying_reader(&record)
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(text, "recorded");
        std::fs::write(dir.path().join("a.wic"), b"tampered").unwrap();
        let err = verifying_reader(&record)
            .unwrap()
            .read_to_end(&mut Vec::new())
            .unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        std::fs::write(dir.path().join("a.wic"), b"tampered, and longer").unwrap();
        let err = verifying_reader(&record)
            .unwrap()
            .read_to_end(&mut Vec::new())
            .unwrap_err();
        assert!(err.to_string().contains("grew"), "{err}");
    }
}
