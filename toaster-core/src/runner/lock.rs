//! Whether a BitBake already uses a build directory: its server holds an exclusive `flock`
//! on `TOPDIR/bitbake.lock` for as long as it lives, and writes its pid first in the file.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use rustix::fs::{FlockOperation, flock};
use rustix::process::Pid;

/// The lock file BitBake's server holds in its build directory.
pub const LOCK_FILE: &str = crate::project_dir::BITBAKE_LOCK;

/// Looks at a build directory's `bitbake.lock`.
#[derive(Debug)]
pub struct BuildDirLock;

impl BuildDirLock {
    /// The BitBake server holding the build directory, if one does: `Some(None)` when the
    /// lock is held but the file names no process.
    pub fn holder(build_dir: &Path) -> Option<Option<Pid>> {
        let mut file = File::open(build_dir.join(LOCK_FILE)).ok()?;
        // A shared lock is refused while the server holds its exclusive one. Taken, it is
        // let go at once (when the file is closed).
        if flock(&file, FlockOperation::NonBlockingLockShared).is_ok() {
            return None;
        }
        let mut text = String::new();
        let _ = file.by_ref().take(256).read_to_string(&mut text);
        let pid = text
            .split_whitespace()
            .next()
            .and_then(|first| first.parse::<i32>().ok())
            .and_then(Pid::from_raw);
        Some(pid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_held_lock_names_its_holder_and_a_free_one_nobody() {
        let dir = tempfile::tempdir().unwrap();
        assert!(BuildDirLock::holder(dir.path()).is_none(), "no lock file");
        let path = dir.path().join(LOCK_FILE);
        std::fs::write(&path, "4242 localhost:0\n").unwrap();
        assert!(
            BuildDirLock::holder(dir.path()).is_none(),
            "nobody holds it"
        );
        let held = File::open(&path).unwrap();
        flock(&held, FlockOperation::NonBlockingLockExclusive).unwrap();
        let holder = BuildDirLock::holder(dir.path()).expect("held");
        assert_eq!(holder.map(Pid::as_raw_nonzero).map(|p| p.get()), Some(4242));
        drop(held);
        assert!(BuildDirLock::holder(dir.path()).is_none(), "let go");
    }
}
