-- The full build record, first part (issue 18): what the shared state cache did for each
-- task, whether it ran, its function's language, and which tasks waited for which
-- (BitBake's `tdepends`). Dependencies go with their build.

ALTER TABLE task ADD COLUMN sstate_result TEXT;
ALTER TABLE task ADD COLUMN executed INTEGER;
ALTER TABLE task ADD COLUMN script_type TEXT;

-- By name, as BitBake reports them before the tasks run (a task waited for may never run).
CREATE TABLE task_dependency (
    build_id        INTEGER NOT NULL REFERENCES build (id) ON DELETE CASCADE,
    recipe          TEXT    NOT NULL,
    task            TEXT    NOT NULL,
    dep_recipe      TEXT    NOT NULL,
    dep_task        TEXT    NOT NULL,
    PRIMARY KEY (build_id, recipe, task, dep_recipe, dep_task)
) WITHOUT ROWID;
