//! Artifacts recorded after a build's end, build archives, and builds imported from one.

use super::batch::insert_artifact;
use super::{PostgresStore, get};
use crate::model::{
    ArtifactRecord, Build, BuildArchive, BuildId, ImportedRecord, NewAudit, NewBuild, ProjectId,
    Timestamp,
};
use crate::store::StoreError;
use crate::store::sqlite::rows::path_text;

impl PostgresStore {
    pub(super) fn add_artifacts(
        &self,
        build: BuildId,
        artifacts: &[ArtifactRecord],
    ) -> Result<(), StoreError> {
        self.write("recorded artifacts", |tx| {
            self.build_in(tx, build)?;
            for artifact in artifacts {
                insert_artifact(tx, build, artifact)
                    .map_err(|e| self.err(e, "recorded an artifact"))?;
            }
            Ok(())
        })
    }

    pub(super) fn archive_build(
        &self,
        build: BuildId,
        archive: Option<&BuildArchive>,
        audit: &NewAudit,
    ) -> Result<Build, StoreError> {
        let path = archive.map(|a| path_text(&a.path)).transpose()?;
        self.write("recorded a build's archive", |tx| {
            let current = self.build_in(tx, build)?;
            self.authorize(tx, audit, Some(current.project))?;
            self.execute(
                tx,
                "UPDATE build SET archive_path = $2, archived_at = $3, archive_images = $4 \
                 WHERE id = $1",
                &[
                    &build.0,
                    &path,
                    &archive.map(|a| a.at.0),
                    &archive.is_some_and(|a| a.images),
                ],
                "recorded a build's archive",
            )?;
            self.append_audit(tx, audit, Some(current.project))?;
            self.build_in(tx, build)
        })
    }

    pub(super) fn unarchived(
        &self,
        ended_before: Timestamp,
        project: Option<ProjectId>,
    ) -> Result<Vec<BuildId>, StoreError> {
        let sql = "SELECT id FROM build WHERE archive_path IS NULL AND ended_at < $1 \
                   AND state IN ('succeeded', 'failed', 'cancelled', 'interrupted') \
                   AND ($2::bigint IS NULL OR project_id = $2) ORDER BY id";
        self.read(|tx| {
            self.list(tx, sql, &[&ended_before.0, &project.map(|p| p.0)], |r| {
                Ok(BuildId(get(r, 0)?))
            })
        })
    }

    pub(super) fn import(
        &self,
        build: &NewBuild,
        record: &ImportedRecord,
        audit: &NewAudit,
    ) -> Result<Build, StoreError> {
        let archive = path_text(&record.archive.path)?;
        self.write("imported a build", |tx| {
            // Inserted in its final state: ending it fires no hook (no update of its state).
            let id = self.insert_build(tx, build, audit, "imported")?;
            // The counts of errors and warnings where it ran stand, not those of its log
            // messages kept (it may have kept fewer).
            self.apply_writes(tx, id, build.state, &record.writes)?;
            let p = &record.progress;
            self.execute(
                tx,
                "UPDATE build SET ended_at = $2, heartbeat_at = $3, recipes_parsed = $4, \
                 recipes_total = $5, tasks_done = $6, tasks_total = $7, errors = $8, \
                 warnings = $9, origin = $10, archive_path = $11, archived_at = $12, \
                 archive_images = $13 WHERE id = $1",
                &[
                    &id.0,
                    &record.ended_at.map(|t| t.0),
                    &record.heartbeat_at.0,
                    &i64::from(p.recipes_parsed),
                    &i64::from(p.recipes_total),
                    &i64::from(p.tasks_done),
                    &i64::from(p.tasks_total),
                    &i64::from(record.errors),
                    &i64::from(record.warnings),
                    &record.origin,
                    &archive,
                    &record.archive.at.0,
                    &record.archive.images,
                ],
                "imported a build",
            )?;
            self.build_in(tx, id)
        })
    }
}
