package dev.kiebot.postgres;

import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.Balance;
import dev.kiebot.core.ledger.HoldState;
import dev.kiebot.core.ledger.Ledger;
import dev.kiebot.core.ledger.LedgerResult;
import dev.kiebot.core.ledger.Phase;
import dev.kiebot.core.ledger.PostedTotal;
import dev.kiebot.core.ledger.Transfer;
import dev.kiebot.core.ledger.TransferKind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/**
 * The ledger in PostgreSQL (schema and rules: {@code db/migration/V1__ledger.sql}). Requests go through
 * {@link GroupCommit}: concurrent requests run together, up to {@link GroupCommit#MAX_BATCH} in one call of
 * {@code kb_ledger_record_batch} (one round trip, one transaction), which decides them one after the other,
 * each with its own result. Same semantics as {@code InMemoryLedger}; passes {@code LedgerContract}.
 */
public final class PgLedger implements Ledger {
    private static final String RECORD_BATCH = "SELECT * FROM kb_ledger_record_batch(?, ?, ?, ?::bigint[], ?, ?, ?, "
            + "?::timestamptz[], ?::timestamptz[])";
    private static final String TRANSFER_COLUMNS =
            "id, debit_account, credit_account, amount, kind, phase, pending_id, timeout_at, created_at";

    private final Jdbi jdbi;
    private final DataSource dataSource;
    private final Clock clock;
    private final GroupCommit<Request, LedgerResult> batcher;

    /** One ledger request, as the batch function takes it (null where the phase has no such field). */
    private record Request(String id, String debit, String credit, long amount, String kind, Phase phase,
                           String pendingId, Instant timeoutAt, Instant now) {
    }

    /** The ledger on {@code database}'s pool, reading time from {@code clock}. */
    public PgLedger(Database database, Clock clock) {
        this(database.jdbi(), database.dataSource(), clock);
    }

    /**
     * @param jdbi       for queries
     * @param dataSource the same database's pool: requests use it directly (plain JDBC, one round trip a batch)
     */
    public PgLedger(Jdbi jdbi, DataSource dataSource, Clock clock) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.batcher = new GroupCommit<>(
                requests -> Sql.retrying("ledger batch", () -> runBatch(requests)),
                request -> Sql.retrying("ledger " + request.phase(), () -> runBatch(List.of(request)).get(0)));
    }

    @Override
    public LedgerResult transfer(String id, AccountId debit, AccountId credit, long amount, TransferKind kind) {
        return record(id, debit.value(), credit.value(), amount, kind.name(), Phase.POSTED, null, null);
    }

    @Override
    public LedgerResult hold(String id, AccountId debit, AccountId credit, long amount, TransferKind kind,
                             Instant timeoutAt) {
        Objects.requireNonNull(timeoutAt, "timeoutAt");
        return record(id, debit.value(), credit.value(), amount, kind.name(), Phase.PENDING, null, timeoutAt);
    }

    @Override
    public LedgerResult post(String id, String holdId, long amount) {
        return record(id, null, null, amount, null, Phase.POST_PENDING, Objects.requireNonNull(holdId), null);
    }

    @Override
    public LedgerResult voidHold(String id, String holdId) {
        return record(id, null, null, 0, null, Phase.VOID_PENDING, Objects.requireNonNull(holdId), null);
    }

    @Override
    public List<String> expire(Instant now, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        return Sql.retrying("ledger expire", () -> jdbi.withHandle(h -> h
                .createQuery("SELECT * FROM kb_ledger_expire(:now, :limit)")
                .bind("now", Sql.ts(now))
                .bind("limit", limit)
                .mapTo(String.class)
                .list()));
    }

    private LedgerResult record(String id, String debit, String credit, long amount, String kind, Phase phase,
                                String pendingId, Instant timeoutAt) {
        Objects.requireNonNull(id, "id");
        Instant timeout = timeoutAt == null ? null : micros(timeoutAt);
        Request request = new Request(id, debit, credit, amount, kind, phase, pendingId, timeout,
                micros(clock.instant()));
        // inside a caller's transaction the request joins it (its effect commits with the rest, or not at all);
        // on its own it is group-committed with other threads' requests
        Optional<org.jdbi.v3.core.Handle> tx = PgTransactions.current(jdbi);
        if (tx.isPresent()) {
            return run(List.of(request), tx.get().getConnection()).get(0);
        }
        return batcher.submit(request);
    }

    /** One transaction: the requests in order, one result each (the hot path: plain JDBC, one round trip). */
    private List<LedgerResult> runBatch(List<Request> requests) {
        try (Connection c = dataSource.getConnection()) {
            return run(requests, c);
        } catch (SQLException e) {
            // the connection the pool could not have (run tells its own statement's failures)
            WriteRefusals.refusedConnection(jdbi, e);
            throw new IllegalStateException("ledger batch of " + requests.size() + " failed: " + e.getMessage(), e);
        }
    }

    /** The requests in order on {@code c} (its transaction, or autocommit), one result each. */
    private List<LedgerResult> run(List<Request> requests, Connection c) {
        int n = requests.size();
        String[] ids = new String[n];
        String[] debits = new String[n];
        String[] credits = new String[n];
        Long[] amounts = new Long[n];
        String[] kinds = new String[n];
        String[] phases = new String[n];
        String[] pendingIds = new String[n];
        // timestamps travel as ISO-8601 text (exact to the microsecond) and are cast by the statement
        String[] timeouts = new String[n];
        String[] nows = new String[n];
        for (int i = 0; i < n; i++) {
            Request r = requests.get(i);
            ids[i] = r.id();
            debits[i] = r.debit();
            credits[i] = r.credit();
            amounts[i] = r.amount();
            kinds[i] = r.kind();
            phases[i] = r.phase().name();
            pendingIds[i] = r.pendingId();
            timeouts[i] = r.timeoutAt() == null ? null : r.timeoutAt().toString();
            nows[i] = r.now().toString();
        }
        try (PreparedStatement ps = c.prepareStatement(RECORD_BATCH)) {
            ps.setArray(1, c.createArrayOf("text", ids));
            ps.setArray(2, c.createArrayOf("text", debits));
            ps.setArray(3, c.createArrayOf("text", credits));
            ps.setArray(4, c.createArrayOf("int8", amounts));
            ps.setArray(5, c.createArrayOf("text", kinds));
            ps.setArray(6, c.createArrayOf("text", phases));
            ps.setArray(7, c.createArrayOf("text", pendingIds));
            ps.setArray(8, c.createArrayOf("text", timeouts));
            ps.setArray(9, c.createArrayOf("text", nows));
            List<LedgerResult> results = new ArrayList<>(n);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    results.add(result(rs));
                }
            }
            WriteRefusals.worked(jdbi, RECORD_BATCH);
            return results;
        } catch (SQLException e) {
            WriteRefusals.refused(jdbi, RECORD_BATCH, e); // a full disk refuses the ledger first: it only grows
            throw new IllegalStateException("ledger batch of " + n + " (first id " + ids[0] + ") failed: "
                    + e.getMessage(), e);
        }
    }

    private static LedgerResult result(ResultSet rs) throws SQLException {
        String outcome = rs.getString("o_outcome");
        switch (outcome) {
            case "CREATED":
                return new LedgerResult.Created(transfer(rs, "o_"));
            case "EXISTS":
                return new LedgerResult.Exists(transfer(rs, "o_"));
            case "REJECTED":
                return new LedgerResult.Rejected(LedgerResult.Reason.valueOf(rs.getString("o_reason")),
                        rs.getString("o_detail"));
            default:
                throw new IllegalStateException("unexpected ledger outcome " + outcome);
        }
    }

    /** Reads a transfer from columns named {@code prefix + id, debit, ...}. */
    private static Transfer transfer(ResultSet rs, String prefix) throws SQLException {
        boolean out = !prefix.isEmpty();
        return new Transfer(
                rs.getString(prefix + "id"),
                new AccountId(rs.getString(prefix + (out ? "debit" : "debit_account"))),
                new AccountId(rs.getString(prefix + (out ? "credit" : "credit_account"))),
                rs.getLong(prefix + "amount"),
                TransferKind.valueOf(rs.getString(prefix + "kind")),
                Phase.valueOf(rs.getString(prefix + "phase")),
                Optional.ofNullable(rs.getString(prefix + "pending_id")),
                Sql.optionalInstant(rs, prefix + "timeout_at"),
                Sql.instant(rs, prefix + "created_at"));
    }

    /** PostgreSQL keeps microseconds; a replay must compare equal to what was stored. */
    private static Instant micros(Instant t) {
        return t.truncatedTo(ChronoUnit.MICROS);
    }

    @Override
    public Balance balance(AccountId account) {
        return jdbi.withHandle(h -> h.createQuery("SELECT coalesce(sum(debits_pending), 0) AS dp, "
                        + "coalesce(sum(debits_posted), 0) AS dpo, coalesce(sum(credits_pending), 0) AS cp, "
                        + "coalesce(sum(credits_posted), 0) AS cpo FROM ledger_balances WHERE account_id = :a")
                .bind("a", account.value())
                .map((rs, ctx) -> new Balance(account, rs.getLong("dp"), rs.getLong("dpo"), rs.getLong("cp"),
                        rs.getLong("cpo")))
                .one());
    }

    /**
     * One indexed read of the open holds ({@code ledger_open_holds_timeout}), in the sweep's order; a plain read,
     * so a hold whose expiry lock or row another transaction holds (the very one a sweep skips) is read all the same.
     */
    @Override
    public Optional<Transfer> oldestDueHold(Instant now) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + TRANSFER_COLUMNS + " FROM ledger_transfers WHERE id = "
                        + "(SELECT hold_id FROM ledger_open_holds WHERE timeout_at <= :now "
                        + "ORDER BY timeout_at, hold_id LIMIT 1)")
                .bind("now", Sql.ts(now))
                .map((rs, ctx) -> transfer(rs, ""))
                .findOne());
    }

    /** Where a PostgreSQL operator finds the session that keeps a due hold from the sweep, and how to end it. */
    @Override
    public Optional<String> stuckHoldHint() {
        return Optional.of("On PostgreSQL look in pg_stat_activity, state 'idle in transaction' and its xact_start, "
                + "and in pg_locks, locktype advisory or the row of ledger_open_holds, and end that session "
                + "(pg_terminate_backend); the next sweep takes the hold.");
    }

    @Override
    public Optional<Transfer> find(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + TRANSFER_COLUMNS + " FROM ledger_transfers WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> transfer(rs, ""))
                .findOne());
    }

    /**
     * After the lock a request under {@code id} takes first ({@code kb_ledger_record_batch}: its advisory lock 1801 on
     * the id's hash), held till its transaction ends: a request in flight is waited for, and inside the caller's
     * transaction one made after this waits for the caller's. The read is a statement of its own, after the lock: its
     * snapshot sees what the lock's last holder committed.
     */
    @Override
    public Optional<Transfer> findAwaiting(String id) {
        Objects.requireNonNull(id, "id");
        jdbi.useHandle(h -> h.createQuery("SELECT 1 FROM (SELECT pg_advisory_xact_lock(1801, hashtext(:id))) l")
                .bind("id", id)
                .mapTo(Integer.class).one());
        return find(id);
    }

    @Override
    public Optional<HoldState> holdState(String holdId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT h.phase AS hold_phase, r.phase AS resolution_phase "
                        + "FROM ledger_transfers h LEFT JOIN ledger_transfers r ON r.pending_id = h.id WHERE h.id = :id")
                .bind("id", holdId)
                .map((rs, ctx) -> {
                    if (!Phase.PENDING.name().equals(rs.getString("hold_phase"))) {
                        return Optional.<HoldState>empty();
                    }
                    String r = rs.getString("resolution_phase");
                    return Optional.of(r == null ? HoldState.PENDING : HoldState.of(Phase.valueOf(r)));
                })
                .findOne()
                .flatMap(o -> o));
    }

    @Override
    public List<Transfer> transfers(AccountId account) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + TRANSFER_COLUMNS + " FROM ledger_transfers "
                        + "WHERE debit_account = :a OR credit_account = :a ORDER BY seq")
                .bind("a", account.value())
                .map((rs, ctx) -> transfer(rs, ""))
                .list());
    }

    /**
     * A range of the primary key, not {@code LIKE}: the ids hold {@code _} ({@code gen_12}), a wildcard, and a bound
     * pattern gives a generic plan no index range at all. The ids compare bytewise ({@code COLLATE "C"}, V1), in
     * which order the ids starting with the prefix are exactly those from it up to {@link #pastPrefix}.
     */
    static final String WITH_ID_PREFIX = "SELECT " + TRANSFER_COLUMNS + " FROM ledger_transfers "
            + "WHERE id >= :from AND id < :past ORDER BY seq";

    @Override
    public List<Transfer> withIdPrefix(String idPrefix) {
        Optional<String> past = pastPrefix(idPrefix);
        return jdbi.withHandle(h -> (past.isPresent()
                ? h.createQuery(WITH_ID_PREFIX).bind("from", idPrefix).bind("past", past.get())
                : h.createQuery("SELECT " + TRANSFER_COLUMNS + " FROM ledger_transfers WHERE id >= :from ORDER BY seq")
                        .bind("from", idPrefix))
                .map((rs, ctx) -> transfer(rs, ""))
                .list());
    }

    /**
     * The first string after every string that starts with {@code prefix}, in code point order (UTF-8's bytewise
     * order): its last character one higher (past the surrogates), a last character that cannot go higher dropped
     * first; empty when nothing follows them (the prefix empty or all U+10FFFF).
     */
    static Optional<String> pastPrefix(String prefix) {
        String p = prefix;
        while (!p.isEmpty()) {
            int last = p.codePointBefore(p.length());
            p = p.substring(0, p.length() - Character.charCount(last));
            if (last < Character.MAX_CODE_POINT) {
                int next = last + 1 == Character.MIN_SURROGATE ? Character.MAX_SURROGATE + 1 : last + 1;
                return Optional.of(p + Character.toString(next));
            }
        }
        return Optional.empty();
    }

    /** Newest first through the account indexes: each side gives its newest {@code limit}, the union is cut again. */
    @Override
    public List<Transfer> recent(AccountId account, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + TRANSFER_COLUMNS + " FROM ("
                        + "(SELECT seq, " + TRANSFER_COLUMNS + " FROM ledger_transfers WHERE debit_account = :a "
                        + "ORDER BY seq DESC LIMIT :n) UNION ALL "
                        + "(SELECT seq, " + TRANSFER_COLUMNS + " FROM ledger_transfers WHERE credit_account = :a "
                        + "ORDER BY seq DESC LIMIT :n)) t ORDER BY seq DESC LIMIT :n")
                .bind("a", account.value())
                .bind("n", Math.max(0, limit))
                .map((rs, ctx) -> transfer(rs, ""))
                .list());
    }

    /** {@link #posted}: through {@code ledger_transfers_posted_by_kind} (V9), one range per kind. */
    static final String POSTED_OF_KINDS = "SELECT " + TRANSFER_COLUMNS + " FROM ledger_transfers "
            + "WHERE kind = ANY (CAST(:kinds AS ledger_kind[])) AND created_at >= :from AND created_at < :to "
            + "AND phase IN ('POSTED', 'POST_PENDING') ORDER BY created_at, seq";

    /** Through the index of posted money by kind and time (V9): its cost follows the window, not the ledger's age. */
    @Override
    public List<Transfer> posted(Set<TransferKind> kinds, Instant from, Instant to) {
        if (kinds.isEmpty()) {
            return List.of();
        }
        return jdbi.withHandle(h -> h.createQuery(POSTED_OF_KINDS)
                .bindArray("kinds", String.class, kinds.stream().map(TransferKind::name).sorted().toList())
                .bind("from", Sql.ts(from))
                .bind("to", Sql.ts(to))
                .map((rs, ctx) -> transfer(rs, ""))
                .list());
    }

    /** The first rows of {@link #POSTED_OF_KINDS}: the database stops at the limit. */
    @Override
    public List<Transfer> posted(Set<TransferKind> kinds, Instant from, Instant to, int limit) {
        if (kinds.isEmpty() || limit <= 0) {
            return List.of();
        }
        return jdbi.withHandle(h -> h.createQuery(POSTED_OF_KINDS + " LIMIT :n")
                .bindArray("kinds", String.class, kinds.stream().map(TransferKind::name).sorted().toList())
                .bind("from", Sql.ts(from))
                .bind("to", Sql.ts(to))
                .bind("n", limit)
                .map((rs, ctx) -> transfer(rs, ""))
                .list());
    }

    /** {@link #postedTotal}: {@link #POSTED_OF_KINDS}'s rows counted and added up in the database. */
    static final String POSTED_TOTAL = "SELECT count(*) AS n, COALESCE(sum(amount), 0) AS total FROM ledger_transfers "
            + "WHERE kind = ANY (CAST(:kinds AS ledger_kind[])) AND created_at >= :from AND created_at < :to "
            + "AND phase IN ('POSTED', 'POST_PENDING')";

    /** One row back, not the day's transfers: through the same index as {@link #posted}. */
    @Override
    public PostedTotal postedTotal(Set<TransferKind> kinds, Instant from, Instant to) {
        if (kinds.isEmpty()) {
            return new PostedTotal(0, 0);
        }
        return jdbi.withHandle(h -> h.createQuery(POSTED_TOTAL)
                .bindArray("kinds", String.class, kinds.stream().map(TransferKind::name).sorted().toList())
                .bind("from", Sql.ts(from))
                .bind("to", Sql.ts(to))
                .map((rs, ctx) -> new PostedTotal(rs.getLong("n"), rs.getLong("total")))
                .one());
    }

    /** {@link #postedNet}: through the account's two indexes (debits, credits), summed in the database. */
    static final String POSTED_NET = "SELECT COALESCE(sum(CASE WHEN credit_account = :a THEN amount ELSE -amount END), "
            + "0) FROM ledger_transfers WHERE (debit_account = :a OR credit_account = :a) "
            + "AND kind = ANY (CAST(:kinds AS ledger_kind[])) AND phase IN ('POSTED', 'POST_PENDING')";

    /** One figure back, not the account's history (the ledger is never purged). */
    @Override
    public long postedNet(AccountId account, Set<TransferKind> kinds) {
        if (kinds.isEmpty()) {
            return 0;
        }
        return jdbi.withHandle(h -> h.createQuery(POSTED_NET)
                .bind("a", account.value())
                .bindArray("kinds", String.class, kinds.stream().map(TransferKind::name).sorted().toList())
                .mapTo(Long.class)
                .one());
    }

    /** {@link #postedDebitKinds}: through the account's debit index, the kinds found, not the history. */
    static final String POSTED_DEBIT_KINDS = "SELECT DISTINCT kind FROM ledger_transfers WHERE debit_account = :a "
            + "AND kind = ANY (CAST(:kinds AS ledger_kind[])) AND phase IN ('POSTED', 'POST_PENDING') "
            + "AND created_at <= :until";

    @Override
    public Set<TransferKind> postedDebitKinds(AccountId account, Set<TransferKind> kinds, Instant until) {
        if (kinds.isEmpty()) {
            return Set.of();
        }
        List<String> found = jdbi.withHandle(h -> h.createQuery(POSTED_DEBIT_KINDS)
                .bind("a", account.value())
                .bindArray("kinds", String.class, kinds.stream().map(TransferKind::name).sorted().toList())
                .bind("until", Sql.ts(until))
                .mapTo(String.class)
                .list());
        return found.stream().map(TransferKind::valueOf).collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    @Override
    public List<AccountId> accounts() {
        return jdbi.withHandle(h -> h.createQuery("SELECT DISTINCT account_id FROM ledger_balances ORDER BY 1")
                .mapTo(String.class)
                .map(AccountId::new)
                .list());
    }
}
