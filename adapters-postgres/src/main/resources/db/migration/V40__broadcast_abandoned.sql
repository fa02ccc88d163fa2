-- A finished broadcast keeps its abandoned recipients (claimed by an instance stopped before it said what became of
-- them: a restart cut them off) apart from its failed ones, so that the admin's report tells them apart
-- (PgBroadcasts.finish). Broadcasts finished before keep their figures as they were reported, the abandoned among
-- the failed. Re-applicable (migration tests cut Flyway's history and migrate again).
ALTER TABLE broadcasts ADD COLUMN IF NOT EXISTS abandoned integer NOT NULL DEFAULT 0;
