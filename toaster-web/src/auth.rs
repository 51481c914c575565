//! Who a request acts as: the owner of its bearer token, or of the token its browser
//! session was opened with. Sessions live in the server's memory only; the cookie holds a
//! random session id, never the token.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::FromRequestParts;
use axum::http::header::{AUTHORIZATION, COOKIE};
use axum::http::request::Parts;
use toaster_core::Actor;

use crate::error::{ApiError, Lookup, blocking};
use crate::server::App;

/// The session cookie's name.
pub(crate) const SESSION_COOKIE: &str = "toaster_session";

/// How long a browser stays signed in.
pub(crate) const SESSION_LIFETIME: Duration = Duration::from_secs(12 * 3600);

/// The most sessions kept at once; past it, the oldest are dropped.
const MAX_SESSIONS: usize = 10_000;

/// A signed-in browser: the token it signed in with, its CSRF token, and its end.
#[derive(Debug, Clone)]
struct Session {
    secret: String,
    csrf: String,
    until: Instant,
}

/// The open browser sessions.
#[derive(Debug, Default)]
pub(crate) struct Sessions {
    open: Mutex<HashMap<String, Session>>,
}

/// A session as a request sees it.
#[derive(Debug, Clone)]
pub(crate) struct SessionRef {
    /// The id the cookie holds.
    pub id: String,
    /// The token forms must carry back.
    pub csrf: String,
}

impl Sessions {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Session>> {
        // Every change to the map is one insert or remove: a panic cannot leave it half done.
        self.open.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Opens a session for a token's secret (already checked to sign in).
    pub(crate) fn open(&self, secret: String) -> Result<SessionRef, ApiError> {
        let session = SessionRef {
            id: random_hex()?,
            csrf: random_hex()?,
        };
        let now = Instant::now();
        let mut open = self.lock();
        open.retain(|_, s| s.until > now);
        if open.len() >= MAX_SESSIONS {
            let oldest = open
                .iter()
                .min_by_key(|(_, s)| s.until)
                .map(|(id, _)| id.clone());
            if let Some(oldest) = oldest {
                open.remove(&oldest);
            }
        }
        open.insert(
            session.id.clone(),
            Session {
                secret,
                csrf: session.csrf.clone(),
                until: now + SESSION_LIFETIME,
            },
        );
        Ok(session)
    }

    fn find(&self, id: &str) -> Option<(String, SessionRef)> {
        let open = self.lock();
        let session = open.get(id).filter(|s| s.until > Instant::now())?;
        Some((
            session.secret.clone(),
            SessionRef {
                id: id.to_owned(),
                csrf: session.csrf.clone(),
            },
        ))
    }

    /// Ends a session.
    pub(crate) fn close(&self, id: &str) {
        self.lock().remove(id);
    }
}

/// 32 random bytes from the operating system, in hex.
pub(crate) fn random_hex() -> Result<String, ApiError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|_| ApiError::internal())?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Whether two secrets are equal, in time that does not depend on where they differ.
pub(crate) fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The owner a request acts as, and its browser session if it came with one.
pub(crate) struct Caller {
    pub actor: Actor,
    pub session: Option<SessionRef>,
}

fn session_id(parts: &Parts) -> Option<String> {
    parts
        .headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.to_owned())
}

impl FromRequestParts<App> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        let bearer = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.strip_prefix("Bearer ").unwrap_or("").trim().to_owned());
        let (secret, session) = match bearer {
            Some(secret) => (Some(secret), None),
            None => match session_id(parts).and_then(|id| app.sessions.find(&id)) {
                Some((secret, session)) => (Some(secret), Some(session)),
                None => (None, None),
            },
        };
        let toaster = app.toaster.clone();
        let acted = blocking(move || {
            toaster
                .act_with_token(secret.as_deref())
                .map_err(|e| ApiError::from_core(e, &Lookup::Nothing))
        })
        .await;
        match acted {
            Ok(actor) => Ok(Caller { actor, session }),
            Err(e) => {
                // A session whose token was revoked or expired ends with it.
                if let Some(session) = &session {
                    app.sessions.close(&session.id);
                }
                Err(e)
            }
        }
    }
}

/// The refusal of a request that needs a session's CSRF token and did not carry it.
pub(crate) fn check_csrf(caller: &Caller, given: Option<&str>) -> Result<(), ApiError> {
    let forged = || {
        ApiError::new(
            axum::http::StatusCode::FORBIDDEN,
            "csrf",
            "the form's CSRF token is missing or wrong: reload the page and try again",
        )
    };
    match &caller.session {
        Some(session) if given.is_some_and(|g| same_secret(g, &session.csrf)) => Ok(()),
        Some(_) => Err(forged()),
        // A bearer token is never sent by a browser on its own: no CSRF to fear.
        None => Ok(()),
    }
}

/// The refusal of a request with no token at all (for pages that redirect).
pub(crate) fn is_unauthenticated(e: &ApiError) -> bool {
    e.status == axum::http::StatusCode::UNAUTHORIZED
}
