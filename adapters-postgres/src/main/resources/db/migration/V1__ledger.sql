-- The double-entry, two-phase ledger (shared/reference/ledger.md §4.5).
--
-- What the database enforces by itself:
--   * a wallet's available balance (credits_posted - debits_posted - debits_pending) is never negative (CHECK);
--   * transfer ids are unique (PRIMARY KEY), a hold is resolved at most once (UNIQUE on pending_id);
--   * the entries of a transfer sum to zero per status (statement trigger on every INSERT into ledger_entries);
--   * wallet rows are recognised by the account name (generated column is_wallet), phases and kinds by enums;
--   * transfers, entries and failed transfers are append-only (UPDATE/DELETE raise).
-- All writes go through kb_ledger_record / kb_ledger_expire: one round trip and one transaction per request.
--
-- Entries use signed amounts: a hold puts +P on the pending side of both accounts; resolving it puts -P there
-- and +A (the posted amount, 0 for void/expire) on the posted side. Balances are the fold of the entries:
--   debits_pending  = sum(amount) of D/pending entries,  debits_posted  = sum of D/posted,
--   credits_pending = sum of C/pending,                  credits_posted = sum of C/posted.
--
-- System accounts (revenue, clearing, expense) are touched by every request, so their balance is split over
-- 16 rows ("shards") picked by hashing the transfer (the hold id for a hold and its resolution). A wallet has
-- exactly one row (shard 0), which carries the CHECK. An account's balance is the sum of its rows.

-- Ids and account names compare bytewise (COLLATE "C"): fast, and the same order everywhere.
CREATE TYPE ledger_phase AS ENUM ('POSTED', 'PENDING', 'POST_PENDING', 'VOID_PENDING', 'EXPIRE_PENDING');
CREATE TYPE ledger_kind AS ENUM ('TOP_UP_STARS', 'TOP_UP_MANUAL', 'GRANT', 'WELCOME_BONUS', 'GENERATION', 'REFUND',
    'STARS_REFUND');
CREATE TYPE ledger_direction AS ENUM ('D', 'C');
CREATE TYPE ledger_status AS ENUM ('pending', 'posted');

CREATE TABLE ledger_balances (
    account_id      text COLLATE "C" NOT NULL,
    shard           smallint         NOT NULL,
    is_wallet       boolean          GENERATED ALWAYS AS (left(account_id, 7) = 'wallet:') STORED,
    debits_pending  bigint           NOT NULL DEFAULT 0,
    debits_posted   bigint           NOT NULL DEFAULT 0,
    credits_pending bigint           NOT NULL DEFAULT 0,
    credits_posted  bigint           NOT NULL DEFAULT 0,
    PRIMARY KEY (account_id, shard),
    -- invariant 4: a wallet has one row, whose available balance is never negative
    CONSTRAINT ledger_balances_wallet_available_not_negative
        CHECK (NOT is_wallet OR (shard = 0 AND credits_posted - debits_posted - debits_pending >= 0)),
    CONSTRAINT ledger_balances_pending_not_negative CHECK (debits_pending >= 0 AND credits_pending >= 0)
) WITH (fillfactor = 50);

CREATE TABLE ledger_transfers (
    seq            bigint           GENERATED ALWAYS AS IDENTITY,
    id             text COLLATE "C" NOT NULL PRIMARY KEY,
    debit_account  text COLLATE "C" NOT NULL,
    credit_account text COLLATE "C" NOT NULL,
    amount         bigint           NOT NULL,
    kind           ledger_kind      NOT NULL,
    phase          ledger_phase     NOT NULL,
    pending_id     text COLLATE "C",
    timeout_at     timestamptz,
    created_at     timestamptz      NOT NULL,
    -- a positive amount (0 only when resolving), two different accounts, a hold id exactly on resolutions and
    -- a deadline exactly on holds
    CONSTRAINT ledger_transfers_shape CHECK (
        amount BETWEEN 0 AND 1000000000000
        AND debit_account <> credit_account
        AND (pending_id IS NULL) = (phase <= 'PENDING')
        AND (amount > 0 OR phase > 'PENDING')
        AND (timeout_at IS NULL) = (phase <> 'PENDING'))
);

-- invariant 6: a hold resolves at most once
CREATE UNIQUE INDEX ledger_transfers_resolves_once ON ledger_transfers (pending_id) WHERE pending_id IS NOT NULL;
CREATE INDEX ledger_transfers_debit ON ledger_transfers (debit_account, seq);
CREATE INDEX ledger_transfers_credit ON ledger_transfers (credit_account, seq);

CREATE TABLE ledger_entries (
    transfer_id text COLLATE "C" NOT NULL,
    account_id  text COLLATE "C" NOT NULL,
    direction   ledger_direction NOT NULL,
    status      ledger_status    NOT NULL,
    amount      bigint           NOT NULL CHECK (amount <> 0),
    PRIMARY KEY (transfer_id, direction, status)
);

-- invariant 9: a request that failed for a transient reason (insufficient funds, unknown hold) sticks to its id
CREATE TABLE ledger_failed_transfers (
    id             text COLLATE "C" NOT NULL PRIMARY KEY,
    debit_account  text             NOT NULL,
    credit_account text             NOT NULL,
    amount         bigint           NOT NULL,
    kind           text             NOT NULL,
    phase          text             NOT NULL,
    pending_id     text,
    timeout_at     timestamptz,
    reason         text             NOT NULL,
    created_at     timestamptz      NOT NULL
);

-- Holds not resolved yet: the resolution lock (a resolution deletes its row) and the sweeper's work queue.
CREATE TABLE ledger_open_holds (
    hold_id        text COLLATE "C" NOT NULL PRIMARY KEY,
    debit_account  text COLLATE "C" NOT NULL,
    credit_account text COLLATE "C" NOT NULL,
    amount         bigint           NOT NULL,
    kind           text             NOT NULL,
    timeout_at     timestamptz      NOT NULL
);
CREATE INDEX ledger_open_holds_timeout ON ledger_open_holds (timeout_at, hold_id);

-- invariant 3: immutability
CREATE FUNCTION kb_ledger_append_only() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    RAISE EXCEPTION 'ledger: % is append-only; % refused (corrections are new transfers)', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END
$$;

CREATE TRIGGER ledger_transfers_append_only BEFORE UPDATE OR DELETE ON ledger_transfers
    FOR EACH STATEMENT EXECUTE FUNCTION kb_ledger_append_only();
CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries
    FOR EACH STATEMENT EXECUTE FUNCTION kb_ledger_append_only();
CREATE TRIGGER ledger_failed_transfers_append_only BEFORE UPDATE OR DELETE ON ledger_failed_transfers
    FOR EACH STATEMENT EXECUTE FUNCTION kb_ledger_append_only();

-- invariant 1: every INSERT into ledger_entries is balanced per transfer and status. Entries are never updated or
-- deleted, so every transfer's entries then sum to zero. (One cheap check per statement; that the entries
-- name the transfer's own accounts is ensured by kb_ledger_record, their only writer, and verified by tests.)
CREATE FUNCTION kb_ledger_entries_check() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    IF EXISTS (SELECT 1
               FROM new_entries n
               GROUP BY n.transfer_id, n.status
               HAVING sum(CASE n.direction WHEN 'D' THEN n.amount ELSE -n.amount END) <> 0) THEN
        RAISE EXCEPTION 'ledger: entries of a transfer do not sum to zero'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER ledger_entries_balanced AFTER INSERT ON ledger_entries
    REFERENCING NEW TABLE AS new_entries
    FOR EACH STATEMENT EXECUTE FUNCTION kb_ledger_entries_check();

-- Which balance row of an account a transfer uses: wallets have one; system accounts 16, picked by the hold id
-- (for a hold and its resolution) or the transfer id.
CREATE FUNCTION kb_ledger_shard(p_account text, p_key text) RETURNS smallint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$
SELECT CASE WHEN left(p_account, 7) = 'wallet:' THEN 0 ELSE hashtext(p_key) & 15 END::smallint
$$;

-- One ledger request, atomically: a single-phase transfer (POSTED), a hold (PENDING) or a hold's resolution
-- (POST_PENDING, VOID_PENDING, EXPIRE_PENDING; debit, credit and kind are then taken from the hold).
-- Mirrors dev.kiebot.core.memory.InMemoryLedger: the same checks in the same order, the same reasons.
-- o_outcome is CREATED, EXISTS (o_* describe the stored transfer) or REJECTED (o_reason, o_detail).
CREATE FUNCTION kb_ledger_record(
    p_id text, p_debit text, p_credit text, p_amount bigint, p_kind text, p_phase text, p_pending_id text,
    p_timeout timestamptz, p_now timestamptz,
    OUT o_outcome text, OUT o_reason text, OUT o_detail text,
    OUT o_id text, OUT o_debit text, OUT o_credit text, OUT o_amount bigint, OUT o_kind text, OUT o_phase text,
    OUT o_pending_id text, OUT o_timeout_at timestamptz, OUT o_created_at timestamptz)
    LANGUAGE plpgsql AS
$$
DECLARE
    c_max CONSTANT bigint := 1000000000000;
    v_resolving    boolean := p_phase IN ('POST_PENDING', 'VOID_PENDING', 'EXPIRE_PENDING');
    v_debit        text := p_debit;
    v_credit       text := p_credit;
    v_kind         text := p_kind;
    v_hold_amount  bigint;
    v_hold         ledger_transfers%ROWTYPE;
    v_prior        record;
    v_resolution   text;
    v_key          text := coalesce(p_pending_id, p_id);
    v_dshard       smallint;
    v_cshard       smallint;
    v_pend         bigint;
    v_post         bigint;
    v_check        boolean;
    v_credit_first boolean;
    v_created      boolean := false;
    v_ok           boolean := true;
BEGIN
    -- requests with the same id run one after the other (32-bit hash: a collision only serialises two requests)
    PERFORM pg_advisory_xact_lock(1801, hashtext(p_id));

    -- invariants 8 and 9: the id was recorded or failed before
    SELECT q.recorded, q.debit_account, q.credit_account, q.amount, q.kind, q.phase, q.pending_id, q.timeout_at,
           q.created_at
    INTO v_prior
    FROM (SELECT true AS recorded, t.debit_account::text, t.credit_account::text, t.amount, t.kind::text,
                 t.phase::text, t.pending_id::text, t.timeout_at, t.created_at
          FROM ledger_transfers t
          WHERE t.id = p_id
          UNION ALL
          SELECT false, f.debit_account, f.credit_account, f.amount, f.kind, f.phase, f.pending_id, f.timeout_at,
                 f.created_at
          FROM ledger_failed_transfers f
          WHERE f.id = p_id) q
    LIMIT 1;
    IF FOUND THEN
        IF v_resolving THEN
            -- a resolution's accounts and kind are the hold's ('unknown' when there is no such transfer)
            SELECT * INTO v_hold FROM ledger_transfers t WHERE t.id = p_pending_id;
            IF FOUND THEN
                v_debit := v_hold.debit_account; v_credit := v_hold.credit_account; v_kind := v_hold.kind::text;
            ELSE
                v_debit := 'unknown'; v_credit := 'unknown'; v_kind := 'GENERATION';
            END IF;
        END IF;
        o_outcome := 'REJECTED';
        o_detail := p_id;
        IF v_prior.debit_account = v_debit AND v_prior.credit_account = v_credit AND v_prior.amount = p_amount
            AND v_prior.kind = v_kind AND v_prior.phase = p_phase
            AND v_prior.pending_id IS NOT DISTINCT FROM p_pending_id
            AND v_prior.timeout_at IS NOT DISTINCT FROM p_timeout THEN
            IF v_prior.recorded THEN
                o_outcome := 'EXISTS'; o_detail := NULL;
                o_id := p_id; o_debit := v_debit; o_credit := v_credit; o_amount := p_amount; o_kind := v_kind;
                o_phase := p_phase; o_pending_id := p_pending_id; o_timeout_at := p_timeout;
                o_created_at := v_prior.created_at;
            ELSE
                o_reason := 'ID_ALREADY_FAILED';
            END IF;
        ELSE
            o_reason := 'EXISTS_WITH_DIFFERENT_FIELDS';
        END IF;
        RETURN;
    END IF;

    IF (v_resolving AND (p_amount < 0 OR p_amount > c_max))
        OR (NOT v_resolving AND (p_amount <= 0 OR p_amount > c_max)) THEN
        o_outcome := 'REJECTED'; o_reason := 'INVALID_AMOUNT'; o_detail := p_amount::text;
        RETURN;
    END IF;

    IF v_resolving THEN
        -- invariant 6: whoever deletes the open hold resolves it; a racing resolver waits here, then finds it gone
        DELETE FROM ledger_open_holds h
        WHERE h.hold_id = p_pending_id AND h.amount >= p_amount
        RETURNING h.debit_account, h.credit_account, h.amount, h.kind
            INTO v_debit, v_credit, v_hold_amount, v_kind;
        IF NOT FOUND THEN
            SELECT * INTO v_hold FROM ledger_transfers t WHERE t.id = p_pending_id;
            IF NOT FOUND OR v_hold.phase <> 'PENDING' THEN
                -- sticky (invariant 9)
                INSERT INTO ledger_failed_transfers (id, debit_account, credit_account, amount, kind, phase,
                                                     pending_id, timeout_at, reason, created_at)
                VALUES (p_id, coalesce(v_hold.debit_account, 'unknown'), coalesce(v_hold.credit_account, 'unknown'),
                        p_amount, coalesce(v_hold.kind::text, 'GENERATION'), p_phase, p_pending_id, p_timeout,
                        'HOLD_NOT_FOUND', p_now)
                ON CONFLICT (id) DO NOTHING;
                o_outcome := 'REJECTED'; o_reason := 'HOLD_NOT_FOUND'; o_detail := p_pending_id;
                RETURN;
            END IF;
            SELECT t.phase::text INTO v_resolution FROM ledger_transfers t WHERE t.pending_id = p_pending_id;
            o_outcome := 'REJECTED';
            IF v_resolution IS NOT NULL THEN
                o_reason := CASE v_resolution
                                WHEN 'POST_PENDING' THEN 'ALREADY_POSTED'
                                WHEN 'VOID_PENDING' THEN 'ALREADY_VOIDED'
                                ELSE 'ALREADY_EXPIRED' END;
                o_detail := p_pending_id;
            ELSE
                -- invariant 7
                o_reason := 'EXCEEDS_HOLD_AMOUNT'; o_detail := p_amount || ' > ' || v_hold.amount;
            END IF;
            RETURN;
        END IF;
        v_pend := -v_hold_amount;
        v_post := p_amount;
        v_check := false;
    ELSE
        IF v_debit = v_credit THEN
            o_outcome := 'REJECTED'; o_reason := 'SAME_ACCOUNT'; o_detail := v_debit;
            RETURN;
        END IF;
        IF p_phase = 'PENDING' THEN
            v_pend := p_amount; v_post := 0;
        ELSE
            v_pend := 0; v_post := p_amount;
        END IF;
        -- invariant 4, pessimistic: a wallet pays only from its available balance, holds included
        v_check := left(v_debit, 7) = 'wallet:';
    END IF;

    v_dshard := kb_ledger_shard(v_debit, v_key);
    v_cshard := kb_ledger_shard(v_credit, v_key);
    -- balance rows are locked in one global order, so two requests never deadlock
    v_credit_first := (v_credit COLLATE "C", v_cshard) < (v_debit COLLATE "C", v_dshard);
    FOR v_step IN 1..2
        LOOP
            IF (v_step = 1) = v_credit_first THEN
                UPDATE ledger_balances b
                SET credits_pending = b.credits_pending + v_pend,
                    credits_posted  = b.credits_posted + v_post
                WHERE b.account_id = v_credit AND b.shard = v_cshard;
                IF NOT FOUND THEN
                    INSERT INTO ledger_balances AS b (account_id, shard, credits_pending, credits_posted)
                    VALUES (v_credit, v_cshard, v_pend, v_post)
                    ON CONFLICT (account_id, shard) DO UPDATE
                        SET credits_pending = b.credits_pending + excluded.credits_pending,
                            credits_posted  = b.credits_posted + excluded.credits_posted
                    RETURNING (xmax = 0) INTO v_created;
                END IF;
            ELSE
                UPDATE ledger_balances b
                SET debits_pending = b.debits_pending + v_pend,
                    debits_posted  = b.debits_posted + v_post
                WHERE b.account_id = v_debit AND b.shard = v_dshard
                  AND (NOT v_check OR b.credits_posted - b.debits_posted - b.debits_pending >= p_amount);
                IF NOT FOUND THEN
                    IF v_check THEN
                        v_ok := false;
                        EXIT;
                    END IF;
                    INSERT INTO ledger_balances AS b (account_id, shard, debits_pending, debits_posted)
                    VALUES (v_debit, v_dshard, v_pend, v_post)
                    ON CONFLICT (account_id, shard) DO UPDATE
                        SET debits_pending = b.debits_pending + excluded.debits_pending,
                            debits_posted  = b.debits_posted + excluded.debits_posted;
                END IF;
            END IF;
        END LOOP;
    IF NOT v_ok THEN
        IF v_credit_first THEN
            -- undo the credit side written first
            IF v_created THEN
                DELETE FROM ledger_balances b WHERE b.account_id = v_credit AND b.shard = v_cshard;
            ELSE
                UPDATE ledger_balances b
                SET credits_pending = b.credits_pending - v_pend,
                    credits_posted  = b.credits_posted - v_post
                WHERE b.account_id = v_credit AND b.shard = v_cshard;
            END IF;
        END IF;
        -- sticky (invariant 9)
        INSERT INTO ledger_failed_transfers (id, debit_account, credit_account, amount, kind, phase, pending_id,
                                             timeout_at, reason, created_at)
        VALUES (p_id, v_debit, v_credit, p_amount, v_kind, p_phase, p_pending_id, p_timeout, 'INSUFFICIENT_FUNDS',
                p_now)
        ON CONFLICT (id) DO NOTHING;
        o_outcome := 'REJECTED'; o_reason := 'INSUFFICIENT_FUNDS'; o_detail := v_debit;
        RETURN;
    END IF;

    INSERT INTO ledger_transfers (id, debit_account, credit_account, amount, kind, phase, pending_id, timeout_at,
                                  created_at)
    VALUES (p_id, v_debit, v_credit, p_amount, v_kind::ledger_kind, p_phase::ledger_phase, p_pending_id, p_timeout,
            p_now);
    IF v_pend <> 0 AND v_post <> 0 THEN
        INSERT INTO ledger_entries (transfer_id, account_id, direction, status, amount)
        VALUES (p_id, v_debit, 'D', 'pending', v_pend), (p_id, v_debit, 'D', 'posted', v_post),
               (p_id, v_credit, 'C', 'pending', v_pend), (p_id, v_credit, 'C', 'posted', v_post);
    ELSIF v_pend <> 0 THEN
        INSERT INTO ledger_entries (transfer_id, account_id, direction, status, amount)
        VALUES (p_id, v_debit, 'D', 'pending', v_pend), (p_id, v_credit, 'C', 'pending', v_pend);
    ELSE
        INSERT INTO ledger_entries (transfer_id, account_id, direction, status, amount)
        VALUES (p_id, v_debit, 'D', 'posted', v_post), (p_id, v_credit, 'C', 'posted', v_post);
    END IF;
    IF p_phase = 'PENDING' THEN
        INSERT INTO ledger_open_holds (hold_id, debit_account, credit_account, amount, kind, timeout_at)
        VALUES (p_id, v_debit, v_credit, p_amount, v_kind, p_timeout);
    END IF;

    o_outcome := 'CREATED';
    o_id := p_id; o_debit := v_debit; o_credit := v_credit; o_amount := p_amount; o_kind := v_kind;
    o_phase := p_phase; o_pending_id := p_pending_id; o_timeout_at := p_timeout; o_created_at := p_now;
END
$$;

-- Expires up to p_limit holds whose deadline is at or before p_now (invariant 12). Holds another sweeper is
-- working on are skipped (FOR UPDATE SKIP LOCKED). Returns the ids of the holds expired by this call.
CREATE FUNCTION kb_ledger_expire(p_now timestamptz, p_limit integer) RETURNS SETOF text
    LANGUAGE plpgsql AS
$$
DECLARE
    v_ids     text[];
    v_id      text;
    v_outcome text;
BEGIN
    SELECT array_agg(d.hold_id ORDER BY d.timeout_at, d.hold_id)
    INTO v_ids
    FROM (SELECT h.hold_id, h.timeout_at
          FROM ledger_open_holds h
          WHERE h.timeout_at <= p_now
          ORDER BY h.timeout_at, h.hold_id
          LIMIT p_limit FOR UPDATE SKIP LOCKED) d;
    IF v_ids IS NULL THEN
        RETURN;
    END IF;
    -- take every balance row this batch needs in the global order first (no deadlock with single requests)
    PERFORM 1
    FROM ledger_balances b
    WHERE (b.account_id, b.shard) IN (SELECT h.debit_account, kb_ledger_shard(h.debit_account, h.hold_id)
                                      FROM ledger_open_holds h WHERE h.hold_id = ANY (v_ids)
                                      UNION
                                      SELECT h.credit_account, kb_ledger_shard(h.credit_account, h.hold_id)
                                      FROM ledger_open_holds h WHERE h.hold_id = ANY (v_ids))
    ORDER BY b.account_id, b.shard
    FOR UPDATE OF b;
    FOREACH v_id IN ARRAY v_ids
        LOOP
            SELECT r.o_outcome INTO v_outcome
            FROM kb_ledger_record('expire:' || v_id, NULL, NULL, 0, NULL, 'EXPIRE_PENDING', v_id, NULL, p_now) r;
            IF v_outcome = 'CREATED' THEN
                RETURN NEXT v_id;
            END IF;
        END LOOP;
END
$$;
