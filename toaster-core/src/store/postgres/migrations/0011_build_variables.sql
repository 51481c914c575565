-- The full build record, variables (issue 18; as SQLite's 0011): the value each variable
-- had in a build (and before expansion where that differs) and its history as BitBake's
-- datastore keeps it, in BitBake's order. Both go with their build.

CREATE TABLE build_variable (
    build_id        BIGINT  NOT NULL REFERENCES build (id) ON DELETE CASCADE,
    name            TEXT    COLLATE "C" NOT NULL,
    value           TEXT,
    unexpanded      TEXT,
    -- FALSE when BitBake kept no history (its data tracking was off).
    history_kept    BOOLEAN NOT NULL,
    PRIMARY KEY (build_id, name)
);

-- `position` numbers the entries of one variable from 0, in BitBake's order.
CREATE TABLE build_variable_history (
    build_id        BIGINT  NOT NULL,
    name            TEXT    COLLATE "C" NOT NULL,
    position        BIGINT  NOT NULL,
    operation       TEXT    NOT NULL,
    file            TEXT,
    line            BIGINT,
    flag            TEXT,
    value           TEXT,
    PRIMARY KEY (build_id, name, position),
    FOREIGN KEY (build_id, name) REFERENCES build_variable (build_id, name) ON DELETE CASCADE
);
