//! Toaster-rs core: the domain of BitBake/Yocto build projects behind a storage trait.
//!
//! Frontends (the `toaster` command, the Python binding) call the [`Toaster`] facade only:
//! it opens a store, acts as an owner ([`Actor`]), and composes the crate's inner modules.
//! The public API is that facade and the types its signatures use:
//!
//! - [`model`]: the domain values (owners, projects, configuration, builds);
//! - [`views`]: what frontends print or hand over (serializable);
//! - [`Error`] and [`ErrorKind`], the module errors it wraps (each in its module below),
//!   and the [`remedy`] wording of hints;
//! - [`store`]: the [`store::Store`] trait and the [`store::SqliteStore`] backend, for
//!   embedding Toaster over another store;
//! - the facade's argument and result types in [`conf`], [`ingest`], [`layers`],
//!   [`recipes`], [`runner`], [`schema`], [`artifacts`], [`bundle`] and [`project_dir`].
//!
//! Everything else is crate-private. Module order inside (lower never imports higher):
//! `model` → `schema` → `conf` → `layers` → `access` → `store` → `artifacts` → `ingest` →
//! `hooks` → `bundle` → `recipes` → `project_dir` → `runner` → the facade.
//!
//! The `test-support` feature adds what other crates' tests and benchmarks share: the store
//! conformance suite (`store::conformance`), git test repositories (`layers::test_repos`)
//! and a synthetic build workload (`ingest::synthetic`). It is for dev-dependencies only.
#![warn(unnameable_types)]

pub(crate) mod access;
pub mod artifacts;
pub mod bundle;
pub mod conf;
pub(crate) mod hooks;
pub mod ingest;
pub mod layers;
pub mod model;
pub mod project_dir;
pub mod recipes;
pub mod runner;
pub mod schema;
pub mod store;
pub mod views;

mod error;
pub mod remedy;
mod toaster;

pub use error::{Error, ErrorKind};
pub use toaster::{
    ARCHIVE_DIR, Actor, Archived, BUILD_LEASE, BitbakeGit, BuildDetail, BuildHost, BuildQuery,
    BuildRequest, COMMAND_LINE_PROJECT, ChangeOutcome, CleanReport, ClonedProject, ConfEvaluation,
    DeliverUntil, Deliverer, DeliveryPolicy, DeliveryReport, Downloaded, Exported, ImportReport,
    Imported, ImportedRecipe, OwnerEdit, ProjectOptions, RUNNER_LEASE, RecipeImportRequest,
    Recording, RecordingRequest, RecordingWarning, RunOptions, RunOutcome, RunnerEvent,
    SettingValue, SharedCaches, TaskWalk, Toaster, Until, Warning,
};
pub use toaster::{CreatedToken, TOKEN_CLIENT_PREFIX};
pub use views::BuildView;
