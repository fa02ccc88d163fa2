package dev.kiebot.polling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PollingBackoffTest {
    @Test
    void telegramsPaceDoublesFromOneSecondToHalfAMinute() {
        PollingBackoff pace = PollingBackoff.TELEGRAM;
        Duration pause = pace.first();
        StringBuilder seen = new StringBuilder();
        for (int i = 0; i < 7; i++) {
            seen.append(pause.toSeconds()).append(' ');
            pause = pace.after(pause);
        }
        assertThat(seen.toString().trim()).isEqualTo("1 2 4 8 16 30 30");
    }

    @Test
    void fasterKeepsTheSequencesShape() {
        PollingBackoff quick = PollingBackoff.TELEGRAM.faster(10);
        assertThat(quick.first()).isEqualTo(Duration.ofMillis(100));
        assertThat(quick.max()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void aPauseOfZeroOrAMaximumBelowTheFirstIsRefused() {
        assertThatThrownBy(() -> new PollingBackoff(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("first > 0");
        assertThatThrownBy(() -> new PollingBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
