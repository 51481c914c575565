//! Toaster-rs core: the domain of BitBake/Yocto build projects behind a storage trait.
//!
//! Frontends (the `toaster` command, the Python binding) call the [`Toaster`] facade only:
//! it opens a store, acts as an owner, and composes the modules below it.
//!
//! Module order (lower never imports higher): [`model`] → [`schema`] → [`conf`] →
//! [`layers`] → [`access`] → [`store`] → [`artifacts`] → [`ingest`] → [`hooks`] →
//! [`bundle`] → [`recipes`] → [`project_dir`] → [`runner`] → the facade ([`Toaster`],
//! [`Actor`]).

pub mod access;
pub mod artifacts;
pub mod bundle;
pub mod conf;
pub mod hooks;
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
    ARCHIVE_DIR, Actor, Archived, BUILD_LEASE, BitbakeGit, BuildDetail, BuildQuery, BuildRequest,
    COMMAND_LINE_PROJECT, ChangeOutcome, CleanReport, ClonedProject, DeliverUntil, Deliverer,
    DeliveryPolicy, DeliveryReport, Downloaded, Exported, ImportReport, Imported, ImportedRecipe,
    OwnerEdit, ProjectOptions, RUNNER_LEASE, RecipeImportRequest, Recording, RecordingRequest,
    RecordingWarning, RunOptions, RunOutcome, RunnerEvent, SettingValue, SharedCaches, TaskWalk,
    Toaster, Until, Warning,
};
pub use views::BuildView;
