-- Card / SBP top-ups confirmed by an admin (issue 10). Every change of state is a compare-and-set on the row
-- (UPDATE ... WHERE state IN (the open states)), so two admins, a double tap and the expiry never both win; the
-- credit itself is the ledger transfer 'manual-topup:<id>', which exists at most once.
CREATE TABLE manual_topups (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- the update that asked for it: a re-delivered update finds the same request
    request_key     text        NOT NULL UNIQUE,
    user_id         bigint      NOT NULL,
    chat_id         bigint      NOT NULL,
    amount          bigint      NOT NULL CHECK (amount > 0),
    reference       text        NOT NULL,
    state           text        NOT NULL CHECK (state IN ('REQUESTED', 'CLAIMED_PAID', 'APPROVED', 'DECLINED',
                                                          'EXPIRED')),
    receipt_file_id text,
    created_at      timestamptz NOT NULL,
    expires_at      timestamptz NOT NULL CHECK (expires_at > created_at),
    decided_by      bigint,
    decided_at      timestamptz,
    -- an admin is named exactly on decided requests; a closed request has a time
    CONSTRAINT manual_topups_decided CHECK (
        (decided_by IS NOT NULL) = (state IN ('APPROVED', 'DECLINED'))
        AND (decided_at IS NOT NULL) = (state IN ('APPROVED', 'DECLINED', 'EXPIRED')))
);
-- the code in the transfer's comment names one request, whatever its case
CREATE UNIQUE INDEX manual_topups_reference ON manual_topups (upper(reference));
CREATE INDEX manual_topups_user ON manual_topups (user_id, id DESC);
-- the expiry's queue and the dashboard's "waiting" count
CREATE INDEX manual_topups_open ON manual_topups (expires_at, id) WHERE state IN ('REQUESTED', 'CLAIMED_PAID');

-- The admins told about a request; their message (tagged_messages) is edited on every side when one decides.
CREATE TABLE manual_topup_notices (
    request_id bigint NOT NULL REFERENCES manual_topups (id),
    chat_id    bigint NOT NULL,
    PRIMARY KEY (request_id, chat_id)
);
