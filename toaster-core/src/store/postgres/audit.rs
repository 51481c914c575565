//! Writing audit entries inside a change's transaction, and reading them back.

use super::transaction::Tx;
use postgres::types::ToSql;

use super::PostgresStore;
use super::rows::{self, AUDIT_SELECT};
use crate::model::{AuditEntry, AuditFilter, NewAudit, ProjectId, Timestamp};
use crate::store::StoreError;

impl PostgresStore {
    /// Appends `entry` inside `tx`, so it commits or rolls back with the change it records.
    pub(super) fn append_audit(
        &self,
        tx: &mut Tx<'_>,
        entry: &NewAudit,
        project: Option<ProjectId>,
    ) -> Result<(), StoreError> {
        self.execute(
            tx,
            "INSERT INTO audit (at, owner_id, owner_name, client, action, project_id, project, \
             detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            &[
                &Timestamp::now().0,
                &entry.owner.map(|o| o.0),
                &entry.owner_name.as_str(),
                &entry.client,
                &entry.action.as_str(),
                &project.map(|p| p.0),
                &entry.project.as_ref().map(|p| p.as_str()),
                &entry.detail,
            ],
            "wrote an audit entry",
        )?;
        Ok(())
    }

    /// Appends `entry` (about `project`) on its own, after checking the right it requires.
    pub(super) fn append_audit_alone(
        &self,
        entry: &NewAudit,
        project: Option<ProjectId>,
    ) -> Result<(), StoreError> {
        self.write("wrote an audit entry", |tx| {
            self.authorize(tx, entry, project)?;
            self.append_audit(tx, entry, project)
        })
    }

    /// Audit entries matching `filter`, newest first.
    pub(super) fn read_audit(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>, StoreError> {
        let mut conditions = Vec::new();
        let mut values: Vec<Box<dyn ToSql + Sync>> = Vec::new();
        if let Some(project) = &filter.project {
            values.push(Box::new(project.clone()));
            conditions.push(format!("lower(project) = lower(${})", values.len()));
        }
        if let Some(owner) = &filter.owner {
            values.push(Box::new(owner.clone()));
            conditions.push(format!("lower(owner_name) = lower(${})", values.len()));
        }
        if let Some((owner, projects)) = &filter.visible_to {
            values.push(Box::new(owner.0));
            values.push(Box::new(projects.iter().map(|p| p.0).collect::<Vec<i64>>()));
            conditions.push(format!(
                "(owner_id = ${} OR project_id = ANY(${}))",
                values.len() - 1,
                values.len()
            ));
        }
        if let Some(since) = filter.since {
            values.push(Box::new(since.0));
            conditions.push(format!("at >= ${}", values.len()));
        }
        let mut sql = AUDIT_SELECT.to_owned();
        if !conditions.is_empty() {
            sql.push_str(" WHERE ");
            sql.push_str(&conditions.join(" AND "));
        }
        sql.push_str(" ORDER BY id DESC");
        if let Some(limit) = filter.limit {
            sql.push_str(&format!(" LIMIT {limit}"));
        }
        let params: Vec<&(dyn ToSql + Sync)> = values.iter().map(|v| &**v).collect();
        self.read(|tx| self.list(tx, &sql, &params, rows::audit))
    }
}
