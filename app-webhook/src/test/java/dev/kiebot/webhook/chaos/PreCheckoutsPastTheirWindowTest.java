package dev.kiebot.webhook.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The kill -9 test lets an unanswered pre-checkout pass only when a restart made it too late
 * ({@link CrashChecks#pastItsWindowAtARestart}): a kill inside its 10 s, and the runner after it ready, or handling
 * it, only past them. The other conditions (no Stars charge for its invoice, its chat told) are read from the run.
 */
class PreCheckoutsPastTheirWindowTest {
    private static final Instant POSTED = Instant.parse("2026-12-07T12:00:00Z");

    private static CrashChecks.Restart restart(long killedAfterS, long readyAfterS) {
        return new CrashChecks.Restart(POSTED.plusSeconds(killedAfterS), POSTED.plusSeconds(readyAfterS));
    }

    private static Optional<Instant> handledAfter(long seconds) {
        return Optional.of(POSTED.plusSeconds(seconds));
    }

    @Test
    void killedInsideTheWindowAndReadyAfterItPasses() {
        assertThat(CrashChecks.pastItsWindowAtARestart(POSTED, Optional.empty(), List.of(restart(1, 19)))).isTrue();
        assertThat(CrashChecks.pastItsWindowAtARestart(POSTED, handledAfter(21), List.of(restart(1, 19)))).isTrue();
    }

    @Test
    void handledByTheRestartAfterTheWindowPassesThoughItWasReadyInside() {
        assertThat(CrashChecks.pastItsWindowAtARestart(POSTED, handledAfter(12), List.of(restart(1, 8)))).isTrue();
    }

    @Test
    void aRestartReadyAndHandlingItInsideTheWindowDoesNotPass() {
        assertThat(CrashChecks.pastItsWindowAtARestart(POSTED, handledAfter(6), List.of(restart(1, 5))))
                .as("handled by the restart in time").isFalse();
        assertThat(CrashChecks.pastItsWindowAtARestart(POSTED, handledAfter(0), List.of(restart(1, 5))))
                .as("handled before the kill, its kept answer due at the start in time").isFalse();
    }

    @Test
    void noKillInsideTheWindowDoesNotPass() {
        assertThat(CrashChecks.pastItsWindowAtARestart(POSTED, handledAfter(12), List.of())).as("slow alone")
                .isFalse();
        assertThat(CrashChecks.pastItsWindowAtARestart(POSTED, handledAfter(40), List.of(restart(11, 30))))
                .as("killed after its window").isFalse();
        assertThat(CrashChecks.pastItsWindowAtARestart(POSTED, handledAfter(40), List.of(restart(-1, 30))))
                .as("killed before it was posted").isFalse();
    }
}
