//! SHA-256 while copying: one pass over a file, memory flat however large it is.

use std::io::{self, Read, Write};

use sha2::{Digest, Sha256};

/// The buffer a copy reads through.
const BUFFER: usize = 1 << 20;

/// What a copy saw: the bytes that went through and their SHA-256.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Digested {
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

impl From<CopyError> for io::Error {
    fn from(e: CopyError) -> io::Error {
        match e {
            CopyError::Read(e) | CopyError::Write(e) => e,
        }
    }
}

/// Copies `from` into `to` to the end, hashing on the way.
pub fn copy_hashing(from: &mut dyn Read, to: &mut dyn Write) -> Result<Digested, CopyError> {
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
    Ok(Digested {
        size,
        sha256: hex(&hasher.finalize()),
    })
}

/// Lowercase hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut text = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        text.push(char::from(DIGITS[usize::from(b >> 4)]));
        text.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_checksum_is_sha256sum_s() {
        let mut out = Vec::new();
        let seen = copy_hashing(&mut &b"abc"[..], &mut out).unwrap();
        assert_eq!(out, b"abc");
        assert_eq!(seen.size, 3);
        assert_eq!(
            seen.sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
