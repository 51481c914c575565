//! One build: state, targets, machine, duration, progress, failed tasks with the tail of
//! their messages, errors and warnings, artifacts to download, hooks delivered; cancel.

use axum::Form;
use axum::extract::Path;
use axum::extract::rejection::{FormRejection, PathRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;
use toaster_core::model::{LogLevel, LogRecord, TaskFilter, TaskOutcome};
use toaster_core::views::{ArtifactView, BuildView, DeliverySummaryView, TaskView};

use super::signin::{CsrfForm, form_caller};
use super::{answer, duration, page, progress_bar, raw, refusal, segment, size};
use crate::api::{build_id, cancel_build, path};
use crate::auth::Caller;
use crate::error::{ApiError, Lookup, blocking};

/// The most failed tasks, messages and artifacts one page shows.
const SHOWN: usize = 50;

/// The last lines of a failed task's messages shown.
const TAIL: usize = 15;

struct Facts {
    build: BuildView,
    ended: bool,
    failed: Vec<TaskView>,
    messages: Vec<LogRecord>,
    artifacts: Vec<ArtifactView>,
    hooks: Vec<DeliverySummaryView>,
}

fn facts(caller: &Caller, id: toaster_core::model::BuildId) -> Result<Facts, ApiError> {
    let lookup = Lookup::Build(id.0);
    let failure = |e| ApiError::from_core(e, &lookup);
    let actor = &caller.actor;
    let detail = actor.build(id).map_err(failure)?;
    let failed = actor
        .tasks(
            id,
            &TaskFilter {
                outcome: Some(Some(TaskOutcome::Failed)),
                limit: SHOWN as u32,
                ..TaskFilter::default()
            },
        )
        .map_err(failure)?;
    let mut messages = actor.log_messages(id, LogLevel::Warning).map_err(failure)?;
    let keep_from = messages.len().saturating_sub(SHOWN * 4);
    messages.drain(..keep_from);
    let mut artifacts = actor.artifacts(id).map_err(failure)?;
    artifacts.truncate(SHOWN * 4);
    let hooks = actor.deliveries(id).map_err(failure)?;
    Ok(Facts {
        build: BuildView::from(&detail),
        ended: detail.build.state.is_final(),
        failed: failed.iter().map(TaskView::from).collect(),
        messages,
        artifacts: artifacts.iter().map(ArtifactView::from).collect(),
        hooks: hooks.iter().map(DeliverySummaryView::from).collect(),
    })
}

/// The tail of the messages of a failed task.
fn tail(messages: &[LogRecord], task: &TaskView) -> String {
    let lines: Vec<&str> = messages
        .iter()
        .filter(|m| {
            m.task
                .as_deref()
                .is_some_and(|t| t.contains(&task.task) && t.contains(&task.recipe))
        })
        .flat_map(|m| m.text.lines())
        .collect();
    lines[lines.len().saturating_sub(TAIL)..].join("\n")
}

pub(crate) async fn build(
    caller: Result<Caller, ApiError>,
    id: Result<Path<String>, PathRejection>,
) -> Response {
    build_page(caller, id).await.unwrap_or_else(refusal)
}

async fn build_page(
    caller: Result<Caller, ApiError>,
    id: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let caller = caller?;
    let id = build_id(&path(id)?)?;
    let (caller, facts) = blocking(move || {
        let facts = facts(&caller, id)?;
        Ok((caller, facts))
    })
    .await?;
    let b = &facts.build;
    let title = format!("Build {} of {}", b.id, b.project);
    let csrf = caller.session.as_ref().map(|s| s.csrf.clone());
    let body = html! {
        h1 { "#" (b.id) " " a href={ "/projects/" (segment(&b.project)) } { (b.project) } }
        p { span data-state class={ "state s-" (b.state) } { (b.state) } }
        @if !facts.ended {
            div data-events={ "/api/v1/builds/" (b.id) "/events" } {
                (progress_bar(b.progress.tasks_done, b.progress.tasks_total))
            }
        } @else {
            (progress_bar(b.progress.tasks_done, b.progress.tasks_total))
        }
        dl {
            dt { "Targets" } dd { (b.targets.join(" ")) }
            dt { "Machine" } dd { (b.machine.as_deref().unwrap_or("-")) }
            dt { "Distro" } dd { (b.distro.as_deref().unwrap_or("-")) }
            dt { "Duration" } dd data-duration { (duration(b.duration_ms)) }
            dt { "Started" } dd { (b.started_at) " by " (b.owner) }
            dt { "Errors" } dd data-errors { (b.errors) }
            dt { "Warnings" } dd data-warnings { (b.warnings) }
            @if let Some(revision) = b.revision { dt { "Revision" } dd { (revision) } }
        }
        @if !facts.ended {
            @if let Some(csrf) = &csrf {
                form method="post" action={ "/builds/" (b.id) "/cancel" } {
                    input type="hidden" name="csrf" value=(csrf);
                    button { "Cancel build" }
                }
            }
        }
        @if !facts.failed.is_empty() {
            h2 { "Failed tasks" }
            @for t in &facts.failed {
                h3 { (t.recipe) ":" (t.task) }
                @let text = tail(&facts.messages, t);
                @if !text.is_empty() { pre { (text) } }
            }
        }
        @if !facts.messages.is_empty() {
            h2 { "Errors and warnings" }
            ul.list {
                @for m in facts.messages.iter().rev().take(SHOWN) {
                    li {
                        span class={ "state s-" (if m.level >= LogLevel::Error { "failed" } else { "queued" }) } { (m.level.as_str()) }
                        " " (m.text.lines().next().unwrap_or(""))
                    }
                }
            }
        }
        h2 { "Artifacts" }
        @if facts.artifacts.is_empty() { p { "None recorded." } }
        ul.list {
            @for a in &facts.artifacts {
                li {
                    a href={ "/api/v1/builds/" (b.id) "/artifacts/" (segment(&a.name)) "/download" } { (a.name) }
                    div.meta { (a.kind) " · " (size(a.size)) }
                }
            }
        }
        @if !facts.hooks.is_empty() {
            h2 { "Hooks" }
            ul.list {
                @for h in &facts.hooks {
                    li {
                        (h.kind) " " span class={ "state s-" (if h.delivered { "succeeded" } else { "queued" }) } { (h.state) }
                        div.meta { "attempt " (h.attempt) @if let Some(detail) = &h.detail { " · " (detail) } }
                    }
                }
            }
        }
        p { a href="/builds" { (raw("&larr; ")) "Builds" } }
    };
    let refresh = (!facts.ended).then_some(5);
    Ok(answer(
        StatusCode::OK,
        page(&title, refresh, Some(&caller), body),
    ))
}

pub(crate) async fn cancel(
    caller: Result<Caller, ApiError>,
    id: Result<Path<String>, PathRejection>,
    given: Result<Form<CsrfForm>, FormRejection>,
) -> Response {
    cancel_form(caller, id, given).await.unwrap_or_else(refusal)
}

async fn cancel_form(
    caller: Result<Caller, ApiError>,
    id: Result<Path<String>, PathRejection>,
    given: Result<Form<CsrfForm>, FormRejection>,
) -> Result<Response, ApiError> {
    let caller = form_caller(caller, given)?;
    let id = build_id(&path(id)?)?;
    blocking(move || cancel_build(&caller, id)).await?;
    Ok(Redirect::to(&format!("/builds/{}", id.0)).into_response())
}
