-- Artifacts with checksums, build archives, and builds imported from one (as SQLite's 0007).
ALTER TABLE artifact ADD COLUMN name TEXT;
ALTER TABLE artifact ADD COLUMN dir TEXT NOT NULL DEFAULT '';
ALTER TABLE artifact ADD COLUMN sha256 TEXT;
UPDATE artifact SET name = path;
UPDATE artifact SET name = path || ' #' || id
    WHERE id NOT IN (SELECT min(id) FROM artifact GROUP BY build_id, path);
CREATE UNIQUE INDEX artifact_name ON artifact (build_id, name);

ALTER TABLE build ADD COLUMN archive_path TEXT;
ALTER TABLE build ADD COLUMN archived_at BIGINT;
ALTER TABLE build ADD COLUMN archive_images BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE build ADD COLUMN origin TEXT;
CREATE INDEX build_ended ON build (ended_at) WHERE archive_path IS NULL;
