-- What a Stars refund Telegram reported could not take back of the charge's credit (spent, or held by a running
-- generation): the shop's loss, booked once per charge (core's TransferKind.STARS_REFUND_LOSS, stars refund loss →
-- stars clearing). Its transfer also says the charge was refunded when the wallet held nothing of it, so that neither a
-- second report nor an admin's refund takes the user's next top-up for it. ADD VALUE may run in Flyway's transaction
-- (PostgreSQL 12+) as long as nothing in that transaction uses the new value. IF NOT EXISTS: a test takes a schema
-- back to before an earlier migration and applies this one again.
ALTER TYPE ledger_kind ADD VALUE IF NOT EXISTS 'STARS_REFUND_LOSS';
