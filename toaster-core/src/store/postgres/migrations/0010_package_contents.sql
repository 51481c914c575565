-- The full build record, packages and images (issue 18; as SQLite's 0010): the files each
-- package holds, the packages it names besides its run-time dependencies, and for each
-- image target the packages installed in it, which pulled in which, and its file listing.
-- All by name, per build, gone with their build.

CREATE TABLE package_file (
    build_id        BIGINT  NOT NULL REFERENCES build (id) ON DELETE CASCADE,
    package         TEXT    COLLATE "C" NOT NULL,
    path            TEXT    COLLATE "C" NOT NULL,
    size            BIGINT  NOT NULL,
    PRIMARY KEY (build_id, package, path)
);

CREATE TABLE package_relation (
    build_id        BIGINT  NOT NULL REFERENCES build (id) ON DELETE CASCADE,
    package         TEXT    COLLATE "C" NOT NULL,
    kind            TEXT    COLLATE "C" NOT NULL CHECK (kind IN
                        ('rrecommends', 'rsuggests', 'rprovides', 'rreplaces', 'rconflicts')),
    name            TEXT    COLLATE "C" NOT NULL,
    PRIMARY KEY (build_id, package, kind, name)
);

CREATE TABLE image_package (
    build_id        BIGINT  NOT NULL REFERENCES build (id) ON DELETE CASCADE,
    target          TEXT    COLLATE "C" NOT NULL,
    package         TEXT    COLLATE "C" NOT NULL,
    size            BIGINT  NOT NULL,
    PRIMARY KEY (build_id, target, package)
);

CREATE TABLE image_dependency (
    build_id        BIGINT  NOT NULL REFERENCES build (id) ON DELETE CASCADE,
    target          TEXT    COLLATE "C" NOT NULL,
    package         TEXT    COLLATE "C" NOT NULL,
    dep_package     TEXT    COLLATE "C" NOT NULL,
    kind            TEXT    COLLATE "C" NOT NULL CHECK (kind IN ('depends', 'recommends')),
    PRIMARY KEY (build_id, target, package, dep_package, kind)
);

CREATE TABLE image_file (
    build_id        BIGINT  NOT NULL REFERENCES build (id) ON DELETE CASCADE,
    target          TEXT    COLLATE "C" NOT NULL,
    path            TEXT    COLLATE "C" NOT NULL,
    size            BIGINT  NOT NULL,
    type            TEXT    NOT NULL CHECK (type IN ('file', 'dir', 'symlink', 'other')),
    mode            TEXT    NOT NULL,
    owner           TEXT    NOT NULL,
    grp             TEXT    NOT NULL,
    link            TEXT,
    PRIMARY KEY (build_id, target, path)
);
