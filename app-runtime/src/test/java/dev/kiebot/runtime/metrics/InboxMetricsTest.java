package dev.kiebot.runtime.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.intake.ProcessedUpdates;
import dev.kiebot.core.testing.MutableClock;
import dev.kiebot.core.testing.memory.InMemoryStores;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The gauge that shows a stuck inbox: how long the oldest update not handled yet has waited. */
class InboxMetricsTest {
    private final MutableClock clock = MutableClock.at("2026-11-21T10:00:00Z");
    private final ProcessedUpdates inbox = InMemoryStores.create(clock).processedUpdates();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void theGaugeSaysHowLongTheOldestPendingUpdateHasWaited() {
        InboxMetrics.bindTo(registry, inbox, clock);
        double none = registry.get("kiebot.inbox.oldest.pending.seconds").gauge().value();
        inbox.record(1, 10, "{}", clock.instant());
        clock.advance(Duration.ofSeconds(90));

        assertThat(none).isZero();
        assertThat(registry.get("kiebot.inbox.oldest.pending.seconds").gauge().value()).isEqualTo(90.0);
    }

    @Test
    void aDatabaseThatDoesNotAnswerShowsNoFigureRatherThanAFalseOne() {
        ProcessedUpdates away = (ProcessedUpdates) java.lang.reflect.Proxy.newProxyInstance(
                ProcessedUpdates.class.getClassLoader(), new Class<?>[] {ProcessedUpdates.class}, (proxy, m, args) -> {
                    throw new IllegalStateException("connection refused");
                });
        assertThat(InboxMetrics.oldestWaitSeconds(away, clock)).isNaN();
    }
}
