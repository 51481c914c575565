//! Views the binding returns as dicts that `toaster_core::views` does not hold (yet): each
//! has the field names of the CLI's `--json` for the same command.

use serde::Serialize;
use toaster_core::conf::Evaluation;
use toaster_core::model::{BuildId, LayerSource};
use toaster_core::{Archived, BuildView, ImportReport, SettingValue};

/// A setting, as `settings show --json` prints it.
#[derive(Serialize)]
pub struct SettingView {
    name: &'static str,
    value: Option<String>,
    default: Option<&'static str>,
    about: &'static str,
}

impl From<&SettingValue> for SettingView {
    fn from(s: &SettingValue) -> SettingView {
        SettingView {
            name: s.setting.name(),
            value: s.value.clone(),
            default: s.setting.default_value(),
            about: s.setting.about(),
        }
    }
}

/// Where a project gets BitBake, as `bitbake show --json` prints it.
#[derive(Serialize)]
pub struct BitbakeView {
    project: String,
    kind: Option<&'static str>,
    path: Option<String>,
    url: Option<String>,
    reference: Option<String>,
    commit: Option<String>,
}

impl BitbakeView {
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

/// What `build import-events --json` prints.
#[derive(Serialize)]
pub struct ImportedEventsView {
    build: BuildView,
    events: usize,
    skipped: Vec<String>,
    stopped: Option<String>,
}

impl From<&ImportReport> for ImportedEventsView {
    fn from(report: &ImportReport) -> ImportedEventsView {
        ImportedEventsView {
            build: BuildView::from(&report.build),
            events: report.read.events,
            skipped: report
                .read
                .skipped
                .iter()
                .map(|(line, why)| format!("line {line}: {why}"))
                .collect(),
            stopped: report
                .read
                .stopped
                .as_ref()
                .map(|(line, why)| format!("line {line}: {why}")),
        }
    }
}

/// One build archived, as `build archive --json` reports it.
#[derive(Serialize)]
pub struct ArchivedView {
    build: i64,
    archive: Option<String>,
    files_stored: usize,
    files_left_out: Vec<LeftOut>,
    error: Option<String>,
}

/// A file an archive left out, and why.
#[derive(Serialize)]
struct LeftOut {
    name: String,
    why: String,
}

impl ArchivedView {
    pub fn new(id: BuildId, result: &Result<Archived, toaster_core::Error>) -> ArchivedView {
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
                    .map(|f| LeftOut {
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

/// What `conf eval --json` prints.
#[derive(Serialize)]
pub struct EvaluatedView {
    files: Vec<String>,
    variables: std::collections::BTreeMap<String, Option<String>>,
    /// Variables BitBake cannot expand either, with why.
    unexpandable: std::collections::BTreeMap<String, String>,
}

impl EvaluatedView {
    pub fn new(files: &[std::path::PathBuf], evaluation: &Evaluation) -> EvaluatedView {
        EvaluatedView {
            files: files.iter().map(|f| f.display().to_string()).collect(),
            variables: evaluation.values.clone(),
            unexpandable: evaluation
                .unexpandable
                .iter()
                .map(|(name, e)| (name.clone(), e.to_string()))
                .collect(),
        }
    }
}
