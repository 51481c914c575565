//! Reading an archive's manifest whatever it describes: present, of the expected format,
//! of the one version this code reads, and of the expected shape.

use serde::de::DeserializeOwned;

use super::{ArchiveError, ArchiveReader};

/// Why a manifest could not be taken.
#[derive(Debug)]
pub enum ManifestProblem {
    /// The zip failed while it was read.
    Archive(ArchiveError),
    /// It is not the expected kind of file: missing, another format, or the wrong shape.
    NotOurs(String),
    /// It is of another version (as it says, or `none`).
    Version(String),
}

/// Reads the manifest `name` of `reader` as a `T`, after checking that its `format` field
/// is `format` and its `version` field is `version`.
pub fn read_manifest<T: DeserializeOwned>(
    reader: &mut ArchiveReader,
    name: &str,
    format: &str,
    version: u32,
) -> Result<T, ManifestProblem> {
    if !reader.contains(name) {
        return Err(ManifestProblem::NotOurs(format!("it has no {name}")));
    }
    let head: serde_json::Value = reader.read_json(name).map_err(ManifestProblem::Archive)?;
    if head.get("format").and_then(|f| f.as_str()) != Some(format) {
        return Err(ManifestProblem::NotOurs(format!(
            "its {name} is not a {format} manifest"
        )));
    }
    let found = head.get("version").and_then(serde_json::Value::as_u64);
    if found != Some(u64::from(version)) {
        return Err(ManifestProblem::Version(
            found.map_or_else(|| "none".into(), |v| v.to_string()),
        ));
    }
    serde_json::from_value(head)
        .map_err(|e| ManifestProblem::NotOurs(format!("its {name} does not read: {e}")))
}
