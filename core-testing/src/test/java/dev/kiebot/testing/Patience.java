package dev.kiebot.testing;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A wait of a bound, the time the JVM was kept from running meanwhile not counted ({@link JvmStalls}), and of at most
 * {@link #CLOCK_TIMES} bounds of the clock: counted alone, the stalls of a JVM that runs its GC back to back (a heap
 * all but full) made a wait last for ever instead of failing. For a test's wait whose bound decides its pass or fail,
 * on a latch, a future or a condition: on a CI box whose two cores other builds held, a plain bound of the clock failed
 * tests whose code had done its part in milliseconds.
 */
public final class Patience {
    /** How many times its bound a wait lasts at most of the clock, however long the JVM was stalled. */
    public static final int CLOCK_TIMES = 3;
    /**
     * How often {@link #await(String, Duration, BooleanSupplier)} looks again (a look may ask the database or a server,
     * on a box already busy), and how often a wait on a latch or a future, which ends at once when it is done, checks
     * that it lasts.
     */
    private static final long LOOK_MILLIS = 50;

    private final Duration bound;
    private final Supplier<Duration> stalled;
    private final long start = System.nanoTime();

    /** A wait of {@code bound}, less the JVM's stalls from now on. */
    public Patience(Duration bound) {
        this(bound, stallsFromNow());
    }

    /** A wait of {@code bound}, less {@code stalled} (the stalls since it began). */
    Patience(Duration bound, Supplier<Duration> stalled) {
        this.bound = bound;
        this.stalled = stalled;
    }

    private static Supplier<Duration> stallsFromNow() {
        long mark = JvmStalls.mark();
        return () -> JvmStalls.since(mark);
    }

    /** Whether the wait goes on. */
    public boolean lasts() {
        long waited = System.nanoTime() - start;
        return waited < bound.plus(stalled.get()).toNanos() && waited < bound.multipliedBy(CLOCK_TIMES).toNanos();
    }

    /**
     * Waits until {@code condition} holds, for {@code bound} less the JVM's stalls meanwhile.
     *
     * @throws AssertionError when it did not hold in time, saying what was awaited and how long the wait took
     */
    public static void await(String what, Duration bound, BooleanSupplier condition) {
        Patience patience = new Patience(bound);
        while (!condition.getAsBoolean()) {
            if (!patience.lasts()) {
                throw new AssertionError("timed out waiting for " + what + " (" + patience + ")");
            }
            try {
                Thread.sleep(LOOK_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }

    /** {@code latch.await(bound)}, less the JVM's stalls meanwhile: whether it reached zero in time. */
    public static boolean await(CountDownLatch latch, Duration bound) throws InterruptedException {
        Patience patience = new Patience(bound);
        while (patience.lasts()) {
            if (latch.await(LOOK_MILLIS, TimeUnit.MILLISECONDS)) {
                return true;
            }
        }
        return latch.getCount() == 0;
    }

    /** {@code future.get(bound)}, less the JVM's stalls meanwhile. */
    public static <T> T get(Future<T> future, Duration bound)
            throws InterruptedException, ExecutionException, TimeoutException {
        Patience patience = new Patience(bound);
        while (!future.isDone() && patience.lasts()) {
            try {
                return future.get(LOOK_MILLIS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException notYet) {
                // look again, the stalls since the start not counted
            }
        }
        if (!future.isDone()) {
            throw new TimeoutException("not done (" + patience + ")");
        }
        return future.get();
    }

    /** What the wait took, for a timeout's message. */
    @Override
    public String toString() {
        return String.format("a wait of %d ms less the JVM's stalls, at most %d times that of the clock: it took %d ms, "
                        + "of which the JVM was kept from running %d ms", bound.toMillis(), CLOCK_TIMES,
                Duration.ofNanos(System.nanoTime() - start).toMillis(), stalled.get().toMillis());
    }
}
