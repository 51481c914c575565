//! Package relations and installed packages put together from their rows, the same way on
//! every backend.

use std::collections::BTreeMap;

use crate::model::{ImageDependency, InstalledPackage, PackageRecord, RelationKind};

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

/// A row of a build's packages: name, version, size, recipe, and its run-time dependencies
/// joined by spaces.
pub(crate) type PackageRow = (String, String, i64, String, Option<String>);

/// A build's packages from their rows, each with its relations (from [`relations`]).
pub(crate) fn packages(
    rows: Vec<PackageRow>,
    mut relations: BTreeMap<String, BTreeMap<RelationKind, Vec<String>>>,
) -> Vec<PackageRecord> {
    rows.into_iter()
        .map(|(name, version, size, recipe, depends)| PackageRecord {
            relations: relations.remove(&name).unwrap_or_default(),
            name,
            version,
            size: u64::try_from(size).unwrap_or(0),
            recipe,
            depends: depends
                .iter()
                .flat_map(|d| d.split(' '))
                .map(str::to_owned)
                .collect(),
        })
        .collect()
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
