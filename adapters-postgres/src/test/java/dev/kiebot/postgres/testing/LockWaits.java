package dev.kiebot.postgres.testing;

import dev.kiebot.testing.Patience;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;

/**
 * For tests that force an order between transactions: waiting on a latch, and for a backend to wait on a lock. Each
 * wait is a {@link Patience}: the time the JVM was kept from running (a loaded two-core CI) does not count.
 */
public final class LockWaits {
    /** Longer than any such test needs; a test stuck past it fails instead of hanging the build. */
    private static final Duration WAIT_MAX = Duration.ofSeconds(30);

    private LockWaits() {
    }

    /** Waits for {@code latch} (at most {@link #WAIT_MAX}); an interrupt ends the wait, kept set. */
    public static void awaitQuietly(CountDownLatch latch) {
        try {
            Patience.await(latch, WAIT_MAX);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Until some backend of the test database waits for a lock (another transaction's row). */
    public static void awaitABackendWaitingForALock() throws InterruptedException {
        Patience.await("a backend waiting for a lock", WAIT_MAX, LockWaits::aBackendWaitsForALock);
    }

    /**
     * Until {@code work} is done or some backend waits for a lock: for a test whose fixed code makes {@code work}
     * wait for the caller's transaction, and whose old code let it run to its end meanwhile (the test then shows
     * what that did).
     */
    public static void awaitDoneOrALockWait(Future<?> work) {
        Patience.await("done, or waiting for a lock", WAIT_MAX, () -> work.isDone() || aBackendWaitsForALock());
    }

    /**
     * An operator's forgotten {@code BEGIN; SELECT … FOR UPDATE} in psql: locks one user's row in a transaction left
     * open on {@code operator} (auto-commit turned off), until the caller rolls it back or closes it.
     *
     * @return the operator's backend pid, as {@code pg_blocking_pids} names it
     */
    public static int lockUserRow(Connection operator, long userId) throws SQLException {
        operator.setAutoCommit(false);
        try (Statement st = operator.createStatement()) {
            st.execute("SELECT * FROM users WHERE id = " + userId + " FOR UPDATE");
            try (ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static boolean aBackendWaitsForALock() {
        return TestDatabase.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM pg_stat_activity "
                + "WHERE wait_event_type = 'Lock' AND datname = current_database()").mapTo(Long.class).one()) > 0;
    }
}
