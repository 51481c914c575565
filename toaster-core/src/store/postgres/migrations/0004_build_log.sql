-- A build's log file is named when the build starts (log_path), but only shown once a
-- process has written it: log_written says so.
ALTER TABLE build ADD COLUMN log_written BOOLEAN NOT NULL DEFAULT FALSE;
