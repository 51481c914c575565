//! What changed between two configurations, key by key, for `project diff`.

use serde::Serialize;

use super::{ConfigKey, LayerRef, LayerSource, ProjectConfig};

/// One key whose value differs: added (no `before`), removed (no `after`) or changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConfigDifference {
    /// `machine`, `distro`, `targets`, `packages`, `recipes`, `bitbake`, `layer NAME`,
    /// `hook ID`, or a variable's name.
    pub key: String,
    /// Its value before, if it had one: a plain value as is, otherwise with its operators
    /// (`+= "rm_work"`, `??= "qemuarm64"`).
    pub before: Option<String>,
    /// Its value after, if it has one.
    pub after: Option<String>,
}

impl ProjectConfig {
    /// The keys whose values differ from `self` to `after`, in a stable order: machine,
    /// distro, targets, packages, recipes, BitBake, layers, hooks, then variables by name.
    pub fn diff(&self, after: &ProjectConfig) -> Vec<ConfigDifference> {
        let mut out = Vec::new();
        let mut compare = |key: String, before: Option<String>, after: Option<String>| {
            if before != after {
                out.push(ConfigDifference { key, before, after });
            }
        };
        let words = |list: &[String]| (!list.is_empty()).then(|| list.join(" "));
        for key in [ConfigKey::Machine, ConfigKey::Distro] {
            compare(key.to_string(), self.get(&key), after.get(&key));
        }
        let targets = |c: &ProjectConfig| {
            words(
                &c.targets
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>(),
            )
        };
        compare("targets".into(), targets(self), targets(after));
        compare(
            "packages".into(),
            words(&self.packages),
            words(&after.packages),
        );
        compare(
            "recipes".into(),
            words(&self.recipes),
            words(&after.recipes),
        );
        compare(
            "bitbake".into(),
            self.bitbake.as_ref().map(source),
            after.bitbake.as_ref().map(source),
        );
        let layer = |c: &ProjectConfig, name: &str| {
            c.layers.iter().find(|l| l.name == name).map(layer_text)
        };
        let mut names: Vec<&str> = self.layers.iter().map(|l| l.name.as_str()).collect();
        names.extend(
            after
                .layers
                .iter()
                .map(|l| l.name.as_str())
                .filter(|n| !self.layers.iter().any(|l| l.name == *n)),
        );
        for name in names {
            compare(
                format!("layer {name}"),
                layer(self, name),
                layer(after, name),
            );
        }
        let hook = |c: &ProjectConfig, id: u32| {
            c.hooks
                .iter()
                .find(|h| h.id == id)
                .map(|h| format!("on {}: {}", h.on, h.action))
        };
        let mut ids: Vec<u32> = self
            .hooks
            .iter()
            .chain(&after.hooks)
            .map(|h| h.id)
            .collect();
        ids.sort_unstable();
        ids.dedup();
        for id in ids {
            compare(format!("hook {id}"), hook(self, id), hook(after, id));
        }
        let mut variables: Vec<&String> = self
            .variables
            .keys()
            .chain(after.variables.keys())
            .collect();
        variables.sort();
        variables.dedup();
        for name in variables {
            compare(
                name.clone(),
                self.variables.get(name).map(ToString::to_string),
                after.variables.get(name).map(ToString::to_string),
            );
        }
        out
    }
}

fn source(source: &LayerSource) -> String {
    match source {
        LayerSource::Local { path } => path.display().to_string(),
        LayerSource::Git {
            url,
            reference,
            subdir,
            commit,
        } => {
            let mut text = format!("{url} at {reference}");
            if let Some(subdir) = subdir {
                text.push_str(&format!(", {subdir}"));
            }
            if let Some(commit) = commit {
                text.push_str(&format!(", commit {}", commit.get(..12).unwrap_or(commit)));
            }
            text
        }
    }
}

fn layer_text(layer: &LayerRef) -> String {
    source(&layer.source)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_what_differs_is_listed_in_a_stable_order() {
        let mut before = ProjectConfig {
            machine: Some("qemux86-64".into()),
            ..ProjectConfig::default()
        };
        before.variables.insert("A".into(), "1".into());
        before.variables.insert("B".into(), "2".into());
        let mut after = before.clone();
        after.machine = Some("qemuarm64".into());
        after.variables.remove("A");
        after.variables.insert("C".into(), "3".into());
        after.packages.push("htop".into());
        let keys: Vec<(String, Option<String>, Option<String>)> = before
            .diff(&after)
            .into_iter()
            .map(|d| (d.key, d.before, d.after))
            .collect();
        assert_eq!(
            keys,
            vec![
                (
                    "machine".into(),
                    Some("qemux86-64".into()),
                    Some("qemuarm64".into())
                ),
                ("packages".into(), None, Some("htop".into())),
                ("A".into(), Some("1".into()), None),
                ("C".into(), None, Some("3".into())),
            ]
        );
        assert!(after.diff(&after).is_empty());
    }
}
