//! Size and SHA-256 of an entry, taken while its bytes stream through (memory flat).

use std::io::{self, Read, Write};

use sha2::{Digest, Sha256};

/// The buffer a copy goes through.
const BUFFER: usize = 256 << 10;

/// What went through a copy: its size and SHA-256.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryFacts {
    /// Bytes copied.
    pub size: u64,
    /// Their SHA-256 in lowercase hex.
    pub sha256: String,
}

/// Which side of a copy failed.
#[derive(Debug)]
pub enum CopyError {
    /// Reading from the source.
    Read(io::Error),
    /// Writing to the destination.
    Write(io::Error),
}

/// Copies `from` into `to` to the end, hashing on the way.
pub fn copy_hashing(from: &mut dyn Read, to: &mut dyn Write) -> Result<EntryFacts, CopyError> {
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; BUFFER];
    let mut size = 0u64;
    loop {
        let n = match from.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(CopyError::Read(e)),
        };
        let chunk = &buffer[..n];
        hasher.update(chunk);
        to.write_all(chunk).map_err(CopyError::Write)?;
        size += n as u64;
    }
    Ok(EntryFacts {
        size,
        sha256: super::super::hex(&hasher.finalize()),
    })
}
