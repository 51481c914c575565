//! Safe quoting: a value is written so that BitBake reads back exactly that value.

use super::error::{ConfError, Unrepresentable};
use crate::model::shorten;

/// Why `value` cannot be written as a BitBake value, if it cannot.
pub fn check(value: &str) -> Result<(), Unrepresentable> {
    if value.contains(['\n', '\r']) {
        return Err(Unrepresentable::LineBreak);
    }
    if value.chars().any(|c| c.is_control() && c != '\t') {
        return Err(Unrepresentable::ControlCharacter);
    }
    // `{@` anywhere, not only `${@`: BitBake expands `${VAR}` references before it looks for
    // inline Python, so `$` in one value and `{@…}` in another would join into `${@…}`.
    if value.contains("{@") {
        return Err(Unrepresentable::InlinePython);
    }
    if !dollars_start_references(value) {
        return Err(Unrepresentable::StrayDollar);
    }
    quote_char(value).map(|_| ())
}

/// Whether no `$` in `value` could become part of a reference made elsewhere: each `$` is
/// followed by a character other than `{` (BitBake reads `$HOME` literally), or starts a
/// complete `${NAME}` reference, NAME made of the characters BitBake expands
/// (`[A-Za-z0-9-_+./~:]`). A `$` at the very end, a `${` left open, or a `$` right before a
/// reference (whose value may start with `{`) could join with what follows into `${@…}`.
fn dollars_start_references(value: &str) -> bool {
    let mut rest = value;
    while let Some(at) = rest.find('$') {
        let after = &rest[at + 1..];
        if after.is_empty() || after.starts_with("${") {
            return false;
        }
        let Some(name) = after.strip_prefix('{') else {
            rest = after;
            continue;
        };
        let Some(end) = name.find('}') else {
            return false;
        };
        let valid = |c: char| c.is_ascii_alphanumeric() || "-_+./~:".contains(c);
        if end == 0 || !name[..end].chars().all(valid) {
            return false;
        }
        rest = &name[end + 1..];
    }
    true
}

/// The quote that delimits `value` safely: `"` unless the value holds `"`; BitBake refuses a
/// line whose value makes exactly three of the delimiting quote.
fn quote_char(value: &str) -> Result<char, Unrepresentable> {
    let double = value.matches('"').count();
    let single = value.matches('\'').count();
    match (double, single) {
        (0, _) => Ok('"'),
        (_, 0) => Ok('\''),
        (d, _) if d != 1 => Ok('"'),
        (_, s) if s != 1 => Ok('\''),
        _ => Err(Unrepresentable::BothQuotes),
    }
}

/// `value` in quotes, ready to follow an operator; `name` is for the error message.
pub fn quote(name: &str, value: &str) -> Result<String, ConfError> {
    let refuse = |reason| ConfError::Unrepresentable {
        name: name.to_owned(),
        value: shorten(value),
        reason,
    };
    check(value).map_err(refuse)?;
    let q = quote_char(value).map_err(refuse)?;
    Ok(format!("{q}{value}{q}"))
}

/// Checks one word of a space-separated list (a layer path in `BBLAYERS`, a package name).
pub fn check_word(name: &str, word: &str) -> Result<(), ConfError> {
    let refuse = |reason| ConfError::Unrepresentable {
        name: name.to_owned(),
        value: shorten(word),
        reason,
    };
    if word.is_empty() {
        return Err(refuse(Unrepresentable::Empty));
    }
    if word.chars().any(super::text::is_space) {
        return Err(refuse(Unrepresentable::Whitespace));
    }
    check(word).map_err(refuse)?;
    if word.contains(['"', '\'']) {
        return Err(refuse(Unrepresentable::BothQuotes));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_pick_the_safe_delimiter() {
        assert_eq!(quote("A", "x y").unwrap(), "\"x y\"");
        assert_eq!(quote("A", "say \"hi\"").unwrap(), "'say \"hi\"'");
        assert_eq!(quote("A", "a\"b'c'd").unwrap(), "'a\"b'c'd'");
        assert_eq!(quote("A", "a\"b\"c'd").unwrap(), "\"a\"b\"c'd\"");
        assert_eq!(quote("A", "a\\").unwrap(), "\"a\\\"");
    }

    #[test]
    fn no_value_can_join_with_another_into_inline_python() {
        for bad in [
            "$",
            "a$",
            "$$",
            "$${X}",
            "${X}{@x}",
            "{@os.system('id')}",
            "${}",
            "${A B}",
            "${X",
            "a$${X}",
        ] {
            assert!(check(bad).is_err(), "{bad:?}");
        }
        for good in [
            "${TOPDIR}/../downloads",
            "${A}${B}",
            "x ${PN}-${PV}",
            "{}",
            "a@b",
            "${MACHINE:qemuarm}",
            "$HOME and 100%",
            "costs $5, or $$ for the shell's pid",
            "a$b ${B}",
            "$ {X}",
        ] {
            assert!(check(good).is_ok(), "{good:?}");
        }
    }

    #[test]
    fn refuses_what_bitbake_cannot_read_back() {
        for (value, reason) in [
            ("a\"b'c", Unrepresentable::BothQuotes),
            ("a\nB = \"x\"", Unrepresentable::LineBreak),
            ("a\rb", Unrepresentable::LineBreak),
            ("a\0b", Unrepresentable::ControlCharacter),
            ("${@os.system('x')}", Unrepresentable::InlinePython),
        ] {
            assert_eq!(check(value), Err(reason), "{value:?}");
            assert!(quote("A", value).is_err());
        }
        assert!(check("${TOPDIR}/../downloads").is_ok());
        assert!(check_word("BBLAYERS", "/a b").is_err());
    }
}
