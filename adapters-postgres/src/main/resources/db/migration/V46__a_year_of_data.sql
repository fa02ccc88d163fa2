-- Statements that grew with a year of a successful bot (review RY: 50,000 users, 1.7M jobs, 3.6M transfers) read
-- what they answer through these indexes instead of every row of a user, an account or a table.
--
-- Plain CREATE INDEX, not CONCURRENTLY. The bot migrates at its start, before it serves (SchemaUpgrade), so a single
-- instance writes nothing meanwhile; the build takes a SHARE lock (writes to the table wait, reads go on), measured
-- at a year's data on 2 shared cores at seconds each (the times are beside each): an old instance still serving
-- during a rolling deploy waits that long on a write of that table, then goes on. CONCURRENTLY would run outside
-- Flyway's transaction, scan each table twice and wait for every open transaction, and one that failed leaves an
-- INVALID index behind, which IF NOT EXISTS then keeps for good. A shop far larger, or one that cannot have its
-- writes wait that long, creates these CONCURRENTLY by hand before the upgrade and checks them valid (same names:
-- IF NOT EXISTS then finds them). IF NOT EXISTS also lets a test take a schema back to before this migration and
-- apply it again.

-- /forget of a user (PgPersonalData.HIS_JOBS): his finished jobs not blanked yet, by user, newest first. Through
-- jobs_user it rewrote all 17,000 jobs of a heavy user, those the retention had blanked long ago too (3.3 s in one
-- statement); its predicate is PgPersonalData's and V45's jobs_not_blanked's, word for word. 6 s to build, 48 MB at
-- a year's data with most jobs' files kept (a shop with PERSONAL_DATA_DAYS holds only its last days here).
CREATE INDEX IF NOT EXISTS jobs_user_not_blanked ON jobs (user_id, id DESC)
    WHERE state IN ('DELIVERED', 'FAILED') AND (input_values <> '{}'::jsonb OR input_files <> '{}'::jsonb
        OR delivered_file_ids <> '{}' OR delivered_file_urls <> '{}' OR result_urls <> '{}');

-- /find's user card (PgShopFigures.SPENT): his generations' posts and the refunds to his wallet, their amounts in the
-- index, read without the table (an index-only scan once vacuum has marked the pages). It read every transfer of his
-- wallet, holds and top-ups too: 0.3-0.6 s for a heavy user; 3 ms now. Partial: the posts are a third of the ledger
-- (71 MB, 8 s to build), the refunds a sliver (1.5 MB, 2 s).
CREATE INDEX IF NOT EXISTS ledger_transfers_spent ON ledger_transfers (debit_account) INCLUDE (amount)
    WHERE kind = 'GENERATION' AND phase = 'POST_PENDING';
CREATE INDEX IF NOT EXISTS ledger_transfers_refunded ON ledger_transfers (credit_account) INCLUDE (amount)
    WHERE kind = 'REFUND';

-- The retention's pass of old jobs (PgPersonalData.OLD_JOBS, hourly) asks whether each job's result was noted not
-- sent (action gen.result_unsent in the user's unsent:<id> trail): the planner read every event kept (30 days) by
-- action for it, a scan per pass. 0.4 s to build at a year's 60,000 events.
CREATE INDEX IF NOT EXISTS audit_events_action ON audit_events (action, correlation_id);
