//! Recording an artifact (its size and checksum, read inside its directory) and copying one
//! back out with the check that it is still what was recorded.

use std::fs::File;
use std::path::{Path, PathBuf};

use super::{ArtifactError, Digested, copy_file_hashing, copy_hashing, open_beneath};
use crate::model::{ArtifactKind, ArtifactRecord};

/// The record of the file `path` inside `dir`, known as `name`: its size and SHA-256 as
/// read now, through [`open_beneath`].
pub fn measure(
    kind: ArtifactKind,
    name: &str,
    dir: &Path,
    path: &str,
) -> Result<ArtifactRecord, ArtifactError> {
    let mut record = ArtifactRecord {
        kind,
        name: name.to_owned(),
        dir: dir.display().to_string(),
        path: path.to_owned(),
        size: 0,
        sha256: None,
    };
    record.check()?;
    let mut file = open_beneath(dir, path)?;
    let seen = copy_hashing(&mut file, &mut std::io::sink())
        .map_err(|e| ArtifactError::io(record.location())(e.into()))?;
    record.size = seen.size;
    record.sha256 = Some(seen.sha256);
    Ok(record)
}

/// Copies the artifact's file into the empty file `to` (reading inside the directory it
/// was recorded in), then checks the copy is what was recorded: `Changed` when its size or
/// checksum differ. A record without a checksum (made before Toaster-rs kept them) is
/// checked by size.
pub fn verified_copy(record: &ArtifactRecord, to: &mut File) -> Result<Digested, ArtifactError> {
    let (dir, path) = confinement(record);
    let mut file = open_beneath(&dir, &path)?;
    let seen = copy_file_hashing(&mut file, to)
        .map_err(|e| ArtifactError::io(record.location())(e.into()))?;
    check_copy(record, seen, record.location())
}

/// `seen` (what a copy of `record`'s file from `path` came to) if it is what was recorded,
/// else `Changed`.
pub fn check_copy(
    record: &ArtifactRecord,
    seen: Digested,
    path: PathBuf,
) -> Result<Digested, ArtifactError> {
    let same_sum = record.sha256.as_ref().is_none_or(|s| *s == seen.sha256);
    if seen.size != record.size || !same_sum {
        return Err(ArtifactError::Changed {
            path,
            expected_size: record.size,
            expected_sha256: record.sha256.clone().unwrap_or_else(|| "unknown".into()),
            size: seen.size,
            sha256: seen.sha256,
        });
    }
    Ok(seen)
}

/// The directory a record is read inside, and its path there: an old record with an
/// absolute path and no directory is read inside the directory that holds it.
pub(super) fn confinement(record: &ArtifactRecord) -> (PathBuf, String) {
    if !record.dir.is_empty() {
        return (PathBuf::from(&record.dir), record.path.clone());
    }
    let path = Path::new(&record.path);
    let dir = path.parent().unwrap_or(Path::new("/")).to_owned();
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    (dir, name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_changed_after_it_was_recorded_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("core.wic"), b"image one").unwrap();
        let record = measure(ArtifactKind::Image, "core.wic", dir.path(), "core.wic").unwrap();
        assert_eq!(record.size, 9);
        let mut out = tempfile::tempfile().unwrap();
        verified_copy(&record, &mut out).unwrap();
        assert_eq!(read_all(&mut out), b"image one");

        std::fs::write(dir.path().join("core.wic"), b"image two").unwrap();
        let err = verified_copy(&record, &mut tempfile::tempfile().unwrap()).unwrap_err();
        assert!(
            matches!(err, ArtifactError::Changed { size: 9, .. }),
            "{err}"
        );
        std::fs::remove_file(dir.path().join("core.wic")).unwrap();
        let err = verified_copy(&record, &mut tempfile::tempfile().unwrap()).unwrap_err();
        assert!(matches!(err, ArtifactError::Missing { .. }), "{err}");
    }

    #[test]
    fn an_old_record_is_read_inside_the_directory_that_holds_it() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("old.wic"), b"old").unwrap();
        let record = ArtifactRecord {
            kind: ArtifactKind::Image,
            name: "old".into(),
            dir: String::new(),
            path: dir.path().join("old.wic").display().to_string(),
            size: 3,
            sha256: None,
        };
        let mut out = tempfile::tempfile().unwrap();
        verified_copy(&record, &mut out).unwrap();
        assert_eq!(read_all(&mut out), b"old");
    }

    fn read_all(file: &mut File) -> Vec<u8> {
        use std::io::{Read, Seek};
        file.rewind().unwrap();
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).unwrap();
        bytes
    }
}
