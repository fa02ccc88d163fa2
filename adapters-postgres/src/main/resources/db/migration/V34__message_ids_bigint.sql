-- Message ids are 64-bit: a Discord message id is a snowflake past integer (core's API carries them as long).
-- Telegram's ids fit integer, so every row written before still reads; an older build still running during a
-- deploy reads a Telegram id from these columns (its getInt takes a bigint that fits integer), but each of its pooled
-- connections that prepared a statement on them fails that statement once inside a transaction ("cached plan must not
-- change result type"; outside one pgjdbc prepares it again): one failed update or send per connection, handled again.
-- Altering a column to bigint when it is one already changes nothing: the migration applies again as it did.
-- integer to bigint rewrites the table under a lock: jobs is the largest of the three, and the rewrite is quick at
-- a shop's sizes.
ALTER TABLE jobs ALTER COLUMN status_message_id TYPE bigint;
ALTER TABLE broadcasts ALTER COLUMN progress_message_id TYPE bigint;
ALTER TABLE tagged_messages ALTER COLUMN message_id TYPE bigint;
