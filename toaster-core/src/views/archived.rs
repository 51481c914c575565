//! One build archived (or not), as `build archive --json` reports it.

use serde::Serialize;

use crate::model::BuildId;
use crate::{Archived, Error};

/// A build's archive: where it went, what it kept and left out, or why it failed.
#[derive(Debug, Clone, Serialize)]
pub struct ArchivedView {
    /// The build.
    pub build: i64,
    /// The archive written; null when it failed.
    pub archive: Option<String>,
    /// Files stored in it.
    pub files_stored: usize,
    /// Files left out, each with why.
    pub files_left_out: Vec<LeftOutView>,
    /// Why archiving failed; null when it did not.
    pub error: Option<String>,
}

/// A file an archive left out, and why.
#[derive(Debug, Clone, Serialize)]
pub struct LeftOutView {
    /// The artifact's name.
    pub name: String,
    /// Why it was left out.
    pub why: String,
}

impl ArchivedView {
    /// The view of archiving build `id`, which gave `result`.
    pub fn new(id: BuildId, result: &Result<Archived, Error>) -> ArchivedView {
        match result {
            Ok(archived) => ArchivedView {
                build: id.0,
                archive: archived
                    .build
                    .archive
                    .as_ref()
                    .map(|a| a.path.display().to_string()),
                files_stored: archived.manifest.files.iter().filter(|f| f.stored).count(),
                files_left_out: archived
                    .manifest
                    .files
                    .iter()
                    .filter(|f| !f.stored)
                    .map(|f| LeftOutView {
                        name: f.name.clone(),
                        why: f.left_out.clone().unwrap_or_default(),
                    })
                    .collect(),
                error: None,
            },
            Err(e) => ArchivedView {
                build: id.0,
                archive: None,
                files_stored: 0,
                files_left_out: Vec::new(),
                error: Some(e.to_string()),
            },
        }
    }
}
