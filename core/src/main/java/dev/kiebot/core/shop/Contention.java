package dev.kiebot.core.shop;

import java.sql.SQLException;

/**
 * Tells a transaction the database aborted to keep concurrent transactions apart (a deadlock, a serialization failure)
 * from a failure of the work itself. Such work was rolled back whole and is another transaction's timing, not the
 * work's fault: done again a little later, it goes through. Answered with an apology, an update aborted so is lost for
 * good: a Stars payment's is marked not credited and waits for an admin's refund. Your {@code Transactions} may run the
 * work again a few times first (kiebot's {@code PgTransactions} does, 3 times); what still meets it afterwards comes
 * here. {@link Storefront#serve} throws such a failure on, without an apology, as it does a {@link ConnectionLoss};
 * an inbox that claims its updates (core's {@code Inbox}, kiebot's runtime) leaves the update pending for a
 * later claim, a bounded number of times (both: 10), then gives it up with {@link Storefront#apologize}:
 * an update whose handling always meets one would otherwise hold its chat for good.
 *
 * <p>Read from the {@code java.sql.SQLException}s in the cause chain, however your stores wrap them (Jdbi, a pool):
 * SQLState {@code 40001} (serialization failure, the SQL standard's; MySQL's deadlock says it too) or PostgreSQL's
 * {@code 40P01} (deadlock detected). Stores of your own on another kind of storage: wrap such an abort in an
 * {@code SQLException} with SQLState {@code 40001} to have it treated so.
 */
public final class Contention {
    private Contention() {
    }

    /**
     * Whether {@code e}, or one of its causes, says the database aborted the transaction to keep concurrent ones apart.
     *
     * @param e what the stores (or your {@code Transactions}, past its own retries) threw
     * @return true when the work is to be tried again later, not given up at once
     */
    public static boolean in(Throwable e) {
        int depth = 0;
        for (Throwable t = e; t != null && depth < 20; t = t.getCause(), depth++) {
            if (t instanceof SQLException sql && ("40001".equals(sql.getSQLState())
                    || "40P01".equals(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }
}
