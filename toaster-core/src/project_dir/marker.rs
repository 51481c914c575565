//! The marker file: what it says (the project it belongs to, and the database that project
//! lives in), and reading it back.

use std::ffi::CStr;
use std::path::{Path, PathBuf};

use crate::model::Name;
use crate::store::is_database_url;

/// The file that marks a directory as a project's own.
pub const MARKER: &str = ".toaster-project";

/// [`MARKER`] for system calls.
pub(super) const MARKER_C: &CStr = c".toaster-project";

const PROJECT: &str = "project = ";
const DATABASE: &str = "database = ";

/// The marker's text for `project` of the database at `database` (absolute, or a
/// PostgreSQL URL, which holds no password). A database
/// path that is not one line of UTF-8 text is left out: the marker then names the project
/// only, as markers written before databases were recorded do.
pub(super) fn text(project: &Name, database: Option<&Path>) -> String {
    let database = database
        .filter(|path| path.is_absolute() || is_database_url(path))
        .and_then(Path::to_str)
        .filter(|path| !path.chars().any(char::is_control))
        .map(|path| format!("{DATABASE}{path}\n"))
        .unwrap_or_default();
    format!(
        "# This directory belongs to the Toaster project below. `toaster project delete --files`\n\
         # removes it only while this file names that project. `toaster` run in or below this\n\
         # directory acts on this project in this database unless told otherwise.\n\
         {PROJECT}{project}\n\
         {database}"
    )
}

/// Why a marker's text does not name `project`, if it does not.
pub(super) fn mismatch(text: &str, project: &Name) -> Option<String> {
    let named = named(text);
    (named != Some(project.as_str())).then(|| {
        format!(
            "its {MARKER} names {}",
            named.map_or("no project".to_owned(), |n| format!("project `{n}`"))
        )
    })
}

/// The project a marker's text names.
pub(super) fn named(text: &str) -> Option<&str> {
    field(text, PROJECT)
}

/// The database a marker's text records, if it records one (older markers do not).
pub(super) fn database(text: &str) -> Option<PathBuf> {
    field(text, DATABASE)
        .map(PathBuf::from)
        .filter(|path| path.is_absolute() || is_database_url(path))
}

fn field<'t>(text: &'t str, prefix: &str) -> Option<&'t str> {
    text.lines()
        .find_map(|line| line.strip_prefix(prefix))
        .map(str::trim)
        .filter(|value| !value.is_empty())
}
