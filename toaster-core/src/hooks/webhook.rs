//! Webhook hooks: the build POSTed as JSON to a URL, signed with HMAC-SHA256 when the hook
//! has a secret. Redirects are not followed and a slow server gets a time limit for the
//! whole exchange.

use std::io::Read;
use std::time::Duration;

use hmac::{Hmac, Mac};
use sha2::Sha256;
use ureq::Agent;
use ureq::http::Uri;

use super::output::head_text;
use super::seconds;
use crate::model::AttemptResult;

/// The header carrying the body's signature, `sha256=<hex>` (as GitHub's webhooks do).
pub const SIGNATURE_HEADER: &str = "X-Toaster-Signature-256";
/// The header naming the event, always `build-ended`.
pub const EVENT_HEADER: &str = "X-Toaster-Event";

/// A webhook call to make.
#[derive(Debug, Clone, Copy)]
pub struct WebhookPost<'a> {
    /// An `http` or `https` URL.
    pub url: &'a str,
    /// The JSON body.
    pub body: &'a [u8],
    /// The HMAC-SHA256 key signing the body, if the hook has one.
    pub secret: Option<&'a [u8]>,
    /// How long the whole exchange may take: connecting, sending, the answer.
    pub timeout: Duration,
}

/// The signature of `body` under `secret`: `sha256=` and the HMAC-SHA256 in lowercase hex.
pub fn signature(secret: &[u8], body: &[u8]) -> String {
    // HMAC takes keys of any length, so this never fails.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret) else {
        return String::new();
    };
    mac.update(body);
    let mut text = String::from("sha256=");
    for byte in mac.finalize().into_bytes() {
        text.push(char::from(HEX[usize::from(byte >> 4)]));
        text.push(char::from(HEX[usize::from(byte & 0x0f)]));
    }
    text
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// POSTs the body: delivered iff the server answers 2xx. The output is the start of the
/// answer's body, at most [`AttemptResult::MAX_OUTPUT`] bytes of it read.
pub fn post(post: &WebhookPost<'_>) -> AttemptResult {
    let agent: Agent = Agent::config_builder()
        .max_redirects(0)
        .http_status_as_error(false)
        .timeout_global(Some(post.timeout))
        .user_agent(format!("toaster-rs/{}", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let mut request = agent
        .post(post.url)
        .header("Content-Type", "application/json")
        .header(EVENT_HEADER, "build-ended");
    if let Some(secret) = post.secret {
        request = request.header(SIGNATURE_HEADER, signature(secret, post.body));
    }
    let mut response = match request.send(post.body) {
        Ok(response) => response,
        Err(e) => return AttemptResult::failed(failure(post, &e)),
    };
    let status = response.status();
    let location = response
        .headers()
        .get("location")
        .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned());
    let mut body = Vec::new();
    let limit = u64::try_from(AttemptResult::MAX_OUTPUT).unwrap_or(u64::MAX);
    // The status is what counts: a body cut short by the time limit is shown as far as read.
    let _ = response
        .body_mut()
        .as_reader()
        .take(limit)
        .read_to_end(&mut body);
    let code = status.as_u16();
    let detail = if status.is_redirection() {
        let to = location.as_deref().unwrap_or("no Location given");
        format!("HTTP {code}: redirects are not followed (to {to}); give the final URL")
    } else {
        match status.canonical_reason() {
            Some(reason) => format!("HTTP {code} {reason}"),
            None => format!("HTTP {code}"),
        }
    };
    AttemptResult {
        delivered: status.is_success(),
        status: Some(i64::from(code)),
        detail,
        output: head_text(&body),
    }
}

/// What to say when no answer came.
fn failure(post: &WebhookPost<'_>, error: &ureq::Error) -> String {
    let uri = post.url.parse::<Uri>().ok();
    let host = uri
        .as_ref()
        .and_then(Uri::host)
        .unwrap_or(post.url)
        .to_owned();
    let authority = uri
        .as_ref()
        .and_then(Uri::authority)
        .map_or_else(|| host.clone(), |a| a.as_str().to_owned());
    let within = seconds(post.timeout);
    match error {
        ureq::Error::Timeout(_) => format!(
            "no answer within {within} s from {authority}: is the server up and quick to answer? (hooks.network-timeout sets the limit)"
        ),
        ureq::Error::Io(e) => match e.kind() {
            std::io::ErrorKind::ConnectionRefused => {
                format!("{authority} refused the connection: is the server up?")
            }
            std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => format!(
                "no answer within {within} s from {authority}: is the server up and quick to answer?"
            ),
            _ => format!(
                "cannot reach {authority}: {e} (is the URL's host right and the server up?)"
            ),
        },
        ureq::Error::HostNotFound => {
            format!("cannot find the host {host}: is the URL's host name right?")
        }
        ureq::Error::Tls(_) | ureq::Error::Rustls(_) | ureq::Error::Pem(_) => format!(
            "TLS with {authority} failed: {error} (does the server have a valid certificate for {host}?)"
        ),
        ureq::Error::BadUri(_) | ureq::Error::Http(_) => {
            format!("cannot use the URL `{}`: {error}", post.url)
        }
        ureq::Error::Protocol(_) => {
            format!(
                "{authority} did not answer in HTTP: {error} (is the URL's port and scheme right?)"
            )
        }
        _ => format!("cannot POST to {authority}: {error}"),
    }
}
