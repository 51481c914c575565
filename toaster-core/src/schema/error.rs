//! What the schema reports: values it refuses, and spec files it cannot load.

use std::io;
use std::path::PathBuf;

use crate::remedy::{CommandLine, Remedy, Wording, option};

/// One thing wrong with a value, and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    /// What is wrong.
    pub reason: String,
    /// What to do instead.
    pub hint: String,
}

/// Which check a warning comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum WarningKind {
    /// A variable Toaster does not know, or one the project's release does not have.
    Variable,
    /// A value close to a known one: likely a typo.
    Typo,
    /// A value of an open list that Toaster does not know (a layer may define it).
    UnknownValue,
    /// A machine, distro or image type that none of the project's layers defines (they were
    /// all read).
    NotInLayers,
    /// A value not checked against the project's layers, since some are not on disk yet.
    CheckSkipped,
}

/// A warning about a value that is accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// The check that made it.
    pub kind: WarningKind,
    /// The variable.
    pub variable: String,
    /// What is odd, and the hint.
    pub issue: Issue,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: {}; {}",
            self.variable, self.issue.reason, self.issue.hint
        )
    }
}

/// Everything the `schema` module reports.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SchemaError {
    /// A value broke its variable's spec (every problem found is listed).
    #[error("invalid value `{value}` for {variable}: {}", join(problems))]
    Invalid {
        /// The variable.
        variable: String,
        /// The value (shortened).
        value: String,
        /// Every problem, each with its hint.
        problems: Vec<Issue>,
    },
    /// A variable never set from a project.
    #[error("{variable} cannot be set from a project: {doc}")]
    Forbidden {
        /// The variable.
        variable: String,
        /// What it is.
        doc: String,
        /// What to do instead.
        instead: String,
    },
    /// A variable set through its own command.
    #[error("{variable} is managed by Toaster: {doc}")]
    Managed {
        /// The variable.
        variable: String,
        /// What it is.
        doc: String,
        /// The command to use.
        instead: String,
    },
    /// A name BitBake renamed; it stops the build with an error.
    #[error("{variable} was renamed to {replacement}; BitBake refuses the old name")]
    Renamed {
        /// The old name.
        variable: String,
        /// The new name.
        replacement: String,
    },
    /// An unknown variable, refused in strict mode.
    #[error("{variable} is not a variable Toaster knows{}", suggestion.as_ref().map(|s| format!(" (did you mean {s}?)")).unwrap_or_default())]
    Unknown {
        /// The variable.
        variable: String,
        /// The closest known name.
        suggestion: Option<String>,
    },
    /// A spec file that cannot be read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: io::Error,
    },
    /// A spec file larger than a schema can need (or an endless input).
    #[error("{path} is larger than {} MiB, more than a variable schema file holds", limit >> 20)]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// The bound, in bytes.
        limit: usize,
    },
    /// A spec file that is not a valid schema.
    #[error("{path}: not a valid variable schema: {reason}")]
    Format {
        /// The file.
        path: PathBuf,
        /// What the parser said.
        reason: String,
    },
}

fn join(problems: &[Issue]) -> String {
    problems
        .iter()
        .map(|p| p.reason.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}

impl SchemaError {
    /// What to do next.
    pub fn hint(&self) -> Option<String> {
        self.hint_in(&CommandLine)
    }

    /// What to do next, naming each remedy in `words` (a frontend's own).
    pub fn hint_in(&self, words: &dyn Wording) -> Option<String> {
        let strict = || words.remedy(&option("strict"));
        Some(match self {
            SchemaError::Invalid { problems, .. } => problems
                .iter()
                .map(|p| p.hint.as_str())
                .collect::<Vec<_>>()
                .join("; "),
            SchemaError::Forbidden { instead, .. } => instead.clone(),
            SchemaError::Managed { instead, .. } => format!("use {instead}"),
            SchemaError::Renamed { replacement, .. } => format!("set {replacement} instead"),
            SchemaError::Unknown { suggestion, .. } => match suggestion {
                Some(s) => format!(
                    "did you mean {s}? Without {}, unknown variables are accepted as text",
                    strict()
                ),
                None => format!(
                    "check the name with `{}`; without {}, unknown variables are accepted as text",
                    words.remedy(&Remedy::Schema),
                    strict()
                ),
            },
            SchemaError::Io { .. } => return None,
            SchemaError::TooLarge { .. } => format!(
                "give a JSON file of variable specs with `{}` (`{}` shows the format)",
                words.remedy(&option("schema")),
                words.remedy(&Remedy::SchemaFormat)
            ),
            SchemaError::Format { .. } => format!(
                "see `{}` for the format: {{\"variables\": [{{\"name\", \"kind\", \"class\", \"doc\", …}}]}}",
                words.remedy(&Remedy::SchemaFormat)
            ),
        })
    }
}
