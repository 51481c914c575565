//! A layer as frontends show it.

use serde::Serialize;

use crate::model::{Collection, Dependency, LayerRef, LayerSource};

/// A layer, as `config show --json` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LayerView {
    /// Its name.
    pub name: String,
    /// `git` or `local`.
    pub source: &'static str,
    /// Its directory (`local`).
    pub path: Option<String>,
    /// Its repository (`git`).
    pub url: Option<String>,
    /// The branch or tag followed (`git`).
    #[serde(rename = "ref")]
    pub reference: Option<String>,
    /// The layer's directory inside the repository (`git`).
    pub subdir: Option<String>,
    /// The commit checked out (`git`), once known.
    pub commit: Option<String>,
}

impl From<&LayerRef> for LayerView {
    fn from(layer: &LayerRef) -> LayerView {
        let name = layer.name.clone();
        match &layer.source {
            LayerSource::Local { path } => LayerView {
                name,
                source: "local",
                path: Some(path.display().to_string()),
                url: None,
                reference: None,
                subdir: None,
                commit: None,
            },
            LayerSource::Git {
                url,
                reference,
                subdir,
                commit,
            } => LayerView {
                name,
                source: "git",
                path: None,
                url: Some(url.clone()),
                reference: Some(reference.clone()),
                subdir: subdir.clone(),
                commit: commit.clone(),
            },
        }
    }
}

/// A layer, as `layer list|show --json` prints it: the `config show` fields, plus what its
/// `conf/layer.conf` declares.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LayerDetailView {
    /// Where it comes from.
    #[serde(flatten)]
    pub layer: LayerView,
    /// Its collections.
    pub collections: Vec<String>,
    /// The first collection's `BBFILE_PRIORITY`.
    pub priority: Option<i64>,
    /// The first collection's `LAYERVERSION`.
    pub version: Option<String>,
    /// `LAYERDEPENDS` of its collections, as written (`core (>= 12)`).
    pub depends: Vec<String>,
    /// `LAYERRECOMMENDS` of its collections.
    pub recommends: Vec<String>,
    /// `LAYERSERIES_COMPAT`; null when unset.
    pub series_compat: Option<Vec<String>>,
}

impl From<&LayerRef> for LayerDetailView {
    fn from(layer: &LayerRef) -> LayerDetailView {
        let first = layer.collections.first();
        let all = |pick: fn(&Collection) -> &Vec<Dependency>| {
            layer
                .collections
                .iter()
                .flat_map(|c| pick(c).iter().map(ToString::to_string))
                .collect()
        };
        LayerDetailView {
            layer: LayerView::from(layer),
            collections: layer.collections.iter().map(|c| c.name.clone()).collect(),
            priority: first.and_then(|c| c.priority),
            version: first.and_then(|c| c.version.clone()),
            depends: all(|c| &c.depends),
            recommends: all(|c| &c.recommends),
            series_compat: first.and_then(|c| c.series_compat.clone()),
        }
    }
}
