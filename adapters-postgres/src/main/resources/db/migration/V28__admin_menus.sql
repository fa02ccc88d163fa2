-- The chats Telegram was given an admin's own command menu for (BotCommandScopeChat): an id no longer in ADMIN_IDS
-- has it removed at the next start, and Telegram cannot list which chats have one.
CREATE TABLE admin_menus (
    user_id bigint      PRIMARY KEY,
    set_at  timestamptz NOT NULL
);
