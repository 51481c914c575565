//! An event log imported as a build, as `build import-events --json` prints it.

use serde::Serialize;

use super::BuildView;
use crate::ImportReport;

/// The build an event log became, with the lines read, skipped and where reading stopped.
#[derive(Debug, Clone, Serialize)]
pub struct ImportedEventsView {
    /// The build.
    pub build: BuildView,
    /// Events recorded.
    pub events: usize,
    /// Lines skipped (`line N: why`).
    pub skipped: Vec<String>,
    /// Where reading stopped early (`line N: why`); null when it read to the end.
    pub stopped: Option<String>,
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
