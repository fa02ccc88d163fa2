package dev.kiebot.runtime.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.postgres.Database;
import dev.kiebot.postgres.testing.TestDatabase;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The database's size is on {@code /metrics} (review L: a 1 GB free database filled with nothing to watch), read from
 * PostgreSQL at most once a minute however often it is scraped.
 */
class DatabaseSizeMetricsTest {
    private static final Pattern BYTES = Pattern.compile("(?m)^kiebot_database_bytes ([0-9.E]+)$");
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    @Test
    void theEmbeddedDatabasesSizeIsAPositiveNumberOfBytes() {
        try (Database database = TestDatabase.newPool(1)) {
            DatabaseSizeMetrics.bindTo(registry, database);

            String scrape = registry.scrape();
            assertThat(scrape).contains("# HELP kiebot_database_bytes the database's size on disk");
            Matcher m = BYTES.matcher(scrape);
            assertThat(m.find()).as(scrape).isTrue();
            assertThat(Double.parseDouble(m.group(1))).as("more than a megabyte: kiebot's tables and indexes")
                    .isGreaterThan(1_000_000);
        }
    }

    @Test
    void aBurstOfScrapesReadsTheSizeOnceAndAMinuteLaterAgain() {
        AtomicInteger reads = new AtomicInteger();
        AtomicLong nanos = new AtomicLong(5);
        DatabaseSizeMetrics.bindTo(registry, () -> 1000L * reads.incrementAndGet(), nanos::get);

        for (int i = 0; i < 5; i++) {
            assertThat(registry.scrape()).contains("kiebot_database_bytes 1000.0");
        }
        nanos.addAndGet(DatabaseSizeMetrics.READ_EVERY.minusMillis(1).toNanos());
        assertThat(registry.scrape()).contains("kiebot_database_bytes 1000.0");
        assertThat(reads).hasValue(1);
        nanos.addAndGet(Duration.ofMillis(1).toNanos());
        assertThat(registry.scrape()).contains("kiebot_database_bytes 2000.0");
        assertThat(reads).hasValue(2);
    }

    @Test
    void aFailedReadIsNoFigureAndIsTriedAgainAMinuteLater() {
        AtomicLong nanos = new AtomicLong();
        AtomicInteger reads = new AtomicInteger();
        DatabaseSizeMetrics.bindTo(registry, () -> {
            if (reads.incrementAndGet() == 1) {
                throw new IllegalStateException("database away");
            }
            return 4096L;
        }, nanos::get);

        assertThat(registry.scrape()).contains("kiebot_database_bytes NaN");
        assertThat(registry.scrape()).contains("kiebot_database_bytes NaN");
        nanos.addAndGet(DatabaseSizeMetrics.READ_EVERY.toNanos());
        assertThat(registry.scrape()).contains("kiebot_database_bytes 4096.0");
        assertThat(reads).hasValue(2);
    }
}
