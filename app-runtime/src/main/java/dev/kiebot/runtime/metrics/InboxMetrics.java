package dev.kiebot.runtime.metrics;

import dev.kiebot.core.intake.ProcessedUpdates;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;

/**
 * {@code kiebot_inbox_oldest_pending_seconds}: how long the oldest update not handled yet has waited (0 with none).
 * A few seconds under a crowd; growing without end is a stuck inbox (an update failing first in line holds every
 * chat behind it), which {@code /readyz} does not show. Read from the database at each scrape, never otherwise; NaN
 * when the database does not answer.
 */
public final class InboxMetrics {
    private InboxMetrics() {
    }

    public static void bindTo(MeterRegistry registry, ProcessedUpdates inbox, Clock clock) {
        SecondsSince.register(registry, "kiebot.inbox.oldest.pending.seconds",
                "how long the oldest update not handled yet has waited", inbox::oldestPending, clock);
    }

    static double oldestWaitSeconds(ProcessedUpdates inbox, Clock clock) {
        return SecondsSince.seconds(inbox::oldestPending, clock);
    }
}
