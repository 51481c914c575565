-- The full build record, packages and images (issue 18): the files each package holds
-- (`FILES_INFO`), the packages it names besides its run-time dependencies (`RRECOMMENDS`,
-- `RSUGGESTS`, `RPROVIDES`, `RREPLACES`, `RCONFLICTS`), and for each image target the
-- packages installed in it, which installed package pulled in which, and its file listing
-- (openembedded-core's buildhistory). All by name, per build, gone with their build.

CREATE TABLE package_file (
    build_id        INTEGER NOT NULL REFERENCES build (id) ON DELETE CASCADE,
    package         TEXT    NOT NULL,
    path            TEXT    NOT NULL,
    size            INTEGER NOT NULL,
    PRIMARY KEY (build_id, package, path)
) WITHOUT ROWID;

CREATE TABLE package_relation (
    build_id        INTEGER NOT NULL REFERENCES build (id) ON DELETE CASCADE,
    package         TEXT    NOT NULL,
    kind            TEXT    NOT NULL CHECK (kind IN
                        ('rrecommends', 'rsuggests', 'rprovides', 'rreplaces', 'rconflicts')),
    name            TEXT    NOT NULL,
    PRIMARY KEY (build_id, package, kind, name)
) WITHOUT ROWID;

CREATE TABLE image_package (
    build_id        INTEGER NOT NULL REFERENCES build (id) ON DELETE CASCADE,
    target          TEXT    NOT NULL,
    package         TEXT    NOT NULL,
    size            INTEGER NOT NULL,
    PRIMARY KEY (build_id, target, package)
) WITHOUT ROWID;

CREATE TABLE image_dependency (
    build_id        INTEGER NOT NULL REFERENCES build (id) ON DELETE CASCADE,
    target          TEXT    NOT NULL,
    package         TEXT    NOT NULL,
    dep_package     TEXT    NOT NULL,
    kind            TEXT    NOT NULL CHECK (kind IN ('depends', 'recommends')),
    PRIMARY KEY (build_id, target, package, dep_package, kind)
) WITHOUT ROWID;

CREATE TABLE image_file (
    build_id        INTEGER NOT NULL REFERENCES build (id) ON DELETE CASCADE,
    target          TEXT    NOT NULL,
    path            TEXT    NOT NULL,
    size            INTEGER NOT NULL,
    type            TEXT    NOT NULL CHECK (type IN ('file', 'dir', 'symlink', 'other')),
    mode            TEXT    NOT NULL,
    owner           TEXT    NOT NULL,
    grp             TEXT    NOT NULL,
    link            TEXT,
    PRIMARY KEY (build_id, target, path)
) WITHOUT ROWID;
