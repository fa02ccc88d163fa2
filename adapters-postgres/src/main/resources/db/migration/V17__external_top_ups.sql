-- Top-ups a partner's own payment provider took (core's ExternalTopUps): a kind of their own, so that the dashboard and
-- the statements tell them from Stars and card / SBP top-ups. ADD VALUE may run in Flyway's transaction (PostgreSQL
-- 12+) as long as nothing in that transaction uses the new value.
ALTER TYPE ledger_kind ADD VALUE 'TOP_UP_EXTERNAL' AFTER 'TOP_UP_MANUAL';
