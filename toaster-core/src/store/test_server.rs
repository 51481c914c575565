//! The PostgreSQL server tests use: `TOASTER_TEST_PG_URL` (`scripts/postgres.sh` starts a
//! throwaway one and sets it). Without it, a test that needs PostgreSQL says loudly that it
//! was skipped (and counts it in `TOASTER_TEST_SKIP_LOG`, if set) — unless
//! `TOASTER_TEST_REQUIRE_PG` is set (as in CI), where a missing server fails the test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The variable naming the test server's URL.
pub const URL_VAR: &str = "TOASTER_TEST_PG_URL";

static SCHEMAS: AtomicUsize = AtomicUsize::new(0);

/// A test server, and the schemas made on it (dropped with it).
pub struct Server {
    url: String,
    made: Mutex<Vec<String>>,
}

/// The test server, or `None` after saying on stderr that `test` was skipped.
pub fn server(test: &str) -> Option<Server> {
    match std::env::var(URL_VAR) {
        Ok(url) if !url.is_empty() => Some(Server {
            url,
            made: Mutex::new(Vec::new()),
        }),
        _ => {
            assert!(
                std::env::var_os("TOASTER_TEST_REQUIRE_PG").is_none(),
                "{test} needs PostgreSQL and TOASTER_TEST_REQUIRE_PG is set, but {URL_VAR} is not"
            );
            // Straight to the process's stderr, past the test harness's capture: seen even
            // when the test passes.
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED {test}: it needs PostgreSQL; set {URL_VAR} (bash scripts/test.sh \
                 starts a throwaway server)"
            );
            if let Some(log) = std::env::var_os("TOASTER_TEST_SKIP_LOG") {
                let mut file = std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(log)
                    .expect("skip log");
                writeln!(file, "{test}").expect("skip log");
            }
            None
        }
    }
}

impl Server {
    /// The server's URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The URL of a new empty schema on the server, made for one store.
    pub fn fresh_schema(&self) -> String {
        let n = SCHEMAS.fetch_add(1, Ordering::Relaxed);
        let schema = format!(
            "toaster_test_{}_{n}_{}",
            std::process::id(),
            crate::model::Timestamp::now().0
        );
        self.admin()
            .batch_execute(&format!("CREATE SCHEMA {schema}"))
            .expect("make a test schema");
        self.made.lock().unwrap().push(schema.clone());
        let separator = if self.url.contains('?') { '&' } else { '?' };
        format!("{}{separator}options=-c%20search_path%3D{schema}", self.url)
    }

    fn admin(&self) -> postgres::Client {
        postgres::Client::connect(&self.url, postgres::NoTls).expect("connect to the test server")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let made = std::mem::take(&mut *self.made.lock().unwrap_or_else(|p| p.into_inner()));
        if made.is_empty() {
            return;
        }
        if let Ok(mut client) = postgres::Client::connect(&self.url, postgres::NoTls) {
            for schema in made {
                let _ = client.batch_execute(&format!("DROP SCHEMA {schema} CASCADE"));
            }
        }
    }
}
