-- An admin's /ban (core's Users.setBan): the bot is closed to the user from banned_at on, with the reason he is told.
-- Both empty while the bot is open to him. Broadcasts skip banned users, as they skip users who blocked the bot.
ALTER TABLE users ADD COLUMN banned_at timestamptz;
ALTER TABLE users ADD COLUMN ban_reason text;
ALTER TABLE users ADD CONSTRAINT users_ban_reason_needs_ban CHECK (ban_reason IS NULL OR banned_at IS NOT NULL);
