-- The retention's hourly passes (PgPersonalData.forgetOlder, PERSONAL_DATA_DAYS) look for the rows older than the
-- cutoff not blanked yet. Through jobs_created they walked every generation already blanked before reaching one to
-- blank, and the support requests and card / SBP requests were read whole: more rows each hour the shop runs, for none
-- to do. These indexes hold only the rows not blanked yet, which leave them once blanked, so a pass reads what it
-- blanks and what the retention keeps on purpose (a result noted not sent, a request nobody answered, one still open).
-- Their predicates are PgPersonalData's own words: PostgreSQL takes a partial index when the query's conditions imply
-- its predicate. IF NOT EXISTS: a test takes a schema back to before this migration and applies it again.
CREATE INDEX IF NOT EXISTS jobs_not_blanked ON jobs (created_at, id)
    WHERE state IN ('DELIVERED', 'FAILED') AND (input_values <> '{}'::jsonb OR input_files <> '{}'::jsonb
        OR delivered_file_ids <> '{}' OR delivered_file_urls <> '{}' OR result_urls <> '{}');
CREATE INDEX IF NOT EXISTS support_tickets_not_blanked ON support_tickets (id) WHERE text <> '—';
-- a closed request that still keeps its receipt's file id (its receipt's contents, manual_topup_receipts, are only
-- ever the ones not blanked: blanking deletes them)
CREATE INDEX IF NOT EXISTS manual_topups_receipt_kept ON manual_topups (id)
    WHERE state NOT IN ('REQUESTED', 'CLAIMED_PAID') AND receipt_file_id IS NOT NULL;
