//! Reading an existing build directory's `local.conf` and `bblayers.conf` into a project
//! configuration, with notes on what a project cannot hold.

use std::path::{Path, PathBuf};

use super::datastore::Datastore;
use super::error::ConfError;
use super::eval::run;
use super::file::ConfFile;
use super::statement::{Assignment, Op, Statement};
use crate::model::ProjectConfig;

/// A configuration read from a build directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    /// What could be represented, layers aside.
    pub config: ProjectConfig,
    /// The `BBLAYERS` directories, in order, for the layer checks to read.
    pub layer_dirs: Vec<PathBuf>,
    /// What could not, one line each (`local.conf:12: …`).
    pub notes: Vec<String>,
}

/// Reads `BUILD_DIR/conf/bblayers.conf` (`BBLAYERS`, with `TOPDIR` set to the build directory)
/// and `BUILD_DIR/conf/local.conf` (machine, distro, variables, `IMAGE_INSTALL:append`).
pub fn import(build_dir: &Path) -> Result<Imported, ConfError> {
    let build_dir = std::path::absolute(build_dir).map_err(ConfError::io(build_dir))?;
    let conf = build_dir.join("conf");
    let local = ConfFile::read(&conf.join("local.conf"))?;
    let bblayers = ConfFile::read(&conf.join("bblayers.conf"))?;
    let mut config = ProjectConfig::default();
    let mut notes = Vec::new();

    let mut data = Datastore::new();
    data.set_var("TOPDIR", &build_dir.to_string_lossy());
    run(&mut data, &bblayers, false, 0, None)?;
    let layer_dirs = data
        .get("BBLAYERS")?
        .unwrap_or_default()
        .split_whitespace()
        .map(|path| PathBuf::from(path.trim_end_matches('/')))
        .collect();

    let place = |line: usize| format!("local.conf:{line}");
    for (line, statement) in local.statements() {
        match statement {
            Statement::Assign(a) => {
                if let Some(note) = assignment(&mut config, a) {
                    notes.push(format!("{}: {note}", place(line)));
                }
            }
            Statement::Include { files, .. } => notes.push(format!(
                "{}: `{files}` is included, not imported; copy what the project needs",
                place(line)
            )),
            Statement::Export { name } => {
                notes.push(format!("{}: `export {name}` not kept", place(line)));
            }
            Statement::Unset { name, .. } => {
                notes.push(format!("{}: `unset {name}` not kept", place(line)));
            }
            Statement::AddPylib { .. } | Statement::AddFragments { .. } => {
                notes.push(format!("{}: statement not kept", place(line)));
            }
        }
    }
    Ok(Imported {
        config,
        layer_dirs,
        notes,
    })
}

/// Takes one assignment into `config` with its operator's effect; returns why it was not
/// taken, if it was not.
fn assignment(config: &mut ProjectConfig, a: &Assignment) -> Option<String> {
    let name = a.name.as_str();
    if let Some(flag) = &a.flag {
        return Some(format!("the flag {name}[{flag}] is not imported"));
    }
    if name.contains("${") {
        return Some(format!("{name}: names with references are not imported"));
    }
    if a.value.contains("${@") {
        return Some(format!("{name}: inline Python is not imported"));
    }
    let combine = |old: Option<&String>| -> Option<String> {
        let old = old.cloned();
        Some(match a.op {
            Op::Set | Op::Immediate => a.value.clone(),
            Op::Default | Op::WeakDefault => return Some(old.unwrap_or_else(|| a.value.clone())),
            Op::Append => format!("{} {}", old.unwrap_or_default(), a.value),
            Op::Prepend => format!("{} {}", a.value, old.unwrap_or_default()),
            Op::AppendNoSpace => old.unwrap_or_default() + &a.value,
            Op::PrependNoSpace => a.value.clone() + &old.unwrap_or_default(),
        })
    };
    match name {
        "MACHINE" => config.machine = combine(config.machine.as_ref()).map(|v| v.trim().to_owned()),
        "DISTRO" => config.distro = combine(config.distro.as_ref()).map(|v| v.trim().to_owned()),
        "IMAGE_INSTALL:append" if a.op == Op::Set => {
            for word in a.value.split_whitespace() {
                if !config.packages.iter().any(|p| p == word) {
                    config.packages.push(word.to_owned());
                }
            }
        }
        _ => {
            let queued = [":append", ":prepend", ":remove"]
                .into_iter()
                .find(|q| name.contains(q));
            let old = config.variables.get(name);
            let value = match (queued, a.op, old) {
                (Some(":prepend"), Op::Set, Some(old)) => Some(format!("{}{old}", a.value)),
                (Some(":remove"), Op::Set, Some(old)) => Some(format!("{old} {}", a.value)),
                (Some(_), Op::Set, Some(old)) => Some(format!("{old}{}", a.value)),
                _ => combine(old),
            };
            if let Some(value) = value {
                config.variables.insert(name.to_owned(), value);
            }
        }
    }
    None
}
