-- Owners, the owner each client acts as, projects and their configuration revisions.
-- Keys are AUTOINCREMENT so that a deleted record's key is never given to a new one: audit
-- entries and build records keep pointing at what they meant.

CREATE TABLE owner (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    email       TEXT,
    client      TEXT,
    created_at  INTEGER NOT NULL
);

CREATE TABLE client_owner (
    client      TEXT    PRIMARY KEY,
    owner_id    INTEGER NOT NULL REFERENCES owner (id) ON DELETE CASCADE,
    chosen_at   INTEGER NOT NULL
);

CREATE TABLE project (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    dir         TEXT    NOT NULL UNIQUE,
    release     TEXT    NOT NULL,
    owner_id    INTEGER NOT NULL REFERENCES owner (id),
    created_at  INTEGER NOT NULL,
    head        INTEGER NOT NULL CHECK (head >= 1)
);

-- One row per revision; `config` is the whole configuration as JSON (model::ProjectConfig).
CREATE TABLE config_revision (
    project_id  INTEGER NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    number      INTEGER NOT NULL CHECK (number >= 1),
    author_id   INTEGER NOT NULL REFERENCES owner (id),
    created_at  INTEGER NOT NULL,
    description TEXT    NOT NULL,
    restores    INTEGER,
    config      TEXT    NOT NULL,
    PRIMARY KEY (project_id, number)
) WITHOUT ROWID;

CREATE INDEX project_owner ON project (owner_id);
CREATE INDEX config_revision_author ON config_revision (author_id);
