//! "Mine": the builds of the projects an owner owns, the default view of `toaster serve`.

use super::{Actor, BUILD_LEASE, BuildQuery};
use crate::Error;
use crate::model::{Build, BuildFilter};

impl Actor {
    /// The builds of the projects the actor owns, newest first, paged and filtered by
    /// visibility as `query` says (its project is not used).
    pub fn own_builds(&self, query: &BuildQuery<'_>) -> Result<Vec<Build>, Error> {
        self.interrupt_silent(BUILD_LEASE)?;
        let projects = self.projects(true)?.iter().map(|p| p.id).collect();
        Ok(self.store().builds(&BuildFilter {
            projects: Some(projects),
            visibility: query.visibility,
            limit: query.limit,
            offset: query.offset,
        })?)
    }
}
