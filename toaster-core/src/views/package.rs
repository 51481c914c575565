//! A package a build made, as frontends show it.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::PackageRecord;

/// A package a build made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PackageView {
    /// The package name.
    pub name: String,
    /// Its version.
    pub version: String,
    /// Its installed size in bytes.
    pub size: u64,
    /// The recipe that made it.
    pub recipe: String,
    /// The packages it depends on at run time.
    pub depends: Vec<String>,
    /// The packages it names otherwise, by kind (`rrecommends`, `rsuggests`, `rprovides`,
    /// `rreplaces`, `rconflicts`); kinds it names none of are left out.
    pub relations: BTreeMap<&'static str, Vec<String>>,
}

impl From<&PackageRecord> for PackageView {
    fn from(p: &PackageRecord) -> PackageView {
        PackageView {
            name: p.name.clone(),
            version: p.version.clone(),
            size: p.size,
            recipe: p.recipe.clone(),
            depends: p.depends.clone(),
            relations: p
                .relations
                .iter()
                .map(|(kind, names)| (kind.as_str(), names.clone()))
                .collect(),
        }
    }
}
