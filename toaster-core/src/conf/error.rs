//! What can go wrong reading, evaluating, editing or writing conf files.

use std::io;
use std::path::PathBuf;

use super::statement::Problem;
use crate::model::shorten;

/// Why a value cannot be written into a conf file so that BitBake reads it back unchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Unrepresentable {
    /// A line break ends the statement.
    LineBreak,
    /// A NUL or other control character.
    ControlCharacter,
    /// Exactly one `"` and exactly one `'`: BitBake refuses the line with either quote.
    BothQuotes,
    /// `${@…}` runs Python on every build host.
    InlinePython,
    /// A `$` that does not start a complete `${NAME}` reference: joined with another value
    /// by expansion it could form `${@…}`.
    StrayDollar,
    /// A list item with whitespace would split into several.
    Whitespace,
    /// An empty list item would vanish.
    Empty,
}

impl Unrepresentable {
    fn message(self) -> &'static str {
        match self {
            Unrepresentable::LineBreak => {
                "it contains a line break, which ends a BitBake statement"
            }
            Unrepresentable::ControlCharacter => "it contains a control character",
            Unrepresentable::BothQuotes => {
                "it contains exactly one `\"` and one `'`, which BitBake cannot read back in either quoting"
            }
            Unrepresentable::InlinePython => {
                "it contains inline Python `${@…}`, which would run on every build host"
            }
            Unrepresentable::StrayDollar => {
                "it ends in `$` or holds a `${` that does not start a complete `${NAME}` reference, which expansion could join with what follows into inline Python"
            }
            Unrepresentable::Whitespace => "it contains whitespace, which would split it in a list",
            Unrepresentable::Empty => "it is empty",
        }
    }

    /// What to do instead.
    pub fn hint(self) -> &'static str {
        match self {
            Unrepresentable::LineBreak | Unrepresentable::ControlCharacter => {
                "write the value on one line without control characters"
            }
            Unrepresentable::BothQuotes => "add or remove one of the quote characters",
            Unrepresentable::InlinePython => {
                "put Python in a class or a layer's conf file, or use a plain value or a `${VAR}` reference"
            }
            Unrepresentable::StrayDollar => {
                "do not end the value with `$`, and write references whole, such as `${TOPDIR}`"
            }
            Unrepresentable::Whitespace | Unrepresentable::Empty => {
                "use a path or word without spaces"
            }
        }
    }
}

impl std::fmt::Display for Unrepresentable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.message())
    }
}

/// `: \`text\`` when there is text to show.
fn quoted(text: &Option<String>) -> String {
    text.as_ref()
        .map(|t| format!(": `{t}`"))
        .unwrap_or_default()
}

/// `N bytes, ` when the size is known.
fn sized(size: Option<u64>) -> String {
    size.map(|n| format!("{n} bytes, ")).unwrap_or_default()
}

/// Everything the `conf` module reports.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfError {
    /// A line BitBake would refuse.
    #[error("{file}:{line}: {problem}{}", quoted(text), problem = problem.message())]
    Syntax {
        /// The file.
        file: PathBuf,
        /// The 1-based line where the statement starts.
        line: usize,
        /// What is wrong.
        problem: Problem,
        /// What may be shown of it: the offending token (shortened) of a file the user
        /// named or of a value given; `None` for any other file, whose lines are never shown.
        text: Option<String>,
    },
    /// A name or value given (not read from a file) that BitBake would refuse.
    #[error("`{given}`: {problem}{}", quoted(text), problem = problem.message())]
    Given {
        /// The left-hand side given (`IMAGE_INSTALL_append`).
        given: String,
        /// What is wrong.
        problem: Problem,
        /// The offending token, shortened, when there is one to show.
        text: Option<String>,
    },
    /// Bytes that are not UTF-8 text.
    #[error("{file}:{line}: the file is not UTF-8 text")]
    Encoding {
        /// The file.
        file: PathBuf,
        /// The 1-based line of the first bad byte.
        line: usize,
    },
    /// A file far larger than any configuration.
    #[error("{file} is {}more than the limit of {limit} bytes for a conf file", sized(*size))]
    TooLarge {
        /// The file.
        file: PathBuf,
        /// Its size, when known (a file that grew while read has none).
        size: Option<u64>,
        /// The limit.
        limit: u64,
    },
    /// A path given or read as a conf file that is not a regular file.
    #[error("{path} is {found}, not a regular file")]
    NotAFile {
        /// The path.
        path: PathBuf,
        /// What it is (`a directory`, `a character device`, …).
        found: &'static str,
    },
    /// A value that BitBake cannot read back as given.
    #[error("cannot write {name} = `{value}`: {reason}")]
    Unrepresentable {
        /// The variable (or `BBLAYERS` entry).
        name: String,
        /// The value (shortened).
        value: String,
        /// Why.
        reason: Unrepresentable,
    },
    /// A variable that cannot be expanded.
    #[error("cannot expand {variable}: {reason}")]
    Expansion {
        /// The variable.
        variable: String,
        /// Why (a reference to itself, a reference cycle).
        reason: &'static str,
    },
    /// A `require`d file that does not exist.
    #[error("{file}:{line}: required file {wanted} does not exist")]
    MissingRequired {
        /// The including file.
        file: PathBuf,
        /// Its line.
        line: usize,
        /// The file asked for.
        wanted: String,
    },
    /// An `include` or `require` naming something other than a regular file.
    #[error("{file}:{line}: {wanted} is {found}, not a regular file")]
    IncludedNotAFile {
        /// The including file.
        file: PathBuf,
        /// Its line.
        line: usize,
        /// The file asked for, as found.
        wanted: PathBuf,
        /// What it is (`a directory`, `a character device`, …).
        found: &'static str,
    },
    /// An include that leads outside the directory a file's includes must stay in.
    #[error("{file}:{line}: `{wanted}` is outside {root}, and files are read only inside it")]
    Escapes {
        /// The including file.
        file: PathBuf,
        /// Its line.
        line: usize,
        /// The file asked for (shortened).
        wanted: String,
        /// The directory includes must stay in.
        root: PathBuf,
    },
    /// Includes nested deeper than any sane configuration.
    #[error("{file}: includes nest deeper than {limit} files")]
    TooDeep {
        /// The file at the limit.
        file: PathBuf,
        /// The limit.
        limit: usize,
    },
    /// The file system refused.
    #[error("{path}: {source}")]
    Io {
        /// The path involved.
        path: PathBuf,
        /// The cause.
        source: io::Error,
    },
}

impl ConfError {
    /// What to do next.
    pub fn hint(&self) -> Option<String> {
        Some(match self {
            ConfError::Syntax { problem, .. } | ConfError::Given { problem, .. } => {
                problem.hint().to_owned()
            }
            ConfError::Encoding { .. } => "save the file as UTF-8".to_owned(),
            ConfError::TooLarge { .. } => "point at a BitBake conf file".to_owned(),
            ConfError::NotAFile { .. } => {
                "give a conf file (a regular text file); move what is there away if a conf file belongs there"
                    .to_owned()
            }
            ConfError::IncludedNotAFile { .. } => {
                "name a conf file (a regular text file) on that line, or remove the line".to_owned()
            }
            ConfError::Escapes { .. } => {
                "keep the included file inside the layer's repository, or remove the line".to_owned()
            }
            ConfError::Unrepresentable { reason, .. } => reason.hint().to_owned(),
            ConfError::Expansion { .. } => {
                "change the variable so it does not refer to itself, directly or through others"
                    .to_owned()
            }
            ConfError::MissingRequired { .. } => {
                "create the file, or use `include` for an optional one".to_owned()
            }
            ConfError::TooDeep { .. } => "look for files that include each other".to_owned(),
            ConfError::Io { source, .. } if source.kind() == io::ErrorKind::NotFound => {
                "check the path".to_owned()
            }
            ConfError::Io { .. } => return None,
        })
    }

    /// The same error about `given`, a name or value the user gave, rather than the line of
    /// the file it was checked in (which the user never wrote).
    pub(crate) fn about_given(self, given: &str) -> ConfError {
        match self {
            ConfError::Syntax { problem, text, .. } => ConfError::Given {
                given: shorten(given),
                problem,
                // The token is the name itself more often than not: said once.
                text: text.filter(|t| *t != shorten(given)),
            },
            other => other,
        }
    }

    /// The same error without any text of the file: for files the user did not name.
    pub(crate) fn unquoted(self) -> ConfError {
        match self {
            ConfError::Syntax {
                file,
                line,
                problem,
                ..
            } => ConfError::Syntax {
                file,
                line,
                problem,
                text: None,
            },
            other => other,
        }
    }

    /// An I/O error at `path`.
    pub fn io(path: impl Into<PathBuf>) -> impl FnOnce(io::Error) -> ConfError {
        let path = path.into();
        move |source| ConfError::Io { path, source }
    }
}
