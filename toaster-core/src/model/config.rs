use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{Collection, ModelError, Operator, Variable};

/// Everything a project builds with: machine, distro, targets, variables, layers, and the
/// packages and recipes it adds. One value of this is one revision's configuration.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProjectConfig {
    /// `MACHINE`.
    pub machine: Option<String>,
    /// How `MACHINE` is assigned: `=`, or `?=`/`??=` to let the environment override it.
    #[serde(skip_serializing_if = "Operator::is_set")]
    pub machine_op: Operator,
    /// `DISTRO`.
    pub distro: Option<String>,
    /// How `DISTRO` is assigned, as for `machine_op`.
    #[serde(skip_serializing_if = "Operator::is_set")]
    pub distro_op: Operator,
    /// What `bitbake` is asked to build, in order.
    pub targets: Vec<Target>,
    /// Other BitBake variables, by left-hand side as BitBake writes it (`INHERIT`,
    /// `IMAGE_INSTALL:append`, `SRCREV:pn-busybox`, `do_fetch[number_threads]`).
    pub variables: BTreeMap<String, Variable>,
    /// The layers, in `BBLAYERS` order.
    pub layers: Vec<LayerRef>,
    /// Packages added to every image (`IMAGE_INSTALL:append`).
    pub packages: Vec<String>,
    /// Extra recipes built beside the targets.
    pub recipes: Vec<String>,
    /// Where its BitBake comes from (a checkout, or a git repository like a layer's);
    /// `None`: not chosen yet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bitbake: Option<LayerSource>,
    /// What happens when one of its builds ends, by hook id.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub hooks: Vec<super::Hook>,
}

/// A build target: a recipe or image, optionally with one task (`core-image-sato:do_populate_sdk`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Target {
    /// The recipe, image or `mc:NAME:recipe` multiconfig target.
    pub recipe: String,
    /// The task, always with its `do_` prefix.
    pub task: Option<String>,
}

impl Target {
    /// Parses `recipe`, `recipe:task`, `recipe:do_task` or `mc:NAME:recipe[:task]`.
    pub fn parse(value: &str) -> Result<Target, ModelError> {
        let bad = |reason: &str| {
            ModelError::invalid(
                "target",
                value,
                reason,
                "write `RECIPE` or `RECIPE:TASK`, e.g. `core-image-minimal:do_populate_sdk`",
            )
        };
        let parts: Vec<&str> = value.split(':').collect();
        let (recipe, task) = match parts.as_slice() {
            [recipe] => ((*recipe).to_owned(), None),
            [recipe, task] if *recipe != "mc" => ((*recipe).to_owned(), Some(*task)),
            ["mc", config, recipe] => (format!("mc:{config}:{recipe}"), None),
            ["mc", config, recipe, task] => (format!("mc:{config}:{recipe}"), Some(*task)),
            _ => return Err(bad("it has too many `:` parts")),
        };
        for word in recipe.split(':') {
            check_word("target", value, word)?;
        }
        let task = match task {
            None => None,
            Some(task) => {
                check_word("target", value, task)?;
                Some(if task.starts_with("do_") {
                    task.to_owned()
                } else {
                    format!("do_{task}")
                })
            }
        };
        Ok(Target { recipe, task })
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.task {
            Some(task) => write!(f, "{}:{task}", self.recipe),
            None => f.write_str(&self.recipe),
        }
    }
}

impl TryFrom<String> for Target {
    type Error = ModelError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Target::parse(&value)
    }
}

impl From<Target> for String {
    fn from(target: Target) -> String {
        target.to_string()
    }
}

/// A layer of a project, by name and where it comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LayerRef {
    /// The layer's name (its layer-index name, directory name or collection).
    pub name: String,
    /// Where it comes from.
    pub source: LayerSource,
    /// What its `conf/layer.conf` declares, as last read; empty until it is read.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub collections: Vec<Collection>,
}

impl LayerRef {
    /// The layer's directory for a project in `project_dir`: a local layer where it is, a git
    /// layer at `PROJECT/layers/REPOSITORY/SUBDIR` (the one place this is decided).
    pub fn path(&self, project_dir: &Path) -> PathBuf {
        match &self.source {
            LayerSource::Local { path } => path.clone(),
            LayerSource::Git { url, subdir, .. } => {
                let mut path = self.repository_dir(url, project_dir);
                if let Some(subdir) = subdir.as_deref().filter(|s| !s.is_empty()) {
                    path.push(subdir);
                }
                path
            }
        }
    }

    /// For a git layer, the directory its repository is cloned into:
    /// `PROJECT/layers/REPOSITORY`, shared by every layer of that repository.
    pub fn checkout_dir(&self, project_dir: &Path) -> Option<PathBuf> {
        match &self.source {
            LayerSource::Git { url, .. } => Some(self.repository_dir(url, project_dir)),
            LayerSource::Local { .. } => None,
        }
    }

    fn repository_dir(&self, url: &str, project_dir: &Path) -> PathBuf {
        let trimmed = url.trim_end_matches('/');
        let last = trimmed.rsplit(['/', ':']).next().unwrap_or(trimmed);
        let repository = last.strip_suffix(".git").unwrap_or(last);
        let repository = if repository.is_empty() || repository == ".." || repository == "." {
            &self.name
        } else {
            repository
        };
        project_dir.join("layers").join(repository)
    }
}

/// Where a layer comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LayerSource {
    /// A directory used where it is.
    Local {
        /// The layer directory.
        path: PathBuf,
    },
    /// A git repository at a requested ref, optionally in a subdirectory.
    Git {
        /// Clone URL.
        url: String,
        /// Requested branch, tag or commit.
        reference: String,
        /// The layer's directory inside the repository.
        subdir: Option<String>,
        /// The commit the reference resolved to, once fetched.
        commit: Option<String>,
    },
}

/// One word of a recipe, package, machine or distro name: BitBake's recipe-name characters.
pub(crate) fn check_word(what: &'static str, whole: &str, word: &str) -> Result<(), ModelError> {
    let hint = "use letters, digits, `-`, `_`, `.` and `+` only";
    if word.is_empty() {
        return Err(ModelError::invalid(
            what,
            whole,
            "a part of it is empty",
            hint,
        ));
    }
    if word.len() > 255 {
        return Err(ModelError::invalid(
            what,
            whole,
            "it is longer than 255 bytes",
            hint,
        ));
    }
    match word
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '+')))
    {
        Some(c) => Err(ModelError::invalid(
            what,
            whole,
            format!("it contains {c:?}"),
            hint,
        )),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_parse_and_print_with_do_prefix() {
        let t = Target::parse("core-image-sato:populate_sdk").unwrap();
        assert_eq!(t.recipe, "core-image-sato");
        assert_eq!(t.to_string(), "core-image-sato:do_populate_sdk");
        assert_eq!(Target::parse("gcc-cross").unwrap().task, None);
        let mc = Target::parse("mc:arm:core-image-minimal:do_build").unwrap();
        assert_eq!(mc.recipe, "mc:arm:core-image-minimal");
        assert_eq!(mc.task.as_deref(), Some("do_build"));
    }

    #[test]
    fn targets_refuse_injection_and_garbage() {
        for bad in [
            "",
            ":",
            "a:",
            "a b",
            "a;rm",
            "a\"b",
            "a:b:c",
            "x:y:z:w:v",
            "${@x}",
        ] {
            assert!(Target::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn git_layers_live_under_the_project() {
        let config = super::super::Release::DEFAULT.defaults();
        let dir = Path::new("/p");
        assert_eq!(
            config.layers[1].path(dir),
            Path::new("/p/layers/meta-yocto/meta-poky")
        );
        let local = LayerRef {
            name: "mine".into(),
            source: LayerSource::Local {
                path: "/srv/meta-mine".into(),
            },
            collections: Vec::new(),
        };
        assert_eq!(local.path(dir), Path::new("/srv/meta-mine"));
    }

    #[test]
    fn config_json_round_trips_and_tolerates_missing_fields() {
        let config = super::super::Release::DEFAULT.defaults();
        let text = serde_json::to_string(&config).unwrap();
        assert_eq!(
            serde_json::from_str::<ProjectConfig>(&text).unwrap(),
            config
        );
        let partial: ProjectConfig = serde_json::from_str(r#"{"machine":"qemuarm"}"#).unwrap();
        assert_eq!(partial.machine.as_deref(), Some("qemuarm"));
    }
}
