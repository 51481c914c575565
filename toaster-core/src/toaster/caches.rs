//! The download directory and shared-state cache the projects of one database share, so
//! that a clone or a new project starts with what the others fetched and built: the
//! `cache.downloads` and `cache.sstate` settings, else `downloads/` and `sstate-cache/`
//! beside the database file. A project that sets `DL_DIR` or `SSTATE_DIR` itself keeps its
//! own; the shared directories are never inside a project's directory, so deleting a
//! project's files never touches them.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use super::Actor;
use crate::Error;
use crate::model::{ProjectConfig, Setting, Variable};

/// The shared download directory's name beside the database.
pub const DOWNLOADS_DIR: &str = "downloads";
/// The shared sstate cache's name beside the database.
pub const SSTATE_DIR: &str = "sstate-cache";

/// The shared caches in effect for a database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedCaches {
    /// `DL_DIR` of every project that sets none.
    pub downloads: PathBuf,
    /// `SSTATE_DIR` of every project that sets none.
    pub sstate: PathBuf,
}

impl Actor {
    /// The shared caches: the `cache.downloads` and `cache.sstate` settings, else beside
    /// the database file. `None` for a store that is no file and has no settings for them.
    pub fn shared_caches(&self) -> Result<Option<SharedCaches>, Error> {
        let beside = self.database_dir();
        let dir = |setting: Setting, name: &str| -> Result<Option<PathBuf>, Error> {
            Ok(match self.store().setting(setting.name())? {
                Some(dir) => Some(PathBuf::from(dir)),
                None => beside.as_deref().map(|d| d.join(name)),
            })
        };
        Ok(
            match (
                dir(Setting::CacheDownloads, DOWNLOADS_DIR)?,
                dir(Setting::CacheSstate, SSTATE_DIR)?,
            ) {
                (Some(downloads), Some(sstate)) => Some(SharedCaches { downloads, sstate }),
                _ => None,
            },
        )
    }

    /// `config` as its conf files are written: with the shared caches as `DL_DIR` and
    /// `SSTATE_DIR` where it sets neither itself.
    pub(super) fn with_shared_caches<'c>(
        &self,
        config: &'c ProjectConfig,
    ) -> Result<Cow<'c, ProjectConfig>, Error> {
        let Some(caches) = self.shared_caches()? else {
            return Ok(Cow::Borrowed(config));
        };
        let missing: Vec<(&str, &Path)> = [
            ("DL_DIR", caches.downloads.as_path()),
            ("SSTATE_DIR", caches.sstate.as_path()),
        ]
        .into_iter()
        .filter(|(name, _)| !config.variables.contains_key(*name))
        .collect();
        if missing.is_empty() {
            return Ok(Cow::Borrowed(config));
        }
        let mut config = config.clone();
        for (name, dir) in missing {
            let value = Variable::plain(dir.to_string_lossy());
            config.variables.insert(name.to_owned(), value);
        }
        Ok(Cow::Owned(config))
    }

    /// The directory of the database file, absolute, when the store is one.
    fn database_dir(&self) -> Option<PathBuf> {
        let database = self.toaster.database.as_deref()?;
        let database = std::fs::canonicalize(database)
            .or_else(|_| std::path::absolute(database))
            .ok()?;
        database.parent().map(Path::to_owned)
    }
}
