package dev.kiebot.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Modifier;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The test clock keeps {@code Clock}'s contract and its own word of being thread-safe. */
class MutableClockTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @Test
    void withZoneReadsTheSameInstantInThatZoneAndMovesWithTheClock() {
        MutableClock clock = MutableClock.at("2026-11-21T23:30:00Z");
        Clock berlin = clock.withZone(BERLIN);

        assertThat(berlin.getZone()).isEqualTo(BERLIN);
        assertThat(berlin.instant()).isEqualTo(clock.instant());
        assertThat(LocalDateTime.now(berlin)).isEqualTo(LocalDateTime.parse("2026-11-22T00:30:00"));
        clock.advance(Duration.ofHours(1));
        assertThat(berlin.instant()).isEqualTo(Instant.parse("2026-11-22T00:30:00Z"));
        clock.set(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(LocalDateTime.now(berlin)).isEqualTo(LocalDateTime.parse("2026-01-01T01:00:00"));
        assertThat(berlin.withZone(ZoneOffset.UTC)).isSameAs(clock);
        assertThat(clock.withZone(ZoneOffset.UTC)).isSameAs(clock);
    }

    /** set and advance take turns: a set between advance's read and write was lost (advance wrote over it). */
    @Test
    void setTakesTurnsWithAdvance() throws NoSuchMethodException {
        assertThat(Modifier.isSynchronized(MutableClock.class.getMethod("set", Instant.class).getModifiers())).isTrue();
        assertThat(Modifier.isSynchronized(MutableClock.class.getMethod("advance", Duration.class).getModifiers()))
                .isTrue();
    }
}
