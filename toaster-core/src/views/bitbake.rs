//! Where a project's builds get BitBake, as `bitbake show --json` prints it.

use serde::Serialize;

use crate::model::LayerSource;

/// A project's BitBake: a checkout used where it is, or a git repository at a commit.
#[derive(Debug, Clone, Serialize)]
pub struct BitbakeView {
    /// The project.
    pub project: String,
    /// `path` or `git`; null when none is set.
    pub kind: Option<&'static str>,
    /// The checkout, for `path`.
    pub path: Option<String>,
    /// The repository, for `git`.
    pub url: Option<String>,
    /// The branch, tag or commit asked for, for `git`.
    pub reference: Option<String>,
    /// The commit checked out, for `git`.
    pub commit: Option<String>,
}

impl BitbakeView {
    /// The view of `project`'s BitBake `source` (`None`: not chosen yet).
    pub fn new(project: &str, source: Option<&LayerSource>) -> BitbakeView {
        let mut view = BitbakeView {
            project: project.to_owned(),
            kind: None,
            path: None,
            url: None,
            reference: None,
            commit: None,
        };
        match source {
            Some(LayerSource::Local { path }) => {
                view.kind = Some("path");
                view.path = Some(path.display().to_string());
            }
            Some(LayerSource::Git {
                url,
                reference,
                commit,
                ..
            }) => {
                view.kind = Some("git");
                view.url = Some(url.clone());
                view.reference = Some(reference.clone());
                view.commit = commit.clone();
            }
            None => {}
        }
        view
    }
}
