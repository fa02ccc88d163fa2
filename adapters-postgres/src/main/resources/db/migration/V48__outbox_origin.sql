-- What made each queued reply (the update's or the job's correlation id, upd_… / gen_…), written by the append's own
-- insert and read back by the claim, so that the sender's lines while the reply goes out (a block, a retry_after, a
-- media send that fell back to a link) name it: they named nothing, and an operator could not tie them to the update
-- or job (review L68). NULL for a reply queued before this migration, or without one. Adding a nullable column with
-- no default rewrites nothing. IF NOT EXISTS lets a test take a schema back to before this migration and apply it
-- again.
ALTER TABLE outbox ADD COLUMN IF NOT EXISTS origin text;
