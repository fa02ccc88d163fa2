-- /paysupport tickets (issue 10): the user's payment problem, kept; one per update that wrote it.
CREATE TABLE support_tickets (
    id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ticket_key text        NOT NULL UNIQUE,
    user_id    bigint      NOT NULL,
    text       text        NOT NULL CHECK (length(text) BETWEEN 1 AND 3000),
    created_at timestamptz NOT NULL
);
CREATE INDEX support_tickets_user ON support_tickets (user_id, id DESC);
