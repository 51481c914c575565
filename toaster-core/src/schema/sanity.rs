//! openembedded-core's sanity rules for the build's directories, those that can be checked
//! from the value as written (no build host needed). They come from `check_sanity_everybuild`
//! in openembedded-core's `meta/lib/oe/sanity.py`, run at the start of every build, which
//! stops the build when one fails. They hold after expansion, so the literal text around
//! `${...}` references is checked: a `${TOPDIR}/../tmp` fails for its `..`.

use super::validate::Findings;

/// The longest `TMPDIR` the build accepts (`check_path_length(tmpdir, "TMPDIR", 400)`).
const MAX_TMPDIR: usize = 400;

/// Characters `check_sanity_everybuild` refuses in `TMPDIR` (and `COREBASE`), with why.
const REFUSED: [(char, &str); 4] = [
    ('+', "a `+` breaks some recipe builds"),
    ('@', "an `@` breaks some recipe builds"),
    (' ', "autotools does not support a space in a path"),
    ('%', "a `%` breaks Python string formatting in the build"),
];

/// Checks a directory variable's value against openembedded-core's rules. A leading `~` in
/// `TMPDIR`, `DL_DIR` or `SSTATE_DIR` ("uses ~ but Bitbake will not expand this") is refused
/// for every path by its kind; the rest concern `TMPDIR` only: no `..` ("Please ensure the variable contains an absolute path"), no
///   `+`, `@`, space or `%`; equal to its `os.path.normpath` (no trailing or doubled
///   slashes, "break the sstate staging machinery"); at most 400 characters
///   (`check_path_length`); ASCII only (`check_non_ascii`, which sanity.py applies to
///   `TOPDIR`, where `TMPDIR` lies by default: software built there fails on other
///   characters).
pub(super) fn check(variable: &str, value: &str, out: &mut Findings<'_>) {
    if variable != "TMPDIR" {
        return;
    }
    let literal = literal_text(value.trim());
    let hint = "choose a directory without it, e.g. ${TOPDIR}/tmp";
    if literal.contains("..") {
        out.problem(
            "openembedded-core's sanity check refuses `..` in TMPDIR: some recipes break on a relative path".to_owned(),
            "write an absolute path or one from ${TOPDIR} without `..`, e.g. /srv/build/tmp",
        );
    }
    for (c, why) in REFUSED {
        if literal.contains(c) {
            out.problem(
                format!("openembedded-core's sanity check refuses `{c}` in TMPDIR: {why}"),
                hint,
            );
        }
    }
    if let Some(clean) = normalised(&literal).filter(|clean| *clean != literal) {
        out.problem(
            "openembedded-core's sanity check refuses TMPDIR with a trailing slash, doubled slashes or `.` parts: they break the shared-state staging".to_owned(),
            format!("write it as {}", clean.replace(PLACEHOLDER, "${...}")),
        );
    }
    let length = literal.chars().filter(|c| *c != PLACEHOLDER).count();
    if length > MAX_TMPDIR {
        out.problem(
            format!("TMPDIR is {length} characters long; openembedded-core's sanity check refuses more than {MAX_TMPDIR}"),
            "choose a shorter path",
        );
    }
    if !literal.is_ascii() {
        out.problem(
            "TMPDIR has characters other than ASCII; software built under it fails (openembedded-core's sanity check)".to_owned(),
            "choose a directory whose path is ASCII only",
        );
    }
}

/// Stands for a `${...}` reference in the literal text.
const PLACEHOLDER: char = '\u{1}';

/// `value` with each `${...}` reference (braces nested, as in `${@d.getVar('X')}`) replaced
/// by [`PLACEHOLDER`]: what stays is in the expanded value as written.
fn literal_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let mut depth = 0usize;
        let mut end = None;
        for (i, c) in rest[start + 1..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = Some(start + 1 + i + 1);
                        break;
                    }
                }
                _ => {}
            }
        }
        let Some(end) = end else {
            // An unclosed reference: BitBake keeps it as text.
            out.push_str(&rest[start..]);
            return out;
        };
        out.push(PLACEHOLDER);
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Python's `os.path.normpath` of a path without `..` (refused on its own): doubled
/// slashes, `.` parts and a trailing slash dropped, a leading `//` kept as POSIX says.
/// `None` for an empty path.
fn normalised(path: &str) -> Option<String> {
    if path.is_empty() {
        return None;
    }
    let leading = if path.starts_with("//") && !path.starts_with("///") {
        "//"
    } else if path.starts_with('/') {
        "/"
    } else {
        ""
    };
    let parts: Vec<&str> = path
        .split('/')
        .filter(|part| !part.is_empty() && *part != ".")
        .collect();
    let joined = format!("{leading}{}", parts.join("/"));
    Some(if joined.is_empty() {
        ".".to_owned()
    } else {
        joined
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Issue;

    fn problems(variable: &str, value: &str) -> Vec<Issue> {
        let mut problems = Vec::new();
        let mut warnings = Vec::new();
        let mut out = Findings {
            problems: &mut problems,
            warnings: &mut warnings,
            name: variable,
        };
        check(variable, value, &mut out);
        assert!(warnings.is_empty());
        problems
    }

    #[test]
    fn tmpdir_follows_the_sanity_rules_around_references() {
        for good in [
            "${TOPDIR}/tmp",
            "/srv/build/tmp",
            "${@os.path.join('/a', 'b+c')}/tmp",
        ] {
            assert_eq!(problems("TMPDIR", good), [], "{good}");
        }
        for (bad, says) in [
            ("${TOPDIR}/../tmp", "`..`"),
            ("/srv/g++/tmp", "`+`"),
            ("/srv/me@host/tmp", "`@`"),
            ("/srv/my build/tmp", "`space`"),
            ("/srv/100%/tmp", "`%`"),
            ("${TOPDIR}/tmp/", "trailing slash"),
            ("${TOPDIR}//tmp", "doubled slashes"),
            ("/srv/./tmp", "`.` parts"),
            ("/srv/bäume/tmp", "ASCII"),
        ] {
            let found = problems("TMPDIR", bad);
            assert_eq!(found.len(), 1, "{bad}: {found:?}");
            let says = says.replace("`space`", "` `");
            assert!(found[0].reason.contains(&says), "{bad}: {found:?}");
        }
        let long = format!("/{}", "a".repeat(MAX_TMPDIR));
        assert!(
            problems("TMPDIR", &long)[0]
                .reason
                .contains("401 characters")
        );
        assert_eq!(problems("TMPDIR", &long[..MAX_TMPDIR]), []);
        let fix = &problems("TMPDIR", "${TOPDIR}//tmp/")[0].hint;
        assert_eq!(fix, "write it as ${...}/tmp");
    }

    #[test]
    fn the_rules_concern_tmpdir_only() {
        assert_eq!(problems("DL_DIR", "${TOPDIR}/../downloads"), []);
        assert_eq!(problems("SSTATE_DIR", "/srv/sstate+cache/"), []);
    }
}
