//! A project's revisioned configuration: reading it, changing it, going back.

use super::{Actor, ChangeOutcome, Warning, validation};
use crate::Error;
use crate::access::Action;
use crate::model::{
    AuditAction, ConfigChange, ConfigDifference, Name, NewRevision, Operator, ProjectConfig,
    Revision, RevisionNumber, Right, Timestamp, Variable,
};
use crate::schema::Schema;
use crate::store::StoreError;

use super::RETRIES;

/// What an edit makes of the newest revision: a description, the revision it restores (if
/// any) and the new configuration; `None` when nothing would change.
type Edit = Option<(String, Option<RevisionNumber>, ProjectConfig)>;

const READ: Action = Action::Project(Right::Read);
const CONFIGURE: Action = Action::Project(Right::Configure);

impl Actor {
    /// A project's newest revision, with its configuration (needs read).
    pub fn config(&self, project: &str) -> Result<Revision, Error> {
        let project = self.project_for(project, READ)?;
        Ok(self.store().revision(project.id, project.head)?)
    }

    /// One revision of a project (needs read).
    pub fn revision(&self, project: &str, number: RevisionNumber) -> Result<Revision, Error> {
        let project = self.project_for(project, READ)?;
        if number.0 == 0 || number > project.head {
            return Err(Error::NoRevision {
                project: project.name,
                number,
                head: project.head,
            });
        }
        Ok(self.store().revision(project.id, number)?)
    }

    /// Every revision of a project, oldest first (needs read).
    pub fn history(&self, project: &str) -> Result<Vec<Revision>, Error> {
        let project = self.project_for(project, READ)?;
        Ok(self.store().history(project.id)?)
    }

    /// The project's revisions made at or after `since` (if given), the newest `limit` of
    /// them (if given), oldest first (needs read).
    pub fn history_since(
        &self,
        project: &str,
        since: Option<Timestamp>,
        limit: Option<usize>,
    ) -> Result<Vec<Revision>, Error> {
        let mut revisions = self.history(project)?;
        revisions.retain(|r| since.is_none_or(|since| r.created_at >= since));
        if let Some(limit) = limit {
            let skip = revisions.len().saturating_sub(limit);
            revisions.drain(..skip);
        }
        Ok(revisions)
    }

    /// What changed from revision `from` to revision `to` of `project` (default: from the
    /// revision before `from` to `from`, i.e. what `from` changed). Needs read.
    pub fn diff_revisions(
        &self,
        project: &str,
        from: u32,
        to: Option<u32>,
    ) -> Result<(RevisionNumber, RevisionNumber, Vec<ConfigDifference>), Error> {
        let current = self.project_for(project, READ)?;
        let (from, to) = match to {
            Some(to) => (RevisionNumber(from), RevisionNumber(to)),
            None => (RevisionNumber(from.saturating_sub(1)), RevisionNumber(from)),
        };
        let config = |number: RevisionNumber| -> Result<ProjectConfig, Error> {
            if number.0 == 0 {
                return Ok(ProjectConfig::default());
            }
            self.store()
                .revision(current.id, number)
                .map(|r| r.config)
                .map_err(|_| Error::NoRevision {
                    project: current.name.clone(),
                    number,
                    head: current.head,
                })
        };
        // The revision named last is looked up first: an error names the one the user gave.
        let after = config(to)?;
        let differences = config(from)?.diff(&after);
        Ok((from, to, differences))
    }

    /// Applies `changes` together as one new revision (needs configure), checking every new
    /// value against the schema first (a bad value changes nothing). With `base`, the
    /// change is refused with [`Error::Conflict`] unless `base` is still the newest
    /// revision; without it, a change that loses a race is applied again on top of the
    /// winner's revision. A change that leaves the configuration as it was makes no revision.
    pub fn change_config(
        &self,
        project: &str,
        changes: &[ConfigChange],
        base: Option<RevisionNumber>,
    ) -> Result<ChangeOutcome, Error> {
        self.change_config_with(project, changes, base, false)
    }

    /// [`Actor::change_config`]; with `strict`, unknown variables are refused instead of
    /// accepted with a warning.
    pub fn change_config_with(
        &self,
        project: &str,
        changes: &[ConfigChange],
        base: Option<RevisionNumber>,
        strict: bool,
    ) -> Result<ChangeOutcome, Error> {
        let current = self.project_for(project, CONFIGURE)?;
        let release = current.release;
        let warnings = std::cell::RefCell::new(Vec::new());
        let mut outcome = self.commit(project, base, |head| {
            let mut config = head.config.clone();
            let mut descriptions = Vec::new();
            let schema = self.schema();
            let extend = |key: &str| {
                schema
                    .governing(key)
                    .and_then(|spec| spec.extend)
                    .unwrap_or_default()
            };
            for change in changes {
                descriptions.extend(config.apply_with(change, &extend)?);
            }
            let mut found = validation::check(
                schema,
                &release,
                &head.config,
                &config,
                strict,
                &current.dir,
            )?;
            found.extend(replacing(schema, &head.config, &config));
            *warnings.borrow_mut() = found;
            Ok((!descriptions.is_empty()).then(|| (descriptions.join("; "), None, config)))
        })?;
        let mut all = warnings.into_inner();
        all.append(&mut outcome.warnings);
        outcome.warnings = all;
        Ok(outcome)
    }

    /// Restores the configuration before the one in effect, as a new revision. Repeated
    /// undos walk further back; `revert` to a later revision redoes.
    pub fn undo(&self, project: &str) -> Result<ChangeOutcome, Error> {
        self.commit(project, None, |head| {
            let effective = head.effective();
            let Some(target) = effective.previous() else {
                let project = self.project(project)?.name;
                return Err(Error::NothingToUndo { project, effective });
            };
            let restored = self.revision(project, target)?;
            let description = format!(
                "undo revision {effective}: back to revision {target} ({})",
                self.origin(project, &restored)?
            );
            Ok(Some((
                description,
                Some(restored.effective()),
                restored.config,
            )))
        })
    }

    /// Restores the configuration of revision `to`, as a new revision.
    pub fn revert(&self, project: &str, to: RevisionNumber) -> Result<ChangeOutcome, Error> {
        let restored = self.revision(project, to)?;
        let origin = self.origin(project, &restored)?;
        self.commit(project, None, |_| {
            let description = format!("revert to revision {to} ({origin})");
            Ok(Some((
                description,
                Some(restored.effective()),
                restored.config.clone(),
            )))
        })
    }

    /// What `restored` holds, said once: its own description, or, when it restored another
    /// revision itself, that revision's number and description (no chain of undos).
    fn origin(&self, project: &str, restored: &Revision) -> Result<String, Error> {
        Ok(match restored.restores {
            None => restored.description.clone(),
            Some(number) => {
                let original = self.revision(project, number)?;
                format!("revision {number}: {}", original.description)
            }
        })
    }

    /// Replaces the configuration with the defaults of the project's release, as a new
    /// revision (so it can be undone).
    pub fn reset(&self, project: &str) -> Result<ChangeOutcome, Error> {
        let release = self.project(project)?.release;
        self.commit(project, None, |_| {
            Ok(Some((
                format!("reset to the {release} defaults"),
                None,
                release.defaults(),
            )))
        })
    }

    /// Checks configure, reads the head, lets `edit` build the next revision from it, and
    /// commits it with its audit entry on top of that head; retries on a lost race unless
    /// the caller pinned `base`.
    pub(super) fn commit(
        &self,
        project: &str,
        base: Option<RevisionNumber>,
        edit: impl Fn(&Revision) -> Result<Edit, Error>,
    ) -> Result<ChangeOutcome, Error> {
        for attempt in 1.. {
            let current = self.project_for(project, CONFIGURE)?;
            if let Some(base) = base.filter(|b| *b != current.head) {
                return Err(Error::Conflict {
                    project: current.name,
                    base,
                    head: current.head,
                });
            }
            let head = self
                .store()
                .revision(current.id, current.head)
                .map_err(by_name(&current.name))?;
            let Some((description, restores, config)) = edit(&head)? else {
                return Ok(ChangeOutcome {
                    revision: head,
                    changed: false,
                    warnings: Vec::new(),
                });
            };
            // Whatever made this configuration (a change, undo, revert, reset, a layer), its
            // conf files must be writable safely, or nothing is committed.
            let origin = format!("project {}, revision {}", current.name, current.head.next());
            crate::conf::generate(&config, &current.dir, self.schema(), &origin)?;
            // The directory must be there, and no delete may remove it until this revision
            // is committed and its files written.
            let _writing = self.hold_dir(&current)?;
            let audit = self.entry(
                Some(CONFIGURE),
                AuditAction::ConfigChange,
                Some(&current.name),
                description.clone(),
            );
            let next = NewRevision {
                author: self.owner.id,
                description,
                restores,
                config,
            };
            match self
                .store()
                .commit_revision(current.id, current.head, &next, &audit)
            {
                Ok(revision) => {
                    // A build a runner runs there keeps what it started with; its runner
                    // writes the newest revision's files when it ends.
                    let running = self.running_in(&current);
                    // Written from the newest revision, re-read: a change another process
                    // committed after this one must not be overwritten with this one.
                    let mut warnings = match running {
                        Some(build) => vec![Warning::BuildRunning {
                            build,
                            build_dir: current.build_dir(),
                        }],
                        None => match self.write_conf(current.name.as_str()) {
                            Ok(_) => Vec::new(),
                            Err(e) => vec![Warning::ConfNotWritten {
                                project: current.name.to_string(),
                                reason: e.to_string(),
                            }],
                        },
                    };
                    // Undo, revert and reset can bring back older layer commits: the
                    // clones follow, so the build directory matches the revision.
                    if running.is_none() && revision.config.layers != head.config.layers {
                        warnings.extend(Warning::all(
                            crate::layers::check_out_recorded(
                                &current.dir,
                                &revision.config.layers,
                            ),
                            Warning::checkout,
                        ));
                    }
                    return Ok(ChangeOutcome {
                        revision,
                        changed: true,
                        warnings,
                    });
                }
                Err(StoreError::Conflict { .. }) if base.is_none() && attempt < RETRIES => {
                    std::thread::sleep(std::time::Duration::from_millis(u64::from(attempt)));
                }
                Err(StoreError::Conflict { head, .. }) => {
                    return Err(Error::Conflict {
                        project: current.name,
                        base: current.head,
                        head,
                    });
                }
                Err(e) => return Err(by_name(&current.name)(e)),
            }
        }
        unreachable!("the loop above only ends by returning")
    }
}

/// The store reports a project deleted meanwhile by its id (or its revision's); the user
/// knows it by `name`.
pub(super) fn by_name(name: &Name) -> impl Fn(StoreError) -> Error + '_ {
    move |e| match e {
        StoreError::NotFound {
            entity: "project" | "revision",
            ..
        } => StoreError::NotFound {
            entity: "project",
            key: name.to_string(),
        }
        .into(),
        e => e.into(),
    }
}

/// A warning for each variable that distros, layers or image recipes extend (its spec has
/// `extend`) and that `new` now replaces with `=`, `:=` or `?=` where `old` did not: what
/// they add is lost, or never applies.
fn replacing(schema: &Schema, old: &ProjectConfig, new: &ProjectConfig) -> Vec<Warning> {
    let replaces = |variable: Option<&Variable>| {
        variable.is_some_and(|v| {
            v.operations.iter().any(|o| {
                matches!(
                    o.op,
                    Operator::Set | Operator::Immediate | Operator::Default
                )
            })
        })
    };
    new.variables
        .iter()
        .filter(|(key, variable)| replaces(Some(variable)) && !replaces(old.variables.get(*key)))
        .filter_map(|(key, variable)| {
            let extend = schema.governing(key)?.extend?;
            if key.contains('[')
                || key
                    .split(':')
                    .any(|p| matches!(p, "append" | "prepend" | "remove"))
            {
                return None;
            }
            let words: Vec<&str> = variable.words().collect();
            Some(Warning::Replaces {
                variable: key.clone(),
                additive: extend.example(key, &words.join(" ")),
            })
        })
        .collect()
}
