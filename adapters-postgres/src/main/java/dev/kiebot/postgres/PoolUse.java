package dev.kiebot.postgres;

import com.zaxxer.hikari.metrics.IMetricsTracker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * When a pooled connection was last taken or given back, as HikariCP reports each to its metrics tracker: whether
 * the pool has been quiet long enough to close its connections ({@link Database#releaseIdleConnections}); and how
 * many requests for one waited the pool's whole connection timeout and failed ({@link Database#connectionTimeouts}).
 * A counter of its own rather than HikariCP's Micrometer tracker, whose timers on every borrow made a burst measurably
 * dearer (BENCHMARKS.md section 34).
 */
final class PoolUse implements IMetricsTracker {
    private final AtomicLong lastNanos = new AtomicLong(System.nanoTime());
    private final LongAdder timeouts = new LongAdder();

    @Override
    public void recordConnectionAcquiredNanos(long elapsedAcquiredNanos) {
        lastNanos.set(System.nanoTime());
    }

    @Override
    public void recordConnectionUsageMillis(long elapsedBorrowedMillis) {
        lastNanos.set(System.nanoTime());
    }

    @Override
    public void recordConnectionTimeout() {
        timeouts.increment();
    }

    /** Requests for a connection that timed out since the pool started. */
    long timeouts() {
        return timeouts.sum();
    }

    /** Whether no connection was taken or given back for {@code quiet}. */
    boolean quietFor(Duration quiet) {
        return System.nanoTime() - lastNanos.get() >= quiet.toNanos();
    }
}
