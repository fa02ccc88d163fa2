package dev.kiebot.core.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * An inbox's count of failures in a row stays bounded without restarting the count of the update that has been
 * failing longest: a burst of deadlocks over more chats than the bound once cleared every count, so the «10 tries and
 * 30 s» give-up held only while fewer than 257 updates were counted.
 */
class FailuresInARowTest {
    private static final Instant T0 = Instant.parse("2026-12-05T20:00:00Z");

    @Test
    void aBurstOverMoreUpdatesThanTheBoundKeepsTheCountOfTheOneFailingLongest() {
        FailuresInARow failures = new FailuresInARow(256);
        for (int i = 0; i < 5; i++) {
            failures.count(1, T0.plusSeconds(i));
        }
        for (long other = 2; other <= 400; other++) {
            failures.count(other, T0.plusSeconds(10).plusMillis(other));
        }
        assertThat(failures.tracked()).as("bounded").isEqualTo(256);
        FailuresInARow.Tries sixth = failures.count(1, T0.plus(Duration.ofSeconds(30)));
        assertThat(sixth.count()).as("its count goes on").isEqualTo(6);
        assertThat(sixth.first()).isEqualTo(T0);
    }

    @Test
    void anUpdateHandledAtLastIsForgottenAndCountsAfreshIfItEverFailsAgain() {
        FailuresInARow failures = new FailuresInARow(4);
        failures.count(7, T0);
        failures.count(7, T0.plusSeconds(1));
        failures.forget(7);
        assertThat(failures.tracked()).isZero();
        assertThat(failures.count(7, T0.plusSeconds(2)))
                .isEqualTo(new FailuresInARow.Tries(1, T0.plusSeconds(2), T0.plusSeconds(2)));
    }

    @Test
    void entriesNobodyForgotDoNotKeepTwoUpdatesFailingNowFromTheirCounts() {
        FailuresInARow failures = new FailuresInARow(4);
        for (long handledElsewhere = 1; handledElsewhere <= 4; handledElsewhere++) {
            failures.count(handledElsewhere, T0); // another instance handled them: this process never forgets them
        }
        Instant later = T0.plus(FailuresInARow.STALE_AFTER).plusSeconds(1);
        for (int round = 0; round < 3; round++) {
            failures.count(10, later.plusSeconds(2L * round));
            failures.count(11, later.plusSeconds(2L * round + 1));
        }
        assertThat(failures.count(10, later.plusSeconds(9)).count()).as("its count goes on").isEqualTo(4);
        assertThat(failures.count(11, later.plusSeconds(10)).count()).isEqualTo(4);
        assertThat(failures.tracked()).isEqualTo(2);
    }

    @Test
    void aBoundBelowOneIsRefused() {
        assertThatThrownBy(() -> new FailuresInARow(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("trackedMax must be 1 or more, got 0");
    }
}
