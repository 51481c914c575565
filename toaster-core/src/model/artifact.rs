//! What a build left worth keeping: an artifact is a file recorded with the directory it was
//! found in, its place inside that directory, its size and its SHA-256. Reading it back
//! never leaves that directory.

use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{ArtifactKind, ModelError};

/// The longest name or relative path an artifact may have, in bytes.
pub const MAX_ARTIFACT_PATH: usize = 1024;

/// A file a build made or read (an image, an SDK, a failed task's log, a conf file).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArtifactRecord {
    /// What it is.
    pub kind: ArtifactKind,
    /// Its name, unique among the build's artifacts (`core-image-minimal-qemux86.wic`,
    /// `conf/local.conf`, `logs/busybox/log.do_compile.4242`).
    pub name: String,
    /// The directory it was found in (absolute): `DEPLOY_DIR_IMAGE`, `TMPDIR`, the build
    /// directory. Empty for a record made before Toaster-rs kept directories, whose `path`
    /// is absolute.
    pub dir: String,
    /// Where it is inside `dir`: relative, `/`-separated, without `.` or `..`.
    pub path: String,
    /// Its size in bytes when recorded.
    pub size: u64,
    /// Its SHA-256 in lowercase hex when recorded; `None` for a record made before
    /// Toaster-rs kept checksums.
    pub sha256: Option<String>,
}

impl ArtifactRecord {
    /// Where the file is: `dir` joined with `path`.
    pub fn location(&self) -> PathBuf {
        Path::new(&self.dir).join(&self.path)
    }

    /// Checks a record from outside (an event log, an archive): an absolute directory, a
    /// relative path that stays inside it, a name that is a relative path too, and a
    /// checksum in lowercase hex.
    pub fn check(&self) -> Result<(), ModelError> {
        let dir = Path::new(&self.dir);
        if !dir.is_absolute() || self.dir.chars().any(char::is_control) {
            return Err(ModelError::invalid(
                "artifact directory",
                &self.dir,
                "it is not an absolute path of plain text",
                "record the directory the build reported (DEPLOY_DIR_IMAGE, TMPDIR or TOPDIR)",
            ));
        }
        check_relative_path("artifact path", &self.path)?;
        check_relative_path("artifact name", &self.name)?;
        if let Some(sha256) = &self.sha256 {
            check_sha256(sha256)?;
        }
        Ok(())
    }
}

/// Checks that `path` is relative, `/`-separated and stays where it is put: no root, no
/// `.` or `..`, no empty component, no backslash or control character, at most
/// [`MAX_ARTIFACT_PATH`] bytes.
pub fn check_relative_path(what: &'static str, path: &str) -> Result<(), ModelError> {
    let refuse = |reason: &str| {
        Err(ModelError::invalid(
            what,
            path,
            reason,
            "give a path relative to its directory, such as `images/core-image.wic`",
        ))
    };
    if path.is_empty() || path.len() > MAX_ARTIFACT_PATH {
        return refuse("it is empty or longer than 1024 bytes");
    }
    if path.chars().any(|c| c.is_control() || c == '\\') {
        return refuse("it holds a control character or a backslash");
    }
    if path.starts_with('/') {
        return refuse("it is absolute");
    }
    if path
        .split('/')
        .any(|part| part.is_empty() || part == "." || part == "..")
    {
        return refuse("it has an empty, `.` or `..` component");
    }
    // Belt and braces: what the standard library makes of it is plain names only.
    if !Path::new(path)
        .components()
        .all(|c| matches!(c, Component::Normal(_)))
    {
        return refuse("it is not a plain relative path");
    }
    Ok(())
}

/// Checks a SHA-256 in lowercase hex (64 digits).
pub fn check_sha256(text: &str) -> Result<(), ModelError> {
    if text.len() == 64 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        Ok(())
    } else {
        Err(ModelError::invalid(
            "SHA-256",
            text,
            "it is not 64 lowercase hex digits",
            "give the checksum as `sha256sum` prints it",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(dir: &str, path: &str) -> ArtifactRecord {
        ArtifactRecord {
            kind: ArtifactKind::Image,
            name: "core.wic".into(),
            dir: dir.into(),
            path: path.into(),
            size: 1,
            sha256: Some("ab".repeat(32)),
        }
    }

    #[test]
    fn paths_that_leave_their_directory_are_refused() {
        for bad in [
            "",
            "/etc/passwd",
            "../x",
            "a/../../x",
            "a//b",
            "./a",
            "a/.",
            "a\\b",
            "a\nb",
            "a/",
        ] {
            assert!(
                check_relative_path("artifact path", bad).is_err(),
                "{bad:?} was taken"
            );
        }
        for good in ["core.wic", "images/qemux86/core.wic", "..hidden", "a..b"] {
            check_relative_path("artifact path", good).unwrap();
        }
        assert!(check_relative_path("artifact path", &"a".repeat(1025)).is_err());
    }

    #[test]
    fn a_record_needs_an_absolute_directory_and_a_real_checksum() {
        record("/deploy", "core.wic").check().unwrap();
        assert!(record("deploy", "core.wic").check().is_err());
        assert!(record("/deploy", "../core.wic").check().is_err());
        let mut upper = record("/deploy", "core.wic");
        upper.sha256 = Some("AB".repeat(32));
        assert!(upper.check().is_err());
        assert_eq!(
            record("/deploy", "a/core.wic").location(),
            Path::new("/deploy/a/core.wic")
        );
    }
}
