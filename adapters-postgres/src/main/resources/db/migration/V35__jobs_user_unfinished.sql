-- A user's unfinished jobs (Jobs.unfinished: /status, a job's status, every plain text at the menu) read from an
-- index that holds only those: through jobs_user the query walked past every finished job of his to find them.
-- Its predicate is PgJobs.UNFINISHED's. Re-applicable (migration tests cut Flyway's history and migrate again).
CREATE INDEX IF NOT EXISTS jobs_user_unfinished ON jobs (user_id, id DESC) WHERE state NOT IN ('DELIVERED', 'FAILED');
