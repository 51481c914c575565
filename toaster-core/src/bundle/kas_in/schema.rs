//! Each file checked on its own against kas's JSON schema (`kas/schema-kas.json`, format
//! 23), as kas checks every file it loads: the keys it knows, each value's type, the
//! `header.version` range. The version is checked first, so a file for a newer kas is
//! refused for its version rather than for a key it uses.

use super::error::{KasInError, MAX_VERSION, MIN_VERSION};
use super::node::{Node, Value};
use super::source::Sources;

/// The top-level keys and what checks their values.
const TOP: &[&str] = &[
    "header",
    "build_system",
    "defaults",
    "overrides",
    "machine",
    "distro",
    "env",
    "target",
    "task",
    "repos",
    "bblayers_conf_header",
    "local_conf_header",
    "proxy_config",
    "menu_configuration",
    "artifacts",
    "signers",
    "buildtools",
    "_source_dir",
    "_source_dir_host",
];

/// The keys of a repository entry.
const REPO: &[&str] = &[
    "name",
    "url",
    "type",
    "commit",
    "branch",
    "tag",
    "refspec",
    "signed",
    "allowed_signers",
    "path",
    "layers",
    "patches",
];

/// Checks one file's tree; `top` is true for the kas file given (not an include or lock
/// file).
pub(super) fn check_file(sources: &Sources, tree: &Node, top: bool) -> Result<(), KasInError> {
    let c = Check { sources };
    let Value::Map(entries) = &tree.value else {
        return Err(KasInError::NotAMapping {
            file: c.file(tree),
            found: tree.value.kind(),
        });
    };
    let Some(header) = tree.get("header") else {
        return Err(c.missing(tree, "header"));
    };
    c.header(header)?;
    for (key, node) in entries {
        let key = key.as_str();
        match key {
            "header" => {}
            "machine" | "distro" | "task" | "_source_dir_host" => c.string(node, key)?,
            "_source_dir" if !top => {
                return Err(c.not_allowed(
                    node,
                    key,
                    "set",
                    "only in the kas file given (kas writes it there), not in an include",
                ));
            }
            "_source_dir" => c.string(node, key)?,
            "build_system" => c.one_of(
                node,
                key,
                &[
                    "openembedded",
                    "oe",
                    "isar",
                    "isar-privileged",
                    "isar-rootless",
                ],
                "one of openembedded, oe, isar, isar-privileged, isar-rootless",
            )?,
            "target" => match &node.value {
                Value::Seq(items) => {
                    for (i, item) in items.iter().enumerate() {
                        c.string(item, &format!("target[{i}]"))?;
                    }
                }
                _ => c.expect(node, key, "a string or a list of strings", |v| {
                    matches!(v, Value::Str(_))
                })?,
            },
            "env" => c.map_of(node, key, |k, v| c.string_or_null(v, &k))?,
            "bblayers_conf_header" | "local_conf_header" | "artifacts" => {
                c.map_of(node, key, |k, v| c.string(v, &k))?;
            }
            "menu_configuration" => c.map_of(node, key, |k, v| {
                c.expect(v, &k, "a boolean, string or number", |v| {
                    matches!(v, Value::Bool(_) | Value::Str(_) | Value::Int(_))
                })
            })?,
            "proxy_config" => c.strings(
                node,
                key,
                &["http_proxy", "https_proxy", "ftp_proxy", "no_proxy"],
            )?,
            "buildtools" => {
                // Other keys are allowed here (the schema has no `additionalProperties`).
                let entries = node
                    .entries()
                    .ok_or_else(|| c.wrong(node, key, "a mapping"))?;
                for (k, v) in entries {
                    if matches!(
                        k.as_str(),
                        "version" | "sha256sum" | "base_url" | "filename"
                    ) {
                        c.string(v, &format!("buildtools.{k}"))?;
                    }
                }
                for required in ["version", "sha256sum"] {
                    if node.get(required).is_none() {
                        return Err(c.missing(node, &format!("buildtools.{required}")));
                    }
                }
            }
            "signers" => c.map_of(node, key, |k, v| {
                c.strings(
                    v,
                    &k,
                    &["type", "repo", "path", "fingerprint", "gpg_keyserver"],
                )
            })?,
            "defaults" => c.defaults(node)?,
            "overrides" => c.overrides(node)?,
            "repos" => c.map_of(node, key, |k, v| c.repo(v, &k))?,
            _ if TOP.contains(&key) => {}
            _ => return Err(c.unknown(node, key)),
        }
    }
    Ok(())
}

/// The format version of a checked file (`"0.10"` is 1).
pub(super) fn version(tree: &Node) -> u32 {
    match tree
        .get("header")
        .and_then(|h| h.get("version"))
        .map(|v| &v.value)
    {
        Some(Value::Int(n)) => u32::try_from(*n).unwrap_or(MIN_VERSION),
        _ => MIN_VERSION,
    }
}

struct Check<'a> {
    sources: &'a Sources,
}

impl Check<'_> {
    fn file(&self, node: &Node) -> std::path::PathBuf {
        self.sources.path(node.at.file).to_owned()
    }

    fn wrong(&self, node: &Node, key: &str, expected: &'static str) -> KasInError {
        KasInError::WrongType {
            file: self.file(node),
            line: node.at.line,
            key: key.to_owned(),
            expected,
            found: node.value.kind(),
        }
    }

    fn missing(&self, node: &Node, key: &str) -> KasInError {
        KasInError::MissingKey {
            file: self.file(node),
            line: node.at.line,
            key: key.to_owned(),
        }
    }

    fn unknown(&self, node: &Node, key: &str) -> KasInError {
        KasInError::UnknownKey {
            file: self.file(node),
            line: node.at.line,
            key: key.to_owned(),
        }
    }

    fn not_allowed(
        &self,
        node: &Node,
        key: &str,
        value: &str,
        allowed: &'static str,
    ) -> KasInError {
        KasInError::NotAllowed {
            file: self.file(node),
            line: node.at.line,
            key: key.to_owned(),
            value: crate::model::shorten(value),
            allowed,
        }
    }

    fn expect(
        &self,
        node: &Node,
        key: &str,
        expected: &'static str,
        ok: impl Fn(&Value) -> bool,
    ) -> Result<(), KasInError> {
        if ok(&node.value) {
            Ok(())
        } else {
            Err(self.wrong(node, key, expected))
        }
    }

    fn string(&self, node: &Node, key: &str) -> Result<(), KasInError> {
        self.expect(node, key, "a string", |v| matches!(v, Value::Str(_)))
    }

    fn string_or_null(&self, node: &Node, key: &str) -> Result<(), KasInError> {
        self.expect(node, key, "a string or nothing (null)", |v| {
            matches!(v, Value::Str(_) | Value::Null)
        })
    }

    fn one_of(
        &self,
        node: &Node,
        key: &str,
        values: &[&str],
        allowed: &'static str,
    ) -> Result<(), KasInError> {
        match node.as_str() {
            Some(s) if values.contains(&s) => Ok(()),
            Some(s) => Err(self.not_allowed(node, key, s, allowed)),
            None => Err(self.wrong(node, key, allowed)),
        }
    }

    /// A mapping whose every value passes `each` (given the dotted key and the value).
    fn map_of(
        &self,
        node: &Node,
        key: &str,
        each: impl Fn(String, &Node) -> Result<(), KasInError>,
    ) -> Result<(), KasInError> {
        let Value::Map(entries) = &node.value else {
            return Err(self.wrong(node, key, "a mapping"));
        };
        for (k, v) in entries {
            each(format!("{key}.{k}"), v)?;
        }
        Ok(())
    }

    /// A mapping with only the keys `allowed`.
    fn only<'n>(
        &self,
        node: &'n Node,
        key: &str,
        allowed: &[&str],
    ) -> Result<&'n [(String, Node)], KasInError> {
        let Value::Map(entries) = &node.value else {
            return Err(self.wrong(node, key, "a mapping"));
        };
        if let Some((k, v)) = entries.iter().find(|(k, _)| !allowed.contains(&k.as_str())) {
            return Err(self.unknown(v, &format!("{key}.{k}")));
        }
        Ok(entries)
    }

    /// A mapping with only the keys `allowed`, each a string.
    fn strings(&self, node: &Node, key: &str, allowed: &[&str]) -> Result<(), KasInError> {
        for (k, v) in self.only(node, key, allowed)? {
            self.string(v, &format!("{key}.{k}"))?;
        }
        Ok(())
    }

    fn header(&self, header: &Node) -> Result<(), KasInError> {
        let entries = self.only(header, "header", &["version", "includes"])?;
        let Some(version) = header.get("version") else {
            return Err(self.missing(header, "header.version"));
        };
        let known = match &version.value {
            Value::Int(n) => (i128::from(MIN_VERSION)..=i128::from(MAX_VERSION)).contains(n),
            Value::Str(s) => s == "0.10",
            _ => false,
        };
        if !known {
            return Err(KasInError::Version {
                file: self.file(version),
                line: version.at.line,
                found: match &version.value {
                    Value::Int(n) => n.to_string(),
                    Value::Str(s) => format!("the string `{}`", crate::model::shorten(s)),
                    other => other.kind().to_owned(),
                },
            });
        }
        for (k, v) in entries {
            if k != "includes" {
                continue;
            }
            let Value::Seq(items) = &v.value else {
                return Err(self.wrong(v, "header.includes", "a list"));
            };
            for (i, item) in items.iter().enumerate() {
                let key = format!("header.includes[{i}]");
                match &item.value {
                    Value::Str(_) => {}
                    Value::Map(_) => {
                        self.strings(item, &key, &["repo", "file"])?;
                        for required in ["repo", "file"] {
                            if item.get(required).is_none() {
                                return Err(self.missing(item, &format!("{key}.{required}")));
                            }
                        }
                    }
                    _ => {
                        return Err(self.wrong(
                            item,
                            &key,
                            "a path, or a mapping of repo and file",
                        ));
                    }
                }
            }
        }
        Ok(())
    }

    fn defaults(&self, node: &Node) -> Result<(), KasInError> {
        for (k, v) in self.only(node, "defaults", &["repos"])? {
            let key = format!("defaults.{k}");
            for (k, v) in self.only(v, &key, &["branch", "tag", "refspec", "patches"])? {
                let key = format!("{key}.{k}");
                if k == "patches" {
                    self.strings(v, &key, &["repo"])?;
                } else {
                    self.string(v, &key)?;
                }
            }
        }
        Ok(())
    }

    fn overrides(&self, node: &Node) -> Result<(), KasInError> {
        for (k, v) in self.only(node, "overrides", &["repos"])? {
            self.map_of(v, &format!("overrides.{k}"), |key, repo| {
                for (k, v) in self.only(repo, &key, &["branch", "commit", "url"])? {
                    let key = format!("{key}.{k}");
                    if k == "url" {
                        self.string(v, &key)?;
                    } else {
                        self.string_or_null(v, &key)?;
                    }
                }
                Ok(())
            })?;
        }
        Ok(())
    }

    fn repo(&self, node: &Node, key: &str) -> Result<(), KasInError> {
        if node.is_null() {
            return Ok(());
        }
        for (k, v) in self.only(node, key, REPO)? {
            let key = format!("{key}.{k}");
            match k.as_str() {
                "name" | "commit" | "refspec" => self.string(v, &key)?,
                "url" | "branch" | "tag" | "path" => self.string_or_null(v, &key)?,
                "type" => self.one_of(v, &key, &["git", "hg"], "git or hg")?,
                "signed" => self.expect(v, &key, "a boolean", |v| matches!(v, Value::Bool(_)))?,
                "allowed_signers" => match &v.value {
                    Value::Seq(items) => {
                        for (i, item) in items.iter().enumerate() {
                            self.string(item, &format!("{key}[{i}]"))?;
                        }
                    }
                    _ => return Err(self.wrong(v, &key, "a list of strings")),
                },
                "layers" => self.map_of(v, &key, |k, layer| self.layer(layer, &k))?,
                "patches" => self.map_of(v, &key, |k, patch| {
                    if patch.is_null() {
                        return Ok(());
                    }
                    self.strings(patch, &k, &["repo", "path"])?;
                    if patch.get("path").is_none() {
                        return Err(self.missing(patch, &format!("{k}.path")));
                    }
                    Ok(())
                })?,
                _ => {}
            }
        }
        Ok(())
    }

    /// A layer's value: nothing, `disabled` (or an old spelling of it), or `{prio: N}`.
    fn layer(&self, node: &Node, key: &str) -> Result<(), KasInError> {
        let allowed = "nothing, `disabled`, or a mapping with `prio` from -99 to 99";
        match &node.value {
            Value::Null | Value::Bool(false) | Value::Int(0) => Ok(()),
            Value::Str(s) if is_disabled(s) => Ok(()),
            Value::Str(s) => Err(self.not_allowed(node, key, s, allowed)),
            Value::Map(_) => {
                for (k, v) in self.only(node, key, &["prio"])? {
                    let key = format!("{key}.{k}");
                    match v.value {
                        Value::Int(n) if (-99..=99).contains(&n) => {}
                        Value::Int(n) => {
                            return Err(self.not_allowed(
                                v,
                                &key,
                                &n.to_string(),
                                "a number from -99 to 99",
                            ));
                        }
                        _ => return Err(self.wrong(v, &key, "a number from -99 to 99")),
                    }
                }
                Ok(())
            }
            _ => Err(self.wrong(node, key, allowed)),
        }
    }
}

/// `disabled`, or one of the old spellings kas still reads (with a warning).
pub(super) fn is_disabled(text: &str) -> bool {
    matches!(text, "disabled" | "excluded" | "n" | "no" | "0" | "false")
}
