//! What can go wrong reading, evaluating, editing or writing conf files.

use std::io;
use std::path::PathBuf;

use super::statement::Problem;

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
                "it contains a `$` that does not start a `${NAME}` reference, which expansion could join into inline Python"
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
            Unrepresentable::StrayDollar => "use `$` only to start a reference such as `${TOPDIR}`",
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

/// Everything the `conf` module reports.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfError {
    /// A line BitBake would refuse.
    #[error("{file}:{line}: {problem}: `{text}`", problem = problem.message())]
    Syntax {
        /// The file.
        file: PathBuf,
        /// The 1-based line where the statement starts.
        line: usize,
        /// What is wrong.
        problem: Problem,
        /// The statement as BitBake sees it (shortened).
        text: String,
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
    #[error("{file} is {size} bytes, more than the {limit} a conf file may have")]
    TooLarge {
        /// The file.
        file: PathBuf,
        /// Its size.
        size: u64,
        /// The limit.
        limit: u64,
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
            ConfError::Syntax { problem, .. } => problem.hint().to_owned(),
            ConfError::Encoding { .. } => "save the file as UTF-8".to_owned(),
            ConfError::TooLarge { .. } => "point at a BitBake conf file".to_owned(),
            ConfError::Unrepresentable { reason, .. } => reason.hint().to_owned(),
            ConfError::Expansion { .. } => {
                "change the variable so it does not refer to itself, directly or through others"
                    .to_owned()
            }
            ConfError::MissingRequired { .. } => {
                "create the file, or use `include` for an optional one".to_owned()
            }
            ConfError::TooDeep { .. } => "look for files that include each other".to_owned(),
            ConfError::Io { .. } => return None,
        })
    }

    /// An I/O error at `path`.
    pub fn io(path: impl Into<PathBuf>) -> impl FnOnce(io::Error) -> ConfError {
        let path = path.into();
        move |source| ConfError::Io { path, source }
    }
}
