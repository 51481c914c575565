//! End-to-end tests across the crates, in one test binary.

mod processes;
