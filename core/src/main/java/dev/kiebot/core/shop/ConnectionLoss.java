package dev.kiebot.core.shop;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;

/**
 * Tells a lost (or never made) database connection from a failure of the work itself. The difference matters:
 * work cut off by a lost connection was rolled back and is simply done again once the database is back, while
 * work that failed on its own is a bug or bad data to report (and, for an update, to answer with an apology).
 * Answered with an apology, an update cut off by a pool's timeout is lost for good: a Stars payment's is marked not
 * credited and waits for an admin's refund. {@link Storefront#serve} throws such a failure on, without an apology;
 * an inbox that claims its updates (core's {@code Inbox}, kiebot's runtime) leaves the update pending.
 *
 * <p>Read from the {@code java.sql} exceptions in the cause chain, however your stores wrap them (Jdbi, a pool):
 * {@code SQLTransientConnectionException} (a pool's timeout), {@code SQLNonTransientConnectionException},
 * {@code SQLRecoverableException}, or an {@code SQLException} whose SQLState is of class {@code 08} (connection
 * exception) or {@code 53} (insufficient resources: a full disk, no memory, too many connections), or PostgreSQL's
 * {@code 57P01}-{@code 57P03} (the server shutting down or not yet accepting), {@code 55P03} (a lock waited for
 * past the session's {@code lock_timeout}: another session holds it, kiebot's pool waits 15 s) or {@code 25006} (a
 * read-only database: a replica after a failover, or a provider's storage-quota lock). Stores of
 * your own on another kind of storage: wrap a lost connection in one of these to have it treated so.
 */
public final class ConnectionLoss {
    private ConnectionLoss() {
    }

    /**
     * Whether {@code e}, or one of its causes, says the database could not be reached or dropped the session.
     *
     * @param e what the stores threw
     * @return true when the work is to be tried again once the database answers, not given up
     */
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

    /**
     * Class 08 (connection exception), 57P01-57P03 (the server is shutting down or not yet accepting) and class 53
     * (insufficient resources: a full disk, no memory, too many connections): the database could not take the work
     * now, which is no fault of the work's; given up, an update cut off by a full disk was apologised for, a Stars
     * payment's kept not credited. And 55P03 (lock not available: a lock another session holds was waited for longer
     * than the session's {@code lock_timeout}): an operator's open transaction holding a user's row is no fault of
     * the update either, which goes through once it ends. And 25006 (read-only SQL transaction): the database takes
     * no writes (connected to a replica after a failover, {@code default_transaction_read_only} set by a provider
     * whose storage quota ran out), again no fault of the work's, which goes through once writes are taken again;
     * given up, every update meanwhile was apologised for and every sweep logged a trace each run. Only the
     * database's setting can cause it: no store opens a transaction {@code READ ONLY}, which would make it a bug.
     */
    private static boolean connectionState(String state) {
        return state.startsWith("08") || state.startsWith("53") || state.equals("57P01") || state.equals("57P02")
                || state.equals("57P03") || state.equals("55P03") || state.equals("25006");
    }
}
