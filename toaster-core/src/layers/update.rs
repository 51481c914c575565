//! Moving a project's git layers to the newest commit of their refs: every repository is
//! fetched and resolved before any checkout moves, and the checkouts are moved back when
//! anything after fails.

use std::path::Path;

use git2::Oid;

use super::LayerError;
use super::facts;
use super::git::{ClonedRepo, Progress};
use crate::model::{LayerRef, LayerSource};

/// One repository moved: the clone, where it was, and its layers as they are now.
struct Moved {
    clone: ClonedRepo,
    previous: Option<Oid>,
}

/// Checkouts moved by [`update`]; [`Updated::roll_back`] puts them back.
#[derive(Default)]
pub struct Updated {
    moved: Vec<Moved>,
    /// The layers with their new commits and facts.
    pub layers: Vec<LayerRef>,
}

impl std::fmt::Debug for Updated {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Updated")
            .field("repositories", &self.moved.len())
            .field("layers", &self.layers)
            .finish()
    }
}

impl Updated {
    /// Puts every checkout back where it was (clones made by the update are removed).
    pub fn roll_back(self) {
        for moved in self.moved.into_iter().rev() {
            match moved.previous {
                _ if moved.clone.created => moved.clone.discard_if_new(),
                Some(previous) => {
                    let _ = moved.clone.checkout(previous);
                }
                None => {}
            }
        }
    }
}

/// Fetches the repositories of the git `layers` (of the project in `project_dir`), moves
/// each checkout to the newest commit of the layers' ref, and reads the layers again.
/// Layers of one repository move together, since they share its checkout.
pub fn update(
    project_dir: &Path,
    layers: &[LayerRef],
    progress: Progress<'_>,
) -> Result<Updated, LayerError> {
    // Phase 1: fetch and resolve everything; nothing moves yet.
    let mut plans: Vec<(ClonedRepo, Oid, Vec<&LayerRef>)> = Vec::new();
    let fail = |plans: Vec<(ClonedRepo, Oid, Vec<&LayerRef>)>, e: LayerError| {
        for (clone, _, _) in plans {
            clone.discard_if_new();
        }
        Err(e)
    };
    for layer in layers {
        let LayerSource::Git { url, reference, .. } = &layer.source else {
            return fail(
                plans,
                LayerError::NotGit {
                    name: layer.name.clone(),
                },
            );
        };
        if let Some(plan) = plans.iter_mut().find(|(c, _, _)| c.url() == url) {
            plan.2.push(layer);
            continue;
        }
        // Invariant: a git layer always has a checkout directory.
        let Some(dir) = layer.checkout_dir(project_dir) else {
            continue;
        };
        let clone = match ClonedRepo::open_or_init(&dir, url) {
            Ok(clone) => clone,
            Err(e) => return fail(plans, e),
        };
        let resolved = clone
            .fetch(progress)
            .and_then(|()| clone.resolve(reference));
        match resolved {
            Ok(commit) => plans.push((clone, commit, vec![layer])),
            Err(e) => {
                clone.discard_if_new();
                return fail(plans, e);
            }
        }
    }
    // Phase 2: move the checkouts and read the layers; undo every move on failure.
    let mut updated = Updated::default();
    for (clone, commit, members) in plans {
        let previous = clone.head();
        let moved = clone.checkout(commit);
        updated.moved.push(Moved { clone, previous });
        if let Err(e) = moved {
            updated.roll_back();
            return Err(e);
        }
        for layer in members {
            match facts::read_project_layer(layer, project_dir) {
                Ok(facts) => {
                    let mut layer = layer.clone();
                    if let LayerSource::Git { commit: c, .. } = &mut layer.source {
                        *c = Some(commit.to_string());
                    }
                    layer.collections = facts.collections;
                    updated.layers.push(layer);
                }
                Err(e) => {
                    updated.roll_back();
                    return Err(e);
                }
            }
        }
    }
    Ok(updated)
}

/// `layers` with the facts of those not yet read filled in from their directories, where
/// those exist (local layers, and git layers already cloned).
pub fn with_facts(layers: &[LayerRef], project_dir: &Path) -> Vec<LayerRef> {
    layers
        .iter()
        .map(|layer| {
            let mut layer = layer.clone();
            if layer.collections.is_empty() {
                if let Ok(facts) = facts::read_project_layer(&layer, project_dir) {
                    layer.collections = facts.collections;
                }
            }
            layer
        })
        .collect()
}
