package dev.kiebot.runtime.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.runtime.http.CallTimes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** The Bot API calls' counters, kept once made: each call counts under its own method and outcome. */
class TelegramCallsTest {
    @Test
    void everyCallCountsUnderItsMethodAndOutcome() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        TelegramCalls calls = new TelegramCalls(registry, new CallTimes(), Clock.systemUTC());
        calls.called("sendMessage", 200, 1);
        calls.called("sendMessage", 200, 1);
        calls.called("sendMessage", 429, 1);
        calls.called("editMessageText", 200, 1);
        calls.called("editMessageText", 429, 1);
        calls.called("editMessageText", 429, 1);

        assertThat(count(registry, "sendMessage", "ok")).isEqualTo(2);
        assertThat(count(registry, "sendMessage", "throttled")).isEqualTo(1);
        assertThat(count(registry, "editMessageText", "ok")).isEqualTo(1);
        assertThat(count(registry, "editMessageText", "throttled")).isEqualTo(2);
        assertThat(registry.get("kiebot.telegram.throttled").tag("method", "sendMessage").counter().count())
                .isEqualTo(1);
        assertThat(registry.get("kiebot.telegram.throttled").tag("method", "editMessageText").counter().count())
                .isEqualTo(2);
    }

    @Test
    void aClearedRegistryGetsItsCountersAgain() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        TelegramCalls calls = new TelegramCalls(registry, new CallTimes(), Clock.systemUTC());
        calls.called("sendMessage", 429, 1);
        registry.clear();
        calls.called("sendMessage", 429, 1);

        assertThat(count(registry, "sendMessage", "throttled")).isEqualTo(1);
        assertThat(registry.get("kiebot.telegram.throttled").tag("method", "sendMessage").counter().count())
                .isEqualTo(1);
    }

    private static double count(SimpleMeterRegistry registry, String method, String outcome) {
        return registry.get("kiebot.telegram.calls").tag("method", method).tag("outcome", outcome).counter().count();
    }
}
