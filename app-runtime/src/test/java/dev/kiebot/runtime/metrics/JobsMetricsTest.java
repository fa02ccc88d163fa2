package dev.kiebot.runtime.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.jobs.ForwardingJobs;
import dev.kiebot.core.jobs.Jobs;
import dev.kiebot.core.testing.MutableClock;
import dev.kiebot.core.testing.memory.InMemoryStores;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A job worker that stopped taking generations shows in {@code /metrics}: how late the earliest due check is. */
class JobsMetricsTest {
    private final MutableClock clock = MutableClock.at("2026-11-21T10:00:00Z");
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicReference<Optional<Instant>> nextCheck = new AtomicReference<>(Optional.empty());
    private final Jobs jobs = new ForwardingJobs(InMemoryStores.create(clock).jobs()) {
        @Override
        public Optional<Instant> nextCheckAt() {
            return nextCheck.get();
        }
    };

    @Test
    void aCheckLeftUndoneGrowsWhileOneToComeIsNotLate() {
        JobsMetrics.bindTo(registry, jobs, clock);
        String none = registry.scrape();
        nextCheck.set(Optional.of(clock.instant().plusSeconds(5)));
        String ahead = registry.scrape();
        clock.advance(Duration.ofSeconds(125));
        String late = registry.scrape();

        assertThat(none).contains("# HELP kiebot_jobs_check_late_seconds how long the earliest generation due for "
                + "a check has been left unchecked").contains("kiebot_jobs_check_late_seconds 0.0");
        assertThat(ahead).contains("kiebot_jobs_check_late_seconds 0.0");
        assertThat(late).contains("kiebot_jobs_check_late_seconds 120.0");
    }

    @Test
    void aDatabaseThatDoesNotAnswerShowsNoFigureRatherThanAFalseOne() {
        Jobs away = new ForwardingJobs(jobs) {
            @Override
            public Optional<Instant> nextCheckAt() {
                throw new IllegalStateException("connection refused");
            }
        };
        assertThat(JobsMetrics.lateSeconds(away, clock)).isNaN();
    }
}
