//! `toaster build packages ID [--in-image TARGET] [--why PACKAGE]` and `toaster build files
//! ID [TARGET] [--under DIR] [--largest N]`: a build's packages and what its images hold.

use toaster_core::Actor;
use toaster_core::model::{BuildId, FileQuery};
use toaster_core::views::{
    ImageListingView, ImageView, InstalledPackageView, PackageView, WhyHopView,
};

use super::Outcome;
use crate::output::{Output, table};

/// A path or name as one table cell: control characters (a newline in a file name) shown
/// escaped.
fn cell(text: &str) -> String {
    if text.chars().any(char::is_control) {
        text.escape_debug().to_string()
    } else {
        text.to_owned()
    }
}

/// Prints the packages build `id` made or, with `image`, those installed in it or, with
/// `why` too, the chain that brought that package into the image.
pub fn packages(
    out: &Output,
    actor: &Actor,
    id: BuildId,
    image: Option<&str>,
    why: Option<&str>,
) -> Outcome {
    match (image, why) {
        (Some(image), Some(package)) => {
            let views: Vec<WhyHopView> = actor
                .package_why(id, image, package)?
                .iter()
                .map(WhyHopView::from)
                .collect();
            out.emit(&views, |w| {
                if views.len() == 1 {
                    return writeln!(
                        w,
                        "{package} is installed in {image} for itself: nothing else in the image needs it"
                    );
                }
                let rows: Vec<Vec<String>> = views
                    .iter()
                    .enumerate()
                    .map(|(i, h)| {
                        let how = match h.kind {
                            None => "installed for itself".to_owned(),
                            Some(kind) => format!("{kind} of {}", views[i - 1].package),
                        };
                        vec![i.to_string(), cell(&h.package), how]
                    })
                    .collect();
                table(w, &["STEP", "PACKAGE", "WHY"], &rows)
            })?;
        }
        (Some(image), None) => {
            let views: Vec<InstalledPackageView> = actor
                .image_packages(id, image)?
                .iter()
                .map(InstalledPackageView::from)
                .collect();
            out.emit(&views, |w| {
                let rows: Vec<Vec<String>> = views
                    .iter()
                    .map(|p| {
                        let needs = |kind: &str| p.depends.get(kind).map_or(0, Vec::len);
                        vec![
                            cell(&p.name),
                            p.size.to_string(),
                            needs("depends").to_string(),
                            needs("recommends").to_string(),
                        ]
                    })
                    .collect();
                table(w, &["PACKAGE", "SIZE", "DEPENDS", "RECOMMENDS"], &rows)
            })?;
        }
        (None, _) => {
            let counts = actor.package_file_counts(id)?;
            let views: Vec<PackageView> =
                actor.packages(id)?.iter().map(PackageView::from).collect();
            out.emit(&views, |w| {
                let rows: Vec<Vec<String>> = views
                    .iter()
                    .map(|p| {
                        let files = counts.get(&p.name).copied().unwrap_or(0);
                        vec![
                            cell(&p.name),
                            p.version.clone(),
                            p.recipe.clone(),
                            p.size.to_string(),
                            files.to_string(),
                        ]
                    })
                    .collect();
                table(w, &["PACKAGE", "VERSION", "RECIPE", "SIZE", "FILES"], &rows)
            })?;
        }
    }
    Ok(())
}

/// Prints the images build `id` recorded or, with `target`, that image's file listing as
/// `query` asks.
pub fn files(
    out: &Output,
    actor: &Actor,
    id: BuildId,
    target: Option<&str>,
    query: FileQuery,
) -> Outcome {
    let Some(target) = target else {
        let views: Vec<ImageView> = actor.images(id)?.iter().map(ImageView::from).collect();
        out.emit(&views, |w| {
            let rows: Vec<Vec<String>> = views
                .iter()
                .map(|i| {
                    vec![
                        cell(&i.target),
                        i.packages.to_string(),
                        i.files.to_string(),
                        i.size.to_string(),
                    ]
                })
                .collect();
            table(w, &["IMAGE", "PACKAGES", "FILES", "SIZE"], &rows)
        })?;
        return Ok(());
    };
    let view = ImageListingView::new(target, &actor.image_files(id, target, &query)?);
    out.emit(&view, |w| {
        let rows: Vec<Vec<String>> = view
            .files
            .iter()
            .map(|f| {
                let path = match &f.link {
                    Some(link) => format!("{} -> {}", cell(&f.path), cell(link)),
                    None => cell(&f.path),
                };
                vec![
                    f.mode.clone(),
                    format!("{}:{}", f.owner, f.group),
                    f.size.to_string(),
                    path,
                ]
            })
            .collect();
        table(w, &["MODE", "OWNER", "SIZE", "PATH"], &rows)?;
        writeln!(
            w,
            "{} entries shown of {} matched; regular files matched: {} bytes",
            view.files.len(),
            view.matched,
            view.total_size
        )
    })?;
    Ok(())
}
