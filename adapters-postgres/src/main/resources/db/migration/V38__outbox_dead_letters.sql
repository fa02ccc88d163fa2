-- A reply no build here reads (its body corrupt, or a newer build's kind after that build's deploy was rolled back),
-- moved out of the outbox a day after it was queued (PgPendingReplies.UNREADABLE_MAX, the outbox's give-up day), so
-- that its chat's later replies go: left at the head of its chat's queue, it was passed over for ever and that user was
-- sent nothing again. One ERROR names the chat (masked), the reply's id and its kind; the user was not sent it. The
-- operator reads the row (body as it was queued) and decides what to tell him. Never read by the bot.
-- Re-applicable (migration tests cut Flyway's history and migrate again).
CREATE TABLE IF NOT EXISTS outbox_dead_letters (
    id bigint PRIMARY KEY,
    chat_id bigint NOT NULL,
    body jsonb NOT NULL,
    kind text NOT NULL,
    queued_at timestamptz NOT NULL,
    moved_at timestamptz NOT NULL
);
