//! My builds (the default), or all I may read.

use axum::extract::Query;
use axum::extract::rejection::QueryRejection;
use axum::http::StatusCode;
use axum::response::Response;
use maud::html;
use serde::Deserialize;
use toaster_core::views::BuildView;

use super::{answer, duration, page, progress_bar, refusal};
use crate::api::{BuildsQuery, list_builds, query};
use crate::auth::Caller;
use crate::error::{ApiError, blocking};

/// Which builds the page lists: mine (the default) or all I may read, and from where.
#[derive(Debug, Deserialize)]
pub(crate) struct PageQuery {
    #[serde(default)]
    all: bool,
    #[serde(default)]
    offset: u32,
}

/// The builds on one page.
const PAGE: u32 = 25;

pub(crate) async fn builds(
    caller: Result<Caller, ApiError>,
    q: Result<Query<PageQuery>, QueryRejection>,
) -> Response {
    let caller = match caller {
        Ok(caller) => caller,
        Err(e) => return refusal(e),
    };
    let (all, q) = match query(q) {
        Ok(page) => (
            page.all,
            BuildsQuery {
                mine: !page.all,
                project: None,
                visibility: None,
                limit: PAGE,
                offset: page.offset,
            },
        ),
        Err(e) => return refusal(e),
    };
    let (caller, listed) = match blocking(move || {
        let listed = list_builds(&caller.actor, &q);
        Ok((caller, listed.map(|b| (b, q))))
    })
    .await
    {
        Ok((caller, Ok(listed))) => (caller, listed),
        Ok((_, Err(e))) | Err(e) => return refusal(e),
    };
    let (builds, q) = listed;
    let views: Vec<BuildView> = builds.iter().map(BuildView::from).collect();
    let running = builds.iter().any(|b| !b.state.is_final());
    let (this, other, other_link) = if all {
        ("All builds I may read", "Mine", "/builds")
    } else {
        ("My builds", "All I may read", "/builds?all=true")
    };
    let next = format!(
        "/builds?offset={}{}",
        q.offset + PAGE,
        if all { "&all=true" } else { "" }
    );
    let body = html! {
        h1 { (this) }
        p.filter { a href=(other_link) { (other) } }
        @if views.is_empty() { p { "No builds yet." } }
        ul.list {
            @for b in &views {
                li {
                    a href={ "/builds/" (b.id) } { "#" (b.id) " " (b.project) }
                    " " span class={ "state s-" (b.state) } { (b.state) }
                    div.meta {
                        (b.targets.join(" ")) " · " (b.machine.as_deref().unwrap_or("-"))
                        " · " (duration(b.duration_ms)) " · " (b.owner)
                    }
                    @if b.ended_at.is_none() { (progress_bar(b.progress.tasks_done, b.progress.tasks_total)) }
                }
            }
        }
        @if views.len() as u32 == PAGE { p { a href=(next) { "Older builds" } } }
    };
    answer(
        StatusCode::OK,
        page(this, running.then_some(10), Some(&caller), body),
    )
}
