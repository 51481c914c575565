-- A build's log file is named when the build starts (log_path), but only shown once a
-- process has written it: log_written says so. Builds recorded before this migration had
-- no log file written.
ALTER TABLE build ADD COLUMN log_written INTEGER NOT NULL DEFAULT 0;
