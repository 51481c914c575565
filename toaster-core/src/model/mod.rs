//! Plain domain data: ids, names, owners, projects, configurations and their revisions.
//!
//! Nothing here does I/O; validation of names and values lives beside the types it guards.

mod config;
mod config_change;
mod error;
mod ids;
mod name;
mod owner;
mod project;
mod release;
mod revision;
mod time;

pub use config::{LayerRef, LayerSource, ProjectConfig, Target};
pub use config_change::{ConfigChange, ConfigKey};
pub use error::ModelError;
pub(crate) use error::shorten;
pub use ids::{OwnerId, ProjectId, RevisionNumber};
pub use name::Name;
pub use owner::{NewOwner, Owner, OwnerUpdate, check_email};
pub use project::{NewProject, Project};
pub use release::Release;
pub use revision::{NewRevision, Revision};
pub use time::Timestamp;
