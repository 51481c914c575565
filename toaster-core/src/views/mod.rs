//! Views: what frontends show of the model, with stable field names and times as RFC 3339.
//! The CLI prints them with `--json`; the Python binding returns them as dicts. One file
//! per domain noun; each view is built `From` the model type it shows.

mod archived;
mod artifact;
mod audit;
mod bitbake;
mod build;
mod build_comparison;
mod build_host;
mod build_variable;
mod change;
mod config;
mod evaluation;
mod group;
mod hook;
mod image;
mod imported_events;
mod layer;
mod owner;
mod package;
mod project;
mod recipe;
mod recipe_dependency;
mod revision;
mod setting;
mod task;
mod task_dependency;
mod token;
mod warning;

pub use self::archived::{ArchivedView, LeftOutView};
pub use self::artifact::{ArtifactView, DownloadView};
pub use self::audit::AuditView;
pub use self::bitbake::BitbakeView;
pub use self::build::BuildView;
pub use self::build_comparison::{
    BuildComparisonView, ChangeOf, PackageChangeView, PackageSideView, PackagesComparedView,
    SizeChangeView,
};
pub use self::build_host::{HostView, RunnerView};
pub use self::build_variable::VariableView;
pub use self::change::ChangeView;
pub use self::config::ConfigView;
pub use self::evaluation::EvaluationView;
pub use self::group::GroupView;
pub use self::hook::{AttemptView, DeliverySummaryView, DeliveryView, HookView};
pub use self::image::{
    ImageFileView, ImageListingView, ImageView, InstalledPackageView, PackageFileView, WhyHopView,
};
pub use self::imported_events::ImportedEventsView;
pub use self::layer::{LayerDetailView, LayerView};
pub use self::owner::OwnerView;
pub use self::package::PackageView;
pub use self::project::{ClonedView, ProjectView};
pub use self::recipe::{ImportedRecipeView, OwnRecipeView, RecipeView};
pub use self::recipe_dependency::RecipeReachedView;
pub use self::revision::{DiffView, RevisionView};
pub use self::setting::SettingView;
pub use self::task::TaskView;
pub use self::task_dependency::TaskReachedView;
pub use self::token::{CreatedTokenView, TokenView};
pub use self::warning::WarningView;

#[cfg(test)]
mod tests;
