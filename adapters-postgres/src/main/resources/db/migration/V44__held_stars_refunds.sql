-- What a Stars refund Telegram reported could not take from the wallet because a hold (a running generation, an
-- admin's refund of another charge) kept that money: owed from that hold, per charge (core's HeldStarsRefund). When
-- the hold gives money back (voided, expired, posted for less) up to this much goes to the Stars clearing account;
-- what the hold keeps is the shop's loss then, and the row is marked settled. The build before never reads it; a hold
-- it resolves leaves its rows open, and this build's upkeep settles them (Payments.openHeldRefunds).
-- Re-applicable: a test takes a schema back to before this migration and applies it again.
CREATE TABLE IF NOT EXISTS held_stars_refunds (
    charge_id  text        NOT NULL,
    hold_id    text        NOT NULL,
    user_id    bigint      NOT NULL,
    amount     bigint      NOT NULL CHECK (amount > 0),
    at         timestamptz NOT NULL,
    settled_at timestamptz,
    PRIMARY KEY (charge_id, hold_id)
);
CREATE INDEX IF NOT EXISTS held_stars_refunds_hold ON held_stars_refunds (hold_id);
CREATE INDEX IF NOT EXISTS held_stars_refunds_open ON held_stars_refunds (at) WHERE settled_at IS NULL;
