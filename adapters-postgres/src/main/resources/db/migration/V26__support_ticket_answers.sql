-- /reply: an admin's answers to a /paysupport ticket, as they went to its user; an admin opening the ticket later
-- reads what was answered, and by whom.
CREATE TABLE support_ticket_answers (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ticket_id   bigint      NOT NULL REFERENCES support_tickets (id),
    admin_id    bigint      NOT NULL,
    text        text        NOT NULL CHECK (length(text) BETWEEN 1 AND 3500),
    answered_at timestamptz NOT NULL
);
CREATE INDEX support_ticket_answers_ticket ON support_ticket_answers (ticket_id, id);
