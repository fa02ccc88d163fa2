-- /stats and /chart count generations by creation (PgShopFigures GENERATIONS, TOP_MODELS, FAILING_MODELS,
-- GENERATIONS_PER_DAY) and read of each job only its state, failure and model: through V9's jobs_created every
-- counted job was a heap row fetched, 0.54-0.66 s for /chart's 90 days at a year's data (review RY: 1.7M jobs,
-- 580,000 in 90 days), 39-41 ms for the week's top models. This index holds those columns too, so the counts are
-- index-only scans: 0.28-0.29 s and 12 ms (1.5 ms for the day's figures, 4-5 ms before). It serves every lookup
-- jobs_created served (same key, first), so jobs_created goes: one index on creation to write, not two. 1.5 s to
-- build, 94 MB at a year's data (jobs_created was 36 MB).
--
-- Plain CREATE INDEX, not CONCURRENTLY, for V46's reasons (the bot migrates before it serves; an old instance still
-- serving waits on a write of jobs for the build's 1-2 s; a failed concurrent build leaves an INVALID index that
-- IF NOT EXISTS would keep). IF NOT EXISTS / IF EXISTS let a test take a schema back to before this migration and
-- apply it again.
CREATE INDEX IF NOT EXISTS jobs_created_figures ON jobs (created_at) INCLUDE (state, failure, model_id);
DROP INDEX IF EXISTS jobs_created;
