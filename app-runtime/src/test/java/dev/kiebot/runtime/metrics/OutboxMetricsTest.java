package dev.kiebot.runtime.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.reply.Keyboard;
import dev.kiebot.core.reply.Outgoing;
import dev.kiebot.core.reply.PendingReplies;
import dev.kiebot.core.reply.Reply;
import dev.kiebot.core.testing.MutableClock;
import dev.kiebot.core.testing.memory.InMemoryStores;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The gauge that shows replies that do not leave (users who paid and were answered nothing), as {@code /metrics}
 * serves it: how long the oldest reply not sent yet has waited.
 */
class OutboxMetricsTest {
    private final MutableClock clock = MutableClock.at("2026-11-21T10:00:00Z");
    private final PendingReplies outbox = InMemoryStores.create(clock).pendingReplies();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    @Test
    void metricsSayHowLongTheOldestReplyNotSentYetHasWaited() {
        OutboxMetrics.bindTo(registry, outbox, clock);
        String none = registry.scrape();
        outbox.append(List.of(Outgoing.plain(new Reply.SendText(42, "Оплата получена", Keyboard.NONE))),
                clock.instant());
        clock.advance(Duration.ofSeconds(300));
        String stuck = registry.scrape();

        assertThat(none).contains("# HELP kiebot_outbox_oldest_pending_seconds how long the oldest reply not sent "
                + "yet has waited").contains("# TYPE kiebot_outbox_oldest_pending_seconds gauge")
                .contains("kiebot_outbox_oldest_pending_seconds 0.0");
        assertThat(stuck).contains("kiebot_outbox_oldest_pending_seconds 300.0").doesNotContain("42");
    }

    @Test
    void aDatabaseThatDoesNotAnswerShowsNoFigureRatherThanAFalseOne() {
        PendingReplies away = (PendingReplies) java.lang.reflect.Proxy.newProxyInstance(
                PendingReplies.class.getClassLoader(), new Class<?>[] {PendingReplies.class}, (proxy, m, args) -> {
                    throw new IllegalStateException("connection refused");
                });
        assertThat(OutboxMetrics.oldestWaitSeconds(away, clock)).isNaN();
    }
}
