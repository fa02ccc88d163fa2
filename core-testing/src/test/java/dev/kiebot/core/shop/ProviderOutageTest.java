package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiebot.core.jobs.ErrorKind;
import dev.kiebot.core.testing.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProviderOutageTest {
    /**
     * The machine's clock stepped back an hour (NTP) during a pause: the pause still ends about {@link
     * ProviderOutage#PAUSE} after the refusal, not an hour and five minutes after it with every order answered «paused».
     */
    @Test
    void aPauseOutlivesNoBackwardStepOfTheClock() {
        MutableClock clock = MutableClock.at("2026-11-21T10:00:00Z");
        ProviderOutage outage = new ProviderOutage(clock);
        outage.refused(ErrorKind.OUT_OF_CREDITS);
        assertThat(outage.takesOrders()).isFalse();

        clock.advance(Duration.ofHours(-1));
        clock.advance(ProviderOutage.PAUSE.plusSeconds(1));

        assertThat(outage.takesOrders()).isTrue();
    }

    /** Without a step the pause lasts its length. */
    @Test
    void aPauseLastsItsLength() {
        MutableClock clock = MutableClock.at("2026-11-21T10:00:00Z");
        ProviderOutage outage = new ProviderOutage(clock);
        outage.refused(ErrorKind.AUTH);
        clock.advance(ProviderOutage.PAUSE.minusSeconds(1));
        assertThat(outage.takesOrders()).isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(outage.takesOrders()).isTrue();
    }
}
