//! End-to-end tests of the `toaster` command: real processes on real SQLite files (and a
//! real PostgreSQL server, see postgres.rs).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_toaster");

/// A scratch directory with a database path, where every command runs.
struct Scratch {
    dir: tempfile::TempDir,
}

impl Scratch {
    fn new() -> Scratch {
        Scratch {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn db(&self) -> PathBuf {
        self.path().join("toaster.sqlite")
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(BIN);
        command
            .args(args)
            .current_dir(self.path())
            .env_remove("TOASTER_DB")
            .env_remove("TOASTER_OWNER")
            .env("TOASTER_CLIENT", "cli:tester@testhost")
            // No test reaches the internet: https goes to a proxy nothing listens on.
            .env("https_proxy", "http://127.0.0.1:1")
            .env_remove("HTTPS_PROXY")
            .env_remove("no_proxy")
            .env_remove("NO_PROXY");
        command
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("run toaster")
    }

    /// Runs a command that must succeed and returns its standard output.
    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "toaster {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8 output")
    }

    fn json(&self, args: &[&str]) -> Value {
        let mut all = args.to_vec();
        all.push("--json");
        serde_json::from_str(&self.ok(&all)).expect("JSON output")
    }

    /// Runs a command that must fail with `code`; returns its standard error.
    fn fails(&self, code: i32, args: &[&str]) -> String {
        let out = self.run(args);
        let stderr = String::from_utf8(out.stderr).expect("utf-8 errors");
        assert_eq!(out.status.code(), Some(code), "toaster {args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "nothing on stdout when failing");
        stderr
    }

    fn with_demo(self) -> Scratch {
        self.ok(&["owner", "add", "alice", "--email", "a@example.com"]);
        self.ok(&[
            "project",
            "create",
            "demo",
            "--dir",
            "./demo",
            "--release",
            "scarthgap",
        ]);
        self
    }

    /// Everything the database holds, as the CLI reads it: owners, projects, and each
    /// project's history and configuration. Equal states mean nothing changed.
    fn state(&self) -> String {
        let mut state = self.ok(&["owner", "list", "--json"]);
        let projects = self.json(&["project", "list"]);
        state.push_str(&projects.to_string());
        for project in projects.as_array().expect("list") {
            let name = project["name"].as_str().expect("name");
            state.push_str(&self.ok(&["project", "history", name, "--json"]));
            state.push_str(&self.ok(&["config", "show", name, "--json"]));
        }
        state
    }
}

mod access;
mod builds;
mod concurrency;
mod conf;
mod conf_confinement;
mod db_copy;
mod errors;
mod everyday;
mod git_https;
mod git_remote;
mod golden;
mod hostile_input;
mod hosts;
mod json;
mod layers;
mod packages;
mod paths;
mod postgres;
mod project_safety;
mod standing;
mod terminal;
mod tokens;
