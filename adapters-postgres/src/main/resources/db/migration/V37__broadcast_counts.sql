-- A finished broadcast keeps its figures on its own row (PgBroadcasts.finish), so that its recipients, one row per user
-- per broadcast and read by nothing else once it is done, can be forgotten by the hourly upkeep
-- (BROADCAST_RECIPIENTS_RETENTION_DAYS after finished_at) while its report still reads the same. Re-applicable
-- (migration tests cut Flyway's history and migrate again).
ALTER TABLE broadcasts ADD COLUMN IF NOT EXISTS finished_at timestamptz;
ALTER TABLE broadcasts ADD COLUMN IF NOT EXISTS sent integer;
ALTER TABLE broadcasts ADD COLUMN IF NOT EXISTS blocked integer;
ALTER TABLE broadcasts ADD COLUMN IF NOT EXISTS failed integer;

-- Broadcasts finished before: their figures from their recipients, all still here; when they finished was not kept,
-- so their start stands for it (a broadcast takes minutes to hours). Again it changes nothing: they have figures then.
UPDATE broadcasts b SET
    sent = (SELECT count(*) FROM broadcast_recipients r WHERE r.broadcast_id = b.id AND r.outcome = 'SENT'),
    blocked = (SELECT count(*) FROM broadcast_recipients r WHERE r.broadcast_id = b.id AND r.outcome = 'BLOCKED'),
    failed = (SELECT count(*) FROM broadcast_recipients r
              WHERE r.broadcast_id = b.id AND r.outcome IN ('FAILED', 'ABANDONED')),
    finished_at = b.created_at
WHERE b.state = 'DONE' AND b.sent IS NULL;
