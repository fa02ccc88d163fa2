package dev.kiebot.runtime.testing;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * A wait of a bound, the time the JVM was kept from running meanwhile not counted ({@link JvmStalls}), and of at most
 * {@link #CLOCK_TIMES} bounds of the clock: counted alone, the stalls of a JVM that runs its GC back to back (a heap
 * all but full) made a wait last for ever instead of failing.
 */
final class Patience {
    /** How many times its bound a wait lasts at most of the clock, however long the JVM was stalled. */
    static final int CLOCK_TIMES = 3;

    private final Duration bound;
    private final Supplier<Duration> stalled;
    private final long start = System.nanoTime();

    /** A wait of {@code bound}, less the JVM's stalls from now on. */
    Patience(Duration bound) {
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
    boolean lasts() {
        long waited = System.nanoTime() - start;
        return waited < bound.plus(stalled.get()).toNanos() && waited < bound.multipliedBy(CLOCK_TIMES).toNanos();
    }

    /** What the wait took, for a timeout's message. */
    @Override
    public String toString() {
        return String.format("a wait of %d ms less the JVM's stalls, at most %d times that of the clock: it took %d ms, "
                        + "of which the JVM was kept from running %d ms", bound.toMillis(), CLOCK_TIMES,
                Duration.ofNanos(System.nanoTime() - start).toMillis(), stalled.get().toMillis());
    }
}
