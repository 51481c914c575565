//! What a build archive holds, and how it is written and read: `manifest.json` (format
//! version, the build, its pinned configuration, the files and their checksums),
//! `build.json` (the build's whole record) and `files/NAME` for each artifact kept.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::archive::{ArchiveLimits, ArchiveReader, ArchiveWriter, ManifestProblem, read_manifest};
use super::measure::check_copy;
use super::{ArtifactError, Digested, open_beneath};
use crate::model::{
    ArtifactKind, ArtifactRecord, Build, LogRecord, PackageRecord, ProjectConfig, Provider,
    RecipeEdge, RecipeRecord, TaskEdge, TaskRecord, Timestamp, check_relative_path,
};

/// What `manifest.json` says its file is.
pub const FORMAT: &str = "toaster-build-archive";
/// The version of the format this code writes and reads.
pub const VERSION: u32 = 1;
/// The manifest's entry.
pub const MANIFEST: &str = "manifest.json";
/// The build record's entry.
pub const RECORD: &str = "build.json";
/// Where artifacts' files go.
pub const FILES: &str = "files/";

/// The manifest: what the archive is and what it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Always `toaster-build-archive`.
    pub format: String,
    /// The format's version (1 for now).
    pub version: u32,
    /// When the archive was written.
    pub created_at: Timestamp,
    /// Who wrote it.
    pub created_by: String,
    /// On which host.
    pub created_on: String,
    /// The program that wrote it.
    pub tool: String,
    /// The build, as recorded (its project, host, times, pinned revision, layer commits).
    pub build: Build,
    /// The configuration of the revision it ran with.
    pub config: ProjectConfig,
    /// Every artifact of the build, and whether its file is in the archive.
    pub files: Vec<ArchivedFile>,
}

/// An artifact as the archive holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArchivedFile {
    /// Its name in the build (its file is `files/NAME`).
    pub name: String,
    /// What it is.
    pub kind: ArtifactKind,
    /// Whether its file is in the archive.
    pub stored: bool,
    /// The size of the file archived.
    pub size: u64,
    /// The SHA-256 of the file archived (it may differ from the build's record, when the
    /// file changed before it was archived: a download from the archive says so).
    pub sha256: Option<String>,
    /// Why its file is not in the archive.
    pub left_out: Option<String>,
}

/// The build's record: everything the database holds of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuildRecord {
    /// Its tasks, in the order they started.
    pub tasks: Vec<TaskRecord>,
    /// The recipes it used.
    pub recipes: Vec<RecipeRecord>,
    /// The packages it made.
    pub packages: Vec<PackageRecord>,
    /// Its log messages, every level kept.
    pub log_messages: Vec<LogRecord>,
    /// Its artifacts, as recorded.
    pub artifacts: Vec<ArtifactRecord>,
    /// Which of its tasks waited for which (empty in archives written before they were
    /// recorded).
    #[serde(default)]
    pub task_dependencies: Vec<TaskEdge>,
    /// Which of its recipes needed which.
    #[serde(default)]
    pub recipe_dependencies: Vec<RecipeEdge>,
    /// The recipe it chose for each provided name.
    #[serde(default)]
    pub providers: Vec<Provider>,
    /// Its variables, each with its history.
    #[serde(default)]
    pub variables: Vec<crate::model::ArchivedVariable>,
    /// Its packages' files.
    #[serde(default)]
    pub package_files: Vec<crate::model::PackageFiles>,
    /// The packages installed in each of its images.
    #[serde(default)]
    pub image_packages: Vec<crate::model::ImagePackages>,
    /// The file listing of each of its images.
    #[serde(default)]
    pub image_files: Vec<crate::model::ImageFiles>,
}

/// Whether an artifact's file goes into every archive (logs, conf files, manifests,
/// licences), or only into one written with the images.
pub fn always_archived(kind: ArtifactKind) -> bool {
    matches!(
        kind,
        ArtifactKind::Log
            | ArtifactKind::TaskLog
            | ArtifactKind::Conf
            | ArtifactKind::Manifest
            | ArtifactKind::License
    )
}

/// Writes the archive `path` (never left half-written under that name): each artifact's
/// file read inside its directory when `files_here` (the build ran on this host) and it is
/// archived (`with_images`, or [`always_archived`]). A file gone is listed as left out.
/// Returns the manifest written.
pub fn write_build_archive(
    path: &Path,
    mut manifest: Manifest,
    record: &BuildRecord,
    files_here: bool,
    with_images: bool,
) -> Result<Manifest, ArtifactError> {
    let mut writer = ArchiveWriter::create(path)?;
    manifest.files.clear();
    for artifact in &record.artifacts {
        let mut entry = ArchivedFile {
            name: artifact.name.clone(),
            kind: artifact.kind,
            stored: false,
            size: artifact.size,
            sha256: artifact.sha256.clone(),
            left_out: None,
        };
        let wanted = with_images || always_archived(artifact.kind);
        if !wanted {
            entry.left_out =
                Some("an image, SDK or other large file (--with-images keeps it)".into());
        } else if !files_here {
            entry.left_out = Some(format!("the build ran on {}", manifest.build.host));
        } else if check_relative_path("artifact name", &artifact.name).is_err() {
            entry.left_out = Some("its name is not a relative path".into());
        } else {
            let (dir, inside) = super::measure::confinement(artifact);
            match open_beneath(&dir, &inside) {
                Ok(mut file) => {
                    let compress = always_archived(artifact.kind);
                    let facts = writer.add_file(
                        &format!("{FILES}{}", artifact.name),
                        &mut file,
                        compress,
                    )?;
                    entry.stored = true;
                    entry.size = facts.size;
                    entry.sha256 = Some(facts.sha256);
                }
                Err(e) => entry.left_out = Some(e.to_string()),
            }
        }
        manifest.files.push(entry);
    }
    writer.add_json(RECORD, record)?;
    writer.add_json(MANIFEST, &manifest)?;
    writer.finish()?;
    Ok(manifest)
}

/// An archive opened and checked: its manifest and record read, every stored file
/// present, nothing else in it.
pub struct OpenArchive {
    /// Its manifest.
    pub manifest: Manifest,
    /// The build's record.
    pub record: BuildRecord,
    reader: ArchiveReader,
    path: PathBuf,
}

impl OpenArchive {
    /// Opens `path` and checks it whole before anything is taken from it (see
    /// [`ArchiveReader::open`] for the checks of the zip itself).
    pub fn open(path: &Path, limits: &ArchiveLimits) -> Result<OpenArchive, ArtifactError> {
        let mut reader = ArchiveReader::open(path, limits)?;
        let not_ours = |reason: String| ArtifactError::NotABuildArchive {
            path: path.to_owned(),
            reason,
        };
        let manifest: Manifest = match read_manifest(&mut reader, MANIFEST, FORMAT, VERSION) {
            Ok(manifest) => manifest,
            Err(ManifestProblem::Archive(e)) => return Err(e.into()),
            Err(ManifestProblem::NotOurs(reason)) => return Err(not_ours(reason)),
            Err(ManifestProblem::Version(version)) => {
                return Err(ArtifactError::ArchiveVersion {
                    path: path.to_owned(),
                    version,
                });
            }
        };
        let record: BuildRecord = reader.read_json(RECORD)?;
        let mut expected = vec![MANIFEST.to_owned(), RECORD.to_owned()];
        for file in &manifest.files {
            check_relative_path("archived file name", &file.name)?;
            if file.stored {
                expected.push(format!("{FILES}{}", file.name));
            }
        }
        for artifact in &record.artifacts {
            if !artifact.dir.is_empty() {
                artifact.check()?;
            }
        }
        for name in &expected {
            if !reader.contains(name) {
                return Err(not_ours(format!(
                    "its manifest lists {name}, which it lacks"
                )));
            }
        }
        let extra: Vec<String> = reader
            .names()
            .filter(|n| !n.ends_with('/') && !expected.iter().any(|e| e == n))
            .map(str::to_owned)
            .collect();
        if let Some(first) = extra.first() {
            return Err(not_ours(format!(
                "it holds {first}, which its manifest does not list"
            )));
        }
        Ok(OpenArchive {
            manifest,
            record,
            reader,
            path: path.to_owned(),
        })
    }

    /// The archived file of the artifact `name`, if the archive holds it.
    pub fn file(&self, name: &str) -> Option<&ArchivedFile> {
        self.manifest
            .files
            .iter()
            .find(|f| f.name == name && f.stored)
    }

    /// Copies the archived file of `artifact` into `to`, then checks it against the
    /// build's record: `Changed` when it differs (it changed before it was archived, or
    /// the archive was altered).
    pub fn copy_file(
        &mut self,
        artifact: &ArtifactRecord,
        to: &mut dyn Write,
    ) -> Result<Digested, ArtifactError> {
        let facts = self
            .reader
            .copy_entry(&format!("{FILES}{}", artifact.name), to)?;
        check_copy(artifact, facts, self.path.join(&artifact.name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_written_before_dependencies_were_recorded_still_reads() {
        let old = r#"{"tasks":[],"recipes":[],"packages":[],"log_messages":[],"artifacts":[]}"#;
        let record: BuildRecord = serde_json::from_str(old).unwrap();
        assert!(record.task_dependencies.is_empty());
        assert!(record.recipe_dependencies.is_empty());
        assert!(record.providers.is_empty());
        assert!(record.variables.is_empty());
    }
}
