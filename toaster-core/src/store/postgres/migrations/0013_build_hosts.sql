-- The runners that take builds from this database (as SQLite's 0013), each on a build
-- host. `address` is the runner's address as the server saw it when it registered, and
-- both times are the server's clock, so a host whose clock is off is judged fairly.

CREATE TABLE build_runner (
    runner        TEXT    PRIMARY KEY,
    host          TEXT    NOT NULL,
    address       TEXT,
    version       TEXT    NOT NULL,
    jobs          BIGINT  NOT NULL CHECK (jobs > 0),
    work_root     TEXT,
    releases      TEXT,
    lease_ms      BIGINT  NOT NULL CHECK (lease_ms > 0),
    owner_id      BIGINT  NOT NULL REFERENCES owner (id) ON DELETE CASCADE,
    started_at    BIGINT  NOT NULL,
    heartbeat_at  BIGINT  NOT NULL
);
CREATE INDEX build_runner_host ON build_runner (host);
