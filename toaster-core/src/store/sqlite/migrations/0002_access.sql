-- Admins, groups, per-project owner/group/mode, instance settings, and the audit log.

ALTER TABLE owner ADD COLUMN admin INTEGER NOT NULL DEFAULT 0 CHECK (admin IN (0, 1));
-- A database from before this migration: its first owner becomes the admin.
UPDATE owner SET admin = 1 WHERE id = (SELECT min(id) FROM owner);

CREATE TABLE owner_group (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    created_at  INTEGER NOT NULL
);

CREATE TABLE group_member (
    group_id    INTEGER NOT NULL REFERENCES owner_group (id) ON DELETE CASCADE,
    owner_id    INTEGER NOT NULL REFERENCES owner (id) ON DELETE CASCADE,
    PRIMARY KEY (group_id, owner_id)
) WITHOUT ROWID;
CREATE INDEX group_member_owner ON group_member (owner_id);

ALTER TABLE project ADD COLUMN group_id INTEGER REFERENCES owner_group (id);
-- Mode bits: owner 0-3, group 4-7, others 8-11 (r=1, c=2, b=4, d=8). 31 = owner=rcbd,group=r.
ALTER TABLE project ADD COLUMN mode INTEGER NOT NULL DEFAULT 31;

CREATE TABLE setting (
    name        TEXT    PRIMARY KEY,
    value       TEXT    NOT NULL
);

-- Append-only: owner and project are copied by name (and the project's id kept without a
-- foreign key) so that entries outlive what they speak of.
CREATE TABLE audit (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          INTEGER NOT NULL,
    owner_id    INTEGER,
    owner_name  TEXT    NOT NULL,
    client      TEXT    NOT NULL,
    action      TEXT    NOT NULL,
    project_id  INTEGER,
    project     TEXT,
    detail      TEXT    NOT NULL
);
CREATE INDEX audit_at ON audit (at);
CREATE INDEX audit_project ON audit (project COLLATE NOCASE, at);
CREATE INDEX audit_owner ON audit (owner_name COLLATE NOCASE, at);

CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
