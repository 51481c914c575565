//! Projects: creating, listing, deleting, and who may do what on them.

use std::path::Path;

use super::{Actor, Warning};
use crate::Error;
use crate::access::{self, Action};
use crate::layers;
use crate::model::{
    AuditAction, Mode, Name, NewProject, NewRevision, Project, ProjectAccess, ProjectConfig,
    Release, Right,
};
use crate::project_dir;
use crate::store::StoreError;

/// A project made by [`Actor::clone_project`].
#[derive(Debug, Clone)]
pub struct ClonedProject {
    /// The new project.
    pub project: Project,
    /// Git layers whose repositories could not be copied, one each.
    pub warnings: Vec<Warning>,
}

/// What [`Actor::create_project`] makes a project with, beyond its name and directory.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ProjectOptions<'a> {
    /// Its Yocto release (`scarthgap`); `None`: [`Release::DEFAULT`].
    pub release: Option<&'a str>,
    /// The group it is shared with (the actor must belong to it); `None`: none.
    pub group: Option<&'a str>,
}

impl Actor {
    /// Creates a project in `dir` (made if absent; an existing one must be empty) for
    /// `release` (default: [`Release::DEFAULT`]), owned by the actor, shared with `group`
    /// (which the actor must belong to) under the instance's default mode, configured with
    /// the release defaults as revision 1.
    pub fn create_project(
        &self,
        name: &str,
        dir: &Path,
        options: &ProjectOptions<'_>,
    ) -> Result<Project, Error> {
        let ProjectOptions { release, group } = *options;
        let name = Name::parse("project name", name)?;
        let release = release
            .map(Release::parse)
            .transpose()?
            .unwrap_or(Release::DEFAULT);
        let description = format!("created with the {release} defaults");
        self.create_with(name, dir, release, group, release.defaults(), description)
    }

    /// Creates `new_name` in `new_dir` with `source`'s current configuration and release,
    /// owned by the actor (who needs read on `source`). Git layers get their own clones in
    /// the new directory, copied from the source project's clones at the recorded commits;
    /// any that cannot be copied are named in the warnings, for `layer update` to fetch.
    pub fn clone_project(
        &self,
        source: &str,
        new_name: &str,
        new_dir: &Path,
    ) -> Result<ClonedProject, Error> {
        let name = Name::parse("project name", new_name)?;
        let source = self.project_for(source, Action::Project(Right::Read))?;
        let head = self.store().revision(source.id, source.head)?;
        let description = format!("cloned from {} at revision {}", source.name, head.number);
        let source_layers = head.config.layers.clone();
        let project = self.create_with(
            name,
            new_dir,
            source.release,
            None,
            head.config,
            description,
        )?;
        let warnings = Warning::all(
            layers::copy_clones(&source.dir, &project.dir, &source_layers),
            Warning::not_reproduced,
        );
        Ok(ClonedProject { project, warnings })
    }

    pub(super) fn create_with(
        &self,
        name: Name,
        dir: &Path,
        release: Release,
        group: Option<&str>,
        config: ProjectConfig,
        description: String,
    ) -> Result<Project, Error> {
        crate::model::check_project_dir(dir)?;
        let group = group.map(|g| self.group_to_share_with(g)).transpose()?;
        // Refuse a taken name before touching the disk.
        match self.store().project(name.as_str()) {
            Ok(_) => {
                let taken = StoreError::AlreadyExists {
                    entity: "project",
                    key: name.to_string(),
                };
                return Err(taken.into());
            }
            Err(StoreError::NotFound { .. }) => {}
            Err(e) => return Err(e.into()),
        }
        let mode = self.store().default_mode()?;
        let origin = format!("project {name}, revision 1");
        crate::conf::generate(&config, dir, self.schema(), &origin)?;
        let prepared = project_dir::prepare(
            dir,
            &name,
            self.toaster.reach.as_deref(),
            &self.other_projects(None)?,
        )?;
        let new = NewProject {
            name,
            dir: prepared.path().to_owned(),
            release,
            owner: self.owner.id,
            group: group.as_ref().map(|g| g.id),
            mode,
        };
        let first = NewRevision {
            author: self.owner.id,
            description: description.clone(),
            restores: None,
            config,
        };
        let detail = format!(
            "created project {} in {}: {description}",
            new.name,
            new.dir.display()
        );
        let audit = self.entry(None, AuditAction::ProjectCreate, Some(&new.name), detail);
        match self.store().create_project(&new, &first, &audit) {
            Ok(project) => {
                self.write_conf_of(&project, &first.config, crate::model::RevisionNumber::FIRST)?;
                Ok(project)
            }
            Err(e) => {
                prepared.abandon();
                Err(e.into())
            }
        }
    }

    /// The group `name`, if the actor may share a project with it: admins with any group,
    /// others with the groups they belong to.
    fn group_to_share_with(&self, name: &str) -> Result<crate::model::Group, Error> {
        let group = self.store().group(name)?;
        let principal = self.principal()?;
        if principal.admin || principal.groups.contains(&group.id) {
            Ok(group)
        } else {
            Err(Error::NotAMember {
                owner: self.owner.name.clone(),
                group: group.name,
            })
        }
    }

    /// The projects the actor may read, by name; with `mine`, only those they own.
    pub fn projects(&self, mine: bool) -> Result<Vec<Project>, Error> {
        let principal = self.principal()?;
        let mut projects = self.store().projects()?;
        projects.retain(|p| {
            access::allows(&principal, p, Action::Project(Right::Read))
                && (!mine || p.owner == self.owner.id)
        });
        Ok(projects)
    }

    /// One project (needs read).
    pub fn project(&self, name: &str) -> Result<Project, Error> {
        self.project_for(name, Action::Project(Right::Read))
    }

    /// Deletes a project's records (needs delete); with `files`, also its directory, but only
    /// after checking that the directory still carries the project's mark and holds neither
    /// the database nor another project's directory. The directory is held open and locked
    /// from that check on (writers of its conf files finish first; later ones are refused),
    /// and removed through that handle before the records, so a failure leaves the project
    /// to delete again. Nothing outside the directory is touched. Its audit entries stay.
    /// With `files`, the returned project's `dir` is the path the directory had when it was
    /// removed.
    pub fn delete_project(&self, project: &str, files: bool) -> Result<Project, Error> {
        let mut project = self.project_for(project, Action::Project(Right::Delete))?;
        let removal = if files {
            Some(project_dir::Removal::check(
                &project.dir,
                &project.name,
                self.toaster.reach.as_deref(),
                &self.other_projects(Some(&project))?,
            )?)
        } else {
            None
        };
        if let Some(removal) = &removal {
            project.dir = removal.remove()?;
        }
        let what = if files {
            "with its directory"
        } else {
            "keeping its directory"
        };
        let detail = format!(
            "deleted project {} {what} {}",
            project.name,
            project.dir.display()
        );
        let audit = self.entry(
            Some(Action::Project(Right::Delete)),
            AuditAction::ProjectDelete,
            Some(&project.name),
            detail,
        );
        self.store()
            .delete_project(project.id, &audit)
            .map_err(super::config::by_name(&project.name))?;
        // Writers wait for the records to be gone too.
        drop(removal);
        Ok(project)
    }

    /// Every project but `except`, for the checks that keep project directories apart.
    fn other_projects(
        &self,
        except: Option<&Project>,
    ) -> Result<Vec<project_dir::OtherProject>, Error> {
        Ok(self
            .store()
            .projects()?
            .into_iter()
            .filter(|p| except.is_none_or(|e| e.id != p.id))
            .map(|p| project_dir::OtherProject {
                name: p.name.to_string(),
                dir: p.dir,
            })
            .collect())
    }

    /// Changes a project's mode, e.g. `group=rc,others=r` (owner or admin).
    pub fn chmod(&self, project: &str, mode: &str) -> Result<Project, Error> {
        self.change_access(project, |current| {
            let mode = current.mode.with(mode)?;
            let detail = format!("mode {} -> {mode}", current.mode);
            Ok((
                ProjectAccess {
                    mode,
                    ..access_of(current)
                },
                detail,
            ))
        })
    }

    /// Gives a project to another owner (owner or admin).
    pub fn chown(&self, project: &str, owner: &str) -> Result<Project, Error> {
        let owner = self.store().owner(owner)?;
        self.change_access(project, |current| {
            let detail = format!("owner {} -> {}", current.owner_name, owner.name);
            Ok((
                ProjectAccess {
                    owner: owner.id,
                    ..access_of(current)
                },
                detail,
            ))
        })
    }

    /// Shares a project with a group the actor belongs to, or with none (owner or admin).
    pub fn chgrp(&self, project: &str, group: Option<&str>) -> Result<Project, Error> {
        let group = group.map(|g| self.group_to_share_with(g)).transpose()?;
        self.change_access(project, |current| {
            let shown = |g: Option<&Name>| g.map_or("(none)".to_owned(), Name::to_string);
            let detail = format!(
                "group {} -> {}",
                shown(current.group_name.as_ref()),
                shown(group.as_ref().map(|g| &g.name))
            );
            Ok((
                ProjectAccess {
                    group: group.as_ref().map(|g| g.id),
                    ..access_of(current)
                },
                detail,
            ))
        })
    }

    /// Checks the right to change permissions, lets `edit` make the new access from the
    /// current one, and writes it only if nobody changed the access meanwhile (else reads
    /// again and retries), so that a chmod and a chown at once cannot undo each other.
    fn change_access(
        &self,
        project: &str,
        edit: impl Fn(&Project) -> Result<(ProjectAccess, String), Error>,
    ) -> Result<Project, Error> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let current = self.project_for(project, Action::ChangePermissions)?;
            let (access, detail) = edit(&current)?;
            let audit = self.entry(
                Some(Action::ChangePermissions),
                AuditAction::PermissionChange,
                Some(&current.name),
                detail,
            );
            match self
                .store()
                .set_access(current.id, &access_of(&current), &access, &audit)
            {
                Err(StoreError::Changed { .. }) if attempt < super::RETRIES => {}
                other => return Ok(other?),
            }
        }
    }

    /// The mode new projects get.
    pub fn default_mode(&self) -> Result<Mode, Error> {
        Ok(self.store().default_mode()?)
    }

    /// Changes the mode new projects get (admins only), e.g. `group=rcb`.
    pub fn set_default_mode(&self, mode: &str) -> Result<Mode, Error> {
        let current = self.store().default_mode()?;
        let mode = current.with(mode)?;
        self.require(Action::ChangeDefaults)?;
        let audit = self.entry(
            Some(Action::ChangeDefaults),
            AuditAction::DefaultModeChange,
            None,
            format!("default mode {current} -> {mode}"),
        );
        self.store().set_default_mode(mode, &audit)?;
        Ok(mode)
    }
}

fn access_of(project: &Project) -> ProjectAccess {
    ProjectAccess {
        owner: project.owner,
        group: project.group,
        mode: project.mode,
    }
}

#[cfg(test)]
mod tests;
