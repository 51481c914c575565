//! The temporary file an archive is written to, beside its final name: created exclusively,
//! removed unless it was moved into place, and moved without ever replacing a file.

use std::fs::{self, File, OpenOptions};
use std::io;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use rustix::fs::{CWD, RenameFlags, renameat_with};
use rustix::io::Errno;

/// How many names are tried before giving up (each is taken only by a file already there).
const ATTEMPTS: u32 = 64;

/// How much of the final name goes into the temporary one, in bytes, leaving room for the
/// rest under the usual 255-byte limit of a file name.
const NAME_PART: usize = 200;

/// A temporary file named `.<final name>.<unique>.partial`, removed on drop unless
/// [`PartialFile::disarm`] was called.
#[derive(Debug)]
pub struct PartialFile {
    path: PathBuf,
    armed: bool,
}

impl PartialFile {
    /// Creates the file (mode 0600, never an existing one) in `dir`, named after `file_name`.
    pub fn create(dir: &Path, file_name: &str) -> io::Result<(File, PartialFile)> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let mut end = file_name.len().min(NAME_PART);
        while !file_name.is_char_boundary(end) {
            end -= 1;
        }
        let file_name = &file_name[..end];
        let mut last = None;
        for _ in 0..ATTEMPTS {
            let n = COUNTER.fetch_add(1, Ordering::Relaxed);
            let unique = format!("{:x}-{nanos:x}-{n:x}", std::process::id());
            let path = dir.join(format!(".{file_name}.{unique}.partial"));
            match OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(&path)
            {
                Ok(file) => return Ok((file, PartialFile { path, armed: true })),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = Some(e),
                Err(e) => return Err(e),
            }
        }
        Err(last.unwrap_or_else(|| io::Error::from(io::ErrorKind::AlreadyExists)))
    }

    /// The temporary file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Removes the file now (an abandoned archive), rather than on drop.
    pub fn remove(&mut self) {
        if self.armed {
            self.armed = false;
            let _ = fs::remove_file(&self.path);
        }
    }

    /// Moves the file to `to`, failing with `AlreadyExists` if something is there; the
    /// temporary name is gone afterwards either way it succeeded.
    pub fn move_to(&mut self, to: &Path) -> io::Result<()> {
        match renameat_with(CWD, &self.path, CWD, to, RenameFlags::NOREPLACE) {
            Ok(()) => {
                self.armed = false;
                return Ok(());
            }
            // The file system (or kernel) cannot rename without replacing: link, then unlink.
            Err(Errno::INVAL | Errno::NOSYS | Errno::NOTSUP) => {}
            Err(e) => return Err(e.into()),
        }
        fs::hard_link(&self.path, to)?;
        self.armed = false;
        // The archive is in place under its final name; a leftover temporary name would only
        // be a second link to it, so failing to remove it is not an error of the archive.
        let _ = fs::remove_file(&self.path);
        Ok(())
    }
}

impl Drop for PartialFile {
    fn drop(&mut self) {
        self.remove();
    }
}

/// Makes a rename in `dir` durable.
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}
