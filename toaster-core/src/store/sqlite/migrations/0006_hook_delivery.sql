-- Post-build hooks: an outbox of deliveries, one per hook of a build's project that fires
-- on how the build ended, and the attempts at each.

CREATE TABLE hook_delivery (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    build_id    INTEGER NOT NULL REFERENCES build (id) ON DELETE CASCADE,
    -- The hook as JSON (model::Hook), as the project's newest revision had it.
    hook        TEXT    NOT NULL,
    state       TEXT    NOT NULL DEFAULT 'pending'
                        CHECK (state IN ('pending', 'delivered', 'failed')),
    due_at      INTEGER NOT NULL,
    -- The deliverer delivering it now, until when (a dead deliverer's claim runs out).
    claimed_by  TEXT,
    claim_until INTEGER
);
CREATE INDEX hook_delivery_build ON hook_delivery (build_id);
CREATE INDEX hook_delivery_due ON hook_delivery (due_at) WHERE state = 'pending';

CREATE TABLE hook_attempt (
    delivery_id INTEGER NOT NULL REFERENCES hook_delivery (id) ON DELETE CASCADE,
    number      INTEGER NOT NULL CHECK (number >= 1),
    started_at  INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL,
    delivered   INTEGER NOT NULL,
    status      INTEGER,
    detail      TEXT    NOT NULL,
    output      TEXT    NOT NULL,
    by          TEXT    NOT NULL,
    PRIMARY KEY (delivery_id, number)
) WITHOUT ROWID;

-- The outbox is written by the very update that ends a build, in its transaction, whichever
-- operation ends it (a recorder's batch, a cancel, a runner letting go, a lease or silence
-- running out): a build never ends without its deliveries, nor gets them twice.
-- `success` hooks fire on `succeeded`; `failure` hooks on every other end; `always` on all.
CREATE TRIGGER build_end_hooks AFTER UPDATE OF state ON build
WHEN NEW.state IN ('succeeded', 'failed', 'cancelled', 'interrupted')
 AND OLD.state IN ('queued', 'parsing', 'running')
BEGIN
    INSERT INTO hook_delivery (build_id, hook, due_at)
    SELECT NEW.id, h.value,
           coalesce(NEW.ended_at, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER))
    FROM project p
    JOIN config_revision r ON r.project_id = p.id AND r.number = p.head
    JOIN json_each(r.config, '$.hooks') h
    WHERE p.id = NEW.project_id
      AND (json_extract(h.value, '$.on') = 'always'
           OR (json_extract(h.value, '$.on') = 'success') = (NEW.state = 'succeeded'))
    ORDER BY h.key;
END;
