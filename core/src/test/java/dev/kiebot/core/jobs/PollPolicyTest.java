package dev.kiebot.core.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PollPolicyTest {
    /** A negative delay made every job due at once, for ever: refused when the policy is made, not met as a busy loop. */
    @Test
    void aNegativeOrMissingDelayIsRefusedWhenThePolicyIsMade() {
        assertThatThrownBy(() -> PollPolicy.every(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT-1S");
        assertThatThrownBy(() -> PollPolicy.every(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void zeroAndMoreAreKept() {
        assertThat(PollPolicy.every(Duration.ZERO).nextDelay(3, Duration.ofMinutes(1))).isZero();
        assertThat(PollPolicy.every(Duration.ofSeconds(5)).nextDelay(0, Duration.ZERO)).hasSeconds(5);
    }
}
