package dev.kiebot.runtime.metrics;

import dev.kiebot.core.shop.OverdueHolds;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;

/**
 * {@code kiebot_ledger_overdue_hold_age_seconds}: how long the oldest hold past its deadline has been left open by the
 * sweep of expired holds (0 with none), as core's {@link OverdueHolds} read it once after the last sweep: a scrape
 * reads nothing (an idle bot stays idle), and between sweeps the age grows with the clock. NaN when that read failed.
 * The WARN of a hold stuck past {@link OverdueHolds#WARN_AFTER}, and its all-clear, are core's, said by the shop's
 * sweep as to a partner's shop: no second rule here.
 */
public final class OverdueHoldsMetrics {
    private OverdueHoldsMetrics() {
    }

    /**
     * Registers the gauge.
     *
     * @param registry where it goes
     * @param holds    the shop's watch of them ({@code Shop.overdueHolds()})
     * @param clock    the shop's clock
     */
    public static void bindTo(MeterRegistry registry, OverdueHolds holds, Clock clock) {
        Gauge.builder("kiebot.ledger.overdue.hold.age.seconds", holds,
                        h -> h.oldestPastDeadline(clock.instant()).map(age -> age.toMillis() / 1000.0)
                                .orElse(Double.NaN))
                .description("how long the oldest hold past its deadline has been left open by the sweep")
                .baseUnit("seconds")
                .strongReference(true)
                .register(registry);
    }
}
