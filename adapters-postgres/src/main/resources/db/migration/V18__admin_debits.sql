-- An admin's /debit_user (core's AdminConsole): money taken off a wallet, a top-up credited by mistake or a card
-- payment the bank took back. A kind of its own, so that statements and reports do not count it as a refund. ADD VALUE
-- may run in Flyway's transaction (PostgreSQL 12+) as long as nothing in that transaction uses the new value.
ALTER TYPE ledger_kind ADD VALUE 'DEBIT_MANUAL';
