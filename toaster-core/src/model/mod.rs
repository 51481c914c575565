//! Plain domain data: ids, names, owners, projects, configurations and their revisions.
//!
//! Nothing here does I/O; validation of names and values lives beside the types it guards.

mod action;
mod archive;
mod artifact;
mod audit;
mod build;
mod build_comparison;
pub(crate) mod build_host;
mod build_record;
mod build_variable;
mod config;
mod config_change;
mod config_diff;
mod dependency_graph;
mod error;
mod group;
mod hook;
mod ids;
mod image_contents;
mod layer;
mod mode;
mod name;
mod owner;
mod package_contents;
mod project;
mod queue;
mod recipe_dependency;
mod release;
mod revision;
mod setting;
mod task_dependency;
mod time;
mod token;
mod variable;

pub use action::Action;
pub use archive::{BuildArchive, ImportedRecord};
pub use artifact::{ArtifactRecord, MAX_ARTIFACT_PATH, check_relative_path, check_sha256};
pub use audit::{AuditAction, AuditEntry, AuditFilter, NewAudit};
pub use build::{
    Build, BuildFilter, BuildLayer, BuildState, NewBuild, Observed, Progress, Visibility,
};
pub use build_comparison::{
    BuildComparison, ComparedBuild, PackageChange, PackageSide, ValueChange,
};
pub use build_host::{RegisteredRunner, RunnerRegistration};
pub use build_record::{
    ArtifactKind, BuildWrite, LogLevel, LogRecord, PackageRecord, RecipeRecord, ScriptType,
    SstateResult, Task, TaskFilter, TaskOutcome, TaskRecord,
};
pub use build_variable::{
    ArchivedVariable, BuildVariable, HistoryEntry, MAX_VARIABLE_HISTORY, VariableChange,
    VariableHistory, VariableRecord,
};
pub use config::{LayerRef, LayerSource, ProjectConfig, Target};
pub use config_change::{ConfigChange, ConfigKey};
pub use config_diff::ConfigDifference;
pub use dependency_graph::{DependencyGraph, Reached};
pub use error::ModelError;
pub(crate) use error::{file_kind, shorten, shorten_to};
pub use group::Group;
pub use hook::{
    Attempt, AttemptResult, Delivery, DeliveryClaim, DeliveryId, DeliveryState, Hook, HookAction,
    HookTrigger, NextAttempt, check_env_name, check_url,
};
pub use ids::{BuildId, GroupId, OwnerId, ProjectId, RevisionNumber};
pub use image_contents::{
    FileQuery, FileType, ImageDependency, ImageDependencyKind, ImageFile, ImageFiles, ImageListing,
    ImagePackageGraph, ImagePackages, ImageSummary, InstalledPackage, WhyHop, why_installed,
};
pub use layer::{Collection, Constraint, Dependency, VersionOp};
pub use mode::{Mode, Right, Rights};
pub use name::Name;
pub use owner::{NewOwner, Owner, OwnerUpdate, check_client, check_email};
pub use package_contents::{PackageFile, PackageFiles, RelationKind};
pub use project::{NewProject, Project, ProjectAccess, check_project_dir};
pub use queue::{Claim, ClaimRequest, RunnerId, check_host};
pub use recipe_dependency::{
    DependencyKind, Provider, RecipeDependencies, RecipeDependency, RecipeEdge, RecipeGraph,
    RecipeReached,
};
pub use release::{BITBAKE_URL, Release};
pub use revision::{NewRevision, Revision};
pub use setting::Setting;
pub use task_dependency::{TaskDependencies, TaskEdge, TaskGraph, TaskName, TaskReached};
pub use time::Timestamp;
pub use token::{
    NewToken, OwnerToken, TOKEN_PREFIX, TokenRefusal, is_token_shaped, token_expiry, token_hash,
    token_secret,
};
pub use variable::{Extend, Operation, Operator, Variable};
