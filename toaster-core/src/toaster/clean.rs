//! Recycling a project's build directory: its `TMPDIR` removed once its builds are
//! archived, never while BitBake runs there, never a shared cache.

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::Actor;
use crate::Error;
use crate::access::Action;
use crate::conf;
use crate::model::{AuditAction, BuildFilter, BuildId, Right, Visibility};
use crate::project_dir::{self, ConfLock};

/// How long a BitBake server that holds the build directory after its build ended gets to
/// go before a clean is refused.
const SERVER_GRACE: Duration = Duration::from_secs(15);

/// What `clean_project` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CleanReport {
    /// The TMPDIR removed; `None` when there was none.
    pub removed: Option<PathBuf>,
    /// Builds of the directory that were not archived (cleaned anyway with `force`).
    pub unarchived: Vec<BuildId>,
}

impl Actor {
    /// Removes the project's `TMPDIR` (BitBake's, inside the build directory only; never
    /// `SSTATE_DIR` or `DL_DIR`, which stop the clean where met). Refused while a build of
    /// the directory runs (by the store's record and by BitBake's own lock, held during
    /// the clean), and while builds of the directory are not archived unless `force`.
    /// Needs build.
    pub fn clean_project(&self, project: &str, force: bool) -> Result<CleanReport, Error> {
        let project = self.project_for(project, Action::Project(Right::Build))?;
        let _lock = ConfLock::shared(&project.dir, &project.name)?;
        let build_dir = project.build_dir();
        let builds = self.store().builds(&BuildFilter {
            projects: Some(vec![project.id]),
            visibility: Visibility::All,
            limit: u32::MAX,
            offset: 0,
        })?;
        let here: Vec<_> = builds.iter().filter(|b| b.build_dir == build_dir).collect();
        if let Some(running) = here
            .iter()
            .find(|b| !b.state.is_final() && (b.claim.is_some() || !b.requested))
        {
            return Err(Error::BuildRunning {
                build: running.id,
                dir: build_dir,
            });
        }
        let mut unarchived: Vec<BuildId> = here
            .iter()
            .filter(|b| b.state.is_final() && b.archive.is_none())
            .map(|b| b.id)
            .collect();
        unarchived.sort();
        if !unarchived.is_empty() && !force {
            return Err(Error::NotArchived {
                project: project.name.clone(),
                builds: unarchived,
            });
        }
        let dirs = BuildDirs::read(&build_dir)?;
        let protected = [
            (
                dirs.sstate.clone(),
                "it is SSTATE_DIR, the shared-state cache".to_owned(),
            ),
            (
                dirs.downloads.clone(),
                "it is DL_DIR, the download cache".to_owned(),
            ),
        ];
        let removed = project_dir::clean_tmp(&build_dir, &dirs.tmp, &protected, SERVER_GRACE)?
            .map(|c| c.path);
        if let Some(path) = &removed {
            let detail = format!(
                "cleaned project {}: removed {}{}",
                project.name,
                path.display(),
                if unarchived.is_empty() {
                    String::new()
                } else {
                    format!(" ({} builds not archived, --force)", unarchived.len())
                }
            );
            let audit = self.entry(
                Some(Action::Project(Right::Build)),
                AuditAction::ProjectClean,
                Some(&project.name),
                detail,
            );
            self.store().record_audit(&audit, Some(project.id))?;
        }
        Ok(CleanReport {
            removed,
            unarchived,
        })
    }
}

/// Where BitBake puts its work and its caches in a build directory, as its conf files say
/// (`conf/local.conf`, with what it includes), with BitBake's defaults.
struct BuildDirs {
    tmp: PathBuf,
    sstate: PathBuf,
    downloads: PathBuf,
}

impl BuildDirs {
    fn read(build_dir: &Path) -> Result<BuildDirs, Error> {
        let local = build_dir.join("conf/local.conf");
        let mut data = if local.exists() {
            conf::evaluate(std::slice::from_ref(&local))?
        } else {
            conf::Datastore::new()
        };
        data.set_var("TOPDIR", &build_dir.display().to_string());
        let dir = |name: &str, default: &str| -> Result<PathBuf, Error> {
            let value = data.get(name)?.unwrap_or_else(|| default.to_owned());
            let value = value.replace("${TOPDIR}", &build_dir.display().to_string());
            if value.contains("${") || !Path::new(&value).is_absolute() {
                return Err(Error::from(project_dir::ProjectDirError::TmpOutside {
                    tmp: PathBuf::from(&value),
                    build_dir: build_dir.to_owned(),
                    reason: format!("{name} is `{value}`, which cannot be resolved here"),
                }));
            }
            Ok(PathBuf::from(value))
        };
        Ok(BuildDirs {
            tmp: dir("TMPDIR", "${TOPDIR}/tmp")?,
            sstate: dir("SSTATE_DIR", "${TOPDIR}/sstate-cache")?,
            downloads: dir("DL_DIR", "${TOPDIR}/downloads")?,
        })
    }
}
