//! What every response carries and every request is held to: security headers, no caching
//! of private pages, and a bound on query strings.

use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;

/// The longest query string taken, in bytes.
pub(crate) const MAX_QUERY: usize = 1024;

/// The largest request body taken, in bytes (forms and JSON are small).
pub(crate) const MAX_BODY: usize = 16 * 1024;

/// No script, style or image from anywhere but this server; no framing, no plugins.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; \
     connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Refuses over-long query strings, then sets the security headers on the answer.
pub(crate) async fn guard(request: Request, next: Next) -> Response {
    if request.uri().query().is_some_and(|q| q.len() > MAX_QUERY) {
        let refused = ApiError::new(
            StatusCode::URI_TOO_LONG,
            "uri_too_long",
            format!("the query string is longer than {MAX_QUERY} bytes"),
        );
        return with_headers(refused.into_response());
    }
    with_headers(next.run(request).await)
}

fn with_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    let set = |headers: &mut axum::http::HeaderMap, name: HeaderName, value: &'static str| {
        headers.insert(name, HeaderValue::from_static(value));
    };
    set(headers, header::CONTENT_SECURITY_POLICY, CSP);
    set(headers, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(headers, header::X_FRAME_OPTIONS, "DENY");
    set(headers, header::REFERRER_POLICY, "no-referrer");
    set(
        headers,
        HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    );
    if !headers.contains_key(header::CACHE_CONTROL) {
        set(headers, header::CACHE_CONTROL, "no-store");
    }
    response
}
