//! Reading the audit log.

use std::collections::HashSet;

use super::Actor;
use crate::Error;
use crate::model::{AuditEntry, AuditFilter};

impl Actor {
    /// Audit entries matching `filter`, newest first. Admins see every entry; others see
    /// the entries about projects they may read now, and their own.
    pub fn audit(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>, Error> {
        let principal = self.principal()?;
        if principal.admin {
            return Ok(self.store().audit(filter)?);
        }
        let readable: HashSet<_> = self.projects(false)?.into_iter().map(|p| p.id).collect();
        // Filter first, then limit, so a limit counts only what this owner may see.
        let wanted = filter.limit.map(|n| n as usize);
        let unlimited = AuditFilter {
            limit: None,
            ..filter.clone()
        };
        let mut entries = self.store().audit(&unlimited)?;
        entries.retain(|e| {
            e.owner == self.owner.name || e.project_id.is_some_and(|p| readable.contains(&p))
        });
        if let Some(n) = wanted {
            entries.truncate(n);
        }
        Ok(entries)
    }
}
