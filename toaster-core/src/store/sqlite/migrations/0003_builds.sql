-- Builds and what they did. Everything beneath a build goes with it (ON DELETE CASCADE);
-- recipes are stored once and shared by the builds that used them.

CREATE TABLE build (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id      INTEGER NOT NULL REFERENCES project (id) ON DELETE CASCADE,
    revision        INTEGER NOT NULL,
    owner_id        INTEGER NOT NULL REFERENCES owner (id),
    client          TEXT    NOT NULL,
    host            TEXT    NOT NULL,
    build_dir       TEXT    NOT NULL,
    log_path        TEXT    NOT NULL UNIQUE,
    machine         TEXT,
    distro          TEXT,
    state           TEXT    NOT NULL,
    hidden          INTEGER NOT NULL DEFAULT 0,
    started_at      INTEGER NOT NULL,
    ended_at        INTEGER,
    heartbeat_at    INTEGER NOT NULL,
    recipes_parsed  INTEGER NOT NULL DEFAULT 0,
    recipes_total   INTEGER NOT NULL DEFAULT 0,
    tasks_done      INTEGER NOT NULL DEFAULT 0,
    tasks_total     INTEGER NOT NULL DEFAULT 0,
    errors          INTEGER NOT NULL DEFAULT 0,
    warnings        INTEGER NOT NULL DEFAULT 0,
    FOREIGN KEY (project_id, revision) REFERENCES config_revision (project_id, number)
);
CREATE INDEX build_project ON build (project_id, id);
CREATE INDEX build_live ON build (heartbeat_at) WHERE state IN ('queued', 'parsing', 'running');
CREATE INDEX build_owner ON build (owner_id);
CREATE INDEX build_revision ON build (project_id, revision);

CREATE TABLE build_target (
    build_id        INTEGER NOT NULL REFERENCES build (id) ON DELETE CASCADE,
    position        INTEGER NOT NULL,
    recipe          TEXT    NOT NULL,
    task            TEXT,
    PRIMARY KEY (build_id, position)
) WITHOUT ROWID;

CREATE TABLE build_layer (
    build_id        INTEGER NOT NULL REFERENCES build (id) ON DELETE CASCADE,
    position        INTEGER NOT NULL,
    name            TEXT    NOT NULL,
    source          TEXT    NOT NULL,
    reference       TEXT,
    git_commit      TEXT,
    PRIMARY KEY (build_id, position)
) WITHOUT ROWID;

CREATE TABLE recipe (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    name            TEXT    NOT NULL,
    version         TEXT    NOT NULL,
    layer           TEXT    NOT NULL,
    file            TEXT    NOT NULL,
    UNIQUE (name, version, layer, file)
);

CREATE TABLE build_recipe (
    build_id        INTEGER NOT NULL REFERENCES build (id) ON DELETE CASCADE,
    recipe_id       INTEGER NOT NULL REFERENCES recipe (id),
    PRIMARY KEY (build_id, recipe_id)
) WITHOUT ROWID;
CREATE INDEX build_recipe_recipe ON build_recipe (recipe_id);

CREATE TABLE task (
    id              INTEGER PRIMARY KEY,
    build_id        INTEGER NOT NULL REFERENCES build (id) ON DELETE CASCADE,
    recipe          TEXT    NOT NULL,
    name            TEXT    NOT NULL,
    position        INTEGER,
    outcome         TEXT,
    started_at      INTEGER,
    ended_at        INTEGER,
    cpu_ms          INTEGER,
    read_bytes      INTEGER,
    write_bytes     INTEGER,
    log_file        TEXT,
    UNIQUE (build_id, recipe, name)
);
CREATE INDEX task_outcome ON task (build_id, outcome);

CREATE TABLE package (
    id              INTEGER PRIMARY KEY,
    build_id        INTEGER NOT NULL REFERENCES build (id) ON DELETE CASCADE,
    name            TEXT    NOT NULL,
    version         TEXT    NOT NULL,
    size            INTEGER NOT NULL,
    recipe          TEXT    NOT NULL
);
CREATE INDEX package_build ON package (build_id, name);

CREATE TABLE package_dependency (
    package_id      INTEGER NOT NULL REFERENCES package (id) ON DELETE CASCADE,
    name            TEXT    NOT NULL,
    PRIMARY KEY (package_id, name)
) WITHOUT ROWID;

CREATE TABLE log_message (
    id              INTEGER PRIMARY KEY,
    build_id        INTEGER NOT NULL REFERENCES build (id) ON DELETE CASCADE,
    level           TEXT    NOT NULL,
    text            TEXT    NOT NULL,
    task            TEXT,
    file            TEXT,
    line            INTEGER,
    at              INTEGER
);
CREATE INDEX log_message_build ON log_message (build_id, level);

CREATE TABLE artifact (
    id              INTEGER PRIMARY KEY,
    build_id        INTEGER NOT NULL REFERENCES build (id) ON DELETE CASCADE,
    kind            TEXT    NOT NULL,
    path            TEXT    NOT NULL,
    size            INTEGER NOT NULL
);
CREATE INDEX artifact_build ON artifact (build_id);
