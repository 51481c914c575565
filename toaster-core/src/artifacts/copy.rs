//! A checked copy of a file into a file, as fast as `cp`: the kernel copies
//! (`copy_file_range`) while this thread hashes what has landed in the copy, so the
//! checksum is that of the bytes the user gets. Where the kernel cannot copy between the
//! two files, the bytes go through memory once, hashed on the way.

use std::fs::File;
use std::io::{Seek, SeekFrom};
use std::os::unix::fs::FileExt;
use std::sync::mpsc;

use rustix::io::Errno;
use sha2::{Digest, Sha256};

use super::{CopyError, Digested, copy_hashing, hex};

/// How much the kernel copies at a time, and the hasher reads back.
const CHUNK: usize = 8 << 20;

/// How much the copier lets pile up before it has it written to disk, so that writing
/// overlaps hashing and the caller's final sync finds little left to do.
const SYNC_EVERY: u64 = 64 << 20;

/// Copies `from` (from its start) into the empty file `to`, returning the size and
/// SHA-256 of the copy.
pub fn copy_file_hashing(from: &mut File, to: &mut File) -> Result<Digested, CopyError> {
    let (sender, chunks) = mpsc::sync_channel::<(u64, usize)>(16);
    let copied = std::thread::scope(|scope| {
        let copier = scope.spawn(|| kernel_copy(from, to, sender));
        let mut hasher = Sha256::new();
        let mut buffer = vec![0u8; CHUNK];
        let mut size = 0u64;
        let mut read_back = Ok(());
        for (at, len) in chunks {
            if read_back.is_err() {
                continue; // let the copier finish; the error is reported below
            }
            let chunk = &mut buffer[..len];
            read_back = to.read_exact_at(chunk, at).map_err(CopyError::Write);
            hasher.update(&*chunk);
            size += len as u64;
        }
        let copier = copier
            .join()
            .unwrap_or_else(|_| Err(CopyError::Write(std::io::Error::other("the copy stopped"))));
        read_back.and(copier).map(|kernel| {
            kernel.then(|| Digested {
                size,
                sha256: hex(&hasher.finalize()),
            })
        })
    })?;
    match copied {
        Some(digested) => Ok(digested),
        // The kernel could not copy between these files: through memory instead.
        None => {
            from.seek(SeekFrom::Start(0)).map_err(CopyError::Read)?;
            to.set_len(0).map_err(CopyError::Write)?;
            to.seek(SeekFrom::Start(0)).map_err(CopyError::Write)?;
            copy_hashing(from, to)
        }
    }
}

/// Has the kernel copy `from` into `to` chunk by chunk, telling the hasher of each and
/// having the copy written out as it goes; false when it cannot copy between them at all
/// (nothing copied).
fn kernel_copy(
    from: &File,
    to: &File,
    chunks: mpsc::SyncSender<(u64, usize)>,
) -> Result<bool, CopyError> {
    let (mut at, mut synced) = (0u64, 0u64);
    loop {
        match rustix::fs::copy_file_range(from, None, to, None, CHUNK) {
            Ok(0) => return Ok(true),
            Ok(n) => {
                if chunks.send((at, n)).is_err() {
                    return Ok(true);
                }
                at += n as u64;
                if at - synced >= SYNC_EVERY {
                    to.sync_data().map_err(CopyError::Write)?;
                    synced = at;
                }
            }
            Err(Errno::INTR) => {}
            Err(Errno::XDEV | Errno::INVAL | Errno::NOSYS | Errno::OPNOTSUPP) if at == 0 => {
                return Ok(false);
            }
            Err(e) => return Err(CopyError::Read(e.into())),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::{Read, Write};

    use super::*;

    #[test]
    fn the_copy_and_its_checksum_are_the_sources() {
        let dir = tempfile::tempdir().unwrap();
        let source = dir.path().join("source");
        let bytes: Vec<u8> = (0..(3 * CHUNK + 12345)).map(|i| (i % 251) as u8).collect();
        std::fs::File::create(&source)
            .unwrap()
            .write_all(&bytes)
            .unwrap();
        let mut from = File::open(&source).unwrap();
        let mut to = File::options()
            .read(true)
            .write(true)
            .create_new(true)
            .open(dir.path().join("copy"))
            .unwrap();
        let digested = copy_file_hashing(&mut from, &mut to).unwrap();
        let mut copy = Vec::new();
        File::open(dir.path().join("copy"))
            .unwrap()
            .read_to_end(&mut copy)
            .unwrap();
        assert_eq!(copy, bytes);
        let mut expected = Vec::new();
        let seen = copy_hashing(&mut &bytes[..], &mut expected).unwrap();
        assert_eq!(digested, seen);
    }
}
