-- Refunds and chargebacks a partner's own payment provider reported (core's ExternalTopUps.refunded): a kind of their
-- own, so that the statements tell them from a Stars refund. ADD VALUE may run in Flyway's transaction (PostgreSQL
-- 12+) as long as nothing in that transaction uses the new value.
ALTER TYPE ledger_kind ADD VALUE 'EXTERNAL_REFUND';
