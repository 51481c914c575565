//! Evaluating conf files in order, as BitBake's `ConfHandler` does: statements applied to a
//! [`Datastore`], `include`/`require`/`include_all` followed, `FILE` set while a file is read.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::datastore::Datastore;
use super::error::ConfError;
use super::file::ConfFile;
use super::statement::{Assignment, IncludeKind, Op, Statement};

/// Includes nested deeper than this are taken for a loop.
const MAX_INCLUDE_DEPTH: usize = 64;

/// Reads `files` in order (as BitBake reads bblayers.conf, then local.conf) and returns the
/// variables they leave.
pub fn evaluate(files: &[PathBuf]) -> Result<Datastore, ConfError> {
    let mut data = Datastore::new();
    for file in files {
        let path = std::path::absolute(file).map_err(ConfError::io(file))?;
        let conf = ConfFile::read(&path)?;
        run(&mut data, &conf, false, 0)?;
    }
    Ok(data)
}

/// Applies one parsed file to `data`, as BitBake applies a file it is given (following its
/// includes, setting `FILE`).
pub fn apply(data: &mut Datastore, conf: &ConfFile) -> Result<(), ConfError> {
    run(data, conf, false, 0)
}

/// Applies one parsed file to `data`; `included` files restore `FILE` afterwards.
pub(super) fn run(
    data: &mut Datastore,
    conf: &ConfFile,
    included: bool,
    depth: usize,
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
                include(data, conf.path(), line, *kind, files, depth)?;
            }
            Statement::AddPylib { .. } | Statement::AddFragments { .. } => {}
        }
    }
    if let Some(old) = old_file {
        data.set_var("FILE", &old);
    }
    Ok(())
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
/// relative name is looked for beside the including file, then along `BBPATH`.
fn include(
    data: &mut Datastore,
    parent: &Path,
    line: usize,
    kind: IncludeKind,
    files: &str,
    depth: usize,
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
        let wanted = Path::new(&name);
        if wanted == parent {
            continue;
        }
        let found = if wanted.is_absolute() {
            wanted.is_file().then(|| wanted.to_owned())
        } else {
            let beside = parent.parent().map(Path::to_path_buf).unwrap_or_default();
            std::iter::once(beside)
                .chain(
                    bbpath
                        .split(':')
                        .filter(|d| !d.is_empty())
                        .map(PathBuf::from),
                )
                .map(|dir| dir.join(wanted))
                .find(|candidate| candidate.is_file())
        };
        let Some(found) = found else {
            if kind == IncludeKind::Require {
                return Err(ConfError::MissingRequired {
                    file: parent.to_owned(),
                    line,
                    wanted: name,
                });
            }
            continue;
        };
        if depth >= MAX_INCLUDE_DEPTH {
            return Err(ConfError::TooDeep {
                file: found,
                limit: MAX_INCLUDE_DEPTH,
            });
        }
        let found = std::path::absolute(&found).map_err(ConfError::io(&found))?;
        let conf = ConfFile::read(&found)?;
        run(data, &conf, true, depth + 1)?;
    }
    Ok(())
}

/// The values of `names` (`VAR`, or `VAR[flag]` for a flag) as BitBake computes them, or of
/// every variable when `names` is empty; `None` for unset.
pub fn values(
    data: &Datastore,
    names: &[String],
) -> Result<BTreeMap<String, Option<String>>, ConfError> {
    let names: Vec<String> = if names.is_empty() {
        data.keys()?.into_iter().collect()
    } else {
        names.to_vec()
    };
    let mut out = BTreeMap::new();
    for name in names {
        let value = match name.strip_suffix(']').and_then(|n| n.split_once('[')) {
            Some((var, flag)) => data.get_flag(var, flag)?,
            None => data.get(&name)?,
        };
        out.insert(name, value);
    }
    Ok(out)
}
