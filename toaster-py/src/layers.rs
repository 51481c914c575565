//! `toaster_rs.Layer`: a read-only view of one layer of a project.

use pyo3::prelude::*;
use toaster_core::model::{LayerRef, LayerSource};

use crate::model::repr;

/// A layer: where it comes from, the ref asked for and the commit it resolved to, and what
/// its `conf/layer.conf` declares.
#[pyclass(module = "toaster_rs", frozen, get_all)]
pub struct Layer {
    name: String,
    /// `"git"` or `"local"`.
    source: String,
    /// The directory of a local layer.
    path: Option<String>,
    url: Option<String>,
    /// The requested branch, tag or commit.
    #[pyo3(name = "ref")]
    reference: Option<String>,
    subdir: Option<String>,
    /// The commit the ref resolved to.
    commit: Option<String>,
    collections: Vec<String>,
    priority: Option<i64>,
    /// `LAYERDEPENDS`, as written (`core (>= 12)`).
    depends: Vec<String>,
}

impl From<&LayerRef> for Layer {
    fn from(layer: &LayerRef) -> Layer {
        let (source, path, url, reference, subdir, commit) = match &layer.source {
            LayerSource::Local { path } => (
                "local",
                Some(path.display().to_string()),
                None,
                None,
                None,
                None,
            ),
            LayerSource::Git {
                url,
                reference,
                subdir,
                commit,
            } => (
                "git",
                None,
                Some(url.clone()),
                Some(reference.clone()),
                subdir.clone(),
                commit.clone(),
            ),
        };
        Layer {
            name: layer.name.clone(),
            source: source.to_owned(),
            path,
            url,
            reference,
            subdir,
            commit,
            collections: layer.collections.iter().map(|c| c.name.clone()).collect(),
            priority: layer.collections.first().and_then(|c| c.priority),
            depends: layer
                .collections
                .iter()
                .flat_map(|c| c.depends.iter().map(ToString::to_string))
                .collect(),
        }
    }
}

#[pymethods]
impl Layer {
    fn __repr__(&self) -> String {
        format!(
            "Layer(name={}, source={}, ref={}, commit={})",
            repr(&self.name),
            repr(&self.source),
            self.reference
                .as_deref()
                .map_or_else(|| "None".to_owned(), repr),
            self.commit
                .as_deref()
                .map_or_else(|| "None".to_owned(), repr),
        )
    }
}
