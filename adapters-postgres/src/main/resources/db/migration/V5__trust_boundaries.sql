-- Trust boundaries: an invoice is paid once, the per-user inbound limit, broadcasts as durable work.

-- The charge that paid an invoice; a second charge for the same invoice is refused (an anomaly, never a credit).
ALTER TABLE invoices ADD COLUMN paid_charge_id text UNIQUE;
UPDATE invoices i SET paid_charge_id = (SELECT min(c.charge_id) FROM stars_charges c WHERE c.payload = i.payload);

-- One row per user: the token bucket of AdmissionPolicy and the last admitted button press.
CREATE TABLE admissions (
    user_id       bigint           PRIMARY KEY,
    tokens        double precision NOT NULL,
    refilled_at   timestamptz      NOT NULL,
    quiet_until   timestamptz      NOT NULL,
    last_press    text,
    last_press_at timestamptz      NOT NULL
);

CREATE TABLE broadcasts (
    id                  bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    admin_id            bigint      NOT NULL,
    chat_id             bigint      NOT NULL,
    text                text        NOT NULL,
    state               text        NOT NULL CHECK (state IN ('DRAFT', 'QUEUED', 'DONE', 'CANCELLED')),
    recipients          integer     NOT NULL DEFAULT 0,
    progress_message_id integer,
    created_at          timestamptz NOT NULL
);
CREATE INDEX broadcasts_queued ON broadcasts (id) WHERE state = 'QUEUED';

-- Each recipient once: claimed_at is set before the message is sent, so nobody is messaged twice.
CREATE TABLE broadcast_recipients (
    broadcast_id bigint      NOT NULL REFERENCES broadcasts (id),
    user_id      bigint      NOT NULL,
    claimed_at   timestamptz,
    outcome      text        CHECK (outcome IN ('SENT', 'BLOCKED', 'FAILED', 'ABANDONED')),
    PRIMARY KEY (broadcast_id, user_id)
);
CREATE INDEX broadcast_recipients_pending ON broadcast_recipients (broadcast_id, user_id) WHERE claimed_at IS NULL;
CREATE INDEX broadcast_recipients_sending ON broadcast_recipients (claimed_at) WHERE claimed_at IS NOT NULL AND outcome IS NULL;
