package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What {@link ReplySender} reads to say a waiting reply's deferral once, not at each of its tries. */
class DeferralsTest {
    private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");

    @Test
    void aMessageIsCountedFromItsFirstDeferralUntilItGoesOrIsGivenUp() {
        Deferrals<Long> deferrals = new Deferrals<>(Duration.ofHours(24));
        assertThat(deferrals.counts(7L)).as("never deferred").isFalse();

        assertThat(deferrals.next(7L, Duration.ofSeconds(15), T0)).contains(Duration.ofSeconds(15));
        assertThat(deferrals.counts(7L)).as("deferred once: the next try's deferral is not its first").isTrue();
        assertThat(deferrals.next(7L, Duration.ofSeconds(15), T0.plusSeconds(15))).contains(Duration.ofSeconds(30));

        deferrals.forget(7L);
        assertThat(deferrals.counts(7L)).as("went").isFalse();

        deferrals.next(8L, Duration.ofSeconds(15), T0);
        assertThat(deferrals.next(8L, Duration.ofSeconds(15), T0.plus(Duration.ofHours(24)))).as("given up").isEmpty();
        assertThat(deferrals.counts(8L)).isFalse();
    }
}
