//! One logical line as a statement, recognised with the rules of BitBake's `ConfHandler`
//! (the same order of patterns, the lazy name, the quote guard).

use super::text::is_space;

/// An assignment operator, as written (the model's [`Operator`](crate::model::Operator)).
pub use crate::model::Operator as Op;

/// `[export] NAME[[flag]] OP "value"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    /// Written with the `export` prefix.
    pub export: bool,
    /// The name, overrides included (`IMAGE_INSTALL:append:pn-foo`).
    pub name: String,
    /// The flag in brackets, if any.
    pub flag: Option<String>,
    /// The operator.
    pub op: Op,
    /// The value between the quotes, unexpanded.
    pub value: String,
    /// The quote character used.
    pub quote: char,
}

/// Which include statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IncludeKind {
    /// `include`: a missing file is skipped.
    Include,
    /// `require`: a missing file is an error.
    Require,
    /// `include_all`: the file in every `BBPATH` entry.
    IncludeAll,
}

/// A statement of a conf file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Statement {
    /// An assignment.
    Assign(Assignment),
    /// `include`, `require` or `include_all` with the rest of the line (unexpanded).
    Include {
        /// Which one.
        kind: IncludeKind,
        /// The file names, unexpanded.
        files: String,
    },
    /// `export NAME`.
    Export {
        /// The variable.
        name: String,
    },
    /// `unset NAME` or `unset NAME[flag]`.
    Unset {
        /// The variable.
        name: String,
        /// The flag.
        flag: Option<String>,
    },
    /// `addpylib DIR NAMESPACE` (base configuration files only).
    AddPylib {
        /// The arguments as written.
        args: String,
    },
    /// `addfragments PATH VAR METAVARS BUILTINVAR`.
    AddFragments {
        /// The arguments as written.
        args: String,
    },
}

/// Why a logical line is not a statement BitBake accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Problem {
    /// The line starts with whitespace.
    Indented,
    /// Text (a comment) follows the closing quote.
    TrailingComment,
    /// The value has an opening quote but does not end with the same quote.
    UnterminatedQuote,
    /// The value is not in quotes.
    Unquoted,
    /// The value holds exactly one more quote of the kind that delimits it.
    StrayQuote,
    /// An assignment without a variable name.
    EmptyName,
    /// A flag name BitBake does not accept, or overrides after a flag.
    BadFlag,
    /// `_append`, `_prepend` or `_remove` in a name: the syntax before honister.
    OldOverrideSyntax,
    /// `inherit` is only for recipes and classes.
    Inherit,
    /// `addpylib` outside `bblayers.conf` and `layer.conf`.
    AddPylibHere,
    /// Nothing BitBake knows.
    Unparsed,
    /// A comment continued by a non-comment line.
    ConfusingComment,
    /// Backslash continuations that leave nothing.
    EmptyContinuation,
    /// A NUL character.
    Nul,
}

impl Problem {
    /// What is wrong, for people.
    pub fn message(self) -> &'static str {
        match self {
            Problem::Indented => "the line starts with whitespace, which BitBake refuses",
            Problem::TrailingComment => {
                "something follows the closing quote; BitBake has no comments after a value"
            }
            Problem::UnterminatedQuote => "the value's quote is not closed at the end of the line",
            Problem::Unquoted => "the value is not in quotes",
            Problem::StrayQuote => "a quote inside the value ends it early",
            Problem::EmptyName => "the assignment has no variable name",
            Problem::BadFlag => "the flag in brackets is not valid, or an override follows it",
            Problem::OldOverrideSyntax => {
                "the name uses `_append`, `_prepend` or `_remove`, the override syntax BitBake dropped in honister (3.4)"
            }
            Problem::Inherit => "`inherit` is not allowed in a conf file",
            Problem::AddPylibHere => {
                "`addpylib` is only allowed in bblayers.conf and a layer's layer.conf"
            }
            Problem::Unparsed => "BitBake cannot parse this line",
            Problem::ConfusingComment => {
                "a comment ends in a backslash but the next line is not a comment"
            }
            Problem::EmptyContinuation => "backslash continuations leave an empty line",
            Problem::Nul => "the file contains a NUL character",
        }
    }

    /// What to do about it.
    pub fn hint(self) -> &'static str {
        match self {
            Problem::Indented => "remove the leading spaces or tabs",
            Problem::TrailingComment => {
                "move a comment to a line of its own above, and end a continued value with its quote"
            }
            Problem::UnterminatedQuote => "end the line with the same quote that opens the value",
            Problem::Unquoted => "write the value in double quotes: NAME = \"value\"",
            Problem::StrayQuote => {
                "quote the value with the other quote character ('…' around a value with \")"
            }
            Problem::EmptyName => "write NAME = \"value\"",
            Problem::BadFlag => {
                "write NAME[flag] = \"value\" with a flag of letters, digits and `-_+.@/` (not starting with `@` or `/`), and no `:append` after it"
            }
            Problem::OldOverrideSyntax => {
                "write `:append`, `:prepend` or `:remove` (e.g. IMAGE_INSTALL:append)"
            }
            Problem::Inherit => "use INHERIT += \"class\" to inherit a class globally",
            Problem::AddPylibHere => "move it into a layer's conf/layer.conf",
            Problem::Unparsed => {
                "write NAME = \"value\", include FILE, require FILE, export NAME or unset NAME"
            }
            Problem::ConfusingComment => {
                "start the next line with `#` too, or remove the backslash"
            }
            Problem::EmptyContinuation => "remove the trailing backslash",
            Problem::Nul => "remove the NUL characters; conf files are text",
        }
    }
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-_+.${}/~:".contains(c)
}

fn is_flag_first(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-_+.".contains(c)
}

fn is_flag_char(c: char) -> bool {
    is_flag_first(c) || c == '@' || c == '/'
}

/// Recognises one joined logical line (never blank, never a comment).
/// `base_config` is true for files BitBake opens as base configuration (bblayers.conf,
/// layer.conf), where `addpylib` is allowed.
pub fn parse(line: &str, base_config: bool) -> Result<Statement, Problem> {
    if line.contains('\0') {
        return Err(Problem::Nul);
    }
    if let Some(assignment) = assignment(line) {
        if assignment.name.is_empty() {
            return Err(Problem::EmptyName);
        }
        if uses_old_override_syntax(&assignment) {
            return Err(Problem::OldOverrideSyntax);
        }
        return Ok(Statement::Assign(assignment));
    }
    for (word, kind) in [
        ("include", IncludeKind::Include),
        ("require", IncludeKind::Require),
        ("include_all", IncludeKind::IncludeAll),
    ] {
        if let Some(rest) = after_keyword(line, word) {
            return Ok(Statement::Include {
                kind,
                files: rest.to_owned(),
            });
        }
    }
    if let Some(name) = after_keyword(line, "export").filter(|n| is_plain_name(n)) {
        return Ok(Statement::Export {
            name: name.to_owned(),
        });
    }
    if let Some(rest) = after_keyword(line, "unset") {
        if is_plain_name(rest) {
            return Ok(Statement::Unset {
                name: rest.to_owned(),
                flag: None,
            });
        }
        if let Some((name, flag)) = unset_flag(rest) {
            return Ok(Statement::Unset {
                name: name.to_owned(),
                flag: Some(flag.to_owned()),
            });
        }
    }
    if let Some(rest) = after_keyword(line, "addpylib").filter(|r| has_arguments(r, 2)) {
        if base_config {
            return Ok(Statement::AddPylib {
                args: rest.to_owned(),
            });
        }
        return Err(Problem::AddPylibHere);
    }
    if let Some(rest) = after_keyword(line, "addfragments").filter(|r| has_arguments(r, 4)) {
        return Ok(Statement::AddFragments {
            args: rest.to_owned(),
        });
    }
    Err(diagnose(line))
}

/// BitBake stops on a plain assignment (not a flag, not `??=`) whose name holds the old
/// override operators anywhere.
fn uses_old_override_syntax(a: &Assignment) -> bool {
    a.flag.is_none()
        && a.op != Op::WeakDefault
        && !a.name.starts_with("__anon_")
        && ["_append", "_prepend", "_remove"]
            .iter()
            .any(|old| a.name.contains(old))
}

/// `word`, at least one whitespace character, then at least one more character: the rest
/// after the whitespace.
fn after_keyword<'a>(line: &'a str, word: &str) -> Option<&'a str> {
    let rest = line.strip_prefix(word)?;
    let trimmed = rest.trim_start_matches(is_space);
    (trimmed.len() < rest.len() && !trimmed.is_empty()).then_some(trimmed)
}

fn is_plain_name(text: &str) -> bool {
    !text.is_empty() && text.chars().all(|c| is_name_char(c) && c != ':')
}

/// `NAME[flag]` for `unset`: the flag has two characters at least, `@` allowed, `/` not.
fn unset_flag(text: &str) -> Option<(&str, &str)> {
    let (name, rest) = text.split_once('[')?;
    let flag = rest.strip_suffix(']')?;
    let mut chars = flag.chars();
    let first = chars.next()?;
    let ok = is_plain_name(name)
        && is_flag_first(first)
        && flag.chars().count() >= 2
        && chars.all(|c| is_flag_first(c) || c == '@');
    ok.then_some((name, flag))
}

/// Whether `text` splits as `(.+)\s+(.+)…` into `count` groups, as BitBake's patterns for
/// `addpylib` and `addfragments` require.
fn has_arguments(text: &str, count: usize) -> bool {
    let chars: Vec<char> = text.chars().collect();
    let mut from = 1;
    for _ in 1..count {
        match (from..chars.len()).find(|&i| is_space(chars[i])) {
            Some(i) => from = i + 2,
            None => return false,
        }
    }
    from <= chars.len()
}

/// BitBake's assignment pattern, with its backtracking order: optional `export`, the
/// shortest name, optional flag, operators in order, then a quoted value that runs to the
/// end of the line and is not one of the three-quote shapes the pattern refuses.
fn assignment(line: &str) -> Option<Assignment> {
    let mut starts = Vec::with_capacity(2);
    if let Some(rest) = line.strip_prefix("export") {
        let trimmed = rest.trim_start_matches(is_space);
        if trimmed.len() < rest.len() {
            starts.push((true, line.len() - trimmed.len()));
        }
    }
    starts.push((false, 0));
    for (export, start) in starts {
        let text = &line[start..];
        let mut name_end = 0;
        loop {
            let name = &text[..name_end];
            let after = &text[name_end..];
            if let Some(found) = after_name(export, name, after) {
                return Some(found);
            }
            match after.chars().next() {
                Some(c) if is_name_char(c) => name_end += c.len_utf8(),
                _ => break,
            }
        }
    }
    None
}

fn after_name(export: bool, name: &str, after: &str) -> Option<Assignment> {
    let mut options: Vec<(Option<&str>, &str)> = Vec::with_capacity(2);
    if let Some(rest) = after.strip_prefix('[') {
        let end = rest.find(|c: char| !is_flag_char(c)).unwrap_or(rest.len());
        let flag = &rest[..end];
        if flag.starts_with(is_flag_first) && rest[end..].starts_with(']') {
            options.push((Some(flag), &rest[end + 1..]));
        }
    }
    options.push((None, after));
    for (flag, rest) in options {
        let rest = rest.trim_start_matches(is_space);
        for op in Op::PATTERN_ORDER {
            let Some(value_part) = rest.strip_prefix(op.as_str()) else {
                continue;
            };
            let value_part = value_part.trim_start_matches(is_space);
            if let Some((quote, value)) = quoted(value_part) {
                return Some(Assignment {
                    export,
                    name: name.to_owned(),
                    flag: flag.map(str::to_owned),
                    op,
                    value: value.to_owned(),
                    quote,
                });
            }
        }
    }
    None
}

/// `'…'` or `"…"` to the end of the text, unless the text holds exactly three of that quote.
fn quoted(text: &str) -> Option<(char, &str)> {
    let quote = text.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    if text.len() < 2 || !text.ends_with(quote) {
        return None;
    }
    if text.matches(quote).count() == 3 {
        return None;
    }
    Some((quote, &text[1..text.len() - 1]))
}

/// Names the most likely mistake in a line BitBake would not parse.
fn diagnose(line: &str) -> Problem {
    if line.starts_with(is_space) {
        return Problem::Indented;
    }
    if line.starts_with("inherit") && line[7..].starts_with(is_space) {
        return Problem::Inherit;
    }
    // Find the operator after a plausible name, then look at the value's shape.
    let name_end = line
        .find(|c: char| !(is_name_char(c) || c == '[' || c == ']' || c == '@'))
        .unwrap_or(line.len());
    let rest = line[name_end..].trim_start_matches(is_space);
    let Some(op) = Op::PATTERN_ORDER
        .iter()
        .find(|op| rest.starts_with(op.as_str()))
    else {
        return Problem::Unparsed;
    };
    let value = rest[op.as_str().len()..].trim_start_matches(is_space);
    let Some(quote) = value.chars().next().filter(|c| *c == '"' || *c == '\'') else {
        return Problem::Unquoted;
    };
    let count = value.matches(quote).count();
    if value.len() >= 2 && value.ends_with(quote) {
        return match count {
            3 => Problem::StrayQuote,
            _ if line[..name_end].contains('[') => Problem::BadFlag,
            _ => Problem::Unparsed,
        };
    }
    if count >= 2 {
        return Problem::TrailingComment;
    }
    Problem::UnterminatedQuote
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assign(line: &str) -> Assignment {
        match parse(line, false) {
            Ok(Statement::Assign(a)) => a,
            other => panic!("{line:?}: {other:?}"),
        }
    }

    #[test]
    fn operators_and_lazy_names_follow_bitbake() {
        let a = assign("A+=\"a\"");
        assert_eq!((a.name.as_str(), a.op), ("A", Op::Append));
        let a = assign("A+ = \"b\"");
        assert_eq!((a.name.as_str(), a.op), ("A+", Op::Set));
        assert_eq!(assign("+ = \"c\"").name, "+");
        assert_eq!(assign("A.= \"x\"").op, Op::AppendNoSpace);
        assert_eq!(assign("A=.\"x\"").op, Op::PrependNoSpace);
        assert_eq!(assign("A ??= 'x'").op, Op::WeakDefault);
        assert_eq!(assign("A:= \"x\"").op, Op::Immediate);
        let a = assign("export FOO:append[doc] = \"x\"");
        assert!(a.export);
        assert_eq!(a.flag.as_deref(), Some("doc"));
        assert_eq!(assign("exportD = \"d\"").name, "exportD");
    }

    #[test]
    fn values_run_to_the_last_quote_unless_three() {
        assert_eq!(assign("A = \"a\"b\"c\"").value, "a\"b\"c");
        assert_eq!(assign("A = 'say \"hi\"'").value, "say \"hi\"");
        assert_eq!(assign("A = \"\"").value, "");
        assert_eq!(parse("A = \"a\"b\"", false), Err(Problem::StrayQuote));
        assert_eq!(
            parse("A = \"a\" # note", false),
            Err(Problem::TrailingComment)
        );
        assert_eq!(parse("A = \"a", false), Err(Problem::UnterminatedQuote));
        assert_eq!(parse("A = 1", false), Err(Problem::Unquoted));
        assert_eq!(parse("  A = \"1\"", false), Err(Problem::Indented));
        assert_eq!(parse("inherit foo", false), Err(Problem::Inherit));
        assert_eq!(parse("export = \"x\"", false), Err(Problem::EmptyName));
    }

    #[test]
    fn old_override_syntax_is_refused_where_bitbake_refuses_it() {
        assert_eq!(
            parse("IMAGE_INSTALL_append = \" x\"", false),
            Err(Problem::OldOverrideSyntax)
        );
        assert_eq!(
            parse("MY_remove_LIST = \"x\"", false),
            Err(Problem::OldOverrideSyntax)
        );
        assert!(parse("MY_remove_LIST ??= \"x\"", false).is_ok());
        assert!(parse("A_append[doc] = \"x\"", false).is_ok());
    }

    #[test]
    fn other_statements() {
        assert_eq!(
            parse("include_all conf/x.inc", false),
            Ok(Statement::Include {
                kind: IncludeKind::IncludeAll,
                files: "conf/x.inc".into()
            })
        );
        assert!(matches!(
            parse("export http_proxy", false),
            Ok(Statement::Export { .. })
        ));
        assert_eq!(parse("export A:foo", false), Err(Problem::Unparsed));
        assert_eq!(
            parse("unset do_fetch[noexec]", false),
            Ok(Statement::Unset {
                name: "do_fetch".into(),
                flag: Some("noexec".into())
            })
        );
        assert_eq!(parse("unset A[f]", false), Err(Problem::Unparsed));
        assert_eq!(
            parse("addpylib ${LAYERDIR}/lib oe", false),
            Err(Problem::AddPylibHere)
        );
        assert!(parse("addpylib ${LAYERDIR}/lib oe", true).is_ok());
        assert!(parse("addfragments a b c d", false).is_ok());
        assert_eq!(parse("addfragments a b c", false), Err(Problem::Unparsed));
    }
}
