//! Errors: what stops the server starting, and how a refused request is answered.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use toaster_core::model::{Action, Right};
use toaster_core::{Error, ErrorKind};

/// Why the server could not start or stopped.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WebError {
    /// The address could not be listened on.
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        /// The address.
        addr: std::net::SocketAddr,
        /// What the system said.
        source: std::io::Error,
    },
    /// The TLS certificate or key could not be used.
    #[error("cannot serve TLS with {path}: {reason}")]
    Tls {
        /// The file.
        path: std::path::PathBuf,
        /// What was wrong.
        reason: String,
    },
    /// The async runtime could not be made, or serving failed.
    #[error("the web server failed: {source}")]
    Runtime {
        /// What failed.
        source: std::io::Error,
    },
}

/// What a request looked up, so that "not there" and "not yours to read" read the same.
#[derive(Debug, Clone)]
pub(crate) enum Lookup {
    /// A project by name.
    Project(String),
    /// A build by id.
    Build(i64),
    /// An artifact of a build.
    Artifact(i64, String),
    /// Nothing in particular (lists).
    Nothing,
}

impl Lookup {
    fn not_found(&self) -> String {
        match self {
            Lookup::Project(name) => format!("there is no project `{name}` you may read"),
            Lookup::Build(id) => format!("there is no build {id} you may read"),
            Lookup::Artifact(id, name) => {
                format!("build {id} has no artifact `{name}` you may read")
            }
            Lookup::Nothing => "not found".to_owned(),
        }
    }
}

/// A refused or failed request: its status and what to tell the client.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ApiError {
    #[serde(skip)]
    pub status: StatusCode,
    /// A short stable code (`not_found`, `unauthorized`, ...).
    pub error: &'static str,
    /// What was wrong.
    pub message: String,
    /// What to do about it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, error: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            error,
            message: message.into(),
            hint: None,
        }
    }

    pub(crate) fn bad_request(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    pub(crate) fn not_found(lookup: &Lookup) -> Self {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", lookup.not_found())
    }

    pub(crate) fn internal() -> Self {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "the server failed; try again, and see its output",
        )
    }

    /// The answer to a facade error met looking up `lookup`. A project or build the
    /// owner may not read is answered exactly as one that does not exist.
    pub(crate) fn from_core(e: Error, lookup: &Lookup) -> Self {
        if let Error::Unauthenticated { refusal } = &e {
            return ApiError {
                hint: e.hint(),
                ..ApiError::new(
                    StatusCode::UNAUTHORIZED,
                    "unauthorized",
                    format!("not signed in: {refusal}"),
                )
            };
        }
        if let Error::Denied {
            action: Action::Project(Right::Read),
            ..
        } = &e
        {
            return ApiError::not_found(lookup);
        }
        let (status, code) = match e.kind() {
            ErrorKind::NotFound => return ApiError::not_found(lookup),
            ErrorKind::Denied => (StatusCode::FORBIDDEN, "forbidden"),
            ErrorKind::Invalid => match e {
                Error::NotCancellable { .. }
                | Error::Store(toaster_core::store::StoreError::BuildEnded { .. }) => {
                    (StatusCode::CONFLICT, "conflict")
                }
                _ => (StatusCode::BAD_REQUEST, "invalid"),
            },
            ErrorKind::AlreadyExists | ErrorKind::Conflict => (StatusCode::CONFLICT, "conflict"),
            ErrorKind::Busy => (StatusCode::SERVICE_UNAVAILABLE, "busy"),
            ErrorKind::Database | ErrorKind::Internal => {
                eprintln!("toaster serve: {e}");
                return ApiError::internal();
            }
        };
        ApiError {
            hint: e.hint(),
            ..ApiError::new(status, code, e.to_string())
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status;
        let mut response = (status, axum::Json(&self)).into_response();
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"toaster\""),
            );
        }
        response
    }
}

/// Runs a facade call on the blocking pool.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f)
        .await
        .unwrap_or_else(|_| Err(ApiError::internal()))
}
