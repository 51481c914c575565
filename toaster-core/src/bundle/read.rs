//! Reading a bundle: the whole zip checked first (see [`ArchiveReader::open`]), then its
//! manifest checked field by field as the project would check each value, then nothing
//! in it but the manifest and the files of the layers it says it includes.

use std::fs;
use std::path::{Path, PathBuf};

use super::BundleError;
use super::manifest::{BundleManifest, BundleSource, FORMAT, LAYERS, MANIFEST, VERSION};
use crate::artifacts::archive::{ArchiveLimits, ArchiveReader, ManifestProblem, read_manifest};
use crate::layers;
use crate::model::ModelError;

/// A bundle opened and checked.
pub struct OpenBundle {
    /// Its manifest.
    pub manifest: BundleManifest,
    reader: ArchiveReader,
}

impl OpenBundle {
    /// Opens `path` and checks it whole.
    pub fn open(path: &Path) -> Result<OpenBundle, BundleError> {
        let mut reader = ArchiveReader::open(path, &ArchiveLimits::default())?;
        let not_ours = |reason: String| BundleError::NotABundle {
            path: path.to_owned(),
            reason,
        };
        let manifest: BundleManifest = match read_manifest(&mut reader, MANIFEST, FORMAT, VERSION) {
            Ok(manifest) => manifest,
            Err(ManifestProblem::Archive(e)) => return Err(e.into()),
            Err(ManifestProblem::NotOurs(reason)) => return Err(not_ours(reason)),
            Err(ManifestProblem::Version(version)) => {
                return Err(BundleError::Version {
                    path: path.to_owned(),
                    version,
                });
            }
        };
        check(path, &manifest)?;
        let included: Vec<String> = manifest
            .layers
            .iter()
            .filter(|l| l.included)
            .map(|l| format!("{LAYERS}{}/", l.name))
            .collect();
        for name in reader.names() {
            let known = name == MANIFEST || included.iter().any(|prefix| name.starts_with(prefix));
            if !known {
                return Err(not_ours(format!(
                    "it holds {name}, which is neither its manifest nor a file of a layer it includes"
                )));
            }
        }
        Ok(OpenBundle { manifest, reader })
    }

    /// Writes the files of included layer `name` into the new directory `into`.
    pub fn extract_layer(&mut self, name: &str, into: &Path) -> Result<(), BundleError> {
        let prefix = format!("{LAYERS}{name}/");
        let entries: Vec<String> = self
            .reader
            .names()
            .filter(|n| n.starts_with(&prefix))
            .map(str::to_owned)
            .collect();
        let io = |path: &Path| {
            let path = path.to_owned();
            move |source| BundleError::Io { path, source }
        };
        fs::create_dir_all(into).map_err(io(into))?;
        for entry in entries {
            // The reader refused every name with `..`, a root or an empty part.
            let target = into.join(&entry[prefix.len()..]);
            if entry.ends_with('/') {
                fs::create_dir_all(&target).map_err(io(&target))?;
                continue;
            }
            if let Some(parent) = target.parent() {
                fs::create_dir_all(parent).map_err(io(parent))?;
            }
            let mut file = fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&target)
                .map_err(io(&target))?;
            self.reader.copy_entry(&entry, &mut file)?;
        }
        Ok(())
    }
}

/// Checks every value of `manifest` as a project checks it.
fn check(path: &Path, manifest: &BundleManifest) -> Result<(), BundleError> {
    let invalid = |field: String, reason: String| BundleError::Invalid {
        path: path.to_owned(),
        field,
        reason,
    };
    let model = |field: &str, e: ModelError| invalid(field.to_owned(), e.to_string());
    crate::model::Release::parse(&manifest.release).map_err(|e| model("release", e))?;
    let config = &manifest.config;
    for (field, value) in [
        ("config.machine", &config.machine),
        ("config.distro", &config.distro),
    ] {
        if let Some(value) = value {
            crate::conf::check_word(field, value)
                .map_err(|e| invalid(field.into(), e.to_string()))?;
        }
    }
    for (name, value) in &config.variables {
        crate::conf::check_variable(name, value)
            .map_err(|e| invalid(format!("config.variables.{name}"), e.to_string()))?;
    }
    for word in config.packages.iter().chain(&config.recipes) {
        crate::conf::check_word("config.packages", word)
            .map_err(|e| invalid("config.packages".into(), e.to_string()))?;
    }
    let mut names = Vec::new();
    for (i, layer) in manifest.layers.iter().enumerate() {
        let field = |what: &str| format!("layers[{i}].{what}");
        layers::check_name(&layer.name).map_err(|e| invalid(field("name"), e.to_string()))?;
        if names.contains(&layer.name) {
            return Err(invalid(
                field("name"),
                format!("`{}` appears twice", layer.name),
            ));
        }
        names.push(layer.name.clone());
        check_source(&layer.source).map_err(|(what, reason)| invalid(field(what), reason))?;
        if layer.included && !matches!(layer.source, BundleSource::Local { .. }) {
            return Err(invalid(
                field("included"),
                "only a local layer's files are included".into(),
            ));
        }
    }
    if let Some(bitbake) = &manifest.bitbake {
        check_source(bitbake)
            .map_err(|(what, reason)| invalid(format!("bitbake.{what}"), reason))?;
    }
    Ok(())
}

/// Checks a layer's or BitBake's source: a URL git may fetch, a ref, a subdir inside.
fn check_source(source: &BundleSource) -> Result<(), (&'static str, String)> {
    match source {
        BundleSource::Git {
            url,
            reference,
            subdir,
            commit,
        } => {
            layers::check_url(url).map_err(|e| ("url", e.to_string()))?;
            layers::check_ref(reference).map_err(|e| ("reference", e.to_string()))?;
            if let Some(subdir) = subdir {
                layers::check_subdir(subdir).map_err(|e| ("subdir", e.to_string()))?;
            }
            if let Some(commit) = commit {
                let hex = commit.len() == 40 && commit.bytes().all(|b| b.is_ascii_hexdigit());
                if !hex {
                    return Err(("commit", format!("`{commit}` is not a 40-digit commit id")));
                }
            }
            Ok(())
        }
        BundleSource::Local { path } => {
            let path = PathBuf::from(path);
            if !path.is_absolute() || path.to_string_lossy().chars().any(char::is_control) {
                return Err(("path", "it is not an absolute path of plain text".into()));
            }
            Ok(())
        }
    }
}
