//! The host a frontend runs on, and the project directory it stands in.

use std::path::Path;

use super::Toaster;
use crate::Error;
use crate::project_dir::{self, MarkedDir};
use crate::runner;

impl Toaster {
    /// This host's name (`/proc/sys/kernel/hostname`, else `HOSTNAME`, else `localhost`),
    /// as runners and clients name themselves.
    pub fn host_name() -> String {
        runner::host_name()
    }

    /// The nearest directory at or above `start` that carries a project marker
    /// ([`project_dir::MARKER`]), or `None`: the project one stands in, as git finds its
    /// repository.
    pub fn find_marked_dir(start: &Path) -> Result<Option<MarkedDir>, Error> {
        Ok(project_dir::find_marked(start)?)
    }
}
