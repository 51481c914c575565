//! Keeping clones at the commits a revision records: when undo, revert or reset bring back
//! an older revision, and when a project is cloned into a new directory.

use std::path::{Path, PathBuf};

use super::git::{ClonedRepo, Progress};
use crate::model::{LayerRef, LayerSource};

/// Checks out each cloned repository of `layers` at the commit the revision records, where
/// it is elsewhere. A clone with local work is left as it is (its work is never thrown away)
/// and so is a commit the clone does not have; each such case comes back as a warning.
/// Repositories not cloned yet are left for `layer update`.
pub fn check_out_recorded(project_dir: &Path, layers: &[LayerRef]) -> Vec<String> {
    let mut warnings = Vec::new();
    let mut done: Vec<PathBuf> = Vec::new();
    for layer in layers {
        let LayerSource::Git {
            url,
            commit: Some(commit),
            ..
        } = &layer.source
        else {
            continue;
        };
        let Some(dir) = layer.checkout_dir(project_dir) else {
            continue;
        };
        if done.contains(&dir) || !dir.join(".git").exists() {
            continue;
        }
        done.push(dir.clone());
        if let Err(reason) = check_out(&dir, url, commit, None) {
            warnings.push(format!(
                "the clone {} was left where it is, not at the recorded commit {commit}: {reason}",
                dir.display()
            ));
        }
    }
    warnings
}

/// Gives a cloned project (in `to`) its own clone of each git repository of `layers`,
/// filled from the source project's clone in `from` (no network) and checked out at the
/// commit the configuration records. Repositories never fetched stay unfetched here too;
/// one that cannot be copied (the source's clone is gone, or lacks the commit) is named in
/// a warning.
pub fn copy_clones(from: &Path, to: &Path, layers: &[LayerRef]) -> Vec<String> {
    let mut warnings = Vec::new();
    let mut done: Vec<PathBuf> = Vec::new();
    for layer in layers {
        let LayerSource::Git {
            url,
            reference,
            commit: Some(commit),
            ..
        } = &layer.source
        else {
            continue;
        };
        let (Some(source), Some(target)) = (layer.checkout_dir(from), layer.checkout_dir(to))
        else {
            continue;
        };
        if done.contains(&target) {
            continue;
        }
        done.push(target.clone());
        let copied = if source.join(".git").exists() {
            copy_clone(&source, &target, url, commit)
        } else {
            Err(format!(
                "the source project has no clone in {}",
                source.display()
            ))
        };
        if let Err(reason) = copied {
            warnings.push(format!(
                "layer {} was not cloned into {}: {reason}; updating the new project's layers \
                 fetches it, at the newest commit of {reference} rather than the \
                 recorded {commit}",
                layer.name,
                target.display()
            ));
        }
    }
    warnings
}

/// Makes a clone of `url` in `target` from the clone in `source`, at `commit`; takes back
/// what it made (the clone, and `layers/` if it is left empty) when that fails.
fn copy_clone(source: &Path, target: &Path, url: &str, commit: &str) -> Result<(), String> {
    let oid = git2::Oid::from_str(commit).map_err(|e| e.message().to_owned())?;
    let clone = ClonedRepo::open_or_init(target, url).map_err(|e| e.to_string())?;
    match clone.fetch_from(source).and_then(|()| clone.checkout(oid)) {
        Ok(()) => Ok(()),
        Err(e) => {
            clone.discard_if_new();
            if let Some(layers_dir) = target.parent() {
                // Only removes an empty directory.
                let _ = std::fs::remove_dir(layers_dir);
            }
            Err(e.to_string())
        }
    }
}

/// Makes `layers` ready for a build: each local layer must be there, and each git
/// repository cloned (or fetched, when it lacks the commit) and checked out at the commit
/// the revision records; a clone with local work is left alone and named, never reset.
/// Returns what is not ready, one sentence each; empty when BitBake may start.
pub fn ready_for_build(
    project_dir: &Path,
    layers: &[LayerRef],
    progress: Progress<'_>,
) -> Vec<String> {
    let mut problems = Vec::new();
    let mut done: Vec<PathBuf> = Vec::new();
    for layer in layers {
        let path = layer.path(project_dir);
        match &layer.source {
            LayerSource::Local { .. } => {
                if !path.join("conf").join("layer.conf").is_file() {
                    problems.push(format!(
                        "layer {} is not at {} (no conf/layer.conf there)",
                        layer.name,
                        path.display()
                    ));
                }
            }
            LayerSource::Git { url, commit, .. } => {
                let Some(dir) = layer.checkout_dir(project_dir) else {
                    continue;
                };
                let Some(commit) = commit else {
                    problems.push(format!(
                        "layer {} ({url}) was never fetched: update the project's layers to fetch it",
                        layer.name
                    ));
                    continue;
                };
                if done.contains(&dir) {
                    continue;
                }
                done.push(dir.clone());
                if let Err(reason) = check_out(&dir, url, commit, Some(&mut *progress)) {
                    problems.push(format!(
                        "layer {} cannot be checked out at {commit} in {}: {reason}",
                        layer.name,
                        dir.display()
                    ));
                }
            }
        }
    }
    problems
}

/// Checks the clone of `url` in `dir` out at `commit`; says why not otherwise. With `fetch`,
/// a clone that lacks the commit is cloned or fetched first (one it made and could not
/// fill is removed), and one already at the commit must be clean; without, a clone already
/// at the commit is left as it is, local work and all.
fn check_out(
    dir: &Path,
    url: &str,
    commit: &str,
    fetch: Option<Progress<'_>>,
) -> Result<(), String> {
    let oid = git2::Oid::from_str(commit).map_err(|e| e.message().to_owned())?;
    let clone = ClonedRepo::open_or_init(dir, url).map_err(|e| e.to_string())?;
    match fetch {
        None if clone.head() == Some(oid) => return Ok(()),
        Some(progress) if !clone.has_commit(oid) => {
            if let Err(e) = clone.fetch(progress) {
                clone.discard_if_new();
                return Err(e.to_string());
            }
            if !clone.has_commit(oid) {
                clone.discard_if_new();
                return Err(format!("{url} has no commit {commit}"));
            }
        }
        _ => {}
    }
    clone.checkout(oid).map_err(|e| e.to_string())
}
