package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

/** What {@link ReplySender} reads to say a waiting reply's deferral once, not at each of its tries. */
class DeferralsTest {
    private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");

    @Test
    void aMessageIsCountedFromItsFirstDeferralUntilItGoesOrIsGivenUp() {
        Deferrals<Long> deferrals = new Deferrals<>(Duration.ofHours(24), "replies");
        assertThat(deferrals.counts(7L)).as("never deferred").isFalse();
        assertThat(deferrals.since(7L)).isEmpty();

        assertThat(deferrals.next(7L, Duration.ofSeconds(15), T0)).contains(Duration.ofSeconds(15));
        assertThat(deferrals.counts(7L)).as("deferred once: the next try's deferral is not its first").isTrue();
        assertThat(deferrals.next(7L, Duration.ofSeconds(15), T0.plusSeconds(15))).contains(Duration.ofSeconds(30));
        assertThat(deferrals.since(7L)).as("from its first deferral").contains(T0);

        deferrals.forget(7L);
        assertThat(deferrals.counts(7L)).as("went").isFalse();
        assertThat(deferrals.since(7L)).isEmpty();

        deferrals.next(8L, Duration.ofSeconds(15), T0);
        assertThat(deferrals.next(8L, Duration.ofSeconds(15), T0.plus(Duration.ofHours(24)))).as("given up").isEmpty();
        assertThat(deferrals.counts(8L)).isFalse();
    }

    /**
     * A try whose outcome is unknown (the messenger threw) marks the message until it is forgotten, whatever its later
     * tries: {@link ReplySender} then settles a given-up result as uncertain, not as surely not sent.
     */
    @Test
    void aTryWhoseOutcomeIsUnknownMarksTheMessageUntilItIsForgotten() {
        Deferrals<Long> deferrals = new Deferrals<>(Duration.ofHours(24), "replies");
        deferrals.next(7L, Duration.ofSeconds(15), T0);
        assertThat(deferrals.uncertain(7L)).as("a plain deferral surely did not arrive").isFalse();
        deferrals.next(7L, Duration.ofSeconds(5), T0.plusSeconds(15), true);
        deferrals.next(7L, Duration.ofSeconds(15), T0.plusSeconds(30));
        assertThat(deferrals.uncertain(7L)).as("a later plain deferral does not clear it").isTrue();
        deferrals.forget(7L);
        assertThat(deferrals.uncertain(7L)).isFalse();
    }

    /**
     * Past 10,000 messages waiting at once the oldest counts are forgotten: the message is only tried sooner again (its
     * reply stays first in its queue, nothing lost or doubled), and the operator hears of it once a spell.
     */
    @Test
    void forgettingTheOldestForWantOfRoomIsSaidOnceASpell() {
        try (LoggedLines logged = LoggedLines.recording(Deferrals.class, Level.ALL)) {
            List<String> lines = logged.lines();
            Deferrals<Long> deferrals = new Deferrals<>(Duration.ofHours(24), "replies");
            deferrals.next(0L, Duration.ofSeconds(15), T0);
            deferrals.next(0L, Duration.ofSeconds(15), T0.plusSeconds(15));
            for (long m = 1; m <= Deferrals.TRACKED_MAX + 5; m++) {
                deferrals.next(m, Duration.ofSeconds(15), T0.plusSeconds(30));
            }
            assertThat(lines).singleElement().asString().startsWith("WARNING more than 10000 replies wait")
                    .contains("none is lost or sent twice");
            assertThat(deferrals.counts(0L)).as("the oldest, forgotten").isFalse();
            assertThat(deferrals.next(0L, Duration.ofSeconds(15), T0.plusSeconds(60)))
                    .as("tried again sooner, as after a restart").contains(Duration.ofSeconds(15));

            for (long m = 1; m <= Deferrals.TRACKED_MAX + 5; m++) {
                deferrals.forget(m);
            }
            assertThat(lines).hasSize(2).last().asString().startsWith("INFO replies waiting");
            for (long m = 1; m <= Deferrals.TRACKED_MAX + 5; m++) {
                deferrals.next(m, Duration.ofSeconds(15), T0.plusSeconds(90));
            }
            assertThat(lines).as("a new spell, said again").hasSize(3).last().asString().startsWith("WARNING");
        }
    }
}
