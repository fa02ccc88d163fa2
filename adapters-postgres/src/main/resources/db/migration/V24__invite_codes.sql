-- A user's invitation code (ReferralLink): random and kept, so that a link posted in public does not carry his
-- Telegram id. Unique; a user has none until he first asks for his link.
ALTER TABLE users ADD COLUMN invite_code text UNIQUE;
