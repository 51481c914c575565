//! Where a project's builds get BitBake: part of its revisioned configuration, so a build
//! pins it like its layers and `undo` takes a change back.

use std::path::Path;

use super::Actor;
use super::ChangeOutcome;
use crate::Error;
use crate::model::LayerSource;
use crate::runner::{BitbakeRun, RunnerError};

impl Actor {
    /// Builds of `project` use the BitBake checkout at `path` (needs configure), from a new
    /// revision on; refused unless it is a BitBake checkout (`bin/bitbake`, `lib/bb`).
    pub fn set_bitbake(&self, project: &str, path: &Path) -> Result<ChangeOutcome, Error> {
        let path = std::path::absolute(path).map_err(|source| RunnerError::Io {
            path: path.to_owned(),
            source,
        })?;
        BitbakeRun::program(&path)?;
        let source = LayerSource::Local { path };
        self.commit(project, None, |head| {
            if head.config.bitbake.as_ref() == Some(&source) {
                return Ok(None);
            }
            let mut config = head.config.clone();
            config.bitbake = Some(source.clone());
            let description = format!("build with BitBake {}", crate::layers::describe(&source));
            Ok(Some((description, None, config)))
        })
    }

    /// Where builds of `project` get BitBake at its newest revision (needs read); `None`
    /// until one is set.
    pub fn bitbake(&self, project: &str) -> Result<Option<LayerSource>, Error> {
        Ok(self.config(project)?.config.bitbake)
    }
}
