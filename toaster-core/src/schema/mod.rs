//! Variable specifications: what each BitBake variable holds, who sets it, where it is
//! written, and the checks a value must pass, with a built-in catalogue of the variables
//! users change most. Extra specs load from JSON files a user or a layer ships.

mod error;
mod layer_values;
mod sanity;
mod spec;
mod spec_file;
mod suggest;
mod validate;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

pub use error::{Issue, SchemaError, Warning, WarningKind};
pub use layer_values::LayerValues;
pub use spec::{Allowed, Class, Kind, LayerValue, VarSpec};

/// The override operators: they change how a value applies, not which variable it is.
const OPERATORS: [&str; 3] = ["append", "prepend", "remove"];

/// The built-in catalogue, in the same format as extra spec files.
const CATALOGUE: &str = include_str!("catalogue.json");

/// A schema file: variable specs and renamed names.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SchemaFile {
    #[serde(default)]
    renamed: BTreeMap<String, String>,
    #[serde(default)]
    variables: Vec<VarSpec>,
}

/// A set of variable specs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schema {
    specs: BTreeMap<String, VarSpec>,
    renamed: BTreeMap<String, String>,
}

impl Schema {
    /// The built-in catalogue.
    pub fn builtin() -> &'static Schema {
        static BUILTIN: OnceLock<Schema> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            // Invariant: the catalogue is checked in by a test (`the_catalogue_loads`).
            let file: SchemaFile = serde_json::from_str(CATALOGUE).unwrap_or_default();
            let mut schema = Schema {
                specs: BTreeMap::new(),
                renamed: BTreeMap::new(),
            };
            schema.add(file);
            schema
        })
    }

    fn add(&mut self, file: SchemaFile) {
        self.renamed.extend(file.renamed);
        for spec in file.variables {
            self.specs.insert(spec.name.clone(), spec);
        }
    }

    /// This schema with the specs of a JSON file added (a spec of the same name replaces the
    /// built-in one). The file is read once, and at most 4 MiB of it.
    pub fn with_file(&self, path: &Path) -> Result<Schema, SchemaError> {
        let text = spec_file::read(path)?;
        let file: SchemaFile = serde_json::from_str(&text).map_err(|e| SchemaError::Format {
            path: path.to_owned(),
            reason: e.to_string(),
        })?;
        let mut schema = self.clone();
        schema.add(file);
        Ok(schema)
    }

    /// The spec of `name` exactly.
    pub fn spec(&self, name: &str) -> Option<&VarSpec> {
        self.specs.get(name)
    }

    /// The spec that governs `name` ([`Schema::governing`]); [`SchemaError::Unknown`] with
    /// the closest name as a suggestion when none does.
    pub fn find(&self, name: &str) -> Result<&VarSpec, SchemaError> {
        self.governing(name).ok_or_else(|| SchemaError::Unknown {
            variable: name.to_owned(),
            suggestion: suggest::closest(name, self.specs.keys().map(String::as_str))
                .map(str::to_owned),
        })
    }

    /// Every spec, by name.
    pub fn specs(&self) -> impl Iterator<Item = &VarSpec> {
        self.specs.values()
    }

    /// The spec that governs `name`: its own; else, with the operators `:append`,
    /// `:prepend` and `:remove` left out of the name, the spec or family of that name
    /// (`PACKAGECONFIG:remove:pn-qemu` → `PACKAGECONFIG:pn-*`), then of the name with its
    /// last overrides dropped one by one (`DISTRO_FEATURES:append` → `DISTRO_FEATURES`,
    /// `SRCREV_machine:pn-linux` → `SRCREV_*`).
    pub fn governing(&self, name: &str) -> Option<&VarSpec> {
        if let Some(spec) = self.spec(name) {
            return Some(spec);
        }
        let parts: Vec<&str> = name
            .split(':')
            .filter(|part| !OPERATORS.contains(part))
            .collect();
        (1..=parts.len()).rev().find_map(|n| {
            let candidate = parts[..n].join(":");
            self.spec(&candidate).or_else(|| self.family(&candidate))
        })
    }

    /// The family `name` belongs to; the one with the longest name when several do.
    fn family(&self, name: &str) -> Option<&VarSpec> {
        self.specs
            .values()
            .filter(|spec| spec.is_family() && spec.matches(name))
            .max_by_key(|spec| spec.name.len())
    }

    /// The class of `name` (unknown variables are build variables).
    pub fn class(&self, name: &str) -> Class {
        self.governing(name).map_or(Class::Build, |s| s.class)
    }

    /// Specs as JSON, in the format spec files use.
    pub fn json(specs: &[&VarSpec]) -> serde_json::Value {
        serde_json::json!({ "variables": specs })
    }
}

#[cfg(test)]
mod tests;
