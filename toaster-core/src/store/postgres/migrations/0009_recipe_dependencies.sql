-- The full build record, second part (as SQLite's 0009): what a recipe says of itself,
-- which recipes need which, and which recipe each build chose for a provided name.
ALTER TABLE recipe ADD COLUMN licence TEXT;
ALTER TABLE recipe ADD COLUMN summary TEXT;
ALTER TABLE recipe ADD COLUMN section TEXT;
ALTER TABLE recipe ADD COLUMN homepage TEXT;

CREATE TABLE recipe_dependency (
    build_id        BIGINT  NOT NULL REFERENCES build (id) ON DELETE CASCADE,
    recipe          TEXT    COLLATE "C" NOT NULL,
    dep_recipe      TEXT    COLLATE "C" NOT NULL,
    kind            TEXT    COLLATE "C" NOT NULL CHECK (kind IN ('build', 'runtime')),
    via             TEXT,
    PRIMARY KEY (build_id, recipe, kind, dep_recipe)
);

CREATE TABLE provider (
    build_id        BIGINT  NOT NULL REFERENCES build (id) ON DELETE CASCADE,
    name            TEXT    COLLATE "C" NOT NULL,
    recipe          TEXT    NOT NULL,
    PRIMARY KEY (build_id, name)
);
