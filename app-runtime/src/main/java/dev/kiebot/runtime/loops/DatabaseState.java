package dev.kiebot.runtime.loops;

import java.sql.SQLException;
import java.util.Optional;

/**
 * The SQLState of a database failure, for the log: the exception's type alone ({@code
 * UnableToExecuteStatementException}) told nothing, and a full disk was named only in PostgreSQL's PANIC at shutdown.
 * The state is a code with no user data in it (unlike the message, which may quote a row); the classes an operator
 * can act on are put in words.
 */
public final class DatabaseState {
    private DatabaseState() {
    }

    /** The first SQLState in {@code e}'s cause chain, with words for the operator where there are some. */
    public static Optional<String> of(Throwable e) {
        int depth = 0;
        for (Throwable t = e; t != null && depth < 20; t = t.getCause(), depth++) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return Optional.of("SQLState " + sql.getSQLState() + words(sql.getSQLState()));
            }
        }
        return Optional.empty();
    }

    /** {@code e}'s type, and its SQLState when it has one: "UnableToExecuteStatementException, SQLState 53100: …". */
    public static String reason(Throwable e) {
        return e.getClass().getSimpleName() + of(e).map(s -> ", " + s).orElse("");
    }

    private static String words(String state) {
        if (state.equals("53100")) {
            return ": the database's disk is full; free space under DATA_DIR (or on the database server)";
        }
        if (state.equals("53200")) {
            return ": the database server is out of memory";
        }
        if (state.equals("55P03")) {
            return ": waited too long for a lock another session holds (an open transaction in psql?); the next line "
                    + "of \"updates wait\" names it, or see pg_stat_activity";
        }
        if (state.equals("25006")) {
            return ": database is read-only (a replica after failover, or the provider's storage-quota lock): writes "
                    + "refused";
        }
        if (state.equals("53300")) {
            return ": the database refuses more connections; check max_connections against DATABASE_POOL_SIZE";
        }
        return "";
    }
}
