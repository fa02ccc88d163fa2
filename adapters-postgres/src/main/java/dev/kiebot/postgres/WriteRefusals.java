package dev.kiebot.postgres;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import javax.sql.DataSource;
import org.jdbi.v3.core.ConnectionFactory;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.transaction.TransactionHandler;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * Whether the database refuses the bot's writes now: a statement failed with a class 53 SQLState (insufficient
 * resources: a full disk, no memory) or {@code 25006} (a read-only database: a replica after a failover, a provider's
 * storage-quota lock), and has not worked since. Reads work meanwhile, so the readiness probe, which only reads, said
 * all was well while no payment could be credited (review R1); this is what {@code /readyz}'s {@code dbWrites}, the
 * gauge {@code kiebot_database_writes_failing} and the admins' direct alert read.
 *
 * <p>Seen from every statement the bot's {@link Database#jdbi()} runs (a Jdbi {@link SqlLogger}), from the ledger's
 * and the inbox's batches, which run on the plain JDBC connection (told by {@code PgLedger}, its group commit and a
 * caller's transaction alike, and {@code PgProcessedUpdates}), and from the listener's {@code LISTEN}, on a connection
 * of its own ({@code PgNotifications}: a replica refuses it with {@code 25006}). The other connections outside Jdbi
 * only read: the singleton lock's ({@code PgSingletonLock}: {@code pg_try_advisory_lock}, {@code SELECT 1} and the
 * unlock, which a replica and a read-only database take, advisory locks being held in memory), the readiness probe's
 * ({@link Database#readiness()}), the schema's look at the start ({@code SchemaUpgrade}); Flyway's migrations write,
 * but only at the start, where a refusal stops it. Two refusals are no statement's: a {@code COMMIT} refused (a
 * deferred check, the commit record on a full disk: Jdbi's SQL logger sees no commit, {@link
 * #hearingCommits(TransactionHandler)}), and a connection the server refuses (53300, too many connections: the pool
 * cannot grow, and every handler waits on it; {@link #hearingConnections(DataSource)}, and the ledger's batches,
 * which take theirs from the pool themselves; the readiness probe takes its connection through it too, so a probe
 * refused one is heard, though its statement, which only reads, is not). Neither names a statement whose working
 * again would end it (a read-only transaction's commit works on a full disk; a pooled connection is had while no new
 * one is), so such a refusal ends only after {@link #QUIET} without one. A full disk refuses
 * only what must grow (the ledger, a new row) and takes the rest, so no single probe could tell it. A refused statement
 * counts until the same statement works again, or until none has been refused for {@link #QUIET}: one only a periodic
 * sweep runs (hourly) would else keep the spell on long after writes are taken again. Keyed by the statement's text,
 * never its values; bounded ({@link #STATEMENTS_MAX}). Thread-safe, and a statement that works costs one look at an
 * empty map while nothing is refused.
 */
public final class WriteRefusals implements SqlLogger {
    /** A spell with no refusal for this long is over, whatever statements it refused have not run again since. */
    public static final Duration QUIET = Duration.ofMinutes(2);
    /** What a refused {@code COMMIT} is kept as: no statement's text. */
    static final String COMMIT = "COMMIT";
    /** What a connection the server refused is kept as: no statement's text. */
    static final String CONNECT = "a new connection";

    /** Distinct statements kept at once: the bot has a few hundred, and each refused one is retried within seconds. */
    static final int STATEMENTS_MAX = 64;

    /**
     * Writes refused now.
     *
     * @param sqlState the SQLState of the last refusal ({@code 53100}, {@code 25006}, …)
     * @param lasted   since the spell's first refusal
     */
    public record Refusal(String sqlState, Duration lasted) {
    }

    private final LongSupplier nanoTime;
    /** Refused statements, by their text: the nanoTime of their last refusal. */
    private final Map<String, Long> refused = new ConcurrentHashMap<>();
    private final Object spell = new Object();
    private long spellSince; // guarded by spell
    private long lastRefusedAt; // guarded by spell
    private String lastState = ""; // guarded by spell
    private boolean on; // guarded by spell

    public WriteRefusals() {
        this(System::nanoTime);
    }

    WriteRefusals(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** Whether {@code sqlState} says the database refuses writes for its own reasons: class 53, or 25006. */
    static boolean refusesWrites(String sqlState) {
        return sqlState != null && (sqlState.startsWith("53") || sqlState.equals("25006"));
    }

    @Override
    public void logException(StatementContext context, SQLException ex) {
        refused(Optional.ofNullable(context.getRawSql()).orElse(""), ex.getSQLState());
    }

    @Override
    public void logAfterExecution(StatementContext context) {
        if (!refused.isEmpty()) {
            refused.remove(Optional.ofNullable(context.getRawSql()).orElse(""));
        }
    }

    /**
     * A statement run on a plain JDBC connection, outside Jdbi's statements (the ledger's and the inbox's batches, the
     * hot paths), failed: told to the {@code WriteRefusals} installed on {@code jdbi}, if any.
     */
    static void refused(Jdbi jdbi, String statement, SQLException e) {
        if (jdbi.getConfig(SqlStatements.class).getSqlLogger() instanceof WriteRefusals refusals) {
            refusals.refused(statement, e.getSQLState());
        }
    }

    /**
     * A connection taken from the pool outside Jdbi (the ledger's batches) could not be had: told to the {@code
     * WriteRefusals} installed on {@code jdbi}, if any, as {@link #hearingConnections(DataSource)}'s are.
     */
    static void refusedConnection(Jdbi jdbi, SQLException e) {
        if (jdbi.getConfig(SqlStatements.class).getSqlLogger() instanceof WriteRefusals refusals) {
            refusals.refusedOutsideStatements(CONNECT, e);
        }
    }

    /** A statement run on a plain JDBC connection worked (see {@link #refused(Jdbi, String, SQLException)}). */
    static void worked(Jdbi jdbi, String statement) {
        if (jdbi.getConfig(SqlStatements.class).getSqlLogger() instanceof WriteRefusals refusals
                && !refusals.refused.isEmpty()) {
            refusals.refused.remove(statement);
        }
    }

    /**
     * {@code handler}, whose commits' failures are told here (with a class 53 or 25006 SQLState in their causes).
     * Handles specialized from it are too.
     */
    TransactionHandler hearingCommits(TransactionHandler handler) {
        return new HeardCommits(handler);
    }

    /** Connections of {@code pool}, a connection it cannot have told here (53300 from the server, in its timeout). */
    ConnectionFactory hearingConnections(DataSource pool) {
        return () -> {
            try {
                return pool.getConnection();
            } catch (SQLException e) {
                refusedOutsideStatements(CONNECT, e);
                throw e;
            }
        };
    }

    /**
     * A refusal no statement's working ends ({@link #COMMIT}, {@link #CONNECT}): {@code e}'s, or the first of its causes
     * with an SQLState.
     */
    void refusedOutsideStatements(String what, Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                refused(what, sql.getSQLState());
                return;
            }
        }
    }

    /** A {@link TransactionHandler} that tells its commits' refusals; every other call is the delegate's. */
    private final class HeardCommits implements TransactionHandler {
        private final TransactionHandler delegate;

        HeardCommits(TransactionHandler delegate) {
            this.delegate = delegate;
        }

        @Override
        public void commit(Handle handle) {
            try {
                delegate.commit(handle);
            } catch (RuntimeException e) {
                refusedOutsideStatements(COMMIT, e);
                throw e;
            }
        }

        @Override
        public TransactionHandler specialize(Handle handle) throws SQLException {
            TransactionHandler specialized = delegate.specialize(handle);
            return specialized == delegate ? this : new HeardCommits(specialized);
        }

        @Override
        public void begin(Handle handle) {
            delegate.begin(handle);
        }

        @Override
        public void rollback(Handle handle) {
            delegate.rollback(handle);
        }

        @Override
        public boolean isInTransaction(Handle handle) {
            return delegate.isInTransaction(handle);
        }

        @Override
        public void savepoint(Handle handle, String name) {
            delegate.savepoint(handle, name);
        }

        @Override
        public void rollbackToSavepoint(Handle handle, String name) {
            delegate.rollbackToSavepoint(handle, name);
        }

        @Override
        public void releaseSavepoint(Handle handle, String name) {
            delegate.releaseSavepoint(handle, name);
        }

        @Override
        public <R, X extends Exception> R inTransaction(Handle handle, HandleCallback<R, X> callback) throws X {
            return delegate.inTransaction(handle, callback);
        }

        @Override
        public <R, X extends Exception> R inTransaction(Handle handle, TransactionIsolationLevel level,
                                                        HandleCallback<R, X> callback) throws X {
            return delegate.inTransaction(handle, level, callback);
        }
    }

    /** A statement run on a connection of its own, outside Jdbi and the pool ({@code PgNotifications}), failed. */
    void refused(String statement, SQLException e) {
        refused(statement, e.getSQLState());
    }

    /** A statement run on a connection of its own worked (see {@link #refused(String, SQLException)}). */
    void worked(String statement) {
        if (!refused.isEmpty()) {
            refused.remove(statement);
        }
    }

    private void refused(String statement, String sqlState) {
        if (!refusesWrites(sqlState)) {
            return;
        }
        long now = nanoTime.getAsLong();
        if (refused.size() < STATEMENTS_MAX || refused.containsKey(statement)) {
            refused.put(statement, now);
        }
        synchronized (spell) {
            if (!on) {
                on = true;
                spellSince = now;
            }
            lastRefusedAt = now;
            lastState = sqlState;
        }
    }

    /**
     * The spell of refused writes going on, if one is: some statement refused that has not worked since, the last
     * refusal less than {@link #QUIET} ago.
     *
     * @return empty while writes are taken
     */
    public Optional<Refusal> refusing() {
        long now = nanoTime.getAsLong();
        synchronized (spell) {
            if (!on) {
                return Optional.empty();
            }
            if (refused.isEmpty() || now - lastRefusedAt >= QUIET.toNanos()) {
                on = false;
                refused.clear();
                return Optional.empty();
            }
            return Optional.of(new Refusal(lastState, Duration.ofNanos(now - spellSince)));
        }
    }
}
