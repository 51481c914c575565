//! The checks a configuration passes before it is committed: every changed variable against
//! the schema, and every value against what BitBake can read back from a conf file.

use super::Warning;
use crate::Error;
use crate::conf;
use crate::model::{ProjectConfig, Release};
use crate::schema::Schema;

/// Checks what changed from `old` to `new`; returns the warnings of accepted values.
pub fn check(
    schema: &Schema,
    release: &Release,
    old: &ProjectConfig,
    new: &ProjectConfig,
    strict: bool,
) -> Result<Vec<Warning>, Error> {
    let mut warnings = Vec::new();
    for (name, value) in &new.variables {
        if old.variables.get(name) == Some(value) {
            continue;
        }
        warnings.extend(schema.check(name, value, release, strict)?);
        conf::check_assignment(name, value)?;
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
                warnings.extend(schema.check_value(spec, name, value, release, false)?);
            }
            conf::check_assignment(name, value)?;
        }
    }
    for package in new.packages.iter().filter(|p| !old.packages.contains(p)) {
        conf::check_word("IMAGE_INSTALL:append", package)?;
    }
    Ok(warnings.into_iter().map(Warning::from).collect())
}
