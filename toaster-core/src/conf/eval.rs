//! Evaluating conf files in order, as BitBake's `ConfHandler` does: statements applied to a
//! [`Datastore`], `include`/`require`/`include_all` followed, `FILE` set while a file is read.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::datastore::{Datastore, KeyReplaced};
use super::error::ConfError;
use super::file::ConfFile;
use super::include::{Wanted, find};
use super::statement::{Assignment, IncludeKind, Op, Statement};
use crate::model::shorten;

/// Includes nested deeper than this are taken for a loop.
const MAX_INCLUDE_DEPTH: usize = 64;

/// Reads `files` in order (as BitBake reads bblayers.conf, then local.conf) and returns the
/// variables they leave. The files are ones the user named: errors may quote their
/// offending token, never anything of the files they include.
pub fn evaluate(files: &[PathBuf]) -> Result<Datastore, ConfError> {
    let mut data = Datastore::new();
    for file in files {
        let path = std::path::absolute(file).map_err(ConfError::io(file))?;
        let conf = ConfFile::read_named(&path)?;
        run(&mut data, &conf, false, 0, None)?;
    }
    Ok(data)
}

/// Applies one parsed file to `data`, as BitBake applies a file it is given (following its
/// includes, setting `FILE`).
pub fn apply(data: &mut Datastore, conf: &ConfFile) -> Result<(), ConfError> {
    run(data, conf, false, 0, None)
}

/// Applies one parsed file to `data` as [`apply`] does, reading includes only inside the
/// directory `root` (absolute, links resolved): a git layer's repository. An include that
/// leads outside it, by name or through a link, is refused.
pub fn apply_within(data: &mut Datastore, conf: &ConfFile, root: &Path) -> Result<(), ConfError> {
    run(data, conf, false, 0, Some(root))
}

/// Applies one parsed file to `data`; `included` files restore `FILE` afterwards. With
/// `within`, includes are read only inside that directory.
pub(super) fn run(
    data: &mut Datastore,
    conf: &ConfFile,
    included: bool,
    depth: usize,
    within: Option<&Path>,
) -> Result<(), ConfError> {
    let old_file = if included {
        data.parsing_value("FILE")
    } else {
        None
    };
    let file = conf.path().to_string_lossy().into_owned();
    data.set_var("FILE", &file);
    for (line, statement) in conf.statements() {
        match statement {
            Statement::Assign(a) => assign(data, a)?,
            Statement::Export { name } => data.set_flag(name, "export", "1"),
            Statement::Unset { name, flag: None } => data.del_var(name),
            Statement::Unset {
                name,
                flag: Some(flag),
            } => data.del_flag(name, flag),
            Statement::Include { kind, files } => {
                let place = Place {
                    parent: conf.path(),
                    line,
                    depth,
                    within,
                };
                include(data, &place, *kind, files)?;
            }
            Statement::AddPylib { .. } | Statement::AddFragments { .. } => {}
        }
    }
    if let Some(old) = old_file {
        data.set_var("FILE", &old);
    }
    Ok(())
}

/// Where an include line is: its file and line, how deep in includes, and the directory
/// includes must stay in, if any.
struct Place<'a> {
    parent: &'a Path,
    line: usize,
    depth: usize,
    within: Option<&'a Path>,
}

/// One assignment, with BitBake's operator semantics (`DataNode.eval`).
fn assign(data: &mut Datastore, a: &Assignment) -> Result<(), ConfError> {
    let key = a.name.as_str();
    if a.export {
        data.set_flag(key, "export", "1");
    }
    let old = || match &a.flag {
        Some(flag) => data.parsing_flag(key, flag),
        None => data.parsing_value(key),
    };
    let value = match a.op {
        Op::Default => old().unwrap_or_else(|| a.value.clone()),
        Op::Immediate => data.expand(&a.value, &format!("{key}[:=]"))?,
        Op::Append => format!("{} {}", old().unwrap_or_default(), a.value),
        Op::Prepend => format!("{} {}", a.value, old().unwrap_or_default()),
        Op::AppendNoSpace => old().unwrap_or_default() + &a.value,
        Op::PrependNoSpace => a.value.clone() + &old().unwrap_or_default(),
        Op::Set | Op::WeakDefault => a.value.clone(),
    };
    match (&a.flag, a.op) {
        (Some(flag), Op::WeakDefault) => {
            data.set_flag(key, &format!("_defaultval_flag_{flag}"), &value);
        }
        (Some(flag), _) => data.set_flag(key, flag, &value),
        (None, Op::WeakDefault) => data.set_flag(key, "_defaultval", &value),
        (None, _) => data.set_var(key, &value),
    }
    Ok(())
}

/// `include`, `require` and `include_all`: names expanded and split on whitespace; a
/// relative name is looked for beside the including file, then along `BBPATH`. Included
/// files are never quoted in errors.
fn include(
    data: &mut Datastore,
    place: &Place<'_>,
    kind: IncludeKind,
    files: &str,
) -> Result<(), ConfError> {
    let expanded = data.expand(files, "")?;
    let bbpath = data.get("BBPATH")?.unwrap_or_default();
    let names: Vec<String> = match kind {
        IncludeKind::IncludeAll => bbpath
            .split(':')
            .flat_map(|dir| {
                expanded
                    .split_whitespace()
                    .map(move |name| Path::new(dir).join(name).to_string_lossy().into_owned())
            })
            .collect(),
        _ => expanded.split_whitespace().map(str::to_owned).collect(),
    };
    for name in names {
        if Path::new(&name) == place.parent {
            continue;
        }
        let wanted = Wanted {
            parent: place.parent,
            line: place.line,
            name: &name,
            explicit: kind != IncludeKind::IncludeAll,
        };
        let Some(found) = find(&wanted, &bbpath, place.within)? else {
            if kind == IncludeKind::Require {
                return Err(ConfError::MissingRequired {
                    file: place.parent.to_owned(),
                    line: place.line,
                    wanted: shorten(&name),
                });
            }
            continue;
        };
        if place.depth >= MAX_INCLUDE_DEPTH {
            return Err(ConfError::TooDeep {
                file: found,
                limit: MAX_INCLUDE_DEPTH,
            });
        }
        let conf = ConfFile::read(&found)?;
        run(data, &conf, true, place.depth + 1, place.within)?;
    }
    Ok(())
}

/// What BitBake's reading of conf files gives, as `bitbake -e` shows it: each variable's
/// value, the variables it cannot expand (each with why, as BitBake reports it for that
/// variable and goes on), and the renamed keys that replaced a variable set already.
#[derive(Debug)]
pub struct Evaluation {
    /// Values by name (`VAR`, or `VAR[flag]` for a flag); `None` for unset.
    pub values: BTreeMap<String, Option<String>>,
    /// Names whose value cannot be expanded (a reference to itself, a cycle, too large).
    pub unexpandable: BTreeMap<String, ConfError>,
    /// Renames by key expansion that replaced a variable set already.
    pub replaced_keys: Vec<KeyReplaced>,
}

/// Reads `files` in order as [`evaluate`] does, expands keys as BitBake does before it shows
/// or uses a datastore ([`Datastore::expand_keys`]), and computes `names` (every variable
/// when empty) as [`values`] does.
pub fn read_as_bitbake(files: &[PathBuf], names: &[String]) -> Result<Evaluation, ConfError> {
    let mut data = evaluate(files)?;
    let replaced_keys = data.expand_keys()?;
    let mut evaluation = values(&data, names)?;
    evaluation.replaced_keys = replaced_keys;
    Ok(evaluation)
}

/// The values of `names` (`VAR`, or `VAR[flag]` for a flag) as BitBake computes them, or of
/// every variable when `names` is empty; `None` for unset. A variable that cannot be
/// expanded is listed apart, as BitBake's `getVar` fails for it alone; only active overrides
/// that cannot be computed fail the whole reading.
pub fn values(data: &Datastore, names: &[String]) -> Result<Evaluation, ConfError> {
    data.overrides()?;
    let names: Vec<String> = if names.is_empty() {
        data.keys()?.into_iter().collect()
    } else {
        names.to_vec()
    };
    let mut evaluation = Evaluation {
        values: BTreeMap::new(),
        unexpandable: BTreeMap::new(),
        replaced_keys: Vec::new(),
    };
    for name in names {
        let value = match name.strip_suffix(']').and_then(|n| n.split_once('[')) {
            Some((var, flag)) => data.get_flag(var, flag),
            None => data.get(&name),
        };
        match value {
            Ok(value) => {
                evaluation.values.insert(name, value);
            }
            Err(e @ ConfError::Expansion { .. }) => {
                evaluation.unexpandable.insert(name, e);
            }
            Err(e) => return Err(e),
        }
    }
    Ok(evaluation)
}

#[cfg(test)]
mod tests;
