//! Build archives: a build's record, logs, conf files and artifact checksums (and, when
//! asked, its images) in one zip in the instance's archive directory, so that the build can
//! be studied after its build directory is recycled; and archives imported into another
//! database.

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::Actor;
use crate::Error;
use crate::access::{self, Action};
use crate::artifacts::ArtifactError;
use crate::artifacts::archive::ArchiveLimits;
use crate::artifacts::build_archive::{
    self, BuildRecord, FORMAT, Manifest, OpenArchive, VERSION, always_archived,
};
use crate::model::{
    AuditAction, Build, BuildArchive, BuildId, BuildWrite, ImportedRecord, LogLevel, NewBuild,
    Observed, RecipeDependencies, Right, Setting, TaskDependencies, TaskFilter, Timestamp,
};
use crate::runner::host_name;

/// The directory archives go to when `archive.dir` is not set, beside the database.
pub const ARCHIVE_DIR: &str = "archives";

/// One build of a bulk archive: archived, or why not.
pub type BulkArchived = (BuildId, Result<Archived, Error>);

/// A build archived.
#[derive(Debug, Clone)]
pub struct Archived {
    /// The build, with its archive recorded.
    pub build: Build,
    /// What the archive holds.
    pub manifest: Manifest,
}

impl Actor {
    /// Writes build `id`'s archive into the archive directory and records it on the build
    /// (needs build; the build must have ended). Logs, conf files, manifests and licences
    /// go in always; images, SDKs and other files with `with_images`. A file that is gone
    /// or cannot be read is listed in the manifest as left out, with why.
    pub fn archive_build(&self, id: BuildId, with_images: bool) -> Result<Archived, Error> {
        let (build, project) = self.build_for(id, Action::Project(Right::Build))?;
        if !build.state.is_final() {
            return Err(Error::BuildRunning {
                build: id,
                dir: build.build_dir.clone(),
            });
        }
        let all = TaskFilter {
            limit: u32::MAX,
            ..TaskFilter::default()
        };
        let record = BuildRecord {
            tasks: self
                .store()
                .tasks(id, &all)?
                .into_iter()
                .map(|t| t.record)
                .collect(),
            recipes: self.store().recipes(id)?,
            packages: self.store().packages(id)?,
            log_messages: self.store().log_messages(id, LogLevel::Debug)?,
            artifacts: self.store().artifacts(id)?,
            task_dependencies: self.store().task_dependencies(id)?,
            recipe_dependencies: self.store().recipe_dependencies(id)?,
            providers: self.store().providers(id)?,
            variables: self.archived_variables(id)?,
            package_files: self.archived_package_files(id)?,
            image_packages: self.archived_image_packages(id)?,
            image_files: self.archived_image_files(id)?,
        };
        let manifest = Manifest {
            format: FORMAT.to_owned(),
            version: VERSION,
            created_at: Timestamp::now(),
            created_by: self.owner.name.to_string(),
            created_on: host_name(),
            tool: concat!("toaster-rs ", env!("CARGO_PKG_VERSION")).to_owned(),
            config: self.store().revision(build.project, build.revision)?.config,
            build: build.clone(),
            files: Vec::new(),
        };
        let dir = self.archive_dir()?;
        let path = free_name(&dir, &format!("{}-build-{id}", project.name));
        let files_here = build.host == host_name();
        let manifest =
            build_archive::write_build_archive(&path, manifest, &record, files_here, with_images)?;
        let archive = BuildArchive {
            path: path.clone(),
            at: manifest.created_at,
            images: with_images,
        };
        let audit = self.entry(
            Some(Action::Project(Right::Build)),
            AuditAction::BuildArchive,
            Some(&project.name),
            format!("archived build {id} to {}", path.display()),
        );
        let build = match self.store().set_build_archive(id, Some(&archive), &audit) {
            Ok(build) => build,
            Err(e) => {
                // Not recorded: the file would be an orphan.
                let _ = std::fs::remove_file(&path);
                return Err(e.into());
            }
        };
        Ok(Archived { build, manifest })
    }

    /// Archives build `id` (without images) if the instance archives every build when it
    /// ends (`archive.on-end` is `yes`) and it has no archive yet; `None` otherwise.
    pub fn archive_on_end(&self, id: BuildId) -> Result<Option<Archived>, Error> {
        let on = self.store().setting(Setting::ArchiveOnEnd.name())?;
        if on.as_deref() != Some("yes") || self.store().build(id)?.archive.is_some() {
            return Ok(None);
        }
        self.archive_build(id, false).map(Some)
    }

    /// Archives every build that ended more than `age` ago and has no archive (of
    /// `project` only, if given), oldest first; builds of projects the owner may not build
    /// are passed over. Each result stands alone: one that fails does not stop the rest.
    pub fn archive_older_than(
        &self,
        age: Duration,
        project: Option<&str>,
        with_images: bool,
    ) -> Result<Vec<BulkArchived>, Error> {
        let project = project
            .map(|p| self.project_for(p, Action::Project(Right::Build)))
            .transpose()?;
        let age_ms = i64::try_from(age.as_millis()).unwrap_or(i64::MAX);
        let before = Timestamp(Timestamp::now().0.saturating_sub(age_ms));
        let principal = self.principal()?;
        let mut done = Vec::new();
        for id in self
            .store()
            .unarchived_builds(before, project.as_ref().map(|p| p.id))?
        {
            let build = self.store().build(id)?;
            let may = self
                .store()
                .project(build.project_name.as_str())
                .is_ok_and(|p| access::allows(&principal, &p, Action::Project(Right::Build)));
            if may {
                done.push((id, self.archive_build(id, with_images)));
            }
        }
        Ok(done)
    }

    /// Imports the build archive `file` into `project` (needs build there): the whole file
    /// is checked first (see `OpenArchive::open`); it is then copied into the archive
    /// directory, and the build is recorded with every fact it holds, saying where it came
    /// from. It fires no hook.
    pub fn import_archive(&self, file: &Path, project: &str) -> Result<Build, Error> {
        let project = self.project_for(project, Action::Project(Right::Build))?;
        let open = OpenArchive::open(file, &ArchiveLimits::default())?;
        let (manifest, record) = (&open.manifest, &open.record);
        let old = &manifest.build;
        let not_ours = |reason: String| {
            Error::from(ArtifactError::NotABuildArchive {
                path: file.to_owned(),
                reason,
            })
        };
        if !old.state.is_final() {
            return Err(not_ours(format!("its build had not ended ({})", old.state)));
        }
        Observed {
            machine: old.machine.clone(),
            distro: old.distro.clone(),
            targets: None,
            layers: Some(old.layers.clone()),
        }
        .check()?;
        let dir = self.archive_dir()?;
        let stem = file
            .file_stem()
            .map_or_else(|| "archive".into(), |s| s.to_string_lossy().into_owned());
        let copy = free_name(&dir, &format!("imported-{stem}"));
        copy_new(file, &copy)?;
        let images = manifest
            .files
            .iter()
            .any(|f| f.stored && !always_archived(f.kind));
        let log_dir = old
            .log_path
            .as_deref()
            .and_then(Path::parent)
            .map_or_else(|| old.build_dir.join("toaster-logs"), Path::to_owned);
        let new = NewBuild {
            project: project.id,
            revision: project.head,
            owner: self.owner.id,
            client: self.client.clone(),
            host: old.host.clone(),
            build_dir: old.build_dir.clone(),
            log_dir,
            machine: old.machine.clone(),
            distro: old.distro.clone(),
            targets: old.targets.clone(),
            layers: old.layers.clone(),
            state: old.state,
            started_at: old.started_at,
            requested: false,
            run_on: None,
        };
        let mut writes: Vec<BuildWrite> = Vec::new();
        writes.extend(record.recipes.iter().cloned().map(BuildWrite::Recipe));
        writes.extend(record.tasks.iter().cloned().map(BuildWrite::Task));
        writes.extend(record.packages.iter().cloned().map(BuildWrite::Package));
        writes.extend(record.log_messages.iter().cloned().map(BuildWrite::Log));
        writes.extend(record.artifacts.iter().cloned().map(BuildWrite::Artifact));
        writes.extend(
            TaskDependencies::from_edges(record.task_dependencies.iter().cloned())
                .into_iter()
                .map(BuildWrite::TaskDependencies),
        );
        writes.extend(
            RecipeDependencies::from_edges(record.recipe_dependencies.iter().cloned())
                .into_iter()
                .map(BuildWrite::RecipeDependencies),
        );
        writes.extend(record.providers.iter().cloned().map(BuildWrite::Provider));
        writes.extend(
            record
                .variables
                .iter()
                .cloned()
                .flat_map(crate::model::ArchivedVariable::writes),
        );
        writes.extend(
            record
                .package_files
                .iter()
                .cloned()
                .map(BuildWrite::PackageFiles),
        );
        writes.extend(
            record
                .image_packages
                .iter()
                .cloned()
                .map(BuildWrite::ImagePackages),
        );
        writes.extend(
            record
                .image_files
                .iter()
                .cloned()
                .map(BuildWrite::ImageFiles),
        );
        let imported = ImportedRecord {
            ended_at: old.ended_at,
            heartbeat_at: old.heartbeat_at,
            progress: old.progress,
            errors: old.errors,
            warnings: old.warnings,
            writes,
            origin: format!(
                "imported from {}: build {} of project {} on {} (configuration revision {}), archived {} by {} on {}",
                file.display(),
                old.id,
                old.project_name,
                old.host,
                old.revision,
                manifest.created_at,
                manifest.created_by,
                manifest.created_on
            ),
            archive: BuildArchive {
                path: copy.clone(),
                at: Timestamp::now(),
                images,
            },
        };
        let audit = self.entry(
            Some(Action::Project(Right::Build)),
            AuditAction::BuildStart,
            Some(&project.name),
            format!("from archive {}", file.display()),
        );
        match self.store().import_build(&new, &imported, &audit) {
            Ok(build) => Ok(build),
            Err(e) => {
                let _ = std::fs::remove_file(&copy);
                Err(e.into())
            }
        }
    }

    /// The directory archives are written to: the `archive.dir` setting, else `archives/`
    /// beside the database; made if missing.
    fn archive_dir(&self) -> Result<PathBuf, Error> {
        let dir = match self.store().setting(Setting::ArchiveDir.name())? {
            Some(dir) => PathBuf::from(dir),
            None => self
                .toaster
                .database
                .as_deref()
                .and_then(Path::parent)
                .map(|d| d.join(ARCHIVE_DIR))
                .ok_or(Error::NoArchiveDir)?,
        };
        std::fs::create_dir_all(&dir).map_err(ArtifactError::io(&dir))?;
        Ok(dir)
    }
}

/// `dir/STEM.zip`, or `dir/STEM-2.zip`, … whichever does not exist yet.
fn free_name(dir: &Path, stem: &str) -> PathBuf {
    let mut path = dir.join(format!("{stem}.zip"));
    let mut n = 2;
    while path.symlink_metadata().is_ok() {
        path = dir.join(format!("{stem}-{n}.zip"));
        n += 1;
    }
    path
}

/// Copies `from` to the new file `to` (never replacing one), synced.
fn copy_new(from: &Path, to: &Path) -> Result<(), Error> {
    let mut source = std::fs::File::open(from).map_err(ArtifactError::io(from))?;
    let mut target = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(to)
        .map_err(ArtifactError::io(to))?;
    let copied = std::io::copy(&mut source, &mut target).and_then(|_| target.sync_all());
    copied.map_err(|e| {
        let _ = std::fs::remove_file(to);
        Error::from(ArtifactError::Io {
            path: to.to_owned(),
            source: e,
        })
    })
}
