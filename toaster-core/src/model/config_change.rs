use std::fmt;

use super::config::check_word;
use super::{ModelError, ProjectConfig, Target};

/// What part of a configuration a change addresses.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ConfigKey {
    /// `machine` (also written `MACHINE`).
    Machine,
    /// `distro` (also written `DISTRO`).
    Distro,
    /// `targets`: the space-separated build targets.
    Targets,
    /// `packages`: packages added to images.
    Packages,
    /// `recipes`: extra recipes to build.
    Recipes,
    /// Any other BitBake variable, by name.
    Variable(String),
}

/// The longest value a variable may hold.
const MAX_VALUE_LEN: usize = 64 * 1024;

impl ConfigKey {
    /// Reads a key as users type it: `machine`, `distro`, `targets`, `packages`, `recipes`, or
    /// a BitBake variable name such as `IMAGE_FSTYPES` or `PREFERRED_VERSION_linux-yocto`.
    pub fn parse(value: &str) -> Result<ConfigKey, ModelError> {
        match value {
            "machine" | "MACHINE" => return Ok(ConfigKey::Machine),
            "distro" | "DISTRO" => return Ok(ConfigKey::Distro),
            "targets" => return Ok(ConfigKey::Targets),
            "packages" => return Ok(ConfigKey::Packages),
            "recipes" => return Ok(ConfigKey::Recipes),
            _ => {}
        }
        let invalid = |reason: String, hint: &str| {
            ModelError::invalid("configuration key", value, reason, hint.to_owned())
        };
        let redirect = match value {
            "BBLAYERS" => Some("layers are changed with the `layer` commands"),
            "IMAGE_INSTALL:append" => Some("use the key `packages` to add packages to images"),
            _ => None,
        };
        if let Some(hint) = redirect {
            return Err(invalid("it is managed by Toaster".to_owned(), hint));
        }
        let hint =
            "a variable name starts with a letter or `_` and holds letters, digits and `_-+.:/~`";
        if value.is_empty() || value.len() > 255 {
            return Err(invalid(
                "it is empty or longer than 255 bytes".to_owned(),
                hint,
            ));
        }
        if !value.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
            return Err(invalid(
                "it does not start with a letter or `_`".to_owned(),
                hint,
            ));
        }
        if let Some(c) = value.chars().find(|c| {
            !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+' | '.' | ':' | '/' | '~'))
        }) {
            return Err(invalid(format!("it contains {c:?}"), hint));
        }
        Ok(ConfigKey::Variable(value.to_owned()))
    }

    fn is_list(&self) -> bool {
        !matches!(self, ConfigKey::Machine | ConfigKey::Distro)
    }
}

impl fmt::Display for ConfigKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ConfigKey::Machine => "machine",
            ConfigKey::Distro => "distro",
            ConfigKey::Targets => "targets",
            ConfigKey::Packages => "packages",
            ConfigKey::Recipes => "recipes",
            ConfigKey::Variable(name) => name,
        })
    }
}

/// One change to a project's configuration, as a user asks for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigChange {
    /// Give a key a value (lists: space-separated words, replacing the list).
    Set {
        /// What to set.
        key: ConfigKey,
        /// The value.
        value: String,
    },
    /// Remove a key's value.
    Unset {
        /// What to unset.
        key: ConfigKey,
    },
    /// Add words to a list (or a space-separated variable), keeping those already there.
    Add {
        /// The list.
        key: ConfigKey,
        /// The words to add, in order.
        words: Vec<String>,
    },
    /// Remove words from a list (or a space-separated variable).
    Remove {
        /// The list.
        key: ConfigKey,
        /// The words to remove.
        words: Vec<String>,
    },
}

impl ProjectConfig {
    /// The value of a key as text (lists joined by spaces), or `None` when unset or empty.
    pub fn get(&self, key: &ConfigKey) -> Option<String> {
        let joined = |words: Vec<String>| (!words.is_empty()).then(|| words.join(" "));
        match key {
            ConfigKey::Machine => self.machine.clone(),
            ConfigKey::Distro => self.distro.clone(),
            ConfigKey::Targets => joined(self.targets.iter().map(Target::to_string).collect()),
            ConfigKey::Packages => joined(self.packages.clone()),
            ConfigKey::Recipes => joined(self.recipes.clone()),
            ConfigKey::Variable(name) => self.variables.get(name).cloned(),
        }
    }

    /// Applies a change after checking it. Returns a one-line description of what changed,
    /// or `None` when the configuration already was that way. On error nothing changes.
    pub fn apply(&mut self, change: &ConfigChange) -> Result<Option<String>, ModelError> {
        let key = match change {
            ConfigChange::Set { key, .. }
            | ConfigChange::Unset { key }
            | ConfigChange::Add { key, .. }
            | ConfigChange::Remove { key, .. } => key,
        };
        let new_value = match change {
            ConfigChange::Set { value, .. } => Some(value.clone()),
            ConfigChange::Unset { .. } => None,
            ConfigChange::Add { words, .. } | ConfigChange::Remove { words, .. } => {
                if !key.is_list() {
                    return Err(ModelError::invalid(
                        "configuration key",
                        &key.to_string(),
                        "it holds one value, not a list",
                        format!("use `config set` to change the {key}"),
                    ));
                }
                let mut current = self.words_of(key);
                for word in words.iter().flat_map(|w| w.split_whitespace()) {
                    let present = current.iter().any(|w| w == word);
                    match change {
                        ConfigChange::Add { .. } if !present => current.push(word.to_owned()),
                        ConfigChange::Remove { .. } => current.retain(|w| w != word),
                        _ => {}
                    }
                }
                (!current.is_empty()).then(|| current.join(" "))
            }
        };
        let mut next = self.clone();
        next.store(key, new_value.as_deref())?;
        if next == *self {
            return Ok(None);
        }
        let description = match next.get(key) {
            Some(value) => format!("set {key} = \"{value}\""),
            None => format!("unset {key}"),
        };
        *self = next;
        Ok(Some(description))
    }

    fn words_of(&self, key: &ConfigKey) -> Vec<String> {
        self.get(key)
            .map(|v| v.split_whitespace().map(str::to_owned).collect())
            .unwrap_or_default()
    }

    /// Stores a checked value under a key; `None` or only spaces unsets it.
    fn store(&mut self, key: &ConfigKey, value: Option<&str>) -> Result<(), ModelError> {
        let value = value.filter(|v| !v.trim().is_empty() || matches!(key, ConfigKey::Variable(_)));
        if let Some(value) = value {
            check_value(key, value)?;
        }
        let words = |what: &'static str| -> Result<Vec<String>, ModelError> {
            let mut out: Vec<String> = Vec::new();
            for word in value.unwrap_or_default().split_whitespace() {
                check_word(what, word, word)?;
                if !out.iter().any(|w| w == word) {
                    out.push(word.to_owned());
                }
            }
            Ok(out)
        };
        let single = |what: &'static str| -> Result<Option<String>, ModelError> {
            let Some(value) = value.map(str::trim) else {
                return Ok(None);
            };
            check_word(what, value, value)?;
            Ok(Some(value.to_owned()))
        };
        match key {
            ConfigKey::Machine => self.machine = single("machine")?,
            ConfigKey::Distro => self.distro = single("distro")?,
            ConfigKey::Packages => self.packages = words("package")?,
            ConfigKey::Recipes => self.recipes = words("recipe")?,
            ConfigKey::Targets => {
                let mut targets: Vec<Target> = Vec::new();
                for word in value.unwrap_or_default().split_whitespace() {
                    let target = Target::parse(word)?;
                    if !targets.contains(&target) {
                        targets.push(target);
                    }
                }
                self.targets = targets;
            }
            ConfigKey::Variable(name) => match value {
                Some(value) => {
                    self.variables.insert(name.clone(), value.to_owned());
                }
                None => {
                    self.variables.remove(name);
                }
            },
        }
        Ok(())
    }
}

/// A value must fit on one line of a conf file: no control characters, at most 64 KiB.
fn check_value(key: &ConfigKey, value: &str) -> Result<(), ModelError> {
    let what = "configuration value";
    if value.len() > MAX_VALUE_LEN {
        return Err(ModelError::invalid(
            what,
            value,
            format!("the value of {key} is longer than {MAX_VALUE_LEN} bytes"),
            "keep long lists in a layer or an included conf file",
        ));
    }
    if let Some(c) = value.chars().find(|c| c.is_control()) {
        return Err(ModelError::invalid(
            what,
            value,
            format!("the value of {key} contains the control character {c:?}"),
            "BitBake conf values are one line: remove newlines, tabs and other control characters",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(key: &str, value: &str) -> ConfigChange {
        ConfigChange::Set {
            key: ConfigKey::parse(key).unwrap(),
            value: value.to_owned(),
        }
    }

    #[test]
    fn keys_parse_fields_and_variables() {
        assert_eq!(ConfigKey::parse("MACHINE").unwrap(), ConfigKey::Machine);
        assert_eq!(
            ConfigKey::parse("PREFERRED_VERSION_linux-yocto").unwrap(),
            ConfigKey::Variable("PREFERRED_VERSION_linux-yocto".into())
        );
        for bad in [
            "",
            "1X",
            "A B",
            "A\"",
            "A=B",
            "${@x}",
            "BBLAYERS",
            "IMAGE_INSTALL:append",
        ] {
            assert!(ConfigKey::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn set_describes_and_detects_no_change() {
        let mut config = ProjectConfig::default();
        let d = config.apply(&set("IMAGE_FSTYPES", "ext4 wic")).unwrap();
        assert_eq!(d.as_deref(), Some("set IMAGE_FSTYPES = \"ext4 wic\""));
        assert_eq!(
            config.apply(&set("IMAGE_FSTYPES", "ext4 wic")).unwrap(),
            None
        );
        let d = config.apply(&ConfigChange::Unset {
            key: ConfigKey::parse("IMAGE_FSTYPES").unwrap(),
        });
        assert_eq!(d.unwrap().as_deref(), Some("unset IMAGE_FSTYPES"));
        assert!(config.variables.is_empty());
    }

    #[test]
    fn lists_add_and_remove_words_in_order() {
        let mut config = ProjectConfig::default();
        config.apply(&set("targets", "core-image-minimal")).unwrap();
        config
            .apply(&ConfigChange::Add {
                key: ConfigKey::Targets,
                words: vec!["core-image-sato:populate_sdk core-image-minimal".into()],
            })
            .unwrap();
        assert_eq!(
            config.get(&ConfigKey::Targets).as_deref(),
            Some("core-image-minimal core-image-sato:do_populate_sdk")
        );
        config
            .apply(&ConfigChange::Remove {
                key: ConfigKey::Targets,
                words: vec!["core-image-minimal".into()],
            })
            .unwrap();
        assert_eq!(config.targets.len(), 1);
        let err = config.apply(&ConfigChange::Add {
            key: ConfigKey::Machine,
            words: vec!["x".into()],
        });
        assert!(err.is_err());
    }

    #[test]
    fn bad_values_change_nothing() {
        let mut config = ProjectConfig::default();
        config.apply(&set("packages", "strace")).unwrap();
        let before = config.clone();
        for change in [
            set("packages", "strace gdb\"; rm"),
            set("EXTRA", "a\nINHERIT += \"evil\""),
            set("EXTRA", "a\0b"),
            set("machine", "qemu arm"),
            set("EXTRA", &"x".repeat(MAX_VALUE_LEN + 1)),
        ] {
            assert!(config.apply(&change).is_err(), "{change:?}");
            assert_eq!(config, before);
        }
    }
}
