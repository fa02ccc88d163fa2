-- A sent reply settled in one round trip (PgPendingReplies.done): the chat's row locked while the lease is still the
-- caller's, the reply deleted, the head moved to the chat's oldest remaining reply, the pacing stored, the lease
-- ended. As two statements in a transaction of their own this cost three round trips a reply (BEGIN with the lock,
-- the settle, COMMIT).
--
-- Returns whether the chat has more replies; NULL when the lease is no longer the caller's (it ended, and the chat
-- may be another sender's now: the late word changes nothing). A reply already gone (the chat was dropped) still
-- ends the lease.
--
-- PL/pgSQL and the lock first, in a statement of its own: under READ COMMITTED each statement of a VOLATILE
-- function takes a fresh snapshot, so the statement after the lock reads the chat's replies after every append that
-- held the row before it has committed. As one statement (a single UPDATE) a settle that waited for an append's lock
-- re-checks only the chat's row and computes the head from replies read before that append: its reply, the chat's
-- only one, would be left without a head and never sent.
--
-- No search_path of its own: like every statement of the bot (and the ledger's functions), it reads the tables the
-- caller's search_path names, which is kiebot's schema on every connection (DATABASE_SCHEMA or the default), the
-- schema this function was found in (a path pinned here would still name a schema after it was renamed).
CREATE FUNCTION outbox_settle(p_chat bigint, p_lease timestamptz, p_sent bigint, p_tokens double precision,
                              p_refilled timestamptz, p_due timestamptz) RETURNS boolean
    LANGUAGE plpgsql VOLATILE AS
$$
DECLARE
    more boolean;
BEGIN
    PERFORM 1 FROM outbox_chats WHERE chat_id = p_chat AND leased_until = p_lease FOR UPDATE;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    -- the delete and the head in one statement, which does not see its own delete: hence n.id <> p_sent
    WITH sent AS (DELETE FROM outbox WHERE id = p_sent)
    UPDATE outbox_chats c
    SET head_id      = (SELECT min(n.id) FROM outbox n WHERE n.chat_id = p_chat AND n.id <> p_sent),
        tokens       = p_tokens,
        refilled_at  = p_refilled,
        due_at       = p_due,
        leased_until = NULL
    WHERE c.chat_id = p_chat
    RETURNING c.head_id IS NOT NULL INTO more;
    RETURN more;
END
$$;
