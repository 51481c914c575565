//! `toaster build artifacts` and `toaster build download`.

use serde::Serialize;
use toaster_core::model::{ArtifactKind, ArtifactRecord, BuildId};
use toaster_core::{Actor, Downloaded};

use super::Outcome;
use crate::output::{Output, table};
use crate::terminal::escape;

/// An artifact as listed.
#[derive(Serialize)]
struct ArtifactView<'a> {
    name: &'a str,
    kind: &'a str,
    size: u64,
    sha256: Option<&'a str>,
    /// Where the file is (its directory joined with its path there).
    path: String,
}

impl<'a> From<&'a ArtifactRecord> for ArtifactView<'a> {
    fn from(a: &'a ArtifactRecord) -> Self {
        ArtifactView {
            name: &a.name,
            kind: a.kind.as_str(),
            size: a.size,
            sha256: a.sha256.as_deref(),
            path: a.location().display().to_string(),
        }
    }
}

/// `build artifacts ID [--kind K]`.
pub fn list(actor: &Actor, out: &Output, id: i64, kind: Option<&str>) -> Outcome {
    let kind = kind
        .map(ArtifactKind::parse)
        .transpose()
        .map_err(toaster_core::Error::from)?;
    let artifacts = actor.build_artifacts(BuildId(id), kind)?;
    let views: Vec<ArtifactView<'_>> = artifacts.iter().map(ArtifactView::from).collect();
    out.emit(&views, |w| {
        if views.is_empty() {
            return writeln!(w, "build {id} recorded no artifacts");
        }
        let rows: Vec<Vec<String>> = views
            .iter()
            .map(|v| {
                vec![
                    v.kind.to_owned(),
                    v.size.to_string(),
                    v.sha256
                        .map_or("-".into(), |s| s[..12.min(s.len())].to_owned()),
                    v.name.to_owned(),
                ]
            })
            .collect();
        table(w, &["KIND", "SIZE", "SHA-256", "NAME"], &rows)
    })?;
    Ok(())
}

/// A copy as reported.
#[derive(Serialize)]
struct DownloadView<'a> {
    name: &'a str,
    path: String,
    size: u64,
    sha256: &'a str,
    /// Copied with --force although it differs from the record.
    changed: bool,
    /// Copied from the build's archive.
    from_archive: bool,
}

/// `build download ID NAME... [-o DIR] [--force]`.
pub fn download(
    actor: &Actor,
    out: &Output,
    id: i64,
    names: &[String],
    into: &std::path::Path,
    force: bool,
) -> Outcome {
    let copies = actor.download_artifacts(BuildId(id), names, into, force)?;
    let views: Vec<DownloadView<'_>> = copies.iter().map(view).collect();
    out.emit(&views, |w| {
        for v in &views {
            let source = if v.from_archive {
                " (from the build's archive)"
            } else {
                ""
            };
            let note = if v.changed {
                " — CHANGED since the build recorded it, copied as it is now (--force)"
            } else {
                ", checksum verified"
            };
            writeln!(
                w,
                "{} → {}: {} bytes{source}{note}",
                escape(v.name),
                escape(&v.path),
                v.size
            )?;
        }
        Ok(())
    })?;
    Ok(())
}

fn view(d: &Downloaded) -> DownloadView<'_> {
    DownloadView {
        name: &d.artifact.name,
        path: d.path.display().to_string(),
        size: d.copied.size,
        sha256: &d.copied.sha256,
        changed: d.changed,
        from_archive: d.from_archive,
    }
}
