package dev.kiebot.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RoundsTest {

    @Test
    void oddRoundsRunTheTargetsAsGivenEvenRoundsReversed() {
        assertThat(Rounds.order(3, 1)).containsExactly(0, 1, 2);
        assertThat(Rounds.order(3, 2)).containsExactly(2, 1, 0);
        assertThat(Rounds.order(3, 3)).containsExactly(0, 1, 2);
        assertThat(Rounds.order(2, 4)).containsExactly(1, 0);
        assertThat(Rounds.order(1, 2)).containsExactly(0);
    }
}
