-- Artifacts with checksums, kept where reading them back cannot leave the directory they
-- were found in; build archives; builds imported from an archive.

-- An artifact is the file `path` inside `dir`, known in its build as `name`, with its
-- SHA-256. Rows recorded before this migration have an absolute `path`, no `dir` and no
-- checksum; their name is their path (made unique where a build recorded a path twice).
ALTER TABLE artifact ADD COLUMN name TEXT;
ALTER TABLE artifact ADD COLUMN dir TEXT NOT NULL DEFAULT '';
ALTER TABLE artifact ADD COLUMN sha256 TEXT;
UPDATE artifact SET name = path;
UPDATE artifact SET name = path || ' #' || id
    WHERE id NOT IN (SELECT min(id) FROM artifact GROUP BY build_id, path);
CREATE UNIQUE INDEX artifact_name ON artifact (build_id, name);

-- The archive a build was written to (a zip file), when, and whether it holds the images.
ALTER TABLE build ADD COLUMN archive_path TEXT;
ALTER TABLE build ADD COLUMN archived_at INTEGER;
ALTER TABLE build ADD COLUMN archive_images INTEGER NOT NULL DEFAULT 0;
-- Where a build imported from an archive came from (the archive, its build and host).
ALTER TABLE build ADD COLUMN origin TEXT;
CREATE INDEX build_ended ON build (ended_at) WHERE archive_path IS NULL;
