//! Server-rendered pages: small (each well under 50 KB), usable at 360 px, no external
//! resources, working without JavaScript (a running build's page refreshes itself; with
//! JavaScript it follows the build's event stream instead).

mod build;
mod builds;
mod project;
mod signin;

use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use maud::{DOCTYPE, Markup, PreEscaped, html};

pub(crate) use self::build::{build, cancel};
pub(crate) use self::builds::builds;
pub(crate) use self::project::{project, start};
pub(crate) use self::signin::{signin, signin_form, signout};
use crate::auth::{Caller, is_unauthenticated};
use crate::error::ApiError;

const CSS: &str = include_str!("site.css");
const JS: &str = include_str!("live.js");

/// A whole page: `title`, an optional refresh (seconds), the signed-in bar, the body.
fn page(title: &str, refresh: Option<u32>, caller: Option<&Caller>, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                @if let Some(seconds) = refresh {
                    noscript { meta http-equiv="refresh" content=(seconds); }
                }
                title { (title) " · Toaster" }
                link rel="stylesheet" href="/static/site.css";
                script src="/static/live.js" defer {}
            }
            body {
                header {
                    a href="/builds" { "Toaster" }
                    @if let Some(caller) = caller {
                        span.who { (caller.actor.owner().name.as_str()) }
                        @if let Some(session) = &caller.session {
                            form method="post" action="/signout" {
                                input type="hidden" name="csrf" value=(session.csrf);
                                button { "Sign out" }
                            }
                        }
                    }
                }
                main { (body) }
            }
        }
    }
}

/// A page as an answer (private: never cached).
fn answer(status: StatusCode, markup: Markup) -> Response {
    (
        status,
        [(header::CACHE_CONTROL, "no-store, private")],
        Html(markup.into_string()),
    )
        .into_response()
}

/// A refusal as a page; not signed in goes to the sign-in page.
fn refusal(e: ApiError) -> Response {
    if is_unauthenticated(&e) {
        return Redirect::to("/signin").into_response();
    }
    let body = html! {
        h1 { (e.status.canonical_reason().unwrap_or("Error")) }
        p { (e.message) }
        @if let Some(hint) = &e.hint { p.hint { (hint) } }
        p { a href="/builds" { "Back to the builds" } }
    };
    answer(e.status, page("Error", None, None, body))
}

/// The page of a path that is not there.
pub(crate) fn not_found() -> Response {
    refusal(ApiError::not_found(&crate::error::Lookup::Nothing))
}

pub(crate) async fn home() -> Redirect {
    Redirect::to("/builds")
}

pub(crate) async fn css() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        CSS,
    )
        .into_response()
}

pub(crate) async fn js() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        JS,
    )
        .into_response()
}

/// A duration for people: `2h 03m`, `4m 05s`, `12s`.
fn duration(ms: i64) -> String {
    let s = ms.max(0) / 1000;
    if s >= 3600 {
        format!("{}h {:02}m", s / 3600, s / 60 % 60)
    } else if s >= 60 {
        format!("{}m {:02}s", s / 60, s % 60)
    } else {
        format!("{s}s")
    }
}

/// A size for people: `512 B`, `4.0 KiB`, `1.2 GiB`.
fn size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

/// A progress bar (a `<progress>` element, styled, with its figures beside it).
fn progress_bar(done: u32, total: u32) -> Markup {
    html! {
        progress max=(total.max(1)) value=(done.min(total)) {}
        span.figures { (done) " / " (total) " tasks" }
    }
}

/// The unescaped text of a trusted constant (never user input).
fn raw(text: &'static str) -> PreEscaped<&'static str> {
    PreEscaped(text)
}

/// The percent-encoding of one path segment (artifact names carry `/`).
fn segment(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
