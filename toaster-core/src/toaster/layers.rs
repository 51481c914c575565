//! A project's layers: listing, adding (a local directory or a git repository), removing
//! and updating them. Every change is a configuration revision with its audit entry; git
//! work happens before the revision is made, and is taken back when the change is refused.

use std::cell::RefCell;

use super::{Actor, ChangeOutcome, Warning};
use crate::Error;
use crate::access::Action;
use crate::layers::{self, LayerError, LayerRequest, Options, Progress};
use crate::model::{LayerRef, LayerSource, Right};

const CONFIGURE: Action = Action::Project(Right::Configure);

/// A layer for descriptions: `name (source, commit abc1234)`.
fn label(layer: &LayerRef) -> String {
    let commit = match &layer.source {
        LayerSource::Git {
            commit: Some(c), ..
        } => format!(", commit {}", c.get(..12).unwrap_or(c)),
        _ => String::new(),
    };
    format!("{} ({}{commit})", layer.name, layer.source)
}

/// `outcome` with the checks' `warnings` before its own.
fn with_warnings(mut outcome: ChangeOutcome, warnings: Vec<String>) -> ChangeOutcome {
    let mut warnings = Warning::all(warnings, Warning::layer);
    warnings.append(&mut outcome.warnings);
    outcome.warnings = warnings;
    outcome
}

impl Actor {
    /// The project's layers in the order BitBake reads them (needs read).
    pub fn layers(&self, project: &str) -> Result<Vec<LayerRef>, Error> {
        Ok(self.config(project)?.config.layers)
    }

    /// One layer of the project (needs read).
    pub fn layer(&self, project: &str, name: &str) -> Result<LayerRef, Error> {
        let all = self.layers(project)?;
        match all.iter().find(|l| l.name == name) {
            Some(layer) => Ok(layer.clone()),
            None => Err(LayerError::NoSuchLayer {
                project: project.to_owned(),
                name: name.to_owned(),
                known: all.into_iter().map(|l| l.name).collect(),
            }
            .into()),
        }
    }

    /// Adds a layer (needs configure): a local directory used where it is, or a git
    /// repository cloned (or reused) in the project's `layers/` directory and checked out
    /// at the requested ref, whose commit is recorded. Its dependencies must be in the
    /// project, or with `options.with_dependencies` be offered by its sources; a layer that
    /// does not list the project's release series needs `options.force`. Fetch progress
    /// goes to `progress`. A refused layer changes nothing, and a clone made for it is
    /// removed again.
    pub fn add_layer(
        &self,
        project: &str,
        request: &LayerRequest,
        name: Option<&str>,
        options: Options,
        progress: Progress<'_>,
    ) -> Result<ChangeOutcome, Error> {
        let current = self.project_for(project, CONFIGURE)?;
        let head = self.store().revision(current.id, current.head)?;
        let present = layers::with_facts(&head.config.layers, &current.dir);
        let prepared = layers::prepare(
            &current.dir,
            &present,
            request,
            name,
            current.release,
            progress,
        )?;
        let warnings = RefCell::new(Vec::new());
        let outcome = self.commit(project, None, |head| {
            let present = layers::with_facts(&head.config.layers, &current.dir);
            let plan = layers::plan_add(
                current.name.as_str(),
                &present,
                prepared.layer.clone(),
                &prepared.candidates,
                current.release,
                options,
            )?;
            *warnings.borrow_mut() = [prepared.warnings.clone(), plan.warnings].concat();
            let Some((first, dependencies)) = plan.added.split_first() else {
                return Ok(None);
            };
            let named = |name: &String| plan.layers.iter().find(|l| &l.name == name).map(label);
            let mut description = format!("add layer {}", named(first).unwrap_or_default());
            if !dependencies.is_empty() {
                let deps: Vec<String> = dependencies.iter().filter_map(named).collect();
                description.push_str(&format!(" with its dependencies {}", deps.join(", ")));
            }
            let mut config = head.config.clone();
            config.layers = plan.layers;
            Ok(Some((description, None, config)))
        });
        match outcome {
            Ok(outcome) => Ok(with_warnings(outcome, warnings.into_inner())),
            Err(e) => {
                if let Some(clone) = prepared.clone {
                    clone.discard_if_new();
                }
                Err(e)
            }
        }
    }

    /// Removes layers (needs configure); refused, naming them, while layers that stay
    /// depend on them. Their clones stay on disk, so `undo` brings them back as they were.
    pub fn remove_layers(&self, project: &str, names: &[String]) -> Result<ChangeOutcome, Error> {
        let project_dir = self.project_for(project, CONFIGURE)?.dir;
        self.commit(project, None, |head| {
            let present = layers::with_facts(&head.config.layers, &project_dir);
            let kept = layers::plan_remove(project, &present, names)?;
            let mut config = head.config.clone();
            config.layers = kept;
            let noun = if names.len() == 1 { "layer" } else { "layers" };
            Ok(Some((
                format!("remove {noun} {}", names.join(", ")),
                None,
                config,
            )))
        })
    }

    /// Fetches the git layers (all, or `name` and the layers sharing its repository) and
    /// moves them to the newest commit of their refs, as one revision recording the new
    /// commits (needs configure). Nothing changes when a fetch fails, a clone has local
    /// changes, or the layers after the move fail a check (the checkouts move back).
    pub fn update_layers(
        &self,
        project: &str,
        name: Option<&str>,
        options: Options,
        progress: Progress<'_>,
    ) -> Result<ChangeOutcome, Error> {
        let current = self.project_for(project, CONFIGURE)?;
        let head = self.store().revision(current.id, current.head)?;
        let git = |l: &&LayerRef| matches!(l.source, LayerSource::Git { .. });
        let targets: Vec<LayerRef> = match name {
            None => head.config.layers.iter().filter(git).cloned().collect(),
            Some(name) => {
                let layer = self.layer(project, name)?;
                let LayerSource::Git { url, .. } = &layer.source else {
                    return Err(LayerError::NotGit {
                        name: name.to_owned(),
                    }
                    .into());
                };
                head.config
                    .layers
                    .iter()
                    .filter(|l| matches!(&l.source, LayerSource::Git { url: u, .. } if u == url))
                    .cloned()
                    .collect()
            }
        };
        let updated = layers::update(&current.dir, &targets, progress)?;
        let warnings = RefCell::new(Vec::new());
        let outcome = self.commit(project, None, |head| {
            let present = layers::with_facts(&head.config.layers, &current.dir);
            let changes: Vec<LayerRef> = updated
                .layers
                .iter()
                .filter(|l| present.iter().any(|p| p.name == l.name && p != *l))
                .cloned()
                .collect();
            if changes.is_empty() {
                return Ok(None);
            }
            let moves: Vec<String> = changes
                .iter()
                .map(|new| {
                    let old = present.iter().find(|p| p.name == new.name);
                    let commit = |l: Option<&LayerRef>| match l.map(|l| &l.source) {
                        Some(LayerSource::Git {
                            commit: Some(c), ..
                        }) => c.get(..12).unwrap_or(c).to_owned(),
                        _ => "unfetched".to_owned(),
                    };
                    format!("{} {} -> {}", new.name, commit(old), commit(Some(new)))
                })
                .collect();
            let plan = layers::plan_update(&present, changes, current.release, options)?;
            *warnings.borrow_mut() = plan.warnings;
            let mut config = head.config.clone();
            config.layers = plan.layers;
            Ok(Some((
                format!("update layers: {}", moves.join(", ")),
                None,
                config,
            )))
        });
        match outcome {
            Ok(outcome) => Ok(with_warnings(outcome, warnings.into_inner())),
            Err(e) => {
                updated.roll_back();
                Err(e)
            }
        }
    }
}
