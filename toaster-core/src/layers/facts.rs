//! A layer's facts, read from its `conf/layer.conf` with the conf evaluator: collections,
//! patterns, priorities, versions, dependencies and the release series it supports.

use std::path::{Path, PathBuf};

use super::LayerError;
use super::depends;
use crate::conf::{self, ConfFile, Datastore};
use crate::model::{Collection, LayerRef, shorten};

/// What one layer directory declares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayerFacts {
    /// Its directory, absolute.
    pub dir: PathBuf,
    /// The collections it defines, in `BBFILE_COLLECTIONS` order.
    pub collections: Vec<Collection>,
    /// `BBLAYERS_LAYERINDEX_NAME_<c>` of its first collection: the name the layer index
    /// knows it by (`openembedded-core` for oe-core's `meta`).
    pub index_name: Option<String>,
}

impl LayerFacts {
    /// The name a project gives the layer: its layer-index name, else its directory's name.
    pub fn suggested_name(&self) -> String {
        self.index_name.clone().unwrap_or_else(|| {
            self.dir
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
        })
    }
}

/// The `conf/layer.conf` of a layer directory.
pub fn layer_conf(dir: &Path) -> PathBuf {
    dir.join("conf").join("layer.conf")
}

/// Reads the layer in `dir`, a local directory. A directory without `conf/layer.conf`, or
/// whose file sets no collection, is refused with why; a file BitBake would refuse is refused
/// with its line (never quoting it: it may be a link to any file); a path that is not UTF-8
/// is refused, since BitBake's conf files cannot name it.
pub fn read(dir: &Path) -> Result<LayerFacts, LayerError> {
    read_layer(dir, None)
}

/// Reads the layer in `dir` inside the git repository checked out at `repository`: the
/// layer and every file read for it (`conf`, `conf/layer.conf`, its includes) must be inside
/// the repository once links are followed.
pub fn read_in_repository(dir: &Path, repository: &Path) -> Result<LayerFacts, LayerError> {
    let repository = std::fs::canonicalize(repository).unwrap_or_else(|_| repository.to_owned());
    read_layer(dir, Some(&repository))
}

/// Reads a layer of a project: a git layer inside its clone, a local one where it is.
pub fn read_project_layer(layer: &LayerRef, project_dir: &Path) -> Result<LayerFacts, LayerError> {
    let dir = layer.path(project_dir);
    match layer.checkout_dir(project_dir) {
        Some(clone) => read_in_repository(&dir, &clone),
        None => read(&dir),
    }
}

fn read_layer(dir: &Path, repository: Option<&Path>) -> Result<LayerFacts, LayerError> {
    let original = dir;
    let not_a_layer = |reason: &str| LayerError::NotALayer {
        path: dir.to_owned(),
        reason: reason.to_owned(),
        found: Vec::new(),
    };
    if dir.to_str().is_none() {
        return Err(LayerError::NotUtf8 {
            path: dir.to_owned(),
        });
    }
    if !dir.is_dir() {
        return Err(not_a_layer(if dir.exists() {
            "it is not a directory"
        } else {
            "it does not exist"
        }));
    }
    let dir = std::fs::canonicalize(dir).map_err(LayerError::io(dir))?;
    if dir.to_str().is_none() {
        return Err(LayerError::NotUtf8 { path: dir });
    }
    if let Some(repository) = repository {
        let given = layer_conf(Path::new(""));
        for part in [Path::new(""), Path::new("conf"), given.as_path()] {
            let outside = matches!(
                std::fs::canonicalize(dir.join(part)),
                Ok(real) if !real.starts_with(repository)
            );
            if outside {
                return Err(LayerError::OutsideRepository {
                    layer: original.to_owned(),
                    path: (part != Path::new("")).then(|| part.display().to_string()),
                });
            }
        }
    }
    let path = layer_conf(&dir);
    if !path.is_file() {
        return Err(not_a_layer("it has no conf/layer.conf"));
    }
    let conf_error = |source| LayerError::LayerConf {
        path: path.clone(),
        source,
    };
    let file = ConfFile::read(&path).map_err(conf_error)?;
    let text = dir.to_string_lossy().into_owned();
    let escaped = regex_escape(&text);
    let mut data = Datastore::new();
    data.set_var("LAYERDIR", &text);
    data.set_var("LAYERDIR_RE", &escaped);
    match repository {
        Some(repository) => conf::apply_within(&mut data, &file, repository),
        None => conf::apply(&mut data, &file),
    }
    .map_err(conf_error)?;
    let get = |variable: &str| data.get(variable).map_err(conf_error);
    let names: Vec<String> = get("BBFILE_COLLECTIONS")?
        .unwrap_or_default()
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    if names.is_empty() {
        return Err(not_a_layer(
            "its conf/layer.conf sets no BBFILE_COLLECTIONS",
        ));
    }
    let bad = |variable: String, value: &str, reason: String| LayerError::BadVariable {
        path: path.clone(),
        variable,
        value: shorten(value),
        reason,
    };
    // Written back portably: the directory as `${LAYERDIR}`, as the file says it.
    let portable = |value: String| {
        value
            .replace(&escaped, "${LAYERDIR_RE}")
            .replace(&text, "${LAYERDIR}")
    };
    let mut collections = Vec::with_capacity(names.len());
    for name in &names {
        if collections.iter().any(|c: &Collection| &c.name == name) {
            return Err(bad(
                "BBFILE_COLLECTIONS".to_owned(),
                &names.join(" "),
                format!("collection `{name}` is listed twice"),
            ));
        }
        let pattern_var = format!("BBFILE_PATTERN_{name}");
        let Some(pattern) = get(&pattern_var)? else {
            return Err(bad(
                pattern_var,
                "",
                "it is not set (BitBake: not defined)".to_owned(),
            ));
        };
        let priority_var = format!("BBFILE_PRIORITY_{name}");
        let priority =
            match get(&priority_var)?.filter(|p| !p.trim().is_empty()) {
                None => None,
                Some(text) => Some(text.trim().parse::<i64>().map_err(|_| {
                    bad(priority_var, &text, "it is not a whole number".to_owned())
                })?),
            };
        let list = |variable: String| -> Result<Vec<crate::model::Dependency>, LayerError> {
            let value = get(&variable)?.unwrap_or_default();
            depends::parse(&value).map_err(|reason| bad(variable, &value, reason))
        };
        collections.push(Collection {
            name: name.clone(),
            pattern: portable(pattern),
            priority,
            version: get(&format!("LAYERVERSION_{name}"))?
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty()),
            depends: list(format!("LAYERDEPENDS_{name}"))?,
            recommends: list(format!("LAYERRECOMMENDS_{name}"))?,
            series_compat: get(&format!("LAYERSERIES_COMPAT_{name}"))?
                .map(|v| v.split_whitespace().map(str::to_owned).collect()),
        });
    }
    let index_name = get(&format!("BBLAYERS_LAYERINDEX_NAME_{}", names[0]))?
        .map(|n| n.trim().to_owned())
        .filter(|n| !n.is_empty());
    Ok(LayerFacts {
        dir,
        collections,
        index_name,
    })
}

/// `re.escape` of a path: every character that is not a letter, digit or `_` escaped.
fn regex_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for c in text.chars() {
        if !(c.is_alphanumeric() || c == '_') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::VersionOp;

    fn layer(dir: &Path, conf: &str) {
        std::fs::create_dir_all(dir.join("conf")).unwrap();
        std::fs::write(dir.join("conf/layer.conf"), conf).unwrap();
    }

    #[test]
    fn reads_the_layer_variables() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("meta-mine");
        layer(
            &dir,
            "BBPATH .= \":${LAYERDIR}\"\n\
             BBFILES += \"${LAYERDIR}/recipes-*/*/*.bb\"\n\
             BBFILE_COLLECTIONS += \"mine\"\n\
             BBFILE_PATTERN_mine = \"^${LAYERDIR}/\"\n\
             BBFILE_PRIORITY_mine = \"6\"\n\
             LAYERVERSION_mine = \"2\"\n\
             LAYERDEPENDS_mine = \"core (>= 12), openembedded-layer\"\n\
             LAYERRECOMMENDS_mine = \"meta-python\"\n\
             LAYERSERIES_COMPAT_mine = \"wrynose scarthgap\"\n",
        );
        let facts = read(&dir).unwrap();
        assert_eq!(facts.suggested_name(), "meta-mine");
        let c = &facts.collections[0];
        assert_eq!(c.name, "mine");
        assert_eq!(c.pattern, "^${LAYERDIR}/");
        assert_eq!(c.priority, Some(6));
        assert_eq!(c.version.as_deref(), Some("2"));
        assert_eq!(c.depends.len(), 2);
        assert_eq!(c.depends[0].constraint.as_ref().unwrap().op, VersionOp::Ge);
        assert_eq!(c.recommends[0].collection, "meta-python");
        assert_eq!(
            c.series_compat.as_deref(),
            Some(&["wrynose".to_owned(), "scarthgap".to_owned()][..])
        );
    }

    #[test]
    fn refuses_what_is_not_a_layer_and_says_why() {
        let tmp = tempfile::tempdir().unwrap();
        let why = |dir: &Path| match read(dir) {
            Err(LayerError::NotALayer { reason, .. }) => reason,
            other => panic!("{other:?}"),
        };
        assert!(why(&tmp.path().join("absent")).contains("does not exist"));
        assert!(why(tmp.path()).contains("no conf/layer.conf"));
        layer(tmp.path(), "BBPATH .= \":${LAYERDIR}\"\n");
        assert!(why(tmp.path()).contains("BBFILE_COLLECTIONS"));
    }

    #[test]
    fn refuses_bad_layer_conf_files() {
        let tmp = tempfile::tempdir().unwrap();
        layer(
            tmp.path(),
            "BBFILE_COLLECTIONS = \"x\"\nBBFILE_PATTERN_x = \"unterminated\n",
        );
        assert!(matches!(
            read(tmp.path()),
            Err(LayerError::LayerConf { .. })
        ));
        for (conf, variable) in [
            ("BBFILE_COLLECTIONS = \"x\"\n", "BBFILE_PATTERN_x"),
            (
                "BBFILE_COLLECTIONS = \"x\"\nBBFILE_PATTERN_x = \"\"\nBBFILE_PRIORITY_x = \"high\"\n",
                "BBFILE_PRIORITY_x",
            ),
            (
                "BBFILE_COLLECTIONS = \"x\"\nBBFILE_PATTERN_x = \"\"\nLAYERDEPENDS_x = \"core (12)\"\n",
                "LAYERDEPENDS_x",
            ),
        ] {
            layer(tmp.path(), conf);
            match read(tmp.path()) {
                Err(LayerError::BadVariable { variable: v, .. }) => assert_eq!(v, variable),
                other => panic!("{conf}: {other:?}"),
            }
        }
    }

    #[test]
    fn a_compat_referring_to_core_stays_unresolved_as_bitbake_leaves_it() {
        let tmp = tempfile::tempdir().unwrap();
        layer(
            tmp.path(),
            "BBFILE_COLLECTIONS = \"x\"\nBBFILE_PATTERN_x = \"^${LAYERDIR_RE}/\"\n\
             LAYERSERIES_COMPAT_x = \"${LAYERSERIES_COMPAT_core}\"\n\
             BBLAYERS_LAYERINDEX_NAME_x = \"meta-x\"\n",
        );
        let facts = read(tmp.path()).unwrap();
        assert_eq!(facts.suggested_name(), "meta-x");
        let c = &facts.collections[0];
        assert_eq!(c.pattern, "^${LAYERDIR_RE}/");
        assert_eq!(
            c.series_compat.as_deref(),
            Some(&["${LAYERSERIES_COMPAT_core}".to_owned()][..])
        );
    }
}
