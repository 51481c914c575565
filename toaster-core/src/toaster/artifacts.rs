//! A build's artifacts: listing them, downloading them with the check that they are what
//! the build recorded, and sealing the build's log as one when the build is over.

use std::fs::File;
use std::io::{Read, Seek};
use std::path::{Path, PathBuf};

use super::Actor;
use crate::Error;
use crate::access::Action;
use crate::artifacts::archive::ArchiveLimits;
use crate::artifacts::build_archive::OpenArchive;
use crate::artifacts::{self, ArtifactError, Digested};
use crate::model::{ArtifactKind, ArtifactRecord, Build, BuildId, Right};
use crate::runner::host_name;

/// An artifact copied out of a build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Downloaded {
    /// Its record.
    pub artifact: ArtifactRecord,
    /// Where the copy is.
    pub path: PathBuf,
    /// What was copied (its size and checksum).
    pub copied: Digested,
    /// Copied with `force` although it differs from the record.
    pub changed: bool,
    /// Copied from the build's archive (the build directory no longer has it).
    pub from_archive: bool,
}

impl Actor {
    /// The files a build made or read, of `kind` only if given (needs read).
    pub fn build_artifacts(
        &self,
        id: BuildId,
        kind: Option<ArtifactKind>,
    ) -> Result<Vec<ArtifactRecord>, Error> {
        let mut all = self.artifacts(id)?;
        all.retain(|a| kind.is_none_or(|k| a.kind == k));
        Ok(all)
    }

    /// Copies the artifacts `names` of a build into `into` (each at its name, a relative
    /// path), checking each against its recorded size and SHA-256: one that changed is
    /// refused (its partial copy removed) unless `force`. Every name is looked up before
    /// anything is copied. Copies are written beside their destination under a temporary
    /// name and renamed into place when whole. Needs read.
    pub fn download_artifacts(
        &self,
        id: BuildId,
        names: &[String],
        into: &Path,
        force: bool,
    ) -> Result<Vec<Downloaded>, Error> {
        let (build, _) = self.build_for(id, Action::Project(Right::Read))?;
        let all = self.store().artifacts(id)?;
        let wanted = names
            .iter()
            .map(|name| {
                all.iter()
                    .find(|a| a.name == *name)
                    .cloned()
                    .ok_or_else(|| Error::NoArtifact {
                        build: id,
                        name: name.clone(),
                    })
            })
            .collect::<Result<Vec<_>, _>>()?;
        wanted
            .into_iter()
            .map(|artifact| self.download_one(&build, artifact, into, force))
            .collect()
    }

    fn download_one(
        &self,
        build: &Build,
        artifact: ArtifactRecord,
        into: &Path,
        force: bool,
    ) -> Result<Downloaded, Error> {
        let name = if artifact.dir.is_empty() {
            // A record older than names: its file name.
            Path::new(&artifact.path)
                .file_name()
                .map_or_else(|| "artifact".into(), |n| n.to_string_lossy().into_owned())
        } else {
            artifact.name.clone()
        };
        crate::model::check_relative_path("artifact name", &name)?;
        let path = into.join(&name);
        let parent = path.parent().unwrap_or(into);
        std::fs::create_dir_all(parent).map_err(ArtifactError::io(parent))?;
        let mut partial = tempfile::Builder::new()
            .prefix(".toaster-download-")
            .suffix(".partial")
            .tempfile_in(parent)
            .map_err(ArtifactError::io(parent))?;
        let copied = self.copy_artifact(build, &artifact, partial.as_file_mut());
        let (copied, changed, from_archive) = match copied {
            Ok((copied, from_archive)) => (copied, false, from_archive),
            Err((Error::Artifact(ArtifactError::Changed { size, sha256, .. }), from_archive))
                if force =>
            {
                (Digested { size, sha256 }, true, from_archive)
            }
            Err((e, _)) => return Err(e),
        };
        partial
            .as_file()
            .sync_all()
            .map_err(ArtifactError::io(partial.path()))?;
        partial.persist(&path).map_err(|e| ArtifactError::Io {
            path: path.clone(),
            source: e.error,
        })?;
        Ok(Downloaded {
            artifact,
            path,
            copied,
            changed,
            from_archive,
        })
    }

    /// Copies an artifact's file from where the build left it, on the host it ran on, else
    /// from the build's archive when that holds it; says whether it came from the archive
    /// (also with an error).
    fn copy_artifact(
        &self,
        build: &Build,
        artifact: &ArtifactRecord,
        to: &mut File,
    ) -> Result<(Digested, bool), (Error, bool)> {
        let here = build.host == host_name();
        if here {
            match artifacts::verified_copy(artifact, to) {
                Err(ArtifactError::Missing { .. }) if build.archive.is_some() => {}
                other => return other.map(|d| (d, false)).map_err(|e| (e.into(), false)),
            }
        }
        if let Some(archive) = &build.archive {
            let from_archive = |e: ArtifactError| (Error::from(e), true);
            let mut open = OpenArchive::open(&archive.path, &ArchiveLimits::default())
                .map_err(from_archive)?;
            if open.file(&artifact.name).is_some() {
                to.set_len(0).and_then(|()| to.rewind()).map_err(|e| {
                    from_archive(ArtifactError::Io {
                        path: archive.path.clone(),
                        source: e,
                    })
                })?;
                return open
                    .copy_file(artifact, to)
                    .map(|d| (d, true))
                    .map_err(from_archive);
            }
        }
        if here {
            Err((
                ArtifactError::Missing {
                    path: artifact.location(),
                }
                .into(),
                false,
            ))
        } else {
            Err((
                Error::Elsewhere {
                    build: build.id,
                    host: build.host.clone(),
                },
                false,
            ))
        }
    }

    /// Opens an artifact for reading (needs read): its record and a reader of its bytes
    /// that fails at the end, instead of ending cleanly, when they are not what the build
    /// recorded. For a server that streams it.
    pub fn open_artifact(
        &self,
        id: BuildId,
        name: &str,
    ) -> Result<(ArtifactRecord, Box<dyn Read + Send>), Error> {
        let (build, _) = self.build_for(id, Action::Project(Right::Read))?;
        let artifact = self
            .store()
            .artifacts(id)?
            .into_iter()
            .find(|a| a.name == name)
            .ok_or_else(|| Error::NoArtifact {
                build: id,
                name: name.to_owned(),
            })?;
        if build.host != host_name() {
            return Err(Error::Elsewhere {
                build: build.id,
                host: build.host.clone(),
            });
        }
        let reader = artifacts::verifying_reader(&artifact)?;
        Ok((artifact, reader))
    }

    /// Records a build's log file as its artifact of kind `log` (its size and checksum as
    /// it is now), once the build has ended and nothing writes the log any more. Needs
    /// build. `None` when the build has no log file.
    pub fn seal_build_log(&self, id: BuildId) -> Result<Option<ArtifactRecord>, Error> {
        let (build, _) = self.build_for(id, Action::Project(Right::Build))?;
        let Some(log) = build.log_path.as_deref() else {
            return Ok(None);
        };
        let (Some(dir), Some(file)) = (log.parent(), log.file_name()) else {
            return Ok(None);
        };
        let file = file.to_string_lossy();
        let record = artifacts::measure(ArtifactKind::Log, &file, dir, &file)?;
        self.store()
            .record_artifacts(id, std::slice::from_ref(&record))?;
        Ok(Some(record))
    }
}
