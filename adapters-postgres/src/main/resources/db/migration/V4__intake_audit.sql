-- The durable update inbox: each update_id once; handed out one chat at a time in update_id order.
CREATE TABLE processed_updates (
    update_id     bigint      PRIMARY KEY,
    chat_id       bigint      NOT NULL,
    payload       text        NOT NULL,
    recorded_at   timestamptz NOT NULL,
    claimed_by    text,
    claimed_until timestamptz,
    done_at       timestamptz
);
CREATE INDEX processed_updates_unhandled ON processed_updates (update_id) WHERE done_at IS NULL;
CREATE INDEX processed_updates_chat_unhandled ON processed_updates (chat_id, update_id) WHERE done_at IS NULL;
CREATE INDEX processed_updates_handled ON processed_updates (recorded_at) WHERE done_at IS NOT NULL;

CREATE TABLE audit_events (
    id             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at             timestamptz NOT NULL,
    actor          text        NOT NULL,
    action         text        NOT NULL,
    detail         text        NOT NULL,
    correlation_id text
);
CREATE INDEX audit_events_correlation ON audit_events (correlation_id, at, id) WHERE correlation_id IS NOT NULL;
CREATE INDEX audit_events_at ON audit_events (at);
