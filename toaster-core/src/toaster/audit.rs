//! Reading the audit log.

use super::Actor;
use crate::Error;
use crate::model::{AuditEntry, AuditFilter};

impl Actor {
    /// Audit entries matching `filter`, newest first. Admins see every entry; others see
    /// the entries about projects they may read now, and their own.
    pub fn audit(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>, Error> {
        let principal = self.principal()?;
        let mut filter = filter.clone();
        if !principal.admin {
            let readable = self.projects(false)?.into_iter().map(|p| p.id).collect();
            filter.visible_to = Some((self.owner.id, readable));
        }
        Ok(self.store().audit(&filter)?)
    }
}
