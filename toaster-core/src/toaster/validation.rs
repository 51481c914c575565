//! The checks a configuration passes before it is committed: every changed variable against
//! the schema (machines, distros and image types also against what the project's layers on
//! disk define), and every value against what BitBake can read back from a conf file.

use std::cell::OnceCell;
use std::path::Path;

use super::Warning;
use crate::Error;
use crate::conf;
use crate::layers;
use crate::model::{ProjectConfig, Release, Variable};
use crate::schema::{self, LayerValues, Schema};

/// Checks what changed from `old` to `new`, a configuration of the project in
/// `project_dir`; returns the warnings of accepted values. The layers are read only when a
/// value checked against them changed.
pub fn check(
    schema: &Schema,
    release: &Release,
    old: &ProjectConfig,
    new: &ProjectConfig,
    strict: bool,
    project_dir: &Path,
) -> Result<Vec<Warning>, Error> {
    let read = OnceCell::new();
    let layer_values =
        || -> &LayerValues { read.get_or_init(|| layers::layer_values(&new.layers, project_dir)) };
    let mut warnings = Vec::new();
    for (name, value) in &new.variables {
        if old.variables.get(name) == Some(value) {
            continue;
        }
        let against_layers = schema
            .governing(name)
            .is_some_and(|spec| spec.layer_value.is_some());
        let layers = against_layers.then(layer_values);
        warnings.extend(check_variable(
            schema, release, strict, layers, name, value,
        )?);
    }
    for (name, old_value, new_value) in [
        ("MACHINE", &old.machine, &new.machine),
        ("DISTRO", &old.distro, &new.distro),
    ] {
        if let Some(value) = new_value
            .as_ref()
            .filter(|v| Some(*v) != old_value.as_ref())
        {
            if let Some(spec) = schema.spec(name) {
                let layers = Some(layer_values());
                warnings.extend(schema.check_value(spec, name, value, release, false, layers)?);
            }
            conf::check_assignment(name, value)?;
        }
    }
    for package in new.packages.iter().filter(|p| !old.packages.contains(p)) {
        conf::check_word("IMAGE_INSTALL:append", package)?;
    }
    Ok(warnings.into_iter().map(Warning::from).collect())
}

/// Checks what a project writes for the left-hand side `key` against the schema and
/// against what BitBake can read back: each operation's value, an adding one (`+=`, `=+`,
/// `.=`, `=.`) word by word as an `:append` is.
pub(super) fn check_variable(
    schema: &Schema,
    release: &Release,
    strict: bool,
    layers: Option<&LayerValues>,
    key: &str,
    variable: &Variable,
) -> Result<Vec<schema::Warning>, Error> {
    let mut warnings: Vec<schema::Warning> = Vec::new();
    let adding = format!("{key}:append");
    for operation in &variable.operations {
        let checked_as = if operation.op.defines() || key.contains('[') {
            key
        } else {
            adding.as_str()
        };
        for mut warning in schema.check_in(checked_as, &operation.value, release, strict, layers)? {
            warning.variable = key.to_owned();
            if !warnings.contains(&warning) {
                warnings.push(warning);
            }
        }
    }
    conf::check_variable(key, variable)?;
    Ok(warnings)
}
