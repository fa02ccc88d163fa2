package dev.kiebot.runtime.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
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

    @Test
    void theBotsOwnPoolIsReadBeforeItStartedAsNoFigure() {
        try (HikariDataSource notStarted = new HikariDataSource()) {
            notStarted.setMaximumPoolSize(4);
            DatabasePoolMetrics.bindTo(registry, notStarted);

            assertThat(registry.scrape()).contains("kiebot_database_threads_waiting NaN")
                    .contains("kiebot_database_connections_max 4.0");
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
