//! What a project's layers define on disk, for the checks of values against them:
//! machines (`conf/machine/NAME.conf`), distros (`conf/distro/NAME.conf`; `nodistro`
//! always), image types, and the release series of the core layer.
//!
//! Image types are found by a scan of lines, not by evaluation: in every `.conf`, `.inc`
//! and `.bbclass` file under a layer's `conf/` and `classes*/` directories, the words of
//! each `IMAGE_TYPES` assignment (`=`, `+=`, `:append` and the like, `${...}` words
//! skipped) and the `TYPE` of each `IMAGE_CMD:TYPE` (or the older `IMAGE_CMD_TYPE`). That is
//! how openembedded-core declares its types (`IMAGE_TYPES` in `image_types.bbclass`) and how
//! BSP layers add theirs (`IMAGE_TYPES += "tegraflash"` in a class, with its `IMAGE_CMD`).
//! Only regular files are read, at most [`MAX_FILE`] bytes each, so a link cannot lead the
//! scan out of a layer.

use std::collections::BTreeSet;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use super::facts;
use crate::conf::{ConfFile, Statement};
use crate::model::LayerRef;
use crate::schema::LayerValues;

/// The largest file the image-type scan reads, in bytes (classes are a few KiB).
pub const MAX_FILE: u64 = 1 << 20;

/// How deep the scan goes below `conf/` and each `classes*/` directory.
const MAX_DEPTH: usize = 4;

/// What the project's `layers` define, read from `project_dir`'s clones and the local
/// layers' directories; a layer whose directory has no `conf/layer.conf` (a git layer not
/// fetched yet) is listed as missing.
pub fn layer_values(layers: &[LayerRef], project_dir: &Path) -> LayerValues {
    let mut values = LayerValues::default();
    values.distros.insert("nodistro".to_owned());
    for layer in layers {
        let dir = layer.path(project_dir);
        if !facts::layer_conf(&dir).is_file() {
            values.missing.push(layer.name.clone());
            continue;
        }
        values.searched.push(layer.name.clone());
        let conf = dir.join("conf");
        values
            .machines
            .extend(names(&conf.join("machine"), ".conf"));
        values.distros.extend(names(&conf.join("distro"), ".conf"));
        for top in scanned_dirs(&dir) {
            scan(&top, 0, &mut values.image_types);
        }
    }
    values
}

/// The names of the files in `dir` ending in `suffix`, without it.
fn names(dir: &Path, suffix: &str) -> Vec<String> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file() || t.is_symlink()))
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let stem = name.strip_suffix(suffix)?;
            (!stem.is_empty()).then(|| stem.to_owned())
        })
        .collect()
}

/// A layer's `conf/` and `classes*/` directories.
fn scanned_dirs(layer: &Path) -> Vec<PathBuf> {
    let mut dirs = vec![layer.join("conf")];
    if let Ok(entries) = fs::read_dir(layer) {
        dirs.extend(
            entries
                .flatten()
                .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
                .filter(|e| e.file_name().to_string_lossy().starts_with("classes"))
                .map(|e| e.path()),
        );
    }
    dirs
}

/// Adds the image types the files under `dir` declare to `types`.
fn scan(dir: &Path, depth: usize, types: &mut BTreeSet<String>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        let path = entry.path();
        if kind.is_dir() && depth < MAX_DEPTH {
            scan(&path, depth + 1, types);
        } else if kind.is_file()
            && path
                .extension()
                .is_some_and(|e| e == "conf" || e == "inc" || e == "bbclass")
            && let Some(text) = read_bounded(&path)
        {
            image_types(&text, types);
        }
    }
}

/// The text of a regular file of at most [`MAX_FILE`] bytes (lossy UTF-8); `None` otherwise.
fn read_bounded(path: &Path) -> Option<String> {
    let file = fs::File::open(path).ok()?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE + 1).read_to_end(&mut bytes).ok()?;
    (bytes.len() as u64 <= MAX_FILE).then(|| String::from_utf8_lossy(&bytes).into_owned())
}

/// Adds the image types `text` declares (see the module's documentation) to `types`.
pub(crate) fn image_types(text: &str, types: &mut BTreeSet<String>) {
    for line in logical_lines(text) {
        let line = line.trim_start();
        let line = line.strip_prefix("export ").unwrap_or(line).trim_start();
        if let Some(rest) = line
            .strip_prefix("IMAGE_CMD:")
            .or_else(|| line.strip_prefix("IMAGE_CMD_"))
        {
            let end = rest
                .find(|c: char| c.is_whitespace() || "=([:?+".contains(c))
                .unwrap_or(rest.len());
            // Types are lower case: `IMAGE_CMD_TAR` is a variable of its own.
            let name = &rest[..end];
            if !name.is_empty() && !name.contains('$') && !name.chars().any(char::is_uppercase) {
                types.insert(name.to_owned());
            }
        } else if let Some(rest) = line.strip_prefix("IMAGE_TYPES")
            && (rest.starts_with([' ', '\t', ':', '=', '+', '?', '.']))
            && let Some(value) = quoted_value(rest)
        {
            types.extend(
                value
                    .split_whitespace()
                    .filter(|w| !w.contains('$'))
                    .map(str::to_owned),
            );
        }
    }
}

/// The lines of `text` with backslash continuations joined.
fn logical_lines(text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        match line.strip_suffix('\\') {
            Some(start) => {
                current.push_str(start);
                current.push(' ');
            }
            None => {
                current.push_str(line);
                lines.push(std::mem::take(&mut current));
            }
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

/// The quoted value after an assignment operator in `rest` (what follows a variable name,
/// overrides included): `:append:x86 = " hddimg iso"` gives ` hddimg iso`.
fn quoted_value(rest: &str) -> Option<&str> {
    let (before, after) = rest.split_once('=')?;
    let operator_ok = before
        .trim()
        .trim_end_matches(['+', '?', '.', ':'])
        .chars()
        .all(|c| c.is_alphanumeric() || "_:-".contains(c));
    if !operator_ok {
        return None;
    }
    let after = after.trim_start_matches(['+', '.']).trim_start();
    let quote = after.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let inner = &after[1..];
    inner.find(quote).map(|end| &inner[..end])
}

/// The release series a core layer says it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoreSeries {
    /// The core layer's `conf/layer.conf`.
    pub layer_conf: PathBuf,
    /// The variable the series was read from: `LAYERSERIES_COMPAT_core`, else
    /// `LAYERSERIES_CORENAMES`.
    pub variable: &'static str,
    /// The series' codename, as written.
    pub series: String,
}

/// The series of the core layer among `dirs` (the layer whose `conf/layer.conf` declares
/// collection `core`): its `LAYERSERIES_COMPAT_core`, which names the core layer's own
/// series, else the last word of its `LAYERSERIES_CORENAMES` (on openembedded-core's
/// master branch, `"wrynose blacksail"`: the series in the making comes last). `None` when
/// no layer is the core layer, or it says neither.
pub fn core_series(dirs: &[PathBuf]) -> Option<CoreSeries> {
    let core = dirs
        .iter()
        .filter_map(|dir| facts::read(dir).ok())
        .find(|f| f.collections.iter().any(|c| c.name == "core"))?;
    let layer_conf = facts::layer_conf(&core.dir);
    let compat = core
        .collections
        .iter()
        .find(|c| c.name == "core")
        .and_then(|c| c.series_compat.as_ref())
        .and_then(|words| words.last().cloned());
    if let Some(series) = compat {
        return Some(CoreSeries {
            layer_conf,
            variable: "LAYERSERIES_COMPAT_core",
            series,
        });
    }
    let file = ConfFile::read(&layer_conf).ok()?;
    let names = file.statements().filter_map(|(_, s)| match s {
        Statement::Assign(a) if a.name == "LAYERSERIES_CORENAMES" && a.flag.is_none() => {
            Some(a.value.clone())
        }
        _ => None,
    });
    let series = names.last()?.split_whitespace().last()?.to_owned();
    Some(CoreSeries {
        layer_conf,
        variable: "LAYERSERIES_CORENAMES",
        series,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layers::test_repos::write_layer;
    use crate::model::LayerSource;

    fn local(name: &str, path: PathBuf) -> LayerRef {
        LayerRef {
            name: name.to_owned(),
            source: LayerSource::Local { path },
            collections: Vec::new(),
        }
    }

    fn write(path: &Path, text: &str) {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    #[test]
    fn image_types_come_from_assignments_and_image_cmds() {
        let mut types = BTreeSet::new();
        image_types(
            "IMAGE_TYPES = \" \\\n    jffs2 jffs2.sum \\\n    wic wic.bz2 \\\n\"\n\
             IMAGE_TYPES:append:x86 = \" hddimg iso\"\n\
             IMAGE_TYPES += \"tegraflash ${OTHER}\"\n\
             IMAGE_CMD:ext4 = \"oe_mkext234fs ext4\"\n\
             IMAGE_CMD:btrfs () {\n}\n\
             IMAGE_CMD_ubifs = \"mkfs.ubifs\"\n\
             IMAGE_CMD_TAR ?= \"tar\"\n\
             IMAGE_TYPES_MASKED += \"masked\"\n\
             IMAGE_TYPEDEP:wic = \"notatype\"\n\
             # IMAGE_TYPES += \"commented\"\n",
            &mut types,
        );
        let expected = [
            "btrfs",
            "ext4",
            "hddimg",
            "iso",
            "jffs2",
            "jffs2.sum",
            "tegraflash",
            "ubifs",
            "wic",
            "wic.bz2",
        ];
        assert_eq!(
            types.iter().map(String::as_str).collect::<Vec<_>>(),
            expected
        );
    }

    #[test]
    fn machines_distros_and_image_types_of_the_layers_on_disk() {
        let tmp = tempfile::tempdir().unwrap();
        let top = tmp.path();
        write_layer(&top.join("meta-bsp"), "bsp", "");
        write(&top.join("meta-bsp/conf/machine/board-one.conf"), "");
        write(&top.join("meta-bsp/conf/machine/include/common.inc"), "");
        write(
            &top.join("meta-bsp/classes-recipe/image_types_board.bbclass"),
            "IMAGE_TYPES += \"boardflash\"\nIMAGE_CMD:boardflash () {\n  true\n}\n",
        );
        write_layer(&top.join("meta-distro"), "distro", "");
        write(&top.join("meta-distro/conf/distro/mydistro.conf"), "");
        write(&top.join("meta-distro/conf/distro/include/common.inc"), "");
        write(
            &top.join("meta-distro/recipes-x/x/x.bb"),
            "IMAGE_TYPES += \"in-a-recipe\"\n",
        );
        let layers = [
            local("meta-bsp", top.join("meta-bsp")),
            local("meta-distro", top.join("meta-distro")),
            local("meta-gone", top.join("meta-gone")),
        ];
        let values = layer_values(&layers, top);
        assert_eq!(values.machines, BTreeSet::from(["board-one".to_owned()]));
        let distros: Vec<&str> = values.distros.iter().map(String::as_str).collect();
        assert_eq!(distros, ["mydistro", "nodistro"]);
        assert_eq!(
            values.image_types,
            BTreeSet::from(["boardflash".to_owned()])
        );
        assert_eq!(values.searched, ["meta-bsp", "meta-distro"]);
        assert_eq!(values.missing, ["meta-gone"]);
        assert!(!values.complete());
    }

    #[test]
    fn a_link_to_a_file_outside_is_not_read() {
        let tmp = tempfile::tempdir().unwrap();
        let top = tmp.path();
        write(&top.join("outside.bbclass"), "IMAGE_TYPES += \"secret\"\n");
        write_layer(&top.join("meta-x"), "x", "");
        fs::create_dir_all(top.join("meta-x/classes")).unwrap();
        std::os::unix::fs::symlink(
            top.join("outside.bbclass"),
            top.join("meta-x/classes/link.bbclass"),
        )
        .unwrap();
        let values = layer_values(&[local("meta-x", top.join("meta-x"))], top);
        assert!(values.image_types.is_empty(), "{:?}", values.image_types);
        assert!(values.complete());
    }

    #[test]
    fn the_core_series_is_its_compat_else_the_last_corename() {
        let tmp = tempfile::tempdir().unwrap();
        let top = tmp.path();
        write_layer(
            &top.join("meta"),
            "core",
            "LAYERSERIES_CORENAMES = \"wrynose blacksail\"\nLAYERSERIES_COMPAT_core = \"blacksail\"\n",
        );
        write_layer(&top.join("meta-other"), "other", "");
        let dirs = [top.join("meta-other"), top.join("meta")];
        let found = core_series(&dirs).unwrap();
        assert_eq!(found.series, "blacksail");
        assert_eq!(found.variable, "LAYERSERIES_COMPAT_core");
        assert!(found.layer_conf.ends_with("meta/conf/layer.conf"));

        write_layer(
            &top.join("meta"),
            "core",
            "LAYERSERIES_CORENAMES = \"scarthgap\"\n",
        );
        let found = core_series(&dirs).unwrap();
        assert_eq!(
            (found.series.as_str(), found.variable),
            ("scarthgap", "LAYERSERIES_CORENAMES")
        );

        write_layer(&top.join("meta"), "core", "");
        assert_eq!(core_series(&dirs), None);
        assert_eq!(core_series(&[top.join("meta-other")]), None);
    }
}
