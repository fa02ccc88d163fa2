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

-- A batch of ledger requests in one transaction (group commit, see PgLedgerBatcher): each request is a
-- single-phase transfer (POSTED), a hold (PENDING) or a hold's resolution (POST_PENDING, VOID_PENDING,
-- EXPIRE_PENDING; debit, credit and kind are then taken from the hold). Requests are decided one after the other,
-- in array order, exactly as if each ran alone in that order: a rejection is a result row, never an abort, so
-- every request gets its own outcome. One row per request, in order:
-- o_outcome is CREATED, EXISTS (o_* describe the stored transfer) or REJECTED (o_reason, o_detail).
-- Mirrors dev.kiebot.core.memory.InMemoryLedger: the same checks in the same order, the same reasons.
--
-- Why it is fast: statement count is what costs in PL/pgSQL (executor start-up, CHECK expressions re-read per
-- statement, the zero-sum trigger per INSERT), so per request only what decides the outcome runs one by one
-- (the wallet's conditional update; the open-hold delete of a resolution). Everything else is written once per
-- batch, set-based: transfers, entries (one zero-sum trigger run), open holds, failed ids and the system
-- accounts' balance deltas (system accounts have no balance rule, so deferring them changes no decision).
-- A request naming an id or hold id that an earlier request of the batch wrote first flushes those pending
-- writes, so it sees them exactly as it would have after a commit.
CREATE FUNCTION kb_ledger_record_batch(
    p_ids text[], p_debits text[], p_credits text[], p_amounts bigint[], p_kinds text[], p_phases text[],
    p_pending_ids text[], p_timeouts timestamptz[], p_nows timestamptz[])
    RETURNS TABLE (o_outcome text, o_reason text, o_detail text,
                   o_id text, o_debit text, o_credit text, o_amount bigint, o_kind text, o_phase text,
                   o_pending_id text, o_timeout_at timestamptz, o_created_at timestamptz)
    LANGUAGE plpgsql
    -- The statements take arrays; a custom plan would be re-planned on every call (planning costs more than
    -- running them), and a generic plan, which estimates 10 rows per array, may pick hash joins over
    -- sequential scans. Keyed look-ups are what every statement here needs: index scans, nested loops.
    SET plan_cache_mode = force_generic_plan
    SET enable_seqscan = off
    SET enable_hashjoin = off
    SET enable_mergejoin = off
AS
$$
DECLARE
    c_max CONSTANT bigint := 1000000000000;
    n             integer := coalesce(array_length(p_ids, 1), 0);
    -- the request being decided
    v_id          text;
    v_phase       text;
    v_pending_id  text;
    v_amount      bigint;
    v_timeout     timestamptz;
    v_now         timestamptz;
    v_resolving   boolean;
    v_debit       text;
    v_credit      text;
    v_kind        text;
    v_hold_amount bigint;
    v_hold        ledger_transfers%ROWTYPE;
    v_resolution  text;
    v_key         text;
    v_pend        bigint;
    v_post        bigint;
    v_k           integer;
    -- what was recorded or failed before under the request's id (invariants 8 and 9)
    r_found       boolean;
    r_recorded    boolean;
    r_debit       text;
    r_credit      text;
    r_amount      bigint;
    r_kind        text;
    r_phase       text;
    r_pending_id  text;
    r_timeout     timestamptz;
    r_created     timestamptz;
    -- the same, read for the whole batch up front (valid for an id no earlier request of the batch used)
    pf_id         text[];
    pf_recorded   boolean[];
    pf_debit      text[];
    pf_credit     text[];
    pf_amount     bigint[];
    pf_kind       text[];
    pf_phase      text[];
    pf_pending_id text[];
    pf_timeout    timestamptz[];
    pf_created    timestamptz[];
    -- ids of earlier requests of the batch (their rows may be unwritten or newer than the prefetch)
    v_seen        text[]        := '{}';
    -- ids and hold ids of the requests since the last flush: naming one of them needs a flush first
    v_keys        text[]        := '{}';
    -- pending writes: transfers (t_), failed ids (f_), system accounts' balance deltas (s_)
    t_id          text[]        := '{}';
    t_debit       text[]        := '{}';
    t_credit      text[]        := '{}';
    t_amount      bigint[]      := '{}';
    t_kind        text[]        := '{}';
    t_phase       text[]        := '{}';
    t_pending_id  text[]        := '{}';
    t_timeout     timestamptz[] := '{}';
    t_now         timestamptz[] := '{}';
    t_pend        bigint[]      := '{}';
    t_post        bigint[]      := '{}';
    f_id          text[]        := '{}';
    f_debit       text[]        := '{}';
    f_credit      text[]        := '{}';
    f_amount      bigint[]      := '{}';
    f_kind        text[]        := '{}';
    f_phase       text[]        := '{}';
    f_pending_id  text[]        := '{}';
    f_timeout     timestamptz[] := '{}';
    f_reason      text[]        := '{}';
    f_now         timestamptz[] := '{}';
    s_account     text[]        := '{}';
    s_shard       smallint[]    := '{}';
    s_dp          bigint[]      := '{}';
    s_dpo         bigint[]      := '{}';
    s_cp          bigint[]      := '{}';
    s_cpo         bigint[]      := '{}';
BEGIN
    IF n = 0 THEN
        RETURN;
    END IF;
    -- requests with the same id run one after the other, across batches and instances (32-bit hash: a
    -- collision only serialises two requests); taken in one global order, so batches never deadlock on them
    PERFORM pg_advisory_xact_lock(1801, s.k)
    FROM (SELECT DISTINCT hashtext(x) AS k FROM unnest(p_ids) x ORDER BY 1) s;

    -- Lock order, the same for every transaction that writes the ledger, so none deadlock: (1) the advisory
    -- locks above, (2) the open holds being resolved, (3) the wallet rows, (4) the system accounts' rows, taken
    -- only when the batch writes them at its end (so that concurrent batches, which mostly share the revenue
    -- rows, overlap instead of queueing). Within each step rows are taken in sorted order. (The sweeper takes
    -- its open holds first, with SKIP LOCKED, and never waits for them.)
    PERFORM 1
    FROM ledger_open_holds h
    WHERE h.hold_id = ANY (p_pending_ids)
    ORDER BY h.hold_id
    FOR UPDATE;
    -- a resolution's accounts are its open hold's
    PERFORM 1
    FROM ledger_balances b
    WHERE b.shard = 0
      AND b.account_id IN (
        SELECT a.account
        FROM (SELECT coalesce(r.debit, h.debit_account) AS d, coalesce(r.credit, h.credit_account) AS c
              FROM unnest(p_debits, p_credits, p_pending_ids) AS r(debit, credit, pending_id)
                       LEFT JOIN ledger_open_holds h ON h.hold_id = r.pending_id) q
                 CROSS JOIN LATERAL (VALUES (q.d), (q.c)) AS a(account)
        WHERE left(a.account, 7) = 'wallet:')
    ORDER BY b.account_id
    FOR UPDATE OF b;

    -- invariants 8 and 9: what the ids recorded or failed before (one look-up for the batch)
    SELECT array_agg(q.id), array_agg(q.recorded), array_agg(q.debit_account), array_agg(q.credit_account),
           array_agg(q.amount), array_agg(q.kind), array_agg(q.phase), array_agg(q.pending_id),
           array_agg(q.timeout_at), array_agg(q.created_at)
    INTO pf_id, pf_recorded, pf_debit, pf_credit, pf_amount, pf_kind, pf_phase, pf_pending_id, pf_timeout,
        pf_created
    FROM (SELECT t.id::text, true AS recorded, t.debit_account::text, t.credit_account::text, t.amount,
                 t.kind::text, t.phase::text, t.pending_id::text, t.timeout_at, t.created_at
          FROM ledger_transfers t
          WHERE t.id = ANY (p_ids)
          UNION ALL
          SELECT f.id::text, false, f.debit_account, f.credit_account, f.amount, f.kind, f.phase, f.pending_id,
                 f.timeout_at, f.created_at
          FROM ledger_failed_transfers f
          WHERE f.id = ANY (p_ids)) q;

    -- one pass more than there are requests: the last one only flushes
    FOR i IN 1..n + 1
        LOOP
            IF i <= n THEN
                v_id := p_ids[i];
                v_pending_id := p_pending_ids[i];
            END IF;
            IF i > n OR v_id = ANY (v_keys) OR v_pending_id = ANY (v_keys) THEN
                -- flush: write what the requests since the last flush decided
                IF cardinality(t_id) > 0 THEN
                    INSERT INTO ledger_transfers (id, debit_account, credit_account, amount, kind, phase, pending_id,
                                                  timeout_at, created_at)
                    SELECT u.id, u.debit, u.credit, u.amount, u.kind::ledger_kind, u.phase::ledger_phase,
                           u.pending_id, u.timeout, u.now
                    FROM unnest(t_id, t_debit, t_credit, t_amount, t_kind, t_phase, t_pending_id, t_timeout, t_now)
                             WITH ORDINALITY AS u(id, debit, credit, amount, kind, phase, pending_id, timeout, now,
                                                  ord)
                    ORDER BY u.ord;
                    -- signed entries (see the top of this file); one statement, so one zero-sum check
                    INSERT INTO ledger_entries (transfer_id, account_id, direction, status, amount)
                    SELECT u.id, CASE e.direction WHEN 'D' THEN u.debit ELSE u.credit END, e.direction::ledger_direction,
                           e.status::ledger_status, CASE e.status WHEN 'pending' THEN u.pend ELSE u.post END
                    FROM unnest(t_id, t_debit, t_credit, t_pend, t_post) AS u(id, debit, credit, pend, post)
                             CROSS JOIN (VALUES ('D', 'pending'), ('C', 'pending'), ('D', 'posted'),
                                                ('C', 'posted')) AS e(direction, status)
                    WHERE CASE e.status WHEN 'pending' THEN u.pend ELSE u.post END <> 0;
                    INSERT INTO ledger_open_holds (hold_id, debit_account, credit_account, amount, kind, timeout_at)
                    SELECT u.id, u.debit, u.credit, u.amount, u.kind, u.timeout
                    FROM unnest(t_id, t_debit, t_credit, t_amount, t_kind, t_phase, t_timeout)
                             AS u(id, debit, credit, amount, kind, phase, timeout)
                    WHERE u.phase = 'PENDING';
                END IF;
                IF cardinality(f_id) > 0 THEN
                    INSERT INTO ledger_failed_transfers (id, debit_account, credit_account, amount, kind, phase,
                                                         pending_id, timeout_at, reason, created_at)
                    SELECT *
                    FROM unnest(f_id, f_debit, f_credit, f_amount, f_kind, f_phase, f_pending_id, f_timeout,
                                f_reason, f_now)
                    ON CONFLICT (id) DO NOTHING;
                END IF;
                IF cardinality(s_account) > 0 THEN
                    -- lock step (4), in sorted order; a missing row (first use of a shard) is inserted below
                    PERFORM 1
                    FROM (SELECT DISTINCT x.a, x.s FROM unnest(s_account, s_shard) AS x(a, s)) k
                             JOIN ledger_balances b ON b.account_id = k.a AND b.shard = k.s
                    ORDER BY k.a, k.s
                    FOR UPDATE OF b;
                    WITH d AS (SELECT x.a, x.s, sum(x.dp) AS dp, sum(x.dpo) AS dpo, sum(x.cp) AS cp,
                                      sum(x.cpo) AS cpo
                               FROM unnest(s_account, s_shard, s_dp, s_dpo, s_cp, s_cpo) AS x(a, s, dp, dpo, cp, cpo)
                               GROUP BY x.a, x.s),
                         u AS (UPDATE ledger_balances b
                             SET debits_pending  = b.debits_pending + d.dp,
                                 debits_posted   = b.debits_posted + d.dpo,
                                 credits_pending = b.credits_pending + d.cp,
                                 credits_posted  = b.credits_posted + d.cpo
                             FROM d
                             WHERE b.account_id = d.a AND b.shard = d.s
                             RETURNING b.account_id, b.shard)
                    INSERT INTO ledger_balances AS b (account_id, shard, debits_pending, debits_posted, credits_pending,
                                                      credits_posted)
                    SELECT d.a, d.s, d.dp, d.dpo, d.cp, d.cpo
                    FROM d
                    WHERE NOT EXISTS (SELECT 1 FROM u WHERE u.account_id = d.a AND u.shard = d.s)
                    ON CONFLICT (account_id, shard) DO UPDATE
                        SET debits_pending  = b.debits_pending + excluded.debits_pending,
                            debits_posted   = b.debits_posted + excluded.debits_posted,
                            credits_pending = b.credits_pending + excluded.credits_pending,
                            credits_posted  = b.credits_posted + excluded.credits_posted;
                END IF;
                t_id := '{}'; t_debit := '{}'; t_credit := '{}'; t_amount := '{}'; t_kind := '{}'; t_phase := '{}';
                t_pending_id := '{}'; t_timeout := '{}'; t_now := '{}'; t_pend := '{}'; t_post := '{}';
                f_id := '{}'; f_debit := '{}'; f_credit := '{}'; f_amount := '{}'; f_kind := '{}'; f_phase := '{}';
                f_pending_id := '{}'; f_timeout := '{}'; f_reason := '{}'; f_now := '{}';
                s_account := '{}'; s_shard := '{}'; s_dp := '{}'; s_dpo := '{}'; s_cp := '{}'; s_cpo := '{}';
                v_keys := '{}';
                EXIT WHEN i > n;
            END IF;

            v_phase := p_phases[i];
            v_amount := p_amounts[i];
            v_timeout := p_timeouts[i];
            v_now := p_nows[i];
            v_debit := p_debits[i];
            v_credit := p_credits[i];
            v_kind := p_kinds[i];
            v_resolving := v_phase IN ('POST_PENDING', 'VOID_PENDING', 'EXPIRE_PENDING');
            v_keys := v_keys || v_id || v_pending_id;
            o_outcome := 'REJECTED'; o_reason := NULL; o_detail := NULL;
            o_id := NULL; o_debit := NULL; o_credit := NULL; o_amount := NULL; o_kind := NULL; o_phase := NULL;
            o_pending_id := NULL; o_timeout_at := NULL; o_created_at := NULL;

            -- invariants 8 and 9: the id was recorded or failed before
            IF v_id = ANY (v_seen) THEN
                -- an earlier request of this batch used the id: its rows are flushed by now, read them
                SELECT true, q.recorded, q.debit_account, q.credit_account, q.amount, q.kind, q.phase, q.pending_id,
                       q.timeout_at, q.created_at
                INTO r_found, r_recorded, r_debit, r_credit, r_amount, r_kind, r_phase, r_pending_id, r_timeout,
                    r_created
                FROM (SELECT true AS recorded, t.debit_account::text, t.credit_account::text, t.amount, t.kind::text,
                             t.phase::text, t.pending_id::text, t.timeout_at, t.created_at
                      FROM ledger_transfers t
                      WHERE t.id = v_id
                      UNION ALL
                      SELECT false, f.debit_account, f.credit_account, f.amount, f.kind, f.phase, f.pending_id,
                             f.timeout_at, f.created_at
                      FROM ledger_failed_transfers f
                      WHERE f.id = v_id) q
                LIMIT 1;
                r_found := FOUND;
            ELSE
                v_k := array_position(pf_id, v_id);
                r_found := v_k IS NOT NULL;
                IF r_found THEN
                    r_recorded := pf_recorded[v_k]; r_debit := pf_debit[v_k]; r_credit := pf_credit[v_k];
                    r_amount := pf_amount[v_k]; r_kind := pf_kind[v_k]; r_phase := pf_phase[v_k];
                    r_pending_id := pf_pending_id[v_k]; r_timeout := pf_timeout[v_k]; r_created := pf_created[v_k];
                END IF;
            END IF;
            v_seen := v_seen || v_id;
            IF r_found THEN
                IF v_resolving THEN
                    -- a resolution's accounts and kind are the hold's ('unknown' when there is no such transfer)
                    SELECT * INTO v_hold FROM ledger_transfers t WHERE t.id = v_pending_id;
                    IF FOUND THEN
                        v_debit := v_hold.debit_account; v_credit := v_hold.credit_account; v_kind := v_hold.kind::text;
                    ELSE
                        v_debit := 'unknown'; v_credit := 'unknown'; v_kind := 'GENERATION';
                    END IF;
                END IF;
                o_detail := v_id;
                IF r_debit = v_debit AND r_credit = v_credit AND r_amount = v_amount AND r_kind = v_kind
                    AND r_phase = v_phase AND r_pending_id IS NOT DISTINCT FROM v_pending_id
                    AND r_timeout IS NOT DISTINCT FROM v_timeout THEN
                    IF r_recorded THEN
                        o_outcome := 'EXISTS'; o_detail := NULL;
                        o_id := v_id; o_debit := v_debit; o_credit := v_credit; o_amount := v_amount; o_kind := v_kind;
                        o_phase := v_phase; o_pending_id := v_pending_id; o_timeout_at := v_timeout;
                        o_created_at := r_created;
                    ELSE
                        o_reason := 'ID_ALREADY_FAILED';
                    END IF;
                ELSE
                    o_reason := 'EXISTS_WITH_DIFFERENT_FIELDS';
                END IF;
                RETURN NEXT;
                CONTINUE;
            END IF;

            IF (v_resolving AND (v_amount < 0 OR v_amount > c_max))
                OR (NOT v_resolving AND (v_amount <= 0 OR v_amount > c_max)) THEN
                o_reason := 'INVALID_AMOUNT'; o_detail := v_amount::text;
                RETURN NEXT;
                CONTINUE;
            END IF;

            IF v_resolving THEN
                -- invariant 6: whoever deletes the open hold resolves it; a racing resolver waits here, then finds
                -- it gone
                DELETE FROM ledger_open_holds h
                WHERE h.hold_id = v_pending_id AND h.amount >= v_amount
                RETURNING h.debit_account, h.credit_account, h.amount, h.kind
                    INTO v_debit, v_credit, v_hold_amount, v_kind;
                IF NOT FOUND THEN
                    SELECT * INTO v_hold FROM ledger_transfers t WHERE t.id = v_pending_id;
                    IF NOT FOUND OR v_hold.phase <> 'PENDING' THEN
                        -- sticky (invariant 9)
                        f_id := f_id || v_id;
                        f_debit := f_debit || coalesce(v_hold.debit_account, 'unknown')::text;
                        f_credit := f_credit || coalesce(v_hold.credit_account, 'unknown')::text;
                        f_amount := f_amount || v_amount;
                        f_kind := f_kind || coalesce(v_hold.kind::text, 'GENERATION');
                        f_phase := f_phase || v_phase;
                        f_pending_id := f_pending_id || v_pending_id;
                        f_timeout := f_timeout || v_timeout;
                        f_reason := f_reason || 'HOLD_NOT_FOUND'::text;
                        f_now := f_now || v_now;
                        o_reason := 'HOLD_NOT_FOUND'; o_detail := v_pending_id;
                        RETURN NEXT;
                        CONTINUE;
                    END IF;
                    SELECT t.phase::text INTO v_resolution FROM ledger_transfers t WHERE t.pending_id = v_pending_id;
                    IF FOUND THEN
                        o_reason := CASE v_resolution
                                        WHEN 'POST_PENDING' THEN 'ALREADY_POSTED'
                                        WHEN 'VOID_PENDING' THEN 'ALREADY_VOIDED'
                                        ELSE 'ALREADY_EXPIRED' END;
                        o_detail := v_pending_id;
                    ELSE
                        -- invariant 7
                        o_reason := 'EXCEEDS_HOLD_AMOUNT'; o_detail := v_amount || ' > ' || v_hold.amount;
                    END IF;
                    RETURN NEXT;
                    CONTINUE;
                END IF;
                v_pend := -v_hold_amount;
                v_post := v_amount;
            ELSE
                IF v_debit = v_credit THEN
                    o_reason := 'SAME_ACCOUNT'; o_detail := v_debit;
                    RETURN NEXT;
                    CONTINUE;
                END IF;
                IF v_phase = 'PENDING' THEN
                    v_pend := v_amount; v_post := 0;
                ELSE
                    v_pend := 0; v_post := v_amount;
                END IF;
            END IF;
            v_key := coalesce(v_pending_id, v_id);

            -- the debit side first: a wallet's row is written now (a later request may spend from it)
            IF left(v_debit, 7) = 'wallet:' THEN
                -- invariant 4, pessimistic: a wallet pays only from its available balance, holds included
                -- (a resolution only moves what its hold reserved)
                UPDATE ledger_balances b
                SET debits_pending = b.debits_pending + v_pend,
                    debits_posted  = b.debits_posted + v_post
                WHERE b.account_id = v_debit AND b.shard = 0
                  AND (v_resolving OR b.credits_posted - b.debits_posted - b.debits_pending >= v_amount);
                IF NOT FOUND THEN
                    IF NOT v_resolving THEN
                        -- sticky (invariant 9)
                        f_id := f_id || v_id;
                        f_debit := f_debit || v_debit;
                        f_credit := f_credit || v_credit;
                        f_amount := f_amount || v_amount;
                        f_kind := f_kind || v_kind;
                        f_phase := f_phase || v_phase;
                        f_pending_id := f_pending_id || v_pending_id;
                        f_timeout := f_timeout || v_timeout;
                        f_reason := f_reason || 'INSUFFICIENT_FUNDS'::text;
                        f_now := f_now || v_now;
                        o_reason := 'INSUFFICIENT_FUNDS'; o_detail := v_debit;
                        RETURN NEXT;
                        CONTINUE;
                    END IF;
                    RAISE EXCEPTION 'ledger: balance row of % missing for hold %', v_debit, v_pending_id
                        USING ERRCODE = 'internal_error';
                END IF;
            ELSE
                s_account := s_account || v_debit;
                s_shard := s_shard || kb_ledger_shard(v_debit, v_key);
                s_dp := s_dp || v_pend; s_dpo := s_dpo || v_post; s_cp := s_cp || 0::bigint; s_cpo := s_cpo || 0::bigint;
            END IF;
            IF left(v_credit, 7) = 'wallet:' THEN
                UPDATE ledger_balances b
                SET credits_pending = b.credits_pending + v_pend,
                    credits_posted  = b.credits_posted + v_post
                WHERE b.account_id = v_credit AND b.shard = 0;
                IF NOT FOUND THEN
                    INSERT INTO ledger_balances AS b (account_id, shard, credits_pending, credits_posted)
                    VALUES (v_credit, 0, v_pend, v_post)
                    ON CONFLICT (account_id, shard) DO UPDATE
                        SET credits_pending = b.credits_pending + excluded.credits_pending,
                            credits_posted  = b.credits_posted + excluded.credits_posted;
                END IF;
            ELSE
                s_account := s_account || v_credit;
                s_shard := s_shard || kb_ledger_shard(v_credit, v_key);
                s_dp := s_dp || 0::bigint; s_dpo := s_dpo || 0::bigint; s_cp := s_cp || v_pend; s_cpo := s_cpo || v_post;
            END IF;

            t_id := t_id || v_id;
            t_debit := t_debit || v_debit;
            t_credit := t_credit || v_credit;
            t_amount := t_amount || v_amount;
            t_kind := t_kind || v_kind;
            t_phase := t_phase || v_phase;
            t_pending_id := t_pending_id || v_pending_id;
            t_timeout := t_timeout || v_timeout;
            t_now := t_now || v_now;
            t_pend := t_pend || v_pend;
            t_post := t_post || v_post;
            o_outcome := 'CREATED';
            o_id := v_id; o_debit := v_debit; o_credit := v_credit; o_amount := v_amount; o_kind := v_kind;
            o_phase := v_phase; o_pending_id := v_pending_id; o_timeout_at := v_timeout; o_created_at := v_now;
            RETURN NEXT;
        END LOOP;
END
$$;

-- One ledger request alone (a batch of one); for ad-hoc SQL and tools.
CREATE FUNCTION kb_ledger_record(
    p_id text, p_debit text, p_credit text, p_amount bigint, p_kind text, p_phase text, p_pending_id text,
    p_timeout timestamptz, p_now timestamptz)
    RETURNS TABLE (o_outcome text, o_reason text, o_detail text,
                   o_id text, o_debit text, o_credit text, o_amount bigint, o_kind text, o_phase text,
                   o_pending_id text, o_timeout_at timestamptz, o_created_at timestamptz)
    LANGUAGE sql AS
$$
SELECT *
FROM kb_ledger_record_batch(ARRAY [p_id], ARRAY [p_debit], ARRAY [p_credit], ARRAY [p_amount], ARRAY [p_kind],
                            ARRAY [p_phase], ARRAY [p_pending_id], ARRAY [p_timeout], ARRAY [p_now])
$$;

-- Expires up to p_limit holds whose deadline is at or before p_now (invariant 12). Holds another sweeper is
-- working on are skipped (FOR UPDATE SKIP LOCKED). Returns the ids of the holds expired by this call.
CREATE FUNCTION kb_ledger_expire(p_now timestamptz, p_limit integer) RETURNS SETOF text
    LANGUAGE plpgsql AS
$$
DECLARE
    v_ids text[];
    v_n   integer;
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
    v_n := cardinality(v_ids);
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
