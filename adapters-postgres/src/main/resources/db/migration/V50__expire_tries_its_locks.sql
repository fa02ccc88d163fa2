-- The sweeper of holds past their deadline (kb_ledger_expire, V1) took its open holds' rows first (SKIP LOCKED) and
-- only then, in kb_ledger_record_batch, the advisory lock of each expiry's id (1801, hashtext('expire:<hold>')),
-- waiting for it: against the ledger's lock order (V1: the advisory locks first, then the open holds' rows). A
-- Telegram report of a Stars refund holds the post, void and expiry locks of the user's running holds from before it
-- reads the wallet (TopUps.awaitHoldsResolving) and may then post one (an admin's refund of the charge, its hold past
-- its deadline): the sweeper, holding that hold's row, waited for the report's expiry lock, the report's post waited
-- for the sweeper's row, and PostgreSQL aborted the sweeper after deadlock_timeout (40P01, an ERROR in the server's
-- log, a second lost; its retry found the hold posted). Now the sweeper waits for neither: per due hold, oldest first,
-- it tries the expiry's lock (pg_try_advisory_xact_lock) and then the row (SKIP LOCKED), and leaves a hold it cannot
-- have both of now to a later sweep. kb_ledger_record_batch then takes the lock it already holds again (no wait) and
-- the rows it holds; only the balance rows are waited for, in the global order. A lock tried and held while the row
-- was skipped (a resolver has the row: the hold is going) stays till this transaction ends; only another sweeper and
-- a report's awaitHoldsResolving take that lock, and neither holds a balance row then.
-- Same signature and result (CREATE OR REPLACE): re-applicable, and the build before calls it unchanged.
CREATE OR REPLACE FUNCTION kb_ledger_expire(p_now timestamptz, p_limit integer) RETURNS SETOF text
    LANGUAGE plpgsql AS
$$
DECLARE
    v_ids  text[] := '{}';
    v_hold text;
    v_n    integer;
BEGIN
    IF p_limit IS NULL OR p_limit <= 0 THEN
        RETURN;
    END IF;
    -- a cursor: read as far as the holds taken need (a skipped hold costs one more row)
    FOR v_hold IN
        SELECT h.hold_id
        FROM ledger_open_holds h
        WHERE h.timeout_at <= p_now
        ORDER BY h.timeout_at, h.hold_id
        LOOP
            -- (1) the expiry's advisory lock, tried; (2) the open hold's row, skipped when locked (its resolver's or
            -- another sweeper's) or gone since the cursor read it
            CONTINUE WHEN NOT pg_try_advisory_xact_lock(1801, hashtext('expire:' || v_hold));
            PERFORM 1
            FROM ledger_open_holds h
            WHERE h.hold_id = v_hold AND h.timeout_at <= p_now
                FOR UPDATE SKIP LOCKED;
            IF FOUND THEN
                v_ids := v_ids || v_hold;
                EXIT WHEN cardinality(v_ids) >= p_limit;
            END IF;
        END LOOP;
    v_n := cardinality(v_ids);
    IF v_n = 0 THEN
        RETURN;
    END IF;
    -- one batch: it takes the balance rows in the global lock order itself
    RETURN QUERY
        SELECT r.o_pending_id
        FROM kb_ledger_record_batch(
                     ARRAY(SELECT 'expire:' || x FROM unnest(v_ids) WITH ORDINALITY AS u(x, o) ORDER BY u.o),
                     array_fill(NULL::text, ARRAY [v_n]), array_fill(NULL::text, ARRAY [v_n]),
                     array_fill(0::bigint, ARRAY [v_n]), array_fill(NULL::text, ARRAY [v_n]),
                     array_fill('EXPIRE_PENDING'::text, ARRAY [v_n]), v_ids,
                     array_fill(NULL::timestamptz, ARRAY [v_n]), array_fill(p_now, ARRAY [v_n])) r
        WHERE r.o_outcome = 'CREATED';
END
$$;
