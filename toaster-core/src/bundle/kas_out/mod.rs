//! Writing a project configuration as a kas project file (and its lock file).
//!
//! [`write_kas`] gives the text of a kas file (format version 14, which every kas 4.x and
//! 5.x reads; 15 when a repository is pinned by tag) that sets up the same build as the
//! project's own generated conf files: the same MACHINE, DISTRO, variables and packages in
//! `local.conf`, the same layers at the same commits in `bblayers.conf`, and the same
//! targets. Every string is a double-quoted YAML scalar, so no value can change the
//! file's structure, and the conf text is quoted as the project quotes it, so no value can
//! add a BitBake statement.
//!
//! What kas does differently, and the file says in comments: it writes MACHINE and DISTRO
//! as `??=` after the project's text, lists `BBLAYERS` by repository then layer (not in the
//! project's order), and has one `task` for all targets. Hooks are not part of a kas file.

mod conf_text;
mod error;
mod render;
mod repos;
mod revision;
mod targets;
mod yaml;

#[cfg(test)]
mod tests;

pub use error::KasOutError;

use crate::model::ProjectConfig;

/// A project as a kas file describes it.
#[derive(Debug, Clone, Copy)]
pub struct KasProject<'a> {
    /// The project's name (for the file's comments).
    pub name: &'a str,
    /// Its Yocto release series, e.g. `scarthgap` (for the file's comments).
    pub release: &'a str,
    /// The configuration to write.
    pub config: &'a ProjectConfig,
}

/// The kas project file for `project`, or with `lock` its lock file: the recorded commit of
/// every git repository as `overrides.repos.ID.commit`, to save beside the project file as
/// `NAME.lock.yml` (kas reads it with `NAME.yml`). Both come from one configuration, so
/// their repository ids agree.
///
/// Fails when a variable or package cannot be written so that BitBake reads it back, a
/// local layer's directory is relative or not UTF-8, a git layer's subdirectory leaves its
/// repository, or a git layer has neither a usable commit nor a ref.
pub fn write_kas(project: &KasProject<'_>, lock: bool) -> Result<String, KasOutError> {
    let repos = repos::repos(project.config)?;
    if lock {
        return Ok(render::lock_file(project, &repos));
    }
    let targets = targets::targets(project.config);
    let text = conf_text::conf_text(project.config)?;
    Ok(render::project_file(
        project,
        &repos,
        &targets,
        text.as_deref(),
    ))
}
