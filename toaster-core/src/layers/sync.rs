//! Keeping clones at the commits a revision records, when undo, revert or reset bring back
//! an older revision.

use std::path::{Path, PathBuf};

use super::git::ClonedRepo;
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
        let outcome = git2::Oid::from_str(commit)
            .map_err(|e| e.message().to_owned())
            .and_then(|oid| {
                let clone = ClonedRepo::open_or_init(&dir, url).map_err(|e| e.to_string())?;
                if clone.head() == Some(oid) {
                    return Ok(());
                }
                clone.checkout(oid).map_err(|e| e.to_string())
            });
        if let Err(reason) = outcome {
            warnings.push(format!(
                "the clone {} was left where it is, not at the recorded commit {commit}: {reason}",
                dir.display()
            ));
        }
    }
    warnings
}
