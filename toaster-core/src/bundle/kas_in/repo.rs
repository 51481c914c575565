//! One entry of kas's `repos`, resolved as `Repo.factory` resolves it: its ref from its own
//! keys (a key written as null cancels the default), else `defaults.repos`; then
//! `overrides.repos.ID` on top (unless the old `refspec` is used, which an override's
//! `commit` replaces); its URL, refs and layer paths checked; its enabled layers.

use std::path::{Path, PathBuf};

use super::confine::lexical as fold;
use super::error::{KasInError, RepoProblem};
use super::node::{Node, Value};
use super::repos::Places;
use super::schema::is_disabled;
use super::source::Sources;
use crate::layers::url::{self, Url};
use crate::layers::{LayerError, check_name, check_ref, check_subdir};
use crate::model::{LayerRef, LayerSource, shorten};

/// A layer with kas's sort key.
pub(super) struct Sorted {
    /// `prio`.
    pub prio: i128,
    /// The repository's name.
    pub repo: String,
    /// The layer's path as written.
    pub key: String,
    /// The layer.
    pub layer: LayerRef,
}

/// One repository entry, resolved as kas resolves it.
pub(super) struct Repo<'a> {
    id: &'a str,
    /// The entry (`None` for `ID:` with nothing).
    node: Option<&'a Node>,
    /// Its directory name: `name`, else the id.
    pub name: String,
    /// `Some` for a git repository: the URL to clone.
    url: Option<String>,
    /// What to check out (git).
    pub reference: String,
    /// The pinned commit (git).
    pub commit: Option<String>,
    /// For a local repository: its directory.
    dir: PathBuf,
    /// A Mercurial repository (not taken).
    pub hg: bool,
}

impl<'a> Repo<'a> {
    pub fn read(
        id: &'a str,
        node: &'a Node,
        defaults: Option<&'a Node>,
        overrides: Option<&'a Node>,
        places: &Places<'_>,
    ) -> Result<Repo<'a>, KasInError> {
        let entry = (!node.is_null()).then_some(node);
        let file = |n: &Node| places.sources.path(n.at.file).to_owned();
        let key = |k: &str| format!("repos.{id}.{k}");
        let own = |k: &str| entry.and_then(|e| e.get(k));
        // A key written in the entry wins, even as null; else `defaults.repos`.
        let with_default = |k: &str| match own(k) {
            Some(n) => Some(n),
            None => defaults.and_then(|d| d.get(k)),
        };
        let name_node = own("name");
        let name = name_node.and_then(Node::as_str).unwrap_or(id).to_owned();
        check_name(&name).map_err(|source| KasInError::Layer {
            file: file(name_node.unwrap_or(node)),
            line: name_node.unwrap_or(node).at.line,
            key: name_node.map_or_else(|| format!("repos.{id}"), |_| key("name")),
            source: Box::new(source),
        })?;
        let mut url = own("url").filter(|n| !n.is_null());
        let mut commit = own("commit").filter(|n| !n.is_null());
        let tag = with_default("tag").filter(|n| !n.is_null());
        let mut branch = with_default("branch").filter(|n| !n.is_null());
        let mut refspec = with_default("refspec").filter(|n| !n.is_null());
        let repo_error = |problem, at: &Node| KasInError::Repo {
            file: file(at),
            line: at.at.line,
            repo: id.to_owned(),
            problem,
        };
        let no_ref = commit.is_none() && tag.is_none() && branch.is_none() && refspec.is_none();
        if no_ref && url.is_some() {
            return Err(repo_error(RepoProblem::NoRef, node));
        }
        let overridden = |k: &str| overrides.and_then(|o| o.get(k));
        if refspec.is_none() {
            if let Some(n) = overridden("commit") {
                commit = (!n.is_null()).then_some(n);
            }
            if let Some(n) = overridden("branch") {
                branch = (!n.is_null()).then_some(n);
            }
            if let Some(n) = overridden("url") {
                url = Some(n);
            }
        } else {
            if commit.is_some() || tag.is_some() || branch.is_some() {
                return Err(repo_error(RepoProblem::RefspecMixed, node));
            }
            if let Some(n) = overridden("commit") {
                refspec = (!n.is_null()).then_some(n);
            }
        }
        let hg = own("type").and_then(Node::as_str) == Some("hg");
        let mut repo = Repo {
            id,
            node: entry,
            name,
            url: None,
            reference: String::new(),
            commit: None,
            dir: PathBuf::new(),
            hg,
        };
        let Some(url) = url else {
            repo.dir = match own("path").filter(|n| !n.is_null()) {
                Some(path) => {
                    let text = path.as_str().unwrap_or_default();
                    fold(&places.dir.join(text))
                }
                None => places.root.to_path_buf(),
            };
            return Ok(repo);
        };
        let url_text = url.as_str().unwrap_or_default();
        repo.url = Some(match url::check(url_text) {
            Ok(Url::Remote(u)) => u,
            Ok(Url::Path(p)) => {
                let base = places
                    .sources
                    .path(url.at.file)
                    .parent()
                    .unwrap_or(places.dir);
                fold(&base.join(p)).to_string_lossy().into_owned()
            }
            Err(reason) => {
                return Err(KasInError::Url {
                    file: file(url),
                    line: url.at.line,
                    key: key("url"),
                    url: shorten(url_text),
                    reason,
                });
            }
        });
        let checked = |n: Option<&Node>, k: &str| -> Result<Option<String>, KasInError> {
            let Some(n) = n else { return Ok(None) };
            let text = n.as_str().unwrap_or_default();
            check_ref(text).map_err(|source| KasInError::Layer {
                file: file(n),
                line: n.at.line,
                key: key(k),
                source: Box::new(source),
            })?;
            Ok(Some(text.to_owned()))
        };
        let tag = checked(tag, "tag")?;
        let branch = checked(branch, "branch")?;
        let refspec = checked(refspec, "refspec")?;
        let commit = match commit {
            Some(n) => {
                let text = n.as_str().unwrap_or_default();
                if !is_full_commit(text) {
                    return Err(KasInError::Commit {
                        file: file(n),
                        line: n.at.line,
                        key: key("commit"),
                        commit: shorten(text),
                    });
                }
                Some(text.to_ascii_lowercase())
            }
            None => None,
        };
        let reference = tag
            .or(branch)
            .or_else(|| refspec.clone())
            .or_else(|| commit.clone());
        let Some(reference) = reference else {
            // Only an override of `commit` to null can leave nothing to check out.
            return Err(repo_error(RepoProblem::NoRef, overrides.unwrap_or(node)));
        };
        repo.commit = commit.or_else(|| {
            refspec
                .filter(|r| is_full_commit(r))
                .map(|r| r.to_ascii_lowercase())
        });
        repo.reference = reference;
        Ok(repo)
    }

    /// Whether this is poky (by its name or its URL's last part), which has BitBake in
    /// `bitbake/`.
    pub fn is_poky(&self) -> bool {
        let from_url = self.url.as_deref().map(|u| {
            let last = u
                .trim_end_matches('/')
                .rsplit(['/', ':'])
                .next()
                .unwrap_or(u);
            last.strip_suffix(".git").unwrap_or(last) == "poky"
        });
        self.name == "poky" || from_url == Some(true)
    }

    /// Notes on what the entry has that a project cannot hold.
    pub fn note(&self, sources: &Sources, notes: &mut Vec<String>) {
        let Some(entry) = self.node else { return };
        let id = shorten(self.id);
        let place = |n: &Node| format!("{}: repos.{id}", sources.short(n.at.file));
        if self.hg {
            notes.push(format!(
                "{}: a Mercurial repository, which Toaster cannot clone: its layers are left out; add them as local layers",
                place(entry)
            ));
        }
        if let Some(patches) = entry.get("patches").and_then(Node::entries) {
            let ids: Vec<&str> = patches
                .iter()
                .filter(|(_, p)| !p.is_null())
                .map(|(k, _)| k.as_str())
                .collect();
            if !ids.is_empty() {
                notes.push(format!(
                    "{}: patches {} are NOT applied: Toaster checks out the repository as it is; apply them in a fork or a bbappend",
                    place(entry),
                    shorten(&ids.join(", "))
                ));
            }
        }
        if entry
            .get("signed")
            .is_some_and(|s| s.value == Value::Bool(true))
        {
            notes.push(format!(
                "{}: signature checks (`signed`, `allowed_signers`) not imported: Toaster does not verify signatures",
                place(entry)
            ));
        }
        if self.url.is_some() {
            // kas's default checkout is `KAS_WORK_DIR/NAME`; another place is noted.
            let elsewhere = entry.get_some("path").filter(|p| {
                p.as_str()
                    .is_some_and(|p| p.trim_end_matches('/') != self.name)
            });
            if let Some(path) = elsewhere {
                notes.push(format!(
                    "{}: path `{}` not kept: the project clones into its own layers/ directory",
                    place(path),
                    shorten(path.as_str().unwrap_or_default())
                ));
            }
        } else if let Some(path) = entry
            .get_some("path")
            .filter(|p| p.as_str().is_some_and(|p| !Path::new(p).is_absolute()))
        {
            notes.push(format!(
                "{}: path `{}` taken as {} (beside the kas file; kas takes it from KAS_WORK_DIR)",
                place(path),
                shorten(path.as_str().unwrap_or_default()),
                self.dir.display()
            ));
        }
    }

    /// Where the repository comes from, with `subdir` inside it.
    pub fn source(&self, subdir: Option<String>) -> LayerSource {
        match &self.url {
            Some(url) => LayerSource::Git {
                url: url.clone(),
                reference: self.reference.clone(),
                subdir,
                commit: self.commit.clone(),
            },
            None => LayerSource::Local {
                path: match subdir {
                    Some(subdir) => self.dir.join(subdir),
                    None => self.dir.clone(),
                },
            },
        }
    }

    /// The enabled layers, with their sort keys.
    pub fn layers(&self, places: &Places<'_>) -> Result<Vec<Sorted>, KasInError> {
        let declared = self.node.and_then(|n| n.get("layers"));
        let Some(declared) = declared else {
            return Ok(vec![self.layer("", None, 0)]);
        };
        let mut out = Vec::new();
        for (key, value) in declared.entries().unwrap_or_default() {
            let prio = match &value.value {
                Value::Null => 0,
                Value::Map(_) => match value.get("prio").map(|p| &p.value) {
                    Some(Value::Int(n)) => *n,
                    _ => 0,
                },
                Value::Str(s) if is_disabled(s) => continue,
                _ => continue,
            };
            let layer_key = format!("repos.{}.layers.{key}", self.id);
            let bad = |source: LayerError| KasInError::Layer {
                file: places.sources.path(value.at.file).to_owned(),
                line: value.at.line,
                key: layer_key.clone(),
                source: Box::new(source),
            };
            let subdir = check_subdir(key).map_err(bad)?;
            let layer = self.layer(key, subdir, prio);
            check_name(&layer.layer.name).map_err(bad)?;
            out.push(layer);
        }
        Ok(out)
    }

    /// A layer named after its directory (the repository's name for the repository
    /// itself); `meta`, OpenEmbedded-Core's layer in oe-core and poky, by its layer-index
    /// name `openembedded-core`, as Toaster names it.
    fn layer(&self, key: &str, subdir: Option<String>, prio: i128) -> Sorted {
        let name = match subdir.as_deref().and_then(|s| s.rsplit('/').next()) {
            Some("meta") => "openembedded-core".to_owned(),
            Some(dir) => dir.to_owned(),
            None => self.name.clone(),
        };
        Sorted {
            prio,
            repo: self.name.clone(),
            key: key.to_owned(),
            layer: LayerRef {
                name,
                source: self.source(subdir),
                collections: Vec::new(),
            },
        }
    }
}

/// A full commit id: 40 (SHA-1) or 64 (SHA-256) hex digits.
fn is_full_commit(text: &str) -> bool {
    matches!(text.len(), 40 | 64) && text.chars().all(|c| c.is_ascii_hexdigit())
}
