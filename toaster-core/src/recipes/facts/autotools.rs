//! Autotools: `AC_INIT` for name, version and URL; `PKG_CHECK_MODULES` for pkg-config modules.

use super::Meta;
use super::calls::{Quoting, calls, pkg_modules, split_commas};
use super::error::FactsError;
use super::tree::Tree;

/// Reads `configure.ac` (or `configure.in`, named by `file`).
pub(crate) fn read(
    tree: &mut Tree,
    file: &str,
    notes: &mut Vec<String>,
) -> Result<Meta, FactsError> {
    let mut meta = Meta::default();
    let Some(text) = tree.read_text(file)? else {
        return Ok(meta);
    };
    let text = strip_m4_comments(&text);
    if let Some(args) = calls(&text, "AC_INIT", false, Quoting::M4)
        .into_iter()
        .next()
    {
        let args = split_commas(&args, Quoting::M4);
        let literal = |i: usize, what: &str, notes: &mut Vec<String>| {
            let raw = args.get(i)?;
            let value = unquote(raw);
            if value.is_empty() {
                return None;
            }
            if value.contains(['(', '$', '`']) || value.starts_with("m4_") {
                notes.push(format!(
                    "{file}: the AC_INIT {what} is computed ({raw}): set it by hand"
                ));
                return None;
            }
            Some(value.to_owned())
        };
        meta.name = literal(0, "name", notes);
        meta.version = literal(1, "version", notes);
        meta.homepage = literal(4, "URL", notes);
    }
    for args in calls(&text, "PKG_CHECK_MODULES", false, Quoting::M4) {
        let args = split_commas(&args, Quoting::M4);
        let Some(spec) = args.get(1).map(|s| unquote(s)) else {
            continue;
        };
        if spec.contains('$') {
            notes.push(format!(
                "{file}: PKG_CHECK_MODULES modules {spec} use a variable"
            ));
            continue;
        }
        let modules = pkg_modules(spec);
        if args.get(3).is_some_and(|a| !unquote(a).is_empty()) {
            notes.push(format!(
                "{file}: PKG_CHECK_MODULES({}) has an action-if-not-found, so it is optional: \
                 add to DEPENDS or PACKAGECONFIG if wanted",
                modules.join(" ")
            ));
        } else {
            meta.depends.extend(modules);
        }
    }
    Ok(meta)
}

/// Drops `dnl` and `#` comment lines (whole lines only: `#` is common inside m4 text).
fn strip_m4_comments(text: &str) -> String {
    text.lines()
        .filter(|l| {
            let l = l.trim_start();
            !(l.starts_with("dnl") || l.starts_with('#'))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// `[[x]]` → `x`, trimmed.
fn unquote(arg: &str) -> &str {
    let mut s = arg.trim();
    while let Some(inner) = s.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
        s = inner.trim();
    }
    s
}
