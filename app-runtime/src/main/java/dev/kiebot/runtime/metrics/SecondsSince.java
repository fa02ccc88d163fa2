package dev.kiebot.runtime.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A gauge of the seconds since an instant read from the database at each scrape, never otherwise (the oldest update
 * or reply still waiting, the earliest job overdue): 0 when there is none, NaN when the database does not answer.
 */
final class SecondsSince {
    private SecondsSince() {
    }

    static void register(MeterRegistry registry, String name, String description, Supplier<Optional<Instant>> since,
                         Clock clock) {
        Gauge.builder(name, () -> seconds(since, clock))
                .description(description)
                .baseUnit("seconds")
                .register(registry);
    }

    static double seconds(Supplier<Optional<Instant>> since, Clock clock) {
        try {
            return since.get()
                    .map(at -> Math.max(0, Duration.between(at, clock.instant()).toMillis() / 1000.0))
                    .orElse(0.0);
        } catch (RuntimeException databaseAway) {
            return Double.NaN;
        }
    }
}
