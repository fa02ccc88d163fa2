-- Stars payments the bot received but did not credit: no invoice of this bot matched, the invoice was paid already
-- (the same invoice paid twice), the ledger refused the credit, or the handling failed and was rolled back. Nothing
-- is on a wallet for them, so their refund is Telegram's alone and takes nothing from the balance. Kept once per
-- charge id (a re-delivered update keeps nothing new), in the transaction that audits the anomaly.
--
-- The refund moves by compare-and-set on the row, so two admins or a double press ask Telegram once:
-- OPEN -> REFUNDING (attempt + 1, asked_at) -> REFUNDED, or back to OPEN when Telegram refused. A REFUNDING whose
-- asker died (asked_at long past) may be claimed again; Telegram answers CHARGE_ALREADY_REFUNDED if it had refunded.
CREATE TABLE uncredited_charges (
    charge_id text        PRIMARY KEY CHECK (charge_id <> ''),
    user_id   bigint      NOT NULL,
    payload   text        NOT NULL,
    stars     bigint      NOT NULL,
    reason    text        NOT NULL,
    at        timestamptz NOT NULL,
    refund    text        NOT NULL DEFAULT 'OPEN' CHECK (refund IN ('OPEN', 'REFUNDING', 'REFUNDED')),
    attempt   integer     NOT NULL DEFAULT 0 CHECK (attempt >= 0),
    asked_at  timestamptz,
    -- a claim time exactly once an attempt was claimed; asking needs one
    CONSTRAINT uncredited_charges_asked CHECK ((asked_at IS NOT NULL) = (attempt > 0)
        AND (refund <> 'REFUNDING' OR attempt > 0))
);
CREATE INDEX uncredited_charges_user ON uncredited_charges (user_id, at DESC);
