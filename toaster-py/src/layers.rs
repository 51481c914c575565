//! `toaster_rs.Layer`: a read-only view of one layer of a project.

use pyo3::prelude::*;
use toaster_core::model::LayerRef;
use toaster_core::views::LayerDetailView;

use crate::model::repr;

/// A layer: where it comes from, the ref asked for and the commit it resolved to, and what
/// its `conf/layer.conf` declares; the fields of `layer show --json`.
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
    /// `LAYERVERSION` of its first collection.
    version: Option<String>,
    /// `LAYERDEPENDS`, as written (`core (>= 12)`).
    depends: Vec<String>,
    /// `LAYERRECOMMENDS`, as written.
    recommends: Vec<String>,
    /// `LAYERSERIES_COMPAT`, when set.
    series_compat: Option<Vec<String>>,
}

impl From<&LayerRef> for Layer {
    fn from(layer: &LayerRef) -> Layer {
        let view = LayerDetailView::from(layer);
        Layer {
            name: view.layer.name,
            source: view.layer.source.to_owned(),
            path: view.layer.path,
            url: view.layer.url,
            reference: view.layer.reference,
            subdir: view.layer.subdir,
            commit: view.layer.commit,
            collections: view.collections,
            priority: view.priority,
            version: view.version,
            depends: view.depends,
            recommends: view.recommends,
            series_compat: view.series_compat,
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
