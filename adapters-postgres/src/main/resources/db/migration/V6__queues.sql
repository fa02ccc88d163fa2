-- The inbox and the outbox as queues per chat, each with a head pointer a claim takes with one index probe.

-- One row per chat with unhandled updates: its oldest one. A handler claims the row FOR UPDATE SKIP LOCKED
-- inside its handling transaction, so the claim ends with that transaction (and with its holder).
CREATE TABLE inbox_chats (
    chat_id bigint PRIMARY KEY,
    head_id bigint
);
CREATE INDEX inbox_chats_head ON inbox_chats (head_id) WHERE head_id IS NOT NULL;
INSERT INTO inbox_chats (chat_id, head_id)
    SELECT chat_id, min(update_id) FROM processed_updates WHERE done_at IS NULL GROUP BY chat_id;

-- leases are gone: a claim is a row lock now
ALTER TABLE processed_updates DROP COLUMN claimed_by, DROP COLUMN claimed_until;
DROP INDEX IF EXISTS processed_updates_unhandled;

-- Replies waiting to be sent, in order per chat; a sent reply is deleted.
CREATE TABLE outbox (
    id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    chat_id    bigint      NOT NULL,
    body       jsonb       NOT NULL,
    created_at timestamptz NOT NULL
);
CREATE INDEX outbox_chat ON outbox (chat_id, id);

-- One row per chat that ever got a reply: its oldest waiting one, and its pacing (a token bucket).
CREATE TABLE outbox_chats (
    chat_id     bigint           PRIMARY KEY,
    head_id     bigint,
    due_at      timestamptz      NOT NULL,
    tokens      double precision,
    refilled_at timestamptz
);
CREATE INDEX outbox_chats_due ON outbox_chats (due_at, head_id) WHERE head_id IS NOT NULL;

-- Messages edited later by a tag (a broadcast's progress, an admin's request message).
CREATE TABLE tagged_messages (
    chat_id    bigint  NOT NULL,
    tag        text    NOT NULL,
    message_id integer NOT NULL,
    PRIMARY KEY (chat_id, tag)
);
