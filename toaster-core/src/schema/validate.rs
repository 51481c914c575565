//! Checking a value against its variable's spec: every problem, each with a hint.

use super::error::{Issue, SchemaError, Warning, WarningKind};
use super::spec::{Kind, LayerValue, VarSpec, in_range};
use super::suggest::closest;
use super::{Class, LayerValues, Schema, sanity};
use crate::model::Release;

impl Schema {
    /// Checks that a project of `release` may set `name` (overrides included, such as
    /// `DISTRO_FEATURES:append`) to `value`. Unknown variables are accepted as text with a
    /// warning (refused when `strict`); forbidden, managed and renamed ones are refused.
    pub fn check(
        &self,
        name: &str,
        value: &str,
        release: &Release,
        strict: bool,
    ) -> Result<Vec<Warning>, SchemaError> {
        self.check_in(name, value, release, strict, None)
    }

    /// [`Schema::check`], with machines, distros and image types also checked against what
    /// the project's `layers` define (see [`Schema::check_value`]).
    pub fn check_in(
        &self,
        name: &str,
        value: &str,
        release: &Release,
        strict: bool,
        layers: Option<&LayerValues>,
    ) -> Result<Vec<Warning>, SchemaError> {
        let base = name.split(':').next().unwrap_or(name);
        if let Some(replacement) = self.renamed.get(base) {
            return Err(SchemaError::Renamed {
                variable: base.to_owned(),
                replacement: replacement.clone(),
            });
        }
        let Some(spec) = self.governing(name) else {
            let suggestion =
                closest(base, self.specs.keys().map(String::as_str)).map(str::to_owned);
            if strict {
                return Err(SchemaError::Unknown {
                    variable: name.to_owned(),
                    suggestion,
                });
            }
            let hint = match suggestion {
                Some(s) => format!("did you mean {s}?"),
                None => "the variable schema lists the variables Toaster knows".to_owned(),
            };
            return Ok(vec![Warning {
                kind: WarningKind::Variable,
                variable: name.to_owned(),
                issue: Issue {
                    reason: "not a variable Toaster knows; accepted as text".to_owned(),
                    hint,
                },
            }]);
        };
        let instead = || spec.instead.clone().unwrap_or_default();
        match spec.class {
            Class::Forbidden => {
                return Err(SchemaError::Forbidden {
                    variable: name.to_owned(),
                    doc: spec.doc.clone(),
                    instead: instead(),
                });
            }
            Class::Managed => {
                return Err(SchemaError::Managed {
                    variable: name.to_owned(),
                    doc: spec.doc.clone(),
                    instead: instead(),
                });
            }
            Class::Build | Class::Infrastructure => {}
        }
        let mut warnings = Vec::new();
        if !in_range(release, &spec.since, &None) {
            warnings.push(Warning {
                kind: WarningKind::Variable,
                variable: name.to_owned(),
                issue: Issue {
                    reason: format!(
                        "{} exists from {} on, and this project builds {release}",
                        spec.name,
                        spec.since.as_deref().unwrap_or_default()
                    ),
                    hint: "BitBake ignores it unless a layer of the project uses it".to_owned(),
                },
            });
        }
        if name.split(':').any(|part| part == "remove") {
            // Taking a value away never breaks a build, whatever the value.
            return Ok(warnings);
        }
        let fragment = [":append", ":prepend"].iter().any(|op| name.contains(op));
        warnings.extend(self.check_value(spec, name, value, release, fragment, layers)?);
        Ok(warnings)
    }

    /// Checks a value against `spec` only (for machine and distro, set through their own
    /// keys). A `fragment` (an `:append` and the like) is only checked word by word. With
    /// `layers`, a machine, distro or image type is checked against what the project's
    /// layers define: one they define is accepted; one they do not is a warning naming the
    /// closest they define and the layers read, unless some layer is not on disk yet (then
    /// the warning says the check was skipped; values the catalogue knows pass silently).
    pub fn check_value(
        &self,
        spec: &VarSpec,
        name: &str,
        value: &str,
        release: &Release,
        fragment: bool,
        layers: Option<&LayerValues>,
    ) -> Result<Vec<Warning>, SchemaError> {
        let mut problems = Vec::new();
        let mut warnings = Vec::new();
        let mut out = Findings {
            problems: &mut problems,
            warnings: &mut warnings,
            name,
        };
        if !fragment {
            sanity::check(&spec.name, value, &mut out);
            if spec.kind == Kind::Path && value.trim_start().starts_with('~') {
                out.problem(
                    "a leading `~` is not expanded by BitBake".to_owned(),
                    "write an absolute path, or one starting with ${TOPDIR}",
                );
            }
        }
        if !value.contains("${") && (!fragment || spec.kind == Kind::Words) {
            check_kind(spec, value.trim(), release, layers, &mut out);
        }
        if problems.is_empty() {
            Ok(warnings)
        } else {
            Err(SchemaError::Invalid {
                variable: name.to_owned(),
                value: crate::model::shorten(value),
                problems,
            })
        }
    }
}

/// What the checks of one value found: problems (the value is refused) and warnings.
pub(super) struct Findings<'a> {
    pub(super) problems: &'a mut Vec<Issue>,
    pub(super) warnings: &'a mut Vec<Warning>,
    pub(super) name: &'a str,
}

impl Findings<'_> {
    pub(super) fn problem(&mut self, reason: String, hint: impl Into<String>) {
        self.problems.push(Issue {
            reason,
            hint: hint.into(),
        });
    }

    fn warn(&mut self, kind: WarningKind, reason: String, hint: String) {
        self.warnings.push(Warning {
            kind,
            variable: self.name.to_owned(),
            issue: Issue { reason, hint },
        });
    }
}

fn check_kind(
    spec: &VarSpec,
    value: &str,
    release: &Release,
    layers: Option<&LayerValues>,
    out: &mut Findings<'_>,
) {
    match spec.kind {
        Kind::String => {}
        Kind::Path => {
            if value.chars().any(char::is_whitespace) {
                out.problem(
                    "a path with whitespace breaks the build".to_owned(),
                    "choose a directory without spaces",
                );
            }
        }
        Kind::Integer => match value.parse::<i64>() {
            Ok(n) if spec.minimum.is_some_and(|m| n < m) => out.problem(
                format!("{n} is less than {}", spec.minimum.unwrap_or_default()),
                format!(
                    "write a number of at least {}",
                    spec.minimum.unwrap_or_default()
                ),
            ),
            Ok(_) => {}
            Err(_) => out.problem(
                "it is not a whole number".to_owned(),
                "write digits only, e.g. 8",
            ),
        },
        Kind::Boolean => {
            if value != "0" && value != "1" {
                let meant = match value.to_ascii_lowercase().as_str() {
                    "y" | "yes" | "true" | "t" | "on" => "`1`",
                    "n" | "no" | "false" | "f" | "off" => "`0`",
                    _ => "`1` or `0`",
                };
                out.problem(
                    "a boolean is `1` or `0`".to_owned(),
                    format!("write {meant}"),
                );
            }
        }
        Kind::Enum => check_word(spec, value, release, layers, out),
        Kind::Words => {
            for word in value.split_whitespace() {
                check_word(spec, word, release, layers, out);
            }
        }
        Kind::Url => {
            if value.chars().any(char::is_whitespace) || !value.contains("://") {
                out.problem(
                    "it is not a URL".to_owned(),
                    "write SCHEME://HOST/PATH, e.g. https://mirror.example.com/sstate",
                );
            }
        }
        Kind::MakeOptions => {
            let jobs = value
                .split_once("-j")
                .map(|(_, rest)| rest.trim_start())
                .and_then(|rest| rest.split_whitespace().next())
                .and_then(|n| n.parse::<u32>().ok());
            if !matches!(jobs, Some(n) if n > 0) {
                out.problem(
                    "it has no `-j N` with a number of jobs above 0".to_owned(),
                    "write e.g. `-j 8` (other make options may follow)",
                );
            }
        }
        Kind::DiskMonitor => {
            for entry in value.split_whitespace() {
                check_disk_monitor(entry, out);
            }
        }
    }
}

/// One word of an enum or a word list: allowed (by the catalogue or, for machines, distros
/// and image types, by the project's layers), removed or not yet there in this series, a
/// likely typo, or unknown.
fn check_word(
    spec: &VarSpec,
    word: &str,
    release: &Release,
    layers: Option<&LayerValues>,
    out: &mut Findings<'_>,
) {
    let defined = spec.layer_value.zip(layers);
    let in_layers = defined.is_some_and(|(kind, layers)| {
        is_one_of(spec, word, layers.of(kind).iter().map(String::as_str))
    });
    if in_layers {
        return;
    }
    let known = spec.allowed.iter().find(|a| a.value() == word);
    let catalogued = spec.allowed.is_empty()
        || known.is_some_and(|a| a.applies(release))
        || is_one_of(spec, word, spec.allowed_in(release));
    if catalogued {
        if let Some((kind, layers)) = defined.filter(|(_, l)| l.complete()) {
            not_in_layers(word, kind, layers, out);
        }
        return;
    }
    if let Some(allowed) = known {
        let hint = match allowed.instead() {
            Some(instead) => format!("use {instead} instead"),
            None => format!(
                "use one of: {}",
                spec.allowed_in(release).collect::<Vec<_>>().join(", ")
            ),
        };
        let reason = if let Some(until) = allowed.removed_in(release) {
            format!("`{word}` was removed after {until}, and this project builds {release}")
        } else {
            format!(
                "`{word}` is allowed {} only, and this project builds {release}",
                allowed.range().unwrap_or_default()
            )
        };
        out.problem(reason, hint);
        return;
    }
    let layer_words = defined
        .map(|(kind, layers)| {
            layers
                .of(kind)
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    let suggestion = closest(
        word,
        spec.allowed_in(release).chain(layer_words.iter().copied()),
    );
    if spec.open {
        match (suggestion, defined) {
            (_, Some((kind, layers))) if layers.complete() => {
                not_in_layers(word, kind, layers, out);
            }
            (Some(s), _) => out.warn(
                WarningKind::Typo,
                format!("`{word}` is not a value Toaster knows; accepted"),
                format!("did you mean `{s}`?"),
            ),
            (None, Some((kind, layers))) => out.warn(
                WarningKind::CheckSkipped,
                format!(
                    "Toaster does not know the {} `{word}`, and did not check it against the project's layers: {} not fetched yet; accepted",
                    kind.noun(),
                    are(&layers.missing)
                ),
                "update the project's layers to fetch them, then set it again to check it".to_owned(),
            ),
            (None, None) if spec.layer_value.is_some() => out.warn(
                WarningKind::UnknownValue,
                format!(
                    "Toaster does not know the {} `{word}`; accepted, as a layer may define it",
                    spec.layer_value.map_or("value", |k| k.noun())
                ),
                "check that a layer of the project defines it".to_owned(),
            ),
            (None, None) => {}
        }
        return;
    }
    let list = spec.allowed_in(release).collect::<Vec<_>>().join(", ");
    let hint = match suggestion {
        Some(s) => format!("did you mean `{s}`? Allowed: {list}"),
        None => format!("allowed: {list}"),
    };
    let reason = if spec.suffixes.is_empty() {
        format!("`{word}` is not an allowed value")
    } else {
        format!(
            "`{word}` is not an allowed value (a type, optionally followed by .CONVERSION such as .gz or .bmap)"
        )
    };
    out.problem(reason, hint);
}

/// Whether `word` is one of `values`, or one of them followed by the spec's suffixes
/// (`ext4.gz.sha256sum`).
fn is_one_of<'a>(spec: &VarSpec, word: &str, mut values: impl Iterator<Item = &'a str>) -> bool {
    values.any(|a| {
        word == a
            || word
                .strip_prefix(a)
                .and_then(|rest| rest.strip_prefix('.'))
                .is_some_and(|rest| {
                    rest.split('.')
                        .all(|s| spec.suffixes.iter().any(|x| x == s))
                })
    })
}

/// The warning for a value none of the project's layers (all read) defines.
fn not_in_layers(word: &str, kind: LayerValue, layers: &LayerValues, out: &mut Findings<'_>) {
    let base = word.split('.').next().unwrap_or(word);
    let defined = layers.of(kind);
    let searched = if layers.searched.is_empty() {
        "the project has no layers".to_owned()
    } else {
        format!(
            "searched {} of {}",
            kind.place(),
            layers.searched.join(", ")
        )
    };
    let hint = match closest(base, defined.iter().map(String::as_str)) {
        Some(s) => {
            format!("did you mean `{s}`? Or add the layer that defines it")
        }
        None => "add the layer that defines it".to_owned(),
    };
    out.warn(
        WarningKind::NotInLayers,
        format!(
            "no layer of the project defines the {} `{base}` ({searched})",
            kind.noun()
        ),
        hint,
    );
}

/// `a, b are` / `a is`.
fn are(names: &[String]) -> String {
    match names {
        [one] => format!("{one} is"),
        many => format!("{} are", many.join(", ")),
    }
}

/// `ACTION,DIR,SPACE,INODES` with ACTION HALT, STOPTASKS or WARN, and sizes like `1G`/`100K`.
fn check_disk_monitor(entry: &str, out: &mut Findings<'_>) {
    let hint = "write ACTION,DIR,SPACE,INODES, e.g. STOPTASKS,${TMPDIR},1G,100K";
    let parts: Vec<&str> = entry.split(',').collect();
    let [action, dir, space, inodes] = parts.as_slice() else {
        out.problem(
            format!("`{entry}` does not have four comma-separated parts"),
            hint,
        );
        return;
    };
    if !["HALT", "STOPTASKS", "WARN", "ABORT"].contains(action) {
        out.problem(
            format!("`{action}` is not an action"),
            "the action is HALT, STOPTASKS or WARN",
        );
    }
    if dir.is_empty() {
        out.problem(format!("`{entry}` names no directory"), hint);
    }
    let size = |s: &str| {
        let digits = s.trim_end_matches(['G', 'M', 'K', 'g', 'm', 'k']);
        s.len() - digits.len() <= 1
            && !digits.is_empty()
            && digits.chars().all(|c| c.is_ascii_digit())
    };
    for amount in [space, inodes] {
        if !amount.is_empty() && !size(amount) {
            out.problem(
                format!("`{amount}` is not an amount"),
                "write a number with an optional G, M or K, e.g. 100M",
            );
        }
    }
    if space.is_empty() && inodes.is_empty() {
        out.problem(format!("`{entry}` sets neither space nor inodes"), hint);
    }
}
