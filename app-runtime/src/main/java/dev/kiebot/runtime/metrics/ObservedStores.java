package dev.kiebot.runtime.metrics;

import dev.kiebot.core.ledger.AccountId;
import dev.kiebot.core.ledger.Balance;
import dev.kiebot.core.ledger.Ledger;
import dev.kiebot.core.shop.Stores;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.function.ToLongFunction;

/**
 * The stores as the shop uses them, watched for /metrics and the log: jobs ({@link ObservedJobs}), the inbound
 * limit ({@link MeteredAdmissions}), and the money in the ledger, read when /metrics is scraped: held by
 * generations in progress and earned (both in minor units of {@code CURRENCY}).
 */
public final class ObservedStores {
    private ObservedStores() {
    }

    public static Stores of(Stores s, MeterRegistry registry, Clock clock) {
        money(registry, s.ledger());
        return s.withJobs(new ObservedJobs(s.jobs(), registry, clock))
                .withAdmissions(new MeteredAdmissions(s.admissions(), registry));
    }

    private static void money(MeterRegistry registry, Ledger ledger) {
        // every generation hold credits revenue while pending: its pending credits are the money held right now
        gauge(registry, "kiebot.money.held.minor", ledger, Balance::creditsPending);
        gauge(registry, "kiebot.revenue.minor", ledger, Balance::posted);
    }

    private static void gauge(MeterRegistry registry, String name, Ledger ledger, ToLongFunction<Balance> part) {
        Gauge.builder(name, ledger, l -> {
            try {
                return part.applyAsLong(l.balance(AccountId.REVENUE));
            } catch (RuntimeException e) {
                return Double.NaN; // database unreachable: /readyz says so; /metrics still answers
            }
        }).register(registry);
    }
}
