-- Balances carried over from an earlier bot (import-balances): a kind of their own, not TOP_UP_MANUAL, so that they
-- count as no paid top-up (a friend's first payment earns his inviter the bonus), nor as money received on the
-- dashboard or in /export. ADD VALUE may run in Flyway's transaction (PostgreSQL 12+) as long as nothing in that
-- transaction uses the new value. IF NOT EXISTS: a test takes a schema back to before an earlier migration and
-- applies this one again.
ALTER TYPE ledger_kind ADD VALUE IF NOT EXISTS 'CARRIED_OVER';
