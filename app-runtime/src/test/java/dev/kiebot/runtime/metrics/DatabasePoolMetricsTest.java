package dev.kiebot.runtime.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.kiebot.postgres.Database;
import dev.kiebot.postgres.testing.TestDatabase;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.sql.Connection;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

/** A used-up connection pool shows in {@code /metrics}: connections lent out, and the threads waiting for one. */
class DatabasePoolMetricsTest {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    @Test
    void aPoolUsedUpShowsItsConnectionsAllLentOutAndTheThreadsWaiting() {
        DatabasePoolMetrics.bindTo(registry, () -> new UsedUp(10, 0, 7), 10);

        assertThat(registry.scrape())
                .contains("kiebot_database_connections{state=\"active\"} 10.0")
                .contains("kiebot_database_connections{state=\"idle\"} 0.0")
                .contains("kiebot_database_connections_max 10.0")
                .contains("# HELP kiebot_database_threads_waiting threads waiting for a pooled database connection")
                .contains("kiebot_database_threads_waiting 7.0");
    }

    /**
     * Micrometer holds a gauge's object weakly: a method reference made at binding (the pool's {@code
     * getHikariPoolMXBean}) was collected by the first GC and every later scrape read NaN, so an alert on a used-up
     * pool could never fire.
     */
    @Test
    void thePoolIsStillReadAfterAGarbageCollection() {
        UsedUp bean = new UsedUp(3, 1, 2);
        DatabasePoolMetrics.bindTo(registry, () -> bean, 4); // capturing: a new object, held by nothing else

        System.gc();

        assertThat(registry.scrape())
                .contains("kiebot_database_connections{state=\"active\"} 3.0")
                .contains("kiebot_database_connections{state=\"idle\"} 1.0")
                .contains("kiebot_database_threads_waiting 2.0");
    }

    @Test
    void theBotsOwnPoolIsReadBeforeItStartedAsNoFigure() {
        try (HikariDataSource notStarted = new HikariDataSource()) {
            notStarted.setMaximumPoolSize(4);
            DatabasePoolMetrics.bindTo(registry, notStarted);

            assertThat(registry.scrape()).contains("kiebot_database_threads_waiting NaN")
                    .contains("kiebot_database_connections_max 4.0");
        }
    }

    /**
     * A request that waited its whole connection timeout for a pool used up fails (an update rolled back, a reply not
     * settled) and is gone by the next scrape of the waiting threads; the bot's pool counts it.
     */
    @Test
    void aConnectionRequestTimedOutIsCountedOnTheBotsPool() throws Exception {
        try (Database database = TestDatabase.newPool(1)) {
            DatabasePoolMetrics.bindTo(registry, database);
            assertThat(registry.scrape()).contains("kiebot_database_connection_timeouts_total 0.0");
            HikariDataSource pool = (HikariDataSource) database.dataSource();
            try (Connection held = pool.getConnection()) {
                pool.getHikariConfigMXBean().setConnectionTimeout(250); // HikariCP's least: the wait is the test's
                assertThatThrownBy(pool::getConnection).isInstanceOf(SQLTransientConnectionException.class);
            }

            assertThat(registry.scrape()).contains("kiebot_database_connection_timeouts_total 1.0")
                    .contains("kiebot_database_connections_max 1.0");
        }
    }

    private record UsedUp(int active, int idle, int waiting) implements HikariPoolMXBean {
        @Override
        public int getIdleConnections() {
            return idle;
        }

        @Override
        public int getActiveConnections() {
            return active;
        }

        @Override
        public int getTotalConnections() {
            return active + idle;
        }

        @Override
        public int getThreadsAwaitingConnection() {
            return waiting;
        }

        @Override
        public void softEvictConnections() {
        }

        @Override
        public void suspendPool() {
        }

        @Override
        public void resumePool() {
        }
    }
}
