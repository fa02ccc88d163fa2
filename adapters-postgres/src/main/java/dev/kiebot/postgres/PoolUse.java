package dev.kiebot.postgres;

import com.zaxxer.hikari.metrics.IMetricsTracker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * When a pooled connection was last taken or given back, as HikariCP reports each to its metrics tracker: whether
 * the pool has been quiet long enough to close its connections ({@link Database#releaseIdleConnections}).
 */
final class PoolUse implements IMetricsTracker {
    private final AtomicLong lastNanos = new AtomicLong(System.nanoTime());

    @Override
    public void recordConnectionAcquiredNanos(long elapsedAcquiredNanos) {
        lastNanos.set(System.nanoTime());
    }

    @Override
    public void recordConnectionUsageMillis(long elapsedBorrowedMillis) {
        lastNanos.set(System.nanoTime());
    }

    /** Whether no connection was taken or given back for {@code quiet}. */
    boolean quietFor(Duration quiet) {
        return System.nanoTime() - lastNanos.get() >= quiet.toNanos();
    }
}
