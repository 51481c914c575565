//! Reading an existing build directory's `local.conf` and `bblayers.conf` into a project
//! configuration, keeping each assignment's operator, overrides, flag and `export`, with
//! notes on what a project cannot hold (includes, `unset`, inline Python).

use std::path::{Path, PathBuf};

use super::datastore::Datastore;
use super::error::ConfError;
use super::eval::run;
use super::file::ConfFile;
use super::quote::check_word;
use super::statement::{Assignment, Op, Statement};
use crate::model::{ConfigKey, Operation, ProjectConfig};

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
    let mut packages: Vec<(usize, &Assignment)> = Vec::new();
    for (line, statement) in local.statements() {
        let note = match statement {
            Statement::Assign(a) if is_package_list(a) => {
                packages.push((line, a));
                None
            }
            Statement::Assign(a) => assignment(&mut config, a),
            Statement::Export { name } => {
                config.variables.entry(name.clone()).or_default().export = true;
                None
            }
            Statement::Include { files, .. } => Some(format!(
                "`{files}` is included, not imported; copy what the project needs"
            )),
            Statement::Unset { name, flag } => Some(match flag {
                Some(flag) => format!("`unset {name}[{flag}]` not imported"),
                None => format!("`unset {name}` not imported"),
            }),
            Statement::AddPylib { args } => Some(format!("`addpylib {args}` not imported")),
            Statement::AddFragments { args } => Some(format!("`addfragments {args}` not imported")),
        };
        if let Some(note) = note {
            notes.push(format!("{}: {note}", place(line)));
        }
    }
    // `IMAGE_INSTALL:append = " a b"` is the project's `packages` when every such line has
    // that form (else, kept as a variable, so the words stay in their order).
    if packages.len() == statements_to(&local, PACKAGES) {
        for (_, a) in &packages {
            for word in a.value.split_whitespace() {
                if !config.packages.iter().any(|p| p == word) {
                    config.packages.push(word.to_owned());
                }
            }
        }
    } else {
        for (line, a) in packages {
            if let Some(note) = assignment(&mut config, a) {
                notes.push(format!("{}: {note}", place(line)));
            }
        }
    }
    config
        .variables
        .retain(|key, _| match ConfigKey::parse(key) {
            Ok(_) => true,
            Err(e) => {
                notes.push(format!("{key}: not imported: {e}"));
                false
            }
        });
    Ok(Imported {
        config,
        layer_dirs,
        notes,
    })
}

/// Where the project's packages go.
const PACKAGES: &str = "IMAGE_INSTALL:append";

/// Whether `a` is `IMAGE_INSTALL:append = " a b"`: words after one space each.
fn is_package_list(a: &Assignment) -> bool {
    let words: Vec<&str> = a.value.split_whitespace().collect();
    a.name == PACKAGES
        && a.flag.is_none()
        && !a.export
        && a.op == Op::Set
        && !words.is_empty()
        && a.value == format!(" {}", words.join(" "))
        && words.iter().all(|w| check_word(PACKAGES, w).is_ok())
}

/// How many assignments to `name` (without a flag) `file` has.
fn statements_to(file: &ConfFile, name: &str) -> usize {
    file.statements()
        .filter(|(_, s)| matches!(s, Statement::Assign(a) if a.name == name && a.flag.is_none()))
        .count()
}

/// Takes one assignment into `config` as written: machine and distro into their fields
/// (their `=`, `?=` and `??=` as BitBake resolves them within one file), anything else as
/// one more operation on its left-hand side. Returns why it was not taken, if it was not.
fn assignment(config: &mut ProjectConfig, a: &Assignment) -> Option<String> {
    let name = a.name.as_str();
    let key = match &a.flag {
        Some(flag) => format!("{name}[{flag}]"),
        None => name.to_owned(),
    };
    if name.contains("${") {
        return Some(format!(
            "{key}: names with references are not imported; write the name out"
        ));
    }
    if a.value.contains("${@") {
        return Some(format!(
            "{key}: inline Python is not imported; put it in a class or a layer's conf file"
        ));
    }
    let field = match (name, &a.flag, a.export) {
        ("MACHINE", None, false) => Some((&mut config.machine, &mut config.machine_op)),
        ("DISTRO", None, false) => Some((&mut config.distro, &mut config.distro_op)),
        _ => None,
    };
    if let Some((value, op)) = field {
        let set = value.is_some();
        let (new_op, keep) = match a.op {
            Op::Set => (Op::Set, false),
            Op::Immediate if !a.value.contains('$') => (Op::Set, false),
            Op::Default => (Op::Default, set && *op != Op::WeakDefault),
            Op::WeakDefault => (Op::WeakDefault, set && *op != Op::WeakDefault),
            other => {
                return Some(format!(
                    "`{name} {other} \"{}\"` not imported: the {} holds one value, set with =, ?= or ??=",
                    a.value,
                    name.to_lowercase()
                ));
            }
        };
        if !keep {
            *value = Some(a.value.trim().to_owned());
            *op = new_op;
        }
        return None;
    }
    let variable = config.variables.entry(key).or_default();
    variable.operations.push(Operation {
        op: a.op,
        value: a.value.clone(),
    });
    variable.export |= a.export;
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conf::generate;
    use crate::model::{Operator, Variable};
    use crate::schema::Schema;

    fn imported(local: &str) -> Imported {
        let dir = tempfile::tempdir().unwrap();
        let conf = dir.path().join("conf");
        std::fs::create_dir_all(&conf).unwrap();
        std::fs::write(conf.join("local.conf"), local).unwrap();
        std::fs::write(conf.join("bblayers.conf"), "BBLAYERS = \"\"\n").unwrap();
        import(dir.path()).unwrap()
    }

    #[test]
    fn operators_overrides_flags_and_export_are_kept_and_written_back() {
        let local = "MACHINE ?= \"qemuarm\"\n\
                     MACHINE ??= \"ignored\"\n\
                     INHERIT += \"rm_work\"\n\
                     A = \"1\"\n\
                     A .= \"2\"\n\
                     export B\n\
                     do_fetch[number_threads] ?= \"4\"\n\
                     SRCREV:pn-busybox = \"abc\"\n\
                     IMAGE_INSTALL:append = \" htop\"\n";
        let imported = imported(local);
        let config = &imported.config;
        assert_eq!(imported.notes, Vec::<String>::new());
        assert_eq!(
            (config.machine.as_deref(), config.machine_op),
            (Some("qemuarm"), Operator::Default)
        );
        assert_eq!(
            config.variables["INHERIT"],
            Variable::assign(Operator::Append, "rm_work")
        );
        assert_eq!(config.variables["A"].conf_text(), "= \"1\"; .= \"2\"");
        assert!(config.variables["B"].export && config.variables["B"].operations.is_empty());
        assert_eq!(config.packages, ["htop"]);
        let text = generate(config, Path::new("/p"), Schema::builtin(), "test")
            .unwrap()
            .toaster;
        for line in [
            "MACHINE ?= \"qemuarm\"",
            "A = \"1\"\nA .= \"2\"",
            "export B\n",
            "INHERIT += \"rm_work\"",
            "SRCREV:pn-busybox = \"abc\"",
            "do_fetch[number_threads] ?= \"4\"",
            "IMAGE_INSTALL:append = \" htop\"",
        ] {
            assert!(text.contains(line), "{line:?} in\n{text}");
        }
    }

    #[test]
    fn only_what_is_left_out_is_noted() {
        let imported = imported(
            "include extra.conf\nunset FOO\nMACHINE += \"x\"\nBB_NUMBER_THREADS = \"${@oe.utils.cpu_count()}\"\nIMAGE_INSTALL:append = \"nospace\"\n",
        );
        assert_eq!(imported.notes.len(), 4, "{:?}", imported.notes);
        // An :append without its leading space stays a variable, exactly as written.
        assert_eq!(
            imported.config.variables["IMAGE_INSTALL:append"].plain_value(),
            Some("nospace")
        );
        assert!(imported.config.packages.is_empty());
    }
}
