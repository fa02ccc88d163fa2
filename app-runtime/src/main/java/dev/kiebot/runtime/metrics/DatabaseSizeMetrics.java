package dev.kiebot.runtime.metrics;

import dev.kiebot.postgres.Database;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * {@code kiebot_database_bytes}: the size of the bot's database on disk ({@code pg_database_size}), its tables,
 * indexes and TOAST, not the WAL. Render's free PostgreSQL holds 1 GB, and the ledger and the jobs are kept for ever
 * (README's "Storage" says what grows and by how much): alert well before the disk's size. The size changes slowly and
 * PostgreSQL walks the database's files to compute it, so it is read at most once every {@link #READ_EVERY} whatever
 * the scrapes (a burst of them, several Prometheus servers), on the scraping thread; NaN when the last read failed
 * (the database away), tried again a minute later. On a database shared with other schemas it counts theirs too.
 */
public final class DatabaseSizeMetrics {
    /** The size is read this often at most. */
    static final Duration READ_EVERY = Duration.ofMinutes(1);

    private final LongSupplier size;
    /** Monotonic nanoseconds ({@code System::nanoTime}): a wall clock set back would stop the reads for that long. */
    private final LongSupplier nanos;
    private boolean read;
    private long readAt;
    private double bytes = Double.NaN;

    private DatabaseSizeMetrics(LongSupplier size, LongSupplier nanos) {
        this.size = size;
        this.nanos = nanos;
    }

    /** For the bot's own database. */
    public static void bindTo(MeterRegistry registry, Database database) {
        bindTo(registry, () -> database.jdbi().withHandle(h -> h.createQuery(
                "SELECT pg_database_size(current_database())").mapTo(Long.class).one()), System::nanoTime);
    }

    static DatabaseSizeMetrics bindTo(MeterRegistry registry, LongSupplier size, LongSupplier nanos) {
        DatabaseSizeMetrics gauge = new DatabaseSizeMetrics(size, nanos);
        // held strongly: Micrometer keeps a gauge's object weakly, and nothing else holds this one
        Gauge.builder("kiebot.database", gauge, DatabaseSizeMetrics::bytes).baseUnit("bytes")
                .description("the database's size on disk (pg_database_size), read at most once a minute")
                .strongReference(true).register(registry);
        return gauge;
    }

    /** The size read last, read again when the last read is a minute old (a scrape waits for that one read). */
    synchronized double bytes() {
        long now = nanos.getAsLong();
        if (!read || now - readAt >= READ_EVERY.toNanos()) {
            read = true;
            readAt = now;
            try {
                bytes = size.getAsLong();
            } catch (RuntimeException databaseAway) {
                bytes = Double.NaN;
            }
        }
        return bytes;
    }
}
