//! CMake: `project()` for name, version, description and homepage; `pkg_check_modules()`
//! for pkg-config modules; following `add_subdirectory()` from the top `CMakeLists.txt`.

use super::Meta;
use super::calls::{Quoting, calls, pkg_modules};
use super::error::FactsError;
use super::tree::{Tree, walk_build_files};

/// Reads `CMakeLists.txt` and the `add_subdirectory()`s it names.
pub(crate) fn read(tree: &mut Tree, notes: &mut Vec<String>) -> Result<Meta, FactsError> {
    let mut meta = Meta::default();
    let mut found = Vec::new();
    walk_build_files(tree, "CMakeLists.txt", notes, &mut |path, text, top| {
        if top {
            project(text, &mut meta);
        }
        for args in calls(text, "pkg_check_modules", true, Quoting::Strings) {
            check_modules(&args, path, &mut meta, &mut found);
        }
        for args in calls(text, "pkg_search_module", true, Quoting::Strings) {
            found.push(format!(
                "{path}: pkg_search_module({}) needs one of several modules: choose for DEPENDS",
                args.trim()
            ));
        }
        calls(text, "add_subdirectory", true, Quoting::Strings)
            .iter()
            .filter_map(|args| words(args).first().filter(|s| !s.contains("${")).cloned())
            .collect()
    })?;
    notes.extend(found);
    Ok(meta)
}

/// CMake arguments: whitespace-separated, double quotes grouping.
fn words(args: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for c in args.chars() {
        match c {
            '"' => quoted = !quoted,
            c if c.is_whitespace() && !quoted => {
                if !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                }
            }
            c => current.push(c),
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// `project(Name VERSION 1.0 DESCRIPTION "…" HOMEPAGE_URL "…" LANGUAGES C)`.
fn project(text: &str, meta: &mut Meta) {
    let Some(args) = calls(text, "project", true, Quoting::Strings)
        .into_iter()
        .next()
    else {
        return;
    };
    let words = words(&args);
    meta.name = words.first().filter(|n| !n.contains("${")).cloned();
    let after = |key: &str| {
        words
            .iter()
            .position(|w| w == key)
            .and_then(|i| words.get(i + 1))
            .filter(|v| !v.contains("${"))
            .cloned()
    };
    meta.version = after("VERSION");
    meta.summary = after("DESCRIPTION");
    meta.homepage = after("HOMEPAGE_URL");
}

/// `pkg_check_modules(PREFIX [REQUIRED] [QUIET] [IMPORTED_TARGET] [GLOBAL] modules…)`.
fn check_modules(args: &str, file: &str, meta: &mut Meta, notes: &mut Vec<String>) {
    let words = words(args);
    let mut required = false;
    let mut specs = Vec::new();
    for word in words.iter().skip(1) {
        match word.as_str() {
            "REQUIRED" => required = true,
            "QUIET"
            | "IMPORTED_TARGET"
            | "GLOBAL"
            | "NO_CMAKE_PATH"
            | "NO_CMAKE_ENVIRONMENT_PATH" => {}
            spec if spec.contains("${") => {
                notes.push(format!(
                    "{file}: pkg_check_modules module {spec} is a variable"
                ));
            }
            spec => specs.push(spec.to_owned()),
        }
    }
    let modules = pkg_modules(&specs.join(" "));
    if required {
        meta.depends.extend(modules);
    } else if !modules.is_empty() {
        notes.push(format!(
            "{file}: pkg_check_modules without REQUIRED ({}): optional, add to DEPENDS if wanted",
            modules.join(" ")
        ));
    }
}
