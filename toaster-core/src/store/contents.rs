//! Package relations and installed packages put together from their rows, the same way on
//! every backend.

use std::collections::BTreeMap;

use crate::model::{ImageDependency, InstalledPackage, RelationKind};

/// A build's package relations, by package and kind, from rows `(package, kind, name)`
/// sorted by package, kind and name.
pub(crate) fn relations(
    rows: Vec<(String, RelationKind, String)>,
) -> BTreeMap<String, BTreeMap<RelationKind, Vec<String>>> {
    let mut relations: BTreeMap<String, BTreeMap<RelationKind, Vec<String>>> = BTreeMap::new();
    for (package, kind, name) in rows {
        relations
            .entry(package)
            .or_default()
            .entry(kind)
            .or_default()
            .push(name);
    }
    relations
}

/// The packages installed in each image, `(target, package)` with what each pulled in,
/// from rows `(target, package, size)` and edges keyed by `(target, package)`, both sorted.
pub(crate) fn installed(
    packages: Vec<(String, String, u64)>,
    edges: Vec<((String, String), ImageDependency)>,
) -> Vec<(String, InstalledPackage)> {
    let mut depends: BTreeMap<(String, String), Vec<ImageDependency>> = BTreeMap::new();
    for (key, dependency) in edges {
        depends.entry(key).or_default().push(dependency);
    }
    packages
        .into_iter()
        .map(|(target, name, size)| {
            let key = (target, name);
            let depends = depends.remove(&key).unwrap_or_default();
            let (target, name) = key;
            (
                target,
                InstalledPackage {
                    name,
                    size,
                    depends,
                },
            )
        })
        .collect()
}
