-- The build queue: builds requested for a Toaster runner, the runner's claim on one and its
-- lease, and cancel requests. Builds recorded before this migration were recorded by hand:
-- not requested, never claimed.
ALTER TABLE build ADD COLUMN requested INTEGER NOT NULL DEFAULT 0;
-- The only host whose runners may run a requested build; NULL: any host.
ALTER TABLE build ADD COLUMN run_on TEXT;
-- The runner holding the build (host/pid/random), since when, and until when unless renewed
-- (ms since the epoch). Kept after the build ends, to show who ran it; a claim locks its
-- project and build directory only while the build has not ended.
ALTER TABLE build ADD COLUMN claimed_by TEXT;
ALTER TABLE build ADD COLUMN claimed_at INTEGER;
ALTER TABLE build ADD COLUMN lease_until INTEGER;
-- When someone asked to cancel a build that a runner has; the runner stops it.
ALTER TABLE build ADD COLUMN cancel_requested_at INTEGER;

-- The queue, oldest first: what a claim looks through.
CREATE INDEX build_queue ON build (id)
    WHERE requested = 1 AND state = 'queued' AND claimed_by IS NULL;
-- Claims of builds not yet ended: the locks a claim checks, and the leases that expire.
CREATE INDEX build_claimed ON build (lease_until)
    WHERE claimed_by IS NOT NULL AND state IN ('queued', 'parsing', 'running');
