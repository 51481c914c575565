//! The marker file: what it says, and reading which project it names.

use std::ffi::CStr;

use crate::model::Name;

/// The file that marks a directory as a project's own.
pub const MARKER: &str = ".toaster-project";

/// [`MARKER`] for system calls.
pub(super) const MARKER_C: &CStr = c".toaster-project";

/// The marker's text for `project`.
pub(super) fn text(project: &Name) -> String {
    format!(
        "# This directory belongs to the Toaster project below. `toaster project delete --files`\n\
         # removes it only while this file names that project.\n\
         project = {project}\n"
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
    text.lines()
        .find_map(|line| line.strip_prefix("project = "))
        .map(str::trim)
}
