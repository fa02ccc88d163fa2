package dev.kiebot.postgres;

import com.zaxxer.hikari.metrics.IMetricsTracker;
import com.zaxxer.hikari.metrics.MetricsTrackerFactory;
import com.zaxxer.hikari.metrics.PoolStats;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * When a pooled connection was last taken or given back, as HikariCP reports each to its metrics tracker: whether
 * the pool has been quiet long enough to close its connections ({@link Database#releaseIdleConnections}). A pool has
 * one tracker, and this is it: what else should hear HikariCP's reports ({@link Database#trackPoolWith}: its
 * Micrometer tracker, with the connection timeouts and waits) is told through this one.
 */
final class PoolUse implements IMetricsTracker {
    private static final IMetricsTracker NOBODY = new IMetricsTracker() { };

    private final AtomicLong lastNanos = new AtomicLong(System.nanoTime());
    /** The pool's name and figures, as HikariCP handed them to the tracker's factory at the pool's start. */
    private volatile String poolName = "";
    private volatile PoolStats poolStats;
    private final AtomicReference<IMetricsTracker> also = new AtomicReference<>(NOBODY);

    /** HikariCP's factory call, at the pool's start: this tracker, for the pool {@code name}. */
    PoolUse startedFor(String name, PoolStats stats) {
        this.poolName = name;
        this.poolStats = stats;
        return this;
    }

    /**
     * From now on HikariCP's reports also go to {@code factory}'s tracker (once per pool).
     *
     * @throws IllegalStateException when the pool has not started, or already reports to another tracker
     */
    void alsoTo(MetricsTrackerFactory factory) {
        Objects.requireNonNull(factory, "factory: e.g. new MicrometerMetricsTrackerFactory(registry)");
        PoolStats stats = poolStats;
        if (stats == null) {
            throw new IllegalStateException("the pool has not started: nothing to track");
        }
        IMetricsTracker tracker = factory.create(poolName, stats);
        if (!also.compareAndSet(NOBODY, tracker)) {
            tracker.close();
            throw new IllegalStateException("the pool's metrics are tracked already: trackPoolWith is called once");
        }
    }

    @Override
    public void recordConnectionCreatedMillis(long connectionCreatedMillis) {
        also.get().recordConnectionCreatedMillis(connectionCreatedMillis);
    }

    @Override
    public void recordConnectionAcquiredNanos(long elapsedAcquiredNanos) {
        lastNanos.set(System.nanoTime());
        also.get().recordConnectionAcquiredNanos(elapsedAcquiredNanos);
    }

    @Override
    public void recordConnectionUsageMillis(long elapsedBorrowedMillis) {
        lastNanos.set(System.nanoTime());
        also.get().recordConnectionUsageMillis(elapsedBorrowedMillis);
    }

    @Override
    public void recordConnectionTimeout() {
        also.get().recordConnectionTimeout();
    }

    @Override
    public void close() {
        also.get().close();
    }

    /** Whether no connection was taken or given back for {@code quiet}. */
    boolean quietFor(Duration quiet) {
        return System.nanoTime() - lastNanos.get() >= quiet.toNanos();
    }
}
