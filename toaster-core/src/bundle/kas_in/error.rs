//! Why a kas file cannot be read into a project configuration. Every error names the file
//! (and line, and key where there is one); [`KasInError::hint`] says what to do. Nothing is
//! ever written when one is returned: reading a kas file writes nothing at all.

use std::fmt;
use std::io;
use std::path::PathBuf;

use super::limits::{
    MAX_DEPTH, MAX_FILE_BYTES, MAX_FILES, MAX_NODES, MAX_TOTAL_BYTES, MAX_TREE_BYTES,
};
use crate::layers::LayerError;
use crate::model::ModelError;

/// The oldest kas format version read (the legacy `"0.10"` is version 1).
pub const MIN_VERSION: u32 = 1;
/// The newest kas format version read: kas 5.4's.
pub const MAX_VERSION: u32 = 23;

/// Which bound a YAML document broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Budget {
    /// Lists and mappings nested too deep.
    Depth,
    /// Too many values once aliases are expanded.
    Nodes,
    /// Too many string bytes once aliases are expanded.
    Bytes,
    /// An alias inside the very value it names.
    Recursive,
}

impl fmt::Display for Budget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Budget::Depth => write!(f, "lists and mappings nest deeper than {MAX_DEPTH} levels"),
            Budget::Nodes => write!(
                f,
                "the document holds more than {MAX_NODES} values once its aliases (`*name`) are expanded"
            ),
            Budget::Bytes => write!(
                f,
                "the document holds more than {MAX_TREE_BYTES} bytes of text once its aliases (`*name`) are expanded"
            ),
            Budget::Recursive => f.write_str("an alias (`*name`) refers to the value it is in"),
        }
    }
}

/// What is wrong with a repository entry as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RepoProblem {
    /// A repository with a `url` but no `commit`, `tag`, `branch` or `refspec`.
    NoRef,
    /// The old `refspec` together with `commit`, `tag` or `branch`.
    RefspecMixed,
}

impl fmt::Display for RepoProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RepoProblem::NoRef => {
                "it has a url but no commit, tag or branch (kas allows that only for local repositories)"
            }
            RepoProblem::RefspecMixed => {
                "it mixes the old `refspec` with `commit`, `tag` or `branch`, which kas refuses"
            }
        })
    }
}

/// Everything that stops a kas file from being read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KasInError {
    /// The file system refused.
    #[error("{path}: {source}")]
    Io {
        /// The path involved.
        path: PathBuf,
        /// The cause.
        source: io::Error,
    },
    /// A path that is not a regular file.
    #[error("{path} is {found}, not a kas file")]
    NotAFile {
        /// The path.
        path: PathBuf,
        /// What it is.
        found: &'static str,
    },
    /// A file name kas would not read.
    #[error("{path}: kas reads only files ending in .yml, .yaml or .json")]
    Extension {
        /// The file.
        path: PathBuf,
    },
    /// A file far larger than any kas file.
    #[error("{path} is {}larger than the limit of {limit} bytes for a kas file", size.map(|s| format!("{s} bytes, ")).unwrap_or_default())]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size, when known.
        size: Option<u64>,
        /// The limit.
        limit: u64,
    },
    /// Includes and lock files that add up to too many files.
    #[error("{path}: reading it would make more than {limit} files for one kas file")]
    TooManyFiles {
        /// The file that would pass the bound.
        path: PathBuf,
        /// The bound.
        limit: usize,
    },
    /// Includes and lock files that add up to too many bytes.
    #[error("{path}: reading it would make more than {limit} bytes of kas files")]
    TooManyBytes {
        /// The file that would pass the bound.
        path: PathBuf,
        /// The bound.
        limit: u64,
    },
    /// Bytes that are not UTF-8.
    #[error("{file}:{line}: the file is not UTF-8 text")]
    Encoding {
        /// The file.
        file: PathBuf,
        /// The line of the first bad byte.
        line: usize,
    },
    /// Text that is not YAML.
    #[error("{file}:{line}:{column}: not valid YAML: {message}")]
    Yaml {
        /// The file.
        file: PathBuf,
        /// The line.
        line: usize,
        /// The column.
        column: usize,
        /// The parser's words.
        message: String,
    },
    /// More than one YAML document in a file.
    #[error("{file}:{line}: a second YAML document (`---`); a kas file is one document")]
    Documents {
        /// The file.
        file: PathBuf,
        /// Where the second starts.
        line: usize,
    },
    /// A YAML document that passes a bound.
    #[error("{file}:{line}: {budget}")]
    Budget {
        /// The file.
        file: PathBuf,
        /// Where the bound was passed.
        line: usize,
        /// Which bound.
        budget: Budget,
    },
    /// A YAML tag kas's safe loader does not construct.
    #[error("{file}:{line}: the YAML tag `{tag}` is not allowed in a kas file")]
    Tag {
        /// The file.
        file: PathBuf,
        /// The line.
        line: usize,
        /// The tag (shortened).
        tag: String,
    },
    /// A scalar that its tag (or YAML 1.1) cannot make a value of.
    #[error("{file}:{line}: `{text}` cannot be read{}", tag.as_ref().map(|t| format!(" as {t}")).unwrap_or_default())]
    Scalar {
        /// The file.
        file: PathBuf,
        /// The line.
        line: usize,
        /// The scalar (shortened).
        text: String,
        /// Its tag, if it has one.
        tag: Option<String>,
    },
    /// A mapping key that is not a string.
    #[error("{file}:{line}: a mapping key is {found}, but kas keys are strings")]
    Key {
        /// The file.
        file: PathBuf,
        /// The line.
        line: usize,
        /// What the key is.
        found: &'static str,
    },
    /// A file whose top is not a mapping.
    #[error("{file}: the file holds {found}, but a kas file is a mapping with a `header`")]
    NotAMapping {
        /// The file.
        file: PathBuf,
        /// What it holds.
        found: &'static str,
    },
    /// A value of the wrong type.
    #[error("{file}:{line}: {key} is {found}, but must be {expected}")]
    WrongType {
        /// The file.
        file: PathBuf,
        /// The line.
        line: usize,
        /// The key, dotted (`repos.poky.url`).
        key: String,
        /// What it must be.
        expected: &'static str,
        /// What it is.
        found: &'static str,
    },
    /// A value outside the ones allowed.
    #[error("{file}:{line}: {key} is `{value}`, but must be {allowed}")]
    NotAllowed {
        /// The file.
        file: PathBuf,
        /// The line.
        line: usize,
        /// The key, dotted.
        key: String,
        /// The value (shortened).
        value: String,
        /// What it may be.
        allowed: &'static str,
    },
    /// A key kas does not know.
    #[error("{file}:{line}: {key} is not a key kas knows")]
    UnknownKey {
        /// The file.
        file: PathBuf,
        /// The line.
        line: usize,
        /// The key, dotted.
        key: String,
    },
    /// A key kas needs.
    #[error("{file}:{line}: {key} is missing")]
    MissingKey {
        /// The file.
        file: PathBuf,
        /// The line of the mapping it is missing from.
        line: usize,
        /// The key, dotted.
        key: String,
    },
    /// A format version this reader does not know.
    #[error(
        "{file}:{line}: header.version is {found}, but this reader knows kas format versions {MIN_VERSION} to {MAX_VERSION}"
    )]
    Version {
        /// The file.
        file: PathBuf,
        /// The line.
        line: usize,
        /// The version as written (shortened).
        found: String,
    },
    /// An include that leads outside the directory includes must stay in.
    #[error(
        "{file}:{line}: include `{include}` is outside {root}, and includes are read only inside it"
    )]
    IncludeEscapes {
        /// The including file.
        file: PathBuf,
        /// The line.
        line: usize,
        /// The include as written (shortened).
        include: String,
        /// The directory includes must stay in.
        root: PathBuf,
    },
    /// An include that does not exist.
    #[error("{file}:{line}: include `{include}` does not exist (looked for {})", tried.display())]
    IncludeNotFound {
        /// The including file.
        file: PathBuf,
        /// The line.
        line: usize,
        /// The include as written (shortened).
        include: String,
        /// Where it was looked for.
        tried: PathBuf,
    },
    /// Files that include each other.
    #[error("{file}:{line}: include `{include}` leads back to a file that includes it: {}", chain.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(" -> "))]
    IncludeCycle {
        /// The including file.
        file: PathBuf,
        /// The line.
        line: usize,
        /// The include as written (shortened).
        include: String,
        /// The files from the one included again to the including one, and back.
        chain: Vec<PathBuf>,
    },
    /// A machine, distro or target the project would refuse.
    #[error("{file}:{line}: {key}: {source}")]
    Invalid {
        /// The file.
        file: PathBuf,
        /// The line.
        line: usize,
        /// The key, dotted.
        key: String,
        /// Why.
        source: Box<ModelError>,
    },
    /// A repository id, layer or ref the layer checks refuse.
    #[error("{file}:{line}: {key}: {source}")]
    Layer {
        /// The file.
        file: PathBuf,
        /// The line.
        line: usize,
        /// The key, dotted.
        key: String,
        /// Why.
        source: Box<LayerError>,
    },
    /// A repository URL that is refused.
    #[error("{file}:{line}: {key}: `{url}` is not a URL Toaster clones from: {reason}")]
    Url {
        /// The file.
        file: PathBuf,
        /// The line.
        line: usize,
        /// The key, dotted.
        key: String,
        /// The URL (shortened).
        url: String,
        /// Why.
        reason: &'static str,
    },
    /// A commit that is not a full commit id.
    #[error("{file}:{line}: {key}: `{commit}` is not a full commit id (40 or 64 hex digits)")]
    Commit {
        /// The file.
        file: PathBuf,
        /// The line.
        line: usize,
        /// The key, dotted.
        key: String,
        /// The commit (shortened).
        commit: String,
    },
    /// A repository entry kas itself refuses.
    #[error("{file}:{line}: repos.{repo}: {problem}")]
    Repo {
        /// The file.
        file: PathBuf,
        /// The line.
        line: usize,
        /// The repository id.
        repo: String,
        /// What is wrong.
        problem: RepoProblem,
    },
}

impl KasInError {
    /// What to do next.
    pub fn hint(&self) -> String {
        match self {
            KasInError::Io { source, .. } if source.kind() == io::ErrorKind::NotFound => {
                "check the path of the kas file".to_owned()
            }
            KasInError::Io { .. } => "check that the file can be read".to_owned(),
            KasInError::NotAFile { .. } => "give the path of a kas file (.yml)".to_owned(),
            KasInError::Extension { .. } => {
                "give a kas file ending in .yml, .yaml or .json".to_owned()
            }
            KasInError::TooLarge { .. } => format!(
                "point at a kas project file; kas files are a few kilobytes, and this reader reads at most {MAX_FILE_BYTES} bytes of one"
            ),
            KasInError::TooManyFiles { .. } => format!(
                "reduce the includes (at most {MAX_FILES} files, lock files and repeated includes counted), and look for files that include each other many times"
            ),
            KasInError::TooManyBytes { .. } => format!(
                "reduce the includes: at most {MAX_TOTAL_BYTES} bytes are read for one kas file"
            ),
            KasInError::Encoding { .. } => "save the file as UTF-8".to_owned(),
            KasInError::Yaml { .. } => {
                "fix the YAML at that place; `kas dump FILE` shows how kas reads it".to_owned()
            }
            KasInError::Documents { .. } => {
                "keep one document in the file: remove the `---` line and what follows, or move it into its own file and include that".to_owned()
            }
            KasInError::Budget {
                budget: Budget::Recursive,
                ..
            } => "remove the alias from inside the value its anchor names".to_owned(),
            KasInError::Budget { .. } => {
                "write the values out instead of nesting aliases (`*name`) in aliases; real kas files are far smaller".to_owned()
            }
            KasInError::Tag { .. } => {
                "remove the tag (`!…`): kas reads plain YAML values only".to_owned()
            }
            KasInError::Scalar { .. } => "quote the value to make it a string".to_owned(),
            KasInError::Key { .. } => {
                "quote the key (`\"yes\":`, `\"1\":`) to make it a string".to_owned()
            }
            KasInError::NotAMapping { .. } => {
                "start the file with `header:` and its `version:`".to_owned()
            }
            KasInError::WrongType { .. } => {
                "change the value to the type named; quote words YAML reads as numbers, booleans or dates (`\"1.0\"`, `\"yes\"`)".to_owned()
            }
            KasInError::NotAllowed { .. } => "use one of the values named".to_owned(),
            KasInError::UnknownKey { .. } => {
                "check the key's spelling against the kas documentation (project configuration), or remove it".to_owned()
            }
            KasInError::MissingKey { .. } => "add the key".to_owned(),
            KasInError::Version { .. } => format!(
                "write `header: version:` as a number from {MIN_VERSION} to {MAX_VERSION}; a file for a newer kas may use keys this reader does not know"
            ),
            KasInError::IncludeEscapes { .. } => {
                "keep included files inside the kas file's repository (or its directory when it is in none); absolute paths and `..` leading out, and links pointing out, are refused".to_owned()
            }
            KasInError::IncludeNotFound { .. } => {
                "check the include: kas looks for it from the top of the repository the kas file is in, then beside the including file".to_owned()
            }
            KasInError::IncludeCycle { .. } => {
                "remove one of the includes so no file includes itself".to_owned()
            }
            KasInError::Invalid { source, .. } => match source.as_ref() {
                ModelError::Invalid { hint, .. } => hint.clone(),
            },
            KasInError::Layer { .. } => {
                "use repository ids and layer names of letters, digits, `-`, `_`, `.` and `+`, layer paths inside their repository, and branch, tag or commit names without spaces or `..`".to_owned()
            }
            KasInError::Url { .. } => {
                "give an https://, http://, ssh://, git:// or file:// URL, user@host:path, or an absolute path".to_owned()
            }
            KasInError::Commit { .. } => {
                "give the full commit id (`git rev-parse COMMIT` prints it)".to_owned()
            }
            KasInError::Repo {
                problem: RepoProblem::NoRef,
                ..
            } => "add `commit:` (a full commit id) and the `branch:` or `tag:` it is on".to_owned(),
            KasInError::Repo { .. } => {
                "replace `refspec` with `commit` and `branch` (kas format 14 and later)".to_owned()
            }
        }
    }
}
