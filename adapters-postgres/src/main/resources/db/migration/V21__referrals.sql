-- Who invited whom (an invitation link's /start r_...), and the bonus the inviter gets for a friend's first top-up.
-- A user is invited once, by somebody else who exists; nobody is ever deleted, so the reference stays.
ALTER TABLE users ADD COLUMN referrer_id bigint REFERENCES users (id),
    ADD CONSTRAINT users_not_own_referrer CHECK (referrer_id <> id);
CREATE INDEX users_referrer ON users (referrer_id) WHERE referrer_id IS NOT NULL;
ALTER TYPE ledger_kind ADD VALUE 'REFERRAL_BONUS' AFTER 'WELCOME_BONUS';
