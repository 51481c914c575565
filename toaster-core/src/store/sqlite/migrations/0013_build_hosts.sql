-- The runners that take builds from this database, each on a build host: what each said
-- when it registered (its host, version, jobs, work root, lease) and when it last said it
-- was alive, by the store's clock. A runner that stops removes its row; a killed one's row
-- stays, silent, until a runner with its id registers again.

CREATE TABLE build_runner (
    runner        TEXT    PRIMARY KEY,
    host          TEXT    NOT NULL,
    address       TEXT,
    version       TEXT    NOT NULL,
    jobs          INTEGER NOT NULL CHECK (jobs > 0),
    work_root     TEXT,
    releases      TEXT,
    lease_ms      INTEGER NOT NULL CHECK (lease_ms > 0),
    owner_id      INTEGER NOT NULL REFERENCES owner (id) ON DELETE CASCADE,
    started_at    INTEGER NOT NULL,
    heartbeat_at  INTEGER NOT NULL
);
CREATE INDEX build_runner_host ON build_runner (host);
