package dev.kiebot.core.pacing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BotPacingTest {
    private static final long MS = 1_000_000;
    private long now = 5_000 * MS;
    private final List<Long> slept = new ArrayList<>();

    private BotPacing pacing(double perSecond, int burst) {
        return new BotPacing(perSecond, burst, () -> now, nanos -> {
            slept.add(nanos / MS);
            now += nanos;
        });
    }

    @Test
    void turnsComeOneAnIntervalApartInOrder() {
        BotPacing p = pacing(10, 1);
        for (int i = 0; i < 4; i++) {
            assertThat(p.awaitTurn()).isTrue();
        }
        assertThat(slept).containsExactly(100L, 100L, 100L);
    }

    @Test
    void aQuietBotSendsAtOnceAndABurstGoesBackToBack() {
        BotPacing p = pacing(10, 3);
        now += 10_000 * MS;
        for (int i = 0; i < 5; i++) {
            p.awaitTurn();
        }
        assertThat(slept).as("three at once, then one every 100 ms").containsExactly(100L, 100L);
    }

    @Test
    void aTurnGivenBackIsTheNextCallersAndIsNotWaitedForTwice() {
        BotPacing p = pacing(10, 1);
        p.awaitTurn();
        p.awaitTurn();
        p.giveBack();
        p.awaitTurn();
        assertThat(slept).as("the returned slot is taken again, not one after it").containsExactly(100L);
    }

    @Test
    void unlimitedNeverSleeps() {
        BotPacing p = pacing(0, 1);
        for (int i = 0; i < 100; i++) {
            p.awaitTurn();
        }
        assertThat(slept).isEmpty();
    }

    @Test
    void anInterruptedWaitSaysSoAndGivesItsTurnBack() {
        BotPacing p = new BotPacing(10, 1, () -> now, nanos -> {
            throw new InterruptedException();
        });
        p.awaitTurn();
        assertThat(p.awaitTurn()).isFalse();
        assertThat(Thread.interrupted()).as("the interrupt is kept").isTrue();
        now += 100 * MS;
        assertThat(p.awaitTurn()).as("the slot given back is due now: no wait").isTrue();
    }
}
