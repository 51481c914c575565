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

use super::signin::{CsrfForm, form_caller};
use super::{answer, duration, page, refusal, segment};
use crate::api::{path, start as start_build};
use crate::auth::Caller;
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
    project_page(caller, name).await.unwrap_or_else(refusal)
}

async fn project_page(
    caller: Result<Caller, ApiError>,
    name: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let caller = caller?;
    let name = path(name)?;
    let (caller, (project, config, builds)) = blocking(move || {
        let facts = facts(&caller, &name)?;
        Ok((caller, facts))
    })
    .await?;
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
    Ok(answer(
        StatusCode::OK,
        page(&project.name, None, Some(&caller), body),
    ))
}

pub(crate) async fn start(
    caller: Result<Caller, ApiError>,
    name: Result<Path<String>, PathRejection>,
    given: Result<Form<CsrfForm>, FormRejection>,
) -> Response {
    start_form(caller, name, given)
        .await
        .unwrap_or_else(refusal)
}

async fn start_form(
    caller: Result<Caller, ApiError>,
    name: Result<Path<String>, PathRejection>,
    given: Result<Form<CsrfForm>, FormRejection>,
) -> Result<Response, ApiError> {
    let caller = form_caller(caller, given)?;
    let name = path(name)?;
    let build = blocking(move || start_build(&caller, &name, None)).await?;
    Ok(Redirect::to(&format!("/builds/{}", build.id)).into_response())
}
