//! The web server behind `toaster serve`: server-rendered pages for a phone, a JSON API
//! under `/api/v1` and artifact downloads, all over the facade ([`toaster_core::Toaster`]).
//!
//! Every request acts as the owner of the token it came with (`Authorization: Bearer`, or
//! the session a browser got by signing in with one), from client `web:<token name>`: the
//! facade checks every right and writes every audit entry. No business rule lives here.
//! The store is synchronous; every facade call runs on tokio's blocking pool.

mod api;
mod auth;
mod download;
mod error;
mod events;
mod pages;
mod security;
mod server;
mod signin;
mod tls;

pub use error::WebError;
pub use events::MAX_EVENT_STREAMS;
pub use server::{RunningServer, ServeOptions, serve, start};
pub use tls::TlsFiles;

/// The OpenAPI document of `/api/v1`, as served at `/api/v1/openapi.json`.
pub const OPENAPI: &str = include_str!("openapi.json");
