//! `toaster build artifacts` and `toaster build download`.

use toaster_core::Actor;
use toaster_core::model::{ArtifactKind, BuildId};
use toaster_core::views::{ArtifactView, DownloadView};

use super::Outcome;
use crate::output::{Output, table};
use crate::terminal::escape;

/// `build artifacts ID [--kind K]`.
pub fn list(actor: &Actor, out: &Output, id: i64, kind: Option<&str>) -> Outcome {
    let kind = kind
        .map(ArtifactKind::parse)
        .transpose()
        .map_err(toaster_core::Error::from)?;
    let artifacts = actor.build_artifacts(BuildId(id), kind)?;
    let views: Vec<ArtifactView> = artifacts.iter().map(ArtifactView::from).collect();
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
                        .as_deref()
                        .map_or("-".into(), |s| s[..12.min(s.len())].to_owned()),
                    v.name.clone(),
                ]
            })
            .collect();
        table(w, &["KIND", "SIZE", "SHA-256", "NAME"], &rows)
    })?;
    Ok(())
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
    let views: Vec<DownloadView> = copies.iter().map(DownloadView::from).collect();
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
                escape(&v.name),
                escape(&v.path),
                v.size
            )?;
        }
        Ok(())
    })?;
    Ok(())
}
