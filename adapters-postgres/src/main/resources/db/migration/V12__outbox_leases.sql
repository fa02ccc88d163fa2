-- A chat is leased to the sender that sends its head instead of locked across the send: the call to Telegram takes
-- up to minutes, and a handler queueing a reply for the chat waited for the lock as long. While a chat is leased,
-- due_at is the lease's end, so a claim passes it over with the same one probe of outbox_chats_due, and a dead
-- sender's chat falls due again when its lease ends; leased_until tells the lease from a later one of the chat.
ALTER TABLE outbox_chats ADD COLUMN leased_until timestamptz;
