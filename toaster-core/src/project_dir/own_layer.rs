//! The project's own layer (`PROJECT/layers/meta-PROJECT`): where it is, made on first use,
//! and new files written into it whole or not at all.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::error::{ProjectDirError, io_error};
use crate::model::Name;

/// The project's own layer's name (`meta-demo`).
pub fn own_layer_name(project: &Name) -> String {
    format!("meta-{project}")
}

/// The project's own layer's directory.
pub fn own_layer_dir(project_dir: &Path, project: &Name) -> PathBuf {
    project_dir.join("layers").join(own_layer_name(project))
}

/// Makes the own layer in `dir` with `layer_conf` as its `conf/layer.conf`, unless it is
/// there (another import may make it at the same moment); true when this call made it.
pub fn ensure_own_layer(dir: &Path, layer_conf: &str) -> Result<bool, ProjectDirError> {
    let conf = dir.join("conf/layer.conf");
    if conf.is_file() {
        return Ok(false);
    }
    match write_new(&conf, layer_conf) {
        Ok(()) => Ok(true),
        Err(ProjectDirError::Io { source, .. })
            if source.kind() == std::io::ErrorKind::AlreadyExists =>
        {
            Ok(false)
        }
        Err(e) => Err(e),
    }
}

/// Writes the new file `path` (never over an existing one, its directories made), synced;
/// a file that could not be written whole is removed again.
pub fn write_new(path: &Path, text: &str) -> Result<(), ProjectDirError> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(io_error(parent))?;
    }
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(io_error(path))?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| {
            let _ = fs::remove_file(path);
            io_error(path)(e)
        })
}
