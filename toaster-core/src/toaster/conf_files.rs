//! The facade's part in the generated conf files: written for every new revision, and on
//! demand.

use std::path::{Path, PathBuf};

use super::{Actor, Warning};
use crate::Error;
use crate::access::Action;
use crate::conf;
use crate::layers;
use crate::model::{Name, Project, ProjectConfig, Release, RevisionNumber, Right};
use crate::project_dir;
use crate::store::StoreError;

impl Actor {
    /// Rewrites the project's generated conf files from its newest revision (`toaster conf
    /// write`). Returns the files that changed.
    pub fn write_conf(&self, project: &str) -> Result<Vec<PathBuf>, Error> {
        let project = self.project_for(project, Action::Project(Right::Configure))?;
        let head = self.config(project.name.as_str())?;
        self.write_conf_of(&project, &head.config, head.number)
    }

    /// Creates project `name` in `dir` from the build directory `from`: its layers (as local
    /// directories, read and checked as `layer add` does), machine, distro, packages and
    /// variables, building `release` or else the series its core layer declares. What the
    /// checks refuse or a project cannot hold is left out; the warnings say what was left
    /// out and why, and how the series was chosen when in doubt.
    pub fn import_project(
        &self,
        name: &str,
        from: &Path,
        dir: &Path,
        release: Option<&str>,
    ) -> Result<(Project, Vec<Warning>), Error> {
        let name = Name::parse("project name", name)?;
        let asked = release.map(Release::parse).transpose()?;
        let conf::Imported {
            mut config,
            layer_dirs,
            mut notes,
        } = conf::import(from)?;
        // The core layer says which series the build directory built, unless one is asked for.
        let (release, mut warnings) = super::import_release::release(asked, &layer_dirs);
        // Layers pass the checks `layer add` makes; what fails is left out and said.
        let (layers, layer_notes) = layers::import(&layer_dirs, release);
        config.layers = layers;
        notes.extend(layer_notes);
        // Everything else passes the checks `config set` makes; what fails is left out and said.
        let mut accepted = Vec::new();
        let config = self.admit(config, release, &mut notes, &mut accepted);
        let description = format!("imported from {}", from.display());
        let project = self.create_with(name, dir, release, None, config, description)?;
        // What was left out is reported as such; what was imported with a remark, apart.
        warnings.extend(Warning::all(notes, Warning::not_reproduced));
        warnings.extend(accepted);
        Ok((project, warnings))
    }

    /// Writes the conf files for `config`, revision `number` of `project`, holding the
    /// project directory's lock: refused when the directory is gone (never made again
    /// without its marker) or being deleted.
    pub(super) fn write_conf_of(
        &self,
        project: &Project,
        config: &ProjectConfig,
        number: RevisionNumber,
    ) -> Result<Vec<PathBuf>, Error> {
        let origin = format!("project {}, revision {number}", project.name);
        let config = self.with_host_settings(self.with_shared_caches(config)?)?;
        let generated = conf::generate(&config, &project.dir, self.schema(), &origin)?;
        let _writing = self.hold_dir(project)?;
        Ok(conf::write_build_conf(&project.build_dir(), &generated)?)
    }

    /// Holds `project`'s directory for writing its files (see [`project_dir::ConfLock`]).
    /// A directory found gone because a delete just removed the project is reported as
    /// the project being gone.
    pub(super) fn hold_dir(&self, project: &Project) -> Result<project_dir::ConfLock, Error> {
        match project_dir::ConfLock::shared(&project.dir, &project.name) {
            Err(e @ project_dir::ProjectDirError::Missing { .. }) => {
                match self.store().project(project.name.as_str()) {
                    Err(gone @ StoreError::NotFound { .. }) => Err(gone.into()),
                    _ => Err(e.into()),
                }
            }
            other => Ok(other?),
        }
    }
}
