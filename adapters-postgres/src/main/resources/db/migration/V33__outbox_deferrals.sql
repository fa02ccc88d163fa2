-- What the sender noted of a reply the platform could not take yet, kept with the reply until it leaves (its row is
-- deleted when it is sent, settled otherwise or dropped): when the platform first deferred it (it is given up a day
-- after) and whether a try of it threw (it may have reached the chat, so a job's result is never refunded as surely
-- not sent). Kept in the sending process's memory before, a restart started the day again (a reply deferred across
-- restarts less than a day apart was never given up) and forgot the throw (a result that may have arrived, refused
-- after a restart, was refunded). Written only by a release after a deferral that changes them; read by the claim.
-- A nullable column and one with a constant default: no rewrite of the table.
ALTER TABLE outbox ADD COLUMN IF NOT EXISTS deferred_since timestamptz;
ALTER TABLE outbox ADD COLUMN IF NOT EXISTS deferred_threw boolean NOT NULL DEFAULT false;
