use std::fmt;

use super::config::check_word;
use super::variable::check_defining;
use super::{Extend, ModelError, Operation, Operator, ProjectConfig, Target, Variable};

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
    /// Any other BitBake variable, by its left-hand side: the name with its overrides and
    /// flag as BitBake writes them (`INHERIT`, `IMAGE_INSTALL:append`, `SRCREV:pn-busybox`,
    /// `do_fetch[number_threads]`).
    Variable(String),
}

/// The longest value a variable may hold.
const MAX_VALUE_LEN: usize = 64 * 1024;

impl ConfigKey {
    /// Reads a key as users type it: `machine`, `distro`, `targets`, `packages`, `recipes`, or
    /// a BitBake variable's left-hand side such as `IMAGE_FSTYPES`,
    /// `PREFERRED_VERSION_linux-yocto`, `DISTRO_FEATURES:remove` or `SKIP_RECIPE[foo]`.
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
        if value == "BBLAYERS" || value.starts_with("BBLAYERS:") {
            return Err(invalid(
                "it is managed by Toaster".to_owned(),
                "layers are changed with the `layer` commands",
            ));
        }
        let hint = "a variable name starts with a letter or `_` and holds letters, digits and `_-+.:/~`, optionally followed by a flag in brackets (`do_fetch[number_threads]`)";
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
        let (name, flag) = match value.split_once('[') {
            Some((name, rest)) => match rest.strip_suffix(']') {
                Some(flag) => (name, Some(flag)),
                None => {
                    return Err(invalid(
                        "its flag's `[` is not closed by a final `]`".to_owned(),
                        hint,
                    ));
                }
            },
            None => (value, None),
        };
        if let Some(c) = name.chars().find(|c| {
            !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+' | '.' | ':' | '/' | '~'))
        }) {
            return Err(invalid(format!("it contains {c:?}"), hint));
        }
        if name.split(':').any(str::is_empty) {
            return Err(invalid(
                "it has an empty override between `:`".to_owned(),
                hint,
            ));
        }
        if let Some(flag) = flag {
            let first_ok = flag
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphanumeric() || "-_+.".contains(c));
            let rest_ok = flag
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_+.@/".contains(c));
            if !first_ok || !rest_ok {
                return Err(invalid(
                    format!("its flag `[{flag}]` is not a flag name BitBake reads"),
                    "a flag starts with a letter, digit or `-_+.` and holds those and `@/`",
                ));
            }
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

/// Whether a variable's left-hand side names the variable itself (`INHERIT`,
/// `PACKAGECONFIG:pn-qemu`): no `:append`, `:prepend` or `:remove`, no flag.
fn is_bare(name: &str) -> bool {
    !name.contains('[')
        && !name
            .split(':')
            .any(|part| matches!(part, "append" | "prepend" | "remove"))
}

/// `name` with the operator override `op` after its variable name:
/// `PACKAGECONFIG:pn-qemu` → `PACKAGECONFIG:append:pn-qemu`.
fn with_operator(name: &str, op: &str) -> String {
    match name.split_once(':') {
        Some((base, overrides)) => format!("{base}:{op}:{overrides}"),
        None => format!("{name}:{op}"),
    }
}

/// One change to a project's configuration, as a user asks for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigChange {
    /// Give a key a value with `=` (lists: space-separated words, replacing the list); the
    /// same as [`ConfigChange::Assign`] with `=` and no `export`.
    Set {
        /// What to set.
        key: ConfigKey,
        /// The value.
        value: String,
    },
    /// Write a key as `[export] KEY OP "value"`, replacing what the project wrote for it.
    /// `machine` and `distro` take `=`, `?=` and `??=`; `targets`, `packages` and `recipes`
    /// only `=`; `export` is for variables without a flag.
    Assign {
        /// What to set.
        key: ConfigKey,
        /// The operator.
        op: Operator,
        /// The value.
        value: String,
        /// Written with `export`.
        export: bool,
    },
    /// Remove a key's value.
    Unset {
        /// What to unset.
        key: ConfigKey,
    },
    /// Add words to a list (or a space-separated variable), keeping those already there. A
    /// variable is extended the way its spec says (`+=` or `:append`), never replaced.
    Add {
        /// The list.
        key: ConfigKey,
        /// The words to add, in order.
        words: Vec<String>,
    },
    /// Remove words from a list (or a space-separated variable): from what the project
    /// wrote, or with `NAME:remove` for a word set elsewhere.
    Remove {
        /// The list.
        key: ConfigKey,
        /// The words to remove.
        words: Vec<String>,
    },
}

impl ConfigChange {
    /// The key it addresses.
    pub fn key(&self) -> &ConfigKey {
        match self {
            ConfigChange::Set { key, .. }
            | ConfigChange::Assign { key, .. }
            | ConfigChange::Unset { key }
            | ConfigChange::Add { key, .. }
            | ConfigChange::Remove { key, .. } => key,
        }
    }
}

impl ProjectConfig {
    /// The value of a key as text (lists joined by spaces; a variable as
    /// [`Variable`]'s `Display`: a plain value as is, otherwise with its operators), or `None`
    /// when unset or empty.
    pub fn get(&self, key: &ConfigKey) -> Option<String> {
        let joined = |words: Vec<String>| (!words.is_empty()).then(|| words.join(" "));
        let single = |value: &Option<String>, op: Operator| {
            value.as_ref().map(|v| match op {
                Operator::Set => v.clone(),
                op => Operation {
                    op,
                    value: v.clone(),
                }
                .to_string(),
            })
        };
        match key {
            ConfigKey::Machine => single(&self.machine, self.machine_op),
            ConfigKey::Distro => single(&self.distro, self.distro_op),
            ConfigKey::Targets => joined(self.targets.iter().map(Target::to_string).collect()),
            ConfigKey::Packages => joined(self.packages.clone()),
            ConfigKey::Recipes => joined(self.recipes.clone()),
            ConfigKey::Variable(name) => self.variables.get(name).map(ToString::to_string),
        }
    }

    /// Applies a change after checking it, extending variables with `:append` (see
    /// [`ProjectConfig::apply_with`]).
    pub fn apply(&mut self, change: &ConfigChange) -> Result<Option<String>, ModelError> {
        self.apply_with(change, &|_| Extend::default())
    }

    /// Applies a change after checking it; `extend` says how a bare variable name is
    /// extended by [`ConfigChange::Add`]. Returns a one-line description of what changed
    /// (`set INHERIT += "rm_work"`), or `None` when the configuration already was that way.
    /// On error nothing changes.
    pub fn apply_with(
        &mut self,
        change: &ConfigChange,
        extend: &dyn Fn(&str) -> Extend,
    ) -> Result<Option<String>, ModelError> {
        let mut next = self.clone();
        let touched = next.change(change, extend)?;
        if next == *self {
            return Ok(None);
        }
        let descriptions: Vec<String> = touched
            .iter()
            .filter(|key| self.describe(key) != next.describe(key))
            .map(|key| next.describe(key))
            .collect();
        *self = next;
        Ok(Some(descriptions.join("; ")))
    }

    /// What a key holds, as history shows it: `set KEY OP "value"` or `unset KEY`.
    fn describe(&self, key: &ConfigKey) -> String {
        let single = |value: &Option<String>, op: Operator| {
            value.as_ref().map(|v| format!("set {key} {op} \"{v}\""))
        };
        let described = match key {
            ConfigKey::Machine => single(&self.machine, self.machine_op),
            ConfigKey::Distro => single(&self.distro, self.distro_op),
            ConfigKey::Variable(name) => match self.variables.get(name) {
                Some(v) if v.operations.is_empty() => Some(format!("export {name}")),
                Some(v) => Some(format!("set {name} {}", v.conf_text())),
                None => None,
            },
            _ => self.get(key).map(|v| format!("set {key} = \"{v}\"")),
        };
        described.unwrap_or_else(|| format!("unset {key}"))
    }

    /// Makes the change on `self`; returns the keys it may have touched.
    fn change(
        &mut self,
        change: &ConfigChange,
        extend: &dyn Fn(&str) -> Extend,
    ) -> Result<Vec<ConfigKey>, ModelError> {
        let key = change.key();
        let (op, value, export) = match change {
            ConfigChange::Set { value, .. } => (Operator::Set, value, false),
            ConfigChange::Assign {
                op, value, export, ..
            } => (*op, value, *export),
            ConfigChange::Unset { .. } => {
                self.store(key, None)?;
                return Ok(vec![key.clone()]);
            }
            ConfigChange::Add { words, .. } | ConfigChange::Remove { words, .. } => {
                if !key.is_list() {
                    return Err(ModelError::invalid(
                        "configuration key",
                        &key.to_string(),
                        "it holds one value, not a list",
                        format!("use `config set` to change the {key}"),
                    ));
                }
                let words: Vec<&str> = words.iter().flat_map(|w| w.split_whitespace()).collect();
                let adding = matches!(change, ConfigChange::Add { .. });
                return match key {
                    ConfigKey::Variable(name) if adding => self.add_words(name, &words, extend),
                    ConfigKey::Variable(name) => self.remove_words(name, &words),
                    _ => {
                        let mut current = self.words_of(key);
                        for word in words {
                            let present = current.iter().any(|w| w == word);
                            if adding && !present {
                                current.push(word.to_owned());
                            } else if !adding {
                                current.retain(|w| w != word);
                            }
                        }
                        let value = (!current.is_empty()).then(|| current.join(" "));
                        self.store(key, value.as_deref())?;
                        Ok(vec![key.clone()])
                    }
                };
            }
        };
        check_value(key, value)?;
        match key {
            ConfigKey::Variable(name) => {
                if export && name.contains('[') {
                    return Err(ModelError::invalid(
                        "configuration key",
                        name,
                        "`export` applies to a variable, not to one of its flags",
                        "export the variable itself, or set the flag without --export",
                    ));
                }
                let variable = Variable {
                    export,
                    ..Variable::assign(op, value.clone())
                };
                self.variables.insert(name.clone(), variable);
            }
            ConfigKey::Machine | ConfigKey::Distro => {
                check_defining(&key.to_string(), op)?;
                no_export(key, export)?;
                self.store(key, Some(value))?;
                if self.get(key).is_some() {
                    match key {
                        ConfigKey::Machine => self.machine_op = op,
                        _ => self.distro_op = op,
                    }
                }
            }
            _ => {
                if op != Operator::Set {
                    return Err(ModelError::invalid(
                        "operator",
                        op.as_str(),
                        format!("the {key} are Toaster's own list, set with ="),
                        format!("use `config add {key} WORD` to add to the list"),
                    ));
                }
                no_export(key, export)?;
                self.store(key, Some(value))?;
            }
        }
        Ok(vec![key.clone()])
    }

    /// Adds the missing `words` to variable `name`: a bare name the way `extend` says (to
    /// its `+=`, or to `NAME:append` with a leading space), any other left-hand side to its
    /// last operation; words the project removes with `NAME:remove` are no longer removed.
    fn add_words(
        &mut self,
        name: &str,
        words: &[&str],
        extend: &dyn Fn(&str) -> Extend,
    ) -> Result<Vec<ConfigKey>, ModelError> {
        let remove_key = with_operator(name, "remove");
        let mut touched = vec![ConfigKey::Variable(remove_key.clone())];
        if is_bare(name) {
            take_words(&mut self.variables, &remove_key, words);
        }
        let (target, op, leading) = match (is_bare(name), extend(name)) {
            (true, Extend::ColonAppend) => (with_operator(name, "append"), Operator::Set, true),
            (true, Extend::PlusEquals) => (name.to_owned(), Operator::Append, false),
            (false, _) => {
                let op = self
                    .variables
                    .get(name)
                    .and_then(|v| v.operations.last())
                    .map_or(Operator::Set, |o| o.op);
                let appending = name.split(':').any(|part| part == "append");
                (name.to_owned(), op, appending && op == Operator::Set)
            }
        };
        touched.push(ConfigKey::Variable(target.clone()));
        let variable = self.variables.entry(target.clone()).or_default();
        let mut missing: Vec<&str> = Vec::new();
        for word in words {
            if !variable.words().any(|w| w == *word) && !missing.contains(word) {
                missing.push(word);
            }
        }
        if !missing.is_empty() {
            let added = missing.join(" ");
            match variable.operations.iter_mut().rev().find(|o| o.op == op) {
                Some(operation) => {
                    let separator = if operation.value.is_empty()
                        || operation.value.ends_with(char::is_whitespace)
                    {
                        ""
                    } else {
                        " "
                    };
                    operation.value = format!("{}{separator}{added}", operation.value);
                }
                None => variable.operations.push(Operation {
                    op,
                    value: if leading { format!(" {added}") } else { added },
                }),
            }
        }
        if variable.is_empty() {
            self.variables.remove(&target);
        }
        if let Some(variable) = self.variables.get(&target) {
            for operation in &variable.operations {
                check_value(&ConfigKey::Variable(target.clone()), &operation.value)?;
            }
        }
        Ok(touched)
    }

    /// Removes `words` from what the project writes for variable `name` (for a bare name,
    /// also from `NAME:append` and `NAME:prepend`); for a bare name, words it does not write
    /// are removed with `NAME:remove`.
    fn remove_words(&mut self, name: &str, words: &[&str]) -> Result<Vec<ConfigKey>, ModelError> {
        let own: Vec<String> = if is_bare(name) {
            vec![
                name.to_owned(),
                with_operator(name, "append"),
                with_operator(name, "prepend"),
            ]
        } else {
            vec![name.to_owned()]
        };
        let mut touched: Vec<ConfigKey> = own.iter().cloned().map(ConfigKey::Variable).collect();
        let mut elsewhere: Vec<&str> = Vec::new();
        for word in words {
            let mut found = false;
            for key in &own {
                found |= take_words(&mut self.variables, key, &[word]);
            }
            if !found && is_bare(name) && !elsewhere.contains(word) {
                elsewhere.push(word);
            }
        }
        if !elsewhere.is_empty() {
            let remove_key = with_operator(name, "remove");
            touched.push(ConfigKey::Variable(remove_key.clone()));
            let variable = self.variables.entry(remove_key).or_default();
            let missing: Vec<&str> = elsewhere
                .into_iter()
                .filter(|w| !variable.words().any(|have| have == *w))
                .collect();
            if !missing.is_empty() {
                match variable
                    .operations
                    .iter_mut()
                    .rev()
                    .find(|o| o.op == Operator::Set)
                {
                    Some(operation) => {
                        operation.value = format!("{} {}", operation.value, missing.join(" "))
                            .trim_start()
                            .to_owned();
                    }
                    None => variable.operations.push(Operation {
                        op: Operator::Set,
                        value: missing.join(" "),
                    }),
                }
            }
        }
        Ok(touched)
    }

    fn words_of(&self, key: &ConfigKey) -> Vec<String> {
        self.get(key)
            .map(|v| v.split_whitespace().map(str::to_owned).collect())
            .unwrap_or_default()
    }

    /// Stores a checked value under a key with `=`; `None` or only spaces unsets it.
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
            ConfigKey::Machine => {
                self.machine = single("machine")?;
                self.machine_op = Operator::Set;
            }
            ConfigKey::Distro => {
                self.distro = single("distro")?;
                self.distro_op = Operator::Set;
            }
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
                    self.variables.insert(name.clone(), Variable::plain(value));
                }
                None => {
                    self.variables.remove(name);
                }
            },
        }
        Ok(())
    }
}

/// Takes `words` out of every operation of variable `key`: an adding operation left empty
/// goes, and the variable goes when nothing else is written for it (a lone `=` left empty
/// too, as removing the last word of a plain list always did). Returns whether any word
/// was there.
fn take_words(
    variables: &mut std::collections::BTreeMap<String, Variable>,
    key: &str,
    words: &[&str],
) -> bool {
    let Some(variable) = variables.get_mut(key) else {
        return false;
    };
    let mut found = false;
    variable.operations.retain_mut(|operation| {
        let before: Vec<&str> = operation.value.split_whitespace().collect();
        let kept: Vec<&str> = before
            .iter()
            .copied()
            .filter(|w| !words.contains(w))
            .collect();
        if kept.len() == before.len() {
            return true;
        }
        found = true;
        let lead = if operation.value.starts_with(char::is_whitespace) {
            " "
        } else {
            ""
        };
        operation.value = if kept.is_empty() {
            String::new()
        } else {
            format!("{lead}{}", kept.join(" "))
        };
        !operation.value.is_empty() || operation.op.defines()
    });
    let lone_empty = variable.plain_value().is_some_and(str::is_empty);
    if found && (variable.is_empty() || lone_empty) {
        variables.remove(key);
    }
    found
}

fn no_export(key: &ConfigKey, export: bool) -> Result<(), ModelError> {
    if export {
        return Err(ModelError::invalid(
            "configuration key",
            &key.to_string(),
            format!("the {key} cannot be exported"),
            "export a BitBake variable instead: `config set --export NAME VALUE`",
        ));
    }
    Ok(())
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
            "", "1X", "A B", "A\"", "A=B", "${@x}", "BBLAYERS", "A:", "A::B", "A[", "A[]", "A[x]B",
            "A[@x]",
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

    fn assign(key: &str, op: Operator, value: &str) -> ConfigChange {
        ConfigChange::Assign {
            key: ConfigKey::parse(key).unwrap(),
            op,
            value: value.to_owned(),
            export: false,
        }
    }

    fn add(key: &str, words: &str) -> ConfigChange {
        ConfigChange::Add {
            key: ConfigKey::parse(key).unwrap(),
            words: vec![words.to_owned()],
        }
    }

    fn remove(key: &str, words: &str) -> ConfigChange {
        ConfigChange::Remove {
            key: ConfigKey::parse(key).unwrap(),
            words: vec![words.to_owned()],
        }
    }

    fn lines(config: &ProjectConfig) -> Vec<String> {
        config
            .variables
            .iter()
            .flat_map(|(key, v)| v.conf_lines(key))
            .collect()
    }

    /// INHERIT extends with `+=`, everything else with `:append`.
    fn extend(key: &str) -> Extend {
        match key {
            "INHERIT" => Extend::PlusEquals,
            _ => Extend::ColonAppend,
        }
    }

    #[test]
    fn keys_take_overrides_and_flags() {
        for key in [
            "IMAGE_INSTALL:append",
            "SRCREV:pn-busybox",
            "do_fetch[number_threads]",
            "SKIP_RECIPE[foo]",
            "PACKAGECONFIG:append:pn-qemu-system-native",
        ] {
            assert_eq!(
                ConfigKey::parse(key).unwrap(),
                ConfigKey::Variable(key.into())
            );
        }
    }

    #[test]
    fn assign_keeps_the_operator_and_history_shows_it() {
        let mut config = ProjectConfig::default();
        let d = config
            .apply(&assign("INHERIT", Operator::Append, "rm_work"))
            .unwrap();
        assert_eq!(d.as_deref(), Some("set INHERIT += \"rm_work\""));
        let d = config
            .apply(&assign("MACHINE", Operator::WeakDefault, "qemuarm64"))
            .unwrap();
        assert_eq!(d.as_deref(), Some("set machine ??= \"qemuarm64\""));
        assert_eq!(config.machine_op, Operator::WeakDefault);
        assert_eq!(
            config.get(&ConfigKey::Machine).as_deref(),
            Some("??= \"qemuarm64\"")
        );
        let d = config
            .apply(&ConfigChange::Assign {
                key: ConfigKey::parse("FOO").unwrap(),
                op: Operator::Set,
                value: "bar".into(),
                export: true,
            })
            .unwrap();
        assert_eq!(d.as_deref(), Some("set FOO = \"bar\", exported"));
        assert_eq!(
            lines(&config),
            ["export FOO = \"bar\"", "INHERIT += \"rm_work\""]
        );
        // Machine takes only the operators that set one value; flags are not exported.
        assert!(
            config
                .apply(&assign("MACHINE", Operator::Append, "x"))
                .is_err()
        );
        assert!(
            config
                .apply(&assign("packages", Operator::Default, "x"))
                .is_err()
        );
        assert!(
            config
                .apply(&ConfigChange::Assign {
                    key: ConfigKey::parse("do_fetch[number_threads]").unwrap(),
                    op: Operator::Set,
                    value: "4".into(),
                    export: true,
                })
                .is_err()
        );
        // A plain set makes machine plain again.
        config.apply(&set("machine", "qemux86-64")).unwrap();
        assert_eq!(config.machine_op, Operator::Set);
    }

    #[test]
    fn add_extends_never_replaces() {
        let mut config = ProjectConfig::default();
        let d = config
            .apply_with(&add("INHERIT", "rm_work buildstats-summary"), &extend)
            .unwrap();
        assert_eq!(
            d.as_deref(),
            Some("set INHERIT += \"rm_work buildstats-summary\"")
        );
        config
            .apply_with(&add("INHERIT", "rm_work buildhistory"), &extend)
            .unwrap();
        config
            .apply_with(&add("IMAGE_INSTALL", "htop"), &extend)
            .unwrap();
        config
            .apply_with(&add("IMAGE_INSTALL", "strace htop"), &extend)
            .unwrap();
        config
            .apply_with(&add("PACKAGECONFIG:pn-qemu", "sdl"), &extend)
            .unwrap();
        assert_eq!(
            lines(&config),
            [
                "IMAGE_INSTALL:append = \" htop strace\"",
                "INHERIT += \"rm_work buildstats-summary buildhistory\"",
                "PACKAGECONFIG:append:pn-qemu = \" sdl\"",
            ]
        );
        // Adding to a hard `=` the user set keeps it, and adds with the variable's form.
        config.apply(&set("DISTRO_FEATURES", "x11")).unwrap();
        config
            .apply_with(&add("DISTRO_FEATURES", "wayland"), &extend)
            .unwrap();
        assert_eq!(
            config.variables["DISTRO_FEATURES:append"].conf_text(),
            "= \" wayland\""
        );
        assert_eq!(
            config.variables["DISTRO_FEATURES"].plain_value(),
            Some("x11")
        );
    }

    #[test]
    fn remove_takes_out_its_own_words_or_writes_remove() {
        let mut config = ProjectConfig::default();
        config
            .apply_with(&add("DISTRO_FEATURES", "wayland vulkan"), &extend)
            .unwrap();
        let d = config
            .apply_with(&remove("DISTRO_FEATURES", "wayland x11"), &extend)
            .unwrap();
        assert_eq!(
            d.as_deref(),
            Some("set DISTRO_FEATURES:append = \" vulkan\"; set DISTRO_FEATURES:remove = \"x11\"")
        );
        config
            .apply_with(&remove("DISTRO_FEATURES", "vulkan"), &extend)
            .unwrap();
        assert_eq!(lines(&config), ["DISTRO_FEATURES:remove = \"x11\""]);
        // Adding a word back takes it out of `:remove`.
        let d = config
            .apply_with(&add("DISTRO_FEATURES", "x11"), &extend)
            .unwrap();
        assert_eq!(
            d.as_deref(),
            Some("unset DISTRO_FEATURES:remove; set DISTRO_FEATURES:append = \" x11\"")
        );
        assert_eq!(lines(&config), ["DISTRO_FEATURES:append = \" x11\""]);
        // Removing what is not there from a left-hand side with an operator changes nothing.
        assert_eq!(
            config
                .apply_with(&remove("DISTRO_FEATURES:append", "nfs"), &extend)
                .unwrap(),
            None
        );
    }

    #[test]
    fn old_configurations_read_and_write_unchanged() {
        let text = r#"{"machine":"qemuarm","variables":{"A":"1","IMAGE_FSTYPES":"ext4"}}"#;
        let config: ProjectConfig = serde_json::from_str(text).unwrap();
        assert_eq!(config.variables["A"], Variable::plain("1"));
        assert_eq!(config.machine_op, Operator::Set);
        let back = serde_json::to_value(&config).unwrap();
        assert_eq!(
            back["variables"],
            serde_json::json!({"A": "1", "IMAGE_FSTYPES": "ext4"})
        );
        assert!(back.get("machine_op").is_none());
    }
}
