-- A pre-checkout's answer, kept in the update's transaction until it is sent (PendingReplies.keepAnswer): the process
-- killed between the commit and the call leaves it here, and the next start sends it while Telegram still waits (its
-- window ends at until). Not in the outbox: no sender claims it, so a build that does not know this table (the one
-- before it, during a deploy) never meets it. Re-applicable (migration tests cut Flyway's history and migrate again).
CREATE TABLE IF NOT EXISTS pre_checkout_answers (
    query_id text PRIMARY KEY,
    chat_id bigint NOT NULL,
    ok boolean NOT NULL,
    error text,
    until timestamptz NOT NULL
);
