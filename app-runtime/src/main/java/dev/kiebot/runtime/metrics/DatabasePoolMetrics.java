package dev.kiebot.runtime.metrics;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.kiebot.postgres.Database;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import javax.sql.DataSource;

/**
 * The database connection pool as {@code /metrics} shows it: {@code kiebot_database_connections{state}} (active:
 * lent out now; idle: open, free), {@code kiebot_database_connections_max} and
 * {@code kiebot_database_threads_waiting}, the threads waiting for a connection. Every handler, sender and worker
 * takes one: a pool used up (a slow database, a transaction left open) stops them all while {@code /readyz}, which
 * asks for one connection once, may still say 200; the waiting threads are what shows it first. Read from the pool
 * at each scrape (no database round trip); NaN before the pool started. The gauges hold their pool reader strongly:
 * Micrometer keeps a gauge's object weakly, and a reader made here is held by nothing else (the first GC took it).
 */
public final class DatabasePoolMetrics {
    private DatabasePoolMetrics() {
    }

    /**
     * For the bot's own pool: the gauges above, and {@code kiebot_database_connection_timeouts_total}, the requests for
     * a connection that waited the pool's whole timeout and failed (a waiting thread shows only while it waits).
     */
    public static void bindTo(MeterRegistry registry, Database database) {
        bindTo(registry, database.dataSource());
        FunctionCounter.builder("kiebot_database_connection_timeouts", database, Database::connectionTimeouts)
                .description("requests for a pooled database connection that waited the whole timeout and failed")
                .register(registry);
    }

    /** The gauges above for a pool; a data source that is not HikariCP's shows nothing. */
    public static void bindTo(MeterRegistry registry, DataSource dataSource) {
        if (dataSource instanceof HikariDataSource hikari) {
            bindTo(registry, hikari::getHikariPoolMXBean, hikari.getMaximumPoolSize());
        }
    }

    static void bindTo(MeterRegistry registry, Supplier<HikariPoolMXBean> pool, int maxSize) {
        connections(registry, pool, "active", HikariPoolMXBean::getActiveConnections);
        connections(registry, pool, "idle", HikariPoolMXBean::getIdleConnections);
        Gauge.builder("kiebot.database.connections.max", () -> maxSize)
                .description("the most connections the pool opens").register(registry);
        Gauge.builder("kiebot.database.threads.waiting", pool, p -> read(p, HikariPoolMXBean::getThreadsAwaitingConnection))
                .description("threads waiting for a pooled database connection (above 0 for long: the pool is used up)")
                .strongReference(true).register(registry);
    }

    private static void connections(MeterRegistry registry, Supplier<HikariPoolMXBean> pool, String state,
                                    ToIntFunction<HikariPoolMXBean> figure) {
        Gauge.builder("kiebot.database.connections", pool, p -> read(p, figure)).tag("state", state)
                .description("pooled database connections, lent out (active) or free (idle)")
                .strongReference(true).register(registry);
    }

    private static double read(Supplier<HikariPoolMXBean> pool, ToIntFunction<HikariPoolMXBean> figure) {
        HikariPoolMXBean bean = pool.get();
        return bean == null ? Double.NaN : figure.applyAsInt(bean);
    }
}
