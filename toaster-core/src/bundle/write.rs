//! Writing a bundle: the manifest, and the files of the local layers it includes (regular
//! files and directories only, never a link; `.git` left out; bounded in size).

use std::fs;
use std::path::{Path, PathBuf};

use super::BundleError;
use super::manifest::{BundleManifest, LAYERS, MANIFEST};
use crate::artifacts::archive::{ArchiveWriter, unsafe_reason};

/// Files a bundle holds of its local layers, at most.
pub const MAX_LAYER_FILES: usize = 20_000;
/// Bytes a bundle holds of its local layers, at most.
pub const MAX_LAYER_BYTES: u64 = 256 << 20;

/// Writes the bundle `path` (never over an existing file, never half-written under its
/// name) with `manifest` and the files of `layers` (name, directory). Returns what was left
/// out of the layers (links and special files), one line each.
pub fn write_bundle(
    path: &Path,
    manifest: &BundleManifest,
    layers: &[(String, PathBuf)],
) -> Result<Vec<String>, BundleError> {
    // Everything is listed (and bounded) before anything is written.
    let mut files = Vec::new();
    let mut left_out = Vec::new();
    let mut bytes = 0u64;
    for (name, dir) in layers {
        walk(
            name,
            dir,
            Path::new(""),
            &mut files,
            &mut left_out,
            &mut bytes,
        )?;
    }
    let mut writer = ArchiveWriter::create(path)?;
    writer.add_json(MANIFEST, manifest)?;
    for (entry, source) in &files {
        let mut file = fs::File::open(source).map_err(|e| BundleError::Io {
            path: source.clone(),
            source: e,
        })?;
        writer.add_file(entry, &mut file, true)?;
    }
    writer.finish()?;
    Ok(left_out)
}

/// Lists the regular files below `dir/inside` of layer `name` as (entry, path).
fn walk(
    name: &str,
    dir: &Path,
    inside: &Path,
    files: &mut Vec<(String, PathBuf)>,
    left_out: &mut Vec<String>,
    bytes: &mut u64,
) -> Result<(), BundleError> {
    let here = dir.join(inside);
    let io = |e| BundleError::Io {
        path: here.clone(),
        source: e,
    };
    let mut entries: Vec<_> = fs::read_dir(&here)
        .map_err(io)?
        .collect::<Result<_, _>>()
        .map_err(io)?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let file_name = entry.file_name();
        let relative = inside.join(&file_name);
        let shown = relative.display().to_string();
        if file_name == ".git" {
            continue;
        }
        let kind = entry.file_type().map_err(io)?;
        let text = relative.to_string_lossy().replace('\\', "/");
        let entry_name = format!("{LAYERS}{name}/{text}");
        if relative.to_str().is_none() || unsafe_reason(&entry_name).is_some() {
            left_out.push(format!(
                "layer {name}: {shown}: its name cannot go in a bundle"
            ));
        } else if kind.is_dir() {
            walk(name, dir, &relative, files, left_out, bytes)?;
        } else if kind.is_file() {
            let size = entry.metadata().map_err(io)?.len();
            *bytes += size;
            if files.len() >= MAX_LAYER_FILES || *bytes > MAX_LAYER_BYTES {
                return Err(BundleError::TooLarge {
                    layer: name.to_owned(),
                    reason: format!(
                        "local layers may hold {MAX_LAYER_FILES} files and {} MiB at most",
                        MAX_LAYER_BYTES >> 20
                    ),
                });
            }
            files.push((entry_name, dir.join(&relative)));
        } else {
            left_out.push(format!(
                "layer {name}: {shown}: a link or special file, not included"
            ));
        }
    }
    Ok(())
}
