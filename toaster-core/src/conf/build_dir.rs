//! Writing the generated files into a build directory's `conf/`: atomically (temp file,
//! then rename), and with one include line in `local.conf` and `bblayers.conf`, which are
//! otherwise left as their owner wrote them (and created minimal when absent).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::error::ConfError;
use super::file::ConfFile;
use super::generate::{BBLAYERS_CONF, Generated, HOST_CONF, TOASTER_CONF};

/// A new `local.conf`: the format stamp and the include line.
const LOCAL_CONF: &str = "# local.conf: your own settings for this build directory. Toaster-rs only adds\n\
# the include line below; the project's settings are in toaster.conf.\n\
CONF_VERSION = \"2\"\n";

/// A new `bblayers.conf`: what BitBake needs before the layers.
const BBLAYERS: &str = "# bblayers.conf: Toaster-rs only adds the include line below; the project's\n\
# layers are in toaster-bblayers.conf.\n\
LCONF_VERSION = \"7\"\n\
BBPATH = \"${TOPDIR}\"\n\
BBFILES ?= \"\"\n";

/// Writes `generated` into `BUILD_DIR/conf/` and makes sure `local.conf` and
/// `bblayers.conf` include it. Everything is checked before anything is written: a
/// `local.conf` BitBake would refuse stops the write with its file and line. Returns the
/// files that changed.
pub fn write(build_dir: &Path, generated: &Generated) -> Result<Vec<PathBuf>, ConfError> {
    let conf = build_dir.join("conf");
    let mut plan: Vec<(PathBuf, String)> = vec![
        (conf.join(TOASTER_CONF), generated.toaster.clone()),
        (conf.join(HOST_CONF), generated.host.clone()),
        (conf.join(BBLAYERS_CONF), generated.bblayers.clone()),
    ];
    for (name, fresh, include) in [
        ("local.conf", LOCAL_CONF, TOASTER_CONF),
        ("bblayers.conf", BBLAYERS, BBLAYERS_CONF),
    ] {
        let path = conf.join(name);
        let mut file = if path.exists() {
            ConfFile::read(&path)?
        } else {
            ConfFile::parse(&path, fresh, name == "bblayers.conf")?
        };
        let before = file.text();
        file.ensure_line(&format!("include {include}"))?;
        if !path.exists() || file.text() != before {
            plan.push((path, file.text()));
        }
    }
    fs::create_dir_all(&conf).map_err(ConfError::io(&conf))?;
    let mut written = Vec::new();
    for (path, text) in plan {
        if fs::read(&path).ok().as_deref() == Some(text.as_bytes()) {
            continue;
        }
        replace(&path, text.as_bytes())?;
        written.push(path);
    }
    Ok(written)
}

/// Replaces `path` with `bytes` atomically: a temporary file of its own beside it (never an
/// existing file or link: `create_new`), synced, renamed, and the directory synced.
pub(crate) fn replace(path: &Path, bytes: &[u8]) -> Result<(), ConfError> {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let unique = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let temp = path.with_file_name(format!(".{name}.tmp-{}-{unique}", std::process::id()));
    let result = (|| {
        let mut file = fs::File::options()
            .write(true)
            .create_new(true)
            .open(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&temp, path)?;
        if let Some(dir) = path.parent() {
            fs::File::open(dir)?.sync_all()?;
        }
        Ok(())
    })();
    result.map_err(|source: std::io::Error| {
        let _ = fs::remove_file(&temp);
        ConfError::Io {
            path: path.to_owned(),
            source,
        }
    })
}
