-- The full build record, second part (issue 18): what a recipe says of itself (LICENSE,
-- SUMMARY, SECTION, HOMEPAGE; filled in by the first build that reports them, as the recipe
-- row is shared by every build that used the same name, version, layer and file), which
-- recipes need which (BitBake's `depends` and `rdepends-pn`), and which recipe each build
-- chose for a provided name (`providermap`). Dependencies and providers go with their build.

ALTER TABLE recipe ADD COLUMN licence TEXT;
ALTER TABLE recipe ADD COLUMN summary TEXT;
ALTER TABLE recipe ADD COLUMN section TEXT;
ALTER TABLE recipe ADD COLUMN homepage TEXT;

-- By name, as BitBake reports them; `via` is the provided name a dependency was asked for by.
CREATE TABLE recipe_dependency (
    build_id        INTEGER NOT NULL REFERENCES build (id) ON DELETE CASCADE,
    recipe          TEXT    NOT NULL,
    dep_recipe      TEXT    NOT NULL,
    kind            TEXT    NOT NULL CHECK (kind IN ('build', 'runtime')),
    via             TEXT,
    PRIMARY KEY (build_id, recipe, kind, dep_recipe)
) WITHOUT ROWID;

CREATE TABLE provider (
    build_id        INTEGER NOT NULL REFERENCES build (id) ON DELETE CASCADE,
    name            TEXT    NOT NULL,
    recipe          TEXT    NOT NULL,
    PRIMARY KEY (build_id, name)
) WITHOUT ROWID;
