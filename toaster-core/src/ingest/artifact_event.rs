//! An artifact as a recorder hears of it: a file in a directory, measured by the recorder
//! unless the event carries its size and checksum (an event log from another host).

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::artifacts::{self, ArtifactError};
use crate::model::{ArtifactKind, ArtifactRecord, ModelError};

/// A file the build made or read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArtifactEvent {
    /// What it is.
    pub kind: ArtifactKind,
    /// The directory it is in (`DEPLOY_DIR_IMAGE`, `TMPDIR`, `TOPDIR`); absent in event logs
    /// of Toaster-rs before 0.2, whose `path` is absolute.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dir: Option<String>,
    /// Where it is inside `dir`.
    pub path: String,
    /// Its name in the build; `path` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Its size, as measured where it was made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    /// Its SHA-256, as measured where it was made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
}

impl ArtifactEvent {
    /// The record: as the event says when it carries a size (an event measured where it
    /// was made, or one of an older recorder, which carried no checksum), else measured
    /// now (reading inside its directory only).
    pub fn into_record(self) -> Result<ArtifactRecord, ArtifactError> {
        let (dir, path) = match self.dir {
            Some(dir) => (dir, self.path),
            None => split_absolute(&self.path)?,
        };
        let name = self.name.unwrap_or_else(|| path.clone());
        match self.size {
            Some(size) => {
                let record = ArtifactRecord {
                    kind: self.kind,
                    name,
                    dir,
                    path,
                    size,
                    sha256: self.sha256,
                };
                record.check()?;
                Ok(record)
            }
            None => artifacts::measure(self.kind, &name, Path::new(&dir), &path),
        }
    }

    /// The event with its size and checksum, measured now if it carries none: what an
    /// event log keeps, so that a replay elsewhere never measures another host's files.
    pub fn measured(self) -> Result<ArtifactEvent, ArtifactError> {
        if self.size.is_some() {
            return Ok(self);
        }
        let record = self.into_record()?;
        Ok(ArtifactEvent {
            kind: record.kind,
            dir: Some(record.dir),
            path: record.path,
            name: Some(record.name),
            size: Some(record.size),
            sha256: record.sha256,
        })
    }
}

/// An absolute path as its directory and file name.
fn split_absolute(path: &str) -> Result<(String, String), ArtifactError> {
    let full = Path::new(path);
    match (full.parent(), full.file_name()) {
        (Some(dir), Some(name)) if full.is_absolute() => Ok((
            dir.display().to_string(),
            name.to_string_lossy().into_owned(),
        )),
        _ => Err(ArtifactError::Invalid(ModelError::invalid(
            "artifact path",
            path,
            "it is relative and no directory is given",
            "give `dir` (absolute) and `path` inside it",
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_old_absolute_path_is_split_and_measured() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("core.wic"), b"image").unwrap();
        let event: ArtifactEvent = serde_json::from_str(&format!(
            r#"{{"kind":"image","path":"{}"}}"#,
            dir.path().join("core.wic").display()
        ))
        .unwrap();
        let record = event.into_record().unwrap();
        assert_eq!((record.name.as_str(), record.size), ("core.wic", 5));
        assert_eq!(record.dir, dir.path().display().to_string());
        // `printf image | sha256sum`
        assert_eq!(
            record.sha256.as_deref(),
            Some("6105d6cc76af400325e94d588ce511be5bfdbb73b437dc51eca43917d7a43e3d")
        );
    }

    #[test]
    fn a_measured_event_is_taken_as_it_is_but_checked() {
        let event = ArtifactEvent {
            kind: ArtifactKind::Image,
            dir: Some("/elsewhere/deploy".into()),
            path: "../../etc/passwd".into(),
            name: None,
            size: Some(1),
            sha256: Some("00".repeat(32)),
        };
        assert!(matches!(
            event.into_record(),
            Err(ArtifactError::Invalid(_))
        ));
        assert!(split_absolute("relative/x").is_err());
    }
}
