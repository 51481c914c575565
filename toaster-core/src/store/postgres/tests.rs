//! The PostgreSQL store against a real server: `TOASTER_TEST_PG_URL` (see
//! `scripts/postgres.sh`). Each store is a fresh schema of that database.

use super::*;
use crate::store::conformance;
use crate::store::test_server;

#[test]
fn passes_the_conformance_suite() {
    let Some(server) = test_server::server("passes_the_conformance_suite") else {
        return;
    };
    let mut failed = Vec::new();
    let mut passed = 0;
    for (name, check) in conformance::all_checks() {
        let store = PostgresStore::init(&server.fresh_schema()).unwrap();
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(&store)));
        match outcome {
            Ok(()) => passed += 1,
            Err(panic) => {
                let message = panic
                    .downcast_ref::<String>()
                    .map(String::as_str)
                    .or_else(|| panic.downcast_ref::<&str>().copied())
                    .unwrap_or("(no message)")
                    .to_owned();
                failed.push(format!("{name}: {message}"));
            }
        }
    }
    eprintln!(
        "conformance on PostgreSQL: {passed} passed, {} failed",
        failed.len()
    );
    assert!(failed.is_empty(), "failed checks:\n{}", failed.join("\n"));
}
