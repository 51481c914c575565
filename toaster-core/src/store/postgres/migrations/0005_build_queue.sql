-- The build queue: builds requested for a Toaster runner, the runner's claim on one and its
-- lease, and cancel requests (as SQLite's 0005).
ALTER TABLE build ADD COLUMN requested BOOLEAN NOT NULL DEFAULT FALSE;
-- The only host whose runners may run a requested build; NULL: any host.
ALTER TABLE build ADD COLUMN run_on TEXT;
-- The runner holding the build, since when, and until when unless renewed (ms since the
-- epoch). Kept after the build ends, to show who ran it.
ALTER TABLE build ADD COLUMN claimed_by TEXT;
ALTER TABLE build ADD COLUMN claimed_at BIGINT;
ALTER TABLE build ADD COLUMN lease_until BIGINT;
ALTER TABLE build ADD COLUMN cancel_requested_at BIGINT;

CREATE INDEX build_queue ON build (id)
    WHERE requested AND state = 'queued' AND claimed_by IS NULL;
CREATE INDEX build_claimed ON build (lease_until)
    WHERE claimed_by IS NOT NULL AND state IN ('queued', 'parsing', 'running');
