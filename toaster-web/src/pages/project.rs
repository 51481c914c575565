//! One project: its latest builds, a summary of its configuration and its revision; start
//! a build.

use axum::Form;
use axum::extract::Path;
use axum::extract::rejection::{FormRejection, PathRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;
use toaster_core::BuildQuery;
use toaster_core::views::{BuildView, ConfigView, ProjectView};

use super::signin::CsrfForm;
use super::{answer, duration, page, refusal, segment};
use crate::api::{path, start as start_build};
use crate::auth::{Caller, check_csrf};
use crate::error::{ApiError, Lookup, blocking};

/// The latest builds shown.
const LATEST: u32 = 10;

fn facts(
    caller: &Caller,
    name: &str,
) -> Result<(ProjectView, ConfigView, Vec<BuildView>), ApiError> {
    let lookup = Lookup::Project(name.to_owned());
    let failure = |e| ApiError::from_core(e, &lookup);
    let project = caller.actor.project(name).map_err(failure)?;
    let revision = caller.actor.config(name).map_err(failure)?;
    let builds = caller
        .actor
        .builds(&BuildQuery {
            project: Some(name),
            limit: LATEST,
            ..BuildQuery::default()
        })
        .map_err(failure)?;
    Ok((
        ProjectView::from(&project),
        ConfigView::new(project.name.as_str(), &revision),
        builds.iter().map(BuildView::from).collect(),
    ))
}

pub(crate) async fn project(
    caller: Result<Caller, ApiError>,
    name: Result<Path<String>, PathRejection>,
) -> Response {
    let caller = match caller {
        Ok(caller) => caller,
        Err(e) => return refusal(e),
    };
    let name = match path(name) {
        Ok(name) => name,
        Err(e) => return refusal(e),
    };
    let (caller, (project, config, builds)) = match blocking(move || {
        let facts = facts(&caller, &name);
        Ok((caller, facts))
    })
    .await
    {
        Ok((caller, Ok(facts))) => (caller, facts),
        Ok((_, Err(e))) | Err(e) => return refusal(e),
    };
    let csrf = caller.session.as_ref().map(|s| s.csrf.clone());
    let body = html! {
        h1 { (project.name) }
        dl {
            dt { "Release" } dd { (project.release) }
            dt { "Owner" } dd { (project.owner) @if let Some(g) = &project.group { " · group " (g) } }
            dt { "Revision" } dd { (config.revision.revision) " by " (config.revision.author) " at " (config.revision.created_at) }
            dt { "Machine" } dd { (config.machine.as_deref().unwrap_or("-")) }
            dt { "Distro" } dd { (config.distro.as_deref().unwrap_or("-")) }
            dt { "Targets" } dd { (config.targets.join(" ")) }
            dt { "Layers" } dd { (config.layers.iter().map(|l| l.name.as_str()).collect::<Vec<_>>().join(", ")) }
            dt { "Variables" } dd { (config.variables.len()) }
        }
        @if let Some(csrf) = &csrf {
            form method="post" action={ "/projects/" (segment(&project.name)) "/build" } {
                input type="hidden" name="csrf" value=(csrf);
                button { "Start a build" }
            }
        }
        h2 { "Latest builds" }
        @if builds.is_empty() { p { "No builds yet." } }
        ul.list {
            @for b in &builds {
                li {
                    a href={ "/builds/" (b.id) } { "#" (b.id) }
                    " " span class={ "state s-" (b.state) } { (b.state) }
                    div.meta { (b.targets.join(" ")) " · " (duration(b.duration_ms)) " · " (b.owner) }
                }
            }
        }
    };
    answer(
        StatusCode::OK,
        page(&project.name, None, Some(&caller), body),
    )
}

pub(crate) async fn start(
    caller: Result<Caller, ApiError>,
    name: Result<Path<String>, PathRejection>,
    given: Result<Form<CsrfForm>, FormRejection>,
) -> Response {
    let caller = match caller {
        Ok(caller) => caller,
        Err(e) => return refusal(e),
    };
    let name = match path(name) {
        Ok(name) => name,
        Err(e) => return refusal(e),
    };
    if caller.session.is_none() {
        return refusal(ApiError::new(
            StatusCode::FORBIDDEN,
            "csrf",
            "forms are for signed-in browsers; use POST /api/v1/projects/{name}/builds",
        ));
    }
    let csrf = given.ok().and_then(|Form(f)| f.csrf);
    if let Err(e) = check_csrf(&caller, csrf.as_deref()) {
        return refusal(e);
    }
    match blocking(move || start_build(&caller, &name, None)).await {
        Ok(build) => Redirect::to(&format!("/builds/{}", build.id)).into_response(),
        Err(e) => refusal(e),
    }
}
