//! The facade's part in the generated conf files: written for every new revision, and on
//! demand.

use std::path::PathBuf;

use super::Actor;
use crate::Error;
use crate::conf;
use crate::model::{Project, ProjectConfig, RevisionNumber};

impl Actor {
    /// Rewrites the project's generated conf files from its newest revision (`toaster conf
    /// write`). Returns the files that changed.
    pub fn write_conf(&self, project: &str) -> Result<Vec<PathBuf>, Error> {
        let project = self.project(project)?;
        let head = self.config(project.name.as_str())?;
        self.write_conf_of(&project, &head.config, head.number)
    }

    /// Writes the conf files for `config`, revision `number` of `project`.
    pub(super) fn write_conf_of(
        &self,
        project: &Project,
        config: &ProjectConfig,
        number: RevisionNumber,
    ) -> Result<Vec<PathBuf>, Error> {
        let origin = format!("project {}, revision {number}", project.name);
        let generated = conf::generate(config, &project.dir, self.schema(), &origin)?;
        Ok(conf::write_build_conf(&project.build_dir(), &generated)?)
    }
}
