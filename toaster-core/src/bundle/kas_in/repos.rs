//! `repos` as the project's layers: each entry resolved (see `repo`), its enabled layers
//! (`layers` absent: the repository itself is the layer; `disabled` and its old spellings
//! leave a layer out) in kas's `BBLAYERS` order: higher `prio` first, then repository
//! name, then layer path. A repository with a `url` gives git layers at its branch, tag or
//! commit; one with only a `path` (relative: to the kas file's directory), or neither (the
//! repository the kas file is in), gives local layers. A repository `bitbake` without
//! layers is the project's BitBake; without one, poky's `bitbake/` is.

use std::collections::HashMap;
use std::path::Path;

use super::error::KasInError;
use super::node::Node;
use super::repo::{Repo, Sorted};
use super::source::Sources;
use crate::model::{LayerRef, LayerSource, shorten};

/// What the repositories give the project.
#[derive(Debug, Default)]
pub(super) struct RepoLayers {
    /// The layers, in kas's `BBLAYERS` order.
    pub layers: Vec<LayerRef>,
    /// The project's BitBake, when a repository provides it.
    pub bitbake: Option<LayerSource>,
}

/// Where relative paths start.
pub(super) struct Places<'a> {
    /// The files read.
    pub sources: &'a Sources,
    /// The kas file's directory.
    pub dir: &'a Path,
    /// The repository the kas file is in.
    pub root: &'a Path,
}

/// Reads `repos` of the merged configuration `config`.
pub(super) fn read(
    config: &Node,
    places: &Places<'_>,
    notes: &mut Vec<String>,
) -> Result<RepoLayers, KasInError> {
    let mut out = RepoLayers::default();
    let Some(repos) = config.get("repos").and_then(Node::entries) else {
        return Ok(out);
    };
    let place = |n: &Node| places.sources.short(n.at.file);
    let defaults = config.get("defaults").and_then(|d| d.get("repos"));
    let override_entries = config
        .get("overrides")
        .and_then(|o| o.get("repos"))
        .and_then(Node::entries)
        .unwrap_or_default();
    let overrides: HashMap<&str, &Node> = override_entries
        .iter()
        .map(|(k, v)| (k.as_str(), v))
        .collect();
    let known: HashMap<&str, ()> = repos.iter().map(|(k, _)| (k.as_str(), ())).collect();
    for (id, node) in override_entries {
        if !known.contains_key(id.as_str()) {
            notes.push(format!(
                "{}: overrides.repos.{}: no repository `{}` in the kas file, ignored (as kas does)",
                place(node),
                shorten(id),
                shorten(id)
            ));
        }
    }
    let mut sorted: Vec<(Sorted, String)> = Vec::new();
    let mut poky: Option<(LayerSource, String)> = None;
    // URL → (repository id, reference and commit), to see one URL at two refs.
    type Revision = (String, Option<String>);
    let mut clones: HashMap<String, (String, Revision)> = HashMap::new();
    for (id, node) in repos {
        let repo = Repo::read(
            id,
            node,
            defaults,
            overrides.get(id.as_str()).copied(),
            places,
        )?;
        repo.note(places.sources, notes);
        if repo.hg {
            continue;
        }
        let layers = repo.layers(places)?;
        if layers.is_empty() {
            if (id == "bitbake" || repo.name == "bitbake") && out.bitbake.is_none() {
                out.bitbake = Some(repo.source(None));
                notes.push(format!(
                    "{}: repos.{id}: taken as the project's BitBake (a repository `bitbake` without layers)",
                    place(node)
                ));
            } else {
                notes.push(format!(
                    "{}: repos.{}: no layers enabled, nothing taken from it",
                    place(node),
                    shorten(id)
                ));
            }
            continue;
        }
        if repo.is_poky() && poky.is_none() {
            let at = format!("{}: repos.{}", place(node), shorten(id));
            poky = Some((repo.source(Some("bitbake".to_owned())), at));
        }
        let at = place(node);
        if let Some(LayerSource::Git { url, .. }) = layers.first().map(|l| &l.layer.source) {
            let revision = (repo.reference.clone(), repo.commit.clone());
            match clones.get(url.as_str()) {
                Some((other, theirs)) if *theirs != revision => notes.push(format!(
                    "{at}: repos.{}: clones {} as repos.{} does, at another ref: a project clones a URL once, so the layers' refs will clash; use one ref",
                    shorten(id),
                    shorten(url),
                    shorten(other)
                )),
                Some(_) => {}
                None => {
                    clones.insert(url.clone(), (id.clone(), revision));
                }
            }
        }
        sorted.extend(layers.into_iter().map(|l| (l, at.clone())));
    }
    if out.bitbake.is_none() {
        if let Some((source, at)) = poky {
            notes.push(format!(
                "{at}: its bitbake/ taken as the project's BitBake (there is no repository `bitbake`)"
            ));
            out.bitbake = Some(source);
        }
    }
    sorted.sort_by(|(a, _), (b, _)| (-a.prio, &a.repo, &a.key).cmp(&(-b.prio, &b.repo, &b.key)));
    let mut names: Vec<String> = Vec::new();
    for (entry, at) in sorted {
        let mut layer = entry.layer;
        if names.contains(&layer.name) {
            let wanted = format!("{}-{}", entry.repo, layer.name);
            let unique = std::iter::once(wanted.clone())
                .chain((2..).map(|n| format!("{wanted}-{n}")))
                .find(|n| !names.contains(n))
                .unwrap_or(wanted);
            notes.push(format!(
                "{at}: repos.{}: layer `{}` is named `{unique}`, as another layer is named `{}`",
                entry.repo, entry.key, layer.name
            ));
            layer.name = unique;
        }
        names.push(layer.name.clone());
        out.layers.push(layer);
    }
    Ok(out)
}
