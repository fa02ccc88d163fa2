package dev.kiebot.core.shop;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PassesTest {
    @Test
    void fullBatchesAreFollowedByAnotherUntilOneComesBackShort() {
        AtomicInteger left = new AtomicInteger(45);
        AtomicInteger calls = new AtomicInteger();

        int taken = Passes.run(20, size -> {
            calls.incrementAndGet();
            int took = Math.min(size, left.get());
            left.addAndGet(-took);
            return took;
        });

        assertThat(taken).isEqualTo(45);
        assertThat(calls.get()).as("20, 20, then 5").isEqualTo(3);
    }

    @Test
    void oneRunTakesAtMostItsPassesHoweverMuchIsLeft() {
        AtomicInteger calls = new AtomicInteger();

        int taken = Passes.run(20, size -> {
            calls.incrementAndGet();
            return size;
        });

        assertThat(calls.get()).isEqualTo(Passes.MAX);
        assertThat(taken).isEqualTo(20 * Passes.MAX);
    }

    /** Work with a larger backlog (the personal texts' retention) is given more passes a run, still bounded. */
    @Test
    void oneRunTakesAtMostThePassesItIsGiven() {
        AtomicInteger calls = new AtomicInteger();

        int taken = Passes.run(20, 3 * Passes.MAX, size -> {
            calls.incrementAndGet();
            return size;
        });

        assertThat(calls.get()).isEqualTo(3 * Passes.MAX);
        assertThat(taken).isEqualTo(20 * 3 * Passes.MAX);
    }
}
