//! `toaster build compare ID1 ID2`: what changed between two builds.

use std::io::{self, Write};

use toaster_core::Actor;
use toaster_core::model::{BuildId, BuildLayer};
use toaster_core::views::{BuildComparisonView, ChangeOf};

use super::Outcome;
use crate::output::{Output, table};

/// Prints what changed from build `from` to build `to`: settings, layers, variables,
/// packages and image sizes, differences only.
pub fn compare(out: &Output, actor: &Actor, from: BuildId, to: BuildId) -> Outcome {
    let view = BuildComparisonView::from(&actor.compare_builds(from, to)?);
    out.emit(&view, |w| print(w, &view))?;
    Ok(())
}

fn print(w: &mut dyn Write, c: &BuildComparisonView) -> io::Result<()> {
    writeln!(w, "build {} -> build {}", c.from, c.to)?;
    let p = &c.packages;
    if c.settings.is_empty()
        && c.layers.is_empty()
        && c.variables.is_empty()
        && p.added.is_empty()
        && p.removed.is_empty()
        && p.changed.is_empty()
        && c.images.is_empty()
    {
        return writeln!(w, "no differences ({} packages alike)", p.unchanged);
    }
    section(w, "settings", &values(&c.settings))?;
    let layers: Vec<Vec<String>> = c
        .layers
        .iter()
        .map(|l: &ChangeOf<BuildLayer>| vec![l.name.clone(), layer(&l.from), layer(&l.to)])
        .collect();
    section(w, "layers", &layers)?;
    section(w, "variables", &values(&c.variables))?;
    if !(p.added.is_empty() && p.removed.is_empty() && p.changed.is_empty()) {
        writeln!(
            w,
            "\npackages: {} added, {} removed, {} changed, {} alike",
            p.added.len(),
            p.removed.len(),
            p.changed.len(),
            p.unchanged
        )?;
        let mut rows: Vec<Vec<String>> = Vec::new();
        for (mark, side) in [("+", &p.added), ("-", &p.removed)] {
            rows.extend(side.iter().map(|s| {
                vec![
                    mark.to_owned(),
                    s.name.clone(),
                    s.version.clone(),
                    s.size.to_string(),
                ]
            }));
        }
        for m in &p.changed {
            let version = if m.from_version == m.to_version {
                m.to_version.clone()
            } else {
                format!("{} -> {}", m.from_version, m.to_version)
            };
            let size = format!("{} -> {} ({:+})", m.from_size, m.to_size, m.size_change);
            rows.push(vec!["~".into(), m.name.clone(), version, size]);
        }
        table(w, &["", "PACKAGE", "VERSION", "SIZE"], &rows)?;
    }
    let images: Vec<Vec<String>> = c
        .images
        .iter()
        .map(|i| {
            let change = i.change.map(|d| format!("{d:+}")).unwrap_or_default();
            vec![i.target.clone(), size(i.from), size(i.to), change]
        })
        .collect();
    if !images.is_empty() {
        writeln!(w, "\nimages (bytes):")?;
        table(w, &["TARGET", "FROM", "TO", "CHANGE"], &images)?;
    }
    Ok(())
}

/// A heading and a FROM/TO table, when there is anything to show.
fn section(w: &mut dyn Write, heading: &str, rows: &[Vec<String>]) -> io::Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    writeln!(w, "\n{heading}:")?;
    table(w, &["NAME", "FROM", "TO"], rows)
}

fn values(changes: &[ChangeOf<String>]) -> Vec<Vec<String>> {
    let shown = |v: &Option<String>| v.clone().unwrap_or_else(|| "(unset)".to_owned());
    changes
        .iter()
        .map(|c| vec![c.name.clone(), shown(&c.from), shown(&c.to)])
        .collect()
}

fn layer(side: &Option<BuildLayer>) -> String {
    match side {
        None => "(none)".to_owned(),
        Some(l) => {
            let at = l
                .commit
                .as_deref()
                .map(|c| c.chars().take(12).collect::<String>())
                .or_else(|| l.reference.clone());
            match at {
                Some(at) => format!("{} @ {at}", l.source),
                None => l.source.clone(),
            }
        }
    }
}

fn size(bytes: Option<u64>) -> String {
    bytes.map_or_else(|| "-".to_owned(), |b| b.to_string())
}
