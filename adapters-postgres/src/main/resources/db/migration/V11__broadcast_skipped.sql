-- Users known to have blocked the bot when a broadcast was queued: never recipients, counted for the admin's report.
ALTER TABLE broadcasts ADD COLUMN skipped integer NOT NULL DEFAULT 0 CHECK (skipped >= 0);
