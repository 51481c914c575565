//! Signing in with a token once (a session cookie follows), and signing out.

use axum::Form;
use axum::extract::State;
use axum::extract::rejection::FormRejection;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use maud::html;
use serde::Deserialize;

use super::{answer, page, refusal};
use crate::auth::{Caller, SESSION_COOKIE, SESSION_LIFETIME, check_csrf};
use crate::error::{ApiError, Lookup, blocking};
use crate::server::{App, Peer};
use crate::signin::{MAX_FAILURES, WINDOW};

fn form(message: Option<&str>) -> maud::Markup {
    let body = html! {
        h1 { "Sign in" }
        @if let Some(message) = message { p.hint { (message) } }
        form method="post" action="/signin" {
            p {
                label for="token" { "Token" }
                br;
                input type="password" id="token" name="token" autocomplete="current-password" required;
            }
            p { button { "Sign in" } }
        }
        p.hint { "Make a token with " code { "toaster owner token create --name phone" } "." }
    };
    page("Sign in", None, None, body)
}

pub(crate) async fn signin_form() -> Response {
    answer(StatusCode::OK, form(None))
}

#[derive(Debug, Deserialize)]
pub(crate) struct SignIn {
    token: String,
}

fn cookie(app: &App, value: &str, max_age: u64) -> HeaderValue {
    let secure = if app.secure_cookies { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("invalid=1"))
}

pub(crate) async fn signin(
    State(app): State<App>,
    peer: Peer,
    headers: HeaderMap,
    given: Result<Form<SignIn>, FormRejection>,
) -> Response {
    let addr = app.client_ip(peer.0, &headers);
    if !app.limiter.allows(addr) {
        let message = format!(
            "{MAX_FAILURES} sign-ins failed from your address in the last {} minutes: wait, then try again",
            WINDOW.as_secs() / 60
        );
        return answer(StatusCode::TOO_MANY_REQUESTS, form(Some(&message)));
    }
    let Ok(Form(given)) = given else {
        return answer(StatusCode::BAD_REQUEST, form(Some("Give a token.")));
    };
    let secret = given.token.trim().to_owned();
    let toaster = app.toaster.clone();
    let checked = {
        let secret = secret.clone();
        blocking(move || {
            toaster
                .token_for(Some(&secret))
                .map_err(|e| ApiError::from_core(e, &Lookup::Nothing))
        })
        .await
    };
    match checked {
        Ok(_) => {
            app.limiter.succeeded(addr);
            match app.sessions.open(secret) {
                Ok(session) => {
                    let mut response = Redirect::to("/builds").into_response();
                    response.headers_mut().insert(
                        header::SET_COOKIE,
                        cookie(&app, &session.id, SESSION_LIFETIME.as_secs()),
                    );
                    response
                }
                Err(e) => refusal(e),
            }
        }
        Err(e) if e.status == StatusCode::UNAUTHORIZED => {
            app.limiter.failed(addr);
            answer(StatusCode::UNAUTHORIZED, form(Some(&e.message)))
        }
        Err(e) => refusal(e),
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct CsrfForm {
    pub csrf: Option<String>,
}

/// The caller of a form: a signed-in browser whose form carries its session's CSRF token.
pub(crate) fn form_caller(
    caller: Result<Caller, ApiError>,
    given: Result<Form<CsrfForm>, FormRejection>,
) -> Result<Caller, ApiError> {
    let caller = caller?;
    if caller.session.is_none() {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "csrf",
            "forms are for signed-in browsers; API clients use the POST routes under /api/v1",
        ));
    }
    let csrf = given.ok().and_then(|Form(f)| f.csrf);
    check_csrf(&caller, csrf.as_deref())?;
    Ok(caller)
}

pub(crate) async fn signout(
    State(app): State<App>,
    caller: Result<Caller, ApiError>,
    given: Result<Form<CsrfForm>, FormRejection>,
) -> Response {
    let caller = match caller {
        Ok(caller) => caller,
        Err(e) => return refusal(e),
    };
    let csrf = given.ok().and_then(|Form(f)| f.csrf);
    if let Err(e) = check_csrf(&caller, csrf.as_deref()) {
        return refusal(e);
    }
    if let Some(session) = &caller.session {
        app.sessions.close(&session.id);
    }
    let mut response = Redirect::to("/signin").into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, cookie(&app, "", 0));
    response
}
