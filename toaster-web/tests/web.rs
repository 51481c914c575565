//! `toaster serve` over real HTTP on a local port, with a real client (ureq): the JSON API,
//! the pages, sign-in and sessions, downloads, event streams, and the bad inputs of issue 16.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod support;

mod api;
mod bad_input;
mod download;
mod events;
mod pages;
