-- The provider's URL of each delivered file, beside its id (jobs.delivered_file_ids, Telegram file ids kept for history
-- re-sends), position for position: a file id Telegram refuses at a re-send goes by that URL. Before, the URLs were
-- told by the order the ids came in, the result's order, and a file that reached the user after a later one of the
-- job (sent again after a block) went by another file's URL.
--
-- Two builds write the row during a deploy: the build before appends ids alone, so the one after pads the URLs with
-- '' (unknown) up to the ids before it appends its own (PgJobs.addDeliveredFiles); an id without a URL at its position
-- is paired by order, as before. The build before never reads this column. Re-applicable.
ALTER TABLE jobs ADD COLUMN IF NOT EXISTS delivered_file_urls text[] NOT NULL DEFAULT '{}';
