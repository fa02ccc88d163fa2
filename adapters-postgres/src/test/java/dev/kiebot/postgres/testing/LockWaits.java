package dev.kiebot.postgres.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** For tests that force an order between transactions: waiting on a latch, and for a backend to wait on a lock. */
public final class LockWaits {
    /** Longer than any such test needs; a test stuck past it fails instead of hanging the build. */
    private static final long WAIT_SECONDS_MAX = 30;

    private LockWaits() {
    }

    /** Waits for {@code latch} (at most {@value #WAIT_SECONDS_MAX} s); an interrupt ends the wait, kept set. */
    public static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(WAIT_SECONDS_MAX, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Until some backend of the test database waits for a lock (another transaction's row). */
    public static void awaitABackendWaitingForALock() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS_MAX);
        while (!aBackendWaitsForALock()) {
            assertThat(System.nanoTime()).as("a backend waiting for a lock").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    /**
     * Until {@code work} is done or some backend waits for a lock: for a test whose fixed code makes {@code work}
     * wait for the caller's transaction, and whose old code let it run to its end meanwhile (the test then shows
     * what that did).
     */
    public static void awaitDoneOrALockWait(Future<?> work) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS_MAX);
        try {
            while (!work.isDone() && !aBackendWaitsForALock()) {
                assertThat(System.nanoTime()).as("done, or waiting for a lock").isLessThan(deadline);
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean aBackendWaitsForALock() {
        return TestDatabase.jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM pg_stat_activity "
                + "WHERE wait_event_type = 'Lock' AND datname = current_database()").mapTo(Long.class).one()) > 0;
    }
}
