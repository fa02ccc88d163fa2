package dev.kiebot.runtime.loops;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;

/**
 * Tells a lost (or never made) database connection from a failure of the work itself. The difference matters:
 * work cut off by a lost connection was rolled back and is simply done again once the database is back, while
 * work that failed on its own is a bug or bad data to report (and, for an update, to answer with an apology).
 */
public final class ConnectionLoss {
    private ConnectionLoss() {
    }

    /** Whether {@code e}, or one of its causes, says the database could not be reached or dropped the session. */
    public static boolean in(Throwable e) {
        int depth = 0;
        for (Throwable t = e; t != null && depth < 20; t = t.getCause(), depth++) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
                    || t instanceof SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null && connectionState(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /** Class 08 (connection exception) and 57P01-57P03 (the server is shutting down or not yet accepting). */
    private static boolean connectionState(String state) {
        return state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03");
    }
}
