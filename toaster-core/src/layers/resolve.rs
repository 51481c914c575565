//! The checks made when layers are added, removed or updated: names and collections
//! unique, dependencies present (or taken from the known sources on request) in the
//! versions asked for, no cycles, the release series supported; and the order BitBake
//! reads them in (dependencies first). Pure functions over layer lists.

use std::cmp::Reverse;
use std::collections::{BTreeSet, BinaryHeap, HashMap, HashSet};
use std::fmt;

use super::error::{Dependent, LayerError, Missing};
use super::version;
use crate::model::{Collection, LayerRef, LayerSource, Release};

/// What a check asks for beyond the rules.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// Add missing dependencies that the known sources provide.
    pub with_dependencies: bool,
    /// Accept layers that do not list the project's release series.
    pub force: bool,
}

/// The layers after a change, and what to tell the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// Every layer of the project, in the order BitBake reads them.
    pub layers: Vec<LayerRef>,
    /// The layers added (the one asked for first, then its dependencies).
    pub added: Vec<String>,
    /// Accepted, but worth a look.
    pub warnings: Vec<String>,
}

/// The source without the resolved commit, to tell "the same layer again" from a clash.
fn same_place(a: &LayerSource, b: &LayerSource) -> bool {
    match (a, b) {
        (LayerSource::Local { path: x }, LayerSource::Local { path: y }) => x == y,
        (
            LayerSource::Git {
                url: u1,
                subdir: s1,
                ..
            },
            LayerSource::Git {
                url: u2,
                subdir: s2,
                ..
            },
        ) => u1 == u2 && s1 == s2,
        _ => false,
    }
}

/// Where a layer comes from, for messages: its path, or `URL @ REF[, SUBDIR]`.
impl fmt::Display for LayerSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LayerSource::Local { path } => write!(f, "{}", path.display()),
            LayerSource::Git {
                url,
                reference,
                subdir,
                ..
            } => match subdir {
                Some(subdir) => write!(f, "{url} @ {reference}, {subdir}"),
                None => write!(f, "{url} @ {reference}"),
            },
        }
    }
}

/// Which layer defines each collection, and the collection itself.
fn owners(layers: &[LayerRef]) -> HashMap<&str, (usize, &Collection)> {
    let mut map = HashMap::new();
    for (i, layer) in layers.iter().enumerate() {
        for c in &layer.collections {
            map.entry(c.name.as_str()).or_insert((i, c));
        }
    }
    map
}

/// Refuses a collection defined by two layers.
fn check_unique(layers: &[LayerRef]) -> Result<(), LayerError> {
    let mut seen: HashMap<&str, &str> = HashMap::new();
    for layer in layers {
        for c in &layer.collections {
            if let Some(existing) = seen.insert(&c.name, &layer.name) {
                return Err(LayerError::DuplicateCollection {
                    collection: c.name.clone(),
                    existing: existing.to_owned(),
                    added: layer.name.clone(),
                });
            }
        }
    }
    Ok(())
}

/// Plans adding `layer` to `present`; with `with_dependencies`, the `candidates` that
/// provide what is missing are added too (each once, however many layers need it).
pub fn plan_add(
    project: &str,
    present: &[LayerRef],
    layer: LayerRef,
    candidates: &[LayerRef],
    release: Release,
    options: Options,
) -> Result<Plan, LayerError> {
    if let Some(there) = present.iter().find(|l| l.name == layer.name) {
        if same_place(&there.source, &layer.source) {
            return Ok(Plan {
                layers: present.to_vec(),
                added: Vec::new(),
                warnings: vec![format!("layer `{}` is in the project already", layer.name)],
            });
        }
        return Err(LayerError::DuplicateName {
            project: project.to_owned(),
            name: layer.name.clone(),
            source_text: there.source.to_string(),
        });
    }
    let mut provided: BTreeSet<String> = present
        .iter()
        .flat_map(|l| l.collections.iter().map(|c| c.name.clone()))
        .collect();
    let taken = |name: &str, new: &[LayerRef]| present.iter().chain(new).any(|l| l.name == name);
    provided.extend(layer.collections.iter().map(|c| c.name.clone()));
    // The candidates offering each collection, so each dependency is looked up once.
    let mut offers: HashMap<&str, Vec<&LayerRef>> = HashMap::new();
    for candidate in candidates {
        for c in &candidate.collections {
            offers.entry(c.name.as_str()).or_default().push(candidate);
        }
    }
    let mut new = vec![layer];
    let mut missing: Vec<Missing> = Vec::new();
    let mut noted: HashSet<(String, String)> = HashSet::new();
    let mut i = 0;
    while i < new.len() {
        let needs: Vec<(String, String)> = new[i]
            .collections
            .iter()
            .flat_map(|c| c.depends.iter())
            .map(|d| (d.collection.clone(), d.to_string()))
            .collect();
        for (collection, written) in needs {
            if provided.contains(&collection) {
                continue;
            }
            let offer = offers
                .get(collection.as_str())
                .into_iter()
                .flatten()
                .copied()
                .find(|c| {
                    !taken(&c.name, &new)
                        && c.collections.iter().all(|k| !provided.contains(&k.name))
                });
            match offer {
                Some(offer) if options.with_dependencies => {
                    provided.extend(offer.collections.iter().map(|c| c.name.clone()));
                    new.push(offer.clone());
                }
                _ => {
                    if noted.insert((new[i].name.clone(), written.clone())) {
                        missing.push(Missing {
                            needed_by: new[i].name.clone(),
                            dependency: written,
                            offered_by: offer.map(|o| o.name.clone()),
                        });
                    }
                }
            }
        }
        i += 1;
    }
    if !missing.is_empty() {
        return Err(LayerError::MissingDependencies {
            layer: new[0].name.clone(),
            missing,
        });
    }
    let added: Vec<String> = new.iter().map(|l| l.name.clone()).collect();
    let mut all = present.to_vec();
    all.extend(new);
    finish(all, added, release, options, "added with --force")
}

/// Plans replacing layers of `present` with `updated` ones of the same names (new commits,
/// newly read facts).
pub fn plan_update(
    present: &[LayerRef],
    updated: Vec<LayerRef>,
    release: Release,
    options: Options,
) -> Result<Plan, LayerError> {
    let names: Vec<String> = updated.iter().map(|l| l.name.clone()).collect();
    let mut all = present.to_vec();
    for layer in updated {
        if let Some(slot) = all.iter_mut().find(|l| l.name == layer.name) {
            *slot = layer;
        }
    }
    finish(all, names, release, options, "kept with --force")
}

/// Checks a whole set of layers as one change that touched them all (unique collections,
/// dependencies, cycles; a release series not listed is a warning), and orders them.
pub(super) fn check_set(all: &[LayerRef], release: Release) -> Result<Plan, LayerError> {
    let names = all.iter().map(|l| l.name.clone()).collect();
    let options = Options {
        with_dependencies: false,
        force: true,
    };
    finish(
        all.to_vec(),
        names,
        release,
        options,
        "as the build directory had it",
    )
}

/// Checks `all` around the `changed` layers and orders it. A release series a layer does not
/// list is refused, or with `options.force` is a warning that ends `(forced)`.
fn finish(
    all: Vec<LayerRef>,
    changed: Vec<String>,
    release: Release,
    options: Options,
    forced: &str,
) -> Result<Plan, LayerError> {
    check_unique(&all)?;
    let changed_names: HashSet<&str> = changed.iter().map(String::as_str).collect();
    let touched: Vec<usize> = all
        .iter()
        .enumerate()
        .filter(|(_, l)| changed_names.contains(l.name.as_str()))
        .map(|(i, _)| i)
        .collect();
    check_dependencies(&all, &touched)?;
    check_cycles(&all, &touched)?;
    let mut warnings = Vec::new();
    for &i in &touched {
        for c in &all[i].collections {
            match &c.series_compat {
                None => warnings.push(format!(
                    "Layer {0} should set LAYERSERIES_COMPAT_{0} in its conf/layer.conf file to list the core layer names it is compatible with.",
                    c.name
                )),
                Some(compat) if !compat.iter().any(|s| s == release.name()) => {
                    let refusal = LayerError::Incompatible {
                        collection: c.name.clone(),
                        release: release.name().to_owned(),
                        compat: compat.clone(),
                    };
                    if !options.force {
                        return Err(refusal);
                    }
                    warnings.push(format!("{refusal} ({forced})"));
                }
                Some(_) => {}
            }
        }
    }
    Ok(Plan {
        layers: order(&all),
        added: changed,
        warnings,
    })
}

/// Every dependency of or on a `touched` layer present, in the version asked for.
fn check_dependencies(all: &[LayerRef], touched: &[usize]) -> Result<(), LayerError> {
    let owners = owners(all);
    let mut is_touched = vec![false; all.len()];
    for &i in touched {
        is_touched[i] = true;
    }
    for (i, layer) in all.iter().enumerate() {
        for c in &layer.collections {
            for d in &c.depends {
                let provider = owners.get(d.collection.as_str()).copied();
                // A dependency nobody provides any more (an updated layer dropped its
                // collection) is always reported, whoever was touched.
                let involved = provider.is_none_or(|(p, _)| is_touched[i] || is_touched[p]);
                if !involved {
                    continue;
                }
                let Some((_, provided)) = provider else {
                    return Err(LayerError::MissingDependencies {
                        layer: layer.name.clone(),
                        missing: vec![Missing {
                            needed_by: layer.name.clone(),
                            dependency: d.to_string(),
                            offered_by: None,
                        }],
                    });
                };
                let Some(constraint) = &d.constraint else {
                    continue;
                };
                let Some(found) = provided.version.clone() else {
                    return Err(LayerError::NoVersion {
                        collection: c.name.clone(),
                        dependency: d.collection.clone(),
                        constraint: constraint.to_string(),
                    });
                };
                if !constraint
                    .op
                    .accepts(version::compare(&found, &constraint.version))
                {
                    return Err(LayerError::VersionMismatch {
                        collection: c.name.clone(),
                        dependency: d.collection.clone(),
                        constraint: constraint.to_string(),
                        found,
                    });
                }
            }
        }
    }
    Ok(())
}

/// The layers each layer depends on (hard dependencies only), by index.
fn edges(all: &[LayerRef], soft: bool) -> Vec<Vec<usize>> {
    let owners = owners(all);
    all.iter()
        .enumerate()
        .map(|(i, layer)| {
            let mut out: Vec<usize> = layer
                .collections
                .iter()
                .flat_map(|c| {
                    let recommends = if soft { &c.recommends[..] } else { &[] };
                    c.depends.iter().chain(recommends)
                })
                .filter_map(|d| owners.get(d.collection.as_str()).map(|(p, _)| *p))
                .filter(|&p| p != i)
                .collect();
            out.sort_unstable();
            out.dedup();
            out
        })
        .collect()
}

/// Refuses a dependency cycle reachable from a `touched` layer. Each layer is visited
/// once (colours), so diamonds cost nothing extra.
fn check_cycles(all: &[LayerRef], touched: &[usize]) -> Result<(), LayerError> {
    #[derive(Clone, Copy, PartialEq)]
    enum Colour {
        New,
        Open,
        Done,
    }
    let graph = edges(all, false);
    let mut colour = vec![Colour::New; all.len()];
    for &start in touched {
        if colour[start] != Colour::New {
            continue;
        }
        // The path from `start`, each with the index of its next edge to follow.
        let mut path: Vec<(usize, usize)> = vec![(start, 0)];
        colour[start] = Colour::Open;
        while let Some(&mut (node, ref mut next)) = path.last_mut() {
            if let Some(&to) = graph[node].get(*next) {
                *next += 1;
                match colour[to] {
                    Colour::New => {
                        colour[to] = Colour::Open;
                        path.push((to, 0));
                    }
                    Colour::Open => {
                        let from = path.iter().position(|(n, _)| *n == to).unwrap_or(0);
                        let mut cycle: Vec<String> = path[from..]
                            .iter()
                            .map(|(n, _)| all[*n].name.clone())
                            .collect();
                        cycle.push(all[to].name.clone());
                        return Err(LayerError::Cycle { cycle });
                    }
                    Colour::Done => {}
                }
            } else {
                colour[node] = Colour::Done;
                path.pop();
            }
        }
    }
    Ok(())
}

/// The order BitBake reads layers in: each after the layers it depends on or recommends,
/// otherwise as listed (so the core layer stays first).
pub fn order(all: &[LayerRef]) -> Vec<LayerRef> {
    let graph = edges(all, true);
    let mut waiting: Vec<usize> = graph.iter().map(Vec::len).collect();
    let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); all.len()];
    for (i, deps) in graph.iter().enumerate() {
        for &d in deps {
            dependents[d].push(i);
        }
    }
    let mut ready: BinaryHeap<Reverse<usize>> = (0..all.len())
        .filter(|&i| waiting[i] == 0)
        .map(Reverse)
        .collect();
    let mut out = Vec::with_capacity(all.len());
    let mut placed = vec![false; all.len()];
    while let Some(Reverse(i)) = ready.pop() {
        out.push(all[i].clone());
        placed[i] = true;
        for &j in &dependents[i] {
            waiting[j] -= 1;
            if waiting[j] == 0 {
                ready.push(Reverse(j));
            }
        }
    }
    // Layers in a cycle of recommendations keep their place at the end.
    out.extend(
        all.iter()
            .zip(&placed)
            .filter(|(_, p)| !**p)
            .map(|(l, _)| l.clone()),
    );
    out
}

/// Plans removing the layers `names` from `present`. Refused, naming them, when layers
/// that stay depend on a collection only the removed ones provide.
pub fn plan_remove(
    project: &str,
    present: &[LayerRef],
    names: &[String],
) -> Result<Vec<LayerRef>, LayerError> {
    for name in names {
        if !present.iter().any(|l| &l.name == name) {
            return Err(LayerError::NoSuchLayer {
                project: project.to_owned(),
                name: name.clone(),
                known: present.iter().map(|l| l.name.clone()).collect(),
            });
        }
    }
    let (gone, kept): (Vec<&LayerRef>, Vec<&LayerRef>) =
        present.iter().partition(|l| names.contains(&l.name));
    let still: BTreeSet<&str> = kept
        .iter()
        .flat_map(|l| l.collections.iter().map(|c| c.name.as_str()))
        .collect();
    let mut removed: HashMap<&str, &LayerRef> = HashMap::new();
    for layer in &gone {
        for c in &layer.collections {
            removed.entry(c.name.as_str()).or_insert(layer);
        }
    }
    let mut dependents = Vec::new();
    for layer in &kept {
        for d in layer.collections.iter().flat_map(|c| &c.depends) {
            if still.contains(d.collection.as_str()) {
                continue;
            }
            if let Some(provider) = removed.get(d.collection.as_str()) {
                dependents.push(Dependent {
                    layer: layer.name.clone(),
                    collection: d.collection.clone(),
                    provider: provider.name.clone(),
                });
            }
        }
    }
    if !dependents.is_empty() {
        return Err(LayerError::NeededBy {
            removing: names.to_vec(),
            dependents,
        });
    }
    Ok(kept.into_iter().cloned().collect())
}
