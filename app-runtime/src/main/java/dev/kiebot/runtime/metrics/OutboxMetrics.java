package dev.kiebot.runtime.metrics;

import dev.kiebot.core.reply.PendingReplies;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;

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
        SecondsSince.register(registry, "kiebot.outbox.oldest.pending.seconds",
                "how long the oldest reply not sent yet has waited", outbox::oldestWaiting, clock);
    }

    static double oldestWaitSeconds(PendingReplies outbox, Clock clock) {
        return SecondsSince.seconds(outbox::oldestWaiting, clock);
    }
}
