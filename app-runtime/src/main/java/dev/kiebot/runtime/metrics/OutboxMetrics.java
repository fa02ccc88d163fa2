package dev.kiebot.runtime.metrics;

import dev.kiebot.core.reply.PendingReplies;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;

/**
 * {@code kiebot_outbox_oldest_pending_seconds}: how long the oldest reply not sent yet has waited (0 with none).
 * Seconds at most while Telegram takes replies; growing is users who are answered nothing — a result, a "payment
 * received" — while the bot looks well: updates are handled, {@code /readyz} is 200, and no admin alert can say it,
 * as alerts leave through this same outbox. {@code kiebot_replies_total} counts the sends that happen, not the
 * replies that stay. Read from the database at each scrape, never otherwise; NaN when the database does not answer.
 */
public final class OutboxMetrics {
    private OutboxMetrics() {
    }

    public static void bindTo(MeterRegistry registry, PendingReplies outbox, Clock clock) {
        Gauge.builder("kiebot.outbox.oldest.pending.seconds", outbox, replies -> oldestWaitSeconds(replies, clock))
                .description("how long the oldest reply not sent yet has waited")
                .baseUnit("seconds")
                .register(registry);
    }

    static double oldestWaitSeconds(PendingReplies outbox, Clock clock) {
        try {
            return outbox.oldestWaiting()
                    .map(at -> Math.max(0, Duration.between(at, clock.instant()).toMillis() / 1000.0))
                    .orElse(0.0);
        } catch (RuntimeException databaseAway) {
            return Double.NaN;
        }
    }
}
