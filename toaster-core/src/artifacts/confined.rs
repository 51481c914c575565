//! Opening a file inside a directory without ever leaving it: `openat2` with
//! `RESOLVE_BENEATH`, so `..` and links that point out are refused by the kernel while links
//! that stay inside (`core-image.wic` → `core-image-20261204.wic`) are followed. Where the
//! kernel lacks `openat2` (before Linux 5.6), every component is opened without following
//! any link.

use std::fs::File;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::path::{Path, PathBuf};

use rustix::fs::{AtFlags, FileType, Mode, OFlags, ResolveFlags};
use rustix::io::Errno;

use super::ArtifactError;
use crate::model::check_relative_path;

const DIR_FLAGS: OFlags = OFlags::RDONLY
    .union(OFlags::DIRECTORY)
    .union(OFlags::CLOEXEC);
/// A FIFO put in an artifact's place must not block the open.
const FILE_FLAGS: OFlags = OFlags::RDONLY
    .union(OFlags::CLOEXEC)
    .union(OFlags::NONBLOCK)
    .union(OFlags::NOCTTY);

/// Opens the regular file `path` inside `dir` for reading, refusing a path or link that
/// leads out of `dir`, and anything that is not a regular file.
pub fn open_beneath(dir: &Path, path: &str) -> Result<File, ArtifactError> {
    check_relative_path("artifact path", path)?;
    let full = dir.join(path);
    let dir_fd = rustix::fs::open(dir, DIR_FLAGS, Mode::empty()).map_err(|e| match e {
        Errno::NOENT | Errno::NOTDIR => ArtifactError::Missing {
            path: dir.to_owned(),
        },
        e => ArtifactError::Io {
            path: dir.to_owned(),
            source: e.into(),
        },
    })?;
    let resolve = ResolveFlags::BENEATH | ResolveFlags::NO_MAGICLINKS;
    let fd = match rustix::fs::openat2(&dir_fd, path, FILE_FLAGS, Mode::empty(), resolve) {
        Err(Errno::NOSYS) => open_without_links(dir_fd, dir, path),
        other => other.map_err(|e| refusal(e, dir, path, &full)),
    }?;
    let file = File::from(fd);
    let kind = file
        .metadata()
        .map_err(ArtifactError::io(&full))?
        .file_type();
    if !kind.is_file() {
        return Err(ArtifactError::NotAFile {
            path: full,
            kind: crate::model::file_kind(kind),
        });
    }
    Ok(file)
}

/// Opens `path` under `dir_fd` one component at a time, following no link at all.
fn open_without_links(dir_fd: OwnedFd, dir: &Path, path: &str) -> Result<OwnedFd, ArtifactError> {
    let full = dir.join(path);
    let mut parts: Vec<&str> = path.split('/').collect();
    let last = parts.pop().unwrap_or(path);
    let mut at = dir_fd;
    for part in parts {
        let flags = DIR_FLAGS | OFlags::NOFOLLOW;
        at = rustix::fs::openat(at.as_fd(), part, flags, Mode::empty())
            .map_err(|e| refusal(link_or(e, at.as_fd(), part), dir, path, &full))?;
    }
    rustix::fs::openat(
        at.as_fd(),
        last,
        FILE_FLAGS | OFlags::NOFOLLOW,
        Mode::empty(),
    )
    .map_err(|e| refusal(link_or(e, at.as_fd(), last), dir, path, &full))
}

/// `ELOOP` when the open failed on a link (a directory opened without following reports
/// one as "not a directory"), else `e`.
fn link_or(e: Errno, at: BorrowedFd<'_>, name: &str) -> Errno {
    let link = rustix::fs::statat(at, name, AtFlags::SYMLINK_NOFOLLOW)
        .is_ok_and(|st| FileType::from_raw_mode(st.st_mode) == FileType::Symlink);
    if link { Errno::LOOP } else { e }
}

/// The error for a failed open of `path` inside `dir`.
fn refusal(e: Errno, dir: &Path, path: &str, full: &Path) -> ArtifactError {
    match e {
        Errno::XDEV | Errno::LOOP => ArtifactError::Outside {
            dir: dir.to_owned(),
            path: path.to_owned(),
        },
        Errno::NOENT | Errno::NOTDIR => ArtifactError::Missing {
            path: PathBuf::from(full),
        },
        e => ArtifactError::Io {
            path: full.to_owned(),
            source: e.into(),
        },
    }
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::symlink;

    use super::*;

    #[test]
    fn links_inside_are_followed_and_links_out_refused() {
        let top = tempfile::tempdir().unwrap();
        let deploy = top.path().join("deploy");
        std::fs::create_dir_all(deploy.join("sub")).unwrap();
        std::fs::write(deploy.join("core-20261204.wic"), b"image").unwrap();
        std::fs::write(top.path().join("secret"), b"secret").unwrap();
        symlink("core-20261204.wic", deploy.join("core.wic")).unwrap();
        symlink("../secret", deploy.join("out")).unwrap();
        symlink(top.path().join("secret"), deploy.join("absolute")).unwrap();
        symlink("..", deploy.join("sub/up")).unwrap();

        let read = |p: &str| {
            open_beneath(&deploy, p).map(|mut f| {
                let mut text = String::new();
                std::io::Read::read_to_string(&mut f, &mut text).unwrap();
                text
            })
        };
        assert_eq!(read("core.wic").unwrap(), "image");
        for out in ["out", "absolute", "sub/up/../secret"] {
            assert!(
                matches!(
                    read(out),
                    Err(ArtifactError::Outside { .. }) | Err(ArtifactError::Invalid(_))
                ),
                "{out}: {:?}",
                read(out)
            );
        }
        assert!(matches!(read("../secret"), Err(ArtifactError::Invalid(_))));
        assert!(matches!(
            read("/etc/passwd"),
            Err(ArtifactError::Invalid(_))
        ));
        assert!(matches!(
            read("gone.wic"),
            Err(ArtifactError::Missing { .. })
        ));
        assert!(matches!(read("sub"), Err(ArtifactError::NotAFile { .. })));
    }

    #[test]
    fn without_openat2_no_link_is_followed() {
        let top = tempfile::tempdir().unwrap();
        std::fs::create_dir(top.path().join("sub")).unwrap();
        std::fs::write(top.path().join("sub/file"), b"x").unwrap();
        symlink("sub", top.path().join("link")).unwrap();
        let open = |p: &str| {
            let fd = rustix::fs::open(top.path(), DIR_FLAGS, Mode::empty()).unwrap();
            open_without_links(fd, top.path(), p)
        };
        assert!(open("sub/file").is_ok());
        let through_link = open("link/file");
        assert!(
            matches!(through_link, Err(ArtifactError::Outside { .. })),
            "{through_link:?}"
        );
    }
}
