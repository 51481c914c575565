//! `local_conf_header`: the conf text kas writes at the top of `local.conf`, its sections
//! in sorted id order, then `MACHINE ??=`, `DISTRO ??=` and `BBMULTICONFIG ?=`.
//!
//! Each section is read with the lossless conf reader, one logical line at a time (a line
//! BitBake refuses is noted and the rest still read). Assignments are followed in order with
//! BitBake's meaning of each operator: `=`, `:=` (without references), `?=` (only when
//! unset) and `??=` (last one wins, weakest) give a variable; `+=`, `=+`, `.=` and `=.` onto
//! a value set earlier in the text combine with it; `VAR:append`/`:prepend`/`:remove` with
//! `=` gather as the project keeps them; `IMAGE_INSTALL:append` (and `IMAGE_INSTALL +=`)
//! give packages. Everything else (flags, includes, exports, appends to values set
//! elsewhere, inline Python, lines BitBake refuses) is noted, never silently dropped.

use std::collections::BTreeMap;
use std::path::Path;

use super::limits::MAX_SECTION_NOTES;
use crate::conf::{Assignment, ConfError, ConfFile, Op, Statement};
use crate::model::shorten;

/// What kas's `local.conf` text sets, followed in order.
#[derive(Debug, Default)]
pub(super) struct LocalConf {
    vars: BTreeMap<String, Var>,
    /// Packages added to images, in order.
    pub packages: Vec<String>,
    /// Where each package came from, for notes on refused ones.
    pub package_places: Vec<String>,
    /// What was read and not taken.
    pub notes: Vec<String>,
}

/// One variable's state: a value (`=`, `?=`, `:=`, appends) and a weak default (`??=`).
#[derive(Debug, Default)]
struct Var {
    hard: Option<String>,
    weak: Option<String>,
    /// Where it was last set.
    place: String,
}

/// A variable's final value and where it was set.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Final {
    /// The value.
    pub value: String,
    /// Whether only a `??=` gave it.
    pub weak_only: bool,
    /// Where it was last set (`FILE: local_conf_header.ID: line N`).
    pub place: String,
}

impl LocalConf {
    /// Reads the section `id` of `file` (a short name), its text `text`.
    pub fn section(&mut self, file: &str, id: &str, text: &str) {
        let label = format!("{file}: local_conf_header.{id}");
        let path = Path::new("local_conf_header");
        let mut noted = 0usize;
        let mut unnoted = 0usize;
        for (first_line, chunk) in logical_chunks(text) {
            let mut note = |this: &mut LocalConf, line: usize, what: String| {
                if noted < MAX_SECTION_NOTES {
                    this.notes.push(format!("{label}: line {line}: {what}"));
                    noted += 1;
                } else {
                    unnoted += 1;
                }
            };
            let parsed = match ConfFile::parse(path, &chunk, false) {
                Ok(parsed) => parsed,
                Err(e) => {
                    let why = match &e {
                        ConfError::Syntax { problem, .. } => {
                            format!("{} ({})", problem.message(), problem.hint())
                        }
                        other => other.to_string(),
                    };
                    let shown = shorten(chunk.trim_end());
                    note(self, first_line, format!("`{shown}` not imported: {why}"));
                    continue;
                }
            };
            for (line, statement) in parsed.statements() {
                let line = first_line + line - 1;
                let place = format!("{label}: line {line}");
                if let Some(why) = self.statement(&place, statement) {
                    note(self, line, why);
                }
            }
        }
        if unnoted > 0 {
            self.notes.push(format!(
                "{label}: {unnoted} more lines not imported (not listed)"
            ));
        }
    }

    /// Follows one statement; returns why it was not taken (or how it was taken), if
    /// that needs saying.
    fn statement(&mut self, place: &str, statement: &Statement) -> Option<String> {
        match statement {
            Statement::Assign(a) => self.assign(place, a),
            Statement::Include { files, .. } => Some(format!(
                "`include {}` not followed: the project cannot include files; copy what it sets into the project",
                shorten(files)
            )),
            Statement::Export { name } => Some(format!(
                "`export {}` not kept: a project cannot export variables to the build's environment",
                shorten(name)
            )),
            Statement::Unset { name, .. } => Some(format!(
                "`unset {}` not kept: a project cannot unset variables",
                shorten(name)
            )),
            Statement::AddPylib { args } | Statement::AddFragments { args } => Some(format!(
                "`{}` not kept: a project cannot hold it",
                shorten(args)
            )),
        }
    }

    fn assign(&mut self, place: &str, a: &Assignment) -> Option<String> {
        let name = a.name.as_str();
        let shown = || format!("`{} {} \"{}\"`", shorten(name), a.op, shorten(&a.value));
        if let Some(flag) = &a.flag {
            return Some(format!(
                "`{}[{}]` not imported: a project cannot hold variable flags",
                shorten(name),
                shorten(flag)
            ));
        }
        if name.contains("${") {
            return Some(format!(
                "{} not imported: a project's variable names hold no references",
                shown()
            ));
        }
        if a.value.contains("${@") {
            return Some(format!(
                "{} not imported: inline Python cannot be held by a project",
                shown()
            ));
        }
        let exported = a.export.then(|| {
            format!(
                "`export` of {} not kept (the value is); a project cannot export variables",
                shorten(name)
            )
        });
        let words = || a.value.split_whitespace().map(str::to_owned);
        if name == "IMAGE_INSTALL:append" && matches!(a.op, Op::Set | Op::Append) {
            for word in words() {
                self.packages.push(word);
                self.package_places.push(place.to_owned());
            }
            return exported;
        }
        if name == "IMAGE_INSTALL" && a.op == Op::Append {
            for word in words() {
                self.packages.push(word);
                self.package_places.push(place.to_owned());
            }
            return Some(
                "`IMAGE_INSTALL +=` taken as packages added to every image (the project writes them as `IMAGE_INSTALL:append`, which also keeps the image's own packages)"
                    .to_owned(),
            );
        }
        let var = self.vars.entry(name.to_owned()).or_default();
        let current = var.hard.clone().or_else(|| var.weak.clone());
        let queued = [":append", ":prepend", ":remove"]
            .into_iter()
            .find(|q| name.contains(q));
        let value = match (queued, a.op) {
            (Some(queued), Op::Set) => Some(match (queued, current) {
                (":prepend", Some(old)) => format!("{}{old}", a.value),
                (":remove", Some(old)) => format!("{old} {}", a.value),
                (_, Some(old)) => format!("{old}{}", a.value),
                (_, None) => a.value.clone(),
            }),
            (Some(_), _) => {
                return Some(format!(
                    "{} not imported: only `=` is taken for `:append`, `:prepend` and `:remove`",
                    shown()
                ));
            }
            (None, Op::Set) => Some(a.value.clone()),
            (None, Op::Immediate) if a.value.contains("${") => {
                return Some(format!(
                    "{} not imported: `:=` expands references when read, which a project cannot do",
                    shown()
                ));
            }
            (None, Op::Immediate) => Some(a.value.clone()),
            (None, Op::Default) => match current {
                Some(_) => None,
                None => Some(a.value.clone()),
            },
            (None, Op::WeakDefault) => {
                var.weak = Some(a.value.clone());
                var.place = place.to_owned();
                return exported;
            }
            (None, op) => match current {
                Some(old) => Some(match op {
                    Op::Append => format!("{old} {}", a.value),
                    Op::Prepend => format!("{} {old}", a.value),
                    Op::AppendNoSpace => format!("{old}{}", a.value),
                    _ => format!("{}{old}", a.value),
                }),
                None => {
                    return Some(format!(
                        "{} not imported: it adds to a value set elsewhere (by a layer or the distro), which a project cannot do; set the whole value instead",
                        shown()
                    ));
                }
            },
        };
        if let Some(value) = value {
            var.hard = Some(value);
            var.place = place.to_owned();
        }
        exported
    }

    /// Whether the text gives `name` a value.
    pub fn defines(&self, name: &str) -> bool {
        self.vars
            .get(name)
            .is_some_and(|v| v.hard.is_some() || v.weak.is_some())
    }

    /// Takes `name`'s final value out.
    pub fn take(&mut self, name: &str) -> Option<Final> {
        let var = self.vars.remove(name)?;
        let weak_only = var.hard.is_none();
        Some(Final {
            value: var.hard.or(var.weak)?,
            weak_only,
            place: var.place,
        })
    }

    /// The remaining variables' final values, by name.
    pub fn finals(&mut self) -> BTreeMap<String, Final> {
        std::mem::take(&mut self.vars)
            .into_iter()
            .filter_map(|(name, var)| {
                let weak_only = var.hard.is_none();
                let value = var.hard.or(var.weak)?;
                Some((
                    name,
                    Final {
                        value,
                        weak_only,
                        place: var.place,
                    },
                ))
            })
            .collect()
    }
}

/// The logical lines of `text` (physical lines joined while one ends in a backslash), each
/// with the number of its first line.
fn logical_chunks(text: &str) -> Vec<(usize, String)> {
    let mut chunks = Vec::new();
    let mut current = String::new();
    let mut first = 1;
    let mut line = 0;
    let mut rest = text;
    while !rest.is_empty() {
        let end = rest.find(['\n', '\r']).map_or(rest.len(), |at| {
            if rest[at..].starts_with("\r\n") {
                at + 2
            } else {
                at + 1
            }
        });
        let physical = &rest[..end];
        rest = &rest[end..];
        line += 1;
        if current.is_empty() {
            first = line;
        }
        current.push_str(physical);
        let body = physical.trim_end_matches(['\n', '\r']);
        if !body.trim_end().ends_with('\\') {
            chunks.push((first, std::mem::take(&mut current)));
        }
    }
    if !current.is_empty() {
        chunks.push((first, current));
    }
    chunks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logical_lines_join_continuations() {
        let chunks = logical_chunks("A = \"1\"\nB = \"x \\\n y\"\r\n\nC = \"3\"");
        assert_eq!(
            chunks,
            vec![
                (1, "A = \"1\"\n".to_owned()),
                (2, "B = \"x \\\n y\"\r\n".to_owned()),
                (4, "\n".to_owned()),
                (5, "C = \"3\"".to_owned()),
            ]
        );
    }
}
