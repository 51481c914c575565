//! The kas `repos` of a configuration: one per git repository at one revision (its layers
//! grouped under it), one per local layer, and one for BitBake.
//!
//! BitBake: kas runs the `oe-init-build-env` it finds at the top of one of its repositories
//! (openembedded-core's, or poky's), and that script looks for BitBake in `bitbake/` inside
//! that repository, then in `bitbake/` beside it. So a BitBake repository of its own is the
//! repository `bitbake`, checked out to `KAS_WORK_DIR/bitbake` beside the others, with no
//! layers (`layers: {}`, as kas's own `oe-core-nodistro.yml` example does); BitBake in a
//! subdirectory of a layer repository (poky's layout) needs nothing more.

use std::path::Path;

use super::error::KasOutError;
use super::revision::{Revision, revision};
use super::yaml::quoted;
use crate::model::{LayerSource, ProjectConfig, shorten};

/// The repository id (and directory) kas's `oe-init-build-env` lookup needs for BitBake.
const BITBAKE: &str = "bitbake";

/// One entry of kas's `repos`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Repo {
    /// Its id, also its directory under `KAS_WORK_DIR` for a git repository.
    pub id: String,
    /// `url`: `None` for a local directory, which kas uses where it is.
    pub url: Option<String>,
    /// The revision (git repositories only).
    pub revision: Option<Revision>,
    /// `path`: the directory name for a git repository, the absolute directory of a
    /// local one.
    pub path: String,
    /// Layer directories inside it (`.` for the repository itself); empty for BitBake.
    pub layers: Vec<String>,
    /// Comment lines written above it.
    pub notes: Vec<String>,
}

/// Every repository of a configuration, with notes for the top of the file.
#[derive(Debug, Default)]
pub(super) struct Repos {
    /// In the order the layers first name them, BitBake's first.
    pub list: Vec<Repo>,
    /// Comment lines about the whole file.
    pub notes: Vec<String>,
}

impl Repos {
    /// A new repository entry whose id (unique among those so far) comes from `wanted`.
    fn push(&mut self, wanted: &str, mut repo: Repo) -> usize {
        repo.id = self.unique_id(wanted);
        if repo.url.is_some() {
            repo.path = repo.id.clone();
        }
        self.list.push(repo);
        self.list.len() - 1
    }

    fn unique_id(&self, wanted: &str) -> String {
        let base = directory_name(wanted).unwrap_or_else(|| "repository".to_owned());
        let taken = |id: &str| self.list.iter().any(|r| r.id == id);
        if !taken(&base) {
            return base;
        }
        (2..)
            .map(|n| format!("{base}-{n}"))
            .find(|id| !taken(id))
            .unwrap_or(base)
    }

    /// The git repository entry at `url` and `revision`, if there is one.
    fn git(&self, url: &str, revision: &Revision) -> Option<usize> {
        self.list
            .iter()
            .position(|r| r.url.as_deref() == Some(url) && r.revision.as_ref() == Some(revision))
    }
}

/// The repositories of `config`.
pub(super) fn repos(config: &ProjectConfig) -> Result<Repos, KasOutError> {
    let mut repos = Repos::default();
    let bitbake_subdir = bitbake(config, &mut repos)?;
    for layer in &config.layers {
        match &layer.source {
            LayerSource::Local { path } => {
                let path = absolute(&layer.name, path)?;
                let repo = Repo {
                    id: String::new(),
                    url: None,
                    revision: None,
                    path,
                    layers: vec![".".to_owned()],
                    notes: vec![format!(
                        "the local layer {}, used where it is (no version control)",
                        quoted(&layer.name)
                    )],
                };
                repos.push(&layer.name, repo);
            }
            LayerSource::Git {
                url,
                reference,
                subdir,
                commit,
            } => {
                let revision = revision(&layer.name, url, reference, commit.as_deref())?;
                let dir = subdirectory(&layer.name, subdir.as_deref())?;
                let at = match repos.git(url, &revision) {
                    Some(at) => at,
                    None => {
                        let notes = unpinned(&revision);
                        let repo = Repo {
                            id: String::new(),
                            url: Some(url.clone()),
                            revision: Some(revision.clone()),
                            path: String::new(),
                            layers: Vec::new(),
                            notes,
                        };
                        repos.push(&repository_name(url, &layer.name), repo)
                    }
                };
                if !repos.list[at].layers.contains(&dir) {
                    repos.list[at].layers.push(dir);
                }
            }
        }
    }
    if let Some((url, revision, subdir)) = bitbake_subdir {
        match repos.git(&url, &revision) {
            Some(at) => repos.list[at].notes.push(format!(
                "BitBake is its subdirectory {} (as in poky), where oe-init-build-env finds it",
                quoted(&subdir)
            )),
            None => {
                let repo = Repo {
                    id: String::new(),
                    url: Some(url),
                    revision: Some(revision.clone()),
                    path: String::new(),
                    layers: Vec::new(),
                    notes: vec![format!(
                        "BitBake is in its subdirectory {}: oe-init-build-env looks for it in bitbake/ beside the core layer's repository, so link it there",
                        quoted(&subdir)
                    )],
                };
                let at = repos.push("bitbake-repository", repo);
                repos.list[at].notes.extend(unpinned(&revision));
            }
        }
    }
    Ok(repos)
}

/// BitBake's repository entry, added first; for BitBake in a subdirectory of a git
/// repository, that repository, revision and subdirectory instead (settled once the
/// layers' repositories are known).
fn bitbake(
    config: &ProjectConfig,
    repos: &mut Repos,
) -> Result<Option<(String, Revision, String)>, KasOutError> {
    match &config.bitbake {
        None => {
            repos.notes.push(
                "The project has no BitBake chosen: add a repository \"bitbake\" (url, commit, layers: {}) for kas to find it"
                    .to_owned(),
            );
            Ok(None)
        }
        Some(LayerSource::Local { path }) => {
            let path = absolute(BITBAKE, path)?;
            let repo = Repo {
                id: String::new(),
                url: None,
                revision: None,
                path,
                layers: Vec::new(),
                notes: vec![
                    "BitBake, used where it is: oe-init-build-env finds it only in bitbake/ inside or beside the core layer's repository, so place or link it there"
                        .to_owned(),
                ],
            };
            repos.push(BITBAKE, repo);
            Ok(None)
        }
        Some(LayerSource::Git {
            url,
            reference,
            subdir,
            commit,
        }) => {
            let revision = revision(BITBAKE, url, reference, commit.as_deref())?;
            let dir = subdirectory(BITBAKE, subdir.as_deref())?;
            if dir != "." {
                return Ok(Some((url.clone(), revision, dir)));
            }
            let mut notes = vec![
                "BitBake, in bitbake/ beside the layers' repositories, where oe-init-build-env finds it"
                    .to_owned(),
            ];
            notes.extend(unpinned(&revision));
            let repo = Repo {
                id: String::new(),
                url: Some(url.clone()),
                revision: Some(revision),
                path: String::new(),
                layers: Vec::new(),
                notes,
            };
            repos.push(BITBAKE, repo);
            Ok(None)
        }
    }
}

/// The note for a repository without a recorded commit.
fn unpinned(revision: &Revision) -> Vec<String> {
    if revision.commit.is_some() {
        return Vec::new();
    }
    let what = match (&revision.branch, &revision.tag) {
        (Some(branch), _) => format!("the newest commit of branch {}", quoted(branch)),
        (_, Some(tag)) => format!("tag {}", quoted(tag)),
        _ => "its default branch".to_owned(),
    };
    vec![format!(
        "No commit recorded yet: kas checks out {what}. Fetch the project's layers and export again to pin it"
    )]
}

/// A local directory as kas's `path`: absolute, UTF-8.
fn absolute(layer: &str, path: &Path) -> Result<String, KasOutError> {
    if !path.is_absolute() {
        return Err(KasOutError::RelativePath {
            layer: layer.to_owned(),
            path: path.to_owned(),
        });
    }
    path.to_str()
        .map(str::to_owned)
        .ok_or_else(|| KasOutError::NonUtf8Path {
            layer: layer.to_owned(),
            path: path.to_owned(),
        })
}

/// A layer's directory inside its repository as kas's layer key: `a/b`, or `.` for the
/// repository itself. Absolute paths and `..` are refused.
fn subdirectory(layer: &str, subdir: Option<&str>) -> Result<String, KasOutError> {
    let subdir = subdir.unwrap_or("");
    let refuse = || KasOutError::Subdir {
        layer: layer.to_owned(),
        subdir: shorten(subdir),
    };
    if subdir.starts_with('/') {
        return Err(refuse());
    }
    let mut parts = Vec::new();
    for part in subdir.split('/') {
        match part {
            "" | "." => {}
            ".." => return Err(refuse()),
            part => parts.push(part),
        }
    }
    Ok(if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    })
}

/// The repository's name from its URL (`…/meta-yocto.git` → `meta-yocto`), else `layer`:
/// the name the project gives its clone.
fn repository_name(url: &str, layer: &str) -> String {
    let trimmed = url.trim_end_matches('/');
    let last = trimmed.rsplit(['/', ':']).next().unwrap_or(trimmed);
    let name = last.strip_suffix(".git").unwrap_or(last);
    match directory_name(name) {
        Some(_) if !matches!(name, "." | "..") => name.to_owned(),
        _ => layer.to_owned(),
    }
}

/// `wanted` as a directory name: letters, digits, `.`, `_`, `+` and `-` (others become
/// `-`), not starting with `.` or `-`; `None` when nothing is left.
fn directory_name(wanted: &str) -> Option<String> {
    let name: String = wanted
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '+' | '-') {
                c
            } else {
                '-'
            }
        })
        .collect();
    let name = name.trim_start_matches(['.', '-']);
    (!name.is_empty()).then(|| name.to_owned())
}
