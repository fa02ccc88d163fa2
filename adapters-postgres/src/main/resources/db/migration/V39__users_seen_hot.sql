-- Every update refreshes its user's last_seen_at (PgUsers.seen). An index on that column made each of those writes a
-- non-HOT update: a new entry in every index of users (its key, created_at, invite_code; referrer_id when set) for a
-- row whose indexed values had not changed, WAL and work in the PostgreSQL backend on every update a bot handles.
-- Its only reader was the admin dashboard's "active in the last 24 hours" count, which now reads users in one pass
-- (about 0.1 s at 200,000 users, when an admin opens the dashboard, against under 1 ms through the index:
-- PgShopFiguresQueryPlanTest);
-- the admin card's "last seen" reads the row by its key. Without it the refresh changes no indexed column and can
-- stay on the row's page (HOT, PgUsersHotUpdateTest), for which new pages of users keep a tenth free.
DROP INDEX IF EXISTS users_last_seen;
ALTER TABLE users SET (fillfactor = 90);
