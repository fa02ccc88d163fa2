package dev.kiebot.runtime.loops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A whole safety poll's rest is spread over its last tenth, so loops started together stop polling together. */
class SafetyPollTest {
    private final SafetyPoll poll = new SafetyPoll(Duration.ofSeconds(60));

    @Test
    void aWholeRestIsShortenedByUpToATenth() {
        Set<Duration> rests = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            Duration rest = poll.spread(poll.period());
            assertThat(rest).isBetween(Duration.ofSeconds(54), Duration.ofSeconds(60));
            rests.add(rest);
        }
        assertThat(rests).as("200 rests of loops started together must not all end at one instant").hasSizeGreaterThan(100);
    }

    @Test
    void workFallingDueIsAwaitedExactly() {
        assertThat(poll.spread(Duration.ofSeconds(7))).isEqualTo(Duration.ofSeconds(7));
        assertThat(poll.spread(poll.until(Duration.ofSeconds(59)))).isEqualTo(Duration.ofMillis(59_001));
    }
}
