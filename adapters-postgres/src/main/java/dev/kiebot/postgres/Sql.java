package dev.kiebot.postgres;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.function.IntUnaryOperator;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Small JDBC helpers shared by the stores. */
final class Sql {
    private static final Logger LOG = LoggerFactory.getLogger(Sql.class);

    private Sql() {
    }

    /** Instants are bound as {@code timestamptz} (PostgreSQL keeps microseconds). */
    /**
     * {@code pass} asked for {@code batch} rows again until it takes fewer: the rows taken in all. A purge of a week's
     * rows goes as bounded statements, each its own transaction unless the caller has one.
     */
    static int inBatches(int batch, IntUnaryOperator pass) {
        int total = 0;
        int taken;
        do {
            taken = pass.applyAsInt(batch);
            total += taken;
        } while (taken == batch);
        return total;
    }

    static OffsetDateTime ts(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    static Optional<Instant> optionalInstant(ResultSet rs, String column) throws SQLException {
        return Optional.ofNullable(instant(rs, column));
    }

    static Optional<String> optionalString(ResultSet rs, String column) throws SQLException {
        return Optional.ofNullable(rs.getString(column));
    }

    /** The SQLSTATE of the first SQLException in the cause chain, or null. */
    static String sqlState(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null) {
                return s.getSQLState();
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    /**
     * Runs {@code op} again when PostgreSQL aborted it for a reason a retry fixes: a deadlock (40P01), a
     * serialization failure (40001) or a unique violation from a racing insert of the same key (23505; the
     * retry re-reads and answers like a replay). {@code op} must be one atomic request.
     */
    static <T> T retrying(String what, Supplier<T> op) {
        return retrying(null, what, op);
    }

    /**
     * {@link #retrying(String, Supplier)} for a store's request that may join a caller's transaction on {@code jdbi}:
     * there it runs once, and what it threw goes to the caller. PostgreSQL has aborted that whole transaction, so the
     * request run again in it only failed with 25P02 (in failed transaction), which hid the deadlock from the
     * caller's retry ({@link PgTransactions#inOne} runs the whole work again from the start).
     */
    static <T> T retrying(Jdbi jdbi, String what, Supplier<T> op) {
        if (jdbi != null && PgTransactions.current(jdbi).isPresent()) {
            return op.get();
        }
        int attempt = 0;
        while (true) {
            try {
                return op.get();
            } catch (RuntimeException e) {
                String state = sqlState(e);
                boolean retry = "40P01".equals(state) || "40001".equals(state) || "23505".equals(state);
                if (!retry || ++attempt >= 5) {
                    throw e;
                }
                LOG.debug("{}: retrying after SQLSTATE {} (attempt {})", what, state, attempt);
            }
        }
    }
}
