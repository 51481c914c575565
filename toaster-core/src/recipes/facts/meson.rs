//! Meson: `project()` for name and version, `dependency()` for pkg-config modules,
//! following `subdir()` from the top `meson.build`.

use super::Meta;
use super::calls::{Quoting, calls, quoted, split_commas};
use super::error::FactsError;
use super::tree::{Tree, walk_build_files};

/// Dependencies Meson resolves itself rather than through a pkg-config module.
const SPECIAL: [&str; 16] = [
    "threads",
    "openmp",
    "dl",
    "intl",
    "iconv",
    "boost",
    "gtest",
    "gmock",
    "mpi",
    "cuda",
    "llvm",
    "python3",
    "qt4",
    "qt5",
    "qt6",
    "appleframeworks",
];

/// Reads `meson.build` and the `subdir()`s it names.
pub(crate) fn read(tree: &mut Tree, notes: &mut Vec<String>) -> Result<Meta, FactsError> {
    let mut meta = Meta::default();
    let mut found = Vec::new();
    walk_build_files(tree, "meson.build", notes, &mut |path, text, top| {
        if top {
            project(text, &mut meta);
        }
        for args in calls(text, "dependency", false, Quoting::Strings) {
            dependency(&args, path, &mut meta, &mut found);
        }
        calls(text, "subdir", false, Quoting::Strings)
            .iter()
            .filter_map(|args| {
                split_commas(args, Quoting::Strings)
                    .first()
                    .and_then(|a| quoted(a))
                    .map(str::to_owned)
            })
            .collect()
    })?;
    notes.extend(found);
    Ok(meta)
}

/// `project('name', 'c', version : '1.0')`.
fn project(text: &str, meta: &mut Meta) {
    let Some(args) = calls(text, "project", false, Quoting::Strings)
        .into_iter()
        .next()
    else {
        return;
    };
    let args = split_commas(&args, Quoting::Strings);
    meta.name = args.first().and_then(|a| quoted(a)).map(str::to_owned);
    meta.version = keyword(&args, "version")
        .and_then(quoted)
        .map(str::to_owned);
}

/// The value of `key : value` among `args`.
fn keyword<'a>(args: &'a [String], key: &str) -> Option<&'a str> {
    args.iter().find_map(|a| {
        let (k, v) = a.split_once(':')?;
        (k.trim() == key).then_some(v.trim())
    })
}

/// One `dependency('x', required : …)`.
fn dependency(args: &str, file: &str, meta: &mut Meta, notes: &mut Vec<String>) {
    let args = split_commas(args, Quoting::Strings);
    let Some(name) = args.first().and_then(|a| quoted(a)) else {
        notes.push(format!(
            "{file}: a dependency() whose name is not a literal was skipped"
        ));
        return;
    };
    if SPECIAL.contains(&name) {
        return;
    }
    match keyword(&args, "required") {
        None | Some("true") => meta.depends.push(name.to_owned()),
        Some(other) => notes.push(format!(
            "{file}: dependency '{name}' is optional (required : {other}): add it to DEPENDS or \
             PACKAGECONFIG if wanted"
        )),
    }
}
