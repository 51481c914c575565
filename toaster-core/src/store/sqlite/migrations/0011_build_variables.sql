-- The full build record, variables (issue 18): the value each variable had in a build (the
-- schema's and those the project sets, as BitBake expanded them, and before expansion where
-- that differs) and its history as BitBake's datastore keeps it (operation, file, line,
-- value, in BitBake's order). Both go with their build.

CREATE TABLE build_variable (
    build_id        INTEGER NOT NULL REFERENCES build (id) ON DELETE CASCADE,
    name            TEXT    NOT NULL,
    value           TEXT,
    unexpanded      TEXT,
    -- 0 when BitBake kept no history (its data tracking was off).
    history_kept    INTEGER NOT NULL,
    PRIMARY KEY (build_id, name)
) WITHOUT ROWID;

-- `position` numbers the entries of one variable from 0, in BitBake's order.
CREATE TABLE build_variable_history (
    build_id        INTEGER NOT NULL,
    name            TEXT    NOT NULL,
    position        INTEGER NOT NULL,
    operation       TEXT    NOT NULL,
    file            TEXT,
    line            INTEGER,
    flag            TEXT,
    value           TEXT,
    PRIMARY KEY (build_id, name, position),
    FOREIGN KEY (build_id, name) REFERENCES build_variable (build_id, name) ON DELETE CASCADE
) WITHOUT ROWID;
