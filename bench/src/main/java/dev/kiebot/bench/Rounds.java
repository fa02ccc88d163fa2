package dev.kiebot.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The order of the targets in each round of {@code --rounds}: as given in odd rounds (1, 3, ...), reversed in even
 * ones. The machine's speed drifts over minutes, so a target always run first (or last) would meet a different
 * machine from the others; alternating spreads that drift over both sides, and one target's run is still next to
 * the other's in every round, which the rounds-paired count of {@link Comparison} relies on.
 */
final class Rounds {
    private Rounds() {
    }

    /** The indices into the targets for round {@code round} (from 1) of {@code targets}. */
    static List<Integer> order(int targets, int round) {
        List<Integer> order = new ArrayList<>(targets);
        for (int i = 0; i < targets; i++) {
            order.add(i);
        }
        if (round % 2 == 0) {
            Collections.reverse(order);
        }
        return List.copyOf(order);
    }
}
