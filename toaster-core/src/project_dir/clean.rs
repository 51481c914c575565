//! Cleaning a build directory: its `TMPDIR` removed while BitBake is kept out (its lock
//! held), through handles, never through a link, never into another file system or a
//! protected directory (a shared `SSTATE_DIR` or `DL_DIR`).

use std::collections::HashMap;
use std::fs::{self, File};
use std::os::fd::AsFd;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rustix::fs::{AtFlags, FlockOperation, Mode, OFlags};

use super::empty::{self, Bounds};
use super::error::{ProjectDirError, errno, io_error};
use super::open;
use super::place::Identity;

/// The lock file BitBake's server holds in its build directory for as long as it lives.
pub const BITBAKE_LOCK: &str = "bitbake.lock";

/// What a clean removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cleaned {
    /// The directory removed, as it was named when it went.
    pub path: PathBuf,
}

/// Removes `tmp` (which must be inside `build_dir`, reached without a link) with what it
/// holds, holding BitBake's lock of `build_dir` meanwhile so that no BitBake starts there
/// (a server that holds it is given `wait` to let go: one whose build just ended goes by
/// itself a moment later). `protected` directories (by path, with why) stop the clean
/// where they are met. `None` when there is no `tmp` to remove.
pub fn clean_tmp(
    build_dir: &Path,
    tmp: &Path,
    protected: &[(PathBuf, String)],
    wait: Duration,
) -> Result<Option<Cleaned>, ProjectDirError> {
    let outside = |reason: &str| ProjectDirError::TmpOutside {
        tmp: tmp.to_owned(),
        build_dir: build_dir.to_owned(),
        reason: reason.to_owned(),
    };
    let Ok(relative) = tmp.strip_prefix(build_dir) else {
        return Err(outside("it is not inside the build directory"));
    };
    if relative.as_os_str().is_empty()
        || !relative
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
    {
        return Err(outside("it is the build directory itself, or leaves it"));
    }
    let build_real = match fs::canonicalize(build_dir) {
        Ok(path) => path,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io_error(build_dir)(e)),
    };
    let tmp_real = match fs::canonicalize(tmp) {
        Ok(path) => path,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(io_error(tmp)(e)),
    };
    if tmp_real != build_real.join(relative) {
        return Err(outside(&format!(
            "it is a link to {} (a TMPDIR outside the project is not cleaned)",
            tmp_real.display()
        )));
    }
    let _bitbake = hold_bitbake_lock(&build_real, wait)?;
    let held = open::hold(&tmp_real)?;
    let own = rustix::fs::fstat(&held.dir).map_err(errno(&tmp_real))?;
    let identity = Identity::from_stat(&own);
    let bounds = Bounds {
        top: tmp_real.clone(),
        dev: identity.dev(),
        protected: protected
            .iter()
            .filter_map(|(path, why)| Identity::of(path).map(|id| (id, why.clone())))
            .collect::<HashMap<_, _>>(),
    };
    if let Some(why) = bounds.protected.get(&identity) {
        return Err(ProjectDirError::Stopped {
            path: tmp_real,
            at: tmp.to_owned(),
            reason: why.clone(),
        });
    }
    empty::empty(held.dir.as_fd(), &tmp_real, None, &bounds)?;
    let real = open::real_path(held.dir.as_fd(), &tmp_real);
    let name = held.name.as_os_str().as_bytes();
    let there = rustix::fs::statat(&held.parent, name, AtFlags::SYMLINK_NOFOLLOW);
    match there {
        Ok(stat) if Identity::from_stat(&stat) == identity => {}
        _ => return Err(ProjectDirError::Moved { path: real }),
    }
    rustix::fs::unlinkat(&held.parent, name, AtFlags::REMOVEDIR).map_err(errno(&real))?;
    Ok(Some(Cleaned { path: real }))
}

/// Takes BitBake's own lock of `build_dir` (`bitbake.lock`, created if absent) for as long
/// as the file returned is open: a BitBake server running there holds it, and one starting
/// finds it held.
fn hold_bitbake_lock(build_dir: &Path, wait: Duration) -> Result<File, ProjectDirError> {
    let path = build_dir.join(BITBAKE_LOCK);
    let flags = OFlags::RDWR | OFlags::CREATE | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    let file = rustix::fs::open(&path, flags, Mode::from_raw_mode(0o644))
        .map(File::from)
        .map_err(errno(&path))?;
    let deadline = Instant::now() + wait;
    loop {
        match rustix::fs::flock(&file, FlockOperation::NonBlockingLockExclusive) {
            Ok(()) => return Ok(file),
            Err(rustix::io::Errno::WOULDBLOCK) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(100));
            }
            Err(rustix::io::Errno::WOULDBLOCK) => {
                return Err(ProjectDirError::BitbakeRunning {
                    build_dir: build_dir.to_owned(),
                });
            }
            Err(e) => return Err(errno(&path)(e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::symlink;

    use super::*;

    #[test]
    fn tmp_goes_and_what_it_links_to_stays() {
        let top = tempfile::tempdir().unwrap();
        let build = top.path().join("build");
        let tmp = build.join("tmp");
        let sstate = top.path().join("sstate");
        fs::create_dir_all(tmp.join("work/x/temp")).unwrap();
        fs::create_dir_all(&sstate).unwrap();
        fs::write(tmp.join("work/x/temp/log.do_build"), b"log").unwrap();
        fs::write(sstate.join("keep"), b"cache").unwrap();
        symlink(&sstate, tmp.join("sstate-link")).unwrap();
        fs::write(build.join("keep.conf"), b"x").unwrap();

        let cleaned = clean_tmp(&build, &tmp, &[], Duration::ZERO)
            .unwrap()
            .unwrap();
        assert_eq!(cleaned.path, fs::canonicalize(&build).unwrap().join("tmp"));
        assert!(!tmp.exists());
        assert!(sstate.join("keep").exists() && build.join("keep.conf").exists());
        assert_eq!(
            clean_tmp(&build, &tmp, &[], Duration::ZERO).unwrap(),
            None,
            "nothing left"
        );
    }

    #[test]
    fn a_tmp_that_is_a_link_out_or_outside_is_refused() {
        let top = tempfile::tempdir().unwrap();
        let build = top.path().join("build");
        let elsewhere = top.path().join("big-disk/tmp");
        fs::create_dir_all(&build).unwrap();
        fs::create_dir_all(&elsewhere).unwrap();
        fs::write(elsewhere.join("image"), b"x").unwrap();
        symlink(&elsewhere, build.join("tmp")).unwrap();
        let err = clean_tmp(&build, &build.join("tmp"), &[], Duration::ZERO).unwrap_err();
        assert!(matches!(err, ProjectDirError::TmpOutside { .. }), "{err}");
        let err = clean_tmp(&build, &elsewhere, &[], Duration::ZERO).unwrap_err();
        assert!(matches!(err, ProjectDirError::TmpOutside { .. }), "{err}");
        let err = clean_tmp(&build, &build.join("../x"), &[], Duration::ZERO).unwrap_err();
        assert!(matches!(err, ProjectDirError::TmpOutside { .. }), "{err}");
        assert!(elsewhere.join("image").exists());
    }

    #[test]
    fn a_running_bitbake_or_a_protected_directory_stops_it() {
        let top = tempfile::tempdir().unwrap();
        let build = top.path().join("build");
        let tmp = build.join("tmp");
        fs::create_dir_all(tmp.join("sstate-cache")).unwrap();
        fs::write(tmp.join("sstate-cache/keep"), b"cache").unwrap();
        let protected = vec![(tmp.join("sstate-cache"), "it is the SSTATE_DIR".to_owned())];
        let err = clean_tmp(&build, &tmp, &protected, Duration::ZERO).unwrap_err();
        assert!(matches!(err, ProjectDirError::Stopped { .. }), "{err}");
        assert!(tmp.join("sstate-cache/keep").exists());

        let lock = File::create(build.join(BITBAKE_LOCK)).unwrap();
        rustix::fs::flock(&lock, FlockOperation::NonBlockingLockExclusive).unwrap();
        let err = clean_tmp(&build, &tmp, &[], Duration::ZERO).unwrap_err();
        assert!(
            matches!(err, ProjectDirError::BitbakeRunning { .. }),
            "{err}"
        );
    }
}
