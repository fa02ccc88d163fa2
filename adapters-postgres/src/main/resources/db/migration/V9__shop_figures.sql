-- The admin dashboard (issue 10): its aggregates read time windows through these indexes, so their cost follows
-- the window, not the shop's age (PgShopFiguresQueryPlanTest checks the plans with a million jobs).

-- When a user was last seen (every update refreshes it); unknown for users from before this migration.
ALTER TABLE users ADD COLUMN last_seen_at timestamptz;
CREATE INDEX users_last_seen ON users (last_seen_at) WHERE last_seen_at IS NOT NULL;

-- Generations by start time. created_at never changes, so job updates stay HOT (no index column changes).
CREATE INDEX jobs_created ON jobs (created_at);

-- Posted money by kind and time (revenue, refunds, top-ups), readable from the index alone.
CREATE INDEX ledger_transfers_posted_by_kind ON ledger_transfers (kind, created_at)
    INCLUDE (amount, debit_account, credit_account) WHERE phase IN ('POSTED', 'POST_PENDING');
