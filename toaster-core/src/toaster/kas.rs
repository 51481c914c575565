//! kas files: a project's configuration written as one (and its lock file), and a kas file
//! made into a new project.

use std::path::Path;

use super::Actor;
use super::share::{Imported, Incoming};
use crate::Error;
use crate::bundle::kas_in::read_kas;
use crate::bundle::kas_out::{KasProject, write_kas};
use crate::model::{Release, RevisionNumber};

impl Actor {
    /// Project `project`'s configuration at `revision` (default: the newest) as a kas
    /// project file (needs read), its build variables in `local_conf_header` (host settings
    /// are left out, as from a bundle); with `lock`, kas's lock-file form. Returns the text,
    /// the revision written and what was left out.
    pub fn export_kas(
        &self,
        project: &str,
        revision: Option<u32>,
        lock: bool,
    ) -> Result<(String, RevisionNumber, Vec<String>), Error> {
        let (project, number, mut config) = self.revision_for_export(project, revision)?;
        let (variables, left_out) = self.build_variables(&config);
        config.variables = variables;
        let release = project.release.to_string();
        let kas = KasProject {
            name: project.name.as_str(),
            release: &release,
            config: &config,
        };
        Ok((write_kas(&kas, lock)?, number, left_out))
    }

    /// Creates project `name` in `dir` from the kas project file `file` (with its local
    /// includes, overrides and lock file): what the project cannot hold is named in the
    /// notes.
    pub fn import_kas(
        &self,
        file: &Path,
        name: &str,
        dir: &Path,
        release: Option<&str>,
    ) -> Result<Imported, Error> {
        let kas = read_kas(file)?;
        let release = release
            .map(Release::parse)
            .transpose()?
            .unwrap_or(Release::DEFAULT);
        let incoming = Incoming {
            config: kas.config,
            release,
            notes: kas.notes,
            description: format!("imported from kas file {}", file.display()),
            included: Vec::new(),
        };
        self.create_from_outside(name, dir, incoming, false, &mut |_, _| Ok(()))
    }
}
