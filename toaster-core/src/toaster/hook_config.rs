//! A project's post-build hooks as part of its revisioned configuration: adding, removing
//! and listing them; and the deliveries a build's end made.

use std::path::{Path, PathBuf};

use super::{Actor, ChangeOutcome};
use crate::Error;
use crate::access::Action;
use crate::model::{BuildId, Delivery, Hook, HookAction, HookTrigger, ModelError, Right};

impl Actor {
    /// Adds a hook to `project` as a new revision (needs configure); returns the outcome and
    /// the hook's id. A script hook's program must exist and be executable now: a program
    /// given with a `/` is made absolute (from the current directory), a bare name must be
    /// found on `PATH`.
    pub fn add_hook(
        &self,
        project: &str,
        on: HookTrigger,
        action: HookAction,
    ) -> Result<(ChangeOutcome, u32), Error> {
        let action = match action {
            HookAction::Run { mut argv } => {
                argv[0] = program_path(&argv[0])?;
                HookAction::Run { argv }
            }
            other => other,
        };
        let id = std::cell::Cell::new(0);
        let outcome = self.commit(project, None, |head| {
            let mut config = head.config.clone();
            let next = config.hooks.iter().map(|h| h.id).max().unwrap_or(0) + 1;
            let hook = Hook {
                id: next,
                on,
                action: action.clone(),
            };
            let description = format!("add hook {hook}");
            config.hooks.push(hook);
            id.set(next);
            Ok(Some((description, None, config)))
        })?;
        Ok((outcome, id.get()))
    }

    /// Removes hook `id` from `project` as a new revision (needs configure).
    pub fn remove_hook(&self, project: &str, id: u32) -> Result<ChangeOutcome, Error> {
        self.commit(project, None, |head| {
            let mut config = head.config.clone();
            let Some(index) = config.hooks.iter().position(|h| h.id == id) else {
                return Err(Error::NoHook {
                    project: self.store().project(project)?.name,
                    id,
                });
            };
            let hook = config.hooks.remove(index);
            Ok(Some((format!("remove hook {hook}"), None, config)))
        })
    }

    /// The hooks of `project`'s newest revision (needs read).
    pub fn hooks(&self, project: &str) -> Result<Vec<Hook>, Error> {
        Ok(self.config(project)?.config.hooks)
    }

    /// The deliveries of build `id`'s hooks, with every attempt (needs read on its project).
    pub fn deliveries(&self, id: BuildId) -> Result<Vec<Delivery>, Error> {
        let build = self.store().build(id)?;
        self.project_for(build.project_name.as_str(), Action::Project(Right::Read))?;
        Ok(self.store().deliveries(id)?)
    }
}

/// Where a hook's program is: absolute for a path, as given for a name found on `PATH`.
fn program_path(program: &str) -> Result<String, Error> {
    let refuse = |reason: String, hint: &str| {
        Err(Error::Invalid(ModelError::invalid(
            "hook program",
            program,
            reason,
            hint,
        )))
    };
    let found: Option<PathBuf> = if program.contains('/') {
        std::path::absolute(program).ok()
    } else {
        std::env::var_os("PATH").and_then(|path| {
            std::env::split_paths(&path)
                .map(|dir| dir.join(program))
                .find(|candidate| is_executable(candidate))
        })
    };
    let Some(path) = found else {
        return refuse(
            "it is not on PATH".to_owned(),
            "give the program's path, e.g. `/usr/local/bin/notify-build`",
        );
    };
    if !is_executable(&path) {
        return refuse(
            format!("{} is not an executable file", path.display()),
            "give an executable file (`chmod +x`), and its arguments after it",
        );
    }
    if program.contains('/') {
        match path.to_str() {
            Some(text) => Ok(text.to_owned()),
            None => refuse(
                "its path is not UTF-8".to_owned(),
                "move it to a path of plain characters",
            ),
        }
    } else {
        Ok(program.to_owned())
    }
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}
