//! Turning what a user asks for (a local directory, or a git URL with a ref and a
//! subdirectory) into a layer of the project: inputs checked, the repository cloned or
//! reused, the ref resolved to a commit, the layer read, and the other layers its sources
//! offer found.

use std::path::{Component, Path, PathBuf};

use super::discover::{self, Found};
use super::facts::{self, LayerFacts};
use super::git::{ClonedRepo, Progress};
use super::{FetchFailure, LayerError};
use crate::model::{LayerRef, LayerSource, Release};

/// Where a layer to add comes from, as the user gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LayerRequest {
    /// A directory used where it is.
    Local {
        /// The layer directory.
        path: PathBuf,
    },
    /// A git repository.
    Git {
        /// What git clones from: a URL or a path.
        url: String,
        /// A branch, tag or commit; default: the ref other layers of this repository use,
        /// else the release's branch if the repository has it, else its default branch.
        reference: Option<String>,
        /// The layer's directory inside the repository.
        subdir: Option<String>,
    },
}

/// A layer made ready to add: checked out and read, with the layers its sources offer.
#[derive(Debug)]
pub struct Prepared {
    /// The layer, with its resolved commit and facts.
    pub layer: LayerRef,
    /// Other layers the same sources provide, for `--with-dependencies`.
    pub candidates: Vec<LayerRef>,
    /// The clone, when the layer comes from git.
    pub clone: Option<ClonedRepo>,
    /// Worth telling (a stale clone that could not be fetched again was used as it was).
    pub warnings: Vec<String>,
}

/// Checks a git URL that came from outside (a bundle): an absolute path, or a URL git
/// fetches with a plain transport (see [`super::url::check`]); transports that run programs
/// (`ext::`, `fd::`) and anything that could read as an option are refused.
pub fn check_url(url: &str) -> Result<(), LayerError> {
    let refuse = |message: &str| LayerError::Unreachable {
        url: url.to_owned(),
        message: message.to_owned(),
        reason: FetchFailure::Url,
    };
    match super::url::check(url) {
        Ok(super::url::Url::Remote(_)) => Ok(()),
        Ok(super::url::Url::Path(path)) if path.starts_with('/') => Ok(()),
        Ok(super::url::Url::Path(_)) => Err(refuse("a relative path names no repository here")),
        Err(reason) => Err(refuse(reason)),
    }
}

/// Checks a layer name: 1 to 100 of letters, digits, `-`, `_`, `.`, `+`.
pub fn check_name(name: &str) -> Result<(), LayerError> {
    let bad = |reason| LayerError::BadName {
        name: name.to_owned(),
        reason,
    };
    if name.is_empty() || name.len() > 100 {
        return Err(bad("it is empty or longer than 100 characters"));
    }
    if name.starts_with(['.', '-']) {
        return Err(bad("it starts with `.` or `-`"));
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '+'))
    {
        return Err(bad(
            "it holds characters other than letters, digits, `-`, `_`, `.`, `+`",
        ));
    }
    Ok(())
}

/// Checks a subdirectory: relative, without `..`, inside the repository. Returns it
/// normalised (`./meta/` is `meta`), or `None` for the top.
pub fn check_subdir(subdir: &str) -> Result<Option<String>, LayerError> {
    let escapes = |reason| LayerError::SubdirEscapes {
        subdir: subdir.to_owned(),
        reason,
    };
    let mut parts = Vec::new();
    for component in Path::new(subdir).components() {
        match component {
            Component::Normal(part) => {
                let part = part.to_str().ok_or_else(|| escapes("it is not UTF-8"))?;
                if part == ".git" {
                    return Err(escapes("it names the repository's `.git`"));
                }
                parts.push(part);
            }
            Component::CurDir => {}
            Component::ParentDir => return Err(escapes("it contains `..`")),
            Component::RootDir | Component::Prefix(_) => {
                return Err(escapes("it is absolute"));
            }
        }
    }
    if subdir.chars().any(char::is_control) {
        return Err(escapes("it contains control characters"));
    }
    Ok((!parts.is_empty()).then(|| parts.join("/")))
}

/// Checks a requested ref: one word, no control characters, not an option.
pub fn check_ref(reference: &str) -> Result<(), LayerError> {
    let bad = |reason| LayerError::BadRef {
        reference: reference.to_owned(),
        reason,
    };
    if reference.is_empty() || reference.len() > 255 {
        return Err(bad("it is empty or longer than 255 characters"));
    }
    if reference.starts_with('-') {
        return Err(bad("it starts with `-`"));
    }
    if reference
        .chars()
        .any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(bad("it contains whitespace or control characters"));
    }
    if reference.contains("..") {
        return Err(bad("it contains `..`"));
    }
    Ok(())
}

/// Prepares the layer `request` names for the project in `project_dir` that has `present`
/// layers. A clone made here is removed again when anything fails.
pub fn prepare(
    project_dir: &Path,
    present: &[LayerRef],
    request: &LayerRequest,
    name: Option<&str>,
    release: Release,
    progress: Progress<'_>,
) -> Result<Prepared, LayerError> {
    if let Some(name) = name {
        check_name(name)?;
    }
    let mut prepared = match request {
        LayerRequest::Local { path } => prepare_local(path)?,
        LayerRequest::Git {
            url,
            reference,
            subdir,
        } => prepare_git(
            project_dir,
            present,
            url,
            reference.as_deref(),
            subdir.as_deref(),
            release,
            progress,
        )?,
    };
    if let Some(name) = name {
        prepared.layer.name = name.to_owned();
    } else if let Err(e) = check_name(&prepared.layer.name) {
        if let Some(clone) = prepared.clone.take() {
            clone.discard_if_new();
        }
        return Err(e);
    }
    // Layers of repositories the project already uses are offered too.
    let mut seen = Vec::new();
    for layer in present {
        let Some(dir) = layer.checkout_dir(project_dir) else {
            continue;
        };
        if !dir.is_dir() || seen.contains(&dir) {
            continue;
        }
        seen.push(dir.clone());
        if let Ok(found) = discover::discover_in_repository(&dir, &dir) {
            prepared
                .candidates
                .extend(found.into_iter().filter_map(|f| {
                    let facts = f.facts.ok()?;
                    Some(layer_at(&layer.source, subdir_text(&f.subdir), facts))
                }));
        }
    }
    Ok(prepared)
}

fn subdir_text(subdir: &Path) -> Option<String> {
    let text = subdir.to_string_lossy().into_owned();
    (!text.is_empty()).then_some(text)
}

/// A layer of the same source as `source`, at `subdir` (git) or `facts.dir` (local).
fn layer_at(source: &LayerSource, subdir: Option<String>, facts: LayerFacts) -> LayerRef {
    let source = match source {
        LayerSource::Local { .. } => LayerSource::Local {
            path: facts.dir.clone(),
        },
        LayerSource::Git {
            url,
            reference,
            commit,
            ..
        } => LayerSource::Git {
            url: url.clone(),
            reference: reference.clone(),
            subdir,
            commit: commit.clone(),
        },
    };
    LayerRef {
        name: facts.suggested_name(),
        source,
        collections: facts.collections,
    }
}

/// Layers found below `top` other than `except`, as layers of `source` (a git source's
/// read only inside its repository, `top`).
fn siblings(top: &Path, except: &Path, source: &LayerSource) -> Vec<LayerRef> {
    let found = match source {
        LayerSource::Git { .. } => discover::discover_in_repository(top, top),
        LayerSource::Local { .. } => discover::discover(top),
    };
    found
        .unwrap_or_default()
        .into_iter()
        .filter_map(|f: Found| {
            let facts = f.facts.ok()?;
            (facts.dir != except).then(|| layer_at(source, subdir_text(&f.subdir), facts))
        })
        .collect()
}

/// Reads `dir` (inside the git repository checked out at `repository`, if given); when it
/// is not a layer, lists the layers found below it.
fn read_or_list(dir: &Path, repository: Option<&Path>) -> Result<LayerFacts, LayerError> {
    let read = match repository {
        Some(repository) => facts::read_in_repository(dir, repository),
        None => facts::read(dir),
    };
    match read {
        Err(LayerError::NotALayer {
            path,
            reason,
            found,
        }) if dir.is_dir() && found.is_empty() => Err(LayerError::NotALayer {
            found: match repository {
                Some(repository) => discover::discover_in_repository(dir, repository),
                None => discover::discover(dir),
            }
            .unwrap_or_default()
            .iter()
            .map(Found::label)
            .collect(),
            path,
            reason,
        }),
        other => other,
    }
}

fn prepare_local(path: &Path) -> Result<Prepared, LayerError> {
    let absolute = std::path::absolute(path).map_err(LayerError::io(path))?;
    let facts = read_or_list(&absolute, None)?;
    let source = LayerSource::Local {
        path: facts.dir.clone(),
    };
    // Its neighbours: the other layers of the git work tree it is in, else of its parent.
    let top = git2::Repository::discover(&facts.dir)
        .ok()
        .and_then(|r| r.workdir().map(Path::to_path_buf))
        .and_then(|w| std::fs::canonicalize(w).ok())
        .or_else(|| facts.dir.parent().map(Path::to_path_buf));
    let candidates = top
        .map(|top| siblings(&top, &facts.dir, &source))
        .unwrap_or_default();
    Ok(Prepared {
        layer: layer_at(&source, None, facts),
        candidates,
        warnings: Vec::new(),
        clone: None,
    })
}

fn prepare_git(
    project_dir: &Path,
    present: &[LayerRef],
    url: &str,
    reference: Option<&str>,
    subdir: Option<&str>,
    release: Release,
    progress: Progress<'_>,
) -> Result<Prepared, LayerError> {
    let subdir = subdir.map(check_subdir).transpose()?.flatten();
    if let Some(reference) = reference {
        check_ref(reference)?;
    }
    if url.trim().is_empty() || url.chars().any(char::is_control) {
        return Err(LayerError::Unreachable {
            url: url.to_owned(),
            message: "it is empty or holds control characters".to_owned(),
            reason: FetchFailure::Url,
        });
    }
    // A repository given by its path is recorded absolute, so it is found from anywhere.
    let url = match std::fs::canonicalize(url) {
        Ok(path) if !url.contains("://") => path.to_string_lossy().into_owned(),
        _ => url.to_owned(),
    };
    let url = url.as_str();
    check_url(url)?;
    let probe = LayerRef {
        name: "repository".to_owned(),
        source: LayerSource::Git {
            url: url.to_owned(),
            reference: String::new(),
            subdir: None,
            commit: None,
        },
        collections: Vec::new(),
    };
    // Invariant: a git layer always has a checkout directory (the fallback is never used).
    let checkout = probe
        .checkout_dir(project_dir)
        .unwrap_or_else(|| project_dir.join("layers").join(&probe.name));
    // Layers of the same repository share its checkout, hence its ref and commit.
    let mut sharing = None;
    for layer in present {
        if let LayerSource::Git {
            url: other,
            reference: used,
            commit,
            ..
        } = &layer.source
        {
            if other == url {
                if let Some(wanted) = reference.filter(|r| r != used) {
                    return Err(LayerError::RefClash {
                        url: url.to_owned(),
                        layer: layer.name.clone(),
                        existing: used.clone(),
                        requested: wanted.to_owned(),
                    });
                }
                sharing = Some((used.clone(), commit.clone()));
            } else if layer.checkout_dir(project_dir).as_deref() == Some(checkout.as_path()) {
                return Err(LayerError::CloneDirTaken {
                    dir: checkout,
                    url: url.to_owned(),
                    found: format!("the clone of {other} for layer `{}`", layer.name),
                });
            }
        }
    }
    let clone = ClonedRepo::open_or_init(&checkout, url)?;
    match checkout_layer(&clone, reference, sharing, subdir, release, progress) {
        Ok((layer, candidates, warnings)) => Ok(Prepared {
            layer,
            candidates,
            clone: Some(clone),
            warnings,
        }),
        Err(e) => {
            clone.discard_if_new();
            Err(e)
        }
    }
}

fn checkout_layer(
    clone: &ClonedRepo,
    reference: Option<&str>,
    sharing: Option<(String, Option<String>)>,
    subdir: Option<String>,
    release: Release,
    progress: Progress<'_>,
) -> Result<(LayerRef, Vec<LayerRef>, Vec<String>), LayerError> {
    // Fetch unless another layer of the project uses this clone (its pinned commit is
    // used). A clone left from a removed layer may be stale: fetched again, or, offline,
    // used as it is with a warning.
    let mut warnings = Vec::new();
    if !clone.has_refs() {
        clone.fetch(progress)?;
    } else if sharing.is_none() {
        if let Err(e) = clone.fetch(progress) {
            warnings.push(format!(
                "{e}; used the branches and tags the clone {} had from before",
                clone.dir().display()
            ));
        }
    }
    let (reference, pinned) = match (reference, sharing) {
        (_, Some((used, commit))) => (used, commit),
        (Some(reference), None) => (reference.to_owned(), None),
        (None, None) if clone.has_branch(release.branch()) => (release.branch().to_owned(), None),
        (None, None) => match clone.default_branch()? {
            Some(branch) => (branch, None),
            None => {
                return Err(LayerError::BadRef {
                    reference: String::new(),
                    reason: "none was given and the repository names no default branch",
                });
            }
        },
    };
    let commit = match pinned.as_deref().map(git2::Oid::from_str) {
        Some(Ok(oid)) => oid,
        _ => clone.resolve(&reference)?,
    };
    clone.checkout(commit)?;
    let top = std::fs::canonicalize(clone.dir()).map_err(LayerError::io(clone.dir()))?;
    let url = clone.url().to_owned();
    let dir = match &subdir {
        Some(subdir) => {
            let wanted = top.join(subdir);
            let missing = || LayerError::SubdirMissing {
                url: url.clone(),
                reference: reference.clone(),
                subdir: subdir.clone(),
            };
            let real = std::fs::canonicalize(&wanted).map_err(|_| missing())?;
            if !real.starts_with(&top) {
                return Err(LayerError::SubdirEscapes {
                    subdir: subdir.clone(),
                    reason: "a symbolic link in it points outside",
                });
            }
            if !real.is_dir() {
                return Err(missing());
            }
            real
        }
        None => top.clone(),
    };
    let facts = read_or_list(&dir, Some(&top))?;
    let source = LayerSource::Git {
        url,
        reference,
        subdir: subdir.clone(),
        commit: Some(commit.to_string()),
    };
    let candidates = siblings(&top, &facts.dir, &source);
    Ok((layer_at(&source, subdir, facts), candidates, warnings))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subdirectories_stay_inside() {
        assert_eq!(
            check_subdir("./meta-poky/").unwrap().as_deref(),
            Some("meta-poky")
        );
        assert_eq!(check_subdir("a/b").unwrap().as_deref(), Some("a/b"));
        assert_eq!(check_subdir(".").unwrap(), None);
        for bad in ["../x", "a/../../x", "/etc", ".git/hooks", "a/.."] {
            assert!(
                matches!(check_subdir(bad), Err(LayerError::SubdirEscapes { .. })),
                "{bad}"
            );
        }
    }

    #[test]
    fn names_and_refs_are_checked() {
        assert!(check_name("meta-oe").is_ok());
        for bad in ["", "-x", "a b", "a/b", ".hidden"] {
            assert!(check_name(bad).is_err(), "{bad:?}");
        }
        assert!(check_ref("scarthgap").is_ok());
        assert!(check_ref("v1.0").is_ok());
        for bad in ["", "--upload-pack=x", "a b", "a..b"] {
            assert!(check_ref(bad).is_err(), "{bad:?}");
        }
    }
}
