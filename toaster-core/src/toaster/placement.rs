//! Where a runner builds a project: in the project's own directory, or, for a runner with
//! a work root of its own (`toaster runner --workdir DIR`), in `DIR/PROJECT`, made and
//! marked for the project the first time. A project directory is portable but for its
//! `tmp`: the layers are cloned there at the commits the build pins, and the conf files
//! are generated there from the configuration with that host's settings.

use super::Actor;
use crate::Error;
use crate::model::{Build, Project};
use crate::project_dir::{self, ProjectDirError};

impl Actor {
    /// `project` as `build` runs it: unchanged when the build runs in the project's own
    /// build directory; else placed in the directory holding the build's build directory
    /// (a runner's work root), which is made and marked for the project when it does not
    /// exist. A directory there marked for another project, or holding files without a
    /// mark, is refused and left alone.
    pub(super) fn placed(&self, project: Project, build: &Build) -> Result<Project, Error> {
        if build.build_dir == project.build_dir() {
            return Ok(project);
        }
        let not_ours = |reason: &str| ProjectDirError::NotTheProjects {
            path: build.build_dir.clone(),
            project: project.name.to_string(),
            reason: reason.to_owned(),
        };
        let Some(dir) = build
            .build_dir
            .parent()
            .filter(|_| build.build_dir.ends_with("build"))
        else {
            return Err(not_ours("a runner's build directory is WORK_ROOT/PROJECT/build").into());
        };
        match project_dir::find_marked(dir)? {
            Some(marked) if marked.dir == dir => {
                if !marked.project.eq_ignore_ascii_case(project.name.as_str()) {
                    let reason = format!("it is marked for project `{}`", marked.project);
                    return Err(not_ours(&reason).into());
                }
            }
            _ => {
                project_dir::prepare(dir, &project.name, self.toaster.reach.as_deref(), &[])?;
            }
        }
        Ok(Project {
            dir: dir.to_owned(),
            ..project
        })
    }
}
