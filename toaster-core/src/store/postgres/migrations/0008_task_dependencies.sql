-- The full build record, first part (as SQLite's 0008): shared-state result, whether a
-- task ran, its function's language, and which tasks waited for which.
ALTER TABLE task ADD COLUMN sstate_result TEXT;
ALTER TABLE task ADD COLUMN executed BOOLEAN;
ALTER TABLE task ADD COLUMN script_type TEXT;

CREATE TABLE task_dependency (
    build_id        BIGINT  NOT NULL REFERENCES build (id) ON DELETE CASCADE,
    recipe          TEXT    COLLATE "C" NOT NULL,
    task            TEXT    COLLATE "C" NOT NULL,
    dep_recipe      TEXT    COLLATE "C" NOT NULL,
    dep_task        TEXT    COLLATE "C" NOT NULL,
    PRIMARY KEY (build_id, recipe, task, dep_recipe, dep_task)
);
